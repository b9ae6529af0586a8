"""Recover the start (w₀, b₀) of an nn cell from its printed log.

Three phases: the log is read back into numbers (``logread``); a float64 fit of the affine model
of GD estimates θ₀ from them (``affine``); and the search below turns the fit into a float32
start that replays every line. The search refines the fit by Gauss–Newton steps on the
residuals of real float32 replays, screens float32 starts near it and along the band where the
epoch-1 loss is exactly as printed by a vectorised float32 emulation of the cell
(``emulate``), replays the best for real until one reproduces every line, and last tries the
float32 neighbours of the refined start. On small data (up to 4 points, the notes' case) the
emulation is exact and recovery reliable; on larger data torch sums in another order, the screen
is only approximate and recovery can fail, which ends in NotRecoveredError naming the lines no
start reproduced.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from linreg import affine, emulate
from linreg.data import F32, F64
from linreg.errors import NotRecoveredError, SettingsError
from linreg.kernels import KernelPath, workers
from linreg.logread import ParsedLog, parse_log, printed_values

if TYPE_CHECKING:
    from linreg.settings import Settings


@dataclass(frozen=True)
class Recovery:
    """A start that replays the log exactly (here, unless ``here`` is false), and on which kernel paths."""

    w: float
    b: float
    estimate: tuple[float, float]  # the float64 fit
    checked: tuple[KernelPath, ...]  # the kernel paths its replay was checked on; () when only here
    replays_on: tuple[KernelPath, ...]  # those of them on which it prints the log, on every thread count
    skipped: tuple[tuple[KernelPath, str], ...] = ()  # paths this CPU cannot run, with the reason
    here: bool = True  # whether it replays the log in this process (a log from another path may not)
    # where it does not replay everywhere: other starts, each with the paths on which it replays the log
    elsewhere: tuple[tuple[tuple[float, float], tuple[KernelPath, ...]], ...] = ()

    @property
    def portable(self) -> bool:
        """Whether the start replays the log on every path checked."""
        return self.replays_on == self.checked


def _replay(settings: Settings, w: float, b: float, log: ParsedLog) -> tuple[list[str], F64]:
    """The real replay from (w, b): its lines, and its values of the log's printed numbers."""
    from linreg.stages import train

    history = train(replace(settings, init=(w, b), seed=None))
    values = [history.before]
    for epoch, _, _ in log.epochs:
        values += [history.epochs[epoch - 1].w, history.epochs[epoch - 1].loss]
    values.append(history.after if history.after is not None else float("nan"))
    return history.lines(), np.array(values)


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
    misses = np.stack([emulate.count_misses(W, B, log, settings, *mode) for mode in emulate.MODES])  # (4, C)
    worse, better = misses.max(axis=0), misses.min(axis=0)
    order = np.lexsort(((W - fit[0]) ** 2 + (B - fit[1]) ** 2, better, worse))
    return Screen(W[order], B[order], worse[order], better[order], screened)


def _passed_somewhere(fit: F64, log: ParsedLog, settings: Settings, radius: int = 24) -> list[tuple[float, float]]:
    """For each mode of the emulation, the two float32 starts within ``radius`` steps of the fit nearest
    it that the mode passes: for a log that no start replays everywhere, or not in this process."""
    grid_w, grid_b = np.meshgrid(emulate.neighbours(fit[0], radius), emulate.neighbours(fit[1], radius), indexing="ij")
    order = np.argsort((grid_w - fit[0]).ravel() ** 2 + (grid_b - fit[1]).ravel() ** 2, kind="stable")
    W, B = grid_w.ravel()[order], grid_b.ravel()[order]  # (C,), (C,), nearest first
    out: list[tuple[float, float]] = []
    for mode in emulate.MODES:
        passed = np.flatnonzero(emulate.count_misses(W, B, log, settings, *mode) == 0)[:2]
        out += [(float(W[i]), float(B[i])) for i in passed]
    return list(dict.fromkeys(out))


Start = tuple[float, float]


@dataclass(frozen=True)
class _Checked:
    """Starts replayed on every kernel path, with the paths on which each prints the log."""

    on: dict[Start, tuple[KernelPath, ...]]
    checked: tuple[KernelPath, ...]
    skipped: tuple[tuple[KernelPath, str], ...]


def _check(starts: list[Start], log: ParsedLog, settings: Settings, stop_at_portable: bool) -> _Checked:
    """Replay ``starts`` on every kernel path, four at a time; with ``stop_at_portable``, stop after
    the first batch that holds a start whose replay prints the log on every path."""
    on: dict[Start, tuple[KernelPath, ...]] = {}
    checked: tuple[KernelPath, ...] = ()
    skipped: tuple[tuple[KernelPath, str], ...] = ()
    for first in range(0, len(starts), 4):
        batch = starts[first : first + 4]
        replays = workers().replay([replace(settings, init=start, seed=None) for start in batch])
        checked, skipped = tuple(replays.paths), tuple(replays.skipped.items())
        for k, start in enumerate(batch):
            on[start] = tuple(p for p in checked if all(lines == log.lines for lines in replays.lines[p][k]))
        if stop_at_portable and any(paths == checked for paths in on.values()):
            break
    return _Checked(on, checked, skipped)


def _cover(found: _Checked, first: Start) -> tuple[tuple[Start, tuple[KernelPath, ...]], ...]:
    """Starts for the paths on which ``first`` does not replay the log: each in turn the one that
    replays it on most of the paths still uncovered."""
    left = [p for p in found.checked if p not in found.on[first]]
    out = []
    while left:
        start, paths = max(found.on.items(), key=lambda item: sum(p in left for p in item[1]))
        if not any(p in left for p in paths):
            break
        out.append((start, tuple(p for p in paths if p in left)))
        left = [p for p in left if p not in paths]
    return tuple(out)


