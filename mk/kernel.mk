# Kernel image, ISO, QEMU run and boot benchmark.
#
#   make kernel      build/keel.elf        (keelc emits C from kernel/main.ts; gcc compiles and links)
#   make iso         build/keel.iso        (GRUB hybrid BIOS + UEFI image, command line KEEL_CMDLINE)
#   make iso-tests   build/iso/<variant>.iso for the system tests and benchmarks
#   make run         boots build/keel.iso in QEMU with a window (serial log in the terminal)
#   make bench-boot  boot-time figures and image size, build/bench/boot.json
#
# KERNEL_C_DIR=<dir> links the C files of <dir> instead of keelc's output (bring-up only).

KERNEL_OUT   := $(BUILD)/kernel
KERNEL_ELF   := $(BUILD)/keel.elf
KERNEL_ASM   := $(wildcard kernel/arch/x86_64/*.S)
KERNEL_LD    := boot/linker.ld
# Every TypeScript file the kernel can import: its own, the language's library and the ABI it
# shares with user programs.
KERNEL_TS    := $(shell find kernel lang abi -name '*.ts' 2>/dev/null)
KERNEL_C_DIR ?= $(KERNEL_OUT)/c
KEEL_CMDLINE ?= keel.log=info

# The kernel's C flags are keelc's (KEELC_CFLAGS_KERNEL, mk/toolchain.mk) and these.
# -O2: polling loops and critical sections follow docs/language.md ("Memory shared with interrupt
# handlers and other threads"), which is what makes the optimised kernel behave like the -O0 one.
# KEEL_HEAP_SIZE: the runtime heap's static arena in .bss only has to carry the boot up to
# memoryInit (every module's top-level tables take about 66 KiB, the boot information a few KiB
# more, about 64 bytes per memory-map entry: room for some 900 entries); after
# that the heap grows from the frame allocator (heapMore, kernel/mm/mm.ts). A large arena makes
# the image reach into memory firmware keeps (OVMF's ACPI NVS at 0x806000) and keeps loaders that
# respect the memory map (Limine) from finding room for it.
# -flto: the kernel is one program to gcc, so calls across modules inline like calls inside one
# (keelc emits a C file per module; `@inline` functions, docs/toolchain.md, rely on it).
KERNEL_CFLAGS_EXTRA := -fno-asynchronous-unwind-tables -fno-pie -g -O2 -flto -DKEEL_HEAP_SIZE=131072
# The link goes through gcc, which link-time optimisation needs; ld gets -n, the page size and no
# executable stack, as before.
KERNEL_LTO_LDFLAGS := -nostdlib -static -Wl,-n,-z,max-page-size=0x1000,-z,noexecstack,--no-warn-rwx-segments,--build-id=none

FONT_DEB_DIR := $(BUILD)/font
FONT_PSF     := $(BUILD)/font/keel-console.psf

.PHONY: kernel iso iso-tests iso-power run bench-boot bench

kernel: $(KERNEL_ELF)

$(KERNEL_OUT)/c.stamp: $(KERNEL_TS) $(KEELC_SRCS)
	@mkdir -p $(KERNEL_OUT)
	@# Under the kernel build lock: another make may be compiling from this directory.
	exec 9>$(KERNEL_OUT)/.lock && flock 9 && rm -rf $(KERNEL_OUT)/c && \
	$(KEELC) emit --target kernel kernel/main.ts --out-dir $(KERNEL_OUT)/c --symtab
	@touch $@

ifeq ($(KERNEL_C_DIR),$(KERNEL_OUT)/c)
KERNEL_C_DEP := $(KERNEL_OUT)/c.stamp
else
KERNEL_C_DEP := $(wildcard $(KERNEL_C_DIR)/*.c $(KERNEL_C_DIR)/*.h)
endif

# One object per C file (two at a time), the assembly shim, then the link.
$(KERNEL_ELF): $(KERNEL_C_DEP) $(KERNEL_ASM) $(wildcard kernel/arch/x86_64/*.inc) $(KERNEL_LD) mk/kernel.mk
	@# The C sources and objects are shared by every make using this build/: the kernel build lock
	@# keeps two of them from emitting, compiling or linking at once; the ELF is renamed into place.
	@mkdir -p $(KERNEL_OUT) && exec 9>$(KERNEL_OUT)/.lock && flock 9 || exit 1; \
	rm -rf $(KERNEL_OUT)/obj && mkdir -p $(KERNEL_OUT)/obj || exit 1; \
	cflags="$(KEELC_CFLAGS_KERNEL) $(KERNEL_CFLAGS_EXTRA)"; \
	echo "CC $(KERNEL_C_DIR)/*.c: $$cflags"; \
	ls $(KERNEL_C_DIR)/*.c | xargs -P 2 -I{} sh -c 'gcc '"$$cflags"' -I$(KERNEL_C_DIR) -c {} -o $(KERNEL_OUT)/obj/$$(basename {} .c).o' || exit 1; \
	for s in $(KERNEL_ASM); do gcc -c -g $$s -o $(KERNEL_OUT)/obj/asm-$$(basename $$s .S).o || exit 1; done; \
	gcc $$cflags -flto=2 $(KERNEL_LTO_LDFLAGS) -T $(KERNEL_LD) -o $@.tmp.$(RUN_TAG) $(KERNEL_OUT)/obj/*.o && mv $@.tmp.$(RUN_TAG) $@
	@size $@

# The console font: Terminus 8x16 from Debian's console-setup-linux, converted to PSF2.
$(FONT_PSF): scripts/psf1-to-psf2.mjs
	@mkdir -p $(FONT_DEB_DIR)
	cd $(FONT_DEB_DIR) && rm -f console-setup-linux_*.deb && apt-get download console-setup-linux >/dev/null 2>&1 \
	  && dpkg -x console-setup-linux_*.deb pkg
	zcat $(FONT_DEB_DIR)/pkg/usr/share/consolefonts/Uni2-Terminus16.psf.gz > $(FONT_DEB_DIR)/terminus16.psf
	node scripts/psf1-to-psf2.mjs $(FONT_DEB_DIR)/terminus16.psf $@

# The user programs (mk/userland.mk, read before this file) ride along as boot modules, passed to
# make-iso.sh in KEEL_MODULES. Every image depends on all of them, also the images that set
# KEEL_MODULES to a program of their own (mk/bench-ipc.mk, mk/attack.mk, ...).
# The images that keep the default KEEL_MODULES carry the boot archive of every program
# (rootfs-test.cpio, mk/userland.mk).
ISO_DEPS := $(KERNEL_ELF) $(FONT_PSF) boot/grub.cfg scripts/make-iso.sh $(USER_BOOT_ELFS) $(USER_OUT)/rootfs-test.cpio
iso: $(BUILD)/keel.iso
$(BUILD)/keel.iso: $(ISO_DEPS) FORCE_CMDLINE
	bash scripts/make-iso.sh $@ "$(KEEL_CMDLINE)" $(KERNEL_ELF) $(FONT_PSF)

# Variants for the system tests and the boot benchmark: one ISO per kernel command line.
ISO_VARIANT_normal := keel.log=info
ISO_VARIANT_test   := keel.log=info keel.test=all
ISO_VARIANT_fault  := keel.log=info keel.test=fault
ISO_VARIANT_bench  := keel.log=info keel.bench=boot
ISO_VARIANT_poweroff := keel.log=info keel.shutdown=poweroff
ISO_VARIANT_reboot   := keel.log=info keel.shutdown=reboot
iso-tests: $(BUILD)/iso/normal.iso $(BUILD)/iso/test.iso $(BUILD)/iso/fault.iso
# The power-off and reboot images of tests/system/power.test.ts; poweroff-user.iso turns the
# machine off from user mode: userland/poweroff as init, through a power capability.
iso-power: $(BUILD)/iso/poweroff.iso $(BUILD)/iso/reboot.iso $(BUILD)/iso/poweroff-user.iso
ISO_VARIANT_poweroff-user := keel.log=info
$(BUILD)/iso/poweroff-user.iso: KEEL_MODULES = $(USER_OUT)/poweroff.elf:init
ISO_GRUB_SERIAL_bench := 0
$(BUILD)/iso/%.iso: $(ISO_DEPS)
	bash scripts/make-iso.sh $@ "$(ISO_VARIANT_$*)" $(KERNEL_ELF) $(FONT_PSF) $(or $(ISO_GRUB_SERIAL_$*),1) $(ISO_VIDEO_$*)

# The command line is not a file: make-iso.sh rebuilds only when it differs from the last one.
.PHONY: FORCE_CMDLINE
FORCE_CMDLINE:

run: setup iso
	bash scripts/run-qemu.sh --run $(BUILD)/keel.iso

bench-boot: setup $(BUILD)/iso/bench.iso
	node bench/boot/run.mjs $(BUILD)/iso/bench.iso $(KERNEL_ELF)

bench: bench-boot
