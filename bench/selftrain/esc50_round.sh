#!/usr/bin/env bash
# One self-training round on ../shared/data/esc50_dev/selftrain (docs/selftraining.md):
#   round 0: a teacher trained on the clips of folds 0–2 (fold 3 validates);
#   pseudo-labels of the 36 unlabelled mixtures by the teacher;
#   round 1: a student trained on the clips plus the pseudo-labelled chunks;
# each round scored on the 8 labelled test mixtures (chorus eval) and on fold-3 clips (top-1).
#
#   bench/selftrain/esc50_round.sh OUT [EPOCHS] [extra --set for the student …]
# Round 0 and its labels are made once per OUT and reused, so ablations share one teacher: give
# each student its own name with STUDENT=name (default round1). LABEL_SET="key=value …" labels
# with those [pseudo] settings instead (e.g. pseudo.temperature=0.5), into its own table.
# Needs the chorus build in build/ (CHORUS=… to use another). Prints a Markdown row per round:
# macro ROC-AUC, padded cmAP and LWLRAP on the test mixtures, fold-3 top-1 at the last epoch,
# training wall time.
set -euo pipefail
out=${1:?usage: esc50_round.sh OUT [EPOCHS] [--set key=value …]}
epochs=${2:-30}
shift $(( $# >= 2 ? 2 : 1 ))
chorus=${CHORUS:-build/src/cli/chorus}
data=${DATA:-../shared/data/esc50_dev}
threads=${THREADS:-2}
mkdir -p "$out"

train() {  # train NAME [--set …]
  local name=$1; shift
  /usr/bin/time -f "%e" -o "$out/$name.seconds" \
    "$chorus" --quiet train "$data" --config examples/esc50.toml --fold 3 --cache "$out/cache" \
    --out "$out/$name" --set train.epochs="$epochs" --threads "$threads" "$@" > "$out/$name.log"
}

score() {  # score NAME: a row of test-mixture metrics, fold-3 top-1 and training time
  # (SCORE_ONLY=1 esc50_round.sh OUT EPOCHS NAME… rescores finished runs)
  local name=$1
  # The recipe's [infer] and [postprocess] (5 s windows, softmax), as training validated with.
  rm -rf "$out/$name.test"
  "$chorus" --quiet predict "$data/selftrain/test_soundscapes" --model "$out/$name/best.ckpt" \
    --config examples/esc50.toml --out "$out/$name.test" --threads "$threads" > /dev/null
  "$chorus" eval --predictions "$out/$name.test/submission.csv" \
    --truth "$data/selftrain/test_soundscape_labels.csv" --json > "$out/$name.eval.json"
  /usr/bin/python3 - "$name" "$out/$name.eval.json" "$out/$name/train_log.jsonl" \
    "$out/$name.seconds" <<'PY'
import json, sys
name, metrics, log, seconds = sys.argv[1:]
m = json.load(open(metrics))
last = [json.loads(line) for line in open(log)][-1]["validation"]
print(f"| {name} | {m['macro_roc_auc']:.4f} | {m['padded_cmap']:.4f} | {m['lwlrap']:.4f} "
      f"| {last['accuracy']:.4f} | {float(open(seconds).read()):.0f} s |")
PY
}

if [ -n "${SCORE_ONLY:-}" ]; then
  for name in "$@"; do score "$name"; done
  exit 0
fi
student=${STUDENT:-round1}
if [ ! -f "$out/round0/best.ckpt" ]; then
  train round0
  score round0
fi
labels=$out/pseudo0${LABEL_SET:+.$(echo "$LABEL_SET" | tr ' =' '_-')}.csv
label_sets=()
for kv in ${LABEL_SET:-}; do label_sets+=(--set "$kv"); done
[ -f "$labels" ] ||
  "$chorus" --quiet pseudo "$data/selftrain/unlabeled_soundscapes" --model "$out/round0/best.ckpt" \
    --config examples/esc50.toml "${label_sets[@]}" --out "$labels" --threads "$threads"
train "$student" --set data.pseudo_labels="$labels" "$@"
score "$student"
