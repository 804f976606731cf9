#!/usr/bin/env bash
# What bf16 and int8 cost in accuracy (issue #18): each checkpoint scores, in fp32, bf16 and int8
# (calibrated first by `chorus calibrate` on 512 windows of the ESC-50 clips outside fold 3), the 8
# ESC-50 soundscapes (esc50_dev/soundscapes), the 8 labelled self-training mixtures
# (esc50_dev/selftrain/test_soundscapes) and the 400 fold-3 clips; `chorus eval` scores each
# against its labels (macro ROC-AUC and padded cmAP per 5 s chunk; top-1 per clip) and the
# largest |Δ probability| of each against fp32 is printed. Each model is scored with its
# training run's [infer] and [postprocess] (the config.toml beside the checkpoint), as its
# validation was.
#   bench/run_precision_accuracy.sh BUILD_DIR OUT_DIR MODEL.ckpt…
# PRECISIONS="fp32 int8" picks the precisions (fp32 first: the others are compared with it), e.g.
# under ONEDNN_MAX_CPU_ISA=AVX2, where bf16 is refused and int8 runs as a CPU without VNNI does.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1 out=$2
shift 2
chorus="$build/src/cli/chorus"
esc=../shared/data/esc50_dev
mkdir -p "$out"
echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores"

# The fold-3 clips, and their metadata with row ids as `chorus eval` expects them.
/usr/bin/python3 - "$esc" "$out" <<'PY'
import csv, sys
esc, out = sys.argv[1:]
rows = [r for r in csv.DictReader(open(f"{esc}/train_metadata.csv")) if r["fold"] == "3"]
with open(f"{out}/fold3_metadata.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["primary_label", "secondary_labels", "filename"])
    w.writeheader()
    for r in rows:
        w.writerow({k: r[k] for k in w.fieldnames})
with open(f"{out}/fold3_files.txt", "w") as f:
    f.writelines(f"{esc}/train_audio/{r['filename']}\n" for r in rows)
# The clips outside fold 3, linked into one folder for `chorus calibrate --data`.
import os
os.makedirs(f"{out}/calibration_clips", exist_ok=True)
for r in csv.DictReader(open(f"{esc}/train_metadata.csv")):
    link = f"{out}/calibration_clips/{os.path.basename(r['filename'])}"
    if r["fold"] != "3" and not os.path.lexists(link):
        os.symlink(os.path.abspath(f"{esc}/train_audio/{r['filename']}"), link)
PY
mapfile -t clips < "$out/fold3_files.txt"

# A clip submission (row_id <stem>_5) with the row ids of the metadata (<label>/<stem>).
clip_rows() {
  /usr/bin/python3 - "$1" "$2" "$out/fold3_metadata.csv" <<'PY'
import csv, os, sys
src, dst, meta = sys.argv[1:]
by_stem = {os.path.splitext(os.path.basename(r["filename"]))[0]: os.path.splitext(r["filename"])[0]
           for r in csv.DictReader(open(meta))}
with open(src) as f, open(dst, "w") as g:
    g.write(f.readline())
    for line in f:
        row_id, rest = line.split(",", 1)
        stem = row_id.rsplit("_", 1)[0]
        if row_id.endswith("_5"):
            g.write(by_stem[stem] + "," + rest)
PY
}

metric() { /usr/bin/python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r$2)" "$1"; }

read -r -a precisions <<< "${PRECISIONS:-fp32 bf16 int8}"
[[ ${precisions[0]} == fp32 ]] || { echo "PRECISIONS must start with fp32" >&2; exit 2; }
for model in "$@"; do
  name=$(basename "$(dirname "$model")")_$(basename "$model" .ckpt)
  recipe=(--config "$(dirname "$model")/config.toml")
  mkdir -p "$out/$name"
  calibrated="$out/$name/int8.ckpt"
  "$chorus" --quiet calibrate --model "$model" --out "$calibrated" --data "$out/calibration_clips" --windows 512 \
    "${recipe[@]}" --threads 2
  for precision in "${precisions[@]}"; do
    dir="$out/$name/$precision"
    scored=$model
    [[ $precision == int8 ]] && scored=$calibrated
    rm -rf "$dir" && mkdir -p "$dir"
    "$chorus" --quiet predict "$esc/soundscapes" --model "$scored" --out "$dir/sc" "${recipe[@]}" --precision "$precision" \
      --threads 2 | grep 'networks in'
    "$chorus" --quiet predict "$esc/selftrain/test_soundscapes" --model "$scored" --out "$dir/st" \
      "${recipe[@]}" --precision "$precision" --threads 2 >/dev/null
    "$chorus" --quiet predict "${clips[@]}" --model "$scored" --out "$dir/clips" "${recipe[@]}" --precision "$precision" \
      --threads 2 >/dev/null
    clip_rows "$dir/clips/submission.csv" "$dir/clips.csv"
    "$chorus" eval --truth "$esc/soundscape_labels.csv" --predictions "$dir/sc/submission.csv" --json > "$dir/sc.json"
    "$chorus" eval --truth "$esc/selftrain/test_soundscape_labels.csv" --predictions "$dir/st/submission.csv" \
      --json > "$dir/st.json"
    "$chorus" eval --truth "$out/fold3_metadata.csv" --predictions "$dir/clips.csv" --json > "$dir/clips.json"
  done
  for precision in "${precisions[@]}"; do
    dir="$out/$name/$precision"
    echo "== $name $precision: soundscapes AUC $(metric "$dir/sc.json" "['macro_roc_auc']")" \
      "cmAP $(metric "$dir/sc.json" "['padded_cmap']");" \
      "selftrain AUC $(metric "$dir/st.json" "['macro_roc_auc']") cmAP $(metric "$dir/st.json" "['padded_cmap']");" \
      "fold 3 top-1 $(metric "$dir/clips.json" "['top1_accuracy']")"
  done
  /usr/bin/python3 - "$out/$name" "${precisions[@]:1}" <<'PY'
import sys, numpy as np
d = sys.argv[1]
for reduced in sys.argv[2:]:
    worst = 0
    for part in ("sc", "st", "clips"):
        a, b = (np.genfromtxt(f"{d}/{p}/{part}/submission.csv", delimiter=",", skip_header=1)[:, 1:]
                for p in ("fp32", reduced))
        worst = max(worst, np.abs(a - b).max())
    print(f"== max |Δ probability| {reduced} vs fp32 over every score: {worst:.2e}")
PY
done
