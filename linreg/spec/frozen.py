"""Runs a check with the objects alive before it frozen (``gc.freeze``), so full collections skip them.

A session of the spec holds about a million objects that live until exit (torch's modules, with
torch._dynamo: docs/BENCHMARKS.md §1). Each full collection re-scans them all (0.2 to 0.6 s here), and
the checks that run pytest sessions inside this one make many. Frozen, they are not scanned.

The garbage collector is the process's, so this stays a guest's change:
- only the outermost check freezes and unfreezes; a session nested in it (pytester's) leaves
  the freeze alone, where its own ``gc.unfreeze`` would thaw the outer check's objects;
- where the process had frozen objects of its own before the first check, nothing is frozen or
  thawed, then or later: ``gc.unfreeze`` would thaw them too. It is asked once (``gc.get_freeze_count``
  walks every frozen object).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass
class _Freezer:
    depth: int = 0  # checks running now, one inside another
    ours: bool | None = None  # may this process's freezes be ours alone (None: not asked yet)


_FREEZER = _Freezer()  # the garbage collector is one per process, so is this


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """Inside it, the objects alive on entry are frozen, unless a check around it froze them already."""
    if _FREEZER.ours is None:
        _FREEZER.ours = gc.get_freeze_count() == 0
    outermost = _FREEZER.ours and _FREEZER.depth == 0
    _FREEZER.depth += 1
    if outermost:
        gc.collect(1)  # the young garbage of the check before, so that it is not frozen and kept (a few ms)
        gc.freeze()
    try:
        yield
    finally:
        _FREEZER.depth -= 1
        if outermost:
            gc.unfreeze()


def at_exit() -> None:
    """For a process about to end: everything alive is frozen for good, so that the interpreter's last
    collection skips it (about a second with torch). Inside a check (a session nested in it) it does nothing."""
    if _FREEZER.depth == 0:
        gc.freeze()
