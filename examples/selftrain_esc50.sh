#!/usr/bin/env bash
# Self-training rounds on ESC-50 (docs/selftraining.md; the numbers are in BENCHMARKS.md): the
# ESC-50 recipe's ResNet-18 learns from the clean clips of folds 0–2 (fold 3 validates), labels
# the 36 unlabelled one-minute mixtures of ../shared/data/esc50_dev/selftrain after each round,
# and the next round's student learns from the clips plus those labels (appended, weight 1, the
# best of the weights measured in BENCHMARKS.md; --set data.pseudo_use=mix mixes them into the
# inputs instead). The labelling uses the recipe's [infer] and [postprocess] (5 s windows,
# softmax), as training validated with.
#
#   examples/selftrain_esc50.sh [--set key=value …]     # from the project root
#
# Each round trains 30 epochs (about 20 minutes on 2 cores); it stops when fold 3's top-1 stops
# improving. Then score a round on the labelled test mixtures:
#   chorus predict ../shared/data/esc50_dev/selftrain/test_soundscapes --config examples/esc50.toml \
#     --model runs/esc50_selftrain/round_1/best.ckpt --out runs/esc50_selftrain/round_1/test
#   chorus eval --truth ../shared/data/esc50_dev/selftrain/test_soundscape_labels.csv \
#     --predictions runs/esc50_selftrain/round_1/test/submission.csv
set -euo pipefail
data=${DATA:-../shared/data/esc50_dev}
chorus=${CHORUS:-build/src/cli/chorus}
"$chorus" selftrain "$data" --unlabeled "$data/selftrain/unlabeled_soundscapes" \
  --config examples/esc50.toml --fold 3 --rounds 3 --patience 1 \
  --cache cache/esc50 --out runs/esc50_selftrain --threads 0 \
  --set train.epochs=30 --set data.pseudo_weight=1.0 "$@"
