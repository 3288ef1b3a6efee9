#!/usr/bin/env bash
# Writes the Keel USB image to a USB stick, refusing every device that could be the wrong disk.
#
# Usage: flash-usb.sh [options] [DEVICE [IMAGE]]
#   without DEVICE   list the removable USB disks that would be accepted, and exit
#   IMAGE            default build/keel.img (make usb)
#   --max-size SIZE  refuse devices larger than SIZE (bytes, or with K/M/G/T; default 128G)
#   --yes            do not ask for the device's name to be typed (only when given explicitly)
#   --allow-loop     accept a loop device (for tests; its USB and removable checks are skipped)
#   -h, --help
#
# Every check runs before anything is written: the device is a whole disk (not a partition),
# nothing on it is mounted (nor is it the disk holding /, nor swap), it is a removable or
# hot-plugged USB disk by lsblk and by sysfs, it is not larger than --max-size, not a loop device
# (unless --allow-loop), not read-only, the image exists and fits. Then it shows model, size and
# serial, asks for the device's name on standard input, writes with a progress bar, syncs, reads
# the written range back and compares SHA-256 checksums.
#
# Exit status: 0 written and verified (or the list printed), 1 refused or cancelled, 2 usage,
# 3 the read-back differs from the image, 4 the write failed.
#
# For tests, what the tool asks the system comes from overridable places:
#   KEEL_FLASH_LSBLK        lsblk command (default lsblk)
#   KEEL_FLASH_SYSFS        sysfs root (default /sys)
#   KEEL_FLASH_MOUNTS       mount table (default /proc/mounts)
#   KEEL_FLASH_SWAPS        swap table (default /proc/swaps)
#   KEEL_FLASH_DEV_DIR      where the listing finds the disks lsblk names (default /dev)
#   KEEL_FLASH_DEVICE_FILE  1: accept a regular file as DEVICE (a stand-in for a faked disk)
#   KEEL_FLASH_AFTER_WRITE  command run with the device path between the sync and the read-back
#                           (lets a test corrupt what was written)
set -uo pipefail

LSBLK=${KEEL_FLASH_LSBLK:-lsblk}
SYSFS=${KEEL_FLASH_SYSFS:-/sys}
MOUNTS=${KEEL_FLASH_MOUNTS:-/proc/mounts}
SWAPS=${KEEL_FLASH_SWAPS:-/proc/swaps}
DEV_DIR=${KEEL_FLASH_DEV_DIR:-/dev}
DEVICE_FILE=${KEEL_FLASH_DEVICE_FILE:-0}
AFTER_WRITE=${KEEL_FLASH_AFTER_WRITE:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

max_size=$((128 * 1024 * 1024 * 1024)) yes=0 allow_loop=0 dev="" image=""

usage() { sed -n '4,11p' "$0" | sed 's/^# \{0,1\}//'; }
refuse() { echo "flash-usb: refused: $*" >&2; exit 1; }
die_usage() { echo "flash-usb: $*" >&2; usage >&2; exit 2; }

# SIZE with an optional K/M/G/T suffix (powers of 1024) -> bytes.
parse_size() {
  local s=${1^^} n mult=1
  s=${s%B}; s=${s%I}
  case "$s" in
    *K) mult=1024; n=${s%K} ;;
    *M) mult=$((1024 ** 2)); n=${s%M} ;;
    *G) mult=$((1024 ** 3)); n=${s%G} ;;
    *T) mult=$((1024 ** 4)); n=${s%T} ;;
    *) n=$s ;;
  esac
  [[ "$n" =~ ^[0-9]+$ ]] || return 1
  echo $((n * mult))
}

human() { # bytes -> "14.9 GiB"
  awk -v b="$1" 'BEGIN { split("B KiB MiB GiB TiB", u, " "); i = 1; while (b >= 1024 && i < 5) { b /= 1024; i++ }
    printf (i == 1 ? "%d %s" : "%.1f %s"), b, u[i] }'
}

while [ $# -gt 0 ]; do
  case "$1" in
    --max-size) [ $# -ge 2 ] || die_usage "--max-size needs a size"
                max_size=$(parse_size "$2") || die_usage "--max-size: not a size: $2"; shift ;;
    --max-size=*) max_size=$(parse_size "${1#*=}") || die_usage "--max-size: not a size: ${1#*=}" ;;
    --yes) yes=1 ;;
    --allow-loop) allow_loop=1 ;;
    -h | --help) usage; exit 0 ;;
    -*) die_usage "unknown option $1" ;;
    *) if [ -z "$dev" ]; then dev=$1; elif [ -z "$image" ]; then image=$1; else die_usage "too many arguments"; fi ;;
  esac
  shift
