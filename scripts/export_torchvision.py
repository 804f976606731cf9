#!/usr/bin/env python3
"""Export a torchvision model's state dict as safetensors, for `chorus import`.

    /usr/bin/python3 scripts/export_torchvision.py efficientnet_b0 OUT.safetensors [--seed S]
        [--weights PATH.pth]

With --weights, a state dict saved by torch.save (e.g. torchvision's ImageNet weights, downloaded
wherever you can reach them) is loaded first; without, the model keeps its seeded random
initialisation (for tests).
"""
import argparse

import torch
import torchvision

from safetensors_io import DTYPES, write_safetensors

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("arch")
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--weights")
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    model = getattr(torchvision.models, args.arch)()
    if args.weights:
        model.load_state_dict(torch.load(args.weights, map_location="cpu"))
    write_safetensors(args.out, {k: v for k, v in model.state_dict().items()
                                if v.detach().numpy().dtype in DTYPES})


if __name__ == "__main__":
    main()
