#!/usr/bin/env bash
# Feature-cache benchmark: `chorus prepare` vs the Python peer (bench/peers/torchaudio_prepare.py)
# on the datasets of ../shared/data, 1 and 2 threads/processes, each from an empty cache; then
# chorus again on the full cache (nothing to decode).
#   bench/run_prepare.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shared=../shared/data
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tcmalloc=$(ls /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 2>/dev/null || true)
for dataset in esc50_dev bird_extras; do
  for n in 1 2; do
    rm -rf "$scratch"/*
    echo "== $dataset threads=$n chorus: $("$build/src/cli/chorus" --quiet prepare "$shared/$dataset" \
      --cache "$scratch/chorus" --threads $n | tail -1)"
    echo "== $dataset threads=$n chorus, cached: $("$build/src/cli/chorus" --quiet prepare "$shared/$dataset" \
      --cache "$scratch/chorus" --threads $n | tail -1)"
    echo "== $dataset processes=$n peer: $(LD_PRELOAD="$tcmalloc" /usr/bin/python3 bench/peers/torchaudio_prepare.py \
      "$shared/$dataset" "$scratch/peer" --processes $n | tail -1)"
  done
done
