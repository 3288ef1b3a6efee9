# Capabilities and IPC between processes: the system-test image and the IPC benchmark.
#
#   make iso-ipc     build/iso/ipc.iso: userland/ipc-test as init (it starts its own helpers)
#   make bench-ipc   build/iso/bench-ipc.iso under -icount: call/reply, one-way send/receive,
#                    notification signal, null system call, against the Linux guest
#                    (bench/linux); build/bench/ipc.json and a table. BENCH_IPC_ARGS=--no-linux
#                    skips the Linux boot.
#
# Both images carry one program as init, which starts further copies of itself with capabilities
# (spawn_caps), so no other boot module is on them.

ISO_VARIANT_ipc := keel.log=info
.PHONY: iso-ipc
iso-ipc: $(BUILD)/iso/ipc.iso
$(BUILD)/iso/ipc.iso: KEEL_MODULES = $(USER_OUT)/ipc-test.elf:init
$(BUILD)/iso/ipc.iso: $(USER_OUT)/ipc-test.elf

# make iso-threads: build/iso/threads.iso, userland/threads as init (tests/system/threads.test.ts).
ISO_VARIANT_threads := keel.log=info
.PHONY: iso-threads
iso-threads: $(BUILD)/iso/threads.iso
$(BUILD)/iso/threads.iso: KEEL_MODULES = $(USER_OUT)/threads.elf:init
$(BUILD)/iso/threads.iso: $(USER_OUT)/threads.elf

# The benchmark program lives in bench/ipc/bench-ipc/; it is built like a user program, with
# mk/userland.mk's build-user (which also adds the .keel.lines table: a section that is not loaded).
BENCH_IPC_ELF := $(USER_OUT)/bench-ipc/bench-ipc.elf
$(BENCH_IPC_ELF): $(wildcard bench/ipc/bench-ipc/*.ts) $(wildcard bench/ipc/bench-ipc/*.S) $(USER_DEPS) mk/bench-ipc.mk
	$(call build-user,bench/ipc/bench-ipc,$(USER_OUT)/bench-ipc/work,$@)

ISO_VARIANT_bench-ipc := keel.log=warn
ISO_GRUB_SERIAL_bench-ipc := 0
$(BUILD)/iso/bench-ipc.iso: KEEL_MODULES = $(BENCH_IPC_ELF):init
$(BUILD)/iso/bench-ipc.iso: $(BENCH_IPC_ELF)

.PHONY: bench-ipc
bench-ipc: setup $(BUILD)/iso/bench-ipc.iso
	npx tsx bench/ipc/run.ts $(BUILD)/iso/bench-ipc.iso $(BENCH_IPC_ARGS)
bench: bench-ipc
