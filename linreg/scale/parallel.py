"""Data-parallel training on torch.distributed (gloo): K CPU processes, each holding one shard.

Worker r holds n_r of the N points (``shard_sizes``: they differ by at most one). It computes
its shard's mean loss L_r and gradient ∇L_r; for the whole data
    L = Σ_r (n_r/N)·L_r,   ∇L = Σ_r (n_r/N)·∇L_r
so each worker weights by n_r/N and all-reduces with SUM, then every worker takes the same step from
the same parameters. Stage stats all-reduces its six sums once instead.

The cells do not know about any of it, as a model does not know about DDP: a worker runs the
stage on its ``GlooShard`` of the data; the cell hands its parameters to its recorder, which joins
them to the shard (a post-accumulate-grad hook on each, as DDP registers) and logs the whole
data's loss. Every worker is started the way torchrun starts one: its environment (RANK,
WORLD_SIZE, MASTER_ADDR, MASTER_PORT) says where the group is. ``run_torchrun`` is a worker under
torchrun; ``linreg.scale.local`` starts K of them on this machine for ``--workers K``. torch is
imported where a worker uses it, not here: the launcher, which checks the jobs and reads the
outcomes, never imports it (a second sooner to its first worker).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import numpy as np

from linreg import stages, validate
from linreg.errors import DivergedError, SettingsError
from linreg.history import History
from linreg.stages import STAGES
from linreg.sums import Sums

if TYPE_CHECKING:
    import torch

    from linreg.settings import Settings

TIMEOUT_S = 120  # a worker that waits this long for the others has lost them
ENVIRONMENT = ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")  # torchrun's, what a worker needs


def shard_sizes(n: int, workers: int) -> list[int]:
    """How many of ``n`` points each of ``workers`` data-parallel workers holds: the first n % workers one more."""
    return [n // workers + (r < n % workers) for r in range(workers)]


@dataclass(frozen=True)
class GlooShard:
    """Worker ``rank``'s part of the data (one of ``workers``), reduced over the process group."""

    rank: int
    workers: int
    weight: float  # n_r / N: this worker's share of the whole data's points

    def rows(self, n: int) -> slice:
        """This worker's contiguous rows of ``n`` (``shard_sizes``)."""
        ends = np.cumsum([0, *shard_sizes(n, self.workers)])
        return slice(int(ends[self.rank]), int(ends[self.rank + 1]))

    def sums(self, sums: Sums) -> Sums:
        """The whole data's sums: this worker's, all-reduced (stage stats)."""
        import torch
        import torch.distributed as dist

        values = torch.from_numpy(sums.array())  # (6,) float64
        dist.all_reduce(values)
        return Sums(*values.tolist())

    def join(self, parameters: Iterable[torch.Tensor]) -> None:
        """After each backward, each parameter's gradient is (n_r/N)·∇L_r summed over the workers: ∇L."""
        for parameter in parameters:
            parameter.register_post_accumulate_grad_hook(self._reduce)  # type: ignore[no-untyped-call]

    def _reduce(self, parameter: torch.Tensor) -> None:
        """``parameter.grad`` (this shard's ∇L_r) becomes the whole data's ∇L."""
        import torch
        import torch.distributed as dist

        assert parameter.grad is not None  # just accumulated
        with torch.no_grad():
            parameter.grad.mul_(self.weight)  # (n_r/N)·∇L_r
            dist.all_reduce(parameter.grad)  # Σ_r: every worker now holds ∇L

    def loss(self, loss: torch.Tensor) -> torch.Tensor:
        """The whole data's loss L = Σ_r (n_r/N)·L_r, from this shard's L_r."""
        import torch.distributed as dist

        total = loss.detach() * self.weight
        dist.all_reduce(total)
        return total


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
    """Train as one worker of the process group set up here; rank 0 gets the history."""
    import torch.distributed as dist

    rank, workers = dist.get_rank(), dist.get_world_size()
    n = len(settings.data)
    validate.workers_for(workers, n)  # a file's points are counted here: every worker refuses alike
    shard = GlooShard(rank, workers, shard_sizes(n, workers)[rank] / n)
    history = stages.train(settings.with_changes(data=settings.data.sharded(shard)))
    history.settings = settings  # the whole data's settings, as the caller gave them
    if history.shape is not None:
        history.shape = (n, history.shape[1])  # the cell printed its shard's X.shape
    return history if rank == 0 else None


@dataclass(frozen=True)
class Outcome:
    """How one job ended on a worker: its history (rank 0's), or where and why it diverged."""

    history: History | None
    diverged: str | None = None  # DivergedError's message; ``history`` is then the epochs up to it

    def result(self) -> History:
        """The history, or the ``DivergedError`` the job ended with (rank 0's outcome)."""
        assert self.history is not None  # rank 0 keeps every job's history
        if self.diverged is not None:
            raise DivergedError(self.diverged, self.history)
        return self.history


def train_jobs(jobs: list[Settings]) -> list[Outcome]:
    """Every job, in order, as one worker of the group this process's environment names."""
    out = []
    with _group():
        for settings in jobs:
            try:
                out.append(Outcome(run_in_group(settings)))
            except DivergedError as exc:  # every worker diverges at the same epoch: they hold the same values
                out.append(Outcome(exc.history, str(exc)))
    return out


@contextlib.contextmanager
def _group() -> Iterator[None]:
    """Join the process group from torchrun's environment variables; leave it together at the end."""
    import torch.distributed as dist

    dist.init_process_group("gloo", timeout=timedelta(seconds=TIMEOUT_S))
    try:
        yield
        dist.barrier()  # nobody tears the group down while another worker still talks to it
    finally:
        dist.destroy_process_group()


def run_torchrun(settings: Settings) -> History | None:
    """Train as one worker torchrun started; rank 0 gets the history (or its ``DivergedError``)."""
    missing = [name for name in ENVIRONMENT if name not in os.environ]
    if missing:
        msg = (
            f"--workers torchrun: this process was not started by torchrun ({', '.join(missing)} not set); "
            "start it with torchrun (see README) or give --workers K"
        )
        raise SettingsError(msg)
    check(settings, 1)
    outcome = train_jobs([settings])[0]
    return None if outcome.history is None and outcome.diverged is None else outcome.result()
