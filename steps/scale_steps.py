"""Steps for scale: the sufficient-statistics stage, data files of many points, data-parallel workers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from pytest_bdd import given, parsers, then, when

from linreg import History, Settings, train
from linreg.data import Data, Sums
from linreg.scale import local
from linreg.scale.parallel import shard_sizes
from linreg.validate import parse_numbers


@given(parsers.parse('a file "{name}" of {count:d} points on y = 2x + 1 plus noise'))
def given_points_file(tmp_path: Path, name: str, count: int) -> None:
    """x ~ U(-1, 1), noise ~ N(0, 0.1²), seeded: a CSV (header x,y) or, for a .npy name, an (N, 2) array."""
    rng = np.random.default_rng(count)
    x = rng.uniform(-1.0, 1.0, count)
    points = np.stack([x, 2 * x + 1 + rng.normal(0.0, 0.1, count)], axis=1)  # (N, 2)
    if name.endswith(".npy"):
        np.save(tmp_path / name, points)
    else:
        np.savetxt(tmp_path / name, points, delimiter=",", header="x,y", comments="", fmt="%.17g")


@given(parsers.parse('a file "{name}" holding an array of shape {shape} and dtype {dtype}'))
def given_array_file(tmp_path: Path, name: str, shape: str, dtype: str) -> None:
    """Writes a .npy file of ones with this shape, e.g. (3,) or (2, 3), and numpy dtype (e.g. object)."""
    size = tuple(int(n) for n in shape.strip("()").split(",") if n.strip())
    array = np.ones(size, dtype=dtype)
    np.save(tmp_path / name, array, allow_pickle=dtype == "object")


@given(parsers.parse('a file "{name}" holding the {dtype} rows {rows}'))
def given_rows_file(tmp_path: Path, name: str, dtype: str, rows: str) -> None:
    """``1,2 and 1,nan``: an (N, 2) array of ``dtype`` (float64, float32, int32, …) saved with numpy.save."""
    values = [[float(v) for v in row.split(",")] for row in rows.split(" and ")]
    np.save(tmp_path / name, np.array(values, dtype=dtype))


@given(parsers.parse('a file "{name}" in .npy format version {version} holding the {dtype} rows {rows}'))
def given_versioned_rows_file(tmp_path: Path, name: str, version: str, dtype: str, rows: str) -> None:
    """Writes rows like 1,2 and 3,4 as a .npy file of this dtype, in this .npy format version (e.g. 2.0)."""
    values = [[float(v) for v in row.split(",")] for row in rows.split(" and ")]
    major, minor = (int(part) for part in version.split("."))
    with (tmp_path / name).open("wb") as file:
        np.lib.format.write_array(file, np.array(values, dtype=dtype), version=(major, minor))


@given(parsers.parse('a file "{name}" holding the first {size:d} bytes of "{source}"'))
def given_truncated_file(tmp_path: Path, name: str, size: int, source: str) -> None:
    """Writes a file holding only the first bytes of another file in the scenario's folder (cut off)."""
    (tmp_path / name).write_bytes((tmp_path / source).read_bytes()[:size])


@then(parsers.parse('the sums of "{name}" read in chunks equal its sums read whole, within {rel:g} relative'))
def then_chunked_sums(tmp_path: Path, name: str, rel: float) -> None:
    """Checks the stats stage's sums of the data file, read in several chunks, equal its sums read at once."""
    chunked, done = Settings.for_stage("stats", data=str(tmp_path / name)).data.summarise()
    x, y = Data.file(tmp_path / name).arrays(np.float64)
    whole = Sums.of(np.array(x), np.array(y))
    assert done.chunks > 1, done
    assert chunked.array() == pytest.approx(whole.array(), rel=rel)


@then(parsers.parse("the runs differ by at most {tol:g} of scale at every epoch"))
def then_pair_within(pair: tuple[History, History], tol: float) -> None:
    """Checks the two runs differ by at most this fraction of each quantity's scale, at every epoch."""
    a, b = pair
    assert len(a.epochs) == a.settings.epochs > 0
    assert a.gap(b) <= tol, a.gap(b)


