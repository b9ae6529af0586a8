"""Cell 2: linear regression in numpy, prediction, loss, gradient and update all by hand.

    f = w·x                       forward
    L = mean((w·x − y)²)          loss (MSE)
    ∂L/∂w = 2·mean(x·(w·x − y))   the MSE gradient (``gradient="mse"``)
The notes compute ``np.dot(2*x, y_pred - y).mean()``: np.dot already sums, so ``.mean()`` of that
scalar is the sum, N times the MSE gradient. The notes' log depends on it, so it is the default
(``gradient="notes"``). w starts as a Python float and becomes float32 after the first update,
as in the notes (NumPy 2 promotion): that is what makes the 8th decimals match.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from linreg.data import F32
from linreg.history import History

if TYPE_CHECKING:
    from linreg.settings import Settings


def forward(w: Any, x: Any) -> Any:
    """ŷ = w·x"""
    return w * x


def loss(error: F32) -> np.float32:
    """L = mean((ŷ − y)²), from the error ŷ − y"""
    return np.float32((error**2).mean())


def gradient_notes(x: F32, error: F32) -> np.float32:
    """The notes' gradient np.dot(2x, ŷ − y).mean(): np.dot sums, so this is N·∂L/∂w."""
    return np.float32(np.dot(2 * x, error).mean())


def gradient_mse(x: F32, error: F32) -> np.float32:
    """∂L/∂w = mean(2·x·(ŷ − y))"""
    product = 2 * x  # (N,)
    product *= error  # in place: one temporary array, not two
    return np.float32(product.mean())


def run(settings: Settings) -> History:
    """Replay cell 2 with ``settings``.

    The cell computes ŷ − y twice, for the loss and for the gradient; this computes it once, in
    place over ŷ. The values are the same; the memory is the data plus two arrays of its size.
    """
    X, Y = settings.data.arrays(np.float32)  # (N,), (N,)
    w: Any = settings.init[0]  # a Python float, as `w = 0.0` in the notes
    gradient = gradient_notes if settings.gradient == "notes" else gradient_mse
    history = History(settings, before=float(forward(w, settings.test_x)), start=(float(w),))

    with np.errstate(over="ignore", invalid="ignore"):  # overflow ends as a DivergedError instead
        for epoch in range(settings.epochs):
            error = forward(w, X)  # forward pass ŷ, (N,)
            error -= Y  # ŷ − y, (N,)
            l = loss(error)  # loss
            dw = gradient(X, error)  # gradient, by hand
            w -= settings.lr * dw  # update weights (float32 from here on)
            history.record(epoch + 1, float(w), float(l))
        after = float(forward(w, settings.test_x))  # beyond float32's range: refused by finish, as one line

    history.finish(after)
    return history


def gradient_at(settings: Settings, w: float) -> float:
    """The cell's gradient (``settings.gradient``) on ``settings``' data at ``w``."""
    X, Y = settings.data.arrays(np.float32)  # (N,), (N,)
    gradient = gradient_notes if settings.gradient == "notes" else gradient_mse
    return float(gradient(X, forward(np.float32(w), X) - Y))
