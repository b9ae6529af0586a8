"""Runs a stage by name. Stage modules load on first use, so only torch stages import torch."""

from __future__ import annotations

import importlib
from typing import Protocol

from linreg.backprop import BackpropResult
from linreg.history import History
from linreg.settings import STAGES, Settings

MODULES = {
    "backprop": "linreg.backprop",
    "numpy": "linreg.numpy_manual",
    "autograd": "linreg.autograd",
    "optim": "linreg.optim",
    "linear": "linreg.linear",
    "module": "linreg.module",
    "stats": "linreg.stats",
}
assert MODULES.keys() == STAGES.keys()


class _Runner(Protocol):
    def __call__(self, settings: Settings) -> History | BackpropResult: ...


def run(settings: Settings) -> History | BackpropResult:
    """Run ``settings.stage`` with ``settings``: a ``BackpropResult`` for backprop, else a ``History``."""
    runner: _Runner = importlib.import_module(MODULES[settings.stage]).run
    return runner(settings)


def train(settings: Settings) -> History:
    """Like ``run``, for the five training stages."""
    result = run(settings)
    if not isinstance(result, History):
        msg = f"stage {settings.stage} does not train: choose one of {', '.join(n for n in STAGES if n != 'backprop')}"
        raise TypeError(msg)
    return result
