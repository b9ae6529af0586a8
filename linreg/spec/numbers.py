"""Documented numbers, checked against a run: every one that moved in one table, and all of them in JSON.

A documented number is one a feature states as the notes printed it: a w or loss of the logged
epochs, a prediction, a tensor the cell printed. A printed line is matched to the run's line of
the same words (numbers aside), an epoch row to the run's row of that epoch. How far a number
moved is counted in its last printed digit (documented 0.02666750, got 0.02666751: +1) and
relative to the documented value. When one of a step's numbers moved, the step fails with every
moved number of its scenario (later steps' too, up to the next When), then how many held.
``pytest --linreg-report=FILE.json`` writes every documented number the run checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

import pytest
from pytest_bdd.parser import Feature, Scenario, Step

from linreg import logfmt
from linreg.spec import stack
from linreg.stages import Stage

NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")
PRINTED_LINE = re.compile(r'(?:it prints|the first line printed is) "(.*)"')
PRINTED_BLOCK = ("it prints:", "the cell prints:")
EPOCH_TABLE = "the logged epochs are:"

_SCENARIO = pytest.StashKey[tuple[Feature, Scenario]]()
_STEP = pytest.StashKey[Step]()
_NUMBERS = pytest.StashKey[dict[int, dict[int, list["Number"]]]]()  # When's index → step line → its numbers
_SAID = pytest.StashKey[str]()
_ALL = pytest.StashKey[list[dict[str, object]]]()  # every number checked in the run, for --linreg-report


class Output(Protocol):
    """What a cell printed: a History or a BackpropResult."""

    def lines(self) -> list[str]: ...


class RegressionError(AssertionError):
    """Documented numbers that moved: the table of them, and how many held."""


@dataclass(frozen=True)
class Number:
    """One documented number and what this run printed in its place ("" where it printed none)."""

    cell: str  # "Cell 5", or the stage's name outside the notes
    epoch: str  # the logged epoch, "" for a line that is not an epoch's
    quantity: str  # "w", "loss", or the printed words before the number
    documented: str
    got: str

    @property
    def held(self) -> bool:
        return self.documented == self.got

    def last_digit(self) -> str:
        """The difference in units of the documented number's last printed digit, signed."""
        if not self.got:
            return "not printed"
        places = len(self.documented.split(".")[1]) if "." in self.documented else 0
        units = (Decimal(self.got) - Decimal(self.documented)).scaleb(places)
        return f"{units:+f}"

    def relative(self) -> str:
        if not self.got or Decimal(self.documented) == 0:
            return "—"
        return f"{float((Decimal(self.got) - Decimal(self.documented)) / abs(Decimal(self.documented))):+.1e}"


def _numbers_of(cell: str, documented: str, printed: list[str]) -> list[Number] | None:
    """The numbers of the ``documented`` line against the printed line most like it; None if none has its words.
    An epoch's line is matched to the printed line of that epoch, as a row of the epoch table is."""
    entry = logfmt.parse_epoch_line(documented)
    if entry is not None:
        return _table(cell, [[str(entry.epoch), entry.w, entry.loss]], printed)
    template = NUMBER.sub("#", documented)
    candidates = [line for line in printed if NUMBER.sub("#", line) == template]
    if not candidates:
        return None
    want = NUMBER.findall(documented)
    got = min(candidates, key=lambda line: sum(a != b for a, b in zip(want, NUMBER.findall(line), strict=True)))
    out = []
    for match, value in zip(NUMBER.finditer(documented), NUMBER.findall(got), strict=True):
        words = documented[: match.start()].rstrip(" =:(").split(", ")[-1]
        out.append(Number(cell, "", words or documented, match[0], value))
    return out


def _table(cell: str, rows: list[list[str]], printed: list[str]) -> list[Number]:
    """Rows (epoch, w, loss), as the feature states them, against the printed epoch lines."""
    got = {str(entry.epoch): entry for line in printed if (entry := logfmt.parse_epoch_line(line))}
    out = []
    for epoch, w, loss in rows:
        entry = got.get(epoch)
        out += [
            Number(cell, epoch, "w", w, "" if entry is None else entry.w),
            Number(cell, epoch, "loss", loss, "" if entry is None else entry.loss),
        ]
    return out


