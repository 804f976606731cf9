#!/usr/bin/python3
"""Reference values for src/metrics, computed live with scikit-learn and numpy.

    metrics_oracle.py --out DIR [--seed N]

Generates random and adversarial cases from the seed (ties, all-equal scores, classes without
positives or without negatives, a single row, perfect and inverted predictions, scores quantised
to a few levels, -0.0 beside 0.0, masks) and writes for each case DIR/<name>.scores.npy,
DIR/<name>.truth.npy and, for masked cases, DIR/<name>.mask.npy (float32, C order), plus
DIR/cases.json with the expected value of every metric (null where chorus must refuse).

Scores are rounded to float32 before any reference is computed, so the C++ side, which reads
float32 files, scores exactly the numbers sklearn scored. The unmasked references are sklearn's
own multilabel calls; masked cases run the same sklearn functions on each class's (or row's)
known cells. For unmasked cases both routes are computed and must agree, which checks that the
per-class route means what it is taken to mean.

Exit status 77 (the automake "skip" code) when numpy or scikit-learn cannot be imported.
"""

import argparse
import json
import os
import sys
import warnings

try:
    import numpy as np
    from sklearn.metrics import (
        accuracy_score,
        average_precision_score,
        f1_score,
        label_ranking_average_precision_score,
        roc_auc_score,
    )
except ImportError as error:  # pragma: no cover - depends on the machine
    print(f"metrics_oracle: {error}", file=sys.stderr)
    sys.exit(77)

# sklearn warns about classes without positives and ill-defined F1; those cases are deliberate.
warnings.filterwarnings("ignore")

F1_THRESHOLD = 0.5
SELF_CHECK_TOLERANCE = 1e-12
SELF_CHECK_MAX_CELLS = 5_000  # the per-row / per-class sklearn calls are slow


# ---------------------------------------------------------------------------------------------
# References


def class_reference(scores, truth, padding):
    """sklearn's numbers for one class, given only its known rows."""
    positives = int(truth.sum())
    negatives = int(truth.size - positives)
    padded_truth = np.concatenate([truth, np.ones(padding)])
    padded_scores = np.concatenate([scores, np.ones(padding)])
    return {
        "positives": positives,
        "negatives": negatives,
        "roc_auc": float(roc_auc_score(truth, scores)) if positives and negatives else None,
        "average_precision": float(average_precision_score(truth, scores)) if positives else None,
        "padded_average_precision": (
            float(average_precision_score(padded_truth, padded_scores))
            if padded_truth.sum() > 0
            else None
        ),
    }


def per_class_references(scores, truth, known, padding):
    return [
        class_reference(scores[known[:, c], c], truth[known[:, c], c], padding)
        for c in range(scores.shape[1])
    ]


def macro_roc_auc(per_class):
    # BirdCLEF 2024 keeps the classes with positives; sklearn cannot score all-positive ones.
    defined = [c["roc_auc"] for c in per_class if c["roc_auc"] is not None]
    return float(np.mean(defined)) if defined else None


def sklearn_macro_roc_auc(scores, truth):
    """The BirdCLEF 2024 scorer: roc_auc_score(average='macro') on the scorable columns."""
    columns = [c for c in range(truth.shape[1]) if 0 < truth[:, c].sum() < truth.shape[0]]
    if not columns:
        return None
    if len(columns) == 1:
        return float(roc_auc_score(truth[:, columns[0]], scores[:, columns[0]]))
    return float(roc_auc_score(truth[:, columns], scores[:, columns], average="macro"))


def padded_cmap(per_class):
    # With padding 0 a class without positives gets AP 0 from sklearn (recall set to 1).
    values = [c["padded_average_precision"] for c in per_class]
    return float(np.mean([0.0 if v is None else v for v in values]))


