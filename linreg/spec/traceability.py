"""Every line the notes print, and the scenario that states it: ``python -m linreg.spec.traceability``.

Cell N's feature is the one named "Cell N — …". Its scenarios that run the notes' own setup (the
Given steps of its first scenario, which replays the notes) state printed lines three ways: a table
| epoch | w | loss | (each row the line ``epoch E: w = W, loss = L``), a quoted line (``it prints
"…"``, ``the first line printed is "…"``), and a docstring under a step ending in ``prints:``.

A printed line and a stated one are about the same thing when they agree once the numbers after
``= `` are blanked (``epoch 9: w = #, loss = #``): the epoch, the input f(5), the words. ``check``
fails naming each printed number that no scenario states and each number a scenario states that
the notes print differently. A line the notes cut off is stated by any line it begins; the numbers
they never printed (cell 4's last loss) are the feature's to complete, not a difference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pytest_bdd.parser import FeatureParser, ScenarioTemplate

from linreg.spec.notebook import CodeCell

_FEATURE = re.compile(r"^\s*Feature:(.*)$", re.MULTILINE)
_CELL = re.compile(r"\s*Cell (\d+)\b")
_QUOTED = re.compile(r'(?:it prints|the first line printed is) "(.*)"')
_VALUE = re.compile(r"(?<== )-?\d+(?:\.\d*)?(?:e-?\d+)?")  # a number after "= ": what a line reports
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d*)?(?:e-?\d+)?")  # every number of a line


@dataclass(frozen=True)
class Statement:
    """A line a scenario says the cell prints, and where: ``features/1_notes/02_numpy_manual.feature:30``."""

    text: str
    where: str


@dataclass(frozen=True)
class Trace:
    """One line a cell of the notes prints, and the statements that agree with it."""

    cell: int
    line: int  # of the cell's output, from 1
    text: str
    cut: bool  # the notes cut this line off
    stated: tuple[Statement, ...]


def _key(text: str) -> str:
    """The line with the numbers it reports blanked: what it is about."""
    return _VALUE.sub("#", text)


def _uri(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` where it is below it, as a feature file is named in the spec."""
    path, root = path.resolve(), root.resolve()
    return (path.relative_to(root) if path.is_relative_to(root) else path).as_posix()


def cell_features(folder: Path) -> dict[int, list[Path]]:
    """Cell number → the feature files below ``folder`` whose feature is named "Cell N — …" (one, in a sound spec)."""
    found: dict[int, list[Path]] = {}
    for path in sorted(folder.rglob("*.feature")):
        feature = _FEATURE.search(path.read_text(encoding="utf-8"))  # the first: a docstring's come later
        cell = _CELL.match(feature[1]) if feature else None
        if cell:
            found.setdefault(int(cell[1]), []).append(path)
    return found


def _docstring_start(lines: list[str], step_line: int) -> int:
    """The file line (from 1) of the first line inside the docstring of the step at ``step_line``."""
    fence = next(i for i in range(step_line, len(lines)) if lines[i].strip().startswith(('"""', "```")))
    return fence + 2


def _stated(scenario: ScenarioTemplate, lines: list[str], uri: str) -> list[Statement]:
    out: list[Statement] = []
    for step in scenario.steps:
        if step.type != "then":
            continue
        quoted = _QUOTED.fullmatch(step.name)
        if quoted:
            out.append(Statement(quoted[1], f"{uri}:{step.line_number}"))
        if step.name.endswith("prints:") and step.docstring is not None:
            start = _docstring_start(lines, step.line_number)
            out += [Statement(t, f"{uri}:{start + i}") for i, t in enumerate(step.docstring.splitlines())]
        table = step.datatable
        if table is not None and [c.value for c in table.rows[0].cells] == ["epoch", "w", "loss"]:
            for row in table.rows[1:]:
                epoch, w, loss = (c.value for c in row.cells)
                out.append(Statement(f"epoch {epoch}: w = {w}, loss = {loss}", f"{uri}:{row.location.line}"))
    return out


@dataclass(frozen=True)
class CellFeature:
    """The feature of one cell: its file, its name, and what its scenarios of the notes' setup state."""

    uri: str
    name: str
    statements: tuple[Statement, ...]


def feature(path: Path, root: Path) -> CellFeature:
    """What the scenarios of the feature at ``path`` that run the notes' setup say the cell prints."""
    uri = _uri(path, root)
    parsed = FeatureParser(str(path.parent), path.name).parse()
    scenarios = list(parsed.scenarios.values())
    lines = path.read_text(encoding="utf-8").splitlines()

    def setup(scenario: ScenarioTemplate) -> tuple[str, ...]:
        return tuple(step.name for step in scenario.steps if step.type == "given")

    said = [s for sc in scenarios if setup(sc) == setup(scenarios[0]) for s in _stated(sc, lines, uri)]
    return CellFeature(uri, parsed.name, tuple(said))


def features(folder: Path, root: Path) -> dict[int, CellFeature | str]:
    """Cell number → its feature below ``folder``, or why there is not exactly one."""
    out: dict[int, CellFeature | str] = {}
    for number, paths in cell_features(folder).items():
        if len(paths) == 1:
            out[number] = feature(paths[0], root)
        else:
            named = ", ".join(_uri(p, root) for p in paths)
            out[number] = f"cell {number} of the notes needs one feature named 'Cell {number} — …', not {named}"
    return out


def _about(printed: str, cut: bool, stated: str) -> bool:
    return _key(stated).startswith(_key(printed)) if cut else _key(stated) == _key(printed)


def trace(cells: list[CodeCell], stated: dict[int, CellFeature | str]) -> tuple[list[Trace], list[str]]:
    """The map of every printed line to the statements that agree with it, and what fails to trace."""
    traces: list[Trace] = []
    problems: list[str] = []
    for cell in cells:
        missing = f"cell {cell.number} of the notes has no feature named 'Cell {cell.number} — …'"
        found = stated.get(cell.number, missing)
        if isinstance(found, str):
            problems.append(found)
            continue
        for n, text in enumerate(cell.printed, start=1):
            cut = cell.cut and n == len(cell.printed)
            values = _VALUE.findall(text)
            about = [s for s in found.statements if _about(text, cut, s.text)]
            if not about:
                numbers = ", ".join(_NUMBER.findall(text)) or "its text"
                problems.append(
                    f"cell {cell.number} of the notes prints {text!r} (output line {n}):"
                    f" no scenario of {found.uri} states {numbers}"
                )
            agree: list[Statement] = []
            for statement in about:
                moved = [(h, w) for h, w in zip(values, _VALUE.findall(statement.text), strict=False) if h != w]
                problems += [
                    f"{statement.where} states {want} where cell {cell.number} of the notes prints {have}"
                    f" (output line {n}: {text!r})"
                    for have, want in moved
                ]
                if not moved:
                    agree.append(statement)
            traces.append(Trace(cell.number, n, text, cut, tuple(agree)))
    return traces, problems


def check(cells: list[CodeCell], folder: Path, root: Path) -> tuple[list[Trace], list[str]]:
    """``trace`` against the cells' features below ``folder`` (file names relative to ``root``)."""
    return trace(cells, features(folder, root))
