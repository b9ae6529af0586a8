"""A Jupyter notebook's code cells, each with the prose before it and what it printed.

The spec reads the notes as a notebook (nbformat 4, a JSON file): ``traceability`` finds every line
a cell printed in the features, and the living doc shows each cell's prose and code beside its
scenarios. Only the standard library reads it: the notebook is JSON, its texts strings or lists of
lines, its printed output the ``stream`` outputs (stdout) of each code cell.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linreg.errors import LinregError


@dataclass(frozen=True)
class CodeCell:
    """One code cell of the notes: the prose above it, its code, and what it printed."""

    number: int  # 1 for the notebook's first code cell
    count: int | None  # the execution count the notebook shows: In [20], or None for In [ ]
    prose: str  # the markdown cells between the previous code cell and this one
    source: str
    output: str  # the stdout it printed, as the notebook holds it (it may end mid-line)

    @property
    def printed(self) -> list[str]:
        """The output's lines, without their newlines."""
        return self.output.splitlines()

    @property
    def cut(self) -> bool:
        """Whether the output stops mid-line (the notebook holds it cut off)."""
        return bool(self.output) and not self.output.endswith("\n")


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def cells(notebook: dict[str, Any]) -> list[CodeCell]:
    """The code cells of an nbformat 4 notebook, in order."""
    found: list[CodeCell] = []
    prose: list[str] = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            prose.append(_text(cell.get("source", "")).strip("\n"))
        elif cell.get("cell_type") == "code":
            streams = (o for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o["name"] == "stdout")
            output = "".join(_text(o.get("text", "")) for o in streams)
            source = _text(cell.get("source", ""))
            found.append(CodeCell(len(found) + 1, cell.get("execution_count"), "\n\n".join(prose), source, output))
            prose = []
    return found


def read(path: Path) -> list[CodeCell]:
    """The code cells of the notebook file at ``path``."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"{path}: not a readable Jupyter notebook: {exc}"
        raise LinregError(msg) from None
    version = notebook.get("nbformat") if isinstance(notebook, dict) else None
    if version != 4:
        msg = f"{path}: nbformat {version!r}; the spec reads nbformat 4 notebooks"
        raise LinregError(msg)
    return cells(notebook)
