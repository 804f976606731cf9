#!/usr/bin/env python3
"""The Python peer of bench/features_bench.cpp: decode + resample + log-mel as the winning
BirdCLEF pipelines compute them (soundfile → torchaudio.functional.resample →
MelSpectrogram → AmplitudeToDB), with the same settings and the same output lines.

    torchaudio_features.py [--threads N] [--repeat R] FILE...

Run it with Debian's OpenBLAS (the default libblas.so.3 alternative once libopenblas0-pthread is
installed) and tcmalloc preloaded, so the peer is at its best (bench/run_features.sh does).
"""
import argparse
import time

import soundfile
import torch
import torchaudio

SAMPLE_RATE = 32000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=SAMPLE_RATE, n_fft=1024, hop_length=500, n_mels=128, f_min=40, f_max=15000,
        power=2.0, mel_scale="htk")
    to_db = torchaudio.transforms.AmplitudeToDB("power", top_db=80)
    total = [0.0, 0.0, 0.0]
    for path in args.files:
        best = None
        for _ in range(args.repeat):
            start = time.perf_counter()
            data, rate = soundfile.read(path, dtype="float32", always_2d=True)
            x = torch.from_numpy(data.mean(axis=1))
            if rate != SAMPLE_RATE:
                x = torchaudio.functional.resample(x, rate, SAMPLE_RATE)
            decode = time.perf_counter() - start
            start = time.perf_counter()
            spec = to_db(mel(x))
            features = time.perf_counter() - start
            assert spec.shape[0] == 128
            if best is None or decode + features < sum(best):
                best = (decode, features)
        audio_s = len(x) / SAMPLE_RATE
        if len(args.files) <= 8:
            print(f"file {path} audio_s {audio_s:.1f} decode_resample_s {best[0]:.4f} "
                  f"logmel_s {best[1]:.4f} total_s {sum(best):.4f}")
        total[0] += best[0]
        total[1] += best[1]
        total[2] += audio_s
    seconds = total[0] + total[1]
    print(f"total files {len(args.files)} audio_s {total[2]:.1f} decode_resample_s {total[0]:.4f} "
          f"logmel_s {total[1]:.4f} total_s {seconds:.4f} realtime_x {total[2] / seconds:.0f}")


if __name__ == "__main__":
    main()
