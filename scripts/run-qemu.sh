#!/usr/bin/env bash
# Boots a Keel ISO in QEMU with the serial port on stdout and the isa-debug-exit device, so the
# kernel can end the run with a status of its own: QEMU exits with (code << 1) | 1.
#
# Usage: run-qemu.sh [--uefi] [--usb] [--machine M] [--memory SIZE] [--no-serial] [--headless] [--bench]
#                    [--run] [--timeout SECONDS] <keel.iso|keel.img> [-- qemu args]
#   --uefi      OVMF firmware, on the q35 machine unless --machine says otherwise (default: BIOS,
#               SeaBIOS on pc, i440fx)
#   --usb       the image is a USB stick on an xHCI controller (as build/keel.img is written to
#               one), the first boot device; otherwise a CD-ROM
#   --machine   QEMU machine and its properties, e.g. q35 or pc,hpet=off
#   --memory    guest RAM (default 256M)
#   --no-serial no serial port at all (-serial none); the kernel must then be heard some other way,
#               e.g. keel.debugcon=1 and `-- -debugcon stdio`
#   --headless  no display (default: a window, or none when no display is available)
#   --bench     deterministic virtual time: -icount shift=0,sleep=off (TCG only)
#   --run       interactive run (make run): closing the window, the kernel's "passed" exit and the
#               timeout all count as success; without a display the run lasts 30 s (TIMEOUT=...)
#   ACCEL=kvm   use KVM instead of TCG (nested KVM is slower here, see DESIGN.md)
#   TIMEOUT     seconds before QEMU is killed (default 120; status 124 when that happens)
set -euo pipefail

uefi=0 usb=0 machine="" memory=256M serial=stdio headless=0 bench=0 run=0 iso="" timeout_s=${TIMEOUT:-120}
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --uefi) uefi=1 ;;
    --usb) usb=1 ;;
    --machine) machine=$2; shift ;;
    --memory) memory=$2; shift ;;
    --no-serial) serial=none ;;
    --headless) headless=1 ;;
    --bench) bench=1 ;;
    --run) run=1; timeout_s=${TIMEOUT:-3600} ;;
    --timeout) timeout_s=$2; shift ;;
    --) shift; extra=("$@"); break ;;
    -*) echo "run-qemu.sh: unknown option $1" >&2; exit 2 ;;
    *) iso=$1 ;;
  esac
  shift
done
[ -n "$iso" ] || { echo "usage: run-qemu.sh [--uefi] [--headless] [--bench] <keel.iso>" >&2; exit 2; }
[ -f "$iso" ] || { echo "run-qemu.sh: $iso not found (make iso)" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null || { echo "run-qemu.sh: qemu-system-x86_64 is not installed (make setup)" >&2; exit 2; }

accel=${ACCEL:-tcg}
args=(-accel "$accel" -cpu max -m "$memory" -serial "$serial" -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [ "$usb" = 1 ]; then
  # Read-only: several boots may share the image; the stick reports itself write-protected.
  args+=(-device qemu-xhci -drive "if=none,id=stick,format=raw,readonly=on,file=$iso"
         -device usb-storage,drive=stick,bootindex=0)
else
  args+=(-drive "file=$iso,format=raw,media=cdrom,readonly=on" -boot d)
fi
[ "$uefi" = 1 ] && machine=${machine:-q35}
[ -z "$machine" ] || args+=(-machine "$machine")

if [ "$bench" = 1 ]; then
  args+=(-icount shift=0,sleep=off)
fi

tmp=""
if [ "$uefi" = 1 ]; then
  code=/usr/share/OVMF/OVMF_CODE_4M.fd vars=/usr/share/OVMF/OVMF_VARS_4M.fd
  [ -f "$code" ] || { echo "run-qemu.sh: $code not found (package ovmf)" >&2; exit 2; }
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/keel-ovmf.XXXXXX")
  cp "$vars" "$tmp/vars.fd"
  args+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$code"
         -drive "if=pflash,format=raw,unit=1,file=$tmp/vars.fd")
fi
cleanup() { [ -z "$tmp" ] || rm -rf "$tmp"; }
trap cleanup EXIT

if [ "$headless" = 1 ]; then
  args+=(-display none)
elif [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  [ "$run" = 1 ] && timeout_s=${TIMEOUT:-30}
  echo "run-qemu.sh: no display available; running without a window for ${timeout_s} s (serial log below)" >&2
  args+=(-display none)
fi

status=0
timeout --foreground -k 5 "$timeout_s" qemu-system-x86_64 "${args[@]}" "${extra[@]}" || status=$?
if [ "$run" = 1 ]; then
  case $status in
    0 | 33) status=0 ;;
    124) echo "run-qemu.sh: stopped after ${timeout_s} s" >&2; status=0 ;;
    *) echo "run-qemu.sh: QEMU exited with status $status" >&2 ;;
  esac
fi
exit $status
