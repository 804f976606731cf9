"""Reference logits from torchvision models, for tests/models/torchvision_models_oracle_test.cpp.

usage: torchvision_models_oracle.py (ARCH OUT_DIR HEIGHT WIDTH)...

Each group of four arguments is one case (one Python start serves a whole test suite).

Builds torchvision.models.ARCH(num_classes=7) with a fixed seed, sets every BatchNorm's statistics
from a pass over random input and randomises its affine parameters (torchvision initialises them
to the identity, which would hide a wrong epsilon or a skipped norm and lets a deep random network
collapse to constant logits), and writes in eval mode:
  weights.safetensors  the state dict (written by scripts/safetensors_io.py: the safetensors package is
                       not a Debian package)
  x3.npy, y3.npy       input [2, 3, HEIGHT, WIDTH] (128 × 641 is a 10 s BirdCLEF window) and
                       its logits
  x1.npy, y1.npy       input [1, 1, HEIGHT, WIDTH] and the logits of the 1-channel model made by
                       summing the first convolution's weights over RGB (timm's adapt_input_conv)
  y3_64.npy, y1_64.npy the same logits computed in float64 (the networks and inputs converted)
"""
import copy
import sys
from pathlib import Path

import numpy as np
import torch
import torchvision

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from export_torchvision import calibrate_batch_norms  # noqa: E402
from safetensors_io import write_safetensors  # noqa: E402

NUM_CLASSES = 7
FIRST_CONV = {  # the input convolution of each architecture, by attribute path
    "resnet18": "conv1",
    "resnet34": "conv1",
    "efficientnet_b0": "features.0.0",
    "efficientnet_b1": "features.0.0",
    "efficientnet_b2": "features.0.0",
    "efficientnet_b3": "features.0.0",
    "regnet_y_800mf": "stem.0",
    "regnet_y_1_6gf": "stem.0",
}


def one_channel_copy(model, arch):
    single = copy.deepcopy(model)
    conv = single.get_submodule(FIRST_CONV[arch])
    conv.weight = torch.nn.Parameter(conv.weight.detach().sum(1, keepdim=True))
    conv.in_channels = 1
    return single


def main():
    args = sys.argv[1:]
    if not args or len(args) % 4:
        sys.exit(__doc__)
    torch.set_num_threads(2)
    for i in range(0, len(args), 4):
        arch, out, height, width = args[i:i + 4]
        write_case(arch, Path(out), int(height), int(width))


def write_case(arch, out, height, width):
    torch.manual_seed(0)
    model = getattr(torchvision.models, arch)(num_classes=NUM_CLASSES)
    x3 = torch.randn(2, 3, height, width)
    x1 = torch.randn(1, 1, height, width)
    calibrate_batch_norms(model, x3)
    write_safetensors(out / "weights.safetensors", model.state_dict())

    single = one_channel_copy(model, arch).eval()
    with torch.no_grad():
        y3 = model(x3)
        y1 = single(x1)
        # The same networks in float64: how far float32 PyTorch itself is from the exact logits,
        # which is the yardstick for chorus's own float32 rounding.
        y3_64 = copy.deepcopy(model).double()(x3.double())
        y1_64 = single.double()(x1.double())
    for name, tensor in {"x3": x3, "y3": y3, "x1": x1, "y1": y1}.items():
        np.save(out / f"{name}.npy", tensor.numpy().astype(np.float32))
    for name, tensor in {"y3_64": y3_64, "y1_64": y1_64}.items():
        np.save(out / f"{name}.npy", tensor.numpy())


if __name__ == "__main__":
    main()
