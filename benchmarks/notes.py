"""The notes' six code cells and their printed outputs, read from the notebook notes/notes.ipynb."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

NOTES = Path(__file__).resolve().parents[1] / "notes" / "notes.ipynb"


@dataclass(frozen=True)
class Cell:
    """One code cell: its source and the output the notes show."""

    code: str
    output: str


def cells(path: Path = NOTES) -> list[Cell]:
    """The code cells of the notebook at ``path``, in order."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            output = "".join("".join(o["text"]) for o in cell["outputs"] if o["output_type"] == "stream")
            found.append(Cell("".join(cell["source"]).rstrip() + "\n", output.rstrip("\n") + "\n"))
    return found


def script(path: Path = NOTES) -> str:
    """The six cells as one plain Python script."""
    return "\n\n".join(cell.code for cell in cells(path))


def notebook(path: Path = NOTES) -> dict[str, object]:
    """The six cells as an nbformat 4 notebook holding the notes' outputs, for nbval to compare."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "cells": [
            {
                "cell_type": "code",
                "id": f"cell{number}",
                "execution_count": number,
                "metadata": {},
                "source": cell.code,
                "outputs": [{"output_type": "stream", "name": "stdout", "text": cell.output}],
            }
            for number, cell in enumerate(cells(path), start=1)
        ],
    }
