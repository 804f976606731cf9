#!/usr/bin/env bash
# Precision benchmark (issue #18): `chorus predict` in fp32, bf16 and int8 against the Python peer
# (bench/peers/birdclef2024_predict.py) in fp32 (as the competition ran it, and channels-last) and
# in bf16 autocast with channels-last (where the CPU has bf16), on the prediction benchmark's
# workload: 4-minute 32 kHz OGG soundscapes in 5 s chunks with 10 s context, EfficientNet-B0 and
# RegNetY-800MF (torchvision structure, 1-channel stem, 182 classes, seeded weights with calibrated
# BatchNorms), 1 and 2 threads. Whole processes (`/usr/bin/time`: start-up and model loading
# included); each side's own report gives its processing rate; a run on one 5 s clip and the
# feature benchmark on the same files give what a process spends besides the network. int8 scores
# a copy of each model calibrated (`chorus calibrate`) on 256 windows of the ESC-50 soundscapes.
# Then how far each bf16 and int8 submission lies from its fp32 one.
#   [ARCHS="efficientnet_b0 regnet_y_800mf"] bench/run_precision.sh [BUILD_DIR] [SOUNDSCAPES]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
count=${2:-8}
chorus="$build/src/cli/chorus"
data=${CHORUS_BENCH_DATA:-$build/bench-data}/precision
mkdir -p "$data"
tcmalloc=$(ls /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 2>/dev/null || true)
echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores;" \
  "CPU flags: $(grep -o -w -E 'avx512_bf16|amx_bf16|amx_int8|avx512_vnni' /proc/cpuinfo | sort -u | tr '\n' ' ')"

"$build/bench/chorus_bench_make_recordings" ../shared/data "$build/bench-data" >/dev/null
rm -rf "$data/soundscapes" && mkdir -p "$data/soundscapes"
for i in $(seq 0 $((count - 1))); do
  cp "$build/bench-data/soundscape_4min_$((i % 4)).ogg" "$data/soundscapes/soundscape_$i.ogg"
