# Keel top-level build. Fragments in mk/ add the targets of each part, read in this order: each
# uses only the variables and defines of this file and the fragments before it (an image fragment
# names its kernel command line in ISO_VARIANT_<image>, which mk/kernel.mk's recipe reads).
#   mk/toolchain.mk        keelc's sources and its C flags for every target
#   mk/userland.mk         user programs (boot modules), build-user, iso-user, iso-modules,
#                          bench-syscall
#   mk/kernel.mk           kernel image, ISO and its variants (iso-tests), run, bench-boot
#   mk/bench-ipc.mk        the IPC test image and benchmark
#   mk/fpu.mk              the FPU state test images and benchmark (iso-fpu, bench-fpu)
#   mk/bench-linux.mk      the Linux guest every benchmark is compared with
#   mk/bench-toolchain.mk  bench-toolchain
#   mk/attack.mk           the attack image (what an unprivileged program tries)
#   mk/fuzz.mk             make fuzz: the system-call fuzzer
#   mk/sim.mk              make sim: the deterministic simulation
#   mk/usb.mk              make usb (build/keel.img, the USB stick image), make flash DEV=...
#   mk/hw.mk               make test-hw: the hardware matrix, and its images
SHELL := /bin/bash
ROOT  := $(abspath .)
BUILD := $(ROOT)/build
KEELC := node $(ROOT)/toolchain/bin/keelc.js
# Unique to this make run (its process id): scratch directories and temporary files carry it, so
# two makes sharing build/ (two system test files, a test and a benchmark) never write into the
# same scratch space; results are renamed into place, which is atomic.
RUN_TAG := $(shell echo $$PPID)

.PHONY: all setup test test-unit test-toolchain test-sim test-system bench clean
all: iso

# Installs Debian and npm dependencies when something is missing (idempotent, fast when done).
setup: $(BUILD)/.setup-done
$(BUILD)/.setup-done: scripts/setup.sh package-lock.json
	bash scripts/setup.sh

test: setup
	npx vitest run

test-unit: setup
	npx vitest run --project unit

test-toolchain: setup
	npx vitest run --project toolchain

test-sim: setup
	npx vitest run --project sim

test-system: setup
	npx vitest run --project system

clean:
	rm -rf $(BUILD)

include mk/toolchain.mk
include mk/userland.mk
include mk/kernel.mk
include mk/bench-ipc.mk
include mk/fpu.mk
include mk/bench-linux.mk
include mk/bench-toolchain.mk
include mk/attack.mk
include mk/fuzz.mk
include mk/sim.mk
include mk/usb.mk
include mk/hw.mk
