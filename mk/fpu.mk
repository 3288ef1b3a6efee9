# FPU, SSE and AVX state of user threads: the system-test images and the benchmark.
#
#   make iso-fpu     build/iso/fpu.iso: init and the four fpu-* programs (fpu-sse and fpu-avx
#                    computing side by side, fpu-dirty and fpu-fresh for the leak test, fpu-xm and fpu-mf
#                    for SIMD and x87 exceptions);
#                    build/iso/fpu-fxsave.iso, fpu-lazy.iso: the same with keel.fpu=fxsave, =lazy
#   make bench-fpu   build/iso/bench-fpu-<mode>.iso under -icount: yield between two processes
#                    using SSE, and between two that use none, per keel.fpu= mode;
#                    build/bench/fpu.json and a table

FPU_PROGRAMS := fpu-avx fpu-dirty fpu-fresh fpu-mf fpu-sse fpu-xm
FPU_ELFS := $(USER_OUT)/init.elf $(patsubst %,$(USER_OUT)/%.elf,$(FPU_PROGRAMS))
FPU_MODULES := $(USER_OUT)/init.elf:init $(foreach p,$(FPU_PROGRAMS),$(USER_OUT)/$(p).elf:$(p))

ISO_VARIANT_fpu := keel.log=info
ISO_VARIANT_fpu-fxsave := keel.log=info keel.fpu=fxsave
ISO_VARIANT_fpu-lazy := keel.log=info keel.fpu=lazy
FPU_ISOS := $(BUILD)/iso/fpu.iso $(BUILD)/iso/fpu-fxsave.iso $(BUILD)/iso/fpu-lazy.iso
.PHONY: iso-fpu
iso-fpu: $(FPU_ISOS)
$(FPU_ISOS): KEEL_MODULES = $(FPU_MODULES)
$(FPU_ISOS): $(FPU_ELFS)

# The benchmark: bench/fpu/bench-fpu as init, bench/fpu/fpu-yield as the modules yield-int (twice)
# and yield-sse (twice); one image per keel.fpu= mode, booted by bench/fpu/run.mjs.
BENCH_FPU_INIT := $(USER_OUT)/bench-fpu/bench-fpu.elf
BENCH_FPU_YIELD := $(USER_OUT)/bench-fpu/fpu-yield.elf
$(BENCH_FPU_INIT): $(wildcard bench/fpu/bench-fpu/*.ts) $(USER_DEPS) mk/fpu.mk
	$(call build-user,bench/fpu/bench-fpu,$(USER_OUT)/bench-fpu/init-work,$@)
$(BENCH_FPU_YIELD): $(wildcard bench/fpu/fpu-yield/*.ts) $(wildcard bench/fpu/fpu-yield/*.S) $(USER_DEPS) mk/fpu.mk
	$(call build-user,bench/fpu/fpu-yield,$(USER_OUT)/bench-fpu/yield-work,$@)

BENCH_FPU_MODES := xsaveopt xsave fxsave lazy
BENCH_FPU_ISOS := $(patsubst %,$(BUILD)/iso/bench-fpu-%.iso,$(BENCH_FPU_MODES))
$(foreach m,$(BENCH_FPU_MODES),$(eval ISO_VARIANT_bench-fpu-$(m) := keel.log=warn keel.fpu=$(m)))
$(foreach m,$(BENCH_FPU_MODES),$(eval ISO_GRUB_SERIAL_bench-fpu-$(m) := 0))
$(BENCH_FPU_ISOS): KEEL_MODULES = $(BENCH_FPU_INIT):init $(BENCH_FPU_YIELD):yield-int $(BENCH_FPU_YIELD):yield-int \
  $(BENCH_FPU_YIELD):yield-sse $(BENCH_FPU_YIELD):yield-sse
$(BENCH_FPU_ISOS): $(BENCH_FPU_INIT) $(BENCH_FPU_YIELD)

.PHONY: bench-fpu
bench-fpu: setup $(BENCH_FPU_ISOS)
	node bench/fpu/run.mjs $(BENCH_FPU_ISOS)
bench: bench-fpu