done
seq -f "sp%03g" 1 182 > "$data/classes.txt"
clips=(../shared/data/esc50_dev/train_audio/dog/*.ogg)
clip=${clips[0]}

# What a whole process spends besides the network (how far 1 000× real time is from the network
# alone): decoding and the log-mel of the same files on as many threads (the same for every
# model), and a run on one 5 s clip per model and precision below (start-up, loading, compiling
# the graphs).
for threads in 1 2; do
  echo "== threads=$threads decoding + log-mel: $("$build/bench/chorus_bench_features" \
    --threads "$threads" --repeat 3 "$data"/soundscapes/*.ogg | tail -1)"
done

# ONEDNN_VERBOSE's execution lines summed by primitive and implementation, largest first.
kernel_times() {
  awk -F, '$1 == "onednn_verbose" && $2 == "exec" { t[$4 " " $5] += $NF; all += $NF }
    END { for (k in t) printf "%10.1f  %s\n", t[k], k; printf "%10.1f  all\n", all }' | sort -rn
}

# The largest |a − b| between two submissions' scores (where both were written: bf16 needs
# AVX-512).
max_difference() {
  [[ -f $1 && -f $2 ]] || { echo "(not run here)"; return; }
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys, numpy as np
a, b = (np.loadtxt(f, delimiter=",", skiprows=1, usecols=range(1, 183)) for f in sys.argv[1:])
print(f"max |Δ probability| = {np.abs(a - b).max():.2e} over {a.size} scores")
PY
}

# Whether a checkpoint stores its network's description (checkpoints from before it was stored
# are predicted by chorus-torch, which costs LibTorch's start-up: imported again here).
stores_description() {
  /usr/bin/python3 - "$1" <<'PY'
import json, struct, sys
with open(sys.argv[1], "rb") as f:
    header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
sys.exit(0 if "inference" in json.loads(header["__metadata__"]["chorus"]) else 1)
PY
}

# Whether chorus runs bf16 here: it needs AVX-512 within oneDNN's effective ISA (which
# ONEDNN_MAX_CPU_ISA may cap below the CPU's) and refuses it otherwise, naming the ISA; any other
# error stops the script. Asked of chorus itself on the clip, so the two cannot disagree.
runs_bf16() {
  local message
  rm -rf "$data/out_clip"
  if message=$("$chorus" --quiet predict "$clip" --model "$1" --config examples/birdclef2024.toml \
    --out "$data/out_clip" --precision bf16 2>&1 >/dev/null); then
    return 0
  fi
  grep -q "needs a CPU with AVX-512" <<< "$message" || { echo "$message" >&2; exit 1; }
  echo "== bf16 not run: $message"
  return 1
}

for arch in ${ARCHS:-efficientnet_b0 regnet_y_800mf}; do
  rm -rf "$data"/peer_*.csv "$data"/out_*  # another model's, or a precision not run here
  if [ ! -f "$data/$arch.safetensors" ]; then
    /usr/bin/python3 scripts/export_torchvision.py "$arch" "$data/$arch.safetensors" --calibrate
  fi
  if [ ! -f "$data/$arch.ckpt" ] || ! stores_description "$data/$arch.ckpt"; then
    "$chorus" import --arch "$arch" --weights "$data/$arch.safetensors" --classes "$data/classes.txt" \
      --config examples/birdclef2024.toml --out "$data/$arch.ckpt" >/dev/null
  fi
  "$chorus" --quiet calibrate --model "$data/$arch.ckpt" --out "$data/$arch.int8.ckpt" \
    --data ../shared/data/esc50_dev/soundscapes --windows 256 --config examples/birdclef2024.toml \
    --threads 2 >/dev/null
  precisions=(fp32 int8)
  runs_bf16 "$data/$arch.ckpt" && precisions=(fp32 bf16 int8)
  for threads in 1 2; do
    for precision in "${precisions[@]}"; do
      rm -rf "$data/out_$precision"
      model="$data/$arch.ckpt"
      [[ $precision == int8 ]] && model="$data/$arch.int8.ckpt"
      echo "== $arch threads=$threads chorus $precision: $(/usr/bin/time -f '%e s wall, %M KB peak' \
        "$chorus" --quiet predict "$data/soundscapes" --model "$model" \
        --config examples/birdclef2024.toml --out "$data/out_$precision" --threads "$threads" \
        --precision "$precision" 2>&1 | grep -E 'networks in|real time|wall|error|status' | tr '\n' ' ')"
      rm -rf "$data/out_clip"
      echo "== $arch threads=$threads chorus $precision, one 5 s clip: $(/usr/bin/time -f '%e s wall' \
        "$chorus" --quiet predict "$clip" --model "$model" --config examples/birdclef2024.toml \
        --out "$data/out_clip" --threads "$threads" --precision "$precision" 2>&1 | grep -E 'status|wall')"
    done
    # The peer's best is the fastest of these. Without native bf16 (AVX512-BF16 or AMX) autocast
    # emulates it and takes minutes where fp32 takes seconds (EfficientNet-B0 on one thread of an
    # AVX2 EPYC: over 7 minutes against 25 s): not run there.
    peers=("fp32:" "fp32-channels-last:--channels-last")
    [[ ${precisions[*]} == *bf16* ]] && grep -q -w -E 'avx512_bf16|amx_bf16' /proc/cpuinfo &&
      peers+=("bf16-autocast-channels-last:--bf16 --channels-last")
    for peer in "${peers[@]}"; do
      # shellcheck disable=SC2086
      echo "== $arch threads=$threads peer ${peer%%:*}: $(LD_PRELOAD="$tcmalloc" /usr/bin/time \
        -f '%e s wall, %M KB peak' /usr/bin/python3 bench/peers/birdclef2024_predict.py \
        "$data/$arch.ckpt" "$data/peer_${peer%%:*}.csv" "$data"/soundscapes/*.ogg --threads "$threads" \
        --arch "$arch" ${peer#*:} 2>&1 | tail -2 | tr '\n' ' ')"
    done
  done
  # Which oneDNN kernels ran and how long each kind took, one file on one thread: on an AMX
  # machine the convolutions should say avx512_core_amx. (On AVX-512, SiLU runs as chorus's own
  # pass, graph/silu.hpp, not a oneDNN primitive: not in these sums.)
  for precision in "${precisions[@]}"; do
    model="$data/$arch.ckpt"
    [[ $precision == int8 ]] && model="$data/$arch.int8.ckpt"
    rm -rf "$data/out_clip"
    echo "== $arch $precision oneDNN kernels, one 4-minute file, 1 thread (ms, summed):"
    ONEDNN_VERBOSE=1 "$chorus" --quiet predict "$data/soundscapes/soundscape_0.ogg" --model "$model" \
      --config examples/birdclef2024.toml --out "$data/out_clip" --threads 1 --precision "$precision" |
      kernel_times
  done
  echo "== $arch chorus bf16 vs fp32: $(max_difference "$data/out_bf16/submission.csv" "$data/out_fp32/submission.csv")"
  echo "== $arch chorus int8 vs fp32: $(max_difference "$data/out_int8/submission.csv" "$data/out_fp32/submission.csv")"
  echo "== $arch peer bf16 vs fp32:   $(max_difference "$data/peer_bf16-autocast-channels-last.csv" "$data/peer_fp32.csv")"
  echo "== $arch chorus fp32 vs peer fp32: $(max_difference "$data/out_fp32/submission.csv" "$data/peer_fp32.csv")"
done
