#!/usr/bin/env bash
# Models benchmark: forward throughput (windows/s) on 1 × 128 × 641 log-mel windows at batch 1,
# 16 and 64, 1 and 2 threads — chorus's compiled network (build/bench/chorus_bench_models) vs the
# same torchvision model with the same weights in Python (bench/peers/torchvision_models.py),
# run alternately, each checking that the outputs agree within 1e-4.
# Then what each step buys: EfficientNet-B0 at batch 16, LibTorch's forward and the compiled one.
#   bench/run_models.sh [BUILD_DIR] [ARCH…]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
archs=${*:-efficientnet_b0 regnet_y_800mf resnet18 resnet34}
data=${CHORUS_BENCH_DATA:-$build/bench-data}/models
mkdir -p "$data"
tcmalloc=$(ls /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 2>/dev/null || true)
echo "# CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"

for arch in $archs; do
  # Weights written once (torchvision's seeded initialisation, BatchNorms calibrated so that the
  # outputs depend on the input and the comparison means something), read by both sides.
  [ -f "$data/$arch.safetensors" ] ||
    /usr/bin/python3 scripts/export_torchvision.py "$arch" "$data/$arch.safetensors" --calibrate
  for threads in 1 2; do
    "$build/bench/chorus_bench_models" --arch "$arch" --weights "$data/$arch.safetensors" --out "$data/io" \
      --threads "$threads" --seconds 0.5
    LD_PRELOAD="$tcmalloc" /usr/bin/python3 bench/peers/torchvision_models.py "$arch" "$data/$arch.safetensors" \
      "$data/io" --threads "$threads" --seconds 0.5 2>&1 | grep -v Warning
  done
done

# What each step buys, EfficientNet-B0 at batch 16: LibTorch's eager forward as it is and with
# the inference optimiser's rewrites (--engine torch), then the compiled graphs at several
# windows per pass.
arch=efficientnet_b0
for threads in 1 2; do
  for variant in "--engine torch --no-fold --no-fast-silu --no-channels-last" "--engine torch" \
                 "--graph-batch 1" "--graph-batch 2" "--graph-batch 4" "--graph-batch 16"; do
    echo "== ablation threads=$threads $variant: $("$build/bench/chorus_bench_models" --arch $arch \
      --weights "$data/$arch.safetensors" --out "$data/io" --threads "$threads" --batches 16 --seconds 1 $variant |
      tail -1)"
  done
done
