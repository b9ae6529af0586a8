"""A ``--linreg-report`` file read back: the one place its JSON is checked, before anything reads a field.

A report (what ``runreport.py`` writes) is a JSON object with an ``environment`` holding at least
torch's and numpy's versions (``stack`` in older reports), an optional ``label`` and a list of
``numbers``. Each number has its feature, cell, epoch, quantity, documented and printed digits as
text, its line as a whole number and ``held`` as a boolean; the documented digits are a number as
a run prints one (ASCII digits, at most 60 before and after the point, an exponent of at most 3
digits: so the comparison's decimal arithmetic stays exact), the printed ones such a number, nan,
inf, -inf or "" (not printed), and ``held`` says whether the two are the same. Anything else,
including JSON nested too deep for Python to read, is ``NotAReport``, in one line naming the file
and what is wrong, so that ``comparison.py`` can trust every field it reads.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from linreg.spec.comparison import Run

_TEXT = ("feature", "cell", "epoch", "quantity", "documented", "got")  # each number's fields, and their types
_FIELDS: dict[str, type | tuple[type, ...]] = {**dict.fromkeys(_TEXT, str), "line": int, "held": bool}
_OPTIONAL: dict[str, type | tuple[type, ...]] = {
    "scenario": str,
    "test": str,
    "path": str,
    "row": int,
    "column": int,
    "within_tolerance": bool,
}


class NotAReport(Exception):
    """A file that pytest --linreg-report did not write."""


def _refused(path: str, why: str) -> NotAReport:
    return NotAReport(f"{path}: not a report that pytest --linreg-report wrote ({why})")


_DIGITS = re.compile(r"-?\d{1,60}(?:\.\d{0,60})?(?:e[-+]?\d{1,3})?", re.ASCII)  # as a run prints a number
_NOT_A_NUMBER = ("nan", "inf", "-inf")  # what a run that diverged may print


def _number(path: str, i: int, n: object) -> dict[str, Any]:
    if not isinstance(n, dict):
        raise _refused(path, f"number {i} is not an object")
    for field, kind in {**_FIELDS, **{k: v for k, v in _OPTIONAL.items() if k in n}}.items():
        if not isinstance(n.get(field), kind) or (kind is int and isinstance(n.get(field), bool)):
            raise _refused(path, f"number {i} has no valid {field!r}")
    if not _DIGITS.fullmatch(n["documented"]):
        raise _refused(path, f"number {i} documents {n['documented'][:40]!r}, which is no number as printed")
    if n["got"] and n["got"] not in _NOT_A_NUMBER and not _DIGITS.fullmatch(n["got"]):
        raise _refused(path, f"number {i} was printed as {n['got'][:40]!r}, which is no number as printed")
    if n["held"] != (n["documented"] == n["got"]):
        raise _refused(path, f"number {i} says held is {n['held']} where it documents {n['documented'][:40]!r} "
                       f"and printed {n['got'][:40]!r}")  # fmt: skip
    return n


def load(path: str) -> Run:
    """The report at ``path``; NotAReport, saying why in one line, for anything else."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _refused(path, " ".join(str(getattr(exc, "strerror", None) or exc).split())) from None
    except RecursionError:
        raise _refused(path, "JSON nested too deep") from None
    if not isinstance(data, dict) or not isinstance(data.get("numbers"), list):
        raise _refused(path, "no list of numbers")
    environment = data.get("environment", data.get("stack"))
    if not isinstance(environment, dict) or not {"torch", "numpy"} <= environment.keys():
        raise _refused(path, "no torch and numpy in its environment")
    if not all(isinstance(value, str) for value in environment.values()):
        raise _refused(path, "a value of its environment is not text")
    label = data.get("label", Path(path).stem)
    if not isinstance(label, str):
        raise _refused(path, "its label is not text")
    numbers = [_number(path, i, n) for i, n in enumerate(data["numbers"], start=1)]
    return Run(label, path, dict(environment), numbers)
