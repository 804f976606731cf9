#!/usr/bin/env python3
"""Export a torchvision model's state dict as safetensors, for `chorus import`.

    /usr/bin/python3 scripts/export_torchvision.py efficientnet_b0 OUT.safetensors [--seed S]
        [--weights PATH.pth]

With --weights, a state dict saved by torch.save (e.g. torchvision's ImageNet weights, downloaded
wherever you can reach them) is loaded first; without, the model keeps its seeded random
initialisation (for tests). Written with the standard library and numpy: the safetensors layout
is an 8-byte little-endian header length, a JSON header, then the raw tensors.
"""
import argparse
import json
import struct

import numpy as np
import torch
import torchvision

DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        data = t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


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
    write_safetensors(args.out, {k: v for k, v in model.state_dict().items() if v.dtype in DTYPES})


if __name__ == "__main__":
    main()
