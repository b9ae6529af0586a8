"""``python -m linreg.spec.compare RUN.json ...``: runs' documented numbers side by side, as Markdown.

Each RUN.json is what ``pytest --linreg-report=RUN.json`` wrote. The first table says, for each
run's stack and each cell, how many documented numbers replayed digit for digit; the second lists
every number that moved in any run, with what each run printed and by how much (last digit).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from linreg.spec.numbers import Number

Run = dict[str, Any]


def _load(path: str) -> Run:
    try:
        data: Run = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"{path}: not a report that pytest --linreg-report wrote ({exc})"
        raise SystemExit(msg) from None
    fields = {"feature", "line", "cell", "epoch", "quantity", "documented", "got", "held"}
    numbers = data.get("numbers") if isinstance(data, dict) else None
    if not isinstance(numbers, list) or not all(isinstance(n, dict) and fields <= n.keys() for n in numbers):
        msg = f"{path}: not a report that pytest --linreg-report wrote (each number needs {', '.join(sorted(fields))})"
        raise SystemExit(msg)
    if not isinstance(data.get("stack"), dict) or not {"torch", "numpy"} <= data["stack"].keys():
        msg = f"{path}: not a report that pytest --linreg-report wrote (no torch and numpy in its stack)"
        raise SystemExit(msg)
    return data


def _name(run: Run) -> str:
    return f"torch {run['stack']['torch']}, numpy {run['stack']['numpy']}"


def _key(n: dict[str, Any]) -> tuple[str, int, str, str, str]:
    return (n["feature"], n["line"], n["cell"], n["epoch"], n["quantity"])


def markdown(runs: list[Run]) -> str:
    cells = sorted({n["cell"] for run in runs for n in run["numbers"]})
    out = ["| stack | " + " | ".join(cells) + " |", "|---" * (len(cells) + 1) + "|"]
    for run in runs:
        row = []
        for cell in cells:
            mine = [n for n in run["numbers"] if n["cell"] == cell]
            held = sum(n["held"] for n in mine)
            row.append("—" if not mine else ("all " if held == len(mine) else "") + f"{held} of {len(mine)}")
        out.append(f"| {_name(run)} | " + " | ".join(row) + " |")
    moved = sorted({_key(n) for run in runs for n in run["numbers"] if not n["held"]})
    if not moved:
        return "\n".join([*out, "", "Every documented number replayed digit for digit in every run."])
    out += ["", "| cell | epoch | quantity | documented | " + " | ".join(_name(run) for run in runs) + " |"]
    out.append("|---" * (4 + len(runs)) + "|")
    for key in moved:
        found = [next((n for n in run["numbers"] if _key(n) == key), None) for run in runs]
        documented = next(n["documented"] for n in found if n is not None)
        shown = []
        for n in found:
            number = None if n is None else Number(n["cell"], n["epoch"], n["quantity"], n["documented"], n["got"])
            shown.append(
                "not run"
                if number is None
                else (number.got or "—") + ("" if number.held else f" ({number.last_digit()})")
            )
        out.append(f"| {key[2]} | {key[3]} | {key[4]} | {documented} | " + " | ".join(shown) + " |")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m linreg.spec.compare RUN.json [RUN.json ...]", file=sys.stderr)
        return 2
    print(markdown([_load(path) for path in argv]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