def sklearn_padded_cmap(scores, truth, padding):
    """BirdCLEF 2022/2023 padded_cmap: all-ones rows appended, then macro average precision."""
    ones = np.ones((padding, truth.shape[1]))
    padded_truth = np.vstack([truth, ones])
    padded_scores = np.vstack([scores, ones])
    if truth.shape[1] == 1:
        return float(average_precision_score(padded_truth[:, 0], padded_scores[:, 0]))
    return float(average_precision_score(padded_truth, padded_scores, average="macro"))


def lwlrap(scores, truth, known):
    """Each row ranked among its known cells, weighted by its number of known positives."""
    weighted, labels = 0.0, 0
    for r in range(truth.shape[0]):
        row_truth = truth[r, known[r]]
        count = int(row_truth.sum())
        if count == 0:
            continue
        row_scores = scores[r, known[r]]
        weighted += count * label_ranking_average_precision_score(
            row_truth[None, :], row_scores[None, :]
        )
        labels += count
    return weighted / labels if labels else None


def sklearn_lwlrap(scores, truth):
    weights = truth.sum(axis=1)
    if weights.sum() == 0:
        return None
    return float(label_ranking_average_precision_score(truth, scores, sample_weight=weights))


def f1_at(scores, truth, known, threshold, average):
    """score >= threshold is a positive prediction; only known cells are counted."""
    predicted = (scores >= threshold).astype(np.float64)
    if average == "micro":
        return float(f1_score(truth[known], predicted[known], zero_division=0))
    per_class = [
        float(f1_score(truth[known[:, c], c], predicted[known[:, c], c], zero_division=0))
        if known[:, c].any()
        else 0.0
        for c in range(truth.shape[1])
    ]
    return float(np.mean(per_class))


def sklearn_f1_at(scores, truth, threshold, average):
    predicted = (scores >= threshold).astype(np.float64)
    if truth.shape[1] == 1:
        return float(f1_score(truth[:, 0], predicted[:, 0], zero_division=0))
    return float(f1_score(truth, predicted, average=average, zero_division=0))


def top1_accuracy(scores, truth, known):
    """numpy: argmax over the known cells (first on ties) is a positive, over answerable rows."""
    answerable = (truth * known).sum(axis=1) > 0
    if not answerable.any():
        return None
    top = np.where(known, scores, -np.inf).argmax(axis=1)
    hits = truth[np.arange(truth.shape[0]), top] == 1
    return float(hits[answerable].mean())


def check_agrees(name, what, ours, sklearns):
    same = (ours is None and sklearns is None) or (
        ours is not None and sklearns is not None and abs(ours - sklearns) <= SELF_CHECK_TOLERANCE
    )
    if not same:
        raise SystemExit(f"metrics_oracle: {name}: {what}: known-cell route {ours} != sklearn {sklearns}")


def known_cell_values(scores, truth, known, per_class, thresholds):
    """The metrics on known cells only, by sklearn calls per class or per row."""
    return {
        "macro_roc_auc": macro_roc_auc(per_class),
        "padded_cmap": padded_cmap(per_class),
        "lwlrap": lwlrap(scores, truth, known),
        "micro_f1": f1_at(scores, truth, known, F1_THRESHOLD, "micro"),
        "macro_f1": f1_at(scores, truth, known, F1_THRESHOLD, "macro"),
        "micro_f1_by_threshold": [f1_at(scores, truth, known, t, "micro") for t in thresholds],
        "macro_f1_by_threshold": [f1_at(scores, truth, known, t, "macro") for t in thresholds],
    }


def sklearn_matrix_values(scores, truth, padding, thresholds):
    """The metrics of a fully known matrix, by sklearn's multilabel calls as the scorers make them."""
    return {
        "macro_roc_auc": sklearn_macro_roc_auc(scores, truth),
        "padded_cmap": sklearn_padded_cmap(scores, truth, padding),
        "lwlrap": sklearn_lwlrap(scores, truth),
        "micro_f1": sklearn_f1_at(scores, truth, F1_THRESHOLD, "micro"),
        "macro_f1": sklearn_f1_at(scores, truth, F1_THRESHOLD, "macro"),
        "micro_f1_by_threshold": [sklearn_f1_at(scores, truth, t, "micro") for t in thresholds],
        "macro_f1_by_threshold": [sklearn_f1_at(scores, truth, t, "macro") for t in thresholds],
    }


