"""Reference AdamW steps with timm's parameter groups, for tests/train/optimizer_oracle_test.cpp.

usage: adamw_oracle.py (OUT_DIR LR WEIGHT_DECAY STEPS MAX_NORM)...

Each group of five arguments is one run (one Python start serves a whole test suite).

A small network (conv, norm, fc: weights of 2 and 3 dimensions, biases and norm weights of 1)
with seeded weights takes STEPS steps of torch.optim.AdamW with fixed random gradients, in two
groups as timm's param_groups_weight_decay makes them (dimension < 2: no decay; the rest:
WEIGHT_DECAY). With MAX_NORM > 0 the gradients are first clipped by
torch.nn.utils.clip_grad_norm_. Writes initial.safetensors (the state dict), gradients.safetensors
("<step>.<name>") and expected.safetensors (the weights after the last step).
"""
import sys
from pathlib import Path

import torch
import torch.nn as nn

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from safetensors_io import write_safetensors  # noqa: E402


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(2, 3, kernel_size=3)
        self.norm = nn.BatchNorm1d(3)
        self.fc = nn.Linear(3, 2)


def main():
    args = sys.argv[1:]
    if not args or len(args) % 5:
        sys.exit(__doc__)
    torch.set_num_threads(1)
    for i in range(0, len(args), 5):
        write_run(*args[i:i + 5])


def write_run(out, lr, weight_decay, steps, max_norm):
    out = Path(out)
    lr, weight_decay, steps, max_norm = float(lr), float(weight_decay), int(steps), float(max_norm)
    torch.manual_seed(3)
    model = TinyNet()
    with torch.no_grad():  # norm weights away from 1 and biases away from 0, so decay would show
        for p in model.parameters():
            p.copy_(torch.randn_like(p))
    params = dict(model.named_parameters())
    write_safetensors(out / "initial.safetensors", model.state_dict())
    no_decay = [p for p in params.values() if p.ndim < 2]
    decay = [p for p in params.values() if p.ndim >= 2]
    optimizer = torch.optim.AdamW([{"params": no_decay, "weight_decay": 0.0},
                                   {"params": decay, "weight_decay": weight_decay}], lr=lr)
    gradients = {}
    for step in range(steps):
        for name, p in params.items():
            p.grad = torch.randn_like(p) * (step + 1)
            gradients[f"{step}.{name}"] = p.grad.clone()
        if max_norm > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
    write_safetensors(out / "gradients.safetensors", gradients)
    write_safetensors(out / "expected.safetensors", params)


if __name__ == "__main__":
    main()
