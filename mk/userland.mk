# User programs: every directory userland/<prog>/ with a main.ts except lib/ becomes
# build/user/<prog>.elf, a static non-PIE ELF64 executable loaded as the boot module <prog>.
#
#   make userland                        build every program
#   make iso EXTRA_MODULES="a.elf b.elf" also put a.elf, b.elf on the ISO (named a, b) for init
#   make iso-user                        build/iso/user.iso: the same modules, for the system tests
#   make iso-disk                        build/iso/disk.iso: the same plus blk-test (virtio-blk test)
#   make iso-fbcon                       build/iso/fbcon.iso: the same plus fbcon-test (console test)
#   make bench-syscall                   null system call and process create/run/reap costs
#
# Programs under bench/syscall/<prog>/ are built the same way into build/user/bench/<prog>.elf,
# and mk/bench-ipc.mk builds bench/ipc/bench-ipc/ with build-user too; they are not boot modules
# of the normal images.
#
# keelc emits C for the program (--target user); gcc compiles it with keelc's user flags and a
# small runtime arena (the program's own heap is userland/lib/heap.ts, on the map system call);
# ld links it with userland/lib/*.S and the program's own *.S files; userland/lib/line-table.mjs
# adds the address-to-TypeScript-line table the kernel's fault reports use.

