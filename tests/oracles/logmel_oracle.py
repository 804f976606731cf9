#!/usr/bin/env python3
"""Reference log-mel spectrograms from torchaudio, for tests/features/logmel_oracle_test.cpp.

Usage: logmel_oracle.py MANIFEST.json

The manifest lists cases: {"wave": in.npy (float32 samples), "out": out.npy, "sample_rate",
"n_fft", "hop_length", "n_mels", "f_min", "f_max", "mel_scale" ("htk"|"slaney"),
"norm" (null|"slaney"), "top_db"}: writes torchaudio.transforms.MelSpectrogram(...) followed by
AmplitudeToDB("power", top_db).
A case {"pcen": {gain, bias, power, time_constant, eps}, "mel": in.npy, "out", "sample_rate",
"hop_length"} instead applies PCEN, librosa's definition computed with scipy.signal.lfilter, to a
given mel power spectrogram (chorus's own), so the PCEN stage is tested alone.
"""
import json
import sys

import numpy as np
import scipy.signal
import torch
import torchaudio


def mel_power(wave, case):
    n_fft = case["n_fft"]
    kwargs = dict(sample_rate=case["sample_rate"], n_fft=n_fft, hop_length=case["hop_length"],
                  n_mels=case["n_mels"], f_min=case["f_min"], f_max=case["f_max"], power=2.0,
                  mel_scale=case["mel_scale"], norm=case["norm"])
    x = torch.from_numpy(wave)
    pad = n_fft // 2
    if pad < len(x):
        return torchaudio.transforms.MelSpectrogram(center=True, pad_mode="reflect", **kwargs)(x)
    # torch's reflect padding rejects pads as long as the signal; numpy's reflect (what librosa
    # uses) reflects repeatedly, so pad that way and let torchaudio run uncentred.
    padded = torch.from_numpy(np.pad(wave, pad, mode="reflect"))
    return torchaudio.transforms.MelSpectrogram(center=False, **kwargs)(padded)


def pcen(mel, sample_rate, hop_length, p):
    # librosa.pcen: IIR smoother with steady-state initial conditions.
    t_frames = p["time_constant"] * sample_rate / hop_length
    b = (np.sqrt(1 + 4 * t_frames ** 2) - 1) / (2 * t_frames ** 2)
    S = mel.astype(np.float64)
    zi = scipy.signal.lfilter_zi([b], [1, b - 1])[np.newaxis, :] * S[:, 0:1]
    M, _ = scipy.signal.lfilter([b], [1, b - 1], S, axis=-1, zi=zi)
    smooth = np.exp(-p["gain"] * (np.log(p["eps"]) + np.log1p(M / p["eps"])))
    return (S * smooth + p["bias"]) ** p["power"] - p["bias"] ** p["power"]


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)["cases"]
    for case in cases:
        if case.get("pcen"):
            mel = np.load(case["mel"]).astype(np.float64)
            out = pcen(mel, case["sample_rate"], case["hop_length"], case["pcen"])
        else:
            wave = np.load(case["wave"]).astype(np.float32)
            mel = mel_power(wave, case)
            out = torchaudio.transforms.AmplitudeToDB("power", top_db=case["top_db"])(mel).numpy()
        np.save(case["out"], np.ascontiguousarray(out, dtype=np.float32))


if __name__ == "__main__":
    main()
