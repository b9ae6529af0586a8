"""Documented numbers, checked against a run: every one that moved in one table, and every one recorded.

The numbers of a step (``documented.py``) are read once per run they check: at the first step that
documents printed numbers after a When, for every such step up to the next When, each from the
argument its definition marks ``@recorder.documents`` (read by that definition's parser). How far a number moved is
counted in its last printed digit (documented 0.02666750, got 0.02666751: +1) and relative to the
documented value. When one of a step's numbers moved, the step fails with every moved number of
its scenario, then how many held. Exact is the default. ``--linreg-tolerance=K`` holds a number
within K units of its last digit, and the run lists each one so held; ``--linreg-update`` holds
every number it can write back (printed, and written in the feature as documented). Either way the
step goes on to check the rest of what it states, with the printed digits in those numbers' places.
Every number checked is recorded for ``--linreg-report`` and ``--linreg-update``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pytest
from pytest_bdd.parser import Feature, Scenario, Step

from linreg.spec import recorder, stack
from linreg.spec.documented import Number, accepted, accepted_rows, of_argument
from linreg.stages import Stage

RECORDS = pytest.StashKey[list[dict[str, Any]]]()  # every number checked in the run
_NUMBERS = pytest.StashKey[dict[int, dict[int, list[Number]]]]()  # When's index → step line → its numbers
_MODE = pytest.StashKey["Mode"]()
Documented = TypeVar("Documented", str, list[list[str]])


class Output(Protocol):
    """What a cell printed: a History or a BackpropResult."""

    def lines(self) -> list[str]: ...


class RegressionError(AssertionError):
    """Documented numbers that moved: the table of them, and how many held."""


@dataclass(frozen=True)
class Mode:
    """Which moved numbers a run holds: none (exact), those within a tolerance, or those it will write back."""

    tolerance: Decimal | None = None  # units of the documented number's last printed digit
    update: bool = False

    def tolerates(self, n: Number) -> bool:
        units = n.units()
        return self.tolerance is not None and units is not None and abs(units) <= self.tolerance

    def holds(self, n: Number) -> bool:
        return n.held or self.tolerates(n) or (self.update and bool(n.got) and n.row > 0)


def aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    """``rows`` as lines of left-aligned columns, two spaces apart."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


def report(moved: list[Number], total: int, tolerated: int = 0, mode: Mode | None = None) -> str:
    """The table of ``moved`` numbers, then how many of ``total`` held, then why the stack may matter."""
    head = ("cell", "epoch", "quantity", "documented", "got", "last digit", "relative")
    rows = [(n.cell, n.epoch, n.quantity, n.documented, n.got or "—", n.last_digit(), n.relative()) for n in moved]
    plural = "s" if len(moved) > 1 else ""
    out = [f"{len(moved)} documented number{plural} moved:", *aligned([head, *rows])]
    within = f", {tolerated} of them within tolerance" if tolerated else ""
    out.append(f"{total - len(moved)} of {total} documented numbers of this scenario held{within}.")
    if mode is not None and mode.update:
        out.append("--linreg-update writes back only numbers that were printed and stand in the feature as documented.")
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


def _record(
    request: pytest.FixtureRequest, feature: Feature, scenario: Scenario, found: dict[int, list[Number]]
) -> None:
    mode = request.config.stash.get(_MODE, Mode())
    path = Path(feature.filename).resolve()
    rootpath = request.config.rootpath.resolve()
    where = {
        "feature": path.name,
        "path": str(path.relative_to(rootpath) if path.is_relative_to(rootpath) else path),
        "scenario": scenario.name,
        "test": request.node.nodeid,
    }
    request.config.stash.setdefault(RECORDS, []).extend(
        {
            **where,
            "line": line,
            **{k: v for k, v in asdict(n).items() if k != "slot"},
            "held": n.held,
            "within_tolerance": not n.held and mode.tolerates(n),
            "last_digit": n.last_digit(),
            "relative": n.relative(),
        }
        for line, numbers in found.items()
        for n in numbers
    )


def check(request: pytest.FixtureRequest, stage: Stage, output: Output, documented: Documented) -> Documented:
    """Check the running step's documented numbers against ``output`` of ``stage``; RegressionError if one moved.
    Returns ``documented`` (the step's quoted line, doc string or table) with the moved numbers this run
    holds (``--linreg-tolerance``, ``--linreg-update``) replaced by what was printed."""
    cell = stage.title.split(":")[0] if stage.in_notes else stage.name
    node = request.node
    where, now = recorder.place(node), recorder.at(node)
    if where is None or now is None:
        return documented
    start, block = _block(where.scenario.steps, now.step.line_number)
    read = node.stash.setdefault(_NUMBERS, {})
    if start not in read:  # the first such step after this When: read every documented argument up to the next
        printed = output.lines()
        source = Path(where.feature.filename).read_text(encoding="utf-8").splitlines()
        arguments = [a for s in block if (a := recorder.argument(request, s)) is not None]
        found_in = {a.step.line_number: of_argument(cell, a, printed, source) for a in arguments}
        read[start] = {line: found for line, found in found_in.items() if found is not None}
        _record(request, where.feature, where.scenario, read[start])
    mode = request.config.stash.get(_MODE, Mode())
    everything = [n for found in read[start].values() for n in found]
    mine = read[start].get(now.step.line_number, [])
    if any(not mode.holds(n) for n in mine):
        moved = [n for n in everything if not mode.holds(n)]
        tolerated = sum(not n.held and mode.tolerates(n) for n in everything)
        raise RegressionError(report(moved, len(everything), tolerated, mode))
    taken = [n for n in mine if not n.held]
    if isinstance(documented, str):
        return accepted(documented, taken)
    return accepted_rows(documented, taken)


def _tolerance(config: pytest.Config) -> Decimal | None:
    given = config.getoption("linreg_tolerance")
    if given is None:
        return None
    try:
        tolerance = Decimal(given)
    except InvalidOperation:
        tolerance = Decimal(-1)
    if not tolerance.is_finite() or tolerance < 0:
        msg = f"--linreg-tolerance={given}: give how many units of the last printed digit to hold, e.g. 1"
        raise pytest.UsageError(msg)
    if config.getoption("linreg_update"):
        msg = f"--linreg-tolerance={given} with --linreg-update: the update writes every moved number; drop one"
        raise pytest.UsageError(msg)
    return tolerance


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_MODE] = Mode(_tolerance(config), bool(config.getoption("linreg_update")))


def tolerance(config: pytest.Config) -> Decimal | None:
    """The run's --linreg-tolerance, in units of the last printed digit; None where the run is exact."""
    return config.stash.get(_MODE, Mode()).tolerance
