#!/usr/bin/env python3
"""Reference decoding with the soundfile package (libsndfile via CFFI), for
tests/audio/decode_oracle_test.cpp.

Usage: decode_oracle.py AUDIO OUT.npy — writes the mono float32 mix (mean over channels) of
AUDIO at its own sample rate.
"""
import sys

import numpy as np
import soundfile


def main():
    data, _ = soundfile.read(sys.argv[1], dtype="float32", always_2d=True)
    np.save(sys.argv[2], data.mean(axis=1, dtype=np.float32).astype(np.float32))


if __name__ == "__main__":
    main()
