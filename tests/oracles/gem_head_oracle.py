"""Reference outputs and gradients of the GeM head, for tests/models/gem_head_oracle_test.cpp.

usage: gem_head_oracle.py OUT_DIR

The head is written from its definition (Radenović et al. 2018, in the form timm and the Kaggle
BirdCLEF/RFCX notebooks use): avg_pool2d(x.clamp(min=eps) ** p, whole map) ** (1 / p), flattened,
then dropout and a linear layer, with a learnable p. Seeded, p moved from its initial 3 to 2.5 as
training would, eval mode; features [2, 16, 3, 5] include negative values (the clamp) and a row of
exact zeros. Writes weights.safetensors (p, fc.weight, fc.bias), features.npy, logits.npy, and for
loss = sum(logits * w) with w.npy: features_grad.npy and p_grad.npy.
"""
import sys

sys.dont_write_bytecode = True  # importing the sibling oracle must not litter the source tree
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from torchvision_models_oracle import write_safetensors

IN_FEATURES, NUM_CLASSES, EPS = 16, 7, 1e-6


class GeMHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.p = nn.Parameter(torch.ones(1) * 3)
        self.dropout = nn.Dropout(0.3)
        self.fc = nn.Linear(IN_FEATURES, NUM_CLASSES)

    def forward(self, x):
        pooled = F.avg_pool2d(x.clamp(min=EPS).pow(self.p), (x.size(-2), x.size(-1))).pow(1.0 / self.p)
        return self.fc(self.dropout(pooled.flatten(1)))


def main():
    out = Path(sys.argv[1])
    torch.set_num_threads(1)
    torch.manual_seed(0)
    head = GeMHead().eval()
    with torch.no_grad():
        head.p.fill_(2.5)
    features = torch.randn(2, IN_FEATURES, 3, 5)
    features[:, :, 1, :] = 0.0
    features.requires_grad_(True)
    w = torch.randn(2, NUM_CLASSES)
    logits = head(features)
    (logits * w).sum().backward()
    write_safetensors(out / "weights.safetensors", head.state_dict())
    arrays = {"features": features, "w": w, "logits": logits, "features_grad": features.grad,
              "p_grad": head.p.grad}
    for name, tensor in arrays.items():
        np.save(out / f"{name}.npy", tensor.detach().numpy().astype(np.float32))


if __name__ == "__main__":
    main()
