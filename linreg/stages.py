"""Every stage declared once: the notes' six cells and stats, what each can do, and how it runs.

Settings, the command line and data-parallel training ask a stage's capabilities here; no stage
name is compared anywhere else. Each stage names its code as ``"module:function"`` (the cell's
module, its ``run``), imported when it runs (``Stage.runner``), so `import linreg` and
`linreg run numpy` never import torch.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from linreg.errors import SettingsError

if TYPE_CHECKING:
    from linreg.cells.backprop import BackpropResult
    from linreg.history import History
    from linreg.settings import Settings

NOTES_X = (1.0, 2.0, 3.0, 4.0)  # the notes' X and Y
NOTES_Y = (2.0, 4.0, 6.0, 8.0)
DYNAMO = ("torch._dynamo",)  # torch.optim's optimizers import it when built


class Runner(Protocol):
    """A stage's ``run(settings)``."""

    def __call__(self, settings: Settings, /) -> History | BackpropResult: ...


@dataclass(frozen=True)
class Stage:
    """One stage: what the notes' cell used, and what the stage can do."""

    name: str
    title: str  # the heading `linreg notes` prints above the cell's output
    epochs: int  # the cell's n_iters
    log_every: int  # the cell logs epoch e when (e - 1) % log_every == 0
    init: tuple[float, ...]  # (w,) or (w, b): the start the cell's log was printed from
    code: str  # "module:function": its run(settings), imported when it runs
    x: tuple[float, ...] = NOTES_X
    y: tuple[float, ...] = NOTES_Y
    starts: tuple[int, ...] = (1,)  # how many start values it takes: 1 (w), 2 (w, b), or either
    trains: bool = True  # runs epochs into a History (backprop takes one step)
    one_point: bool = False  # takes one x and one y
    hand_gradient: bool = False  # writes its gradient by hand: --gradient notes (the notes' N× one) or mse
    random_start: bool = False  # the cell drew torch's random init: --seed draws it again
    torch: bool = False  # runs on torch: takes --device
    parallel: bool = False  # trains data-parallel with --workers
    streams: bool = False  # reads a data file in chunks itself, never whole
    in_notes: bool = True  # one of the notes' six cells (`linreg notes` prints it)
    dtype: type[np.floating[Any]] = np.float32  # what it computes in: every number must be finite there
    imports: tuple[str, ...] = ()  # what its run imports beyond its module: a fork server imports it once

    def runner(self) -> Runner:
        """The stage's run(settings): its ``code`` imported (the one place a stage's code is loaded)."""
        module, _, function = self.code.partition(":")
        run: Runner = getattr(importlib.import_module(module), function)
        return run


STAGES: dict[str, Stage] = {
    stage.name: stage
    for stage in (
        Stage("backprop", "Cell 1: backpropagation of one scalar example", 0, 1, (1.0,),
              "linreg.cells.backprop:run", (1.0,), (2.0,), trains=False, one_point=True),
        Stage("numpy", "Cell 2: linear regression in numpy, all by hand", 20, 2, (0.0,),
              "linreg.cells.numpy_manual:run", hand_gradient=True),
        Stage("autograd", "Cell 3: gradients from torch autograd", 100, 10, (0.0,),
              "linreg.cells.autograd:run", torch=True, parallel=True),
        Stage("optim", "Cell 4: nn.MSELoss and optim.SGD", 50, 2, (0.0,),
              "linreg.cells.optim:run", torch=True, parallel=True, imports=DYNAMO),
        # The nn cells used an unseeded random init; these float32 starts were found by
        # `linreg recover` from the printed logs and replay them line for line on every CPU.
        Stage("linear", "Cell 5: the model is nn.Linear", 100, 10, (0.45988736, -0.3066888),
              "linreg.cells.linear:run", starts=(2,), random_start=True, torch=True, parallel=True, imports=DYNAMO),
        Stage("module", "Cell 6: a custom nn.Module", 100, 10, (0.41818994, -0.035462182),
              "linreg.cells.module:run", starts=(2,), random_start=True, torch=True, parallel=True, imports=DYNAMO),
        # Not a cell: GD on the MSE through the sufficient statistics n, Σx, Σy, Σx², Σxy, Σy² (float64).
        # Its start is W (the model w·x of cells 3-4) or W,B (w·x + b of cells 5-6).
        Stage("stats", "Sufficient statistics", 100, 10, (0.0,),
              "linreg.scale.stats:run", starts=(1, 2), parallel=True, streams=True, in_notes=False, dtype=np.float64),
    )
}  # fmt: skip


def stage(name: str) -> Stage:
    """The stage called ``name``; ``SettingsError`` for an unknown one."""
    if not isinstance(name, str) or name not in STAGES:
        msg = f"unknown stage {name!r}: choose one of {', '.join(STAGES)}"
        raise SettingsError(msg)
    return STAGES[name]


def run(settings: Settings) -> History | BackpropResult:
    """Run ``settings.stage`` with ``settings``: a ``BackpropResult`` for backprop, else a ``History``."""
    return settings.info.runner()(settings)


def train(settings: Settings) -> History:
    """Like ``run``, for the stages that train; ``SettingsError`` for one that does not."""
    if not settings.info.trains:
        names = ", ".join(name for name, s in STAGES.items() if s.trains)
        msg = f"stage {settings.stage} does not train: choose one of {names}"
        raise SettingsError(msg)
    result = run(settings)
    assert not isinstance(result, tuple | type(None))  # a History, as every stage that trains returns
    return result  # type: ignore[return-value]
