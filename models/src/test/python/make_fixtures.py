"""Writes the reference fixtures of the models module's tests.

Run from this directory with Debian's PyTorch (apt-get install python3-torch python3-torchvision;
torch 1.13.1, torchvision 0.14.1):

    /usr/bin/python3 make_fixtures.py ../resources/fixtures

1. torchvision_<arch>.json: logits of the real torchvision ResNet-18 and ResNet-50 (5 classes) for a
   formula-defined input, with every parameter and BatchNorm buffer filled by a formula instead of
   random numbers. ResNetEquivalenceTest fills the DJL networks with the same formula, in DJL's
   parameter order (torchvision's state_dict order without num_batches_tracked), and compares.
2. tiny_backbone.pt: a small TorchScript feature extractor (two conv-BN-ReLU layers and a global
   average pool, output N x 12 x 1 x 1) and tiny_backbone.json: its eval-mode features for the
   same formula input, for TorchScriptBackboneTest.
"""
import json
import math
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn
import torchvision


def formula_input(shape):
    """x[k] = sin(0.013 k) + 0.5 sin(1.1 k + 0.2) over the flat C-order index k."""
    n = math.prod(shape)
    k = torch.arange(n, dtype=torch.float64)
    return (torch.sin(0.013 * k) + 0.5 * torch.sin(1.1 * k + 0.2)).to(torch.float32).reshape(shape)


def hashed_uniform(index, n):
    """n values in [-1, 1) from an integer hash of (index, k): reproducible bit for bit in Java."""
    k = np.arange(n, dtype=np.uint64)
    mask = np.uint64(0xFFFFFFFF)
    h = (k * np.uint64(2654435761) + np.uint64(index) * np.uint64(40503) + np.uint64(12345)) & mask
    h ^= h >> np.uint64(15)
    h = (h * np.uint64(2246822519)) & mask
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(3266489917)) & mask
    h ^= h >> np.uint64(16)
    return torch.from_numpy(h.astype(np.float64) / 4294967296.0 * 2.0 - 1.0)


def formula_values(index, name, shape):
    """The value of parameter `index` (0-based, DJL order); see ResNetEquivalenceTest.

    Hashed rather than smooth values keep the network well conditioned (a smooth pattern makes
    near-constant channels whose training-mode batch norm amplifies rounding differences).
    """
    u = hashed_uniform(index, math.prod(shape))
    if len(shape) >= 2:
        v = u * math.sqrt(6.0 / math.prod(shape[1:]))  # variance 2 / fan_in, like He init
    elif name.endswith("running_var"):
        v = 1.0 + 0.25 * u * u
    elif name.endswith("weight"):
        v = 1.0 + 0.1 * u
    else:  # bias, BN beta, running mean
        v = 0.1 * u
    return v.to(torch.float32).reshape(shape)


def torchvision_fixture(arch, out_dir):
    model = getattr(torchvision.models, arch)(num_classes=5)
    state = model.state_dict()
    names = [n for n in state if not n.endswith("num_batches_tracked")]
    filled = {n: formula_values(i, n, tuple(state[n].shape)) for i, n in enumerate(names)}
    model.load_state_dict(filled, strict=False)
    x = formula_input((2, 3, 64, 64))
    with torch.no_grad():
        model.eval()
        eval_logits = model(x)
        model.train()
        train_logits = model(x)
    fixture = {
        "arch": arch,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "input_shape": [2, 3, 64, 64],
        "num_classes": 5,
        "parameter_names": names,
        "eval_logits": eval_logits.flatten().tolist(),
        "train_logits": train_logits.flatten().tolist(),
    }
    (out_dir / f"torchvision_{arch}.json").write_text(json.dumps(fixture, indent=1) + "\n")


class TinyBackbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 12, 3, stride=2, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(12)
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = torch.relu(self.bn2(self.conv2(x)))
        return self.pool(x)


def torchscript_fixture(out_dir):
    torch.manual_seed(0)
    model = TinyBackbone()
    # non-trivial running statistics, as a pretrained network would have
    with torch.no_grad():
        model.train()
        for _ in range(3):
            model(torch.randn(8, 3, 32, 32) * 2 + 0.5)
    model.eval()
    scripted = torch.jit.script(model)
    scripted.save(str(out_dir / "tiny_backbone.pt"))
    x = formula_input((2, 3, 32, 32))
    with torch.no_grad():
        features = scripted(x)
    fixture = {
        "torch": torch.__version__,
        "input_shape": [2, 3, 32, 32],
        "feature_dim": 12,
        "features": features.flatten().tolist(),
    }
    (out_dir / "tiny_backbone.json").write_text(json.dumps(fixture, indent=1) + "\n")


def main():
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out_dir.mkdir(parents=True, exist_ok=True)
    for arch in ("resnet18", "resnet50"):
        torchvision_fixture(arch, out_dir)
    torchscript_fixture(out_dir)


if __name__ == "__main__":
    main()
