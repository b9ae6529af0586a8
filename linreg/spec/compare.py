"""``python -m linreg.spec.compare RUN.json ...``: runs' documented numbers side by side, and a gate for CI.

Each RUN.json is what ``pytest --linreg-report=RUN.json`` wrote. The output is Markdown
(``comparison.py`` lays it out): the runs by label; the environment where the runs differ; one row
per documented number that moved in a run or that the runs documented or printed differently
(``--all``: every number), with its feature:line and scenario and, for each run, what was
documented, what was printed and how far it moved (in its last printed digit, and relative); then
a summary line per feature. The exit status is 1 when a number moved in any run or the runs
printed it differently (``--exit-zero``: 0), so CI can gate on it; 2 for a file that is not such
a report, said in one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from linreg.spec.comparison import Run, markdown, moved

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


def _number(path: str, i: int, n: object) -> dict[str, Any]:
    if not isinstance(n, dict):
        msg = f"{path}: not a report that pytest --linreg-report wrote (number {i} is not an object)"
        raise NotAReport(msg)
    for field, kind in {**_FIELDS, **{k: v for k, v in _OPTIONAL.items() if k in n}}.items():
        if not isinstance(n.get(field), kind) or (kind is int and isinstance(n.get(field), bool)):
            msg = f"{path}: not a report that pytest --linreg-report wrote (number {i} has no valid {field!r})"
            raise NotAReport(msg)
    return n


def load(path: str) -> Run:
    """The report at ``path``; NotAReport, saying why, for anything else."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"{path}: not a report that pytest --linreg-report wrote ({exc})"
        raise NotAReport(msg) from None
    if not isinstance(data, dict) or not isinstance(data.get("numbers"), list):
        msg = f"{path}: not a report that pytest --linreg-report wrote (no list of numbers)"
        raise NotAReport(msg)
    environment = data.get("environment", data.get("stack"))
    if not isinstance(environment, dict) or not {"torch", "numpy"} <= environment.keys():
        msg = f"{path}: not a report that pytest --linreg-report wrote (no torch and numpy in its environment)"
        raise NotAReport(msg)
    label = data.get("label", Path(path).stem)
    numbers = [_number(path, i, n) for i, n in enumerate(data["numbers"], start=1)]
    return Run(str(label), path, {str(k): str(v) for k, v in environment.items()}, numbers)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m linreg.spec.compare",
        description="Tables pytest --linreg-report runs side by side; exits 1 when a documented number moved.",
    )
    parser.add_argument("runs", nargs="+", metavar="RUN.json", help="a report that pytest --linreg-report wrote")
    parser.add_argument("--all", action="store_true", help="a row for every documented number, not only those moved")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when a documented number moved")
    args = parser.parse_args(argv)
    try:
        runs = [load(path) for path in args.runs]
    except NotAReport as exc:
        print(f"compare: error: {exc}", file=sys.stderr)
        return 2
    print(markdown(runs, every=args.all))
    return 1 if moved(runs) and not args.exit_zero else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
