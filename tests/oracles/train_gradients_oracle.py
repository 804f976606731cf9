"""Reference training step of a torchvision model, for tests/models/train_gradients_oracle_test.cpp.

usage: train_gradients_oracle.py (ARCH OUT_DIR)...

Each pair of arguments is one case (one Python start serves a whole test suite).

Builds torchvision.models.ARCH(num_classes=7) without randomness in training (dropout 0 and, for
EfficientNet, stochastic depth 0), with random BatchNorm affine parameters and running statistics
(calibrate_batch_norms, then PyTorch's default momentum 0.1 again), and runs one forward pass in
training mode on x [2, 3, 64, 96] and the backward pass of loss = sum(logits * w) for a fixed w.
Writes:
  weights.safetensors  the state dict before the pass
  x.npy, w.npy         the input and the loss weights [2, 7]
  logits.npy           training-mode logits (BatchNorm normalises with the batch's statistics)
  x_grad.npy           d loss / d x
  grads.safetensors    d loss / d parameter, for every parameter, by state-dict name
  after.safetensors    the buffers after the pass (running means, variances, batch counts)
"""
import sys

sys.dont_write_bytecode = True  # importing the sibling oracle must not litter the source tree
from pathlib import Path

import numpy as np
import torch
import torchvision

from torchvision_models_oracle import calibrate_batch_norms, write_safetensors

NUM_CLASSES = 7


def main():
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.exit(__doc__)
    torch.set_num_threads(2)
    for i in range(0, len(args), 2):
        write_case(args[i], Path(args[i + 1]))


def write_case(arch, out):
    torch.manual_seed(0)
    options = {"num_classes": NUM_CLASSES}
    if arch.startswith("efficientnet"):
        options["stochastic_depth_prob"] = 0.0
    model = getattr(torchvision.models, arch)(**options)
    for m in model.modules():
        if isinstance(m, torch.nn.Dropout):  # efficientnet_bN fixes its classifier's dropout
            m.p = 0.0
    x = torch.randn(2, 3, 64, 96)
    calibrate_batch_norms(model, torch.randn(2, 3, 64, 96))
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.momentum = 0.1
    write_safetensors(out / "weights.safetensors", model.state_dict())

    w = torch.randn(2, NUM_CLASSES)
    x.requires_grad_(True)
    model.train()
    logits = model(x)
    (logits * w).sum().backward()
    write_safetensors(out / "grads.safetensors",
                      {name: p.grad for name, p in model.named_parameters()})
    write_safetensors(out / "after.safetensors", dict(model.named_buffers()))
    for name, tensor in {"x": x, "w": w, "logits": logits, "x_grad": x.grad}.items():
        np.save(out / f"{name}.npy", tensor.detach().numpy().astype(np.float32))


if __name__ == "__main__":
    main()
