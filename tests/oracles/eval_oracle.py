#!/usr/bin/python3
"""Reference values for `chorus eval`, from the CSV files themselves, with scikit-learn.

    eval_oracle.py --out DIR [--seed N]

Writes, for each case, DIR/<name>.truth.csv (soundscape labels: row_id, soundscape_id,
end_second, space-separated labels, background) and DIR/<name>.sub.csv (a submission whose rows
and class columns are shuffled against the truth), then DIR/cases.json with the command-line
options of each case and what `chorus eval --json` must report. The files are read back with
Python's csv module and aligned by row_id and class name here, independently of chorus; the
metrics are the scikit-learn calls of metrics_oracle.py (the competition scorers' own calls).
"""

import argparse
import csv
import json
import os
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metrics_oracle as reference  # noqa: E402  (exits 77 without numpy / scikit-learn)

np = reference.np

CLASSES = ["dog", "rooster", "pig", "cow", "frog", "cat", "hen", "crow"]


# ---------------------------------------------------------------------------------------------
# Writing the files


def truth_rows(rng, soundscapes=5, chunks=12, extra_labels=()):
    rows = []
    for s in range(soundscapes):
        for c in range(chunks):
            labels = [name for name in CLASSES if rng.random() < 0.15]
            labels += [name for name in extra_labels if rng.random() < 0.2]
            rng.shuffle(labels)
            soundscape = f"mix_{s:02d}"
            end = 5 * (c + 1)
            rows.append([f"{soundscape}_{end}", soundscape, str(end), " ".join(labels), "wind"])
    return rows


def write_truth(path, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["row_id", "soundscape_id", "end_second", "labels", "background"])
        writer.writerows(rows)


def write_submission(path, rng, truth, columns, score):
    """One row per truth row, in shuffled order; `score(has_label)` gives each cell."""
    order = rng.permutation(len(truth))
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["row_id"] + columns)
        for i in order:
            labels = truth[i][3].split()
            writer.writerow([truth[i][0]] + [repr(score(name in labels)) for name in columns])


# ---------------------------------------------------------------------------------------------
# Reading them back and scoring


def aligned(truth_path, submission_path):
    """Score and 0/1 truth matrices in the truth file's row order and the submission's columns."""
    with open(submission_path, newline="") as f:
        submission = list(csv.DictReader(f))
    classes = [name for name in submission[0].keys() if name != "row_id"]
    by_row = {row["row_id"]: row for row in submission}
    with open(truth_path, newline="") as f:
        truth = list(csv.DictReader(f))
    scores = np.array([[float(by_row[t["row_id"]][c]) for c in classes] for t in truth])
    labels = np.array([[1.0 if c in t["labels"].split() else 0.0 for c in classes] for t in truth])
    return classes, scores, labels


def best_macro_f1(scores, truth):
    """Every distinct score as a threshold; the lowest one on a tie."""
    best = {"f1": -1.0, "threshold": None}
    for threshold in np.unique(scores):
        f1 = reference.sklearn_f1_at(scores, truth, threshold, "macro")
        if f1 > best["f1"]:
            best = {"f1": f1, "threshold": float(threshold)}
    return best


def expected(truth_path, submission_path, padding, threshold):
    classes, scores, truth = aligned(truth_path, submission_path)
    known = np.ones(truth.shape, bool)
    per_class = reference.per_class_references(scores, truth, known, padding)
    return {
        "rows": int(truth.shape[0]),
        "rows_with_labels": int((truth.sum(axis=1) > 0).sum()),
        "classes": len(classes),
        "classes_scored": sum(c["roc_auc"] is not None for c in per_class),
        "macro_roc_auc": reference.sklearn_macro_roc_auc(scores, truth),
        "padded_cmap": reference.sklearn_padded_cmap(scores, truth, padding),
        "lwlrap": reference.sklearn_lwlrap(scores, truth),
        "micro_f1": reference.sklearn_f1_at(scores, truth, threshold, "micro"),
        "macro_f1": reference.sklearn_f1_at(scores, truth, threshold, "macro"),
        "best_macro_f1": best_macro_f1(scores, truth),
        "top1_accuracy": reference.top1_accuracy(scores, truth, known),
        "per_class": [dict(c, **{"class": name}) for name, c in zip(classes, per_class)],
    }


# ---------------------------------------------------------------------------------------------
# Cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="directory for the CSV files and cases.json")
    parser.add_argument("--seed", type=int, default=20240611)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    levels = np.round(np.linspace(0.0, 1.0, 11), 2)  # ties, at the padding score too

    def informative(has_label):
        return float(reference.sigmoid(rng.normal(0.0, 1.2) + (2.0 if has_label else -1.0)))

    def quantised(has_label):
        return float(levels[min(10, rng.integers(0, 8) + (3 if has_label else 0))])

    def logit(has_label):
        return float(rng.normal(0.0, 1.5) + (1.5 if has_label else -1.0))

    # The submission's columns: shuffled, plus a class no chunk contains.
    columns = list(rng.permutation(CLASSES + ["sheep"]))
    cases = []

    def add(name, truth, score, options):
        truth_path = os.path.join(args.out, f"{name}.truth.csv")
        submission_path = os.path.join(args.out, f"{name}.sub.csv")
        write_truth(truth_path, truth)
        write_submission(submission_path, rng, truth, columns, score)
        padding = options.get("padding", 5)
        threshold = options.get("threshold", 0.5)
        cli = ["--padding", str(padding), "--threshold", repr(threshold)] + options.get("flags", [])
        cases.append({"name": name, "options": cli,
                      "expected": expected(truth_path, submission_path, padding, threshold)})

    add("informative", truth_rows(rng), informative, {})
    add("quantised_ties", truth_rows(rng), quantised, {"padding": 3, "threshold": 0.6})
    add("logits", truth_rows(rng), logit, {"threshold": 0.0})
    add("unknown_labels_dropped", truth_rows(rng, extra_labels=("rain",)), informative,
        {"flags": ["--ignore-unknown-labels"]})

    with open(os.path.join(args.out, "cases.json"), "w") as f:
        json.dump({"seed": args.seed, "cases": cases}, f, allow_nan=False, indent=1)


if __name__ == "__main__":
    main()
