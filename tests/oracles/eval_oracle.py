#!/usr/bin/python3
"""Reference values for `chorus eval`, from the CSV files themselves, with scikit-learn.

    eval_oracle.py --out DIR [--seed N]

Writes, for each case, DIR/<name>.truth.csv and DIR/<name>.sub.csv (a submission whose rows and
class columns are shuffled against the truth), then DIR/cases.json with the command-line
options of each case and what `chorus eval --json` must report. The truth is one of:
- soundscape labels (row_id, soundscape_id, end_second, space-separated labels, background);
- BirdCLEF train_metadata (primary_label, secondary_labels as a Python list, filename): the
  submission's row_id is the filename without its extension;
- RFCX train_tp.csv, with DIR/<name>.fp.csv as train_fp.csv: the submission is keyed by
  recording_id with columns s0 … s23; a species with a TP box is present, one with only FP boxes
  absent, every other cell unknown.
The files are read back with Python's csv module and aligned by id and class name here,
independently of chorus. Fully labelled truth is scored with the scikit-learn calls of
metrics_oracle.py (the competition scorers' own calls); RFCX's partial truth with the same
sklearn functions on the known cells only, as src/metrics defines the masked metrics: each
class over its known rows, LWLRAP ranking each row among its known cells.
"""

import argparse
import ast
import csv
import json
import os
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metrics_oracle as reference  # noqa: E402  (exits 77 without numpy / scikit-learn)

np = reference.np

CLASSES = ["dog", "rooster", "pig", "cow", "frog", "cat", "hen", "crow"]
RFCX_SPECIES = 24
RFCX_HEADER = ["recording_id", "species_id", "songtype_id", "t_min", "f_min", "t_max", "f_max"]


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
    write_scores(path, rng, "row_id", [(row[0], row[3].split()) for row in truth], columns, score)


def write_scores(path, rng, id_column, rows, columns, score):
    """rows: (id, present classes); shuffled; `score(is_present)` gives each cell."""
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([id_column] + columns)
        for i in rng.permutation(len(rows)):
            row_id, present = rows[i]
            writer.writerow([row_id] + [repr(score(name in present)) for name in columns])


def clip_rows(rng, clips=60):
    """BirdCLEF clips: (filename, primary, secondaries); a few secondaries repeat the primary."""
    rows = []
    for i in range(clips):
        primary = CLASSES[rng.integers(0, len(CLASSES))]
        secondary = [name for name in CLASSES if rng.random() < 0.1]
        rows.append((f"{primary}/XC{1000 + i}.ogg", primary, secondary))
    return rows


def write_metadata(path, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["primary_label", "secondary_labels", "filename", "rating"])
        for filename, primary, secondary in rows:
            writer.writerow([primary, repr(secondary), filename, "4.5"])


def rfcx_boxes(rng, recordings=40):
    """(recording, species) pairs of TP and FP boxes; some pairs have several boxes, and some
    FP pairs repeat a TP pair of the recording (the template fired where the species called)."""
    tp, fp = [], []
    for r in range(recordings):
        recording = f"{rng.integers(0, 16**8):08x}{r:02d}"
        present = list(rng.choice(RFCX_SPECIES, size=rng.integers(1, 3), replace=False))
        absent = list(rng.choice(RFCX_SPECIES, size=rng.integers(0, 4), replace=False))
        tp += [(recording, s) for s in present for _ in range(rng.integers(1, 3))]
        fp += [(recording, s) for s in absent]
    return tp, fp


def write_rfcx(path, rng, boxes):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(RFCX_HEADER)
        for recording, species in boxes:
            t_min = round(float(rng.uniform(0, 55)), 4)
            f_min = round(float(rng.uniform(100, 5000)), 2)
            writer.writerow([recording, species, 1, t_min, f_min, t_min + 2.5, f_min + 1500])


# ---------------------------------------------------------------------------------------------
# Reading them back and scoring


def read_submission(path, id_column):
    """The class columns, and each row's scores by id."""
    with open(path, newline="") as f:
        submission = list(csv.DictReader(f))
    classes = [name for name in submission[0].keys() if name != id_column]
    return classes, {row[id_column]: [float(row[c]) for c in classes] for row in submission}


def matrices(ids, classes, by_row, present, absent=None):
    """Scores, 0/1 truth and the known-cell mask in the truth's row order and the submission's
    columns; without `absent` every cell is known (unlisted = absent)."""
    scores = np.array([by_row[i] for i in ids])
    truth = np.array([[1.0 if c in present[i] else 0.0 for c in classes] for i in ids])
    if absent is None:
        return scores, truth, np.ones(truth.shape, bool)
    known = np.array([[c in present[i] or c in absent[i] for c in classes] for i in ids])
    return scores, truth, known


def aligned_soundscape(truth_path, submission_path):
    classes, by_row = read_submission(submission_path, "row_id")
    with open(truth_path, newline="") as f:
        truth = list(csv.DictReader(f))
    ids = [t["row_id"] for t in truth]
    present = {t["row_id"]: set(t["labels"].split()) for t in truth}
    return (classes,) + matrices(ids, classes, by_row, present)


def aligned_metadata(truth_path, submission_path):
    """row_id = filename without its extension; present = primary and secondary labels."""
    classes, by_row = read_submission(submission_path, "row_id")
    with open(truth_path, newline="") as f:
        clips = list(csv.DictReader(f))
    ids = [os.path.splitext(c["filename"])[0] for c in clips]
    present = {i: {c["primary_label"], *ast.literal_eval(c["secondary_labels"])}
               for i, c in zip(ids, clips)}
    return (classes,) + matrices(ids, classes, by_row, present)


