#!/usr/bin/env bash
# Two builds of one command, alternating, for changes smaller than the machine's own drift: a
# shared or virtual machine's speed can move by 10–25 % within minutes, so all runs of A and then
# all of B (hyperfine's order) compare two phases of the machine as much as two builds. After a
# warm-up round (not counted: the first run reads the binaries and their libraries from disk),
# each round runs A then B; the report gives each side's median wall and CPU (user + sys) time
# and the median and range of the rounds' ratios A / B (above 1: B is faster). Times come from
# /usr/bin/time, to 10 ms: for commands under a second, hyperfine's timer is the finer one.
#   bench/run_alternating.sh ROUNDS BINARY_A BINARY_B ARGUMENT...
# The arguments follow each binary; the string {} in them becomes A or B, so that the two runs
# write to folders of their own, e.g.
#   bench/run_alternating.sh 10 /tmp/chorus.before build/src/cli/chorus --quiet predict \
#     SOUNDSCAPES --model M --config examples/birdclef2024.toml --threads 2 --out /tmp/out.{}
set -euo pipefail
if [[ $# -lt 4 ]]; then
  echo "usage: bench/run_alternating.sh ROUNDS BINARY_A BINARY_B ARGUMENT..." >&2
  exit 2
fi
rounds=$1 a=$2 b=$3
shift 3
times=$(mktemp)
trap 'rm -f "$times"' EXIT
echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores"
for ((round = 0; round <= rounds; ++round)); do
  for side in A B; do
    binary=$a
    [[ $side == B ]] && binary=$b
    record=$times
    ((round == 0)) && record=/dev/null
    /usr/bin/time -o "$record" -a -f "$side %e %U %S" "$binary" "${@//\{\}/$side}" > /dev/null
  done
done
/usr/bin/python3 - "$times" <<'EOF'
import statistics, sys
runs = {"A": [], "B": []}
for line in open(sys.argv[1]):
    side, wall, user, system = line.split()
    runs[side].append((float(wall), float(user) + float(system)))
for side, values in runs.items():
    print(f"{side}: wall {statistics.median(w for w, _ in values):.3f} s, "
          f"CPU {statistics.median(c for _, c in values):.3f} s (medians of {len(values)})")
ratios = [a[0] / b[0] for a, b in zip(runs["A"], runs["B"])]
print(f"A / B wall: median {statistics.median(ratios):.3f}, "
      f"range {min(ratios):.3f}–{max(ratios):.3f} over {len(ratios)} rounds")
EOF
