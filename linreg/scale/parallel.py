"""Data-parallel training on torch.distributed (gloo): K CPU processes, each holding one shard.

Worker r holds n_r of the N points (``shard_sizes``: they differ by at most one). It computes
its shard's mean loss L_r and gradient ∇L_r; for the whole data
    L = Σ_r (n_r/N)·L_r,   ∇L = Σ_r (n_r/N)·∇L_r
so each worker weights by n_r/N and all-reduces with SUM, then every worker takes the same step from
the same parameters. Stage stats all-reduces its six sums once instead.

The cells do not know about any of it, as a model does not know about DDP: a worker runs the
stage on settings whose data is its ``Shard``, inside ``_AllReduce``, which turns each
``loss.backward()`` into the whole data's gradients and loss. The process group lives here alone:
``run`` trains as worker 0 and starts K − 1 local processes; under ``torchrun`` (several
machines) ``run_in_group`` joins the group torchrun set up.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import pickle
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import torch
import torch.distributed as dist
from torch.overrides import TorchFunctionMode

from linreg import stages, validate
from linreg.data import F64, Data, Sums
from linreg.errors import DivergedError, LinregError, SettingsError
from linreg.files import Chunk
from linreg.history import History
from linreg.scale import launch
from linreg.stages import STAGES

if TYPE_CHECKING:
    from linreg.settings import Settings

TIMEOUT_S = 120  # a worker that waits this long for the others has lost them


def shard_sizes(n: int, workers: int) -> list[int]:
    """How many of ``n`` points each of ``workers`` data-parallel workers holds: the first n % workers one more."""
    return [n // workers + (r < n % workers) for r in range(workers)]


def _bounds(n: int, rank: int, workers: int) -> slice:
    """Worker ``rank``'s rows of ``n``."""
    ends = np.cumsum([0, *shard_sizes(n, workers)])
    return slice(int(ends[rank]), int(ends[rank + 1]))


@dataclass(frozen=True, eq=False)
class Shard(Data):
    """Worker ``rank``'s rows of ``whole``: what one worker trains on."""

    whole: Data | None = None
    rank: int = 0
    workers: int = 1

    @classmethod
    def of_whole(cls, whole: Data, rank: int, workers: int) -> Shard:
        """Worker ``rank``'s shard of ``whole``, one of ``workers``."""
        return cls(
            f"{whole.source}, shard {rank + 1} of {workers}", whole.path, whole.x64, whole.y64, whole, rank, workers
        )

    def arrays(self, dtype: type[np.floating[Any]]) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        """This worker's contiguous rows (``shard_sizes``), as the whole data's arrays' views."""
        assert self.whole is not None
        x, y = self.whole.arrays(dtype)
        rows = _bounds(len(x), self.rank, self.workers)
        return x[rows], y[rows]

    def _own(self, x: F64, y: F64) -> Chunk:
        """This worker's rows of a chunk: every worker reads every chunk, and sums only its rows."""
        rows = _bounds(len(x), self.rank, self.workers)
        return x[rows], y[rows]

    def _whole(self, sums: Sums) -> Sums:
        """The whole data's sums: this worker's, all-reduced (stage stats)."""
        values = torch.from_numpy(sums.array())  # (6,) float64
        dist.all_reduce(values)
        return Sums(*values.tolist())

    def stable_lr(self, *, has_bias: bool, notes_gradient: bool = False) -> float:
        assert self.whole is not None
        return self.whole.stable_lr(has_bias=has_bias, notes_gradient=notes_gradient)


def _leaves(loss: torch.Tensor) -> list[torch.Tensor]:
    """The tensors ``loss.backward()`` fills ``.grad`` of: the AccumulateGrad nodes of its graph."""
    leaves, seen, todo = [], set(), [loss.grad_fn]
    while todo:
        node = todo.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        if hasattr(node, "variable"):
            leaves.append(node.variable)
        todo += [next_node for next_node, _ in node.next_functions]
    return leaves


class _AllReduce(TorchFunctionMode):
    """Every ``loss.backward()`` of a shard becomes the whole data's: gradients and loss weighted by
    n_r/N and summed over workers, so the loop steps and logs as if it held all N points."""

    def __init__(self, weight: float) -> None:
        super().__init__()
        self.weight = weight  # n_r / N

    def __torch_function__(
        self,
        func: Callable[..., Any],
        types: tuple[type, ...],
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
    ) -> Any:  # noqa: ANN401  (whatever func returns)
        result = func(*args, **(kwargs or {}))
        return result if func is not torch.Tensor.backward else self._reduce(args[0], result)

    def _reduce(self, loss: torch.Tensor, result: object) -> object:
        """After this shard's backward: the whole data's gradients in ``.grad``, its loss in ``loss``."""
        with torch.no_grad():
            for leaf in _leaves(loss):
                assert leaf.grad is not None  # filled by backward()
                leaf.grad.mul_(self.weight)  # (n_r/N)·∇L_r
                dist.all_reduce(leaf.grad)  # Σ_r: every worker now holds ∇L
            total = loss.detach() * self.weight  # (n_r/N)·L_r
            dist.all_reduce(total)  # L
            loss.copy_(total)  # where the loop reads the loss it logs
        return result


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
    if settings.data.path is None:  # a file's points are counted as the workers read it (run_in_group)
        validate.workers_for(workers, len(settings.data))