def aligned_rfcx(tp_path, fp_path, submission_path):
    """Recordings in order of first appearance (TP, then FP); species N is column sN."""
    classes, by_row = read_submission(submission_path, "recording_id")
    ids, present, absent = [], {}, {}
    for path, kind in ((tp_path, present), (fp_path, absent)):
        with open(path, newline="") as f:
            for box in csv.DictReader(f):
                recording = box["recording_id"]
                if recording not in present:
                    ids.append(recording)
                    present[recording], absent[recording] = set(), set()
                kind[recording].add(f"s{int(box['species_id'])}")
    return (classes,) + matrices(ids, classes, by_row, present, absent)


def best_macro_f1(scores, truth, known):
    """Every distinct known score as a threshold; the lowest one on a tie."""
    best = {"f1": -1.0, "threshold": None}
    for threshold in np.unique(scores[known]):
        f1 = reference.f1_at(scores, truth, known, threshold, "macro")
        if f1 > best["f1"]:
            best = {"f1": f1, "threshold": float(threshold)}
    return best


def expected(classes, scores, truth, known, padding, threshold):
    per_class = reference.per_class_references(scores, truth, known, padding)
    if known.all():  # the scorers' own multilabel calls
        metrics = {
            "macro_roc_auc": reference.sklearn_macro_roc_auc(scores, truth),
            "padded_cmap": reference.sklearn_padded_cmap(scores, truth, padding),
            "lwlrap": reference.sklearn_lwlrap(scores, truth),
            "micro_f1": reference.sklearn_f1_at(scores, truth, threshold, "micro"),
            "macro_f1": reference.sklearn_f1_at(scores, truth, threshold, "macro"),
        }
    else:  # the same sklearn functions on each class's (or row's) known cells
        metrics = {
            "macro_roc_auc": reference.macro_roc_auc(per_class),
            "padded_cmap": reference.padded_cmap(per_class),
            "lwlrap": reference.lwlrap(scores, truth, known),
            "micro_f1": reference.f1_at(scores, truth, known, threshold, "micro"),
            "macro_f1": reference.f1_at(scores, truth, known, threshold, "macro"),
        }
    return dict(
        {
            "rows": int(truth.shape[0]),
            "rows_with_labels": int(((truth * known).sum(axis=1) > 0).sum()),
            "classes": len(classes),
            "cells": int(truth.size),
            "known_cells": int(known.sum()),
            "classes_scored": sum(c["roc_auc"] is not None for c in per_class),
        },
        **metrics,
        best_macro_f1=best_macro_f1(scores, truth, known),
        top1_accuracy=reference.top1_accuracy(scores, truth, known),
        per_class=[dict(c, **{"class": name}) for name, c in zip(classes, per_class)],
    )


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

    def paths(name):
        return [os.path.join(args.out, f"{name}.{kind}.csv") for kind in ("truth", "sub", "fp")]

    def add_case(name, aligned_matrices, options):
        padding = options.get("padding", 5)
        threshold = options.get("threshold", 0.5)
        cli = ["--padding", str(padding), "--threshold", repr(threshold)] + options.get("flags", [])
        cases.append({"name": name, "options": cli,
                      "expected": expected(*aligned_matrices, padding, threshold)})

    def add(name, truth, score, options):
        truth_path, submission_path, _ = paths(name)
        write_truth(truth_path, truth)
        write_submission(submission_path, rng, truth, columns, score)
        add_case(name, aligned_soundscape(truth_path, submission_path), options)

    add("informative", truth_rows(rng), informative, {})
    add("quantised_ties", truth_rows(rng), quantised, {"padding": 3, "threshold": 0.6})
    add("logits", truth_rows(rng), logit, {"threshold": 0.0})
    add("unknown_labels_dropped", truth_rows(rng, extra_labels=("rain",)), informative,
        {"flags": ["--ignore-unknown-labels"]})

    # BirdCLEF clips, keyed by filename without the extension.
    truth_path, submission_path, _ = paths("clip_metadata")
    clips = clip_rows(rng)
    write_metadata(truth_path, clips)
    write_scores(submission_path, rng, "row_id",
                 [(os.path.splitext(f)[0], {p, *s}) for f, p, s in clips], columns, informative)
    add_case("clip_metadata", aligned_metadata(truth_path, submission_path), {})

    # RFCX partial labels: unknown cells score at random, often high, so that scoring them
    # would change every metric; the mask must leave them out.
    truth_path, submission_path, fp_path = paths("rfcx_masked")
    tp, fp = rfcx_boxes(rng)
    write_rfcx(truth_path, rng, tp)
    write_rfcx(fp_path, rng, fp)
    species = [f"s{n}" for n in rng.permutation(RFCX_SPECIES)]
    recordings = {}
    for recording, s in tp:
        recordings.setdefault(recording, set()).add(f"s{s}")
    for recording, _ in fp:
        recordings.setdefault(recording, set())
    write_scores(submission_path, rng, "recording_id", list(recordings.items()), species,
                 lambda present: informative(present) if present else float(rng.random()))
    add_case("rfcx_masked", aligned_rfcx(truth_path, fp_path, submission_path),
             {"flags": ["--truth-fp", fp_path]})

    with open(os.path.join(args.out, "cases.json"), "w") as f:
        json.dump({"seed": args.seed, "cases": cases}, f, allow_nan=False, indent=1)


if __name__ == "__main__":
    main()
