#!/usr/bin/env bash
# One self-training round on ../shared/data/esc50_dev/selftrain (docs/selftraining.md):
#   round 0: a teacher trained on the clips of folds 0–2 (fold 3 validates);
#   pseudo-labels of the 36 unlabelled mixtures by the teacher;
#   round 1: a student trained on the clips plus the pseudo-labelled chunks;
# each round scored on the 8 labelled test mixtures (chorus eval) and on fold-3 clips (top-1).
#
#   bench/selftrain/esc50_round.sh OUT [EPOCHS] [extra --set for the student …]
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
  local name=$1
  "$chorus" --quiet predict "$data/selftrain/test_soundscapes" --model "$out/$name/best.ckpt" \
    --out "$out/$name.test" --threads "$threads" > /dev/null
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

[ -f "$out/round0/best.ckpt" ] || train round0
score round0
"$chorus" --quiet pseudo "$data/selftrain/unlabeled_soundscapes" --model "$out/round0/best.ckpt" \
  --out "$out/pseudo0.csv" --threads "$threads"
train round1 --set data.pseudo_labels="$out/pseudo0.csv" "$@"
score round1
