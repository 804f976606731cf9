"""Reference outputs of the BirdCLEF SED attention head, for tests/models/sed_head_oracle_test.cpp.

usage: sed_head_oracle.py OUT_DIR

The head is written here as the Kaggle "TimmSED" notebooks (BirdCLEF 2021-2023) write it, on
PANNs' AttBlockV2 (Kong et al. 2020, github.com/qiuqiangkong/audioset_tagging_cnn), with a seeded
initialisation, in eval mode. Writes weights.safetensors (fc1, att_block.att, att_block.cla),
features.npy [2, 64, 4, 20] and clip_logits.npy, clip_probabilities.npy, frame_probabilities.npy.
"""
import sys

sys.dont_write_bytecode = True  # importing the sibling oracle must not litter the source tree
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from torchvision_models_oracle import write_safetensors

IN_FEATURES, NUM_CLASSES = 64, 7


class AttBlockV2(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.att = nn.Conv1d(in_features, out_features, kernel_size=1, stride=1, padding=0, bias=True)
        self.cla = nn.Conv1d(in_features, out_features, kernel_size=1, stride=1, padding=0, bias=True)

    def forward(self, x):
        norm_att = torch.softmax(torch.tanh(self.att(x)), dim=-1)
        cla = torch.sigmoid(self.cla(x))
        x = torch.sum(norm_att * cla, dim=2)
        return x, norm_att, cla


class SedHead(nn.Module):
    def __init__(self, in_features, num_classes):
        super().__init__()
        self.fc1 = nn.Linear(in_features, in_features, bias=True)
        self.att_block = AttBlockV2(in_features, num_classes)

    def forward(self, x):  # x: backbone features (batch, channels, freq, frames)
        x = torch.mean(x, dim=2)
        x1 = F.max_pool1d(x, kernel_size=3, stride=1, padding=1)
        x2 = F.avg_pool1d(x, kernel_size=3, stride=1, padding=1)
        x = x1 + x2
        x = F.dropout(x, p=0.5, training=self.training)
        x = x.transpose(1, 2)
        x = F.relu_(self.fc1(x))
        x = x.transpose(1, 2)
        x = F.dropout(x, p=0.5, training=self.training)
        clipwise_output, norm_att, segmentwise_output = self.att_block(x)
        logit = torch.sum(norm_att * self.att_block.cla(x), dim=2)
        return logit, clipwise_output, segmentwise_output.transpose(1, 2)


def main():
    out = Path(sys.argv[1])
    torch.set_num_threads(1)
    torch.manual_seed(0)
    head = SedHead(IN_FEATURES, NUM_CLASSES).eval()
    features = torch.randn(2, IN_FEATURES, 4, 20)
    with torch.no_grad():
        logit, clipwise, framewise = head(features)
    write_safetensors(out / "weights.safetensors", head.state_dict())
    arrays = {"features": features, "clip_logits": logit, "clip_probabilities": clipwise,
              "frame_probabilities": framewise}
    for name, tensor in arrays.items():
        np.save(out / f"{name}.npy", tensor.numpy().astype(np.float32))


if __name__ == "__main__":
    main()
