#!/bin/sh
# PID 1 of the Linux baseline guest: runs the benchmark programs, prints their BENCH lines on the
# serial console, then powers the machine off. The kernel passes unknown key=value parameters of
# its command line to init as environment variables: keelbench="getpid pipe" selects programs and
# keeliters=N overrides every program's iteration count (quick checks only).
export PATH=/bin
mount -t proc proc /proc
mount -t devtmpfs dev /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1

echo "BENCH-BEGIN kernel=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo)"
for prog in ${keelbench:-getpid pipe eventfd spawn}; do
  if [ -x "/bench/$prog" ]; then
    "/bench/$prog" $keeliters || echo "BENCH-FAIL $prog status=$?"
  else
    echo "BENCH-FAIL $prog not in the initramfs"
  fi
done
echo "BENCH-END"
poweroff -f
