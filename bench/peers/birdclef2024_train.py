#!/usr/bin/env python3
"""The Python peer of `chorus train`'s throughput: the BirdCLEF 2024 1st-place training loop.

    birdclef2024_train.py DATA [--batch 32] [--steps 20] [--warmup 3] [--workers 1] [--threads 2]
                          [--channels-last] [--bf16]

DATA is a BirdCLEF-layout folder (train_metadata.csv + train_audio/). The recipe is
examples/birdclef2024.toml's: each input is two 5-second halves, each a random crop of a clip
(shorter clips repeated), their labels averaged; soundfile → torchaudio MelSpectrogram (HTK,
n_fft 1024, hop 500, 128 mels, 40–15000 Hz, power 2) per half → AmplitudeToDB(top_db=80) →
min-max per input → XY masking (p 0.5) in the workers; horizontal cutmix (p 0.5) on the batch;
torchvision EfficientNet-B0 with a 1-channel stem, softmax cross-entropy on the soft targets,
AdamW (lr 2e-3, weight decay 1e-2), cosine schedule per step. A torch DataLoader with --workers
processes (each one torch thread) prepares batches while the model trains on --threads threads.
As the winners' notebooks do, the model runs in PyTorch's default NCHW layout; --channels-last
converts it and its inputs with .to(memory_format=torch.channels_last), which is what chorus's
train.channels_last does, for the comparison at equal layouts. --bf16 runs the forward pass
under torch.autocast("cpu", dtype=torch.bfloat16) (the loss and backward outside it), what
chorus's train.precision = "bf16" does.

Prints samples/s over --steps steps after --warmup steps, and the fraction of that time the
loop waited for the loader.
"""
import argparse
import csv
import math
import time
from pathlib import Path

import numpy as np
import soundfile
import torch
import torchaudio
import torchvision

RATE, HALF = 32000, 5 * 32000


class Halves(torch.utils.data.Dataset):
    def __init__(self, root, rows, classes, seed):
        self.root, self.rows, self.classes = root, rows, classes
        self.order = np.random.default_rng(seed).permutation(len(rows))
        self.mel = torchaudio.transforms.MelSpectrogram(
            RATE, n_fft=1024, hop_length=500, n_mels=128, f_min=40, f_max=15000, power=2.0, mel_scale="htk")
        self.db = torchaudio.transforms.AmplitudeToDB(top_db=80)

    def __len__(self):
        return len(self.rows) // 2

    def half(self, row, rng):
        audio, rate = soundfile.read(self.root / "train_audio" / row["filename"], dtype="float32")
        assert rate == RATE, "the peer expects 32 kHz files"
        if audio.ndim > 1:
            audio = audio.mean(1)
        if len(audio) < HALF:
            audio = np.tile(audio, math.ceil(HALF / len(audio)))
        start = rng.integers(0, len(audio) - HALF + 1)
        return self.mel(torch.from_numpy(audio[start:start + HALF]))

    def __getitem__(self, i):
        rng = np.random.default_rng(i + 1000 * torch.utils.data.get_worker_info().seed % 1000
                                    if torch.utils.data.get_worker_info() else i)
        rows = [self.rows[self.order[2 * i + h]] for h in range(2)]
        x = self.db(torch.cat([self.half(r, rng) for r in rows], dim=1))
        x = (x - x.min()) / (x.max() - x.min() + 1e-7)
        if rng.random() < 0.5:  # XY masking: two time stripes, two frequency stripes
            for _ in range(2):
                w, t = rng.integers(0, 40), rng.integers(0, x.shape[1])
                x[:, t:t + w] = 0
                h, f = rng.integers(0, 8), rng.integers(0, x.shape[0])
                x[f:f + h, :] = 0
        y = torch.zeros(len(self.classes))
        for r in rows:
            y[self.classes.index(r["primary_label"])] += 0.5
        return x[None], y


def horizontal_cutmix(x, y, generator):
    if torch.rand(1, generator=generator).item() >= 0.5:
        return x, y
    perm = torch.randperm(x.shape[0], generator=generator)
    width = x.shape[-1]
    cut = int(torch.randint(1, width, (1,), generator=generator))
    x = x.clone()
    x[..., cut:] = x[perm][..., cut:]
    share = cut / width
    return x, share * y + (1 - share) * y[perm]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--channels-last", action="store_true")
    parser.add_argument("--bf16", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    with open(args.data / "train_metadata.csv") as f:
        rows = list(csv.DictReader(f))
    classes = sorted({r["primary_label"] for r in rows})
    dataset = Halves(args.data, rows, classes, seed=0)
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=args.batch, shuffle=True, drop_last=True, num_workers=args.workers,
        worker_init_fn=lambda _: torch.set_num_threads(1), persistent_workers=args.workers > 0)

    model = torchvision.models.efficientnet_b0(num_classes=len(classes))
    stem = model.features[0][0]
    stem.weight = torch.nn.Parameter(stem.weight.detach().sum(1, keepdim=True))
    stem.in_channels = 1
    layout = torch.channels_last if args.channels_last else torch.contiguous_format
    model = model.to(memory_format=layout)
    model.train()
    total = args.warmup + args.steps
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total, eta_min=1e-6)
    generator = torch.Generator().manual_seed(0)

    step, waited, start = 0, 0.0, None
    while step < total:
        batches = iter(loader)
        while step < total:
            before = time.perf_counter()
            try:
                x, y = next(batches)
            except StopIteration:
                break
            if step == args.warmup:
                start, waited = before, 0.0
            waited += time.perf_counter() - before
            x, y = horizontal_cutmix(x, y, generator)
            x = x.to(memory_format=layout)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
                logits = model(x)
            loss = torch.sum(-y * torch.log_softmax(logits.float(), dim=1), dim=1).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            step += 1
    seconds = time.perf_counter() - start
    print(f"peer train threads {args.threads} workers {args.workers} batch {args.batch} "
          f"{'channels-last' if args.channels_last else 'NCHW'}{' bf16' if args.bf16 else ''}: "
          f"{args.steps * args.batch / seconds:.2f} samples/s, data wait {waited / seconds:.1%} "
          f"({args.steps} steps in {seconds:.1f} s, last loss {loss.item():.3f})")


if __name__ == "__main__":
    main()
