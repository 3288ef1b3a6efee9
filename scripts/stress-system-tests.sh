#!/usr/bin/env bash
# Boots a test ISO many times under artificial CPU load and reports every run that did not pass,
# to shake out timing-dependent failures of the in-kernel suites before CI finds them.
# A developer tool, not part of `make test`.
#
# Usage: stress-system-tests.sh [options]
#   -n RUNS       boots in all (default 20)
#   -j JOBS       boots at a time (default 2)
#   -l LOAD       busy loops running beside the boots (default 2)
#   -u EVERY      every EVERY-th boot uses UEFI (OVMF) instead of BIOS (default 4; 0: never)
#   -i ISO        the image to boot (default build/iso/test.iso, built with make iso-tests)
#   -t SECONDS    QEMU timeout of one boot (default 300)
#   -o DIR        where the serial logs go (default build/stress/<date-time>)
#   -B            do not run make iso-tests first
#
# A run passes when QEMU exits with status 33 and the log has `TEST RESULT n passed, 0 failed`.
# The summary lists each failing run with its `TEST FAIL` lines, then how often each test failed.
# Exit status: 0 when every run passed, 1 otherwise.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
runs=20 jobs=2 load=2 uefi_every=4 iso="$ROOT/build/iso/test.iso" timeout_s=300 out="" build=1
while getopts "n:j:l:u:i:t:o:Bh" opt; do
  case $opt in
    n) runs=$OPTARG ;;
    j) jobs=$OPTARG ;;
    l) load=$OPTARG ;;
    u) uefi_every=$OPTARG ;;
    i) iso=$OPTARG ;;
    t) timeout_s=$OPTARG ;;
    o) out=$OPTARG ;;
    B) build=0 ;;
    h) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) exit 2 ;;
  esac
done
for v in "$runs" "$jobs" "$load" "$uefi_every" "$timeout_s"; do
  [[ $v =~ ^[0-9]+$ ]] || { echo "stress-system-tests.sh: $v is not a number" >&2; exit 2; }
done
[ "$jobs" -ge 1 ] || jobs=1
out=${out:-$ROOT/build/stress/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"

if [ "$build" = 1 ]; then
  make -C "$ROOT" --no-print-directory iso-tests >"$out/make.log" 2>&1 || { echo "make iso-tests failed, see $out/make.log" >&2; exit 2; }
fi
[ -f "$iso" ] || { echo "stress-system-tests.sh: $iso not found (make iso-tests)" >&2; exit 2; }

# The load: busy loops that compete with QEMU for the CPUs, like other jobs on a CI machine.
loaders=()
stop_load() {
  for p in "${loaders[@]}"; do kill "$p" 2>/dev/null; done
  loaders=()
}
# Interrupted: the boots go too (each is a process group of its own, see boot below).
stop_boots() {
  for p in $(jobs -p); do kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null; done
}
trap 'stop_load; stop_boots; exit 130' INT TERM
trap stop_load EXIT
for ((k = 0; k < load; k++)); do
  (while :; do :; done) &
  loaders+=($!)
done

# One boot: writes <n>-<firmware>.log with the status on its first line.
boot() {
  local n=$1 firmware=$2 flags=()
  [ "$firmware" = uefi ] && flags=(--uefi)
  local log="$out/$n-$firmware.log" start end status=0
  start=$(date +%s)
  bash "$ROOT/scripts/run-qemu.sh" --headless --timeout "$timeout_s" "${flags[@]}" "$iso" >"$log.serial" 2>"$log.err" || status=$?
  end=$(date +%s)
  { echo "status $status seconds $((end - start))"; tr -d '\r' <"$log.serial"; } >"$log"
  rm -f "$log.serial"
  [ -s "$log.err" ] || rm -f "$log.err"
}

echo "stress: $runs boots of $(basename "$iso"), $jobs at a time, $load busy loops, UEFI every ${uefi_every:-0}; logs in $out"
started=$(date +%s)
running=0
for ((n = 1; n <= runs; n++)); do
  firmware=bios
  [ "$uefi_every" -gt 0 ] && [ $((n % uefi_every)) -eq 0 ] && firmware=uefi
  set -m
  boot "$n" "$firmware" &
  set +m
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait_all() { while [ "$running" -gt 0 ]; do wait -n; running=$((running - 1)); done; }
wait_all
stop_load

failed=0
declare -A fails=()
for log in "$out"/*-bios.log "$out"/*-uefi.log; do
  [ -f "$log" ] || continue
  status=$(sed -n '1s/^status \([0-9]*\).*/\1/p' "$log")
  secs=$(sed -n '1s/.* seconds \([0-9]*\)$/\1/p' "$log")
  if [ "$status" = 33 ] && grep -q '^TEST RESULT [0-9]* passed, 0 failed' "$log"; then
    continue
  fi
  failed=$((failed + 1))
  echo "FAILED $(basename "$log" .log): status $status after ${secs}s"
  result=$(grep -m1 '^TEST RESULT' "$log" || echo "no TEST RESULT line")
  echo "  $result"
  if grep -q '^PANIC' "$log"; then grep -m1 '^PANIC' "$log" | sed 's/^/  /'; fi
  while IFS= read -r line; do
    echo "  $line"
    name=${line#TEST FAIL }
    name=${name%%:*}
    fails[$name]=$((${fails[$name]:-0} + 1))
  done < <(grep '^TEST FAIL' "$log")
done
echo "stress: $((runs - failed)) of $runs boots passed in $(($(date +%s) - started)) s"
for name in "${!fails[@]}"; do echo "  ${fails[$name]}x $name"; done
[ "$failed" -eq 0 ]