def expected_values(name, scores, truth, mask, padding, thresholds):
    known = np.ones(truth.shape, bool) if mask is None else mask.astype(bool)
    per_class = per_class_references(scores, truth, known, padding)
    if mask is not None:
        expected = known_cell_values(scores, truth, known, per_class, thresholds)
    else:
        expected = sklearn_matrix_values(scores, truth, padding, thresholds)
        if truth.size <= SELF_CHECK_MAX_CELLS:
            # The route the masked cases take must give sklearn's numbers on a full mask.
            for what, value in known_cell_values(scores, truth, known, per_class, thresholds[:3]).items():
                values = value if isinstance(value, list) else [value]
                references = expected[what][:3] if isinstance(value, list) else [expected[what]]
                for ours, theirs in zip(values, references):
                    check_agrees(name, what, ours, theirs)
    expected["per_class"] = per_class
    expected["top1_accuracy"] = top1_accuracy(scores, truth, known)
    if mask is None and (truth.sum(axis=1) == 1).all():
        accuracy = float(accuracy_score(truth.argmax(axis=1), scores.argmax(axis=1)))
        check_agrees(name, "top1_accuracy", expected["top1_accuracy"], accuracy)
    return expected


# ---------------------------------------------------------------------------------------------
# Cases


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def bernoulli(rng, shape, p):
    return (rng.random(shape) < p).astype(np.float64)


def informative_scores(rng, truth, signal=2.0):
    """A model that has learnt something: positives score higher on average."""
    return sigmoid(rng.normal(0.0, 1.5, truth.shape) + signal * truth - signal)


def both_classes_in_every_column(truth):
    truth[0, :] = 1.0
    truth[1, :] = 0.0
    return truth


