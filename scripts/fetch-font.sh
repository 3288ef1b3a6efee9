#!/usr/bin/env bash
# Unpacks Debian's Terminus PSF2 console font (10x18; the 16-pixel Terminus is PSF1) (package console-setup-linux) into build/font/,
# where the ISO build and the PSF2 unit tests find it. Idempotent: does nothing when present.
# Prints the path of the unpacked font on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/font
font="$out/Uni2-Terminus18x10.psf"
if [ ! -s "$font" ]; then
  mkdir -p "$out/pkg"
  ( cd "$out" && ls console-setup-linux_*.deb >/dev/null 2>&1 || apt-get download console-setup-linux >&2 )
  dpkg -x "$(ls "$out"/console-setup-linux_*.deb | head -n 1)" "$out/pkg"
  gzip -dc "$out/pkg/usr/share/consolefonts/Uni2-Terminus18x10.psf.gz" > "$font.tmp"
  mv "$font.tmp" "$font"
fi
echo "$font"
