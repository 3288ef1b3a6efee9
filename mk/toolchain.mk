# keelc: nothing to build (tsx runs the TypeScript sources directly). This fragment is read first:
# the others take from it what keelc is made of and the C flags of each target, so they stay in
# step with what keelc's output is tested with:
#
#   $(KEELC) emit --target kernel kernel/main.ts --out-dir $(BUILD)/kernel/c
#   gcc $(KEELC_CFLAGS_KERNEL) -O2 -I $(BUILD)/kernel/c -c <every .c in that directory>
#
# The runtime (keel.h, keel_rt.c) is copied into every emit directory; compile keel_rt.c with the
# program. A freestanding program defines keel_write and keel_panic_hook (see docs/toolchain.md).
#
#   make keelc-cflags   print the three flag lists

# keelc's sources and runtime: everything keelc emits is rebuilt when one of them changes.
KEELC_SRCS := $(shell find toolchain/bin toolchain/src toolchain/runtime -type f 2>/dev/null)

# keelc-cflags <target>: `keelc cflags --target <target>`. There are no built-in flags to fall back
# on: when keelc cannot print them, make stops here (keelc's own message is above make's).
keelc-cflags = $(shell $(KEELC) cflags --target $(1))$(if $(filter 0,$(.SHELLSTATUS)),,$(error \
  `keelc cflags --target $(1)` failed (exit status $(.SHELLSTATUS)); keelc is broken, see its message above))
KEELC_CFLAGS_KERNEL = $(call keelc-cflags,kernel)
KEELC_CFLAGS_USER   = $(call keelc-cflags,user)
KEELC_CFLAGS_HOSTED = $(call keelc-cflags,hosted)

.PHONY: keelc-cflags
keelc-cflags:
	@echo "kernel: $(KEELC_CFLAGS_KERNEL)"
	@echo "user:   $(KEELC_CFLAGS_USER)"
	@echo "hosted: $(KEELC_CFLAGS_HOSTED)"
