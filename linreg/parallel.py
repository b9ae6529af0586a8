"""Data-parallel training on torch.distributed (gloo): K CPU processes, each holding one shard.

Worker r holds n_r of the N points (``shard_sizes``: they differ by at most one). It computes
its shard's mean loss L_r and gradient ∇L_r; for the whole data
    L = Σ_r (n_r/N)·L_r,   ∇L = Σ_r (n_r/N)·∇L_r
so each worker weights by n_r/N and all-reduces with SUM, then every worker takes the same step from
the same parameters. Stage stats all-reduces its six sums once instead. ``run`` trains as worker 0
and starts K − 1 local processes; under ``torchrun`` (several machines) ``run_in_group`` joins the
group torchrun set up.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import torch
import torch.distributed as dist

from linreg.data import Data, shard_sizes
from linreg.errors import DivergedError, SettingsError
from linreg.history import History
from linreg.settings import Settings
from linreg.stages import STAGES

TIMEOUT_S = 120  # a worker that waits this long for the others has lost them


@dataclass
class Sync:
    """One worker's part in data-parallel training; ``Sync()`` is a run alone, where it does nothing."""

    rank: int = 0
    workers: int = 1
    weight: float = 1.0  # n_r / N, set by ``shard``

    def shard(self, t: torch.Tensor) -> torch.Tensor:
        """This worker's rows of ``t`` (N, ...) → (n_r, ...)."""
        if self.workers == 1:
            return t
        part = torch.split(t, shard_sizes(len(t), self.workers))[self.rank]
        self.weight = len(part) / len(t)
        return part

    def __call__(self, loss: torch.Tensor, params: Iterable[torch.Tensor]) -> torch.Tensor:
        """After ``backward()``: turn this shard's loss and gradients into the whole data's."""
        if self.workers == 1:
            return loss
        for p in params:
            assert p.grad is not None  # filled by backward()
            p.grad.mul_(self.weight)  # (n_r/N)·∇L_r
            dist.all_reduce(p.grad)  # Σ_r: every worker now holds ∇L
        total = loss.detach() * self.weight  # (n_r/N)·L_r
        dist.all_reduce(total)  # L
        return total

    def sums(self, values: torch.Tensor) -> torch.Tensor:
        """Stage stats: the whole data's sums from this shard's (float64, shape (6,))."""
        if self.workers > 1:
            dist.all_reduce(values)
        return values


def check(settings: Settings, workers: int) -> None:
    """``SettingsError`` unless ``settings`` can run on ``workers`` processes."""
    if workers < 1:
        msg = f"workers {workers} is not allowed: use 1 or more processes"
        raise SettingsError(msg)
    if not settings.info.parallel:
        names = ", ".join(name for name, stage in STAGES.items() if stage.parallel)
        msg = f"stage {settings.stage} runs in one process: --workers applies to {names}"
        raise SettingsError(msg)
    if settings.device != "cpu":
        msg = f"--workers runs CPU processes (gloo); device {settings.device!r} is not supported with it: drop --device"
        raise SettingsError(msg)
    if settings.data.path is None and workers > len(settings.data):
        n = len(settings.data)
        msg = f"workers {workers} for {n} points: each worker needs a point; use --workers {n}"
        raise SettingsError(msg)


def run_in_group(settings: Settings) -> History | None:
    """Train as one worker of the process group already set up (torchrun); rank 0 gets the history."""
    sync = Sync(dist.get_rank(), dist.get_world_size())
    history: History = settings.info.load()(settings, sync)  # type: ignore[call-arg,assignment]
    return history if sync.rank == 0 else None


def _worker(rank: int, workers: int, store: str, folder: Path) -> None:
    """One worker: the jobs from ``folder``; rank 0 (the calling process) writes the histories back there."""
    jobs: list[Settings] = pickle.loads((folder / "jobs.pickle").read_bytes())  # written by run_many
    torch.set_num_threads(1)  # K processes share the cores
    timeout = timedelta(seconds=TIMEOUT_S)
    dist.init_process_group("gloo", init_method=store, rank=rank, world_size=workers, timeout=timeout)
    try:
        out: list[object] = []
        for settings in jobs:
            try:
                out.append(run_in_group(settings))
            except DivergedError as exc:  # every worker diverges at the same epoch: they hold the same values
                out.append((str(exc), exc.history))
        if rank == 0:
            partial = folder / "results.partial"
            partial.write_bytes(pickle.dumps(out))
            partial.replace(folder / "results.pickle")
        dist.barrier()  # nobody tears the group down while another worker still talks to it
    finally:
        dist.destroy_process_group()


def _resolved(data: Data) -> Data:
    """The same file by its absolute path: the workers run in another folder."""
    assert data.path is not None
    return replace(data, path=str(Path(data.path).resolve()))


def run_many(jobs: list[Settings], workers: int) -> list[History]:
    """Train every job on ``workers`` local processes, one process group for all; histories in order.

    Worker 0 is this process; the others are fresh interpreters (``python -m linreg.parallel``), not
    forks or multiprocessing children, so they start the same way under pytest, Jupyter or any other
    host program. This process's torch thread count is put back afterwards.
    """
    for settings in jobs:
        check(settings, workers)
    # Workers run in the folder holding this linreg, which they import; data files by absolute path.
    jobs = [s if s.data.path is None else s.with_changes(data=_resolved(s.data)) for s in jobs]
    package_root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([package_root, os.environ.get("PYTHONPATH", "")])}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "jobs.pickle").write_bytes(pickle.dumps(jobs))
        store = (folder / "store").as_uri()
        command = [sys.executable, "-m", "linreg.parallel", str(workers), store, name]
        procs = [
            subprocess.Popen(
                [*command, str(rank)], cwd=package_root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            for rank in range(1, workers)
        ]
        failures = []
        threads = torch.get_num_threads()
        try:  # rank 0 is this process: one interpreter fewer to start, and the results are already here
            _worker(0, workers, store, folder)
        except Exception as exc:  # reported with the other workers' failures below
            failures.append(f"worker 0: {type(exc).__name__}: {exc}")
        finally:
            torch.set_num_threads(threads)
        for rank, proc in enumerate(procs, start=1):
            try:
                _, err = proc.communicate(timeout=TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, err = proc.communicate()
            if proc.returncode != 0:
                failures.append(f"worker {rank} (exit {proc.returncode}): {err.decode(errors='replace')[-1500:]}")
        if failures:
            msg = "data-parallel training failed in " + "\n".join(failures)
            raise RuntimeError(msg)
        payload = pickle.loads((folder / "results.pickle").read_bytes())  # written by worker 0 above
    histories = []
    for item in payload:
        if isinstance(item, tuple):
            raise DivergedError(*item)
        histories.append(item)
    return histories


def run(settings: Settings, workers: int) -> History:
    """Train ``settings`` on ``workers`` local processes (gloo); the history rank 0 recorded."""
    return run_many([settings], workers)[0]


if __name__ == "__main__":  # a worker started by run_many: WORKERS STORE FOLDER RANK
    import traceback

    try:
        _worker(int(sys.argv[4]), int(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
    # Done, results written: leave without running gloo's C++ teardown at interpreter exit, which
    # sometimes aborts ("terminate called without an active exception") after all the work is done.
    sys.stderr.flush()
    os._exit(0)
