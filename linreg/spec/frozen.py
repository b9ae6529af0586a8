"""Runs a check with the objects alive before it frozen (``gc.freeze``), so full collections skip them.

A session of the spec holds about a million objects that live until exit (torch's modules, with
torch._dynamo: docs/BENCHMARKS.md §1). Each full collection re-scans them all (0.2 to 0.6 s here), and
the checks that run pytest sessions inside this one make many. Frozen, they are not scanned.

The garbage collector is the process's, so this stays a guest's change:
- only the outermost check freezes and unfreezes; a session nested in it (pytester's) leaves
  the freeze alone, where its own ``gc.unfreeze`` would thaw the outer check's objects;
- once the process has frozen objects of its own (found at the start of an outermost check, when
  none of ours are frozen), no check freezes or thaws anything again: ``gc.unfreeze`` would thaw
  theirs too. ``gc.get_freeze_count`` walks every frozen object, so it is asked only there.

``at_exit``, for a process about to end, is another matter: see its docstring.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass
class _Freezer:
    depth: int = 0  # checks running now, one inside another
    ours: bool = True  # False for good once the process froze objects of its own
    at_exit: bool = False  # whether ``at_exit`` is registered with atexit


_FREEZER = _Freezer()  # the garbage collector is one per process, so is this


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """Inside it, the objects alive on entry are frozen, unless a check around it froze them already."""
    if _FREEZER.depth == 0 and _FREEZER.ours and gc.get_freeze_count():
        _FREEZER.ours = False  # nothing of ours is frozen now: these are someone else's
    outermost = _FREEZER.ours and _FREEZER.depth == 0
    _FREEZER.depth += 1
    try:  # an interrupt anywhere from here on still leaves depth and the freeze as they were
        if outermost:
            gc.collect(1)  # the young garbage of the check before, so that it is not frozen and kept (a few ms)
            gc.freeze()
        yield
    finally:
        _FREEZER.depth -= 1
        if outermost:
            gc.unfreeze()


def at_exit() -> None:
    """For a process about to end: everything alive is frozen for good, so that the interpreter's end
    neither scans it nor tears down the reference cycles in it (about a second with torch). Objects
    in cycles then never have their finalizers run: nothing may rely on garbage collection at exit
    (linreg's cleanup is ``atexit``, ``with`` blocks and explicit calls). Inside a check (a session
    nested in it) it does nothing."""
    if _FREEZER.depth == 0:
        gc.freeze()


def freeze_at_exit() -> None:
    """Registers ``at_exit`` with atexit, once per process: it then runs after pytest is done (the
    unraisable-exception check's last collection included, in any pytest 9) and before the end."""
    if not _FREEZER.at_exit:
        _FREEZER.at_exit = True
        atexit.register(at_exit)
