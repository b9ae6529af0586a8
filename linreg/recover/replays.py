"""Where starts replay a log for real: in this process, and on every CPU kernel path this CPU runs.

For ``recover``. The starts the emulation chose (``emulate``), each with the modes in which it
prints the log, are confirmed on every path (``confirm``): a start must print the log on exactly
the paths of its modes, and one that prints it in every mode must print it in this process too; a
path that prints otherwise contradicts the emulation's mode for it, a bug of the emulation, raised
as ``EmulationError``. On data the emulation does not follow exactly, the screened starts are
replayed here until some reproduce the log (``here``), and of those the one that replays it on the
most paths is chosen, with starts for the other paths (``choose``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from linreg.errors import EmulationError
from linreg.recover import emulate
from linreg.recover.emulate import Mode
from linreg.recover.kernels import workers
from linreg.recover.paths import KernelPath, Skip
from linreg.recover.screen import Start

if TYPE_CHECKING:
    from linreg.recover.logread import ParsedLog
    from linreg.recover.screen import Screen
    from linreg.settings import Settings


@dataclass(frozen=True)
class Checked:
    """Starts replayed on every kernel path this CPU runs, with the paths on which each prints the log."""

    on: dict[Start, tuple[KernelPath, ...]]
    checked: tuple[KernelPath, ...]
    skipped: tuple[tuple[KernelPath, Skip], ...]


@dataclass
class Search:
    """What the search has done so far: for the final report when it fails."""

    replays: int = 0
    screened: int = 0
    hits: list[Start] = field(default_factory=list)  # starts that replay the log here, in the order found


def lines_here(settings: Settings, start: Start) -> list[str]:
    """The log that ``start`` prints in this process."""
    from linreg.stages import train

    return train(replace(settings, init=start, seed=None)).lines()


def check(starts: list[Start], log: ParsedLog, settings: Settings, stop_at_portable: bool = False) -> Checked:
    """Replay ``starts`` on every kernel path, four at a time; with ``stop_at_portable``, stop after
    the first batch that holds a start whose replay prints the log on every path."""
    on: dict[Start, tuple[KernelPath, ...]] = {}
    checked: tuple[KernelPath, ...] = ()
    skipped: tuple[tuple[KernelPath, Skip], ...] = ()
    for first in range(0, len(starts), 4):
        batch = starts[first : first + 4]
        replays = workers().replay([replace(settings, init=start, seed=None) for start in batch])
        checked, skipped = tuple(replays.paths), tuple(replays.skipped.items())
        for k, start in enumerate(batch):
            on[start] = tuple(p for p in checked if all(lines == log.lines for lines in replays.lines[p][k]))
        if stop_at_portable and any(paths == checked for paths in on.values()):
            break
    return Checked(on, checked, skipped)


@dataclass(frozen=True)
class Confirmed:
    """Where the starts of a plan replay the log for real: here, and on each path this CPU runs."""

    here: bool  # whether the first start replays it in this process
    on: dict[Start, tuple[KernelPath, ...]]  # each start: the paths checked on which it replays the log
    checked: tuple[KernelPath, ...]  # () with every_path false
    skipped: tuple[tuple[KernelPath, Skip], ...]


def disagreement(where: str, start: Start, claim: str, lines: list[str], log: ParsedLog) -> EmulationError:
    """``where`` printed ``lines`` from ``start``, where the emulation makes ``claim`` about the log."""
    if lines == log.lines:
        did = "prints it"
    else:
        k, a, e = next((k, a, e) for k, (a, e) in enumerate(zip(lines, log.lines, strict=True), 1) if a != e)
        did = f"prints line {k} as {a!r}, not {e!r}"
    msg = (
        f"the emulation disagrees with {where}: from {np.float32(start[0])!s},{np.float32(start[1])!s} {claim}, "
        f"but {where} {did}; a bug of linreg/recover/emulate.py, not of the log: "
        "features/3_tool/22_cpu_kernel_paths.feature shows which mode computes otherwise than its paths"
    )
    return EmulationError(msg)


def confirm(
    plan: list[tuple[Start, tuple[Mode, ...]]], log: ParsedLog, settings: Settings, every_path: bool
) -> Confirmed:
    """Replay the plan's starts here and (``every_path``) on every path this CPU runs: each must print the
    log on exactly the paths of the modes in which the emulation prints it, and a start that prints it in
    every mode must print it here too. ``EmulationError`` otherwise, naming the path and the start."""
    starts = [start for start, _ in plan]
    here = lines_here(settings, starts[0])
    if plan[0][1] == emulate.MODES and here != log.lines:
        raise disagreement("this process", starts[0], "every mode of the emulation prints the log", here, log)
    if not every_path:
        return Confirmed(here == log.lines, {start: () for start in starts}, (), ())
    replays = workers().replay([replace(settings, init=start, seed=None) for start in starts])
    on = {}
    for k, (start, modes) in enumerate(plan):
        on[start] = tuple(p for p in replays.paths if all(lines == log.lines for lines in replays.lines[p][k]))
        for path in replays.paths:
            prints = emulate.mode_of(path) in modes
            if (path in on[start]) != prints:
                lines = next((ls for ls in replays.lines[path][k] if ls != log.lines), log.lines)
                claim = f"{emulate.mode_of(path)} {'prints' if prints else 'does not print'} the log"
                raise disagreement(str(path), start, claim, lines, log)
    return Confirmed(here == log.lines, on, tuple(replays.paths), tuple(replays.skipped.items()))


def here(screen: Screen, log: ParsedLog, settings: Settings, search: Search, max_replays: int) -> None:
    """Replay here the screen's best starts, in its order, until four that it passes in every mode
    reproduce the log, or, once one has, the next misses in some mode."""
    passed_all = 0
    for i in range(min(screen.W.size, max_replays // 4)):
        if passed_all >= 4 or (search.hits and screen.worse[i] > 0):
            break
        start = float(screen.W[i]), float(screen.B[i])
        search.replays += 1
        if lines_here(settings, start) == log.lines:
            search.hits.append(start)
            passed_all += int(screen.worse[i] == 0)


def neighbours(start: Start, log: ParsedLog, settings: Settings, search: Search, max_replays: int) -> None:
    """Where the screen found nothing: the float32 neighbours of ``start``, nearest first, until one replays here."""
    centre = emulate.ordered(np.array(start, dtype=np.float32))
    offsets = sorted(((i, j) for i in range(-12, 13) for j in range(-12, 13)), key=lambda o: o[0] ** 2 + o[1] ** 2)
    for i, j in offsets[: max(0, max_replays - search.replays)]:
        w, b = (float(v) for v in emulate.from_ordered(centre + np.array([i, j])))
        search.replays += 1
        if lines_here(settings, (w, b)) == log.lines:
            search.hits.append((w, b))
            return


def _passed_somewhere(fit: Start, log: ParsedLog, settings: Settings, radius: int = 24) -> list[Start]:
    """For each mode of the emulation, the two float32 starts within ``radius`` steps of the fit nearest
    it that the mode passes: for a log that no start replays everywhere, or not in this process."""
    grid_w, grid_b = np.meshgrid(emulate.neighbours(fit[0], radius), emulate.neighbours(fit[1], radius), indexing="ij")
    order = np.argsort((grid_w - fit[0]).ravel() ** 2 + (grid_b - fit[1]).ravel() ** 2, kind="stable")
    W, B = grid_w.ravel()[order], grid_b.ravel()[order]  # (C,), (C,), nearest first
    out: list[Start] = []
    for mode in emulate.MODES:
        passed = np.flatnonzero(emulate.count_misses(W, B, log, settings, mode) == 0)[:2]
        out += [(float(W[i]), float(B[i])) for i in passed]
    return list(dict.fromkeys(out))


def _cover(found: Checked, first: Start) -> tuple[tuple[Start, tuple[KernelPath, ...]], ...]:
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


@dataclass(frozen=True)
class Choice:
    """The start that replays the log on the most paths, and starts for the paths it misses."""

    start: Start
    found: Checked
    here: bool  # whether it replays the log in this process
    elsewhere: tuple[tuple[Start, tuple[KernelPath, ...]], ...]


def choose(fit: Start, screen: Screen, log: ParsedLog, settings: Settings, hits: list[Start]) -> Choice | None:
    """Of the starts that replay here, the first that replays on every path this CPU runs; else the one
    that replays on the most, after also replaying elsewhere starts that some emulated mode passes."""
    found = check(hits, log, settings, stop_at_portable=True)
    portable = [start for start in hits if found.on.get(start) == found.checked]
    if portable:
        return Choice(portable[0], found, True, ())
    # no start replays the log everywhere (it may have been printed on another kernel path)
    there = _passed_somewhere(fit, log, settings) + [
        (float(screen.W[i]), float(screen.B[i])) for i in np.flatnonzero(screen.better == 0)[:4]
    ]
    more = check([s for s in dict.fromkeys(there) if s not in found.on], log, settings)
    found = Checked(found.on | more.on, more.checked or found.checked, more.skipped or found.skipped)
    best = max(hits or found.on, key=lambda start: len(found.on[start]), default=None)
    if best is None or not (hits or found.on[best]):
        return None
    return Choice(best, found, bool(hits), _cover(found, best))
