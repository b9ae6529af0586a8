"""Steps that run the cells on other CPU kernel paths (MKL_CBWR × ATEN_CPU_CAPABILITY) and in the
emulation's modes, and compare."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from pytest_bdd import given, parsers, then, when

from linreg import Settings, run
from linreg.recover.emulate import MODES, Mode, mode_of, replay
from linreg.recover.kernels import workers
from linreg.recover.paths import KernelPath, Lines
from linreg.recover.wording import reason


@dataclass(frozen=True)
class PathRun:
    """What each cell printed on one kernel path, on each thread count."""

    path: KernelPath
    cells: dict[str, list[Lines]]


@dataclass(frozen=True)
class ExactRun:
    """Runs on one kernel path, each with every number it computed (bit for bit) on each thread count."""

    path: KernelPath
    runs: list[Settings]
    trajectories: list[list[Lines]]


def not_run(why: str) -> str:
    """The skip reason of a path this CPU cannot run: what it leaves unchecked, and how to check it."""
    return (
        f"a CPU kernel path, for real, as this CPU cannot run it ({why}); the emulation's mode for it, "
        "checked against the paths this CPU runs, stands for it here, and a CPU that has the path checks it "
        "for real (an Intel Xeon with AVX-512 has all 12)"
    )


@given(parsers.parse("the CPU kernel path MKL_CBWR={mkl} and ATEN_CPU_CAPABILITY={aten}"), target_fixture="kernel_path")
def given_kernel_path(mkl: str, aten: str) -> KernelPath:
    """Picks a CPU kernel path: MKL_CBWR (e.g. COMPATIBLE) and ATEN_CPU_CAPABILITY (e.g. avx2, default)."""
    return KernelPath(mkl, aten)


@given(
    parsers.parse("{count:d} starts (w, b) drawn uniformly from [-1, 1]² by numpy's default_rng({seed:d})"),
    target_fixture="starts",
)
def given_random_starts(count: int, seed: int) -> list[tuple[float, float]]:
    """Draws that many float32 starts (w, b) in [-1, 1]² from numpy's default_rng(seed)."""
    drawn = np.random.default_rng(seed).uniform(-1, 1, (count, 2)).astype(np.float32)
    return [(float(w), float(b)) for w, b in drawn]


@when(parsers.parse('the cells "{stages}" run on it, on torch\'s 1 and 2 threads'), target_fixture="path_run")
def when_cells_on_path(kernel_path: KernelPath, stages: str) -> PathRun:
    """Runs the cells named (stage names, comma-separated) on that kernel path; skips if this CPU can't."""
    names = [name.strip() for name in stages.split(",")]
    replays = workers().replay([Settings.for_stage(name) for name in names], [kernel_path])
    if kernel_path in replays.skipped:
        pytest.skip(not_run(reason(replays.skipped[kernel_path])))
    return PathRun(kernel_path, dict(zip(names, replays.lines[kernel_path], strict=True)))


@when(
    parsers.parse('cell "{stage}" runs from each on it, on torch\'s 1 and 2 threads, every number kept bit for bit'),
    target_fixture="exact_run",
)
def when_exact_on_path(kernel_path: KernelPath, starts: list[tuple[float, float]], stage: str) -> ExactRun:
    """Runs the stage from each start on that kernel path, keeping every number; skips if this CPU can't."""
    runs = [Settings.for_stage(stage, init=start) for start in starts]
    replays = workers().replay(runs, [kernel_path], exact=True)
    if kernel_path in replays.skipped:
        pytest.skip(not_run(reason(replays.skipped[kernel_path])))
    return ExactRun(kernel_path, runs, replays.lines[kernel_path])


@when(parsers.parse('the cells "{stages}" run in every mode of the emulation'), target_fixture="mode_runs")
def when_cells_in_modes(stages: str) -> dict[Mode, dict[str, Lines]]:
    """Runs the cells named (stage names, comma-separated) in each of the emulation's four modes."""
    names = [name.strip() for name in stages.split(",")]
    return {mode: {name: replay(Settings.for_stage(name), mode)[0] for name in names} for mode in MODES}


@then("each prints exactly what it prints in this process")
def then_same_as_here(path_run: PathRun) -> None:
    """Checks each cell printed, on each thread count, exactly what it prints in this test process."""
    for name, per_thread in path_run.cells.items():
        here = run(Settings.for_stage(name)).lines()
        for lines in per_thread:
            assert lines == here, f"cell {name} on {path_run.path} prints otherwise"


@then("in each mode each prints exactly what it prints in this process")
def then_modes_same_as_here(mode_runs: dict[Mode, dict[str, Lines]]) -> None:
    """Checks each cell printed, in each mode of the emulation, exactly what it prints in this test process."""
    for mode, cells in mode_runs.items():
        for name, lines in cells.items():
            here = run(Settings.for_stage(name)).lines()
            assert lines == here, f"cell {name} in {mode} prints otherwise: {set(lines) - set(here)}"


@then("the emulation's mode for that path computes each run bit for bit")
def then_mode_matches_path(exact_run: ExactRun) -> None:
    """Checks the emulation's mode for the path computes every number of every run as the path did."""
    mode = mode_of(exact_run.path)
    for settings, per_thread in zip(exact_run.runs, exact_run.trajectories, strict=True):
        emulated = replay(settings, mode)[1]
        for lines in per_thread:
            differs = [f"{a} (emulated: {e})" for a, e in zip(lines, emulated, strict=True) if a != e]
            assert not differs, f"{mode} differs from {exact_run.path} from {settings.init}, first at {differs[0]}"


@then("for each of the other three modes, some start computes otherwise")
def then_modes_told_apart(exact_run: ExactRun) -> None:
    """Checks the starts tell the path's mode from each other mode: some run differs in each."""
    mode = mode_of(exact_run.path)
    for other in MODES:
        computed = [replay(settings, other)[1] for settings in exact_run.runs]
        alike = all(c == per_thread[0] for c, per_thread in zip(computed, exact_run.trajectories, strict=True))
        assert other == mode or not alike, f"no start tells {other} from {mode}: draw more starts"
