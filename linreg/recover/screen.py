"""recover's screen: float32 starts near the fit, each emulated in every mode, best first; and its plan.

The candidates are a grid of float32 starts about the float64 fit θ̂ (every ``grid_step``-th float,
as many as the fit's error spans), the band where the epoch-1 loss is as printed (for each w,
mean((x·w + b − y)²) = L₁ is a quadratic in b), and, where none of those prints the log in every
mode, every float32 start within 24 steps of θ̂. Each is emulated in the four modes (``emulate``);
best is fewest misses in the worst mode, then in the best, then nearest θ̂. The plan takes the first
start that prints the log in the most modes (all four, where one does), then in turn starts for the
modes it misses. Candidates, misses and order are IEEE arithmetic in numpy on the log's numbers:
they depend on no CPU, so neither does the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from linreg.data import F32, F64
from linreg.recover import affine, emulate
from linreg.recover.emulate import MODES, Mode

if TYPE_CHECKING:
    from linreg.recover.logread import ParsedLog
    from linreg.settings import Settings

Start = tuple[float, float]
DENSE = 24  # float32 steps either side of the fit in which every start is screened, where needed


def _band(theta: F64, log: ParsedLog, settings: Settings, spread: float, count: int = 1201) -> tuple[F32, F32]:
    """Float32 starts (C,), (C,) along the curve where the epoch-1 loss equals the printed one: for each
    w, the root of the quadratic in b nearest the fit, and the float32 values a few steps either side."""
    x = np.asarray(settings.data.x, dtype=np.float64)
    y = np.asarray(settings.data.y, dtype=np.float64)
    loss1 = log.epochs[0][2].value if log.epochs else 0.0
    line = np.linspace(theta[0] - spread, theta[0] + spread, count).astype(np.float32)
    ws = np.unique(np.concatenate([line, emulate.neighbours(theta[0], 64)]))
    r = np.outer(ws.astype(np.float64), x) - y  # (W, N): x·w − y
    m, q = r.mean(axis=1), (r * r).mean(axis=1)
    disc = np.sqrt(np.maximum(m * m - (q - loss1), 0.0))
    roots = np.stack([-m - disc, -m + disc])  # (2, W)
    b = roots[np.argmin(np.abs(roots - theta[1]), axis=0), np.arange(ws.size)]
    centre = emulate.ordered(b.astype(np.float32))
    offsets = np.arange(-4, 5)
    B = emulate.from_ordered((centre[:, None] + offsets[None, :]).ravel())
    W = np.repeat(ws, offsets.size)
    return W, B


def _grid(fit: F64, radius: int, stepped: bool = True) -> tuple[F32, F32]:
    """Float32 starts (C,), (C,) ``radius`` grid steps either side of the fit: every ``grid_step``-th float
    (``stepped``), or every float."""
    scale = float(np.abs(fit).max())
    steps = [emulate.grid_step(v, scale) if stepped else 1 for v in fit]
    grid_w, grid_b = np.meshgrid(
        *(emulate.neighbours(v, radius, k) for v, k in zip(fit, steps, strict=True)), indexing="ij"
    )
    return grid_w.ravel(), grid_b.ravel()


@dataclass(frozen=True)
class Screen:
    """Candidate starts, best first, with their emulated misses in the worst and the best mode."""

    W: F32
    B: F32
    worse: npt.NDArray[np.int64]
    better: npt.NDArray[np.int64]
    screened: int  # starts looked at, those left out after the first numbers included
    passes: npt.NDArray[np.bool_]  # (4, C): whether each start prints the log in each mode of MODES


def _screen(W: F32, B: F32, fit: F64, log: ParsedLog, settings: Settings) -> Screen:
    """The starts (W[i], B[i]) emulated in every mode, best first. Only those that miss fewest of the
    numbers every mode computes alike (the first prediction, epoch 1's loss) are emulated further."""
    screened = W.size
    first = emulate.first_misses(W, B, log, settings)
    W, B = W[first == first.min()], B[first == first.min()]
    misses = np.stack([emulate.count_misses(W, B, log, settings, mode) for mode in MODES])  # (4, C)
    worse, better = misses.max(axis=0), misses.min(axis=0)
    order = np.lexsort(((W - fit[0]) ** 2 + (B - fit[1]) ** 2, better, worse))
    return Screen(W[order], B[order], worse[order], better[order], screened, misses[:, order] == 0)


def screens(theta: F64, fit: F64, log: ParsedLog, settings: Settings) -> list[Screen]:
    """The grid and band near the fit first, then wider, until the best start of a screen prints the log
    in every mode; where none does, last every float32 start near the fit (the grid steps over some)."""
    widest = min(400, int(np.sqrt(3e8 / (len(settings.data) * max(settings.epochs, 1))) / 2))  # bounds the work
    band = _band(theta, log, settings, affine.spread(theta, log, settings))
    out = []
    for radius in sorted({min(48, widest), widest}):
        grid = _grid(fit, radius)
        out.append(_screen(np.concatenate([grid[0], band[0]]), np.concatenate([grid[1], band[1]]), fit, log, settings))
        if out[-1].worse[0] == 0:
            return out
    return [*out, _screen(*_grid(fit, DENSE, stepped=False), fit, log, settings)]


def plan(screened: list[Screen], fit: F64) -> list[tuple[Start, tuple[Mode, ...]]]:
    """Of the screens' starts, best first: the one that prints the log in the most modes, the first such;
    then, for the modes it misses, in turn the one that prints it in the most of those still uncovered.
    Each with the modes it prints the log in; [] where no start prints it in any mode."""
    W, B = np.concatenate([s.W for s in screened]), np.concatenate([s.B for s in screened])
    worse, better = np.concatenate([s.worse for s in screened]), np.concatenate([s.better for s in screened])
    passes = np.concatenate([s.passes for s in screened], axis=1)  # (4, C)
    order = np.lexsort(((W - fit[0]) ** 2 + (B - fit[1]) ** 2, better, worse))
    W, B, passes = W[order], B[order], passes[:, order]
    left, out = np.ones(len(MODES), dtype=bool), list[tuple[Start, tuple[Mode, ...]]]()
    while left.any():
        count = passes[left].sum(axis=0)  # (C,): modes still uncovered that each start prints the log in
        i = int(np.argmax(count))  # the first of the most
        if count[i] == 0:
            break
        out.append(((float(W[i]), float(B[i])), tuple(mode for k, mode in enumerate(MODES) if passes[k, i])))
        left &= ~passes[:, i]
    return out
