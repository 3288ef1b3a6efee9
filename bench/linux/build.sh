#!/usr/bin/env bash
# Builds the Linux baseline guest in build/linux (idempotent, quick when nothing changed):
#   vmlinuz          Debian's kernel (the package linux-image-amd64 depends on), unpacked, not installed
#   busybox          Debian's busybox-static
#   bin/*            the benchmark programs (bench/linux/*.c), static
#   initramfs.cpio.gz  busybox, the programs and /init (bench/linux/init.sh), cpio newc
# LINUX_IMAGE_PKG=linux-image-6.1.0-NN-amd64 pins a kernel package instead of following the
# metapackage. Concurrent runs are serialised with a lock.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
src=$root/bench/linux
out=${BUILD:-$root/build}/linux
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9

# --- Debian packages: downloaded with apt-get download, unpacked with dpkg -x. ---
# download PKG: the path of PKG's .deb in build/linux/deb, downloaded once.
download() {
  local pkg=$1 deb
  mkdir -p "$out/deb"
  deb=$(ls "$out/deb/${pkg}_"*.deb 2>/dev/null | head -n1 || true)
  if [ -z "$deb" ]; then
    echo "bench-linux: apt-get download $pkg" >&2
    # apt may warn that it cannot drop privileges to write here; the download is still complete.
    (cd "$out/deb" && apt-get download -q "$pkg" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true)
    deb=$(ls "$out/deb/${pkg}_"*.deb 2>/dev/null | head -n1 || true)
    [ -n "$deb" ] || { echo "bench-linux: could not download $pkg (apt-get update?)" >&2; exit 1; }
  fi
  echo "$deb"
}

kernel_pkg() {
  if [ -n "${LINUX_IMAGE_PKG:-}" ]; then echo "$LINUX_IMAGE_PKG"; return; fi
  local p
  p=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
  if [ -z "$p" ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "bench-linux: apt-get update (linux-image-amd64 unknown to apt)" >&2
    $SUDO apt-get update -qq
    p=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
  fi
  [ -n "$p" ] || { echo "bench-linux: cannot resolve linux-image-amd64" >&2; exit 1; }
  echo "$p"
}

if [ ! -s "$out/vmlinuz" ]; then
  pkg=$(kernel_pkg)
  deb=$(download "$pkg")
  # Only the kernel image: dpkg -x would also unpack some 400 MB of modules the guest never loads.
  rm -rf "$out/pkg" && mkdir -p "$out/pkg"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$out/pkg" --wildcards './boot/vmlinuz-*'
  cp "$out/pkg/boot/vmlinuz-"* "$out/vmlinuz.tmp"
  echo "$pkg" >"$out/kernel-package"
  mv "$out/vmlinuz.tmp" "$out/vmlinuz"
  rm -rf "$out/pkg"
fi
if [ ! -s "$out/busybox" ]; then
  deb=$(download busybox-static)
  rm -rf "$out/pkg" && mkdir -p "$out/pkg"
  dpkg -x "$deb" "$out/pkg"
  cp "$out/pkg/bin/busybox" "$out/busybox.tmp"
  mv "$out/busybox.tmp" "$out/busybox"
  rm -rf "$out/pkg"
fi

# --- Benchmark programs. ---
mkdir -p "$out/bin"
cflags=(-static -O2 -Wall -Wextra -Werror)
for c in "$src"/*.c; do
  name=$(basename "$c" .c)
  bin=$out/bin/$name
  if [ ! -x "$bin" ] || [ "$c" -nt "$bin" ] || [ "$src/bench.h" -nt "$bin" ]; then
    echo "bench-linux: cc $name" >&2
    if [ "$name" = exit0 ]; then
      gcc "${cflags[@]}" -nostdlib -o "$bin" "$c"
    else
      gcc "${cflags[@]}" -o "$bin" "$c"
    fi
  fi
done

# --- initramfs, rebuilt when any of its inputs is newer. ---
cpio_gz=$out/initramfs.cpio.gz
stale=0
[ -s "$cpio_gz" ] || stale=1
for f in "$src/init.sh" "$src/build.sh" "$out/busybox" "$out"/bin/*; do
  [ "$f" -nt "$cpio_gz" ] && stale=1
done
if [ "$stale" = 1 ]; then
  echo "bench-linux: initramfs" >&2
  stage=$out/initramfs
  rm -rf "$stage"
  mkdir -p "$stage"/{bin,bench,dev,proc}
  cp "$out/busybox" "$stage/bin/busybox"
  for applet in sh mount poweroff uname grep cat echo; do ln -s busybox "$stage/bin/$applet"; done
  cp "$out"/bin/* "$stage/bench/"
  install -m 0755 "$src/init.sh" "$stage/init"
  # Fixed times and owners, sorted names: the same inputs give the same archive.
  find "$stage" -exec touch -h -d @0 {} +
  (cd "$stage" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
     cpio -o -H newc -0 -R 0:0 --reproducible --quiet) | gzip -9n >"$cpio_gz.tmp"
  mv "$cpio_gz.tmp" "$cpio_gz"
fi
echo "$out"
