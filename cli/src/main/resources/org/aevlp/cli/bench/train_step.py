"""One training step of the reference Python stack (PyTorch + torchvision), timed the way
`aevlp bench train-step` times its DJL step: forward, GPR loss (reference VOC hyper-parameters at
epoch 1), backward, Adam step (backbone lr, head lr x lr_mult), on random data already in memory,
after warm-up; prints the median. Run by `aevlp bench train-step --versus-python`.
"""
import argparse
import math
import statistics
import time

import torch
import torchvision

EPS = 1e-7


def schedules(epoch, num_epochs=8, linear_init=0):
    beta, alpha, (q2, q3) = [0, 2, -2, -2], [0.5, 2, 0.8, 0.5], [0.01, 1]
    span = num_epochs - linear_init
    late = max(epoch - linear_init - 1, 0) / span
    now = max(epoch - linear_init, 0) / span
    w = beta[0] + (beta[1] - beta[0]) * late
    b = beta[2] + (beta[3] - beta[2]) * late
    mu = alpha[0] + (alpha[2] - alpha[0]) * now
    sigma = alpha[1] + (alpha[3] - alpha[1]) * now
    return w, b, mu, sigma, q2, q3


def gpr_loss(logits, observed, pseudo, epoch=1, lam=(0.7, 0.4), rho=0.9, reg=0.05, expected_pos=1.5):
    w, b, mu, sigma, q2, q3 = schedules(epoch)
    p = torch.sigmoid(logits)
    with torch.no_grad():
        k = torch.sigmoid(w * p + b)
        v = torch.exp(-0.5 * ((p - mu) / sigma) ** 2)
    nlog_p = -torch.log(p + EPS)
    nlog_not_p = -torch.log(1 - p + EPS)
    final = torch.where(observed == 1, observed, pseudo)
    unknown = v * (k * (1 - p ** q2) / q2 + (1 - k) * (1 - (1 - p) ** q3) / q3)
    v_pl = torch.clamp(torch.clamp(v, min=1 - lam[0]), max=1 - lam[1])
    pseudo_pos = (1 - v_pl) * (rho * nlog_p + (1 - rho) * nlog_not_p)
    pseudo_neg = v * nlog_not_p
    per_label = torch.where(observed == 1, nlog_p,
                torch.where(final == 0, unknown,
                torch.where(final == 1, pseudo_pos, pseudo_neg)))
    classes = logits.shape[1]
    penalty = (p.sum(dim=1).mean() - expected_pos) ** 2 / classes ** 2
    return per_label.mean() + reg * penalty


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--arch", default="resnet18", choices=["resnet18", "resnet50"])
    parser.add_argument("--image-size", type=int, default=112)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--classes", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1200)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    model = getattr(torchvision.models, args.arch)(weights=None)
    model.fc = torch.nn.Linear(model.fc.in_features, args.classes)
    model.train()
    head = list(model.fc.parameters())
    head_ids = {id(p) for p in head}
    backbone = [p for p in model.parameters() if id(p) not in head_ids]
    lr, lr_mult = 1e-5, 10
    optimizer = torch.optim.Adam([{"params": backbone, "lr": lr}, {"params": head, "lr": lr * lr_mult}])

    images = torch.rand(args.batch, 3, args.image_size, args.image_size) * 4 - 2
    observed = torch.zeros(args.batch, args.classes)
    pseudo = torch.zeros(args.batch, args.classes)
    rows = torch.arange(args.batch)
    observed[rows, torch.randint(args.classes, (args.batch,))] = 1
    for _ in range(2):
        pseudo[rows, torch.randint(args.classes, (args.batch,))] = 1

    times = []
    for step in range(args.warmup + args.steps):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss = gpr_loss(model(images), observed, pseudo)
        loss.backward()
        optimizer.step()
        elapsed = time.perf_counter() - start
        if not math.isfinite(loss.item()):
            raise SystemExit("loss is not finite at step %d" % step)
        if step >= args.warmup:
            times.append(elapsed)
    median = statistics.median(times)
    parameters = sum(p.numel() for p in model.parameters())
    print("torch=%s torchvision=%s arch=%s parameters=%d" % (torch.__version__, torchvision.__version__,
                                                               args.arch, parameters))
    print("images_per_second=%.2f step_s=%.4f threads=%d" % (args.batch / median, median, args.threads))


if __name__ == "__main__":
    main()