USER_OUT      := $(BUILD)/user
USER_PROGRAMS := $(sort $(patsubst userland/%/main.ts,%,$(wildcard userland/*/main.ts)))
# Test clients that only a dedicated image carries (blk-test: make iso-disk; fbcon-test: make iso-fbcon;
# args-test: make iso-args).
USER_TEST_ONLY := blk-test fbcon-test args-test
# Programs that are never boot modules: they are files in /bin of the default image, which the
# shell runs (echo-args is also iso-args' module). hello-asm is not built by keelc (rule below).
USER_BIN_ONLY := echo-args sleep
USER_PROGRAMS := $(filter-out lib $(USER_TEST_ONLY) $(USER_BIN_ONLY),$(USER_PROGRAMS))
USER_ELFS     := $(patsubst %,$(USER_OUT)/%.elf,$(USER_PROGRAMS))
# Every TypeScript file a program can import besides its own: the user library, the language's
# library and the ABI shared with the kernel (host/ modules included: keelc type-checks them).
USER_LIB_TS   := $(shell find userland/lib lang abi -name '*.ts' 2>/dev/null)
USER_LIB_ASM  := $(wildcard userland/lib/*.S)
USER_LINE_TOOL := userland/lib/line-table.mjs
USER_CFLAGS_EXTRA := -O2 -g -fno-asynchronous-unwind-tables -fno-pie -DKEEL_HEAP_SIZE=262144
USER_LDFLAGS  := -static -nostdlib -no-pie -e _start -z max-page-size=0x1000 -z noexecstack

.PHONY: userland
userland: $(USER_ELFS)

# build-user <source dir> <work dir> <elf>: the recipe of every user program, for $(call) in a
# rule that depends on the program's sources and $(USER_DEPS). The work directory and the unlinked
# ELF are private to this make run ($(RUN_TAG)); the ELF is renamed into place when complete, so
# concurrent makes building the same program do not clash.
define build-user
	@rm -rf $(2).$(RUN_TAG) && mkdir -p $(2).$(RUN_TAG)/obj
	$(KEELC) emit --target user $(1)/main.ts --out-dir $(2).$(RUN_TAG)/c --symtab
	@cflags="$(KEELC_CFLAGS_USER) $(USER_CFLAGS_EXTRA)"; \
	for c in $(2).$(RUN_TAG)/c/*.c; do gcc $$cflags -I$(2).$(RUN_TAG)/c -c $$c -o $(2).$(RUN_TAG)/obj/$$(basename $$c .c).o || exit 1; done; \
	for s in $(USER_LIB_ASM) $(wildcard $(1)/*.S); do gcc -c $$s -o $(2).$(RUN_TAG)/obj/asm-$$(basename $$s .S).o || exit 1; done
	ld $(USER_LDFLAGS) -o $(3).tmp.$(RUN_TAG) $(2).$(RUN_TAG)/obj/*.o
	node $(USER_LINE_TOOL) $(3).tmp.$(RUN_TAG) && mv $(3).tmp.$(RUN_TAG) $(3)
	@rm -rf $(2).$(RUN_TAG)
endef

USER_DEPS := $(USER_LIB_TS) $(USER_LIB_ASM) $(USER_LINE_TOOL) $(KEELC_SRCS) mk/userland.mk
.SECONDEXPANSION:
$(USER_OUT)/bench/%.elf: $$(wildcard bench/syscall/$$*/*.ts) $$(wildcard bench/syscall/$$*/*.S) $(USER_DEPS)
	$(call build-user,bench/syscall/$*,$(USER_OUT)/bench/$*,$@)
$(USER_OUT)/%.elf: $$(wildcard userland/$$*/*.ts) $$(wildcard userland/$$*/*.S) $(USER_DEPS)
	$(call build-user,userland/$*,$(USER_OUT)/$*,$@)

# Boot modules for the ISO: init first, then the other programs, then EXTRA_MODULES. Each is
# given to scripts/make-iso.sh as <file>:<name>, the name being the file name without .elf.
EXTRA_MODULES ?=
USER_BOOT_ELFS := $(USER_OUT)/init.elf $(filter-out $(USER_OUT)/init.elf,$(USER_ELFS))
KEEL_MODULES = $(foreach m,$(USER_BOOT_ELFS) $(EXTRA_MODULES),$(abspath $(m)):$(basename $(notdir $(m)))) $(abspath $(USER_OUT)/rootfs-test.cpio):rootfs
export KEEL_MODULES

# The system the default image boots (make run, make usb): init, the services of its manifest
# (userland/init/manifest.ts) and EXTRA_MODULES; the test programs are on the test images only.
SYSTEM_PROGRAMS := log fbcon console kbd serial pci virtio-blk fs shell
SYSTEM_ELFS := $(USER_OUT)/init.elf $(patsubst %,$(USER_OUT)/%.elf,$(SYSTEM_PROGRAMS))
# What else the default image's /bin holds for the shell to run (not boot modules, so init does
# not start them): echo-args, sleep, a few test programs that exit with a status or fault, and
# hello-asm, a static ELF written in assembly.
BIN_PROGRAMS := echo-args sleep hello exit42 divzero nullptr
BIN_ELFS := $(patsubst %,$(USER_OUT)/%.elf,$(BIN_PROGRAMS)) $(USER_OUT)/hello-asm.elf
$(USER_OUT)/hello-asm.elf: userland/hello-asm/hello.S mk/userland.mk
	@mkdir -p $(USER_OUT)
	gcc -nostdlib -static -no-pie -e _start -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -o $@.tmp.$(RUN_TAG) $< && mv $@.tmp.$(RUN_TAG) $@
$(BUILD)/keel.iso: KEEL_MODULES = $(foreach m,$(SYSTEM_ELFS) $(EXTRA_MODULES),$(abspath $(m)):$(basename $(notdir $(m)))) $(abspath $(USER_OUT)/rootfs.cpio):rootfs

# The boot archive, boot module `rootfs` (docs/userland.md, "File system"): a cpio archive of the
# image's programs at /bin/<name> (debug sections stripped) and the text files of userland/fs/root,
# which the file system server fills its tree from. build/user/rootfs.cpio goes with keel.iso;
# rootfs-<image>.cpio with the test images (rootfs-test.cpio with every image that carries all the
# programs, rootfs-disk.cpio and rootfs-fbcon.cpio with those that add their test client). The
# script runs every time (the module list can change with EXTRA_MODULES) and rewrites an archive
# only when its bytes change, so an unchanged archive does not rebuild the images.
ROOTFS_TOOL := scripts/make-rootfs.ts
ROOTFS_TEXT := $(shell find userland/fs/root -type f 2>/dev/null)
ROOTFS_ELFS_test = $(USER_BOOT_ELFS) $(EXTRA_MODULES)
ROOTFS_ELFS_disk = $(USER_BOOT_ELFS) $(USER_OUT)/blk-test.elf
ROOTFS_ELFS_fbcon = $(FBCON_TEST_ELFS)
define make-rootfs
	node --import tsx $(ROOTFS_TOOL) --strip-debug $@ userland/fs/root=/ $(foreach m,$(1),$(abspath $(m))=/bin/$(basename $(notdir $(m))))
endef
.PHONY: FORCE_ROOTFS
FORCE_ROOTFS:
$(USER_OUT)/rootfs.cpio: $(SYSTEM_ELFS) $(BIN_ELFS) $(abspath $(EXTRA_MODULES)) $(ROOTFS_TEXT) $(ROOTFS_TOOL) FORCE_ROOTFS
	$(call make-rootfs,$(SYSTEM_ELFS) $(BIN_ELFS) $(EXTRA_MODULES))
$(USER_OUT)/rootfs-%.cpio: $$(ROOTFS_ELFS_$$*) $(ROOTFS_TEXT) $(ROOTFS_TOOL) FORCE_ROOTFS
	$(call make-rootfs,$(ROOTFS_ELFS_$*))
$(BUILD)/keel.iso: $(USER_OUT)/rootfs.cpio

# An image that keeps the KEEL_MODULES above carries every program: build/iso/user.iso and the
# variants of mk/kernel.mk (a test or benchmark boot ends before init would start). The image
# rules in mk/kernel.mk depend on USER_BOOT_ELFS; the EXTRA_MODULES files are added here.
$(BUILD)/keel.iso: $(abspath $(EXTRA_MODULES))

ISO_VARIANT_user := keel.log=info
.PHONY: iso-user
iso-user: $(BUILD)/iso/user.iso
$(BUILD)/iso/user.iso: $(abspath $(EXTRA_MODULES))

# The benchmark image: the benchmark program is init (it needs the right to start programs),
# nop the program it starts and reaps. -icount makes rdtsc count executed instructions.
BENCH_SYSCALL_ELFS := $(USER_OUT)/bench/bench-syscall.elf $(USER_OUT)/bench/nop.elf
ISO_VARIANT_bench-syscall := keel.log=warn
ISO_GRUB_SERIAL_bench-syscall := 0
$(BUILD)/iso/bench-syscall.iso: KEEL_MODULES = $(USER_OUT)/bench/bench-syscall.elf:init $(USER_OUT)/bench/nop.elf:nop
$(BUILD)/iso/bench-syscall.iso: $(BENCH_SYSCALL_ELFS)

.PHONY: bench-syscall
bench-syscall: setup $(BUILD)/iso/bench-syscall.iso
	node bench/syscall/run.mjs $(BUILD)/iso/bench-syscall.iso
bench: bench-syscall

# More boot modules than any fixed table once held: init and twenty copies of hello, each under
# its own name (tests/system/modules.test.ts checks that every one of them runs).
#   make iso-modules  build/iso/modules.iso
ISO_VARIANT_modules := keel.log=info
.PHONY: iso-modules
iso-modules: $(BUILD)/iso/modules.iso
$(BUILD)/iso/modules.iso: KEEL_MODULES = $(USER_OUT)/init.elf:init $(foreach i,$(shell seq -w 1 20),$(USER_OUT)/hello.elf:hello$(i))
$(BUILD)/iso/modules.iso: $(USER_OUT)/init.elf $(USER_OUT)/hello.elf

# The virtio-blk test's image: every boot module plus the block client blk-test, which the default
# image leaves out (tests/system/virtio-blk.test.ts attaches the disk).
#   make iso-disk  build/iso/disk.iso
ISO_VARIANT_disk := keel.log=info
.PHONY: iso-disk
iso-disk: $(BUILD)/iso/disk.iso
$(BUILD)/iso/disk.iso: KEEL_MODULES = $(foreach m,$(USER_BOOT_ELFS) $(USER_OUT)/blk-test.elf,$(abspath $(m)):$(basename $(notdir $(m)))) $(abspath $(USER_OUT)/rootfs-disk.cpio):rootfs
$(BUILD)/iso/disk.iso: $(USER_OUT)/blk-test.elf $(USER_OUT)/rootfs-disk.cpio

# The framebuffer console's test image: every boot module plus its test client fbcon-test, which
# the default image leaves out (tests/system/fbcon.test.ts).
#   make iso-fbcon  build/iso/fbcon.iso
ISO_VARIANT_fbcon := keel.log=info
.PHONY: iso-fbcon
iso-fbcon: $(BUILD)/iso/fbcon.iso
# The shell is left out: its prompt would race fbcon-test's drawing on the screen.
FBCON_TEST_ELFS = $(filter-out $(USER_OUT)/shell.elf,$(USER_BOOT_ELFS)) $(USER_OUT)/fbcon-test.elf
$(BUILD)/iso/fbcon.iso: KEEL_MODULES = $(foreach m,$(FBCON_TEST_ELFS),$(abspath $(m)):$(basename $(notdir $(m)))) $(abspath $(USER_OUT)/rootfs-fbcon.cpio):rootfs
$(BUILD)/iso/fbcon.iso: $(USER_OUT)/fbcon-test.elf $(USER_OUT)/rootfs-fbcon.cpio
# The same with GRUB setting a 24-bit mode (fbcon draws it) and a 16-bit one (fbcon reports it
# cannot, exits, and the kernel keeps drawing).
#   make iso-fbcon-modes  build/iso/fbcon-24.iso build/iso/fbcon-16.iso
.PHONY: iso-fbcon-modes
iso-fbcon-modes: $(BUILD)/iso/fbcon-24.iso $(BUILD)/iso/fbcon-16.iso
$(foreach b,24 16,$(eval ISO_VARIANT_fbcon-$(b) := keel.log=info)$(eval ISO_VIDEO_fbcon-$(b) := 1024x768x$(b)))
$(BUILD)/iso/fbcon-24.iso $(BUILD)/iso/fbcon-16.iso: KEEL_MODULES = $(foreach m,$(FBCON_TEST_ELFS),$(abspath $(m)):$(basename $(notdir $(m)))) $(abspath $(USER_OUT)/rootfs-fbcon.cpio):rootfs
$(BUILD)/iso/fbcon-24.iso $(BUILD)/iso/fbcon-16.iso: $(USER_OUT)/fbcon-test.elf $(USER_OUT)/rootfs-fbcon.cpio

# Programs started from memory with arguments: args-test as init copies the module echo-args into
# a memory object and starts it with spawn_image (tests/system/args.test.ts).
#   make iso-args  build/iso/args.iso
ISO_VARIANT_args := keel.log=info
.PHONY: iso-args
iso-args: $(BUILD)/iso/args.iso
$(BUILD)/iso/args.iso: KEEL_MODULES = $(USER_OUT)/args-test.elf:init $(USER_OUT)/echo-args.elf:echo-args
$(BUILD)/iso/args.iso: $(USER_OUT)/args-test.elf $(USER_OUT)/echo-args.elf
