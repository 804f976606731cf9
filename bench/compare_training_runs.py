#!/usr/bin/env python3
"""Two `chorus train` runs side by side (issue #18: bf16 training against fp32, same seed).

For each epoch: each run's mean training loss and validation top-1 (fold accuracy), and the
relative loss difference; then the largest relative difference, each run's last-epoch top-1 and
samples/s.

    bench/compare_training_runs.py RUN_A RUN_B
"""
import json
import sys


def records(run):
    with open(f"{run}/train_log.jsonl") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    a_dir, b_dir = sys.argv[1:3]
    a, b = records(a_dir), records(b_dir)
    print(f"{'epoch':>5} {'loss A':>9} {'loss B':>9} {'rel. diff':>9} {'top-1 A':>8} {'top-1 B':>8}")
    worst = 0.0
    for ra, rb in zip(a, b):
        la, lb = ra["train_loss"], rb["train_loss"]
        rel = abs(lb - la) / la
        worst = max(worst, rel)
        ta = ra.get("validation", {}).get("accuracy", float("nan"))
        tb = rb.get("validation", {}).get("accuracy", float("nan"))
        print(f"{ra['epoch']:>5} {la:9.4f} {lb:9.4f} {rel:9.2%} {ta:8.2%} {tb:8.2%}")
    epochs = min(len(a), len(b))
    last_a, last_b = a[epochs - 1], b[epochs - 1]
    print(f"largest relative loss difference over {epochs} epochs ({last_a['step']} steps): "
          f"{worst:.2%}")
    print(f"last epoch top-1: A {last_a['validation']['accuracy']:.2%}, "
          f"B {last_b['validation']['accuracy']:.2%} "
          f"(Δ {100 * (last_b['validation']['accuracy'] - last_a['validation']['accuracy']):+.2f} pt)")
    mean = lambda rs: sum(r["samples_per_second"] for r in rs[1:]) / max(1, len(rs) - 1)
    print(f"samples/s (epochs 2…): A {mean(a):.1f}, B {mean(b):.1f}")


if __name__ == "__main__":
    main()
