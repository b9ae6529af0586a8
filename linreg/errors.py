"""The exceptions linreg raises for user mistakes: one root, ``LinregError``.

Every message names the bad value and says how to fix it; the command line prints it
as one line (``linreg: error: …``) and exits non-zero, without a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linreg.history import History


class LinregError(ValueError):
    """Root of every error linreg raises on purpose."""

    exit_code = 2


class UsageError(LinregError):
    """The command line's words are off: an unknown option, a missing argument, a bad choice."""


class SettingsError(LinregError):
    """A training setting (learning rate, epochs, data, start, …) is not allowed."""


class DataError(LinregError):
    """A data file is missing, unreadable or not a CSV of finite x,y numbers."""


class LogFormatError(LinregError):
    """A log given to ``recover`` is missing or not in the format ``linreg run`` prints."""


class OutputError(LinregError):
    """A result could not be written (a full disk, a folder that turned read-only): nothing is left half-written."""

    exit_code = 1


class LivingDocError(LinregError):
    """The living documentation cannot be written: Node.js or Cucumber's html-formatter is missing or
    failed, or what the run recorded does not match the features' pickles."""


class DivergedError(LinregError):
    """Training produced a non-finite loss or parameter; ``history`` holds the epochs before it."""

    exit_code = 1

    def __init__(self, message: str, history: History) -> None:
        super().__init__(message)
        self.history = history


class NotRecoveredError(LinregError):
    """No initial parameters replay the given log exactly."""

    exit_code = 1


class EmulationError(NotRecoveredError):
    """A CPU kernel path printed otherwise than the emulation's mode for it (``linreg.recover.emulate``): a bug of
    the emulation, found while ``recover`` confirmed its start for real."""


class Terminated(BaseException):
    """SIGTERM, raised where a run must clean up first (its workers, its temporary files); not a
    user's mistake, so like KeyboardInterrupt it is no ``Exception``. The command line exits 143."""
