"""Steps that run the cells on other CPU kernel paths (MKL_CBWR × ATEN_CPU_CAPABILITY), a kind at a time,
and in the emulation's modes, and compare."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from pytest_bdd import given, parsers, then, when

from linreg import Settings, run
from linreg.recover.emulate import MODES, Mode, paths_of, replay
from linreg.recover.kernels import workers
from linreg.recover.paths import KernelPath, Lines, Replays
from linreg.recover.wording import reason

PRODUCTS = {"add rounded products": False, "chain fused multiply-adds": True}  # how MKL sums ∂L/∂w: fused?
STEPS = {"round lr·g first": False, "fuse w − lr·g": True}  # how ATen steps SGD: fused?


@dataclass(frozen=True)
class Kind:
    """The CPU kernel paths that compute alike: the emulation's mode for them, and the paths."""

    mode: Mode
    paths: list[KernelPath]


@dataclass(frozen=True)
class PathRun:
    """What each cell printed on each kernel path of a kind this CPU runs, on each thread count."""

    cells: dict[KernelPath, dict[str, list[Lines]]]


@dataclass(frozen=True)
class ExactRun:
    """Runs on each kernel path of a kind this CPU runs, each with every number it computed (bit for bit) on
    each thread count."""

    mode: Mode
    runs: list[Settings]
    trajectories: dict[KernelPath, list[list[Lines]]]


def not_run(why: str) -> str:
    """The skip reason of a path this CPU cannot run: what it leaves unchecked, and how to check it."""
    return (
        f"a CPU kernel path, for real, as this CPU cannot run it ({why}); the emulation's mode for it, "
        "checked against the paths this CPU runs, stands for it here, and a CPU that has the path checks it "
        "for real (an Intel Xeon with AVX-512 has all 12)"
    )


def _ran(replays: Replays, kind: Kind) -> None:
    """Skips the scenario where this CPU ran none of the kind's paths: what that leaves unchecked, and how to
    check it."""
    if not replays.paths:
        whys = "; ".join(sorted({reason(skip) for skip in replays.skipped.values()}))
        pytest.skip(
            f"a kind of CPU kernel path, for real, as this CPU runs none of its paths ({whys}); the emulation's "
            "mode for it, checked against the paths this CPU runs, stands for it here, and a CPU that has its "
            "paths checks them for real (an Intel Xeon with AVX-512 has all 12)"
        )


@given(parsers.parse("the CPU kernel paths that {products} and {step}"), target_fixture="kind")
def given_kind(products: str, step: str) -> Kind:
    """Picks a kind of CPU kernel path: MKL's products added rounded or chained as fused multiply-adds,
    and ATen's SGD step with lr·g rounded first or fused into w − lr·g."""
    mode = Mode(fused=PRODUCTS[products], fused_step=STEPS[step])
    return Kind(mode, paths_of(mode))


@given(
    parsers.parse("{count:d} starts (w, b) drawn uniformly from [-1, 1]² by numpy's default_rng({seed:d})"),
    target_fixture="starts",
)
def given_random_starts(count: int, seed: int) -> list[tuple[float, float]]:
    """Draws that many float32 starts (w, b) in [-1, 1]² from numpy's default_rng(seed)."""
    drawn = np.random.default_rng(seed).uniform(-1, 1, (count, 2)).astype(np.float32)
    return [(float(w), float(b)) for w, b in drawn]


@when(parsers.parse('the cells "{stages}" run on each of them, on torch\'s 1 and 2 threads'), target_fixture="path_run")
def when_cells_on_paths(kind: Kind, stages: str) -> PathRun:
    """Runs the cells named (stage names, comma-separated) on each path of the kind this CPU runs; skips if none."""
    names = [name.strip() for name in stages.split(",")]
    replays = workers().replay([Settings.for_stage(name) for name in names], kind.paths)
    _ran(replays, kind)
    return PathRun({path: dict(zip(names, lines, strict=True)) for path, lines in replays.lines.items()})


@when(
    parsers.parse(
        'cell "{stage}" runs from each on each of them, on torch\'s 1 and 2 threads, every number kept bit for bit'
    ),
    target_fixture="exact_run",
)
def when_exact_on_paths(kind: Kind, starts: list[tuple[float, float]], stage: str) -> ExactRun:
    """Runs the stage from each start on each path of the kind this CPU runs, keeping every number; skips if none."""
    runs = [Settings.for_stage(stage, init=start) for start in starts]
    replays = workers().replay(runs, kind.paths, exact=True)
    _ran(replays, kind)
    return ExactRun(kind.mode, runs, replays.lines)


@when(parsers.parse('the cells "{stages}" run in every mode of the emulation'), target_fixture="mode_runs")
def when_cells_in_modes(stages: str) -> dict[Mode, dict[str, Lines]]:
    """Runs the cells named (stage names, comma-separated) in each of the emulation's four modes."""
    names = [name.strip() for name in stages.split(",")]
    return {mode: {name: replay(Settings.for_stage(name), mode)[0] for name in names} for mode in MODES}


@then("each prints exactly what it prints in this process")
def then_same_as_here(path_run: PathRun) -> None:
    """Checks each cell printed, on each path and thread count, exactly what it prints in this test process."""
    for path, cells in path_run.cells.items():
        for name, per_thread in cells.items():
            here = run(Settings.for_stage(name)).lines()
            for lines in per_thread:
                assert lines == here, f"cell {name} on {path} prints otherwise"


@then("in each mode each prints exactly what it prints in this process")
def then_modes_same_as_here(mode_runs: dict[Mode, dict[str, Lines]]) -> None:
    """Checks each cell printed, in each mode of the emulation, exactly what it prints in this test process."""
    for mode, cells in mode_runs.items():
        for name, lines in cells.items():
            here = run(Settings.for_stage(name)).lines()
            assert lines == here, f"cell {name} in {mode} prints otherwise: {set(lines) - set(here)}"


@then("the emulation's mode for those paths computes each run bit for bit")
def then_mode_matches_path(exact_run: ExactRun) -> None:
    """Checks the emulation's mode for the kind computes every number of every run as each of its paths did."""
    mode = exact_run.mode
    for path, trajectories in exact_run.trajectories.items():
        for settings, per_thread in zip(exact_run.runs, trajectories, strict=True):
            emulated = replay(settings, mode)[1]
            for lines in per_thread:
                differs = [f"{a} (emulated: {e})" for a, e in zip(lines, emulated, strict=True) if a != e]
                assert not differs, f"{mode} differs from {path} from {settings.init}, first at {differs[0]}"


@then("for each of the other three modes, some start computes otherwise")
def then_modes_told_apart(exact_run: ExactRun) -> None:
    """Checks the starts tell the kind's mode from each other mode: on each path, some run differs in each."""
    mode = exact_run.mode
    for other in MODES:
        computed = [replay(settings, other)[1] for settings in exact_run.runs]
        for path, trajectories in exact_run.trajectories.items():
            alike = all(c == per_thread[0] for c, per_thread in zip(computed, trajectories, strict=True))
            assert other == mode or not alike, f"no start tells {other} from {mode} on {path}: draw more starts"
