"""Stage stats: gradient descent on the MSE through the data's sufficient statistics.

For f = w·x + b (the w-only model of cells 3-4 keeps b = 0) and L = (1/n)·Σ(w·x + b − y)²:
    L     = (w²·Σx² + 2wb·Σx + b²·n − 2w·Σxy − 2b·Σy + Σy²) / n
    ∂L/∂w = 2·(w·Σx² + b·Σx − Σxy) / n
    ∂L/∂b = 2·(w·Σx + b·n − Σy) / n
So GD sees the data only through n, Σx, Σy, Σx², Σxy, Σy²: one pass over the data, chunk by chunk in
float64, then O(1) work per epoch whatever n is. The update is the cells' w ← w − η·∂L/∂w.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from linreg import data
from linreg.history import DataPass, History
from linreg.settings import Settings

if TYPE_CHECKING:
    from linreg.parallel import Sync


@dataclass(frozen=True)
class Sums:
    """The sufficient statistics of a data set (or of a part of it: sums of parts add up)."""

    n: float
    sx: float
    sy: float
    sxx: float
    sxy: float
    syy: float

    @classmethod
    def of(cls, x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> Sums:
        """The sums of one chunk, float64: x and y of shape (m,). Every sum is a BLAS dot product."""
        ones = np.ones_like(x)  # (m,): Σx = x·1 is faster than x.sum() and as exact
        return cls(float(len(x)), float(x @ ones), float(y @ ones), float(x @ x), float(x @ y), float(y @ y))

    def __add__(self, other: Sums) -> Sums:
        return Sums(*(a + b for a, b in zip(self.array(), other.array(), strict=True)))

    def array(self) -> npt.NDArray[np.float64]:
        """The six sums as a float64 array of shape (6,), e.g. to all-reduce across workers."""
        return np.array([self.n, self.sx, self.sy, self.sxx, self.sxy, self.syy], dtype=np.float64)


def read(settings: Settings, part: int = 0, parts: int = 1) -> tuple[Sums, DataPass]:
    """One pass over the settings' data (``settings.data`` streamed in chunks, else x and y): its sums.

    With ``parts`` > 1, only every ``parts``-th chunk from ``part`` on: one worker's shard.
    """
    if settings.data is None:
        x, y = np.array(settings.x, dtype=np.float64), np.array(settings.y, dtype=np.float64)  # (N,), (N,)
        ends = np.cumsum([0, *data.shard_sizes(len(x), parts)])
        shard = slice(ends[part], ends[part + 1])  # this worker's rows: the same split as the torch stages'
        return Sums.of(x[shard], y[shard]), DataPass(len(x), 1, x.nbytes + y.nbytes)
    total, count, peak = Sums(0, 0, 0, 0, 0, 0), 0, 0
    for index, (x, y) in enumerate(data.chunks(settings.data)):  # (m,), (m,) with m <= CHUNK_ROWS
        count += 1  # every worker reads the whole file; each sums only its own chunks
        if index % parts == part:
            total = total + Sums.of(x, y)
        peak = max(peak, x.nbytes + y.nbytes)
    return total, DataPass(int(total.n), count, peak)


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
    history.after = w * settings.test_x + b
    return history


def run(settings: Settings, sync: Sync | None = None) -> History:
    """Read the data once, then train on its sums (a worker's shard, all-reduced, with ``sync``)."""
    if sync is None:  # alone: no torch needed
        sums, done = read(settings)
    else:
        import torch

        sums, done = read(settings, sync.rank, sync.workers)
        sums = Sums(*sync.sums(torch.from_numpy(sums.array())).tolist())  # (6,) float64, summed over workers
        done = DataPass(int(sums.n), done.chunks, done.peak_bytes)  # the whole data's points
    history = train(settings, sums)
    history.data_pass = done
    return history
