#!/usr/bin/env bash
# Installs every Debian 12 package chorus needs to build, test, benchmark and run its oracles;
# with the argument `fuzz`, also what the fuzz targets need.
# Idempotent: packages already present are skipped, and `apt-get update` runs only when
# something is missing. Must run as root (or through sudo).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # LibTorch (C++ frontend) and the Gloo backend for multi-process training
  libtorch-dev libgloo-dev libdnnl-dev
  # dnnl-config.cmake calls find_package(OpenCL): only a Recommends of libdnnl-dev, so named here
  ocl-icd-opencl-dev
  # fast BLAS for LibTorch's matrix products, and an allocator that keeps big buffers mapped
  libopenblas0-pthread libgoogle-perftools-dev
  # audio, DSP, threads (Ogg Vorbis: pages by libogg, decoding by FFmpeg's libavcodec)
  libsndfile1-dev libogg-dev libavcodec-dev libsoxr-dev libfftw3-dev libtbb-dev
  # tables, configuration, CLI, JSON, formatting, images
  libcsv-dev libxxhash-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libfmt-dev libpng-dev
  # tests, benchmarks and the format check (make lint)
  libgtest-dev libgmock-dev libbenchmark-dev hyperfine clang-format
  # independent reference oracles and Python peers (run with /usr/bin/python3)
  python3 python3-numpy python3-torch python3-torchaudio python3-torchvision python3-sklearn
  python3-soundfile
)

# `install-deps.sh fuzz` (make fuzz) adds clang 16 (clang 14 cannot compile std::source_location
# with libstdc++ 12), its libFuzzer runtime and the OpenMP runtime LibTorch's CMake files ask for.
if [ "${1:-}" = fuzz ]; then
  packages+=(clang-16 libclang-rt-16-dev libomp-16-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
