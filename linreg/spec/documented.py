"""The documented numbers of a step, where each one is written in its feature file, and how far it moved.

A documented number is one a feature states as the notes printed it: a w or loss of the logged
epochs, a prediction, a tensor the cell printed. A printed line is matched to the run's line of
the same words (numbers aside), an epoch row to the run's row of that epoch. Each number keeps its
place twice: in the step's argument (``slot``: which line or row, which offset or cell), so a step
can be checked against the numbers a run accepts; and in the feature file (``row``, ``column``), so
``--linreg-update`` can write the printed digits there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from linreg import logfmt

if TYPE_CHECKING:  # compare.py reads reports without pytest-bdd
    from linreg.spec.recorder import Argument

NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")


@dataclass(frozen=True)
class Number:
    """One documented number and what this run printed in its place ("" where it printed none)."""

    cell: str  # "Cell 5", or the stage's name outside the notes
    epoch: str  # the logged epoch, "" for a line that is not an epoch's
    quantity: str  # "w", "loss", or the printed words before the number
    documented: str
    got: str
    slot: tuple[int, int] = (0, 0)  # in the step's argument: (line or table row, offset in the line or cell)
    row: int = 0  # the feature file's line holding the digits, counted from 1; 0 where not found
    column: int = 0  # their offset in that line, from 0

    @property
    def held(self) -> bool:
        return self.documented == self.got

    def units(self) -> Decimal | None:
        """The difference in units of the documented number's last printed digit; None where none was printed."""
        try:
            places = len(self.documented.split(".")[1]) if "." in self.documented else 0
            return (Decimal(self.got) - Decimal(self.documented)).scaleb(places) if self.got else None
        except InvalidOperation:  # nan, inf
            return None

    def last_digit(self) -> str:
        """The difference in units of the documented number's last printed digit, signed."""
        units = self.units()
        if units is None:
            return "not printed" if not self.got else "—"
        return f"{units:+f}"

    def relative(self) -> str:
        try:
            if not self.got or Decimal(self.documented) == 0:
                return "—"
            return f"{float((Decimal(self.got) - Decimal(self.documented)) / abs(Decimal(self.documented))):+.1e}"
        except InvalidOperation:
            return "—"


def _in_line(cell: str, documented: str, printed: list[str], line: int) -> list[Number] | None:
    """The numbers of the ``documented`` line (the argument's line ``line``) against the printed line most like
    it; None if none has its words. An epoch's line is matched to the printed line of that epoch."""
    entry = logfmt.parse_epoch_line(documented)
    if entry is not None:
        got = _epochs(printed).get(str(entry.epoch))
        w_at = documented.index(f"w = {entry.w}") + len("w = ")
        loss_at = documented.rindex(f"loss = {entry.loss}") + len("loss = ")
        return [
            Number(cell, str(entry.epoch), "w", entry.w, "" if got is None else got.w, (line, w_at)),
            Number(cell, str(entry.epoch), "loss", entry.loss, "" if got is None else got.loss, (line, loss_at)),
        ]
    template = NUMBER.sub("#", documented)
    candidates = [text for text in printed if NUMBER.sub("#", text) == template]
    if not candidates:
        return None
    want = NUMBER.findall(documented)
    best = min(candidates, key=lambda text: sum(a != b for a, b in zip(want, NUMBER.findall(text), strict=True)))
    out = []
    for match, value in zip(NUMBER.finditer(documented), NUMBER.findall(best), strict=True):
        words = documented[: match.start()].rstrip(" =:(").split(", ")[-1]
        out.append(Number(cell, "", words or documented, match[0], value, (line, match.start())))
    return out


def _epochs(printed: list[str]) -> dict[str, logfmt.EpochEntry]:
    return {str(entry.epoch): entry for text in printed if (entry := logfmt.parse_epoch_line(text))}


def _located(numbers: list[Number], argument: Argument, source: list[str]) -> list[Number]:
    """``numbers`` of ``argument`` with their line and offset in the feature file ``source`` (its lines)."""
    step = argument.step
    at: dict[tuple[int, int], tuple[int, int]] = {}
    if argument.kind == "datatable" and step.datatable is not None:
        for r, table_row in enumerate(step.datatable.rows):
            for c, cell in enumerate(table_row.cells):
                at[(r, c)] = (cell.location.line, cell.location.column - 1)
    elif argument.kind == "docstring" and step.docstring is not None:
        opener = next((i for i in range(step.line_number, len(source)) if source[i].strip()[:3] in ('"""', "```")), -1)
        for i, text in enumerate(step.docstring.splitlines()):
            line = opener + 2 + i
            if 0 < line <= len(source) and source[line - 1].endswith(text):
                at.update({(i, k): (line, len(source[line - 1]) - len(text) + k) for k in range(len(text))})
    elif 0 < step.line_number <= len(source) and (name := source[step.line_number - 1].find(step.name)) >= 0:
        at.update({(0, k): (step.line_number, name + argument.at + k) for k in range(len(step.name))})
    out = []
    for n in numbers:
        row, column = at.get(n.slot, (0, 0))
        written = source[row - 1][column : column + len(n.documented)] if row else ""
        out.append(replace(n, row=row, column=column) if written == n.documented else n)
    return out


def _in_table(cell: str, rows: list[list[str]], printed: list[str]) -> list[Number]:
    """The numbers of a table of logged epochs, against the printed rows of those epochs: its header names
    each column, ``epoch`` and the quantities of an epoch's line (w, loss)."""
    header, *body = rows
    got = _epochs(printed)
    numbers = []
    for r, row in enumerate(body, start=1):
        epoch = dict(zip(header, row, strict=True)).get("epoch", "")
        entry = got.get(epoch)
        for c, (quantity, value) in enumerate(zip(header, row, strict=True)):
            if quantity != "epoch":
                now = "" if entry is None else str(getattr(entry, quantity, ""))
                numbers.append(Number(cell, epoch, quantity, value, now, (r, c)))
    return numbers


def of_argument(cell: str, argument: Argument, printed: list[str], source: list[str]) -> list[Number] | None:
    """The numbers a step's documented ``argument`` states, against ``printed``, located in ``source`` (its feature
    file's lines); None for a line not printed."""
    if argument.kind == "datatable":
        assert isinstance(argument.value, list)
        return _located(_in_table(cell, argument.value, printed), argument, source)
    assert isinstance(argument.value, str)
    found = [_in_line(cell, text, printed, i) for i, text in enumerate(argument.value.splitlines())]
    if any(f is None for f in found):
        return None
    return _located([n for f in found for n in f or []], argument, source)


def accepted(argument: str, numbers: list[Number]) -> str:
    """A quoted line or a doc string, with each of ``numbers`` in it replaced by what was printed."""
    lines = argument.split("\n")
    for n in sorted(numbers, key=lambda n: n.slot, reverse=True):
        line, at = n.slot
        lines[line] = lines[line][:at] + n.got + lines[line][at + len(n.documented) :]
    return "\n".join(lines)


def accepted_rows(rows: list[list[str]], numbers: list[Number]) -> list[list[str]]:
    """A table's rows, with each of ``numbers`` in it replaced by what was printed."""
    out = [list(row) for row in rows]
    for n in numbers:
        out[n.slot[0]][n.slot[1]] = n.got
    return out
