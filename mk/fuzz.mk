# The system-call fuzzer: userland/fuzz as init of an image of its own, its seed and call count in
# the name of a second boot module (fuzz-<seed>-<calls>), so each setting is an image of its own.
#
#   make fuzz                      seed 1, a million calls
#   make fuzz SEED=7 CALLS=200000
#
# scripts/fuzz.ts boots the image under TCG, stops at the driver's FUZZ DONE line and fails on a
# panic, a hang, a result the docs do not allow, or objects, quota or heap bytes left over.
FUZZ_SEED  := $(if $(SEED),$(SEED),1)
FUZZ_CALLS := $(if $(CALLS),$(CALLS),1000000)
FUZZ_NAME  := fuzz-$(FUZZ_SEED)-$(FUZZ_CALLS)
ISO_VARIANT_$(FUZZ_NAME) := keel.log=warn

$(BUILD)/iso/$(FUZZ_NAME).iso: KEEL_MODULES = $(USER_OUT)/fuzz.elf:init $(USER_OUT)/fuzz.elf:$(FUZZ_NAME)
$(BUILD)/iso/$(FUZZ_NAME).iso: $(USER_OUT)/fuzz.elf

.PHONY: fuzz iso-fuzz
iso-fuzz: $(BUILD)/iso/$(FUZZ_NAME).iso
fuzz: setup $(BUILD)/iso/$(FUZZ_NAME).iso
	npx tsx scripts/fuzz.ts $(BUILD)/iso/$(FUZZ_NAME).iso
