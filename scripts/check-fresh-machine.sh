#!/usr/bin/env bash
# Proves the README's promise: on a fresh Debian 12 machine, `make test` and then `make demo` do
# all the set-up themselves (and `make lint`, which CI also runs, finds its tool). Builds a clean Debian 12 root with mmdebstrap (the "important"
# variant, as a minimal install has, plus `make`), copies a clean clone of this project's
# commit and ../shared beside it, and inside a chroot runs exactly those two commands, printing
# each step's time. Too slow for every CI run (packages, a cold build, the suite, the demo): run
# it before resolving anything that changes dependencies. Needs root and the package registry.
#
# usage: scripts/check-fresh-machine.sh [--rev REV] [--ccache DIR] [--keep] [--log FILE]
#   --rev REV     check this commit instead of HEAD (e.g. an older one, to see the check fail)
#   --ccache DIR  share a compiler cache with the chroot. A cache cannot hide a missing package
#                 (a missing header fails preprocessing before any lookup; a missing library fails
#                 the link), so the check stays sound and the build takes minutes instead of an hour.
#   --keep        leave the root in place afterwards (its path is printed)
#   --log FILE    the chroot's full output (default: a file beside the root, printed at the end)
set -euo pipefail

rev=HEAD
ccache_dir=""
keep=0
log=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rev) rev="$2"; shift 2 ;;
    --ccache) ccache_dir="$(realpath "$2")"; shift 2 ;;
    --keep) keep=1; shift ;;
    --log) log="$(realpath -m "$2")"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check-fresh-machine: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

[ "$(id -u)" -eq 0 ] || { echo "check-fresh-machine: must run as root (mmdebstrap, chroot, mounts)" >&2; exit 2; }
project="$(cd "$(dirname "$0")/.." && pwd)"
shared="$(realpath -m "$project/../shared")"
[ -d "$shared/data" ] || { echo "check-fresh-machine: $shared/data not found (../shared beside the checkout)" >&2; exit 2; }
commit="$(git -C "$project" rev-parse --verify "$rev^{commit}")"
if ! command -v mmdebstrap >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap
fi

root="$(mktemp -d /var/tmp/chorus-fresh.XXXXXX)"
[ -n "$log" ] || log="$root.log"
: > "$log"
mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -R -l "${mounted[i]}" 2>/dev/null || true; done
  if [ "$keep" -eq 0 ]; then rm -rf --one-file-system "$root"; else echo "root kept: $root"; fi
}
trap cleanup EXIT

elapsed() { local s=$(( $2 - $1 )); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
step_start=0
step() { step_start=$(date +%s); printf '%-44s' "$1"; }
step_done() { echo "ok    $(elapsed "$step_start" "$(date +%s)")"; }
step_failed() {
  echo "FAIL  $(elapsed "$step_start" "$(date +%s)")"
  echo "--- last lines of $log ---"
  tail -n 40 "$log"
  exit 1
}

echo "check-fresh-machine: commit $(git -C "$project" log -1 --format='%h %s' "$commit" | cut -c1-72)"
echo "check-fresh-machine: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"

step "1. clean Debian 12 root (mmdebstrap)"
mmdebstrap --variant=important --include=make bookworm "$root" >>"$log" 2>&1 || step_failed
step_done

step "2. clean clone + ../shared"
mkdir -p "$root/srv"
git clone --quiet --no-hardlinks "$project" "$root/srv/chorus" >>"$log" 2>&1 || step_failed
git -C "$root/srv/chorus" checkout --quiet --detach "$commit" >>"$log" 2>&1 || step_failed
cp -a "$shared" "$root/srv/shared"
step_done

cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"; mounted+=("$root/proc")
mount -t sysfs sys "$root/sys"; mounted+=("$root/sys")
mount --rbind /dev "$root/dev"; mounted+=("$root/dev")
environment=(HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TERM=dumb)
if [ -n "$ccache_dir" ]; then
  mkdir -p "$ccache_dir" "$root/var/cache/chorus-ccache"
  mount --bind "$ccache_dir" "$root/var/cache/chorus-ccache"; mounted+=("$root/var/cache/chorus-ccache")
  environment+=(CCACHE_DIR=/var/cache/chorus-ccache)
fi

in_chroot() { chroot "$root" /usr/bin/env -i "${environment[@]}" bash -c "cd /srv/chorus && $1" >>"$log" 2>&1; }

step "3. make test (install-deps, build, suite)"
in_chroot "make test" || step_failed
step_done
grep -E '^[0-9]+% tests passed|Total Test time' "$log" | tail -n 2 | sed 's/^/   /'

step "4. make demo"
in_chroot "make demo" || step_failed
step_done
grep -E '^macro ROC-AUC' "$log" | tail -n 1 | sed 's/^/   /'

step "5. make lint (what .ci/run checks first)"
in_chroot "make lint" || step_failed
step_done

echo "check-fresh-machine: passed (full output: $log)"
