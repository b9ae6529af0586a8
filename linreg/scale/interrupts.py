"""Ctrl-C (SIGINT) and SIGTERM during a data-parallel run, which starts processes and must end them.

A signal acted on half-way through a start leaves a process the run does not know (the fork server
forked a worker, its process id not yet read back): never ended, never reaped, it is left to init.
One acted on half-way through the ending leaves the rest running. So both are done with the
signals ``held``: recorded, not acted on.

- Starting (``held()``): the first signal is raised again as the block ends, the process known by
  then; for a run's first worker, that is once the fork server has imported torch (a second or
  two, docs/BENCHMARKS.md §7). One more is acted on at once, with the first: the way out of a
  start that hangs (a fork server whose imports never end), at the price of what the hold is for.
- Ending (``held(ending=True)``): the run already ends on a signal, so later ones are dropped.

Any thread may take a signal (numpy's BLAS threads block none, so a mask on the main thread alone
holds nothing); Python acts on it in the main thread, the only one that may set a handler, so in
another thread nothing is held, and nothing need be. A signal ignored (SIG_IGN) or handled outside
Python (its handler could not be put back) is left alone.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

from linreg.errors import Terminated

Handler = Callable[[int, FrameType | None], object] | int | None  # what signal.signal returns


@contextlib.contextmanager
def held(*, ending: bool = False) -> Iterator[None]:
    """SIGINT and SIGTERM recorded inside; the first raised as it closes, or, ``ending``, dropped."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed: list[int] = []
    previous: dict[signal.Signals, Handler] = {}

    def record(signum: int, frame: FrameType | None) -> None:
        pressed.append(signum)
        if len(pressed) == 2 and not ending:  # pressed again while starting: act on both now
            _restore(previous)
            _raise(pressed)

    try:  # signal.signal acts on a pending signal before it sets a handler: none is set half-way
        for signum in (signal.SIGINT, signal.SIGTERM):
            if signal.getsignal(signum) not in (None, signal.SIG_IGN):
                previous[signum] = signal.signal(signum, record)
        yield
    finally:
        _restore(previous)  # nothing left to put back once ``record`` has acted
        if len(pressed) == 1 and not ending:
            _raise(pressed)


def _raise(pressed: list[int]) -> None:
    """The signals pressed, as if they came now: in order, once each, each to its handler put back."""
    for signum in dict.fromkeys(pressed):
        signal.raise_signal(signum)


def _restore(previous: dict[signal.Signals, Handler]) -> None:
    """Put every handler back, emptying ``previous``. A signal whose handler is back may come before the
    next is: its handler runs in that next ``signal.signal`` call and may raise; that one is put back all
    the same, and what was raised is raised after."""
    raised: BaseException | None = None
    while previous:
        signum, handler = next(iter(previous.items()))
        try:
            signal.signal(signum, handler)
        except BaseException as exc:  # a handler put back already ran, before this one was set
            raised = exc if raised is None else raised
            continue
        del previous[signum]
    if raised is not None:
        raise raised


@contextlib.contextmanager
def terminated_as_exception() -> Iterator[None]:
    """SIGTERM raises ``Terminated`` inside, so that a run ends on it as on Ctrl-C: workers stopped,
    temporary folder removed. Only the main thread may set a handler; elsewhere SIGTERM keeps its own."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminated(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
