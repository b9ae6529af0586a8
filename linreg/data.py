"""Training data from a CSV file: a header naming the columns x and y, then one point per row.

The file is only read and parsed as numbers; nothing in it is evaluated or executed. Every
problem is a ``DataError`` naming the file and, where there is one, the row and column.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from linreg.errors import DataError

COLUMNS = ("x", "y")


def load_csv(path: str | Path) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(x, y) from ``path``: header ``x,y``, at least two rows of finite numbers."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        msg = f"cannot read data file {name!r}: {exc.strerror}; give a CSV file with a header x,y"
        raise DataError(msg) from None
    if b"\0" in raw:
        msg = f"data file {name!r} is binary, not CSV: give a text file with a header x,y"
        raise DataError(msg)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        msg = f"data file {name!r} is not UTF-8 text: give a CSV file with a header x,y"
        raise DataError(msg) from None
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        msg = f"data file {name!r} is empty: give a header x,y and at least two rows"
        raise DataError(msg)
    header = [cell.strip() for cell in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS]
    if missing or extra or len(header) != len(COLUMNS):
        msg = f"data file {name!r} has columns {header}: the header must be exactly x,y"
        raise DataError(msg)
    points = rows[1:]
    if len(points) < 2:
        msg = f"data file {name!r} has {len(points)} data row(s): give at least two"
        raise DataError(msg)
    columns: dict[str, list[float]] = {c: [] for c in COLUMNS}
    for number, row in enumerate(points, start=2):
        if len(row) != len(header):
            msg = f"data file {name!r} row {number} has {len(row)} cells, the header has {len(header)}"
            raise DataError(msg)
        for column, cell in zip(header, row, strict=True):
            columns[column].append(_number(cell, name, number, column))
    return tuple(columns["x"]), tuple(columns["y"])


def _number(cell: str, name: str, row: int, column: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        msg = f"data file {name!r} row {row}, column {column}: {cell.strip()!r} is not a number"
        raise DataError(msg) from None
    if not math.isfinite(value):
        msg = f"data file {name!r} row {row}, column {column}: {cell.strip()!r} is not finite"
        raise DataError(msg)
    return value
