# The hardware matrix: Keel booted to its shell on machines unlike QEMU's defaults
# (tests/system/hardware.test.ts; one cell: add -t <cell name> to the vitest command below).
#
#   make test-hw     every cell: machines pc and q35, CPU models Nehalem, Skylake-Client, EPYC and
#                    max, 128 MiB to 6 GiB, -smp 4, OVMF framebuffers of 800x600, 1024x768 and
#                    1920x1080, no serial port, no HPET
#   make test        runs a reduced matrix of a few cells (the same file, KEEL_HW_MATRIX unset)
#
# Images: hw.iso also mirrors the log to QEMU's debug console (keel.debugcon=1), for the cells
# without a serial port; hw-<w>x<h>.iso have GRUB set that framebuffer.
HW_VIDEO_MODES := 800x600 1024x768 1920x1080
ISO_VARIANT_hw := keel.log=info keel.debugcon=1
$(foreach m,$(HW_VIDEO_MODES),$(eval ISO_VARIANT_hw-$(m) := keel.log=info keel.debugcon=1)$(eval ISO_VIDEO_hw-$(m) := $(m)))

.PHONY: iso-hw test-hw
iso-hw: $(BUILD)/iso/hw.iso $(foreach m,$(HW_VIDEO_MODES),$(BUILD)/iso/hw-$(m).iso)

test-hw: setup
	KEEL_HW_MATRIX=full npx vitest run --project system tests/system/hardware.test.ts
