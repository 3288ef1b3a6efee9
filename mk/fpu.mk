# FPU, SSE and AVX state of user threads: the system-test images and the benchmark.
#
#   make iso-fpu     build/iso/fpu.iso: init and the four fpu-* programs (fpu-sse and fpu-avx
#                    computing side by side, fpu-dirty and fpu-fresh for the leak test, fpu-xm and fpu-mf
#                    for SIMD and x87 exceptions);
#                    build/iso/fpu-fxsave.iso: the same with keel.fpu=fxsave
#   make bench-fpu   build/iso/bench-fpu-<mode>.iso under -icount: yield between two processes
#                    using SSE, and between two that use none, per keel.fpu= mode;
#                    build/bench/fpu.json and a table

FPU_PROGRAMS := fpu-avx fpu-dirty fpu-fresh fpu-mf fpu-sse fpu-xm
FPU_ELFS := $(USER_OUT)/init.elf $(patsubst %,$(USER_OUT)/%.elf,$(FPU_PROGRAMS))
FPU_MODULES := $(USER_OUT)/init.elf:init $(foreach p,$(FPU_PROGRAMS),$(USER_OUT)/$(p).elf:$(p))

ISO_VARIANT_fpu := keel.log=info
ISO_VARIANT_fpu-fxsave := keel.log=info keel.fpu=fxsave
.PHONY: iso-fpu
iso-fpu: $(BUILD)/iso/fpu.iso $(BUILD)/iso/fpu-fxsave.iso
$(BUILD)/iso/fpu.iso $(BUILD)/iso/fpu-fxsave.iso: KEEL_MODULES = $(FPU_MODULES)
$(BUILD)/iso/fpu.iso $(BUILD)/iso/fpu-fxsave.iso: $(FPU_ELFS)
