#!/usr/bin/env bash
# The fresh-machine figures of docs/development.md: a minimal Debian 12 (debootstrap --variant=minbase bookworm, no
# compiler, no CMake, no git) in a chroot, a clone of this repository's HEAD in it, then the README's
# commands there, each timed: scripts/setup.sh, scripts/test.sh (build + the whole suite) and
# scripts/run.sh --env FetchReach --epochs 2. Needs root and network access to a Debian mirror; installs
# debootstrap on the host when it is missing. The chroot is removed at the end unless KEEP=1.
# Usage: sudo bench/fresh_debian.sh [DIR]    (DIR: where the chroot goes, default a new temporary directory)
#   env: MIRROR (http://deb.debian.org/debian), KEEP (0)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ "$(id -u)" -eq 0 ] || { echo "fresh debian: needs root (debootstrap, chroot, mounts)" >&2; exit 1; }
dir="${1:-$(mktemp -d /tmp/hindsight-fresh.XXXXXX)}"
mirror="${MIRROR:-http://deb.debian.org/debian}"
source "$root/scripts/lib.sh"
commit="$(commit_stamp "$root")"

mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; --i)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
  [ "${KEEP:-0}" = 1 ] || rm -rf --one-file-system "$dir"
}
trap cleanup EXIT
timed() {  # label command...: runs the command, prints its wall seconds, returns its status
  local start=$SECONDS rc=0
  "${@:2}" || rc=$?
  echo "fresh debian: $1 took $((SECONDS - start)) s$([ "$rc" = 0 ] || echo ", failed ($rc)")" >&2
  return "$rc"
}
installed() { chroot "$dir" dpkg-query -W -f='${db:Status-Abbrev}\n' | grep -c '^ii'; }

command -v debootstrap >/dev/null ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null
timed "debootstrap (minbase bookworm)" debootstrap --variant=minbase bookworm "$dir" "$mirror" >/dev/null
echo "fresh debian: $(installed) packages before set-up"
for m in proc sys dev dev/pts dev/shm; do
  mkdir -p "$dir/$m"
  case "$m" in proc) mount -t proc proc "$dir/proc" ;; *) mount --bind "/$m" "$dir/$m" ;; esac
  mounted+=("$dir/$m")
done
cp /etc/resolv.conf "$dir/etc/resolv.conf"
git clone -q "$root" "$dir/root/hindsight"
in_chroot() { chroot "$dir" env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin bash -c "cd /root/hindsight && $1"; }
echo "fresh debian: commit $commit, $(getconf _NPROCESSORS_ONLN) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
timed "scripts/setup.sh" in_chroot "bash scripts/setup.sh >/root/setup.log 2>&1" ||
  { tail -30 "$dir/root/setup.log"; exit 1; }
echo "fresh debian: $(installed) packages after set-up," \
  "$(grep -m1 -o 'Need to get [^ ]* [^ ]*' "$dir/root/setup.log" || echo 'download size unknown')"
timed "scripts/test.sh (build + suite)" in_chroot "bash scripts/test.sh >/root/test.log 2>&1" ||
  { tail -30 "$dir/root/test.log"; exit 1; }
grep -E "tests passed|Total Test time" "$dir/root/test.log" | sed 's/^/fresh debian:   /'
timed "scripts/run.sh --env FetchReach --epochs 2" in_chroot "bash scripts/run.sh --env FetchReach --epochs 2 >/root/run.log 2>&1" ||
  { tail -5 "$dir/root/run.log"; exit 1; }
