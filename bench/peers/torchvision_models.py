#!/usr/bin/env python3
"""The Python peer of chorus_bench_models: the same torchvision network, the same weights and inputs.

    torchvision_models.py ARCH WEIGHTS.safetensors DIR [--threads N] [--batches 1,16,64] [--seconds S]

torchvision.models.ARCH with the exported state dict (scripts/export_torchvision.py), the first
convolution summed over RGB into a 1-channel stem (what chorus's load_pretrained does), eval mode,
torch.inference_mode. For each batch B it reads DIR/x_B.npy, times the forward pass (best of passes
over at least S seconds, after a warm-up) and checks its logits against chorus's DIR/y_B.npy:
exit status 1 when max |Δ| > 1e-4 · max(1, max |logit|).
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torchvision

FIRST_CONV = {"resnet18": "conv1", "resnet34": "conv1", "efficientnet_b0": "features.0.0",
              "regnet_y_800mf": "stem.0"}
TOLERANCE = 1e-4


def read_safetensors(path):
    # scripts/safetensors_io.py has the writer; reading needs only the header and numpy.
    import json
    import struct
    data = Path(path).read_bytes()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    dtypes = {"F32": np.float32, "I64": np.int64}
    out = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[8 + n + begin:8 + n + end], dtype=dtypes[info["dtype"]])
        out[name] = torch.from_numpy(array.reshape(info["shape"]).copy())
    return out


def build(arch, weights):
    model = getattr(torchvision.models, arch)()
    model.load_state_dict(read_safetensors(weights))
    conv = model.get_submodule(FIRST_CONV[arch])
    conv.weight = torch.nn.Parameter(conv.weight.detach().sum(1, keepdim=True))
    conv.in_channels = 1
    return model.eval()


def best_seconds(run, seconds):
    run()
    best, spent, calls = 1e30, 0.0, 0
    while calls < 2 or spent < seconds:
        start = time.perf_counter()
        run()
        t = time.perf_counter() - start
        best, spent, calls = min(best, t), spent + t, calls + 1
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("arch")
    parser.add_argument("weights")
    parser.add_argument("dir")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batches", default="1,16,64")
    parser.add_argument("--seconds", type=float, default=1.5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = build(args.arch, args.weights)
    ok = True
    with torch.inference_mode():
        for batch in (int(b) for b in args.batches.split(",")):
            x = torch.from_numpy(np.load(Path(args.dir) / f"x_{batch}.npy"))
            expected = torch.from_numpy(np.load(Path(args.dir) / f"y_{batch}.npy"))
            result = {}
            t = best_seconds(lambda: result.update(y=model(x)), args.seconds)
            diff = (result["y"] - expected).abs().max().item()
            limit = TOLERANCE * max(1.0, expected.abs().max().item())
            ok &= diff <= limit
            print(f"peer {args.arch} threads {args.threads} batch {batch} windows_per_s {batch / t:.2f} "
                  f"max_abs_diff {diff:.2e}{'' if diff <= limit else ' MISMATCH'}", flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
