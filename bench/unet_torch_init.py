#!/usr/bin/env python3
"""Exports the U-Net initialisation the authors' Poisson and heat scripts
start from, and a forward/backward check of it, as .npy files.

tum-pbs/SIP's train_poisson.py seeds with phiflow's math.seed(0) (which
calls torch.manual_seed(0)) and then builds u_net(1, 1); torch's default
initialisation draws the weights from its CPU generator in module
registration order. bench/unet_torch.py's UNet registers the same modules
in the same order (inc, down1, up1, …, outc), so torch.manual_seed(0) +
UNet() gives the same weights (torch 1.13 here, as in ../shared/refs).

Writes (float32):
  <out>/unet_torch_seed0.npy     the 37,697 parameters in state_dict order
  <out>/unet_torch_check_x.npy   a 2×1×64×64 input (torch.manual_seed(1))
  <out>/unet_torch_check_y.npy   the network output in training mode
  <out>/unet_torch_check_g.npy   d/dθ of 0.5·Σ(y − t)² with t = check_t
  <out>/unet_torch_check_t.npy   the target t

Usage: /usr/bin/python3 bench/unet_torch_init.py OUTDIR
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unet_torch import UNet  # noqa: E402


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    torch.manual_seed(0)
    net = UNet()
    flat = torch.cat([p.detach().flatten() for p in net.parameters()]).numpy().astype(np.float32)
    assert flat.size == 37697, flat.size
    np.save(os.path.join(out, "unet_torch_seed0.npy"), flat)

    torch.manual_seed(1)
    x = 100 * torch.randn(2, 1, 64, 64)
    t = torch.randn(2, 1, 64, 64)
    net.train()
    y = net(x)
    loss = 0.5 * ((y - t) ** 2).sum()
    loss.backward()
    g = torch.cat([p.grad.flatten() for p in net.parameters()]).numpy().astype(np.float32)
    for name, v in [("x", x), ("y", y.detach()), ("t", t)]:
        np.save(os.path.join(out, f"unet_torch_check_{name}.npy"), v.numpy().astype(np.float32))
    np.save(os.path.join(out, "unet_torch_check_g.npy"), g)
    print(f"loss {loss.item():.9g}, mean output {y.mean().item():.6g}, |g| {np.linalg.norm(g):.6g}")


if __name__ == "__main__":
    main()
