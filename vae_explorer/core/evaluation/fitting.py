"""The one loop that fits the measures' small networks (factor predictor, realism classifiers).

Adam with a cosine decay of the learning rate over all steps, batches in a
seeded random order, so a run repeats on the CPU for a given seed.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn

Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def fit(
    model: nn.Module,
    images: torch.Tensor,
    targets: torch.Tensor,
    loss_fn: Loss,
    epochs: int,
    batch_size: int = 128,
    lr: float = 2e-3,
    seed: int = 0,
    transform: Callable[[torch.Tensor], torch.Tensor] | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> nn.Module:
    """Fit ``model`` to ``images: uint8 (n, C, H, W)`` and ``targets: (n, ...)``; returns it in eval mode.

    ``transform`` changes each float batch before the model sees it (augmentation);
    ``progress(epoch, mean loss)`` after each epoch.
    """
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    steps = math.ceil(len(images) / batch_size)
    model.train()
    for epoch in range(epochs):
        perm = torch.randperm(len(images), generator=gen)
        total = 0.0
        for step in range(steps):
            idx = perm[step * batch_size : (step + 1) * batch_size]
            for group in opt.param_groups:
                group["lr"] = lr * 0.5 * (1 + math.cos(math.pi * (epoch + step / steps) / epochs))
            x = images[idx].float() / 255.0
            loss = loss_fn(model(transform(x) if transform is not None else x), targets[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
        if progress is not None:
            progress(epoch + 1, total / len(images))
    return model.eval()