def run_in_group(settings: Settings) -> History | None:
    """Train as one worker of the process group already set up (torchrun); rank 0 gets the history."""
    rank, workers = dist.get_rank(), dist.get_world_size()
    shard = Shard.of_whole(settings.data, rank, workers)
    n = len(settings.data)
    validate.workers_for(workers, n)  # a file's points are counted here: every worker refuses alike
    rows = _bounds(n, rank, workers)
    with _AllReduce((rows.stop - rows.start) / n) if settings.info.torch else _alone():
        history = stages.train(settings.with_changes(data=shard))
    history.settings = settings  # the whole data's settings, as the caller gave them
    if history.shape is not None:
        history.shape = (len(settings.data), history.shape[1])  # the cell printed its shard's X.shape
    return history if rank == 0 else None


@contextlib.contextmanager
def _alone() -> Iterator[None]:
    yield


def run_torchrun(settings: Settings) -> History | None:
    """Join the process group torchrun set up (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT), train, leave."""
    check(settings, 1)
    dist.init_process_group("gloo")
    try:
        history = run_in_group(settings)
        dist.barrier()  # nobody tears the group down while another worker still talks to it
        return history
    finally:
        dist.destroy_process_group()


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

    Worker 0 is this process; the others are forked from a clean server that has imported torch
    (``linreg.scale.launch``), not from this process, so they start the same way under pytest, Jupyter or
    any other host program. This process's torch thread count is put back afterwards.
    """
    for settings in jobs:
        check(settings, workers)
    jobs = [s if s.data.path is None else s.with_changes(data=_resolved(s.data)) for s in jobs]  # by absolute path
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as name:  # worker 0's thread may still write
        folder = Path(name)
        (folder / "jobs.pickle").write_bytes(pickle.dumps(jobs))
        store = (folder / "store").as_uri()
        started: list[launch.Worker] = []
        failures = []
        threads = torch.get_num_threads()
        try:  # rank 0 is this process: one process fewer to start, and the results are already here
            for rank in range(1, workers):
                launch.start(_serve, (rank, workers, store, folder), folder / f"worker{rank}.err", into=started)
            _interruptible(lambda: _worker(0, workers, store, folder))
        except LinregError:  # the user's mistake (a data file that cannot be used): every worker meets it
            _stop(started)
            raise  # one line, as alone
        except Exception as exc:  # reported with the other workers' failures below
            failures.append(f"worker 0: {type(exc).__name__}: {exc}")
        except BaseException:  # Ctrl-C: a worker blocked in gloo's all-reduce would wait TIMEOUT_S for us
            _stop(started)
            launch.stop_server(started)  # nothing of the run outlives it
            raise
        finally:
            torch.set_num_threads(threads)
        for rank, worker in enumerate(started, start=1):
            status, err = launch.finish(worker, TIMEOUT_S)
            if status != 0:
                failures.append(f"worker {rank} (exit {status}): {err[-1500:]}")
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


def _interruptible(work: Callable[[], None]) -> None:
    """Run ``work`` on a thread of its own and wait for it here, where Ctrl-C reaches.

    gloo waits in C++ (the rendezvous, an all-reduce), where Python cannot raise KeyboardInterrupt:
    a key pressed while a worker is still starting would leave this process waiting TIMEOUT_S for
    it. Waiting on the thread instead, the key interrupts at once; the thread, a daemon, is abandoned.
    """
    raised: list[BaseException] = []
    context = contextvars.copy_context()  # the caller's watch (echo, progress) goes along

    def target() -> None:
        try:
            context.run(work)
        except BaseException as exc:  # handed to the waiting thread, as if raised there
            raised.append(exc)

    thread = threading.Thread(target=target, name="linreg data-parallel worker 0", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.05)
    if raised:
        raise raised[0]


def _stop(started: list[launch.Worker]) -> None:
    """End the started workers now: none may be left waiting for worker 0."""
    for worker in started:
        launch.stop(worker)


def run(settings: Settings, workers: int) -> History:
    """Train ``settings`` on ``workers`` local processes (gloo); the history rank 0 recorded."""
    return run_many([settings], workers)[0]


def _serve(rank: int, workers: int, store: str, folder: Path) -> None:
    """A worker process (``launch.start``): ``_worker``, then out without gloo's C++ teardown."""
    import traceback

    try:
        _worker(rank, workers, store, folder)
    except BaseException:  # Ctrl-C does not come here: workers ignore it, worker 0 ends them
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
    # Done, results written: leave without running gloo's C++ teardown at exit, which sometimes
    # aborts ("terminate called without an active exception") after all the work is done.
    sys.stderr.flush()
    os._exit(0)
