"""Recover the start (w₀, b₀) of an nn cell from its printed log.

Three phases: the log is read back into numbers (``logread``); a float64 fit of the affine model
of GD estimates θ₀ from them (``affine``); and the search below turns the fit into a float32 start.
It refines the fit by Gauss–Newton steps on the residuals of emulated float32 replays
(``emulate``: the fit's float32 drift), then screens float32 starts near it and along the band
where the epoch-1 loss is as printed, in each of the emulation's four modes (one per kind of CPU
kernel path), best first: fewest misses in the worst mode, then in the best, then nearest the fit.
The answer is the first start that prints the log in every mode. Where none does (a log only some
kinds of CPU print), it is the first that prints it in the most modes, and for the modes it
misses, starts that print it there (``screen.plan``). Every step is IEEE arithmetic in numpy, so the
answer depends on no CPU; the starts are then replayed for real on every kernel path this CPU runs,
and a path that prints otherwise than its mode says is a bug of the emulation (``confirm``).
On data the emulation does not follow exactly (more than ``emulate.EXACT_POINTS`` points) the
screened starts are replayed here until some reproduce the log, and the one that replays it on the
most paths is chosen (``replays.choose``). Where no start does, NotRecoveredError names the lines
no start reproduced.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from linreg import validate
from linreg.data import F64
from linreg.errors import LinregError, NotRecoveredError, SettingsError
from linreg.recover import affine, confirm, emulate, replays, screen
from linreg.recover.emulate import MODES, Mode
from linreg.recover.kernels import workers
from linreg.recover.logread import ParsedLog, parse_log, printed_values
from linreg.recover.paths import KernelPath, Skip
from linreg.recover.replays import Search
from linreg.recover.screen import Start

if TYPE_CHECKING:
    from linreg.settings import Settings


@dataclass(frozen=True)
class Recovery:
    """A start that replays the log exactly: in which modes of the emulation, on which kernel paths this
    CPU runs, whether in this process; and, where it misses some, starts for those."""

    w: float
    b: float
    estimate: tuple[float, float]  # the float64 fit
    checked: tuple[KernelPath, ...]  # the kernel paths its replay was checked on; () when only here
    replays_on: tuple[KernelPath, ...]  # those of them on which it prints the log, on every thread count
    skipped: tuple[tuple[KernelPath, Skip], ...] = ()  # paths this CPU cannot run, with the reason
    here: bool = True  # whether it replays the log in this process (a log from another path may not)
    # where it does not replay everywhere: other starts, each with the paths on which it prints the log
    # (the paths of the modes it prints it in, where the emulation follows the data; else those checked)
    elsewhere: tuple[tuple[tuple[float, float], tuple[KernelPath, ...]], ...] = ()
    modes: tuple[Mode, ...] = MODES  # the emulation's modes in which it prints the log
    emulated: bool = True  # whether the emulation follows the log's data exactly (emulate.exact_for)

    @property
    def in_every_mode(self) -> bool:
        """Whether it prints the log in every mode of the emulation."""
        return self.modes == MODES

    @property
    def mode_paths(self) -> list[KernelPath]:
        """The kernel paths of the modes it prints the log in."""
        return emulate.paths_of(*self.modes)

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
    validate.recover_epochs(settings)


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


def _modes(start: Start, log: ParsedLog, settings: Settings) -> tuple[Mode, ...]:
    """The emulation's modes in which ``start`` prints the log."""
    w, b = np.array([start[0]], np.float32), np.array([start[1]], np.float32)
    return tuple(mode for mode in MODES if emulate.count_misses(w, b, log, settings, mode)[0] == 0)


def recover(
    text: str, settings: Settings, name: str = "log", max_replays: int = 256, every_path: bool = True
) -> Recovery:
    """A float32 start (w₀, b₀) whose replay with ``settings`` prints ``text`` exactly.

    The first start in the screen's order (``_candidates``) that prints it in every mode of the
    emulation or, where none does, in the most modes, with starts for the modes it misses in
    ``elsewhere`` (``_plan``); confirmed for real here and, unless ``every_path`` is false, on every
    kernel path this CPU runs. On data the emulation does not follow exactly, the start that
    replays it on the most paths this CPU runs, with starts for the others.

    The answer depends on the call's values alone (and, for the paths, on this machine), so a
    process answers a call it has answered before from memory, a refusal too (``_answered``);
    not for data read from a file, which may change between calls.
    """
    check_recoverable(settings)
    if settings.data.path is not None:  # a file's points may change between calls: no memory of them
        return _search(text, settings, name, max_replays, every_path)
    answer = _answered(text, settings, repr(settings), name, max_replays, every_path)
    if isinstance(answer, LinregError):
        raise copy.copy(answer)  # a fresh one each time: no traceback or context of an earlier call
    return answer


@functools.lru_cache(maxsize=64)
def _answered(
    text: str, settings: Settings, shown: str, name: str, max_replays: int, every_path: bool
) -> Recovery | LinregError:
    """``_search``'s answer, or the error it refused with, for ``recover``'s memory. Settings are
    equal when their numbers are (data by its points); ``shown``, their repr, keeps apart what
    equality leaves out (the data's label). A pickle is no key: equal settings can pickle apart."""
    try:
        return _search(text, settings, name, max_replays, every_path)
    except LinregError as exc:
        return exc.with_traceback(None)  # kept without the frames of the search


def _search(text: str, settings: Settings, name: str, max_replays: int, every_path: bool) -> Recovery:
    """``recover``'s work: read the log, fit, screen, choose and confirm."""
    log = parse_log(text, settings, name)
    if every_path:
        workers()  # starts importing torch in the kernel-path worker while this process screens
    fit = affine.estimate(log, settings)
    estimate = (float(fit[0]), float(fit[1]))
    search = Search()
    theta = _refine(fit, log, settings)
    screens = screen.screens(theta, fit, log, settings)
    search.screened = sum(s.screened for s in screens)
    exact = emulate.exact_for(settings)
    plan = screen.plan(screens, fit) if exact else []
    if not plan:  # data the emulation does not follow, or a log no mode prints: replay the best here
        for screened in screens:
            replays.here(screened, log, settings, search, max_replays)
            if search.hits:
                break
        if not search.hits:
            replays.neighbours(_f32(theta), log, settings, search, max_replays)
        if exact and search.hits:  # a start the screen left out
            plan = [(search.hits[0], _modes(search.hits[0], log, settings))]
            if not plan[0][1]:
                claim = "no mode of the emulation prints the log"
                raise confirm.disagreement("this process", search.hits[0], claim, log.lines, log)
    if plan:
        found = confirm.confirm(plan, log, settings, every_path)
        (first, modes), others = plan[0], [(start, tuple(emulate.paths_of(*m))) for start, m in plan[1:]]
        return Recovery(
            *first, estimate, found.checked, found.on[first], found.skipped, found.here, tuple(others), modes
        )
    if search.hits and not every_path:
        return Recovery(*search.hits[0], estimate, (), (), emulated=False)
    choice = replays.choose(estimate, screened, log, settings, search.hits) if every_path and not exact else None
    if choice is not None:
        checked, on, skipped = choice.found.checked, choice.found.on[choice.start], choice.found.skipped
        return Recovery(*choice.start, estimate, checked, on, skipped, choice.here, choice.elsewhere, emulated=False)
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
