"""Watching a run while it trains: each printed line as it is made, each epoch's number as it ends.

Not a setting of the run (it changes no number): ``with watching(echo=print): train(settings)``.
The command line streams its log and moves its progress bar this way. With ``echo`` the history
keeps no printed epochs, so memory stays flat however many there are. A watch holds for the
calls made inside the ``with`` block, in this thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from linreg.errors import SettingsError


@dataclass(frozen=True)
class Watch:
    """What is told of a run as it trains; None: nothing."""

    echo: Callable[[str], None] | None = None  # called with each printed line as it is made
    progress: Callable[[int], None] | None = None  # called with each epoch's number as it ends


NOTHING = Watch()
_CURRENT: ContextVar[Watch | None] = ContextVar("linreg_watch", default=None)


def current() -> Watch:
    """The watch of the ``watching`` block this call is in, or one that watches nothing."""
    return _CURRENT.get() or NOTHING


@contextmanager
def watching(
    echo: Callable[[str], None] | None = None, progress: Callable[[int], None] | None = None
) -> Iterator[Watch]:
    """Tell ``echo`` and ``progress`` of every run trained inside the block; SettingsError for a non-function."""
    for name, value in (("echo", echo), ("progress", progress)):
        if value is not None and not callable(value):
            msg = f"{name} must be a function or None, got {value!r}"
            raise SettingsError(msg)
    watch = Watch(echo, progress)
    token = _CURRENT.set(watch)
    try:
        yield watch
    finally:
        _CURRENT.reset(token)
