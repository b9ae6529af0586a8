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

from typing import Any

import numpy as np
import numpy.typing as npt

from linreg.history import History
from linreg.settings import Settings

F32 = npt.NDArray[np.float32]


def forward(w: Any, x: Any) -> Any:
    """ŷ = w·x"""
    return w * x


def loss(y: F32, y_pred: F32) -> np.float32:
    """L = mean((ŷ − y)²)"""
    return np.float32(((y_pred - y) ** 2).mean())


def gradient_notes(x: F32, y: F32, y_pred: F32) -> np.float32:
    """The notes' gradient: np.dot sums, so this is N·∂L/∂w."""
    return np.float32(np.dot(2 * x, y_pred - y).mean())


def gradient_mse(x: F32, y: F32, y_pred: F32) -> np.float32:
    """∂L/∂w = mean(2·x·(ŷ − y))"""
    return np.float32((2 * x * (y_pred - y)).mean())


def run(settings: Settings) -> History:
    """Replay cell 2 with ``settings``."""
    X = np.array(settings.x, dtype=np.float32)  # (N,)
    Y = np.array(settings.y, dtype=np.float32)  # (N,)
    w: Any = settings.init[0]  # a Python float, as `w = 0.0` in the notes
    gradient = gradient_notes if settings.gradient == "notes" else gradient_mse
    history = History(settings, before=float(forward(w, settings.test_x)), start=(float(w),))

    with np.errstate(over="ignore", invalid="ignore"):  # overflow ends as a DivergedError instead
        for epoch in range(settings.epochs):
            y_pred = forward(w, X)  # forward pass, (N,)
            l = loss(Y, y_pred)  # loss
            dw = gradient(X, Y, y_pred)  # gradient, by hand
            w -= settings.lr * dw  # update weights (float32 from here on)
            history.record(epoch + 1, float(w), float(l))

    history.after = float(forward(w, settings.test_x))
    return history


def gradient_at(settings: Settings, w: float) -> float:
    """The cell's gradient (``settings.gradient``) on ``settings``' data at ``w``."""
    X = np.array(settings.x, dtype=np.float32)  # (N,)
    Y = np.array(settings.y, dtype=np.float32)  # (N,)
    gradient = gradient_notes if settings.gradient == "notes" else gradient_mse
    return float(gradient(X, Y, forward(np.float32(w), X)))
