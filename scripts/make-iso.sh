#!/usr/bin/env bash
# Builds a hybrid BIOS + UEFI GRUB ISO holding the kernel, its console font and a grub.cfg with
# the given kernel command line. Skips the work when the image is newer than its inputs and was
# built with the same command line.
# Usage: make-iso.sh <out.iso> <kernel command line> <keel.elf> <font.psf> [grub serial: 1|0] [video mode]
# A video mode (e.g. 1920x1080) makes GRUB set that framebuffer instead of the one the kernel's
# header asks for (1024x768): the hardware matrix tests other sizes this way.
# KEEL_MODULES="<file>:<name> ..." (mk/userland.mk sets it) adds user programs as boot modules,
# in that order, each on a `module2 /boot/<file> <name>` line after the font; the first is init.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$1 cmdline=$2 elf=$3 font=$4 grub_serial=${5:-1} video=${6:-}
modules=${KEEL_MODULES:-}
stamp="$out.cmdline"
modules_newer=0
for m in $modules; do if [ "${m%%:*}" -nt "$out" ]; then modules_newer=1; fi; done
if [ -f "$out" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$cmdline $grub_serial $video $modules" ] \
   && [ "$out" -nt "$elf" ] && [ "$out" -nt "$font" ] && [ "$out" -nt boot/grub.cfg ] \
   && [ "$out" -nt "$0" ] && [ "$modules_newer" = 0 ]; then
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/keel-iso.XXXXXX")
trap 'rm -rf "$work"' EXIT
stage=$work/root log=$work/log
mkdir -p "$stage/boot/grub" "$(dirname "$out")"
cp "$elf" "$stage/boot/keel.elf"
cp "$font" "$stage/boot/font.psf"
# '|' cannot appear in a kernel command line we generate, so it is a safe sed delimiter.
module_lines=""
for m in $modules; do
  file=${m%%:*} name=${m##*:}
  cp "$file" "$stage/boot/$(basename "$file")"
  module_lines="$module_lines\\n  module2 /boot/$(basename "$file") $name"
done
sed -e "s|@CMDLINE@|$cmdline|" -e "s|@GRUB_SERIAL@|$grub_serial|" -e "s|@VIDEO@|$video|" \
  -e "s|^\( *module2 /boot/font.psf font\)\$|\1$module_lines|" boot/grub.cfg > "$stage/boot/grub/grub.cfg"

# Only the modules the boot needs, no locales, fonts or themes: a few MB instead of ~19. The
# partition maps are all listed because the UEFI image's early config loads each of them.
parts=$(cd /usr/lib/grub/x86_64-efi && ls part_*.mod | sed 's/\.mod$//' | tr '\n' ' ')
# A per-run temporary name, then a rename: a concurrent build of the same image, or a QEMU that
# has the old one open, never sees a half-written file.
grub-mkrescue -o "$out.tmp.$$" "$stage" \
  --install-modules="multiboot2 normal configfile serial terminal echo test iso9660 all_video $parts" \
  --locales= --fonts= --themes= >"$log" 2>&1 || { cat "$log" >&2; rm -f "$out.tmp.$$"; exit 1; }
mv "$out.tmp.$$" "$out"
printf '%s' "$cmdline $grub_serial $video $modules" > "$stamp.tmp.$$" && mv "$stamp.tmp.$$" "$stamp"
echo "ISO $out ($cmdline)"
