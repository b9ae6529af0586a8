"""Cell 3: prediction and loss by hand, the gradient from torch autograd, the update by hand.

    ŷ = w·x,  L = mean((ŷ − y)²),  w ← w − η·∂L/∂w  with ∂L/∂w from ``l.backward()``
Gradients accumulate in ``w.grad``, so the cell zeroes them after every update.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch

from linreg.cells.device import torch_device
from linreg.cells.recorder import Recorder
from linreg.history import History

if TYPE_CHECKING:
    from linreg.settings import Settings


def data(settings: Settings) -> tuple[torch.Tensor, torch.Tensor]:
    """X and Y of the w-only torch cells, float32, shape (N,)."""
    device = torch_device(settings.device)  # before reading: a missing GPU must not cost a long read
    x, y = settings.data.arrays(np.float32)  # (N,), (N,): read once, in float32
    return torch.from_numpy(x).to(device), torch.from_numpy(y).to(device)  # (N,), (N,): shared with x, y on cpu


def loss(y: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """L = mean((ŷ − y)²)"""
    return ((y_pred - y) ** 2).mean()


def run(settings: Settings) -> History:
    """Replay cell 3 with ``settings``."""
    X, Y = data(settings)  # (N,), (N,)
    w = torch.tensor(settings.init[0], requires_grad=True, device=X.device)  # scalar, float32

    def forward(x: torch.Tensor | float) -> torch.Tensor:
        return w * x

    history = History(settings, before=forward(settings.test_x).item(), start=(w.item(),))
    record = Recorder(history, [w])
    for epoch in range(settings.epochs):
        y_pred = forward(X)  # forward pass, (N,)
        l = loss(Y, y_pred)  # loss, scalar
        del y_pred  # backward needs only ŷ − y, which the graph keeps: free ŷ before backward's temporaries
        l.backward()  # type: ignore[no-untyped-call]  # backward pass: dl/dw lands in w.grad
        assert w.grad is not None  # filled by backward()
        with torch.no_grad():
            w -= settings.lr * w.grad  # update weights, outside the graph
        w.grad.zero_()  # zero the gradient so it does not add up into the next epoch
        record(epoch + 1, w, l)  # kept on the device; fetched on printed epochs

    record.flush()
    history.finish(forward(settings.test_x).item())
    return history


def gradient_at(settings: Settings, w: float) -> float:
    """∂L/∂w from autograd on ``settings``' data at ``w``."""
    X, Y = data(settings)  # (N,), (N,)
    w_t = torch.tensor(float(w), requires_grad=True, device=X.device)  # scalar, float32
    loss(Y, w_t * X).backward()  # type: ignore[no-untyped-call]
    assert w_t.grad is not None
    return w_t.grad.item()
