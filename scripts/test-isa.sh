#!/usr/bin/env bash
# Runs the test suite (all but `slow`) once per instruction-set level a supported CPU may have,
# so that no result holds on one CPU and fails on another. oneDNN can be capped below what the
# machine has (ONEDNN_MAX_CPU_ISA); LibTorch's own vectorised kernels follow ATEN_CPU_CAPABILITY,
# whose default is avx2 even on AVX-512 machines (Debian's 1.13), so every level from AVX512_CORE
# up also switches them to avx512: `make test` itself covers full oneDNN with avx2 kernels. A
# level above what this CPU has runs as the CPU's own (AMX on an EPYC).
#
# usage: scripts/test-isa.sh [BUILD_DIR] [LEVEL…]
#   levels: AVX2 AVX512_CORE AVX512_CORE_VNNI AVX512_CORE_BF16 AVX512_CORE_AMX ALL
#   default: AVX2 ALL (the oldest supported CPU and this one); make test-isa ISAS="…" picks others
set -uo pipefail

build="${1:-build}"
shift || true
levels=("$@")
[ ${#levels[@]} -gt 0 ] || levels=(AVX2 ALL)
jobs="$(nproc)"
cd "$build" || { echo "test-isa: no build directory '$build' (run make build first)" >&2; exit 2; }

declare -A outcome
failed=0
for level in "${levels[@]}"; do
  case "$level" in
    AVX2) aten=avx2 ;;
    AVX512_CORE|AVX512_CORE_VNNI|AVX512_CORE_BF16|AVX512_CORE_AMX|ALL) aten=avx512 ;;
    *) echo "test-isa: unknown level '$level'" >&2; exit 2 ;;
  esac
  # LibTorch trusts ATEN_CPU_CAPABILITY without asking the CPU: avx512 on a CPU without it
  # would die of an illegal instruction, so such a CPU keeps avx2 (oneDNN caps itself).
  if [ "$aten" = avx512 ] && ! grep -qw avx512bw /proc/cpuinfo; then aten=avx2; fi
  echo "=== ONEDNN_MAX_CPU_ISA=$level ATEN_CPU_CAPABILITY=$aten"
  start=$(date +%s)
  if env ONEDNN_MAX_CPU_ISA="$level" ATEN_CPU_CAPABILITY="$aten" \
      ctest --output-on-failure -j "$jobs" -LE slow; then
    outcome[$level]="passed"
  else
    outcome[$level]="FAILED"
    failed=1
  fi
  outcome[$level]+=" in $(( $(date +%s) - start )) s"
done

echo "=== test-isa summary ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))"
for level in "${levels[@]}"; do printf '  %-18s %s\n' "$level" "${outcome[$level]}"; done
exit $failed
