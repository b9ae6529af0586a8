"""The notes' six code cells and their printed outputs, parsed from the notebook export.

An export cell is a line ``In [..]:``, the code, three or more blank lines, then what the cell
printed (no blank line inside it), then a blank line and the next markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

NOTES = Path(__file__).resolve().parents[2] / "shared" / "notes" / "000_475fdfe8b569e998.txt"


@dataclass(frozen=True)
class Cell:
    """One code cell: its source and the output the notes show."""

    code: str
    output: str


def cells(path: Path = NOTES) -> list[Cell]:
    """The code cells of the export at ``path``, in order."""
    text = path.read_text(encoding="utf-8")
    found = []
    for part in re.split(r"^In \[[^\]]*\]:\n", text, flags=re.MULTILINE)[1:]:
        code, _, rest = re.split(r"(\n\s*\n\s*\n\s*\n)", part, maxsplit=1)
        output = rest.lstrip("\n").split("\n\n", 1)[0]
        found.append(Cell(code.rstrip() + "\n", output.rstrip("\n") + "\n"))
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
