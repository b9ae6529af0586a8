"""Every number the notes print is stated by a scenario of its cell's feature, and a gap or a change fails.

The check (linreg.spec.traceability) is run on the notes and features as they are, then on copies:
each printed line with what states it removed from its feature, and each printed number changed in
the notebook. Each copy must fail naming the number. docs/traceability.md must be current.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from linreg.spec import notebook, traceability
from linreg.spec.traceability import CellFeature, Trace
from linreg.spec.tracepage import NOTES, PAGE, markdown

ROOT = Path(__file__).resolve().parent.parent
CELLS = notebook.read(ROOT / NOTES)
STATED = traceability.features(ROOT / "features", ROOT)
TRACES, PROBLEMS = traceability.trace(CELLS, STATED)
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d*)?")


def _feature(cell: int) -> CellFeature:
    found = STATED[cell]
    assert isinstance(found, CellFeature), found
    return found


def test_every_line_the_notes_print_is_stated_by_its_cells_feature() -> None:
    assert PROBLEMS == []
    assert [sum(t.cell == n for t in TRACES) for n in range(1, 7)] == [2, 12, 12, 26, 13, 13]
    assert all(t.stated for t in TRACES)


def test_the_cut_off_line_is_stated_by_the_lines_that_complete_it() -> None:
    (cut,) = [t for t in TRACES if t.cut]
    assert (cut.cell, cut.text) == (4, "epoch 49: w = 1.999, loss =")
    assert {s.text for s in cut.stated} == {"epoch 49: w = 1.999, loss = 0.00000503"}


def test_removing_a_row_fails_naming_its_numbers(tmp_path: Path) -> None:
    """The example of the issue: the row of epoch 9 taken out of cell 2's table."""
    source = ROOT / _feature(2).uri
    copy = tmp_path / _feature(2).uri
    copy.parent.mkdir(parents=True)
    copy.write_text(source.read_text(encoding="utf-8").replace("      | 9     | 1.999 | 0.00001288  |\n", ""))
    problems = traceability.trace(CELLS, {**STATED, 2: traceability.feature(copy, tmp_path)})[1]
    assert problems == [
        "cell 2 of the notes prints 'epoch 9: w = 1.999, loss = 0.00001288' (output line 6):"
        " no scenario of features/1_notes/02_numpy_manual.feature states 9, 1.999, 0.00001288"
    ]


@pytest.mark.parametrize("printed", TRACES, ids=lambda t: f"cell{t.cell}-line{t.line}")
def test_removing_what_states_a_printed_line_fails_naming_its_numbers(printed: Trace, tmp_path: Path) -> None:
    feature = _feature(printed.cell)
    gone = {int(s.where.rsplit(":", 1)[1]) for s in printed.stated}
    lines = (ROOT / feature.uri).read_text(encoding="utf-8").splitlines(keepends=True)
    copy = tmp_path / feature.uri
    copy.parent.mkdir(parents=True)
    copy.write_text("".join(line for n, line in enumerate(lines, start=1) if n not in gone), encoding="utf-8")
    problems = traceability.trace(CELLS, {**STATED, printed.cell: traceability.feature(copy, tmp_path)})[1]
    named = [p for p in problems if f"prints {printed.text!r} (output line {printed.line})" in p]
    assert named, f"removing lines {sorted(gone)} of {feature.uri} went unnoticed: {problems}"
    assert named[0].endswith(", ".join(NUMBER.findall(printed.text)))


def test_changing_any_number_the_notes_print_fails_naming_it() -> None:
    escaped = []
    for cell in CELLS:
        for match in NUMBER.finditer(cell.output):
            digits = match[0]
            last = max(k for k, ch in enumerate(digits) if ch.isdigit())
            changed = digits[:last] + str((int(digits[last]) + 1) % 10) + digits[last + 1 :]
            output = cell.output[: match.start()] + changed + cell.output[match.end() :]
            cells = [replace(c, output=output) if c is cell else c for c in CELLS]
            problems = traceability.trace(cells, STATED)[1]
            if not any(re.search(rf"(?<![\w.]){re.escape(changed)}(?![\w])", p) for p in problems):
                escaped.append(f"cell {cell.number}: {digits} -> {changed}: {problems}")
    assert escaped == []


def test_a_changed_number_in_a_copy_of_the_notebook_names_both_values(tmp_path: Path) -> None:
    notes = json.loads((ROOT / NOTES).read_text(encoding="utf-8"))
    code = [cell for cell in notes["cells"] if cell["cell_type"] == "code"]
    code[1]["outputs"][0]["text"] = [line.replace("0.76800019", "0.76800018") for line in code[1]["outputs"][0]["text"]]
    (tmp_path / "notes.ipynb").write_text(json.dumps(notes), encoding="utf-8")
    problems = traceability.trace(notebook.read(tmp_path / "notes.ipynb"), STATED)[1]
    assert problems == [
        "features/1_notes/02_numpy_manual.feature:30 states 0.76800019 where cell 2 of the notes prints 0.76800018"
        " (output line 3: 'epoch 3: w = 1.872, loss = 0.76800018')"
    ]


def test_a_scenario_off_the_notes_setup_is_not_held_to_the_notes() -> None:
    """Cell 6's seeded start prints f(5)= 0.499: another run, not a difference from the notes' 2.055."""
    assert not any("0.499" in s.text for s in _feature(6).statements)
    assert any(s.text == "Prediction before training: f(5)= 2.055" for s in _feature(6).statements)


def test_the_traceability_page_is_current() -> None:
    page = (ROOT / PAGE).read_text(encoding="utf-8")
    stale = "docs/traceability.md is stale: run python -m linreg.spec.tracepage --write"
    assert page == markdown(CELLS, STATED, TRACES), stale
