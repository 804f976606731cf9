#!/usr/bin/env bash
# Training throughput in bf16 (issue #18): `chorus train` with train.precision = fp32 and bf16 on
# the ESC-50 clips of ../shared/data, 2 threads, for EfficientNet-B0 (the BirdCLEF 2024 recipe of
# examples/birdclef2024.toml at batch 32, as bench/run_train.sh) and ResNet-18
# (examples/esc50.toml: 64 mels, 5 s inputs, batch 32); samples/s of the second of two epochs
# (the first warms up) from train_log.jsonl. Peer: bench/peers/birdclef2024_train.py (EfficientNet-B0,
# channels-last, 2 loader processes) in fp32 and under bf16 autocast, 25 steps after 3 warm-up
# steps.
#   bench/run_train_precision.sh [BUILD_DIR] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
rounds=${2:-1}
data=../shared/data/esc50_dev
out=${CHORUS_BENCH_DATA:-$build/bench-data}/train_precision
tcmalloc=$(ls /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 2>/dev/null || true)
echo "# CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"

for round in $(seq "$rounds"); do
  for recipe in birdclef2024 esc50; do
    for precision in fp32 bf16; do
      rm -rf "$out"
      "$build/src/cli/chorus" --quiet train "$data" --config "examples/$recipe.toml" --set train.batch_size=32 \
        --set train.epochs=2 --set "train.precision=\"$precision\"" --threads 2 --out "$out" | grep 'forward passes' || true
      /usr/bin/python3 -c "import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; \
print(f'chorus train round $round $recipe $precision: {r[-1][\"samples_per_second\"]:.2f} samples/s, ' \
      f'epoch losses {r[0][\"train_loss\"]:.4f} {r[-1][\"train_loss\"]:.4f}')" "$out/train_log.jsonl"
    done
  done
  for precision in "" "--bf16"; do
    echo "round $round $(LD_PRELOAD="$tcmalloc" /usr/bin/python3 bench/peers/birdclef2024_train.py "$data" \
      --steps 25 --warmup 3 --workers 2 --threads 2 --channels-last $precision 2>&1 | grep '^peer')"
  done
done
