#!/usr/bin/env bash
# Unpacks Debian's Terminus console font in PSF2 form (10x18; the 16-pixel Terminus is PSF1) from
# the console-setup-linux package into build/font/, where the PSF2 unit tests find it.
# Idempotent: does nothing when the font is already there.
# Prints the path of the unpacked font on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/font
font="$out/Uni2-Terminus18x10.psf"
mkdir -p "$out"
# Test files run in parallel and may all ask at once: one unpacks, the others wait.
exec 9>"$out/.fetch-font.lock"
flock 9
if [ ! -s "$font" ]; then
  mkdir -p "$out/pkg"
  ( cd "$out" && ls console-setup-linux_*.deb >/dev/null 2>&1 || apt-get download console-setup-linux >&2 )
  dpkg -x "$(ls "$out"/console-setup-linux_*.deb | head -n 1)" "$out/pkg"
  gzip -dc "$out/pkg/usr/share/consolefonts/Uni2-Terminus18x10.psf.gz" > "$font.tmp.$$"
  mv "$font.tmp.$$" "$font"
fi
echo "$font"