@dataclass
class _Search:
    """What the search has done so far: for the final report when it fails."""

    replays: int = 0
    screened: int = 0
    hits: list[Start] = field(default_factory=list)  # starts that replay the log here, in the order found


def _refine(fit: F64, log: ParsedLog, settings: Settings, search: _Search) -> F64:
    """Phase 1: Gauss–Newton again, on the residuals of real float32 replays (removes the fit's float32 drift)."""
    printed = printed_values(log)
    p = np.array([q.value for q in printed])
    tolerance = np.array([q.tolerance for q in printed])
    theta = fit
    for _ in range(12):
        w, b = _f32(theta)
        lines, values = _replay(settings, w, b, log)
        search.replays += 1
        if lines == log.lines:
            break
        _, rows = affine.model(theta, log, settings)
        step = np.linalg.lstsq(rows / tolerance[:, None], -(values - p) / tolerance, rcond=None)[0]
        if _f32(theta + step) == (w, b):
            break
        theta = theta + step
    return theta


def _screen(theta: F64, fit: F64, log: ParsedLog, settings: Settings, search: _Search, max_replays: int) -> Screen:
    """Phase 2: screen float32 starts by emulation, near the fit first, then wider; replay here the best,
    in the screen's order, until four that the emulation passes in every mode replay the log."""
    widest = min(400, int(np.sqrt(3e8 / (len(settings.data) * max(settings.epochs, 1))) / 2))  # bounds the work
    passed_all = 0
    for radius in sorted({min(48, widest), widest}):
        screen = _candidates(theta, fit, log, settings, radius)
        search.screened += screen.screened
        for i in range(min(screen.W.size, max_replays // 4)):
            if passed_all >= 4 or (search.hits and screen.worse[i] > 0):
                break
            search.replays += 1
            if _replay(settings, float(screen.W[i]), float(screen.B[i]), log)[0] == log.lines:
                search.hits.append((float(screen.W[i]), float(screen.B[i])))
                passed_all += int(screen.worse[i] == 0)
        if search.hits:
            break
    return screen


def _neighbours(theta: F64, log: ParsedLog, settings: Settings, search: _Search, max_replays: int) -> None:
    """Phase 3, where the screen found nothing: the float32 neighbours of the refined start, nearest first."""
    centre = emulate.ordered(np.array(_f32(theta), dtype=np.float32))
    offsets = sorted(((i, j) for i in range(-12, 13) for j in range(-12, 13)), key=lambda o: o[0] ** 2 + o[1] ** 2)
    for i, j in offsets[: max(0, max_replays - search.replays)]:
        w, b = (float(v) for v in emulate.from_ordered(centre + np.array([i, j])))
        search.replays += 1
        if _replay(settings, w, b, log)[0] == log.lines:
            search.hits.append((w, b))
            return


def _choose(fit: F64, screen: Screen, log: ParsedLog, settings: Settings, hits: list[Start]) -> Recovery | None:
    """Phase 4: of the starts that replay here, the first that replays on every kernel path; else the
    one that replays on the most, after also replaying elsewhere the starts some emulated mode passes."""
    estimate64 = (float(fit[0]), float(fit[1]))
    found = _check(hits, log, settings, stop_at_portable=True)
    portable = [start for start in hits if found.on.get(start) == found.checked]
    if portable:
        return Recovery(*portable[0], estimate64, found.checked, found.checked, found.skipped)
    # no start replays the log everywhere (it may have been printed on another kernel path)
    there = _passed_somewhere(fit, log, settings) + [
        (float(screen.W[i]), float(screen.B[i])) for i in np.flatnonzero(screen.better == 0)[:4]
    ]
    more = _check([s for s in dict.fromkeys(there) if s not in found.on], log, settings, False)
    found = _Checked(found.on | more.on, more.checked or found.checked, more.skipped or found.skipped)
    best = max(hits or found.on, key=lambda start: len(found.on[start]), default=None)
    if best is None or not (hits or found.on[best]):
        return None
    elsewhere = _cover(found, best)
    return Recovery(*best, estimate64, found.checked, found.on[best], found.skipped, bool(hits), elsewhere)


def recover(
    text: str, settings: Settings, name: str = "log", max_replays: int = 256, every_path: bool = True
) -> Recovery:
    """A float32 start (w₀, b₀) whose replay with ``settings`` prints ``text`` exactly.

    Of the starts that replay it here, the first in the screen's order (``_candidates``) whose replay
    also prints it on every kernel path this CPU runs (``linreg.kernels``) is chosen. Where none does,
    the one that replays it here on the most paths (or, where none replays it here, elsewhere on the
    most), with starts for the other paths in ``elsewhere``. ``every_path=False`` checks this
    process's path only.
    """
    check_recoverable(settings)
    log = parse_log(text, settings, name)
    if every_path:
        workers()  # starts importing torch in the kernel-path worker while this process screens
    fit = affine.estimate(log, settings)
    search = _Search()
    theta = _refine(fit, log, settings, search)
    screen = _screen(theta, fit, log, settings, search, max_replays)
    if not search.hits:
        _neighbours(theta, log, settings, search, max_replays)
    if search.hits and not every_path:
        return Recovery(*search.hits[0], (float(fit[0]), float(fit[1])), (), ())
    found = _choose(fit, screen, log, settings, search.hits) if every_path else None
    if found is not None:
        return found
    got = _replay(settings, *_f32(theta), log)[0]
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
