"""Recover the start (w₀, b₀) of an nn cell from its printed log.

Three phases: the log is read back into numbers (``logread``); a float64 fit of the affine model
of GD estimates θ₀ from them (``affine``); and the search below turns the fit into a float32 start.
It refines the fit by Gauss–Newton steps on the residuals of emulated float32 replays
(``emulate``: the fit's float32 drift), then screens float32 starts near it and along the band
where the epoch-1 loss is as printed, in each of the emulation's four modes (one per kind of CPU
kernel path), best first: fewest misses in the worst mode, then in the best, then nearest the fit.
The answer is the first start that prints the log in every mode. Every step is element-wise IEEE
arithmetic on the log's numbers, so the answer depends on no CPU; it is then replayed for real on
every kernel path this CPU runs, and a path that prints otherwise is a bug of the emulation
(``replays.confirm``). Where no start prints the log in every mode (a log only some CPUs print),
or the data has more points than the emulation follows exactly, the screened starts are replayed
here until some reproduce the log, and the one that replays it on the most paths is chosen
(``replays.choose``); where none does, NotRecoveredError names the lines no start reproduced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from linreg import affine, emulate, replays
from linreg.data import F32, F64
from linreg.emulate import MODES, Mode
from linreg.errors import NotRecoveredError, SettingsError
from linreg.kernels import KernelPath, workers
from linreg.logread import ParsedLog, parse_log, printed_values
from linreg.replays import Search, Start

if TYPE_CHECKING:
    from linreg.settings import Settings


@dataclass(frozen=True)
class Recovery:
    """A start that replays the log exactly (here, unless ``here`` is false): in which modes of the
    emulation, and on which kernel paths this CPU runs."""

    w: float
    b: float
    estimate: tuple[float, float]  # the float64 fit
    checked: tuple[KernelPath, ...]  # the kernel paths its replay was checked on; () when only here
    replays_on: tuple[KernelPath, ...]  # those of them on which it prints the log, on every thread count
    skipped: tuple[tuple[KernelPath, str], ...] = ()  # paths this CPU cannot run, with the reason
    here: bool = True  # whether it replays the log in this process (a log from another path may not)
    # where it does not replay everywhere: other starts, each with the paths on which it replays the log
    elsewhere: tuple[tuple[tuple[float, float], tuple[KernelPath, ...]], ...] = ()
    modes: tuple[Mode, ...] = MODES  # the emulation's modes in which it prints the log
    emulated: bool = True  # whether the emulation follows the log's data exactly (emulate.exact_for)

    @property
    def portable(self) -> bool:
        """Whether the start prints the log on every path checked and, where the emulation follows the
        data exactly, in every mode of the emulation, so on every CPU."""
        return (self.modes == MODES or not self.emulated) and self.replays_on == self.checked


def _f32(theta: F64) -> tuple[float, float]:
    return float(np.float32(theta[0])), float(np.float32(theta[1]))


def check_recoverable(settings: Settings) -> None:
    """``SettingsError`` unless ``settings.stage`` is one of the cells with a random start."""
    if not settings.info.random_start:
        msg = f"recover works for stages linear and module (the cells with a random start), not {settings.stage}"
        raise SettingsError(msg)


def _band(theta: F64, log: ParsedLog, settings: Settings, spread: float, count: int = 1201) -> tuple[F32, F32]:
    """Float32 starts (C,), (C,) along the curve where the epoch-1 loss equals the printed one.

    For each w, mean((x·w + b − y)²) = L₁ is a quadratic in b; its root nearest the fit, and the
    float32 values a few steps either side of it, are the candidates.
    """
    x = np.asarray(settings.data.x, dtype=np.float64)
    y = np.asarray(settings.data.y, dtype=np.float64)
    loss1 = log.epochs[0][2].value if log.epochs else 0.0
    ws = np.unique(
        np.concatenate(
            [
                np.linspace(theta[0] - spread, theta[0] + spread, count).astype(np.float32),
                emulate.neighbours(theta[0], 64),
            ]
        )
    )
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


@dataclass(frozen=True)
class Screen:
    """Candidate starts, best first, with their emulated misses in the worst and the best mode."""

    W: F32
    B: F32
    worse: npt.NDArray[np.int64]
    better: npt.NDArray[np.int64]
    screened: int  # starts looked at, those left out after the first numbers included


def _candidates(theta: F64, fit: F64, log: ParsedLog, settings: Settings, radius: int) -> Screen:
    """Float32 starts on a grid of ``radius`` steps about the fit and on the epoch-1 band, best first,
    with their emulated misses in the worst and in the best of the emulation's four modes (one per
    kind of kernel path).

    Best is fewest misses in the worst mode, then in the best one, then nearest the fit: the order
    depends on no CPU, so neither does the start chosen from it. Only the starts that miss fewest of
    the numbers every mode computes alike (the first prediction, epoch 1's loss) are emulated further.
    """
    scale = float(np.abs(fit).max())
    band_w, band_b = _band(theta, log, settings, affine.spread(theta, log, settings))
    grid_w, grid_b = np.meshgrid(
        emulate.neighbours(fit[0], radius, emulate.grid_step(fit[0], scale)),
        emulate.neighbours(fit[1], radius, emulate.grid_step(fit[1], scale)),
        indexing="ij",
    )
    W, B = np.concatenate([grid_w.ravel(), band_w]), np.concatenate([grid_b.ravel(), band_b])  # (C,), (C,)
    screened = W.size
    first = emulate.first_misses(W, B, log, settings)  # alike in every mode: keep those that miss fewest
    W, B = W[first == first.min()], B[first == first.min()]
    misses = np.stack([emulate.count_misses(W, B, log, settings, mode) for mode in MODES])  # (4, C)
    worse, better = misses.max(axis=0), misses.min(axis=0)
    order = np.lexsort(((W - fit[0]) ** 2 + (B - fit[1]) ** 2, better, worse))
    return Screen(W[order], B[order], worse[order], better[order], screened)


def _refine(fit: F64, log: ParsedLog, settings: Settings) -> F64:
    """Phase 1: Gauss–Newton again, on the residuals of emulated float32 replays (removes the fit's float32
    drift). One mode serves: the modes differ in last bits, the drift is many of them."""
    printed = printed_values(log)
    p = np.array([q.value for q in printed])
    tolerance = np.array([q.tolerance for q in printed])
    theta = fit
    for _ in range(12):
        w, b = _f32(theta)
        values = emulate.printed(np.array([w], np.float32), np.array([b], np.float32), log, settings, MODES[0])[:, 0]
        if np.all(np.abs(values - p) <= tolerance * (1 + 1e-9)):
            break
        _, rows = affine.model(theta, log, settings)
        step = affine.solve(rows / tolerance[:, None], -(values - p) / tolerance)
        if _f32(theta + step) == (w, b):
            break
        theta = theta + step
    return theta


def _screens(theta: F64, fit: F64, log: ParsedLog, settings: Settings, search: Search) -> list[Screen]:
    """Phase 2: screen float32 starts by emulation, near the fit first, then wider, until the best of a
    screen prints the log in every mode."""
    widest = min(400, int(np.sqrt(3e8 / (len(settings.data) * max(settings.epochs, 1))) / 2))  # bounds the work
    screens = []
    for radius in sorted({min(48, widest), widest}):
        screens.append(_candidates(theta, fit, log, settings, radius))
        search.screened += screens[-1].screened
        if screens[-1].worse[0] == 0:
            break
    return screens


def _modes(start: Start, log: ParsedLog, settings: Settings) -> tuple[Mode, ...]:
    """The emulation's modes in which ``start`` prints the log."""
    w, b = np.array([start[0]], np.float32), np.array([start[1]], np.float32)
    return tuple(mode for mode in MODES if emulate.count_misses(w, b, log, settings, mode)[0] == 0)


def recover(
    text: str, settings: Settings, name: str = "log", max_replays: int = 256, every_path: bool = True
) -> Recovery:
    """A float32 start (w₀, b₀) whose replay with ``settings`` prints ``text`` exactly.

    The first start in the screen's order (``_candidates``) that prints it in every mode of the
    emulation, confirmed for real here and, unless ``every_path`` is false, on every kernel path this
    CPU runs. Where no start prints it in every mode, the one that replays it here on the most paths
    (or, where none replays it here, elsewhere on the most), with starts for the other paths in
    ``elsewhere``.
    """
    check_recoverable(settings)
    log = parse_log(text, settings, name)
    if every_path:
        workers()  # starts importing torch in the kernel-path worker while this process screens
    fit = affine.estimate(log, settings)
    estimate = (float(fit[0]), float(fit[1]))
    search = Search()
    theta = _refine(fit, log, settings)
    screens = _screens(theta, fit, log, settings, search)
    exact = emulate.exact_for(settings)
    if screens[-1].worse[0] == 0 and exact:
        start = float(screens[-1].W[0]), float(screens[-1].B[0])
        found = replays.confirm(start, log, settings, name, every_path)
        return Recovery(*start, estimate, found.checked, found.checked, found.skipped)
    for screen in screens:  # no start prints the log in every mode: replay the best here
        replays.here(screen, log, settings, search, max_replays)
        if search.hits:
            break
    if not search.hits:
        replays.neighbours(_f32(theta), log, settings, search, max_replays)
    if search.hits and not every_path:
        return Recovery(*search.hits[0], estimate, (), (), modes=_modes(search.hits[0], log, settings), emulated=exact)
    choice = replays.choose(estimate, screen, log, settings, search.hits) if every_path else None
    if choice is not None:
        found, start = choice.found, choice.start
        modes = _modes(start, log, settings)
        elsewhere = choice.elsewhere
        return Recovery(
            *start, estimate, found.checked, found.on[start], found.skipped, choice.here, elsewhere, modes, exact
        )
    got = replays.lines_here(settings, _f32(theta))
    fit32 = _f32(fit)
    unmatched = [
        f"line {k} {e!r} (closest replay: {a!r})"
        for k, (a, e) in enumerate(zip(got, log.lines, strict=True), 1)
        if a != e
    ]
    msg = (
        f"no float32 start replays {name} exactly (fit w={fit32[0]:.8g}, b={fit32[1]:.8g}; "
        f"{search.screened} starts screened, {search.replays} replayed); unmatched: {'; '.join(unmatched)}"
    )
    raise NotRecoveredError(msg)
