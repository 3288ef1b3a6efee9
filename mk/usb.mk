# The USB stick image and the flashing tool (docs/hardware.md).
#
#   make usb              build/keel.img: a raw disk image to write to a USB stick
#   make flash DEV=/dev/sdX [IMAGE=...] [FLASH_ARGS="--max-size 256G"]
#                         scripts/flash-usb.sh: checks the device, asks, writes, verifies
#   make flash            lists the removable USB disks the tool would accept
#
# grub-mkrescue's image is already a disk image as well as an ISO: GRUB's BIOS boot code in the
# (protective) MBR, and a GPT whose EFI system partition holds GRUB for UEFI, beside the ISO 9660
# file system both GRUBs read the kernel from. So the bytes of build/keel.iso boot from a stick on
# BIOS and UEFI alike (tests/system/usb.test.ts boots them as a USB mass-storage device under
# SeaBIOS and OVMF, and checks the partition table); build/keel.img is that ISO, with the same
# kernel, modules and command line, under the name a disk image is expected to have.

USB_IMG := $(BUILD)/keel.img
.PHONY: usb flash
usb: $(USB_IMG)
$(USB_IMG): $(BUILD)/keel.iso
	cp $< $@.tmp.$(RUN_TAG) && mv $@.tmp.$(RUN_TAG) $@
	@echo "USB image $@ ($$(stat -c %s $@) bytes); write it with: make flash DEV=/dev/sdX"

# Not `setup`: listing or writing needs only the image and util-linux, and a flash should not
# start by installing packages. With a device and no IMAGE, build/keel.img is brought up to date.
flash: $(if $(and $(DEV),$(if $(IMAGE),,1)),$(USB_IMG))
	bash scripts/flash-usb.sh $(FLASH_ARGS) $(DEV) $(if $(DEV),$(or $(IMAGE),$(USB_IMG)))
