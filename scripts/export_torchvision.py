#!/usr/bin/env python3
"""Export a torchvision model's state dict as safetensors, for `chorus import`.

    /usr/bin/python3 scripts/export_torchvision.py efficientnet_b0 OUT.safetensors [--seed S]
        [--weights PATH.pth] [--calibrate]

With --weights, a state dict saved by torch.save (e.g. torchvision's ImageNet weights, downloaded
wherever you can reach them) is loaded first; without, the model keeps its seeded random
initialisation (for tests). --calibrate gives the BatchNorms random affine parameters and running
statistics measured on random log-mel-sized input, so that a random network's outputs depend on
its input (benchmarks and oracles compare outputs; an uncalibrated one gives ~1e-20 logits).
"""
import argparse

import torch
import torchvision

from safetensors_io import DTYPES, write_safetensors

def calibrate_batch_norms(model, x):
    """Random affine parameters, then running statistics measured on x (one pass,
    cumulative average, only the norms in training mode so stochastic depth and dropout stay
    off): the activations keep their scale and stay input-dependent through every block."""
    norms = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    model.eval()
    with torch.no_grad():
        for m in norms:
            m.weight.uniform_(0.5, 1.5)
            m.bias.uniform_(-0.2, 0.2)
            m.momentum = None
            m.train()
        model(x)  # at the test size: border effects matter in the deep, small feature maps
    model.eval()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("arch")
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--weights")
    parser.add_argument("--calibrate", action="store_true")
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    model = getattr(torchvision.models, args.arch)()
    if args.weights:
        model.load_state_dict(torch.load(args.weights, map_location="cpu"))
    if args.calibrate:
        calibrate_batch_norms(model, torch.randn(2, 3, 128, 641))
    write_safetensors(args.out, {k: v for k, v in model.state_dict().items()
                                if v.detach().numpy().dtype in DTYPES})


if __name__ == "__main__":
    main()
