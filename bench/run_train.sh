#!/usr/bin/env bash
# Training throughput: EfficientNet-B0 on 1 × 128 × 641 inputs (10 s: two 5 s halves), batch 32,
# the BirdCLEF 2024 recipe (examples/birdclef2024.toml: CE, AdamW, cosine, XY masking, horizontal
# cutmix), on the ESC-50 clips of ../shared/data — `chorus train` against the same recipe in a
# Python PyTorch loop (bench/peers/birdclef2024_train.py) in the same run, 2 threads.
#   bench/run_train.sh [BUILD_DIR] [ROUNDS]
# chorus: the second of two epochs (25 steps; the first warms up), samples/s and data wait from
# its train_log.jsonl. Peer: 25 steps after 3 warm-up steps, with 1 and 2 loader processes, in
# NCHW (as the notebooks run) and channels-last.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
rounds=${2:-2}
data=../shared/data/esc50_dev
out=${CHORUS_BENCH_DATA:-$build/bench-data}/train
tcmalloc=$(ls /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 2>/dev/null || true)
echo "# CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"

for round in $(seq "$rounds"); do
  for layout in true false; do
    rm -rf "$out"
    "$build/src/cli/chorus" --quiet train "$data" --config examples/birdclef2024.toml --set train.batch_size=32 \
      --set train.epochs=2 --set train.channels_last=$layout --threads 2 --out "$out" >/dev/null
    /usr/bin/python3 -c "import json,sys; r=[json.loads(l) for l in open(sys.argv[1])][-1]; \
print(f'chorus train round $round channels_last=$layout: {r[\"samples_per_second\"]:.2f} samples/s, ' \
      f'data wait {r[\"data_wait_seconds\"] / r[\"seconds\"]:.1%}')" "$out/train_log.jsonl"
  done
  for layout in "" "--channels-last"; do
    for workers in 1 2; do
      echo "round $round $(LD_PRELOAD="$tcmalloc" /usr/bin/python3 bench/peers/birdclef2024_train.py "$data" \
        --steps 25 --warmup 3 --workers $workers --threads 2 $layout 2>&1 | grep '^peer')"
    done
  done
done