done

# One lsblk row of a device as shell variables (NAME TYPE SIZE RM HOTPLUG TRAN MODEL SERIAL RO
# PKNAME); -P quotes every value, so eval sees only assignments.
lsblk_row() {
  local out
  out=$($LSBLK -dnbPo NAME,TYPE,SIZE,RM,HOTPLUG,TRAN,MODEL,SERIAL,RO,PKNAME "$1" 2>/dev/null) || return 1
  [ -n "$out" ] || return 1
  NAME="" TYPE="" SIZE=0 RM=0 HOTPLUG=0 TRAN="" MODEL="" SERIAL="" RO=0 PKNAME=""
  eval "$(printf '%s\n' "$out" | head -n 1 | grep -oE '[A-Z]+="[^"$`\\]*"')"
}

# The device's sysfs directory's resolved path contains a usb bus when the disk hangs off USB.
sysfs_usb() { readlink -f "$SYSFS/block/$1/device" 2>/dev/null | grep -q '/usb[0-9]*/'; }
sysfs_removable() { [ "$(cat "$SYSFS/block/$1/removable" 2>/dev/null)" = 1 ]; }

# Every mount point of the device and of everything below it (partitions, LVM, dm-crypt), from
# lsblk and from the mount and swap tables.
mounts_of() {
  local d=$1
  $LSBLK -nrpo NAME,MOUNTPOINT "$d" 2>/dev/null | awk 'NF >= 2 { print $1 " " $2 }'
  local names
  names=$($LSBLK -nrpo NAME "$d" 2>/dev/null)
  for n in $names; do
    awk -v n="$n" '$1 == n { print $1 " " $2 }' "$MOUNTS" 2>/dev/null
    awk -v n="$n" 'NR > 1 && $1 == n { print $1 " [SWAP]" }' "$SWAPS" 2>/dev/null
  done
}

# Prints nothing and succeeds when `dev` passes every device check; otherwise prints the one
# reason and fails. Sets NAME, SIZE, MODEL, SERIAL for the caller.
device_problem() {
  local d=$1
  if [ ! -e "$d" ]; then echo "$d does not exist"; return 1; fi
  if [ ! -b "$d" ] && ! { [ "$DEVICE_FILE" = 1 ] && [ -f "$d" ]; }; then echo "$d is not a block device"; return 1; fi
  if ! lsblk_row "$d"; then echo "lsblk knows nothing about $d"; return 1; fi
  case "$TYPE" in
    part) echo "$d is a partition, not a whole disk${PKNAME:+ (the disk is /dev/$PKNAME)}"; return 1 ;;
    loop) if [ "$allow_loop" != 1 ]; then echo "$d is a loop device (--allow-loop accepts one)"; return 1; fi ;;
    disk) ;;
    *) echo "$d is a $TYPE device, not a disk"; return 1 ;;
  esac
  local m
  m=$(mounts_of "$d" | sort -u)
  if printf '%s\n' "$m" | awk '$2 == "/" { f = 1 } END { exit !f }'; then
    echo "$d holds the root file system /"; return 1
  fi
  if [ -n "$m" ]; then
    echo "$d has mounted file systems: $(printf '%s\n' "$m" | awk '{ printf "%s%s on %s", s, $1, $2; s = ", " }') (unmount them first)"
    return 1
  fi
  if [ "$TYPE" != loop ]; then
    if [ "$TRAN" != usb ]; then echo "$d is not a USB disk (transport: ${TRAN:-none})"; return 1; fi
    if [ "$RM" != 1 ] && [ "$HOTPLUG" != 1 ]; then echo "$d is not removable (lsblk RM=0, HOTPLUG=0)"; return 1; fi
    if ! sysfs_usb "$NAME"; then echo "$d is not on a USB bus according to $SYSFS/block/$NAME/device"; return 1; fi
    if [ "$RM" != 1 ] && ! sysfs_removable "$NAME" && [ "$HOTPLUG" != 1 ]; then
      echo "$d is not removable according to $SYSFS/block/$NAME/removable"; return 1
    fi
  fi
  if [ "$RO" = 1 ]; then echo "$d is read-only (a write-protect switch?)"; return 1; fi
  if [ "$SIZE" -gt "$max_size" ]; then
    echo "$d is $(human "$SIZE"), larger than the limit of $(human "$max_size") (--max-size raises it)"; return 1
  fi
  return 0
}

