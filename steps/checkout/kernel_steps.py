"""Steps that run the cells on other CPU kernel paths (MKL_CBWR × ATEN_CPU_CAPABILITY) and compare."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pytest_bdd import given, parsers, then, when

from linreg import Settings, run
from linreg.kernels import KernelPath, Lines, workers


@dataclass(frozen=True)
class PathRun:
    """What each cell printed on one kernel path, on each thread count."""

    path: KernelPath
    cells: dict[str, list[Lines]]


@given(parsers.parse("the CPU kernel path MKL_CBWR={mkl} and ATEN_CPU_CAPABILITY={aten}"), target_fixture="kernel_path")
def given_kernel_path(mkl: str, aten: str) -> KernelPath:
    """Picks a CPU kernel path: MKL_CBWR (e.g. COMPATIBLE) and ATEN_CPU_CAPABILITY (e.g. avx2, default)."""
    return KernelPath(mkl, aten)


@when(parsers.parse('the cells "{stages}" run on it, on torch\'s 1 and 2 threads'), target_fixture="path_run")
def when_cells_on_path(kernel_path: KernelPath, stages: str) -> PathRun:
    """Runs the cells named (stage names, comma-separated) on that kernel path; skips if this CPU can't."""
    names = [name.strip() for name in stages.split(",")]
    replays = workers().replay([Settings.for_stage(name) for name in names], [kernel_path])
    if kernel_path in replays.skipped:
        pytest.skip(f"{kernel_path}: {replays.skipped[kernel_path]}")
    return PathRun(kernel_path, dict(zip(names, replays.lines[kernel_path], strict=True)))


@then("each prints exactly what it prints in this process")
def then_same_as_here(path_run: PathRun) -> None:
    """Checks each cell printed, on each thread count, exactly what it prints in this test process."""
    for name, per_thread in path_run.cells.items():
        here = run(Settings.for_stage(name)).lines()
        for lines in per_thread:
            assert lines == here, f"cell {name} on {path_run.path} prints otherwise"
