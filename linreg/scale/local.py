"""``--workers K``: K workers on this machine, each started as torchrun starts one.

This process is the launcher, as torchrun is: it trains nothing itself. Worker r gets torchrun's
environment (RANK=r, WORLD_SIZE=K, MASTER_ADDR and a free MASTER_PORT on this machine) and runs
what a worker under torchrun runs (``parallel.train_jobs``), so there is one way to be a worker.
The jobs go to the workers in a temporary folder; rank 0 writes the outcomes back there, and a
worker that meets the user's mistake (a data file that cannot be used) writes that error instead:
the workers talk in data. Ctrl-C or SIGTERM ends every worker and leaves no file behind.
"""

from __future__ import annotations

import os
import pickle
import socket
import sys
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from linreg import validate
from linreg.data import Data
from linreg.errors import LinregError
from linreg.history import History
from linreg.scale import interrupts, launch, parallel
from linreg.stages import STAGES, Stage

if TYPE_CHECKING:
    from linreg.settings import Settings

MISTAKE = 3  # a worker's exit status when it met a LinregError, written to error<rank>.pickle


def run(settings: Settings, workers: int) -> History:
    """Train ``settings`` on ``workers`` local processes (gloo); the history rank 0 recorded."""
    return run_many([settings], workers)[0]


def run_many(jobs: list[Settings], workers: int) -> list[History]:
    """Train every job on ``workers`` local processes, one process group for all; histories in order.

    The workers are forked from a clean server that has imported torch (``launch``), not from this
    process, so they start the same way under pytest, Jupyter or any other host program.
    """
    for settings in jobs:
        parallel.check(settings, workers)
    jobs = [s if s.data.path is None else s.with_changes(data=_resolved(s.data)) for s in jobs]  # by absolute path
    with interrupts.terminated_as_exception(), validate.temporary_folder(f"--workers {workers}") as name:
        folder = Path(name)
        (folder / "jobs.pickle").write_bytes(pickle.dumps(jobs))
        started: list[launch.Worker] = []
        try:
            server = launch.server_running(_imports(s.info for s in jobs))  # once for the run's workers
            port = _free_port()
            for rank in range(workers):
                ranks = {"RANK": rank, "LOCAL_RANK": rank, "WORLD_SIZE": workers, "LOCAL_WORLD_SIZE": workers}
                environment = {"MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port)}
                environment |= {key: str(value) for key, value in ranks.items()}
                launch.start(_serve, (environment, folder), folder / f"worker{rank}.err", started, server)
            failed = _wait(started)
        except BaseException:  # Ctrl-C or SIGTERM: a worker blocked in gloo's all-reduce would wait TIMEOUT_S
            with interrupts.held(ending=True):  # a second one is dropped: the run ends on the first
                _stop(started)
                launch.stop_server()  # nothing of the run outlives it
            raise
        if failed:
            with interrupts.held():
                _stop(started)  # the others may wait in gloo for the one that ended
            raise _failure(folder, started, failed)
        outcomes: list[parallel.Outcome] = pickle.loads((folder / "results.pickle").read_bytes())  # rank 0's
    return [outcome.result() for outcome in outcomes]


def start_server() -> None:
    """Start the fork server the workers come from, if it is not running: it imports torch meanwhile,
    so that a program about to train on workers many times (the spec) finds it ready."""
    launch.server_running(_imports(stage for stage in STAGES.values() if stage.parallel))


def _imports(stages: Iterable[Stage]) -> list[str]:
    """What workers of these stages import: the stages' modules and what those import when they run. A
    fork server started for a run imports its stages' once; one started by ``start_server``, every stage's."""
    return sorted({module for stage in stages for module in (stage.code.partition(":")[0], *stage.imports)})


def _wait(started: list[launch.Worker]) -> list[int]:
    """Wait until every worker has ended, or one has failed: the ranks that failed."""
    while True:
        codes = [worker.process.exitcode for worker in started]
        failed = [rank for rank, code in enumerate(codes) if code not in (None, 0)]
        if failed or all(code == 0 for code in codes):
            return failed
        time.sleep(0.02)  # here, not in C++: Ctrl-C and SIGTERM reach this process at once


def _failure(folder: Path, started: list[launch.Worker], failed: list[int]) -> Exception:
    """What the failed workers said: the user's mistake one of them met, else their stderr."""
    for rank in failed:
        said = folder / f"error{rank}.pickle"
        if said.exists():
            error: LinregError = pickle.loads(said.read_bytes())
            return error
    lines = []
    for rank in failed:
        status, err = launch.finish(started[rank], 0)
        lines.append(f"worker {rank} (exit {status}): {err[-1500:]}")
    return RuntimeError("data-parallel training failed in " + "\n".join(lines))


def _stop(started: list[launch.Worker]) -> None:
    """End the started workers now: none may be left waiting for another."""
    for worker in started:
        launch.stop(worker)


def _resolved(data: Data) -> Data:
    """The same file by its absolute path: the workers run in another folder."""
    assert data.path is not None
    return replace(data, path=str(Path(data.path).resolve()))


def _free_port() -> int:
    """A TCP port on this machine that nothing listens on now: rank 0's rendezvous (torchrun --standalone's way)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(environment: dict[str, str], folder: Path) -> None:
    """A worker process (``launch.start``): torchrun's environment, the jobs, then out without gloo's teardown."""
    import traceback

    import torch

    os.environ.update(environment)
    rank = int(environment["RANK"])
    try:
        torch.set_num_threads(1)  # K processes share the cores
        outcomes = parallel.train_jobs(pickle.loads((folder / "jobs.pickle").read_bytes()))  # from run_many
        if rank == 0:
            partial = folder / "results.partial"
            partial.write_bytes(pickle.dumps(outcomes))
            partial.replace(folder / "results.pickle")
    except LinregError as exc:  # the user's mistake (a file that cannot be used): every worker meets it
        (folder / f"error{rank}.pickle").write_bytes(pickle.dumps(exc))
        sys.stderr.flush()
        os._exit(MISTAKE)
    except BaseException:  # Ctrl-C does not come here: workers ignore it, the launcher ends them
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
    # Done, results written: leave without running gloo's C++ teardown at exit, which sometimes
    # aborts ("terminate called without an active exception") after all the work is done.
    sys.stderr.flush()
    os._exit(0)