# Without a device: the disks that would be accepted.
if [ -z "$dev" ]; then
  found=0
  for n in $($LSBLK -dnro NAME 2>/dev/null); do
    d=$DEV_DIR/$n
    if ! lsblk_row "$d" || [ "$TYPE" != disk ] || [ "$TRAN" != usb ]; then continue; fi
    if device_problem "$d" >/dev/null; then
      [ $found = 0 ] && echo "Removable USB disks that can be written (make flash DEV=<device>):"
      printf '  %-12s %-28s %10s  serial %s\n' "$d" "${MODEL:-unknown model}" "$(human "$SIZE")" "${SERIAL:-none}"
      found=$((found + 1))
    fi
  done
  [ $found = 0 ] && echo "No removable USB disk found that could be written (is the stick plugged in, and unmounted?)."
  exit 0
fi

image=${image:-$ROOT/build/keel.img}
if [ ! -f "$image" ]; then refuse "image $image not found (make usb builds it)"; fi
if [ ! -r "$image" ]; then refuse "image $image is not readable"; fi
image_size=$(stat -c %s "$image")
if [ "$image_size" -eq 0 ]; then refuse "image $image is empty"; fi

problem=$(device_problem "$dev") || refuse "$problem"
lsblk_row "$dev" # device_problem ran in a subshell: its NAME, SIZE, MODEL, SERIAL stayed there
if [ "$image_size" -gt "$SIZE" ]; then refuse "the image ($(human "$image_size")) does not fit on $dev ($(human "$SIZE"))"; fi
if [ ! -w "$dev" ]; then refuse "no permission to write $dev (run as root, e.g. with sudo)"; fi

echo "Device:  $dev"
echo "  model  ${MODEL:-unknown}"
echo "  size   $(human "$SIZE") ($SIZE bytes)"
echo "  serial ${SERIAL:-none}"
echo "Image:   $image ($(human "$image_size"))"
echo "Everything on $dev will be lost."
if [ "$yes" != 1 ]; then
  name=${dev##*/}
  printf 'Type %s to write the image to it, anything else cancels: ' "$name"
  answer=""
  IFS= read -r answer || true
  echo
  if [ "$answer" != "$name" ] && [ "$answer" != "$dev" ]; then echo "flash-usb: cancelled, nothing written" >&2; exit 1; fi
fi

# Written in chunks so that progress can be shown; conv=fsync flushes each chunk to the device.
chunk=$((4 * 1024 * 1024))
chunks=$(((image_size + chunk - 1) / chunk))
bar() {
  local done=$1 width=40 pct filled
  pct=$((done * 100 / image_size)); filled=$((done * width / image_size))
  printf '\rwriting [%s%s] %3d%% %s / %s' "$(printf '%*s' "$filled" '' | tr ' ' '#')" \
    "$(printf '%*s' $((width - filled)) '' | tr ' ' '.')" "$pct" "$(human "$done")" "$(human "$image_size")"
}
for ((i = 0; i < chunks; i++)); do
  bar $((i * chunk))
  if ! dd if="$image" of="$dev" bs="$chunk" skip="$i" seek="$i" count=1 conv=notrunc,fsync iflag=fullblock status=none; then
    echo; echo "flash-usb: write to $dev failed at $(human $((i * chunk))); the stick is incomplete" >&2; exit 4
  fi
done
bar "$image_size"; echo
sync
if [ -b "$dev" ]; then blockdev --flushbufs "$dev" 2>/dev/null || true; fi
if [ -n "$AFTER_WRITE" ]; then $AFTER_WRITE "$dev"; fi

echo "verifying: reading back $(human "$image_size") ..."
want=$(sha256sum < "$image" | cut -d' ' -f1)
# Read past the page cache where the device allows it, so that the stick's own contents are read.
if [ -b "$dev" ]; then
  got=$(dd if="$dev" bs="$chunk" count="$chunks" iflag=direct status=none 2>/dev/null | head -c "$image_size" | sha256sum | cut -d' ' -f1)
else
  got=$(head -c "$image_size" "$dev" | sha256sum | cut -d' ' -f1)
fi
if [ "$got" != "$want" ]; then
  echo "flash-usb: verification FAILED: $dev reads back sha256 $got, the image is $want; do not boot from it (try again, or another stick)" >&2
  exit 3
fi
echo "verified: $dev holds the image (sha256 $want)"
cat <<EOF
Done. Remove the stick, plug it into the PC to boot and pick it in the firmware's boot menu
(often F12, F11, F10, F8 or Esc at power-on; on a Mac hold Option). It boots under UEFI and under
legacy BIOS; with Secure Boot on, the firmware refuses it (turn Secure Boot off). The kernel's log
appears on the screen and on the first serial port. See docs/hardware.md.
EOF
