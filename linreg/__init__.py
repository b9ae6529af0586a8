"""linreg: notes on backpropagation and linear regression, replayed digit for digit.

from linreg import Settings, run, watching
run(Settings.for_stage("numpy")).lines()   # the notes' numpy cell, as it printed
with watching(echo=print): run(Settings.for_stage("numpy"))   # each line as training makes it

The names below are imported on first use (PEP 562), so importing a submodule, as pytest does
with the spec's plugin (linreg.spec.plugin) in every session, costs nothing: no numpy, no torch.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linreg.errors import (
        DataError,
        DivergedError,
        LinregError,
        LivingDocError,
        LogFormatError,
        NotRecoveredError,
        OutputError,
        SettingsError,
        UsageError,
    )
    from linreg.history import EpochRecord, History
    from linreg.settings import Settings
    from linreg.stages import STAGES, Stage, run, train
    from linreg.watch import watching

_HOME = {  # each public name → the module that defines it
    **dict.fromkeys(
        ["DataError", "DivergedError", "LinregError", "LivingDocError", "LogFormatError", "NotRecoveredError"],
        "linreg.errors",
    ),
    **dict.fromkeys(["OutputError", "SettingsError", "UsageError"], "linreg.errors"),
    **dict.fromkeys(["EpochRecord", "History"], "linreg.history"),
    "Settings": "linreg.settings",
    **dict.fromkeys(["STAGES", "Stage", "run", "train"], "linreg.stages"),
    "watching": "linreg.watch",
}

__all__ = [
    "STAGES",
    "DataError",
    "DivergedError",
    "EpochRecord",
    "History",
    "LinregError",
    "LivingDocError",
    "LogFormatError",
    "NotRecoveredError",
    "OutputError",
    "Settings",
    "SettingsError",
    "Stage",
    "UsageError",
    "run",
    "train",
    "watching",
]


def root() -> Path:
    """The folder that holds this ``linreg`` package, the one place it is found: a checkout's root
    (beside steps/, features/, docs/), or site-packages when installed. Processes linreg starts are
    pointed at it, so they import this same linreg; the spec finds a checkout's steps and pages there."""
    return Path(__file__).resolve().parent.parent


def __getattr__(name: str) -> Any:  # noqa: ANN401 (any public name of the package)
    home = _HOME.get(name)
    if home is None:
        msg = f"module 'linreg' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # the next look-up is a plain attribute
    return value
