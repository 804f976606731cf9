"""Reference learning rates of chorus's warmup + cosine schedule, for
tests/train/lr_schedule_oracle_test.cpp.

usage: lr_schedule_oracle.py (OUT_FILE EPOCHS STEPS_PER_EPOCH WARMUP_EPOCHS LR MIN_LR)...

Each group of six arguments is one schedule (one Python start serves a whole test suite).

Steps a real optimizer (SGD on one parameter) through torch.optim.lr_scheduler's SequentialLR of
LinearLR(start_factor = 1/(W+1), total_iters = W) and CosineAnnealingLR(T_max = S - W,
eta_min = MIN_LR), W = warmup steps (round half up), S = EPOCHS * STEPS_PER_EPOCH; without warmup
the cosine alone. Writes the rate of each step 0..S, one per line, at full precision.
"""
import math
import sys
import warnings

import torch


def main():
    args = sys.argv[1:]
    if not args or len(args) % 6:
        sys.exit(__doc__)
    for i in range(0, len(args), 6):
        write_schedule(*args[i:i + 6])


def write_schedule(out, epochs, steps_per_epoch, warmup_epochs, lr, min_lr):
    epochs, steps_per_epoch = int(epochs), int(steps_per_epoch)
    warmup_epochs, lr, min_lr = float(warmup_epochs), float(lr), float(min_lr)
    total = epochs * steps_per_epoch
    warmup = min(total, int(math.floor(warmup_epochs * steps_per_epoch + 0.5)))
    # SequentialLR's milestone switch calls step(epoch), which warns about a deprecated argument.
    warnings.filterwarnings("ignore", category=UserWarning)
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total - warmup,
                                                        eta_min=min_lr)
    if warmup > 0:
        linear = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1 / (warmup + 1),
                                                   end_factor=1.0, total_iters=warmup)
        scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [linear, cosine],
                                                          milestones=[warmup])
    else:
        scheduler = cosine
    rates = []
    for _ in range(total + 1):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    with open(out, "w") as f:
        f.write("".join(f"{r!r}\n" for r in rates))


if __name__ == "__main__":
    main()
