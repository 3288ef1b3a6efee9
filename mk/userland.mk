# User programs: every directory userland/<prog>/ with a main.ts except lib/ becomes
# build/user/<prog>.elf, a static non-PIE ELF64 executable loaded as the boot module <prog>.
#
#   make userland                        build every program
#   make iso EXTRA_MODULES="a.elf b.elf" also put a.elf, b.elf on the ISO (named a, b) for init
#
# keelc emits C for the program (--target user); gcc compiles it with keelc's user flags and a
# small runtime arena (the program's own heap is userland/lib/heap.ts, on the map system call);
# ld links it with userland/lib/*.S and the program's own *.S files.

USER_OUT      := $(BUILD)/user
USER_PROGRAMS := $(sort $(patsubst userland/%/main.ts,%,$(wildcard userland/*/main.ts)))
USER_PROGRAMS := $(filter-out lib,$(USER_PROGRAMS))
USER_ELFS     := $(patsubst %,$(USER_OUT)/%.elf,$(USER_PROGRAMS))
USER_LIB_TS   := $(wildcard userland/lib/*.ts) $(wildcard toolchain/lib/*.ts)
USER_LIB_ASM  := $(wildcard userland/lib/*.S)
USER_CFLAGS_EXTRA := -O2 -g -fno-asynchronous-unwind-tables -fno-pie -DKEEL_HEAP_SIZE=262144
USER_LDFLAGS  := -static -nostdlib -no-pie -e _start -z max-page-size=0x1000 -z noexecstack

.PHONY: userland
userland: $(USER_ELFS)

.SECONDEXPANSION:
$(USER_OUT)/%.elf: $$(wildcard userland/$$*/*.ts) $$(wildcard userland/$$*/*.S) $(USER_LIB_TS) $(USER_LIB_ASM) $(KEELC_SRCS) mk/userland.mk
	@rm -rf $(USER_OUT)/$* && mkdir -p $(USER_OUT)/$*/obj
	$(KEELC) emit --target user userland/$*/main.ts --out-dir $(USER_OUT)/$*/c --symtab
	@cflags="$$($(KEELC) cflags --target user) $(USER_CFLAGS_EXTRA)"; \
	for c in $(USER_OUT)/$*/c/*.c; do gcc $$cflags -I$(USER_OUT)/$*/c -c $$c -o $(USER_OUT)/$*/obj/$$(basename $$c .c).o || exit 1; done; \
	for s in $(USER_LIB_ASM) $(wildcard userland/$*/*.S); do gcc -c $$s -o $(USER_OUT)/$*/obj/asm-$$(basename $$s .S).o || exit 1; done
	ld $(USER_LDFLAGS) -o $@.tmp $(USER_OUT)/$*/obj/*.o && mv $@.tmp $@

# Boot modules for the ISO: init first, then the other programs, then EXTRA_MODULES. Each is
# given to scripts/make-iso.sh as <file>:<name>, the name being the file name without .elf.
EXTRA_MODULES ?=
USER_BOOT_ELFS := $(USER_OUT)/init.elf $(filter-out $(USER_OUT)/init.elf,$(USER_ELFS))
KEEL_MODULES = $(foreach m,$(USER_BOOT_ELFS) $(EXTRA_MODULES),$(abspath $(m)):$(basename $(notdir $(m))))
export KEEL_MODULES
