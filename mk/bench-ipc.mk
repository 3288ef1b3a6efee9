# Capabilities and IPC between processes: the system-test image and the IPC benchmark.
#
#   make iso-ipc     build/iso/ipc.iso: userland/ipc-test as init (it starts its own helpers)
#   make bench-ipc   build/iso/bench-ipc.iso under -icount: call/reply, one-way send/receive,
#                    notification signal, null system call, against the Linux guest
#                    (bench/linux); build/bench/ipc.json and a table. BENCH_IPC_ARGS=--no-linux
#                    skips the Linux boot.
#
# Both images carry one program as init; (This file is read before mk/userland.mk, so it names
# build/user itself and expands the user library lists only inside recipes and second expansions.) it starts further copies of itself with capabilities
# (spawn_caps), so no other boot module is involved.

ISO_VARIANT_ipc := keel.log=info
.PHONY: iso-ipc
iso-ipc: $(BUILD)/iso/ipc.iso
$(BUILD)/iso/ipc.iso: KEEL_MODULES = $(BUILD)/user/ipc-test.elf:init
$(BUILD)/iso/ipc.iso: $(BUILD)/user/ipc-test.elf

# The benchmark program lives in bench/ipc/bench-ipc/; it is built like a user program.
BENCH_IPC_ELF := $(BUILD)/user/bench-ipc/bench-ipc.elf
.SECONDEXPANSION:
$(BENCH_IPC_ELF): $(wildcard bench/ipc/bench-ipc/*.ts) $(wildcard bench/ipc/bench-ipc/*.S) $$(USER_LIB_TS) $$(USER_LIB_ASM) $$(KEELC_SRCS) mk/bench-ipc.mk
	@# Scratch space private to this make run, the ELF renamed into place (see RUN_TAG).
	@rm -rf $(BUILD)/user/bench-ipc/work.$(RUN_TAG) && mkdir -p $(BUILD)/user/bench-ipc/work.$(RUN_TAG)/obj
	$(KEELC) emit --target user bench/ipc/bench-ipc/main.ts --out-dir $(BUILD)/user/bench-ipc/work.$(RUN_TAG)/c --symtab
	@cflags="$$($(KEELC) cflags --target user) $(USER_CFLAGS_EXTRA)"; \
	for c in $(BUILD)/user/bench-ipc/work.$(RUN_TAG)/c/*.c; do gcc $$cflags -I$(BUILD)/user/bench-ipc/work.$(RUN_TAG)/c -c $$c -o $(BUILD)/user/bench-ipc/work.$(RUN_TAG)/obj/$$(basename $$c .c).o || exit 1; done; \
	for s in $(USER_LIB_ASM) $(wildcard bench/ipc/bench-ipc/*.S); do gcc -c $$s -o $(BUILD)/user/bench-ipc/work.$(RUN_TAG)/obj/asm-$$(basename $$s .S).o || exit 1; done
	ld $(USER_LDFLAGS) -o $@.tmp.$(RUN_TAG) $(BUILD)/user/bench-ipc/work.$(RUN_TAG)/obj/*.o && mv $@.tmp.$(RUN_TAG) $@
	@rm -rf $(BUILD)/user/bench-ipc/work.$(RUN_TAG)

ISO_VARIANT_bench-ipc := keel.log=warn
ISO_GRUB_SERIAL_bench-ipc := 0
$(BUILD)/iso/bench-ipc.iso: KEEL_MODULES = $(BENCH_IPC_ELF):init
$(BUILD)/iso/bench-ipc.iso: $(BENCH_IPC_ELF)

.PHONY: bench-ipc
bench-ipc: setup $(BUILD)/iso/bench-ipc.iso
	npx tsx bench/ipc/run.ts $(BUILD)/iso/bench-ipc.iso $(BENCH_IPC_ARGS)
bench: bench-ipc