@then(parsers.parse("the runs differ by more than {tol:g} of scale somewhere"))
def then_pair_apart(pair: tuple[History, History], tol: float) -> None:
    """Checks the two runs differ somewhere by more than this fraction of a quantity's scale."""
    a, b = pair
    assert a.gap(b) > tol, a.gap(b)


DataSet = tuple[tuple[float, ...], tuple[float, ...]]  # x, y


@dataclass(frozen=True)
class ParallelRuns:
    """Each job trained alone and on ``workers`` processes."""

    workers: int
    alone: list[History]
    parallel: list[History]


@given("the data sets:", target_fixture="data_sets")
def given_data_sets(datatable: list[list[str]]) -> list[DataSet]:
    """Sets up several data sets, one per row of a table | x | y | of comma-separated numbers."""
    header, *rows = datatable
    assert header == ["x", "y"], header
    return [(parse_numbers(x, "x"), parse_numbers(y, "y")) for x, y in rows]


@when(
    parsers.parse("the stages {stages} train on each data set alone and on {workers:d} workers"),
    target_fixture="parallel_runs",
)
def when_parallel(data_sets: list[DataSet], stages: str, workers: int) -> ParallelRuns:
    """Trains each named stage (e.g. autograd, optim and stats) on each data set, alone and on the workers."""
    names = stages.replace(" and ", ", ").split(", ")
    jobs = [Settings.for_stage(name, x=x, y=y) for x, y in data_sets for name in names]
    return ParallelRuns(workers, [train(job) for job in jobs], local.run_many(jobs, workers))


@then(parsers.parse("every run on {workers:d} workers differs from its run alone by at most {tol:g} of scale"))
def then_parallel_close(parallel_runs: ParallelRuns, workers: int, tol: float) -> None:
    """Checks every run on the workers matches its run alone, within this fraction of scale at every epoch."""
    assert parallel_runs.workers == workers
    for alone, together in zip(parallel_runs.alone, parallel_runs.parallel, strict=True):
        assert together.settings == alone.settings
        assert len(together.epochs) == alone.settings.epochs > 0
        assert together.gap(alone) <= tol, (alone.settings.stage, len(alone.settings.data.x), together.gap(alone))


@then(parsers.parse("{count:d} points are split into shards of {sizes}"))
def then_shards(parallel_runs: ParallelRuns, count: int, sizes: str) -> None:
    """Checks how the workers split this many points into shards, sizes written like 2+1+1."""
    assert shard_sizes(count, parallel_runs.workers) == [int(s) for s in sizes.split("+")]


@when(parsers.parse("the run on {device} is compared with the run on cpu"), target_fixture="pair")
def when_on_device(settings: Settings, device: str) -> tuple[History, History]:
    """Trains the run set up so far on this device (e.g. cuda) and again on the CPU, for comparing."""
    return train(settings.with_changes(device=device)), train(settings)


@dataclass(frozen=True)
class PlacedRun:
    """A run on the stand-in cuda device, what it mixed, and the same run on the CPU."""

    history: History
    misplaced: list[str]
    on_cpu: History


@when("it is trained on a stand-in cuda device", target_fixture="placed")
def when_on_stand_in(settings: Settings) -> PlacedRun:
    """Trains the run set up so far on a stand-in cuda device (no GPU needed), and again on the CPU."""
    from linreg.scale.placement import emulated_cuda

    with emulated_cuda() as misplaced:
        history = train(settings.with_changes(device="cuda"))
    return PlacedRun(history, misplaced, train(settings))


@then("no operation mixed the device's tensors with the CPU's, and every number was read off the device")
def then_nothing_misplaced(placed: PlacedRun) -> None:
    """Checks the run on the stand-in cuda device never did what a real GPU refuses (mixing devices)."""
    assert placed.misplaced == [], placed.misplaced[:5]


@then("it printed what the run on the CPU prints")
def then_same_log(placed: PlacedRun) -> None:
    """Checks the run on the stand-in cuda device printed exactly what the run on the CPU printed."""
    assert placed.history.lines() == placed.on_cpu.lines()
