"""Reference values of chorus's training losses, for tests/train/losses_oracle_test.cpp.

usage: losses_oracle.py OUT_DIR

Each loss is computed the way its source defines it, with PyTorch's own functions where there is
one (CrossEntropyLoss with probability targets, BCEWithLogitsLoss, torchvision's
sigmoid_focal_loss, BCELoss) and the paper's formula written out term by term where there is not
(LSEP's double sum), in float64 from the float32 inputs. Writes inputs.safetensors (logits,
targets, mask, sample_weights, class_weights, clip_probabilities, frame_probabilities) and
expected.safetensors with, per case "<loss>.<variant>", the loss (".loss") and its gradient
(".grad_logits"; sed: ".grad_clip" and ".grad_frames"). Variants: plain, mask, weights (class and
sample weights), all (mask and both weights).
"""
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
import torchvision

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from safetensors_io import write_safetensors  # noqa: E402

N, C, T = 6, 5, 7
FOCAL_GAMMA, FOCAL_ALPHA, LSOFT_BETA, SED_FRAME_WEIGHT = 2.0, 0.25, 0.7, 0.5


def make_inputs():
    g = torch.Generator().manual_seed(7)
    logits = torch.randn(N, C, generator=g) * 2
    targets = torch.tensor([
        [1.0, 0.0, 0.0, 0.0, 0.0],   # one species
        [0.5, 0.25, 0.25, 0.0, 0.0],  # primary 0.5, secondaries share 0.5
        [0.0, 0.0, 0.0, 0.0, 0.0],   # nocall
        [1.0, 0.0, 1.0, 0.0, 1.0],   # several species
        [0.9, 0.05, 0.0, 0.8, 0.02],  # smoothed / pseudo labels
        [0.0, 0.3, 0.7, 0.0, 0.6],
    ])
    mask = torch.tensor([
        [1, 1, 1, 1, 1],
        [1, 0, 0, 1, 1],  # secondaries out of the loss
        [1, 1, 1, 1, 1],
        [1, 0, 1, 1, 0],
        [0, 0, 0, 0, 0],  # nothing known
        [1, 1, 0, 1, 1],
    ], dtype=torch.float32)
    sample_weights = torch.tensor([1.0, 0.6, 0.2, 1.0, 0.8, 0.4])
    class_weights = torch.tensor([1.0, 2.0, 0.5, 0.0, 1.5])
    clip_probabilities = torch.sigmoid(torch.randn(N, C, generator=g))
    frame_probabilities = torch.sigmoid(torch.randn(N, T, C, generator=g) * 2)
    return dict(logits=logits, targets=targets, mask=mask, sample_weights=sample_weights,
                class_weights=class_weights, clip_probabilities=clip_probabilities,
                frame_probabilities=frame_probabilities)


def cell_weight(x, mask, s, w):
    """w_c s_n m_nc as in torch's `weight=` argument (ones where not given)."""
    out = torch.ones_like(x)
    if w is not None:
        out = out * w[None, :]
    if s is not None:
        out = out * s[:, None]
    if mask is not None:
        out = out * mask
    return out


def ce(x, t, mask, s, w):
    rows = []
    for n in range(N):
        keep = torch.ones(C, dtype=torch.bool) if mask is None else mask[n] > 0
        row_t = t[n, keep]
        if keep.sum() == 0 or row_t.sum() == 0:
            rows.append(x[n].sum() * 0)
            continue
        loss = torch.nn.CrossEntropyLoss(weight=None if w is None else w[keep], reduction="sum")
        rows.append(loss(x[n, keep][None], (row_t / row_t.sum())[None]))
    per_row = torch.stack(rows)
    return (per_row * (1 if s is None else s)).mean()


def bce(x, t, mask, s, w):
    return F.binary_cross_entropy_with_logits(x, t, weight=cell_weight(x, mask, s, w))


def focal(alpha):
    def loss(x, t, mask, s, w):
        per_cell = torchvision.ops.sigmoid_focal_loss(x, t, alpha=alpha, gamma=FOCAL_GAMMA,
                                                      reduction="none")
        return (per_cell * cell_weight(x, mask, s, w)).mean()
    return loss


def masked_bce(x, t, mask, s, w):
    per_cell = F.binary_cross_entropy_with_logits(x, t, reduction="none") * cell_weight(x, mask, s, w)
    return per_cell.mean() if mask is None else per_cell.sum() / mask.sum()


def lsoft(x, t, mask, s, w):
    if mask is not None:
        soft = LSOFT_BETA * t + (1 - LSOFT_BETA) * torch.sigmoid(x).detach()
        t = torch.where(mask > 0, t, soft)
    return F.binary_cross_entropy_with_logits(x, t, weight=cell_weight(x, None, s, w))


def lsep(x, t, mask, s, w):
    rows = []
    for n in range(N):
        kept = [c for c in range(C) if mask is None or mask[n, c] > 0]
        positives = [c for c in kept if t[n, c] >= 0.5]
        negatives = [c for c in kept if t[n, c] < 0.5]
        total = x[n].sum() * 0
        for u in positives:
            for v in negatives:
                pair_weight = 1.0 if w is None else w[u] * w[v]
                total = total + pair_weight * torch.exp(x[n, v] - x[n, u])
        rows.append(torch.log(1 + total))
    per_row = torch.stack(rows)
    return (per_row * (1 if s is None else s)).mean()


def sed(clip, frames, t, mask, s, w):
    weight = cell_weight(clip, mask, s, w)
    return (F.binary_cross_entropy(clip, t, weight=weight) +
            SED_FRAME_WEIGHT * F.binary_cross_entropy(frames.max(dim=1).values, t, weight=weight))


LOGIT_LOSSES = {"ce": ce, "bce": bce, "focal": focal(FOCAL_ALPHA), "focal_no_alpha": focal(-1.0),
                "masked_bce": masked_bce, "lsoft": lsoft, "lsep": lsep}


def main():
    out = Path(sys.argv[1])
    torch.set_num_threads(1)
    inputs = make_inputs()
    write_safetensors(out / "inputs.safetensors", inputs)
    d = {k: v.double() for k, v in inputs.items()}
    variants = {"plain": (None, None, None), "mask": (d["mask"], None, None),
                "weights": (None, d["sample_weights"], d["class_weights"]),
                "all": (d["mask"], d["sample_weights"], d["class_weights"])}
    expected = {}
    for variant, (mask, s, w) in variants.items():
        for name, fn in LOGIT_LOSSES.items():
            x = d["logits"].clone().requires_grad_(True)
            loss = fn(x, d["targets"], mask, s, w)
            loss.backward()
            expected[f"{name}.{variant}.loss"] = loss.detach().float().reshape(1)
            expected[f"{name}.{variant}.grad_logits"] = x.grad.float()
        clip = d["clip_probabilities"].clone().requires_grad_(True)
        frames = d["frame_probabilities"].clone().requires_grad_(True)
        loss = sed(clip, frames, d["targets"], mask, s, w)
        loss.backward()
        expected[f"sed.{variant}.loss"] = loss.detach().float().reshape(1)
        expected[f"sed.{variant}.grad_clip"] = clip.grad.float()
        expected[f"sed.{variant}.grad_frames"] = frames.grad.float()
    write_safetensors(out / "expected.safetensors", expected)


if __name__ == "__main__":
    main()
