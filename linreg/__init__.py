"""linreg: notes on backpropagation and linear regression, replayed digit for digit.

from linreg import Settings, run
run(Settings.for_stage("numpy")).lines()   # the notes' numpy cell, as it printed
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
]
