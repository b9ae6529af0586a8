"""The living doc read as the notes: each cell's prose and code, and its printed lines, above its scenarios.

Cucumber's html-formatter renders a feature's description as Markdown (tables and raw HTML too).
``describe`` makes that Markdown for one code cell of the notes: the cell's prose, its code as a
Python block, then each line it printed with the feature lines that state it (the map of
``traceability``), then the feature's own description. ``decorate`` puts it into the
gherkinDocument messages of the features named "Cell N — …", so the page shows the notes beside
the scenarios that replay them. The messages' sources stay the feature files as written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from linreg.errors import LinregError, LivingDocError
from linreg.spec import notebook, traceability
from linreg.spec.notebook import CodeCell
from linreg.spec.traceability import Trace

Message = dict[str, Any]
_ATTACHMENT = re.compile(r"!\[([^\]]*)\]\(attachment:[^)]*\)")  # an image the notebook holds inline
_CELL = re.compile(r"Cell (\d+)\b")


def _prose(cell: CodeCell) -> str:
    """The cell's markdown, each image of the notebook's own (which the notes do not hold) named instead."""
    return _ATTACHMENT.sub(r"*(an image of the notes, \1, that their export does not hold)*", cell.prose)


def _fence(text: str, language: str = "") -> str:
    ticks = "`" * max([3, *(len(run) + 1 for run in re.findall(r"`{3,}", text))])
    return f"{ticks}{language}\n{text.rstrip()}\n{ticks}"


def _stated_at(trace: Trace) -> str:
    return ", ".join(s.where.rsplit("/", 1)[-1] for s in trace.stated) or "**stated nowhere**"


def describe(cell: CodeCell, traces: list[Trace], description: str) -> str:
    """A cell's feature description as the notes read: prose, code, printed lines → feature lines, then the spec's."""
    count = "In [ ]" if cell.count is None else f"In [{cell.count}]"
    out = ['<div class="linreg-notes">', "", f"**From the notes: code cell {cell.number}** (`{count}`)", ""]
    if cell.prose:
        out += [_prose(cell), ""]
    out += [_fence(cell.source, "python"), "", "It printed, and the spec states each line at:", ""]
    out += ["| | the notes print | stated at |", "|--:|---|---|"]
    for t in traces:
        cut = " *(cut off in the notes)*" if t.cut else ""
        out.append(f"| {t.line} | `{t.text}`{cut} | {_stated_at(t)} |")
    out += ["", "</div>", "", "**What the spec says:**", "", description.strip("\n")]
    return "\n".join(out)


def decorate(messages: list[Message], notes: Path, features: list[Path], root: Path) -> None:
    """Put the notes into the description of each cell's feature among ``messages`` (in place)."""
    try:
        cells = {cell.number: cell for cell in notebook.read(notes)}
    except LinregError as exc:
        raise LivingDocError(str(exc)) from None
    root = root.resolve()
    paths = {p.resolve().relative_to(root).as_posix(): p for p in features if p.resolve().is_relative_to(root)}
    for envelope in messages:
        document = envelope.get("gherkinDocument")
        feature = document.get("feature") if document else None
        match = _CELL.match(feature.get("name", "")) if feature else None
        if not (document and feature and match) or int(match[1]) not in cells or document["uri"] not in paths:
            continue
        cell = cells[int(match[1])]
        stated = traceability.feature(paths[document["uri"]], root)
        traces = traceability.trace([cell], {cell.number: stated})[0]
        feature["description"] = describe(cell, traces, feature.get("description", ""))