def make_cases(rng):
    """(name, scores, truth, mask or None, padding) for every case."""
    cases = []

    def add(name, scores, truth, mask=None, padding=5):
        cases.append((name, scores, truth, mask, padding))

    truth = bernoulli(rng, (300, 10), 0.25)
    add("random_dense", rng.random(truth.shape), truth)

    truth = bernoulli(rng, (800, 40), 0.02)
    add("random_sparse", informative_scores(rng, truth), truth)
    add("random_sparse_padding_0", informative_scores(rng, truth), truth, padding=0)
    add("random_sparse_padding_1", informative_scores(rng, truth), truth, padding=1)

    truth = bernoulli(rng, (3000, 50), 0.05)
    add("large_random", informative_scores(rng, truth), truth)

    truth = bernoulli(rng, (400, 12), 0.3)
    levels = np.array([0.0, 0.25, 0.5, 0.75, 1.0])  # ties at the padding score and at 0.5
    add("quantised_5_levels", levels[rng.integers(0, 5, truth.shape)], truth)

    truth = bernoulli(rng, (300, 8), 0.3)
    levels = np.array([-2.0, -0.5, 0.5, 1.0, 1.5, 3.0])  # logits: padding ranks mid-list
    index = np.clip(rng.integers(0, 5, truth.shape) + truth.astype(int), 0, 5)
    add("quantised_logits", levels[index], truth)
    add("quantised_logits_padding_2", levels[index], truth, padding=2)

    truth = bernoulli(rng, (50, 6), 0.3)
    add("all_equal", np.full(truth.shape, 0.5), truth)

    truth = bernoulli(rng, (40, 5), 0.5)
    add("all_equal_one", np.ones(truth.shape), truth)

    truth = bernoulli(rng, (1, 9), 0.4)
    truth[0, 0] = 1.0
    add("single_row", rng.random(truth.shape), truth)

    truth = both_classes_in_every_column(bernoulli(rng, (200, 7), 0.2))
    perfect = truth * 0.5 + 0.4 * rng.random(truth.shape) + 0.05
    add("perfect", perfect, truth)
    add("inverted", 1.0 - perfect, truth)

    truth = bernoulli(rng, (100, 6), 0.3)
    truth[:, 0] = 0.0  # no positive
    truth[:, 1] = 1.0  # no negative
    truth[:, 2] = 0.0
    truth[17, 2] = 1.0  # a single positive
    truth[:, 3] = 1.0
    truth[42, 3] = 0.0  # a single negative
    truth[5, :] = 0.0  # a row without labels
    truth[6, :] = 1.0  # a row with every label
    add("degenerate_columns", rng.random(truth.shape), truth)

    truth = bernoulli(rng, (150, 1), 0.3)
    add("single_column", informative_scores(rng, truth), truth)

    truth = np.zeros((300, 15))
    truth[np.arange(300), rng.integers(0, 15, 300)] = 1.0
    logits = rng.normal(0.0, 1.0, truth.shape) + 1.5 * truth
    add("one_hot", np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True), truth)

    truth = np.zeros((30, 4))
    add("no_positives_at_all", rng.random(truth.shape), truth)

    truth = bernoulli(rng, (120, 6), 0.3)
    signed_zeros = np.array([-0.0, 0.0, 1e-30, -1e-30, 1e30, -1e30])
    add("signed_zeros_and_extremes", signed_zeros[rng.integers(0, 6, truth.shape)], truth)

    truth = bernoulli(rng, (400, 20), 0.1)
    add("masked_random", informative_scores(rng, truth), truth, bernoulli(rng, truth.shape, 0.6))

    truth = bernoulli(rng, (300, 10), 0.3)
    levels = np.array([0.1, 0.5, 0.9, 1.0])
    mask = bernoulli(rng, truth.shape, 0.5)
    mask[:, 4] = 0.0  # a class with nothing known
    mask[7, :] = 0.0  # a row with nothing known
    mask[8, :] = 1.0
    truth[8, :] = 1.0  # a fully known row with every label
    add("masked_quantised", levels[rng.integers(0, 4, truth.shape)], truth, mask)

    # RFCX: a few cells per row are known (train_tp / train_fp), about half of them positive.
    mask = bernoulli(rng, (500, 24), 0.1)
    truth = mask * bernoulli(rng, mask.shape, 0.5)
    add("masked_rfcx_like", informative_scores(rng, truth), truth, mask)

    return cases


def candidate_thresholds(rng, scores):
    grid = np.round(np.arange(0.1, 1.0, 0.1), 2)
    # Scores themselves as thresholds: a cell scoring exactly the threshold is positive.
    exact = rng.choice(scores.ravel(), size=min(4, scores.size), replace=False)
    extremes = [scores.min(), scores.max() + 1.0]
    return sorted(set(float(t) for t in np.concatenate([grid, exact, extremes])))


def write_case(out, name, scores, truth, mask):
    np.save(os.path.join(out, f"{name}.scores.npy"), scores.astype(np.float32))
    np.save(os.path.join(out, f"{name}.truth.npy"), truth.astype(np.float32))
    if mask is not None:
        np.save(os.path.join(out, f"{name}.mask.npy"), mask.astype(np.float32))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="directory for the .npy files and cases.json")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(args.seed)

    described = []
    for name, scores, truth, mask, padding in make_cases(rng):
        # What C++ will read: float32. Every reference is computed on exactly these values.
        scores = scores.astype(np.float32).astype(np.float64)
        thresholds = candidate_thresholds(rng, scores)
        write_case(args.out, name, scores, truth, mask)
        described.append(
            {
                "name": name,
                "masked": mask is not None,
                "padding": padding,
                "f1_threshold": F1_THRESHOLD,
                "thresholds": thresholds,
                "expected": expected_values(name, scores, truth, mask, padding, thresholds),
            }
        )
    with open(os.path.join(args.out, "cases.json"), "w") as f:
        json.dump({"seed": args.seed, "cases": described}, f, allow_nan=False, indent=1)


if __name__ == "__main__":
    main()
