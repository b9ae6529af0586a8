"""The notes as a Jupyter notebook, made from the text export they came as, and written back to it.

    python -m notes.convert    # notes/notes.ipynb from notes/000_475fdfe8b569e998.txt

The export is the notebook printed as text: its cells in order, each followed by a blank line
("\\n\\n") but the last. A markdown cell is its source. A code cell is ``In [20]:`` (``In [None]:``
where it holds no count), its source, three blank lines ("\\n\\n\\n\\n"), then what it printed,
which holds no blank line. The cell printed with ``print``, so its output ends in a newline, but
for cell 4's, cut off in the notes mid-line. ``parse`` reads the export; ``export`` writes a
notebook back as that text. The notebook is the export's when it writes the export back byte for
byte (tests/test_notes.py checks it, and that notes/notes.ipynb is what this script writes).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
EXPORT = HERE / "000_475fdfe8b569e998.txt"  # the notes as they were handed over, unchanged
NOTEBOOK = HERE / "notes.ipynb"
_IN = re.compile(r"^In \[(\d+|None)\]:\n", re.MULTILINE)
_GAP = "\n\n\n\n"  # between a code cell's source and its output

Cell = dict[str, Any]


def _lines(text: str) -> list[str]:
    """``text`` as nbformat stores it, in lines that keep their newline."""
    return text.splitlines(keepends=True)


def _markdown(source: str, number: int) -> Cell:
    return {"cell_type": "markdown", "id": f"markdown-{number}", "metadata": {}, "source": _lines(source)}


def _code(count: str, source: str, output: str, number: int) -> Cell:
    return {
        "cell_type": "code",
        "execution_count": None if count == "None" else int(count),
        "id": f"code-{number}",
        "metadata": {},
        "outputs": [{"name": "stdout", "output_type": "stream", "text": _lines(output)}],
        "source": _lines(source),
    }


def _split_code(part: str) -> tuple[str, str, str]:
    """A code cell's (source, output, the markdown after it) from the export's text between two ``In [..]:``."""
    gap = re.search(r"\n{4,}", part)
    if gap is None:
        msg = f"a code cell without its output: {part[:60]!r}"
        raise ValueError(msg)
    source = part[: gap.start()] + "\n" * (len(gap[0]) - len(_GAP))
    after = part[gap.end() :]
    blank = after.find("\n\n")
    if blank == -1:  # the last cell
        return source, after, ""
    if after.startswith("\n\n\n", blank):  # the output's own newline, then the blank line between cells
        return source, after[: blank + 1], after[blank + 3 :]
    return source, after[:blank], after[blank + 2 :]  # an output cut off mid-line


def parse(text: str) -> dict[str, Any]:
    """The nbformat 4 notebook that the export ``text`` prints."""
    parts = _IN.split(text)  # markdown, then (count, the text up to the next ``In [..]:``) per code cell
    cells: list[Cell] = []
    markdown = parts[0].removesuffix("\n\n") if len(parts) > 1 else parts[0]
    for n, (count, part) in enumerate(zip(parts[1::2], parts[2::2], strict=True), start=1):
        if markdown:
            cells.append(_markdown(markdown, sum(c["cell_type"] == "markdown" for c in cells) + 1))
        last = n == len(parts) // 2
        source, output, markdown = _split_code(part if last else part.removesuffix("\n\n"))
        cells.append(_code(count, source, output, n))
    if markdown:
        cells.append(_markdown(markdown, sum(c["cell_type"] == "markdown" for c in cells) + 1))
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def export(notebook: dict[str, Any]) -> str:
    """The notebook as the export prints it: the inverse of ``parse``."""
    out = []
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] != "code":
            out.append(source)
            continue
        count = "None" if cell["execution_count"] is None else cell["execution_count"]
        printed = "".join("".join(o.get("text", "")) for o in cell["outputs"] if o["output_type"] == "stream")
        out.append(f"In [{count}]:\n{source}{_GAP}{printed}")
    return "\n\n".join(out)


def dumps(notebook: dict[str, Any]) -> str:
    """The notebook's file, as Jupyter writes one: one-space indent, keys sorted, a final newline."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    notes = parse(EXPORT.read_text(encoding="utf-8"))
    back = export(notes)
    if back != EXPORT.read_text(encoding="utf-8"):
        msg = f"{EXPORT.name}: the notebook made of it does not print it back; the export's format changed?"
        raise SystemExit(msg)
    NOTEBOOK.write_text(dumps(notes), encoding="utf-8")
    print(f"{NOTEBOOK}: {len(notes['cells'])} cells")
