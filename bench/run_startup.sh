#!/usr/bin/env bash
# Start-up: what a command costs before it does anything. `chorus` links no LibTorch; the same
# command line through `chorus-torch` (LibTorch linked, as every command was before the split)
# shows what loading it costs; the peer is the Python pipelines' own start, `import torch,
# torchaudio`. A light command on a real file (`chorus info`) and one handed over to chorus-torch
# (`chorus config`) complete the picture.
#   bench/run_startup.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
clip=$(ls ../shared/data/bird_extras/train_audio/eurrob1/*.ogg | head -n 1)
echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores"
echo "== shared libraries: chorus $(ldd "$build/src/cli/chorus" | wc -l), chorus-torch $(ldd "$build/src/cli/chorus-torch" | wc -l)"
hyperfine -N --warmup 3 --runs 30 \
  "$build/src/cli/chorus --version" \
  "$build/src/cli/chorus-torch --version" \
  "$build/src/cli/chorus info $clip" \
  "$build/src/cli/chorus config" \
  "/usr/bin/python3 -c 'import torch, torchaudio'"
