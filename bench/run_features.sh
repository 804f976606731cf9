#!/usr/bin/env bash
# Feature benchmark: chorus vs the torchaudio peer, same files, same run, 1 and 2 threads.
#   bench/run_features.sh [BUILD_DIR]
# Workloads: a 40-minute OGG at 48 kHz, one at 32 kHz, four 4-minute soundscapes and 50 short
# clips, all from ../shared/data. Prints each program's lines; BENCHMARKS.md records them.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shared=../shared/data
data=${CHORUS_BENCH_DATA:-$build/bench-data}
"$build/bench/chorus_bench_make_recordings" "$shared" "$data"
# 50 short clips: the first of each ESC-50 class.
clips=()
for dir in "$shared"/esc50_dev/train_audio/*/; do
  first=("$dir"*.ogg)
  clips+=("${first[0]}")
done

# The peer at its best: OpenBLAS (Debian's libblas.so.3 alternative) and tcmalloc.
tcmalloc=$(ls /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 2>/dev/null || true)
peer() { LD_PRELOAD="$tcmalloc" /usr/bin/python3 bench/peers/torchaudio_features.py "$@"; }
ours() { "$build/bench/chorus_bench_features" "$@"; }

for threads in 1 2; do
  for workload in long_48k long_32k soundscapes clips; do
    case $workload in
      long_48k) files="$data/long_48k.ogg" ;;
      long_32k) files="$data/long_32k.ogg" ;;
      soundscapes) files=$(ls "$data"/soundscape_4min_*.ogg) ;;
      clips) files="${clips[*]}" ;;
    esac
    # shellcheck disable=SC2086
    echo "== $workload threads=$threads chorus: $(ours --threads $threads --repeat 3 $files | tail -1)"
    # shellcheck disable=SC2086
    echo "== $workload threads=$threads peer:   $(peer --threads $threads --repeat 3 $files | tail -1)"
  done
done
