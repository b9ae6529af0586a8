"""The emulation's starts confirmed for real, for ``recover``: each start the emulation chose (``emulate``),
with the modes in which it prints the log, must print the log on exactly the CPU kernel paths of
those modes, and one that prints it in every mode must print it in this process too. A path that
prints otherwise contradicts the emulation's mode for it: a bug of the emulation, raised as
``EmulationError`` naming the path and the start.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from linreg.errors import EmulationError
from linreg.recover import emulate
from linreg.recover.emulate import Mode
from linreg.recover.kernels import workers
from linreg.recover.paths import KernelPath, Skip
from linreg.recover.replays import lines_here
from linreg.recover.screen import Start

if TYPE_CHECKING:
    from linreg.recover.logread import ParsedLog
    from linreg.settings import Settings


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
