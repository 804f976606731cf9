#!/usr/bin/env python3
"""The Python peer of `chorus predict`: the BirdCLEF 2024 1st-place inference pipeline.

    birdclef2024_predict.py CHECKPOINT OUT.csv AUDIO... [--threads N] [--arch A] [--bf16]
                            [--channels-last]

For every recording: soundfile → (resample to 32 kHz) → per 5 s chunk a 10 s window (2.5 s either
side) zero-padded at the file's edges → torchaudio MelSpectrogram (HTK, n_fft 1024, hop 500,
128 mels, 40–15000 Hz, power 2, centre/reflect) of that window → AmplitudeToDB(top_db=80) →
min-max (x − min) / (max − min + 1e-7) → EfficientNet-B0 (torchvision, 1-channel stem) → sigmoid.
--arch regnet_y_800mf runs that torchvision model instead; --bf16 runs the model under
torch.autocast("cpu", dtype=torch.bfloat16) (PyTorch's reduced-precision inference on CPU) and
--channels-last in NHWC memory format, the peer's best settings for the precision benchmark.
The weights come from a chorus checkpoint (safetensors; torchvision's parameter names), read here
with the standard library and numpy. Writes a Kaggle submission: row_id = <stem>_<end second>.
"""
import argparse
import json
import math
import os
import struct
import time

import numpy as np
import soundfile
import torch
import torchaudio
import torchvision

RATE, CHUNK, CONTEXT = 32000, 5 * 32000, 10 * 32000
NUMPY = {"F32": np.float32, "I64": np.int64}


def read_checkpoint(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = json.loads(header.pop("__metadata__")["chorus"])
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=NUMPY[info["dtype"]]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors, meta["classes"]


def build_model(tensors, classes, arch):
    model = getattr(torchvision.models, arch)(num_classes=len(classes))
    stem = model.features[0] if arch.startswith("efficientnet") else model.stem
    old = stem[0]
    stem[0] = torch.nn.Conv2d(1, old.out_channels, old.kernel_size, old.stride, old.padding,
                              bias=False)
    model.load_state_dict(tensors)
    return model.eval()


def predict(model, path, mel, to_db, bf16, channels_last):
    data, rate = soundfile.read(path, dtype="float32", always_2d=True)
    x = torch.from_numpy(data.mean(axis=1))
    if rate != RATE:
        x = torchaudio.functional.resample(x, rate, RATE)
    chunks = max(1, math.ceil(len(x) / CHUNK))
    padded = torch.zeros(chunks * CHUNK + CONTEXT)
    padded[(CONTEXT - CHUNK) // 2:(CONTEXT - CHUNK) // 2 + len(x)] = x
    windows = []
    for k in range(chunks):
        spec = to_db(mel(padded[k * CHUNK:k * CHUNK + CONTEXT]))
        spec = (spec - spec.min()) / (spec.max() - spec.min() + 1e-7)
        windows.append(spec)
    x = torch.stack(windows).unsqueeze(1)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        scores = torch.sigmoid(model(x).float()).numpy()
    stem = os.path.splitext(os.path.basename(path))[0]
    return [(f"{stem}_{(k + 1) * 5}", scores[k]) for k in range(chunks)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("checkpoint")
    parser.add_argument("out")
    parser.add_argument("audio", nargs="+")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--arch", default="efficientnet_b0",
                        choices=["efficientnet_b0", "regnet_y_800mf"])
    parser.add_argument("--bf16", action="store_true")
    parser.add_argument("--channels-last", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    tensors, classes = read_checkpoint(args.checkpoint)
    model = build_model(tensors, classes, args.arch)
    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    mel = torchaudio.transforms.MelSpectrogram(RATE, n_fft=1024, hop_length=500, n_mels=128, f_min=40,
                                               f_max=15000, power=2.0, mel_scale="htk")
    to_db = torchaudio.transforms.AmplitudeToDB("power", top_db=80)
    start = time.perf_counter()
    rows = []
    for path in sorted(args.audio, key=lambda p: (os.path.splitext(os.path.basename(p))[0], p)):
        rows += predict(model, path, mel, to_db, args.bf16, args.channels_last)
    elapsed = time.perf_counter() - start
    with open(args.out, "w") as f:
        f.write("row_id," + ",".join(classes) + "\n")
        for row_id, s in rows:
            f.write(row_id + "," + ",".join(f"{v:.6g}" for v in s) + "\n")
    print(f"{len(rows)} chunks in {elapsed:.2f} s: {len(rows) / elapsed:.1f} chunks/s")


if __name__ == "__main__":
    main()
