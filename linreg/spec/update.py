"""``--linreg-update``: the documented numbers that moved, written back into their feature files.

Under ``--linreg-update`` a step holds each moved number it can write back: one that was printed,
and stands in the feature file as documented (``numbers.Mode``). When the run ends, every such
number of a scenario that passed is written in place of its documented digits, and nothing else
changes: a table cell, a doc string's line, a quoted line. Where a cell's width changes, its
table's columns are aligned again, as wide as most of their rows have them. A scenario that failed
(a number not printed, a line whose words changed, another step's check) is left alone and listed
with the step that failed; so is a number that two runs of one line (a Scenario Outline's
examples) printed differently. The run prints a unified diff of each file it changed, and how many
numbers it wrote; run again, it passes.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from typing import Any

import pytest

from linreg.atomic import write_whole
from linreg.spec import runreport

Edit = tuple[int, int, str, str]  # line (from 1), offset, documented, printed


def _table_around(lines: list[str], i: int) -> range:
    """The lines of the Gherkin table that line ``i`` is a row of."""
    start, end = i, i + 1
    while start > 0 and lines[start - 1].lstrip().startswith("|"):
        start -= 1
    while end < len(lines) and lines[end].lstrip().startswith("|"):
        end += 1
    return range(start, end)


def aligned(rows: list[str]) -> list[str]:
    """A Gherkin table's rows with each column as wide as most of its rows have it (or as its widest cell
    needs): a row whose cell is narrower or wider is padded anew, every other row is left as it was."""
    if any("\\|" in row for row in rows):
        return rows
    cut = [row.split("|") for row in rows]  # indent, the cells, the line's end
    if len({len(cells) for cells in cut}) != 1:
        return rows
    for c in range(1, len(cut[0]) - 1):
        widths = Counter(len(cells[c]) for cells in cut)
        width = max(widths.most_common(1)[0][0], max(len(cells[c].strip()) for cells in cut) + 2)
        for cells in cut:
            if len(cells[c]) != width:
                cells[c] = " " + cells[c].strip().ljust(width - 1)
    return ["|".join(cells) for cells in cut]


def rewrite(text: str, edits: list[Edit]) -> str:
    """``text`` (a feature file) with each edit's documented digits replaced by the printed ones; a table
    whose cell changed width is aligned again (``aligned``)."""
    lines = text.splitlines(keepends=True)
    tables = set()
    for row, at, documented, printed in sorted(edits, key=lambda e: (e[0], -e[1])):
        old = lines[row - 1]
        if old[at : at + len(documented)] != documented:
            msg = f"line {row} no longer holds {documented!r} at offset {at}: run the spec again"
            raise ValueError(msg)
        lines[row - 1] = old[:at] + printed + old[at + len(documented) :]
        if len(printed) != len(documented) and old.lstrip().startswith("|"):
            tables.add(_table_around(lines, row - 1))
    for rows in tables:
        lines[rows.start : rows.stop] = aligned(lines[rows.start : rows.stop])
    return "".join(lines)


class Update:
    """Which of linreg's scenarios passed and which failed; at the end, the numbers written back."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.failed: dict[str, str] = {}  # node id → where and why
        self.passed: set[str] = set()
        self.said: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        scenario = getattr(report, "linreg_scenario", None)
        if scenario is None:
            return
        if report.failed:
            why = str(report.longrepr).strip().splitlines()[0] if report.longrepr else report.when
            self.failed.setdefault(report.nodeid, f"{scenario} — {why}")
        elif report.when == "call" and report.passed:
            self.passed.add(report.nodeid)

    def _edits(self, numbers: list[dict[str, Any]]) -> tuple[dict[str, set[Edit]], list[str]]:
        edits: dict[str, set[Edit]] = defaultdict(set)
        printed: dict[tuple[str, int, int], set[str]] = defaultdict(set)
        for n in numbers:
            if n["test"] in self.passed and n["test"] not in self.failed and not n["held"] and n["row"]:
                edits[n["path"]].add((n["row"], n["column"], n["documented"], n["got"]))
                printed[(n["path"], n["row"], n["column"])].add(n["got"])
        clashes = {key: got for key, got in printed.items() if len(got) > 1}
        for path, row, column in clashes:
            edits[path] = {e for e in edits[path] if (e[0], e[1]) != (row, column)}
        return edits, [
            f"{p}:{row}: printed {' and '.join(sorted(g))} in its runs" for (p, row, _), g in clashes.items()
        ]

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if hasattr(self.config, "workerinput"):
            return  # a pytest-xdist worker: the controller writes
        edits, clashes = self._edits(runreport.records(self.config))
        count, files = 0, 0
        for path, mine in sorted(edits.items()):
            if not mine:
                continue
            target = self.config.rootpath / path
            with open(target, encoding="utf-8", newline="") as file:
                old = file.read()
            new = rewrite(old, sorted(mine))
            write_whole(target, new.encode())  # whole or not at all, keeping the file's mode
            diff = difflib.unified_diff(old.splitlines(True), new.splitlines(True), path, path)
            self.said += [line.rstrip("\r\n") for line in diff]
            count, files = count + len(mine), files + 1
        plural = ("" if count == 1 else "s", "" if files == 1 else "s")
        self.said.append(f"linreg update: {count} documented number{plural[0]} written in {files} file{plural[1]}")
        left = [*self.failed.values(), *clashes]
        if left:
            self.said.append(f"linreg update: left alone, {len(left)}:")
            self.said += [f"  {why}" for why in left]

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        for line in self.said:
            terminalreporter.write_line(line)


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("linreg_update"):
        config.pluginmanager.register(Update(config), "linreg-update")
