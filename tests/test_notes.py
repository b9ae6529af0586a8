"""The notes are in the repository: notes/notes.ipynb is the export notes/000_475fdfe8b569e998.txt, cell for cell.

The notebook is made by ``python -m notes.convert``; it is the export's when it prints the export back
byte for byte, is what the script writes today, and is a valid nbformat 4 notebook Jupyter opens.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from notes.convert import EXPORT, NOTEBOOK, dumps, export, parse


def test_the_notebook_prints_the_export_back_byte_for_byte() -> None:
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert export(notebook) == EXPORT.read_text(encoding="utf-8")


def test_the_notebook_is_what_the_converter_writes() -> None:
    written = dumps(parse(EXPORT.read_text(encoding="utf-8")))
    assert NOTEBOOK.read_text(encoding="utf-8") == written, "notes/notes.ipynb is stale: run python -m notes.convert"


def test_the_notebook_is_valid_nbformat_4() -> None:
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert (notebook["nbformat"], notebook["nbformat_minor"]) == (4, 5)
    nbformat.validate(notebook, version=4)


def test_the_cells_are_the_exports_with_their_counts_and_outputs() -> None:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert [cell["execution_count"] for cell in code] == [None, None, None, 20, 39, 40]
    assert [cell["source"][0] for cell in cells if cell["cell_type"] == "markdown"][:3] == [
        "# Backpropagation\n",
        "##### Building Linear Regression from scrach with numpy\n",
        "#### Traing Linear model with torch\n",
    ]
    outputs = ["".join(cell["outputs"][0]["text"]) for cell in code]
    assert outputs[0] == "tensor(1., grad_fn=<PowBackward0>)\ntensor(-2.)\n"
    assert outputs[3].endswith("epoch 47: w = 1.999, loss = 0.00000963\nepoch 49: w = 1.999, loss =")  # cut off
    assert outputs[5].endswith("Prediction after training: f(5)= 9.766\n")
    assert all(o["output_type"] == "stream" and o["name"] == "stdout" for c in code for o in c["outputs"])


def test_an_export_with_a_code_cell_lacking_its_output_is_refused() -> None:
    with pytest.raises(ValueError, match="a code cell without its output"):
        parse("# Title\n\nIn [1]:\nprint(1)\n")
