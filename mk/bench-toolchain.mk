# Toolchain benchmarks: keelc compile time and run time against hand-written C and Node.
# Figures only (build/bench/toolchain.json); see bench/toolchain/run.ts.
.PHONY: bench-toolchain
bench: bench-toolchain
bench-toolchain: setup
	npx tsx bench/toolchain/run.ts