def _step_numbers(cell: str, step: Step, printed: list[str]) -> list[Number] | None:
    """The numbers a step of printed output documents; None for a step of another kind, or a line not printed."""
    if step.name == EPOCH_TABLE and step.datatable is not None:
        return _table(cell, [[c.value for c in row.cells] for row in step.datatable.rows[1:]], printed)
    lines = [m[1]] if (m := PRINTED_LINE.fullmatch(step.name)) else None
    if step.name in PRINTED_BLOCK and step.docstring is not None:
        lines = step.docstring.splitlines()
    if lines is None:
        return None
    found = [_numbers_of(cell, line, printed) for line in lines]
    return None if any(f is None for f in found) else [n for f in found for n in f or []]


def report(moved: list[Number], total: int) -> str:
    """The table of ``moved`` numbers, then how many of ``total`` held, then why the stack may matter."""
    head = ("cell", "epoch", "quantity", "documented", "got", "last digit", "relative")
    rows = [
        head,
        *[(n.cell, n.epoch, n.quantity, n.documented, n.got or "—", n.last_digit(), n.relative()) for n in moved],
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    table = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    plural = "s" if len(moved) > 1 else ""
    out = [f"{len(moved)} documented number{plural} moved:", *table]
    out.append(f"{total - len(moved)} of {total} documented numbers of this scenario held.")
    differs = stack.differences()
    if differs:
        out.append(
            f"This stack differs from the one the notes' digits were verified on: {'; '.join(differs)}. "
            "float32 sums may run in another order there."
        )
    return "\n".join(out)


def _block(steps: list[Step], line: int) -> tuple[int, list[Step]]:
    """The steps that check the output the running step checks: from the When before it to the next When."""
    here = next(i for i, step in enumerate(steps) if step.line_number == line)
    start = max((i for i in range(here + 1) if steps[i].type == "when"), default=0)
    end = min((i for i in range(here + 1, len(steps)) if steps[i].type == "when"), default=len(steps))
    return start, steps[start:end]


def check(request: pytest.FixtureRequest, stage: Stage, output: Output) -> None:
    """Check the running step's documented numbers against ``output`` of ``stage``; RegressionError if one moved."""
    cell = stage.title.split(":")[0] if stage.in_notes else stage.name
    node = request.node
    if _SCENARIO not in node.stash or _STEP not in node.stash:
        return
    feature, scenario = node.stash[_SCENARIO]
    start, block = _block(scenario.steps, node.stash[_STEP].line_number)
    read = node.stash.setdefault(_NUMBERS, {})
    if start not in read:  # the first such step after this When: read all its steps of printed output
        printed = output.lines()
        found_in = {s.line_number: _step_numbers(cell, s, printed) for s in block}
        read[start] = {line: found for line, found in found_in.items() if found is not None}
        where = {"feature": str(Path(feature.filename).name), "scenario": scenario.name, "test": node.nodeid}
        request.config.stash.setdefault(_ALL, []).extend(
            {**where, "line": line, **asdict(n), "held": n.held, "last_digit": n.last_digit(), "relative": n.relative()}
            for line, found in read[start].items()
            for n in found
        )
    numbers = read[start]
    mine = numbers.get(node.stash[_STEP].line_number, [])
    if any(not n.held for n in mine):
        everything = [n for found in numbers.values() for n in found]
        raise RegressionError(report([n for n in everything if not n.held], len(everything)))


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("--linreg-report")
    if path is None:
        return
    if config.getoption("numprocesses", None):
        msg = "--linreg-report gathers the run in one process: drop -n"
        raise pytest.UsageError(msg)
    if Path(path).suffix != ".json" or not Path(path).resolve().parent.is_dir():
        msg = f"--linreg-report {path!r}: give a .json file in a folder that exists"
        raise pytest.UsageError(msg)


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
    request.node.stash[_SCENARIO] = (feature, scenario)


def pytest_bdd_before_step(request: pytest.FixtureRequest, step: Step) -> None:
    request.node.stash[_STEP] = step


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A regression is reported as its table under the step that found it, without a traceback."""
    report = yield
    if call.excinfo is not None and call.excinfo.errisinstance(RegressionError) and _STEP in item.stash:
        step = item.stash[_STEP]
        report.longrepr = f"{item.path}:{step.line_number}: {step.keyword} {step.name}\n{call.excinfo.value}"
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = session.config.getoption("--linreg-report")
    if path is None:
        return
    data = {"stack": stack.installed(), "reference": stack.REFERENCE, "numbers": session.config.stash.get(_ALL, [])}
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(target)
    session.config.stash[_SAID] = f"linreg report: {len(data['numbers'])} documented numbers in {path}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if _SAID in config.stash:
        terminalreporter.write_line(config.stash[_SAID])
