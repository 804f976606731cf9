#!/usr/bin/env bash
# Prediction benchmark, BirdCLEF-shaped: 4-minute 32 kHz OGG soundscapes scored in 5 s chunks with
# 10 s context by an EfficientNet-B0 (1-channel stem, 182 classes), chorus vs the BirdCLEF 2024
# 1st-place Python pipeline (bench/peers/birdclef2024_predict.py) on the same checkpoint, 1 and 2
# threads, and the largest difference between their submissions; then chorus with an ensemble of
# 4 members (the time per member, for projections); then chorus's peak memory on a 4-minute, a
# 40-minute and a 2-hour recording.
#   bench/run_predict.sh [BUILD_DIR] [SOUNDSCAPES]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
count=${2:-8}
chorus="$build/src/cli/chorus"
data=${CHORUS_BENCH_DATA:-$build/bench-data}/predict
mkdir -p "$data"
tcmalloc=$(ls /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 2>/dev/null || true)

# The workload: count four-minute soundscapes (the 4-minute files of the feature benchmark).
"$build/bench/chorus_bench_make_recordings" ../shared/data "$build/bench-data" >/dev/null
rm -rf "$data/soundscapes" && mkdir -p "$data/soundscapes"
for i in $(seq 0 $((count - 1))); do
  cp "$build/bench-data/soundscape_4min_$((i % 4)).ogg" "$data/soundscapes/soundscape_$i.ogg"
done
# A checkpoint: torchvision EfficientNet-B0 (seeded init) for 182 classes.
if [ ! -f "$data/effnet.ckpt" ]; then
  /usr/bin/python3 scripts/export_torchvision.py efficientnet_b0 "$data/tv.safetensors" --calibrate
  seq -f "sp%03g" 1 182 > "$data/classes.txt"
  "$chorus" import --arch efficientnet_b0 --weights "$data/tv.safetensors" --classes "$data/classes.txt" \
    --config examples/birdclef2024.toml --out "$data/effnet.ckpt" >/dev/null
fi

for threads in 1 2; do
  rm -rf "$data/out"
  echo "== threads=$threads chorus: $(/usr/bin/time -f '%e s wall, %M KB peak' "$chorus" --quiet predict \
    "$data/soundscapes" --model "$data/effnet.ckpt" --config examples/birdclef2024.toml --out "$data/out" \
    --threads $threads 2>&1 | tail -2 | tr '\n' ' ')"
  echo "== threads=$threads peer:   $(LD_PRELOAD="$tcmalloc" /usr/bin/time -f '%e s wall, %M KB peak' \
    /usr/bin/python3 bench/peers/birdclef2024_predict.py "$data/effnet.ckpt" "$data/peer.csv" \
    "$data"/soundscapes/*.ogg --threads $threads 2>&1 | tail -2 | tr '\n' ' ')"
done
cmp <(cut -d, -f1 "$data/out/submission.csv") <(cut -d, -f1 "$data/peer.csv") && echo "== same row_ids"
/usr/bin/python3 - "$data/out/submission.csv" "$data/peer.csv" <<'PY'
import sys, numpy as np
a, b = (np.loadtxt(f, delimiter=",", skiprows=1, usecols=range(1, 183)) for f in sys.argv[1:])
print(f"== submissions: max |chorus - peer| = {np.abs(a - b).max():.2e} over {a.size} scores")
PY

# An ensemble of 4 members (the same weights under 4 names), 2 threads: with the single model's
# time it gives the cost of a member and of the shared decoding and features.
for m in 1 2 3 4; do cp "$data/effnet.ckpt" "$data/member$m.ckpt"; done
rm -rf "$data/out4"
echo "== threads=2 chorus, 4 members: $(/usr/bin/time -f '%e s wall, %M KB peak' "$chorus" --quiet predict \
  "$data/soundscapes" --model "$data"/member{1,2,3,4}.ckpt --config examples/birdclef2024.toml --out "$data/out4" \
  --threads 2 2>&1 | tail -2 | tr '\n' ' ')"

# Peak memory against recording length: a 4-minute soundscape, the 40-minute and the 2-hour
# recording.
for file in "$build/bench-data/soundscape_4min_0.ogg" "$build/bench-data/long_32k.ogg" \
            "$build/bench-data/long_2h_32k.ogg"; do
  rm -rf "$data/mem"
  echo "== memory $(basename "$file"): $(/usr/bin/time -f '%e s wall, %M KB peak' "$chorus" --quiet predict "$file" \
    --model "$data/effnet.ckpt" --config examples/birdclef2024.toml --out "$data/mem" --threads 2 2>&1 | tail -1)"
done
