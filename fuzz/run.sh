#!/usr/bin/env bash
# Runs every fuzz target of a CHORUS_FUZZ build for a set time, two at a time per core pair:
#   fuzz/run.sh BUILD_DIR SECONDS [TARGET…]
# Each target starts from BUILD_DIR/fuzz-corpus/<target> (fuzz/make_corpus.py, grown by earlier
# runs), writes any crashing input to BUILD_DIR/fuzz-findings/<target>/ and its log to
# BUILD_DIR/fuzz-logs/<target>.log. Exits 1 when any target found something.
set -euo pipefail
build=$1
seconds=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_audio fuzz_safetensors fuzz_tables fuzz_raven fuzz_config fuzz_npy)
fi
jobs=${FUZZ_JOBS:-$(nproc)}
shared=$root/../shared/data
/usr/bin/python3 "$root/fuzz/make_corpus.py" "$build/fuzz-corpus" "$shared"
mkdir -p "$build/fuzz-logs"
# LeakSanitizer on: a reader that leaks on a refused file is a finding too (fuzz/lsan.supp holds
# the system libraries' own leaks).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/fuzz/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

run_one() {
  local target=$1
  mkdir -p "$build/fuzz-findings/$target"
  # -timeout: one input taking longer is a hang; -rss_limit_mb: a blow-up; both are findings.
  "$build/fuzz/$target" "$build/fuzz-corpus/$target" -max_total_time="$seconds" -timeout=20 \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-findings/$target/" >"$build/fuzz-logs/$target.log" 2>&1
}

failed=0
pids=()
for target in "${targets[@]}"; do
  run_one "$target" &
  pids+=("$!:$target")
  if [ ${#pids[@]} -ge "$jobs" ]; then
    entry=${pids[0]}
    wait "${entry%%:*}" || { echo "fuzz: ${entry#*:} found a problem"; failed=1; }
    pids=("${pids[@]:1}")
  fi
done
for entry in "${pids[@]}"; do
  wait "${entry%%:*}" || { echo "fuzz: ${entry#*:} found a problem"; failed=1; }
done

printf '%-18s %12s %8s %8s %s\n' target runs cov corpus findings
for target in "${targets[@]}"; do
  log=$build/fuzz-logs/$target.log
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo ?)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo ?)
  corpus=$(ls "$build/fuzz-corpus/$target" | wc -l)
  findings=$(ls "$build/fuzz-findings/$target" 2>/dev/null | wc -l)
  printf '%-18s %12s %8s %8s %s\n' "$target" "$runs" "$cov" "$corpus" "$findings"
done
exit $failed
