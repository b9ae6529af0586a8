"""linreg.spec.frozen: the garbage collector's freeze is the process's, so each case runs in a new one."""

from __future__ import annotations

import subprocess
import sys

import pytest

NESTED = """
import gc
from linreg.spec.frozen import frozen
with frozen():
    outer = gc.get_freeze_count()
    with frozen():  # a session nested in a check: its end must not thaw the check's objects
        pass
    print(outer > 0, gc.get_freeze_count() == outer)
print(gc.get_freeze_count() == 0)
"""

USERS = """
import gc
from linreg.spec.frozen import at_exit, frozen
mine = [[] for _ in range(1000)]
gc.freeze()  # the user's own, before any check
before = gc.get_freeze_count()
for _ in range(2):
    with frozen():
        print(gc.get_freeze_count() == before)
at_exit()  # freezes more for the process's end; thaws nothing
print(gc.get_freeze_count() >= before)
"""

AT_EXIT = """
import gc
from linreg.spec.frozen import at_exit, frozen
with frozen():
    inside = gc.get_freeze_count()
    made = [[] for _ in range(100)]  # the nested session's objects: its garbage collector's to free
    at_exit()  # a nested session's end: not the process's
    print(gc.get_freeze_count() == inside)
at_exit()
print(gc.get_freeze_count() > 0)
"""


LATER = """
import gc
from linreg.spec.frozen import frozen
with frozen():  # linreg's first scenario
    pass
mine = [[] for _ in range(1000)]
gc.freeze()  # the user's own, in a test after it
before = gc.get_freeze_count()
with frozen():  # linreg's next scenario
    print(gc.get_freeze_count() == before)
print(gc.get_freeze_count() == before)
"""

RAISED = """
import gc
from linreg.spec.frozen import frozen
try:
    with frozen():
        raise KeyboardInterrupt
except KeyboardInterrupt:
    pass
print(gc.get_freeze_count() == 0)
with frozen():  # the next check freezes again
    print(gc.get_freeze_count() > 0)
print(gc.get_freeze_count() == 0)
"""

CASES = {"nested": NESTED, "the user's freeze": USERS, "the user's freeze, later": LATER, "at exit": AT_EXIT}
CASES["an interrupted check"] = RAISED


@pytest.mark.parametrize("code", CASES.values(), ids=CASES.keys())
def test_the_freeze_is_undone_by_whoever_made_it(code: str) -> None:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert set(done.stdout.split()) == {"True"}, done.stdout
