"""A float32 emulation of the nn cells (nn.Linear + MSELoss + SGD), vectorised over many starts.

One epoch from θ = (w, b) on N points, in float32, every sum taken in order:
    dᵢ = yᵢ − (xᵢ·w + b),  L = (Σᵢ dᵢ²)/N,  gᵢ = −(2/N)·dᵢ,  ∂L/∂w = Σᵢ gᵢ·xᵢ,  ∂L/∂b = Σᵢ gᵢ,
    θ ← θ − lr·∂L/∂θ.
Two of these steps take one of two forms, by CPU kernel path (linreg.recover.paths), so there are four
modes, each meant to be exact, bit for bit, on up to ``EXACT_POINTS`` points for the paths it names:
- ∂L/∂w: MKL's COMPATIBLE and SSE4.2 branches add the rounded products gᵢ·xᵢ, its AVX2 and AVX-512
  branches chain fused multiply-adds (``fused``);
- θ − lr·g: ATen's AVX2 and AVX-512 kernels fuse it into one multiply-add, its default kernel
  rounds lr·g first (``fused_step``).
A fused a·b + c rounds once: a·b of two float32 is exact in float64, the float64 sum is rounded to
odd (TwoSum gives its error), and rounding that to float32 equals one rounding of the exact value,
float64 having more than 24 + 2 bits. Only numpy's element-wise float32/float64 arithmetic is
used, which IEEE 754 fixes bit for bit: the emulation's results depend on no CPU. On more points
torch sums in another order and the emulation is close, not exact. ``recover`` screens thousands
of starts at once in every mode; feature 22 checks each mode against the paths this CPU runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import numpy.typing as npt

from linreg import logfmt
from linreg.data import F32
from linreg.recover.paths import KernelPath, describe, every_path, trajectory

if TYPE_CHECKING:
    from linreg.recover.logread import ParsedLog, Printed
    from linreg.settings import Settings

EXACT_POINTS = 4  # up to this many points torch's CPU kernels sum in order, as the emulation does


class Mode(NamedTuple):
    """One way the CPU kernels compute an epoch: how ∂L/∂w sums, how SGD steps."""

    fused: bool  # ∂L/∂w chains fused multiply-adds (MKL AVX2, AVX512), else adds rounded products
    fused_step: bool  # w − lr·g is one fused multiply-add (ATen avx2, avx512), else lr·g is rounded first

    def __str__(self) -> str:
        return f"the emulation's mode for {describe(paths_of(self))}"


MODES = tuple(Mode(fused, step) for fused in (False, True) for step in (False, True))


def mode_of(path: KernelPath) -> Mode:
    """The mode that computes exactly what ``path`` computes."""
    return Mode(fused=path.mkl in ("AVX2", "AVX512"), fused_step=path.aten != "default")


def paths_of(*modes: Mode) -> list[KernelPath]:
    """The kernel paths whose mode is one of ``modes``."""
    return [path for path in every_path() if mode_of(path) in modes]


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


def fma(a: F32, b: np.float32, c: F32) -> F32:
    """a·b + c rounded once to float32 (see the module's docstring)."""
    with np.errstate(invalid="ignore", over="ignore"):  # a start that diverges: its misses say so
        p, c64 = a.astype(np.float64) * np.float64(b), c.astype(np.float64)  # the product is exact
        s = p + c64
        t = s - c64
        error = (p - t) + (c64 - (s - t))  # TwoSum: s + error == p + c exactly
        inexact_even = (error != 0) & ((s.view(np.int64) & 1) == 0)
        odd = np.where(inexact_even, np.nextafter(s, np.where(error > 0, np.inf, -np.inf)), s)
        return odd.astype(np.float32)


def _forward(X: F32, Y: F32, w: F32, b: F32) -> tuple[list[F32], F32]:
    """Each point's target − prediction, (C,) each, and the MSE loss (C,), summed in order as torch does."""
    d = [Y[i] - (X[i] * w + b) for i in range(len(X))]
    sq = d[0] * d[0]
    for i in range(1, len(X)):
        sq = sq + d[i] * d[i]
    return d, sq / np.float32(len(X))


def run(w0: F32, b0: F32, settings: Settings, mode: Mode) -> Iterator[tuple[F32, F32, F32]]:
    """Each epoch's (w, b) after its update and loss before it, (C,) each, from the starts (w0[i], b0[i])."""
    f32 = np.float32
    X, Y = settings.data.arrays(f32)  # (N,), (N,)
    n, neg_lr = len(X), -f32(settings.lr)
    w, b = w0.copy(), b0.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(settings.epochs):
            d, loss = _forward(X, Y, w, b)  # target − prediction, (C,) each; loss, (C,)
            g = [-(f32(2.0 / n) * di) for di in d]  # ∂L/∂ŷ_i
            gw, gb = g[0] * X[0], g[0]
            for i in range(1, n):
                gw = fma(g[i], X[i], gw) if mode.fused else gw + g[i] * X[i]
                gb = gb + g[i]
            if mode.fused_step:
                w, b = fma(gw, neg_lr, w), fma(gb, neg_lr, b)
            else:  # lr·g rounded to float32, then the sum
                w, b = w + neg_lr * gw, b + neg_lr * gb
            yield w, b, loss


def predict(w: F32, b: F32, settings: Settings) -> F32:
    """f(test_x) = test_x·w + b, as nn.Linear computes it."""
    return np.float32(settings.test_x) * w + b


def _misses(v: F32, p: Printed) -> npt.NDArray[np.bool_]:
    return np.abs(v.astype(np.float64) - p.value) > p.tolerance * (1 + 1e-9)


def first_misses(w0: F32, b0: F32, log: ParsedLog, settings: Settings) -> npt.NDArray[np.int64]:
    """How many of the numbers that every mode computes alike each start misses: the prediction
    before training and epoch 1's loss, both from the start itself, before any update."""
    X, Y = settings.data.arrays(np.float32)  # (N,), (N,)
    misses = _misses(predict(w0, b0, settings), log.before).astype(np.int64)
    if log.epochs and log.epochs[0][0] == 1:
        misses += _misses(_forward(X, Y, w0, b0)[1], log.epochs[0][2])
    return misses


def printed(w0: F32, b0: F32, log: ParsedLog, settings: Settings, mode: Mode) -> F32:
    """The numbers ``log`` prints, as the starts (w0[i], b0[i]) compute them in ``mode``: (P, C), in the
    order of ``logread.printed_values``."""
    logged = {epoch for epoch, _, _ in log.epochs}
    out, last = [predict(w0, b0, settings)], (w0, b0)
    for epoch, (w, b, loss) in enumerate(run(w0, b0, settings, mode), 1):
        last = w, b
        if epoch in logged:
            out += [w, loss]
    return np.stack([*out, predict(*last, settings)])


def count_misses(w0: F32, b0: F32, log: ParsedLog, settings: Settings, mode: Mode) -> npt.NDArray[np.int64]:
    """How many printed numbers of ``log`` each start (w0[i], b0[i]) misses in ``mode``."""
    from linreg.recover.logread import printed_values

    values = printed(w0, b0, log, settings, mode)
    misses = np.zeros(w0.shape, np.int64)
    for v, p in zip(values, printed_values(log), strict=True):
        misses += _misses(v, p)
    return misses


def replay(settings: Settings, mode: Mode) -> tuple[list[str], list[str]]:
    """The run from ``settings.init`` in ``mode``: its log, as the cell prints it, and its ``trajectory``."""
    w0, b0 = np.array([settings.init[0]], np.float32), np.array([settings.init[1]], np.float32)
    last, epochs = (w0, b0), []
    for w, b, loss in run(w0, b0, settings, mode):
        last = w, b
        epochs.append((float(w[0]), float(b[0]), float(loss[0])))
    before, after = float(predict(w0, b0, settings)[0]), float(predict(*last, settings)[0])
    t, every = settings.test_x, settings.log_every
    log = [logfmt.shape_line(len(settings.data), 1), logfmt.prediction_line("before", t, before)]
    log += [logfmt.epoch_line(e, w, loss) for e, (w, _, loss) in enumerate(epochs, 1) if (e - 1) % every == 0]
    log.append(logfmt.prediction_line("after", t, after))
    return log, trajectory(before, epochs, after)


def exact_for(settings: Settings) -> bool:
    """Whether the emulation is exact for ``settings``'s data (see ``EXACT_POINTS``)."""
    return len(settings.data) <= EXACT_POINTS
