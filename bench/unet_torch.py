#!/usr/bin/env python3
"""PyTorch side of bench/heat_step.sh: one U-Net training step as physgrad's
heat SIP step runs it, timed on the CPU.

The network is phiflow 2.2.3's u_net(1, 1, levels=4, filters=16,
batch_norm=True, activation=ReLU) with circular padding (37,697
parameters), written out here so the script needs only torch. One step is:
forward on a batch of 1x64x64 inputs, loss = 1/2 * sum((y - target)^2),
backward, Adam update. Prints one JSON object with the median step time.
"""
import argparse
import json
import statistics
import sys
import time

import torch
from torch import nn


PADDING = "circular"  # phiflow's; --padding zeros shows what the wrap costs torch


class DoubleConv(nn.Module):
    def __init__(self, cin, cout, mid):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(cin, mid, 3, padding=1, padding_mode=PADDING),
            nn.BatchNorm2d(mid),
            nn.ReLU(),
            nn.Conv2d(mid, cout, 3, padding=1, padding_mode=PADDING),
            nn.BatchNorm2d(cout),
            nn.ReLU(),
        )

    def forward(self, x):
        return self.net(x)


class Down(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.pool = nn.MaxPool2d(2)
        self.conv = DoubleConv(cin, cout, cout)

    def forward(self, x):
        return self.conv(self.pool(x))


class Up(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
        self.conv = DoubleConv(cin, cout, cin // 2)

    def forward(self, x, skip):
        return self.conv(torch.cat([skip, self.up(x)], dim=1))


class UNet(nn.Module):
    def __init__(self, cin=1, cout=1, levels=4, filters=16):
        super().__init__()
        self.levels = levels
        self.inc = DoubleConv(cin, filters, filters)
        for i in range(1, levels):
            setattr(self, f"down{i}", Down(filters, filters))
            setattr(self, f"up{i}", Up(2 * filters, filters))
        self.outc = nn.Conv2d(filters, cout, 1)

    def forward(self, x):
        x = self.inc(x)
        xs = [x]
        for i in range(1, self.levels):
            x = getattr(self, f"down{i}")(x)
            xs.insert(0, x)
        for i in range(1, self.levels):
            x = getattr(self, f"up{i}")(x, xs[i])
        return self.outc(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--padding", choices=["circular", "zeros"], default="circular")
    args = ap.parse_args()
    global PADDING
    PADDING = args.padding

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = UNet()
    params = sum(p.numel() for p in net.parameters())
    if params != 37697:
        sys.exit(f"unet_torch.py: network has {params} parameters, want 37697")
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.randn(args.batch, 1, args.size, args.size)
    target = torch.randn(args.batch, 1, args.size, args.size)

    def step():
        opt.zero_grad(set_to_none=False)
        y = net(x)
        loss = 0.5 * ((y - target) ** 2).sum()
        loss.backward()
        opt.step()

    step()  # warm-up: allocator, oneDNN primitive caches
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    print(json.dumps({
        "median_seconds": statistics.median(times),
        "min_seconds": min(times),
        "max_seconds": max(times),
        "batch": args.batch,
        "steps": args.steps,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "params": params,
        "padding": args.padding,
    }))


if __name__ == "__main__":
    main()
