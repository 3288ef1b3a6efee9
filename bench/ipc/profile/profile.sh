#!/bin/sh
# Instruction-level profile of one IPC round trip (docs/benchmarks.md, "Profiling a round trip").
#
#   bench/ipc/profile/profile.sh [iso] [syscall-number]
#
# Boots the IPC benchmark image under the benchmark's QEMU flags with the gdb stub, single-steps
# one warm round trip (trace.py) and attributes each instruction to its function (attribute.ts).
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
iso=${1:-$root/build/iso/bench-ipc.iso}
number=${2:-60}
build=${BUILD:-$root/build}
out=$build/bench/profile
mkdir -p "$out"
port=$(( 20000 + $$ % 10000 ))
qemu-system-x86_64 -accel tcg -icount shift=0,sleep=off -smp 1 -cpu max -m 256M -seed 1 \
  -rtc base=2024-01-01T00:00:00,clock=vm -serial file:"$out/serial.log" -display none -no-reboot \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 -drive file="$iso",format=raw,media=cdrom,readonly=on \
  -boot d -gdb tcp:127.0.0.1:$port -S &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT
PROFILE_PORT=$port PROFILE_OUT=$out/trace-$number.txt PROFILE_SYSCALL=$number \
  timeout 600 gdb -q -batch -nx -ex "file $build/keel.elf" -x "$root/bench/ipc/profile/trace.py" >/dev/null 2>&1 || true
npx tsx "$root/bench/ipc/profile/attribute.ts" "$out/trace-$number.txt" "$build/keel.elf" "$build/user/bench-ipc/bench-ipc.elf"
