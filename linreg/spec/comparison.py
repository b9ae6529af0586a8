"""Runs of the spec side by side, as Markdown: what ``python -m linreg.spec.compare`` prints.

A documented number is the same number in two runs when it stands in the same feature, scenario
and test, at the same line and offset (reports before those were recorded: the same step line,
cell, epoch and quantity). It moved in a run where what was printed is not what was documented.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linreg.spec.documented import Number

Key = tuple[str, str, str, int, int, str, str, str]


@dataclass(frozen=True)
class Run:
    """One report: its label, its file, the environment that chose its digits, its numbers."""

    label: str
    path: str
    environment: dict[str, str]
    numbers: list[dict[str, Any]]


def _key(n: dict[str, Any]) -> Key:
    test = str(n.get("test", "")).partition("::")[2]
    where = (n.get("row") or n["line"], n.get("column", 0))
    return (n["feature"], test, n.get("scenario", ""), *where, n["cell"], n["epoch"], n["quantity"])


def _table(rows: list[list[str]]) -> list[str]:
    """A Markdown table, its columns padded so that it reads as a table in a terminal too."""
    cells = [[cell.replace("|", "\\|") for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells]
    return [lines[0], "|" + "|".join("-" * (w + 2) for w in widths) + "|", *lines[1:]]


def _by_key(runs: list[Run]) -> dict[Key, list[dict[str, Any] | None]]:
    keys = sorted({_key(n) for run in runs for n in run.numbers}, key=lambda k: (k[0], k[3], k[4], k[1]))
    found = [{_key(n): n for n in run.numbers} for run in runs]
    return {key: [mine.get(key) for mine in found] for key in keys}


def _differs(found: list[dict[str, Any] | None]) -> bool:
    """Whether a number moved in a run, or the runs documented or printed it differently."""
    here = [n for n in found if n is not None]
    return any(not n["held"] for n in here) or len({(n["documented"], n["got"]) for n in here}) > 1


def moved(runs: list[Run]) -> bool:
    """Whether a documented number moved in any run, or the runs printed it differently."""
    return any(_differs(found) for found in _by_key(runs).values())


def _move(n: dict[str, Any] | None) -> str:
    if n is None:
        return "not run"
    if n["held"]:
        return "held"
    if not n["got"]:
        return "not printed"
    number = Number(n["cell"], n["epoch"], n["quantity"], n["documented"], n["got"])
    return f"{number.last_digit()} ({number.relative()})" + (", within tolerance" if n.get("within_tolerance") else "")


def _labels(runs: list[Run]) -> list[str]:
    labels = [run.label for run in runs]
    return [f"{label} ({i})" if labels.count(label) > 1 else label for i, label in enumerate(labels, start=1)]


def _environment(runs: list[Run], labels: list[str]) -> list[str]:
    names = list(dict.fromkeys(name for run in runs for name in run.environment))
    values = {name: [run.environment.get(name, "—") for run in runs] for name in names}
    differ = [name for name in names if len(set(values[name])) > 1]
    same = [f"{name} {values[name][0]}" for name in names if name not in differ]
    out = [f"Same in every run: {', '.join(same)}." if same else "Nothing is the same in every run."]
    if len(runs) > 1 and not differ:
        return ["The runs' environments are the same.", "", *out]
    table = _table([["", *labels], *[[name, *values[name]] for name in differ]])
    return ["Where the runs' environments differ:", "", *table, "", *out]


def _summary(runs: list[Run], labels: list[str]) -> list[str]:
    features = sorted({n["feature"] for run in runs for n in run.numbers})
    rows = [["feature", *labels]]
    for feature in features:
        row = [feature]
        for run in runs:
            mine = [n for n in run.numbers if n["feature"] == feature]
            held = sum(n["held"] for n in mine)
            within = sum(bool(n.get("within_tolerance")) for n in mine)
            text = f"all {held} held" if held == len(mine) else f"{held} of {len(mine)} held, {len(mine) - held} moved"
            text += f" ({within} within tolerance)" if within else ""
            row.append(text if mine else "not run")
        rows.append(row)
    return _table(rows)


def markdown(runs: list[Run], every: bool = False) -> str:
    """The runs, their environments, the numbers that moved (``every``: all of them), a summary per feature."""
    labels = _labels(runs)
    out = ["Runs: " + "; ".join(f"{label} ({run.path})" for label, run in zip(labels, runs, strict=True)), ""]
    out += [*_environment(runs, labels), ""]
    head = ["where", "scenario", "cell", "epoch", "quantity"]
    head += [f"{label} {what}" for label in labels for what in ("documented", "printed", "move")]
    rows = []
    for key, found in _by_key(runs).items():
        if every or _differs(found):
            scenario = key[2] if len(key[2]) <= 48 else key[2][:47] + "…"
            row = [f"{key[0]}:{key[3]}", scenario, *key[5:]]
            for n in found:
                row += ["—", "—", _move(n)] if n is None else [n["documented"], n["got"] or "—", _move(n)]
            rows.append(row)
    count = sum(_differs(found) for found in _by_key(runs).values())
    out += _table([head, *rows]) if rows else ["Every documented number held, digit for digit, in every run."]
    out += ["", *_summary(runs, labels), ""]
    plural = "number" if count == 1 else "numbers"
    out.append(f"{count} documented {plural} moved or differ between the runs." if count else "Nothing moved.")
    return "\n".join(out)
