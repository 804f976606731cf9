#!/usr/bin/env python3
"""Two groups of `chorus train` runs that differ in one setting, over several seeds (issue #18:
bf16 training against fp32).

Each run's validation top-1 at the last epoch and averaged over the last 5, and its last ROC-AUC;
then each group's mean and standard deviation and the difference of the means with its standard
error, so a gap can be read against the runs' own spread rather than against one pair of runs.

    bench/compare_training_seeds.py --a RUN… --b RUN…
"""
import argparse
import math
import statistics

from compare_training_runs import records

METRICS = {
    "top-1, last epoch": lambda rs: 100 * rs[-1]["validation"]["accuracy"],
    "top-1, mean of last 5": lambda rs: 100 * statistics.fmean(
        r["validation"]["accuracy"] for r in rs[-5:]),
    "ROC-AUC, last epoch": lambda rs: rs[-1]["validation"]["roc_auc"],
}


def validated_records(run):
    rs = records(run)
    if not rs or any("validation" not in r for r in rs[-5:]):
        raise SystemExit(f"{run}: its train_log.jsonl has no validation in the last epochs "
                         "(a run with --fold, at least 5 epochs, validated every epoch)")
    return rs


def sd(xs):
    return statistics.stdev(xs) if len(xs) > 1 else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", nargs="+", required=True, help="runs of the reference group")
    parser.add_argument("--b", nargs="+", required=True, help="runs of the group compared")
    args = parser.parse_args()
    groups = {"A": [(run, validated_records(run)) for run in args.a],
              "B": [(run, validated_records(run)) for run in args.b]}
    lengths = {len(rs) for runs in groups.values() for _, rs in runs}
    if len(lengths) != 1:
        raise SystemExit(f"the runs have different numbers of epochs: {sorted(lengths)}")

    names = list(METRICS)
    print(f"{'group':5} {'run':40} " + " ".join(f"{n:>22}" for n in names))
    values = {g: {n: [] for n in names} for g in groups}
    for g, runs in groups.items():
        for run, rs in runs:
            row = [METRICS[n](rs) for n in names]
            for n, v in zip(names, row):
                values[g][n].append(v)
            print(f"{g:5} {run[-40:]:40} " + " ".join(f"{v:22.4f}" for v in row))
    for n in names:
        a, b = values["A"][n], values["B"][n]
        se = math.sqrt(sd(a) ** 2 / len(a) + sd(b) ** 2 / len(b))
        print(f"{n}: A {statistics.fmean(a):.4f} ± {sd(a):.4f} (n = {len(a)}), "
              f"B {statistics.fmean(b):.4f} ± {sd(b):.4f} (n = {len(b)}); "
              f"B − A {statistics.fmean(b) - statistics.fmean(a):+.4f} ± {se:.4f} (standard error)")


if __name__ == "__main__":
    main()
