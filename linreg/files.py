"""Data files read in chunks: a CSV with a header naming x and y, or a .npy array.

CSV: a header ``x,y`` (either order), then one point per row. ``.npy``: an array of shape (N, 2)
whose columns are x and y, of a real dtype; object arrays are refused, never unpickled.
The file is only parsed as numbers; nothing in it is evaluated or executed. ``chunks`` yields
(x, y) float64 arrays of at most ``rows`` points, so memory stays bounded by the chunk size
whatever the file's size. Every problem is a ``DataError`` naming the file and, where there is
one, the row and column.
"""

from __future__ import annotations

import csv
import math
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from tokenize import TokenError
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from linreg import validate
from linreg.errors import DataError

COLUMNS = ("x", "y")
CHUNK_ROWS = 1 << 16  # points per chunk: 1 MiB of float64 x and y
MAX_LINE = 1 << 17  # bytes in one CSV line, far beyond any x,y row; also csv's own limit on a field
Chunk = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]


def npy_rows(path: str) -> int | None:
    """The row count a .npy file's header gives; None for a CSV (``chunks`` checks the file itself)."""
    if not path.endswith(".npy"):
        return None
    try:
        with Path(path).open("rb") as file:
            return _npy_header(file, path)[0][0]
    except OSError:
        return None  # ``chunks`` reports it


def chunks(path: str | Path, rows: int = CHUNK_ROWS) -> Iterator[Chunk]:
    """(x, y) chunks of ``path``, in file order; ``DataError`` for a bad file or fewer than two points."""
    name = str(path)
    try:
        file = Path(path).open("rb")  # noqa: SIM115  (closed below, also when the caller stops early)
    except OSError as exc:
        msg = f"cannot read data file {name!r}: {exc.strerror}; give a CSV file with a header x,y"
        raise DataError(msg) from None
    with file:
        reader = _npy_chunks if name.endswith(".npy") else _csv_chunks
        count = 0
        for chunk in reader(file, name, rows):
            count += len(chunk[0])
            yield chunk
    if count < 2:
        msg = f"data file {name!r} has {count} data row(s): give at least two"
        raise DataError(msg)


def _blocks(file: BinaryIO, name: str, size: int) -> Iterator[bytes]:
    """The file in blocks of whole lines, reading ``size`` bytes at a time: memory stays bounded
    also for a file with no newline at all (``/dev/zero``), which is refused at its first block."""
    pending = b""
    while block := file.read(size):
        if b"\0" in block:
            msg = f"data file {name!r} is binary, not CSV: give a text file with a header x,y"
            raise DataError(msg)
        data = pending + block
        cut = max(data.rfind(b"\n"), data.rfind(b"\r")) + 1  # a line ends in LF, CRLF or CR alone
        if cut:
            yield data[:cut]
        pending = data[cut:]
        if len(pending) > MAX_LINE:
            msg = f"data file {name!r} has a line longer than {MAX_LINE} bytes: give one point per line, x,y"
            raise DataError(msg)
    if pending:
        yield pending


def _csv_chunks(file: BinaryIO, name: str, rows: int) -> Iterator[Chunk]:
    header: list[str] | None = None
    number = 1  # the header is row 1; blank rows are not counted
    for raw in _blocks(file, name, rows * 16):
        try:
            text = raw.decode("utf-8-sig" if header is None else "utf-8")
        except UnicodeDecodeError:
            msg = f"data file {name!r} is not UTF-8 text: give a CSV file with a header x,y"
            raise DataError(msg) from None
        try:
            table = [row for row in csv.reader(text.splitlines()) if any(cell.strip() for cell in row)]
        except csv.Error as exc:  # a field over csv's limit (MAX_LINE), or a quote left open
            msg = f"data file {name!r} after row {number}: {exc}; give one point per line, x,y"
            raise DataError(msg) from None
        if header is None and table:
            header = _header(table.pop(0), name)
        if header is not None and table:
            yield _parse(table, header, name, number)
            number += len(table)
    if header is None:
        msg = f"data file {name!r} is empty: give a header x,y and at least two rows"
        raise DataError(msg)


def _header(row: list[str], name: str) -> list[str]:
    header = [cell.strip() for cell in row]
    if sorted(header) != sorted(COLUMNS):
        msg = f"data file {name!r} has the header {','.join(header)!r}: the header must be exactly x,y"
        raise DataError(msg)
    return header


def _parse(table: list[list[str]], header: list[str], name: str, first: int) -> Chunk:
    """The rows of one chunk as numbers; ``first`` is the row number of ``table[0]`` minus one."""
    columns: dict[str, list[float]] = {c: [] for c in COLUMNS}
    for number, row in enumerate(table, start=first + 1):
        if len(row) != len(header):
            msg = f"data file {name!r} row {number} has {len(row)} cells, the header has {len(header)}"
            raise DataError(msg)
        for column, cell in zip(header, row, strict=True):
            columns[column].append(_number(cell, name, number, column))
    return np.array(columns["x"], dtype=np.float64), np.array(columns["y"], dtype=np.float64)


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


def _npy_header(file: BinaryIO, name: str) -> tuple[tuple[int, ...], np.dtype[Any]]:
    """Shape and dtype from a .npy header; ``DataError`` unless (N, 2), C order, real numbers."""
    fix = "save an array of shape (N, 2), columns x and y, with numpy.save"
    try:
        version = np.lib.format.read_magic(file)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran_order, dtype = read_header(file)
    except (ValueError, SyntaxError, TokenError):  # a header numpy cannot read as a Python dict
        msg = f"data file {name!r} is not a .npy file: {fix}"
        raise DataError(msg) from None
    if dtype.kind not in "fiu" or len(shape) != 2 or shape[1] != 2 or fortran_order:
        msg = f"data file {name!r} holds an array of shape {shape} and dtype {dtype}: {fix} (C order, real numbers)"
        raise DataError(msg)
    info = os.fstat(file.fileno())
    available = info.st_size - file.tell() if stat.S_ISREG(info.st_mode) else None
    validate.npy_rows(name, shape, dtype.itemsize, available)  # before anything is allocated for them
    return shape, dtype


def _npy_chunks(file: BinaryIO, name: str, rows: int) -> Iterator[Chunk]:
    shape, dtype = _npy_header(file, name)
    done = 0
    while done < shape[0]:
        want = min(rows, shape[0] - done)
        block = np.fromfile(file, dtype=dtype, count=2 * want)
        if block.size != 2 * want:
            msg = f"data file {name!r} is cut short: its header says {shape[0]} rows, it holds {done + block.size // 2}"
            raise DataError(msg)
        with np.errstate(over="ignore"):  # a long double's 1e400 becomes inf, refused below as one line
            columns = block.reshape(want, 2).T.astype(np.float64)  # (2, m): x and y, each contiguous
        if not np.isfinite(columns).all():
            row = int(np.flatnonzero(~np.isfinite(columns).all(axis=0))[0])
            column = COLUMNS[0] if not math.isfinite(columns[0, row]) else COLUMNS[1]
            msg = f"data file {name!r} row {done + row + 1}, column {column}: {columns[:, row].tolist()} is not finite"
            raise DataError(msg)
        yield columns[0], columns[1]
        done += want
