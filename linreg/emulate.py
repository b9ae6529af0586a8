"""A float32 emulation of the nn cells (nn.Linear + MSELoss + SGD), vectorised over many starts.

It follows torch's CPU kernels for small data (sums taken in order), which matches torch bit for
bit on the notes' four points; elsewhere it is close, not exact. Two steps take one of two forms,
by CPU kernel path (linreg.kernels), so there are four modes, each exact for the paths it names:
- ∂L/∂w = Σᵢ gᵢ·xᵢ: MKL's SSE4.2 branch adds the rounded products, its AVX2 and AVX-512
  branches chain fused multiply-adds (``fused``);
- w − lr·g: ATen's AVX2 and AVX-512 kernels fuse it into one multiply-add, its default kernel
  rounds lr·g first (``fused_step``).
Fused operations are emulated in float64, which rounds twice in about 2⁻²⁹ of cases. ``recover``
screens thousands of starts at once in every mode, then replays the survivors for real.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from linreg.data import F32

MODES = ((False, False), (False, True), (True, False), (True, True))  # (fused, fused_step)

if TYPE_CHECKING:
    from linreg.logread import ParsedLog, Printed
    from linreg.settings import Settings


def ordered(v: F32) -> npt.NDArray[np.int64]:
    """float32 → integers in the same order, consecutive for neighbouring floats."""
    bits = v.view(np.int32).astype(np.int64)
    return np.where(bits < 0, -(bits & 0x7FFFFFFF), bits)


def from_ordered(o: npt.NDArray[np.int64]) -> F32:
    bits = np.where(o < 0, (-o) | 0x80000000, o).astype(np.uint32)
    return bits.view(np.float32)


def neighbours(value: float, radius: int, step: int = 1) -> F32:
    """Every ``step``-th of the float32 values nearest ``value``, ``radius`` steps either side, in order."""
    centre = ordered(np.array([value], dtype=np.float32))[0]
    return from_ordered(centre + step * np.arange(-radius, radius + 1, dtype=np.int64))


def grid_step(value: float, scale: float) -> int:
    """How many float32 values near ``value`` make one grid step: the fit's error scales with ``scale``."""
    return max(1, int(np.spacing(np.float32(abs(scale))) / 4 / np.spacing(np.float32(abs(value)))))


def _misses(v: F32, p: Printed) -> npt.NDArray[np.bool_]:
    return np.abs(v.astype(np.float64) - p.value) > p.tolerance * (1 + 1e-9)


def _forward(X: F32, Y: F32, w: F32, b: F32) -> tuple[list[F32], F32]:
    """Each point's target − prediction, (C,) each, and the MSE loss (C,), summed in order as torch does."""
    d = [Y[i] - (X[i] * w + b) for i in range(len(X))]
    sq = d[0] * d[0]
    for i in range(1, len(X)):
        sq = sq + d[i] * d[i]
    return d, sq / np.float32(len(X))


def first_misses(w0: F32, b0: F32, log: ParsedLog, settings: Settings) -> npt.NDArray[np.int64]:
    """How many of the numbers that every mode computes alike each start misses: the prediction
    before training and epoch 1's loss, both from the start itself, before any update."""
    f32 = np.float32
    X, Y = settings.data.arrays(f32)  # (N,), (N,)
    misses = _misses(f32(settings.test_x) * w0 + b0, log.before).astype(np.int64)
    if log.epochs and log.epochs[0][0] == 1:
        misses += _misses(_forward(X, Y, w0, b0)[1], log.epochs[0][2])
    return misses


def count_misses(
    w0: F32, b0: F32, log: ParsedLog, settings: Settings, fused: bool, fused_step: bool
) -> npt.NDArray[np.int64]:
    """How many printed numbers of ``log`` each start (w0[i], b0[i]) misses, emulated in float32 in
    the mode ``fused``, ``fused_step`` (see the module's docstring)."""
    f32 = np.float32
    X, Y = settings.data.arrays(f32)  # (N,), (N,)
    n, t, neg_lr = len(X), f32(settings.test_x), -np.float64(f32(settings.lr))
    misses = np.zeros(w0.shape, dtype=np.int64)

    def check(v: F32, p: Printed) -> None:
        nonlocal misses
        misses += _misses(v, p)

    w, b = w0.copy(), b0.copy()
    check(t * w + b, log.before)
    logged = {epoch: (pw, pl) for epoch, pw, pl in log.epochs}
    for epoch in range(1, settings.epochs + 1):
        d, loss = _forward(X, Y, w, b)  # target − prediction, (C,) each; loss, (C,)
        g = [-(f32(2.0 / n) * di) for di in d]  # ∂L/∂ŷ_i
        gw, gb = g[0] * X[0], g[0]
        for i in range(1, n):
            if fused:  # fma(gᵢ, xᵢ, acc): the product is exact in float64, one rounding to float32
                gw = (g[i].astype(np.float64) * np.float64(X[i]) + gw.astype(np.float64)).astype(f32)
            else:  # the product rounded to float32, then the sum
                gw = gw + g[i] * X[i]
            gb = gb + g[i]
        if fused_step:  # w − lr·g as one fused multiply-add
            w = (w.astype(np.float64) + neg_lr * gw.astype(np.float64)).astype(f32)
            b = (b.astype(np.float64) + neg_lr * gb.astype(np.float64)).astype(f32)
        else:  # lr·g rounded to float32, then the sum
            w, b = w + f32(neg_lr) * gw, b + f32(neg_lr) * gb
        if epoch in logged:
            check(w, logged[epoch][0])
            check(loss, logged[epoch][1])
    check(t * w + b, log.after)
    return misses
