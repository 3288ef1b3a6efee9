# Linux baseline for the benchmarks: Debian's kernel and busybox with static benchmark programs,
# booted under the benchmark QEMU flags (bench/lib/qemu.ts). Figures in build/bench/linux.json;
# see bench/linux/run.ts and docs/benchmarks.md. Always measures afresh (BENCH_LINUX_ARGS=--repeat 2
# boots twice and checks the figures repeat exactly).
.PHONY: bench-linux
bench: bench-linux
bench-linux: setup
	npx tsx bench/linux/run.ts --fresh $(BENCH_LINUX_ARGS)
