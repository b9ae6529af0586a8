"""linreg: notes on backpropagation and linear regression, replayed digit for digit.

from linreg import Settings, run, watching
run(Settings.for_stage("numpy")).lines()   # the notes' numpy cell, as it printed
with watching(echo=print): run(Settings.for_stage("numpy"))   # each line as training makes it
"""

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
