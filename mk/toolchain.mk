# keelc: nothing to build (tsx runs the TypeScript sources directly). Other fragments take the C
# flags of each target from here, so they stay in step with what keelc's output is tested with:
#
#   $(KEELC) emit --target kernel kernel/main.ts --out-dir $(BUILD)/kernel/c
#   gcc $(KEELC_CFLAGS_KERNEL) -O2 -I $(BUILD)/kernel/c -c <every .c in that directory>
#
# The runtime (keel.h, keel_rt.c) is copied into every emit directory; compile keel_rt.c with the
# program. A freestanding program defines keel_write and keel_panic_hook (see docs/toolchain.md).
KEELC_CFLAGS_KERNEL = $(shell $(KEELC) cflags --target kernel)
KEELC_CFLAGS_USER   = $(shell $(KEELC) cflags --target user)
KEELC_CFLAGS_HOSTED = $(shell $(KEELC) cflags --target hosted)

.PHONY: keelc-cflags
keelc-cflags:
	@echo "kernel: $(KEELC_CFLAGS_KERNEL)"
	@echo "user:   $(KEELC_CFLAGS_USER)"
	@echo "hosted: $(KEELC_CFLAGS_HOSTED)"
