#!/usr/bin/python3
"""Seed corpus for the fuzz targets, made at fuzz time (nothing binary is committed): small
valid files of every kind each target reads, the first kilobytes of the shared data's real
recordings and tables, and the hostile shapes the robustness suite makes.

    fuzz/make_corpus.py OUT [SHARED_DATA]

writes OUT/<target>/<seed> for each target in fuzz/CMakeLists.txt.
"""
import io
import json
import math
import pathlib
import struct
import sys
import wave

import numpy as np
import soundfile


def seeds(out, target):
    folder = out / target
    folder.mkdir(parents=True, exist_ok=True)

    def put(name, data):
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())

    return put


def tone(rate, seconds, channels=1):
    t = np.arange(int(rate * seconds)) / rate
    mono = 0.3 * np.sin(2 * math.pi * 440 * t)
    return np.repeat(mono[:, None], channels, axis=1).astype(np.float32)


def encoded(samples, rate, fmt, subtype=None):
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format=fmt, subtype=subtype)
    return buffer.getvalue()


def audio(put, shared):
    put("pcm16.wav", encoded(tone(8000, 0.2), 8000, "WAV", "PCM_16"))
    put("float_stereo.wav", encoded(tone(16000, 0.1, 2), 16000, "WAV", "FLOAT"))
    put("tone.flac", encoded(tone(22050, 0.2), 22050, "FLAC"))
    put("tone.ogg", encoded(tone(32000, 0.3), 32000, "OGG", "VORBIS"))
    put("tone.aiff", encoded(tone(8000, 0.1), 8000, "AIFF", "PCM_16"))
    huge = tone(8000, 0.05)
    huge[10] = 1e38
    put("huge.wav", encoded(huge, 8000, "WAV", "FLOAT"))
    with io.BytesIO() as raw:  # a WAV whose header claims 1 Hz
        with wave.open(raw, "wb") as w:
            w.setnchannels(1), w.setsampwidth(2), w.setframerate(1)
            w.writeframes(b"\0\1" * 200)
        put("one_hertz.wav", raw.getvalue())
    put("truncated.ogg", encoded(tone(32000, 0.5), 32000, "OGG", "VORBIS")[:3000])
    if shared:
        for path in sorted(shared.rglob("*.ogg"))[:4]:
            put("shared_" + path.name, path.read_bytes()[:48000])


def safetensors(put):
    def file(header, data=b""):
        text = json.dumps(header).encode()
        return struct.pack("<Q", len(text)) + text + data

    weights = np.arange(6, dtype=np.float32).tobytes()
    meta = {"chorus": json.dumps({"format": 1, "config": "[model]\narch = \"resnet18\"\n",
                                  "classes": ["a", "b"]})}
    put("one.safetensors", file({"w": {"dtype": "F32", "shape": [2, 3],
                                       "data_offsets": [0, 24]}, "__metadata__": meta}, weights))
    put("mixed.safetensors", file({
        "a": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]},
        "b": {"dtype": "I64", "shape": [1], "data_offsets": [4, 12]},
        "c": {"dtype": "BF16", "shape": [], "data_offsets": [12, 14]}}, bytes(14)))
    put("overlap.safetensors", file({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                                     "b": {"dtype": "F32", "shape": [1], "data_offsets": [2, 6]}},
                                    bytes(8)))


def tables(put, shared):
    put("metadata.csv", "primary_label,secondary_labels,filename,rating\n"
                        "a,\"['b']\",a/1.ogg,4.5\nb,[],b/2.ogg,3\n")
    put("labels.csv", "row_id,site,audio_id,seconds,birds\nx_5,S,x,5,a b\nx_10,S,x,10,nocall\n")
    put("quoted.csv", "a,b\n\"1,2\",\"say \"\"hi\"\"\"\n\"multi\nline\",3\n")
    put("ragged.csv", "a,b\n1,2,3\n")
    put("bom.csv", "\ufeffa,b\r\n1,2\r\n")
    if shared:
        for path in sorted(shared.rglob("*.csv"))[:6]:
            put("shared_" + path.parent.name + "_" + path.name, path.read_bytes()[:4000])


def raven(put, shared):
    header = "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\t" \
             "High Freq (Hz)\tSpecies\n"
    put("table.txt", header + "1\tSpectrogram 1\t1\t0.5\t1.5\t1000\t4000\tamerob\n")
    put("two_species.txt", header.replace("\n", "\tSpecies\n") +
        "1\tSpectrogram 1\t1\t0.5\t1.5\t1000\t4000\ta\tb\n")
    put("nul.txt", header + "1\tSpectrogram 1\t1\t0.5\t1.5\t1000\t4000\tam\0rob\n")
    if shared:
        for path in sorted(shared.rglob("*.selections.txt"))[:2]:
            put("shared_" + path.name, path.read_bytes()[:4000])


def config(put, examples):
    put("audio.toml", "[audio]\nsample_rate = 32000\n[features]\nn_mels = 64\nfmin = 50\n")
    put("bad.toml", "[features]\nn_fft = -1\nwindow = \"nope\"\n")
    put("nested.toml", "[audio]\n[audio.sub]\nx = [1, [2, {a = 3}]]\n")
    for path in sorted(examples.glob("*.toml")):
        put("example_" + path.name, path.read_bytes())


def npy(put):
    for name, array in [("f32.npy", np.zeros((2, 3), np.float32)),
                        ("f64.npy", np.ones(4)), ("empty.npy", np.zeros((0, 5), np.float32)),
                        ("fortran.npy", np.asfortranarray(np.ones((3, 2), np.float32)))]:
        buffer = io.BytesIO()
        np.save(buffer, array)
        put(name, buffer.getvalue())
    # A shape of (-2, 3): read as 2 by a reader that trusts it.
    text = b"{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3), }"
    text += b" " * (63 - (10 + len(text)) % 64) + b"\n"
    put("negative_shape.npy", b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text +
        bytes(24))


def main():
    out = pathlib.Path(sys.argv[1])
    shared = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else None
    if shared is not None and not shared.is_dir():
        shared = None
    examples = pathlib.Path(__file__).resolve().parent.parent / "examples"
    audio(seeds(out, "fuzz_audio"), shared)
    safetensors(seeds(out, "fuzz_safetensors"))
    tables(seeds(out, "fuzz_tables"), shared)
    raven(seeds(out, "fuzz_raven"), shared)
    config(seeds(out, "fuzz_config"), examples)
    npy(seeds(out, "fuzz_npy"))


if __name__ == "__main__":
    main()
