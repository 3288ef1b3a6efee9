# The robustness image: userland/attack-test as init (it starts its own helpers).
#
#   make iso-attack  build/iso/attack.iso, booted by tests/system/attack.test.ts

ISO_VARIANT_attack := keel.log=info
.PHONY: iso-attack
iso-attack: $(BUILD)/iso/attack.iso
$(BUILD)/iso/attack.iso: KEEL_MODULES = $(USER_OUT)/attack-test.elf:init
$(BUILD)/iso/attack.iso: $(USER_OUT)/attack-test.elf
