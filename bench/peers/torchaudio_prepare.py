#!/usr/bin/env python3
"""The Python peer of `chorus prepare`: precompute the mel power spectrogram of every clip of a
dataset (train_metadata.csv + train_audio/) into a directory of .npy files, the way the BirdCLEF
notebooks cache features: soundfile → torchaudio.functional.resample → MelSpectrogram → np.save,
files spread over a multiprocessing pool of N worker processes (one torch thread each).

    torchaudio_prepare.py DATASET_DIR CACHE_DIR [--processes N]

Prints the same summary line as chorus prepare (files/s, audio-seconds/s).
"""
import argparse
import csv
import multiprocessing
import os
import time

SAMPLE_RATE = 32000


def init_worker():
    import torch
    torch.set_num_threads(1)


def prepare_one(job):
    import numpy as np
    import soundfile
    import torch
    import torchaudio
    source, target = job
    data, rate = soundfile.read(source, dtype="float32", always_2d=True)
    x = torch.from_numpy(data.mean(axis=1))
    if rate != SAMPLE_RATE:
        x = torchaudio.functional.resample(x, rate, SAMPLE_RATE)
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=SAMPLE_RATE, n_fft=1024, hop_length=500, n_mels=128, f_min=40, f_max=15000,
        power=2.0)(x)
    np.save(target, mel.numpy())
    return len(x) / SAMPLE_RATE


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset")
    parser.add_argument("cache")
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    os.makedirs(args.cache, exist_ok=True)
    with open(os.path.join(args.dataset, "train_metadata.csv"), newline="") as f:
        names = [row["filename"] for row in csv.DictReader(f)]
    jobs = [(os.path.join(args.dataset, "train_audio", name),
             os.path.join(args.cache, name.replace("/", "__") + ".npy")) for name in names]
    start = time.perf_counter()
    with multiprocessing.Pool(args.processes, initializer=init_worker) as pool:
        seconds = sum(pool.map(prepare_one, jobs, chunksize=8))
    elapsed = time.perf_counter() - start
    print(f"{len(jobs)} files ({seconds:.0f} s of audio): {len(jobs)} computed")
    print(f"{elapsed:.2f} s: {len(jobs) / elapsed:.1f} files/s, {seconds / elapsed:.0f} audio-seconds/s")


if __name__ == "__main__":
    main()
