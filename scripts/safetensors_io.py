"""Writing safetensors from Python without the `safetensors` package (not in Debian): an 8-byte
little-endian header length, a JSON header of {name: {dtype, shape, data_offsets}}, the raw
tensors. Used by scripts/export_torchvision.py and the test oracles."""
import json
import struct

import numpy as np

DTYPES = {np.dtype("float32"): "F32", np.dtype("int64"): "I64"}


def write_safetensors(path, tensors):
    """Writes {name: torch.Tensor} (float32 or int64) to `path`."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        array = tensors[name].detach().contiguous().cpu().numpy()
        blob = array.tobytes()
        header[name] = {"dtype": DTYPES[array.dtype], "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
