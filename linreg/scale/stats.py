"""Stage stats: gradient descent on the MSE through the data's sufficient statistics.

For f = w·x + b (the w-only model of cells 3-4 keeps b = 0) and L = (1/n)·Σ(w·x + b − y)²:
    L     = (w²·Σx² + 2wb·Σx + b²·n − 2w·Σxy − 2b·Σy + Σy²) / n
    ∂L/∂w = 2·(w·Σx² + b·Σx − Σxy) / n
    ∂L/∂b = 2·(w·Σx + b·n − Σy) / n
So GD sees the data only through n, Σx, Σy, Σx², Σxy, Σy²: one pass over the data, chunk by chunk in
float64, then O(1) work per epoch whatever n is. The update is the cells' w ← w − η·∂L/∂w.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linreg.data import Sums
from linreg.history import History

if TYPE_CHECKING:
    from linreg.settings import Settings


def loss_and_gradient(s: Sums, w: float, b: float) -> tuple[float, float, float]:
    """(L, ∂L/∂w, ∂L/∂b) at (w, b), from the sums alone."""
    loss = (w * w * s.sxx + 2 * w * b * s.sx + b * b * s.n - 2 * w * s.sxy - 2 * b * s.sy + s.syy) / s.n
    dw = 2 * (w * s.sxx + b * s.sx - s.sxy) / s.n  # ∂L/∂w
    db = 2 * (w * s.sx + b * s.n - s.sy) / s.n  # ∂L/∂b
    return max(loss, 0.0), dw, db  # a sum of squares: rounding must not print -0.00000000


def train(settings: Settings, sums: Sums) -> History:
    """GD from ``settings.init`` for ``settings.epochs`` epochs on data summed up in ``sums``."""
    bias = settings.has_bias
    w, b = settings.init[0], settings.init[1] if bias else 0.0
    history = History(settings, before=w * settings.test_x + b, start=settings.init)
    for epoch in range(settings.epochs):
        loss, dw, db = loss_and_gradient(sums, w, b)  # forward and backward, O(1)
        w -= settings.lr * dw  # update weights
        if bias:
            b -= settings.lr * db
        history.record(epoch + 1, w, loss, b if bias else None)
    history.finish(w * settings.test_x + b)
    return history


def run(settings: Settings) -> History:
    """Read the data once, then train on its sums."""
    sums, done = settings.data.summarise()
    history = train(settings, sums)
    history.data_pass = done
    return history
