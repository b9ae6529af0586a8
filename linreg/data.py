"""The points a run trains on (``Data``): the notes' own, x and y given, or a file read in chunks.

Every stage reads its points through ``Data.arrays(dtype)`` (whole, as arrays of the dtype it
computes in) or ``Data.chunks()`` (float64 chunks, for stage stats); no point is ever a Python object.
Files: a CSV with a header naming x and y, or a .npy array.
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
from collections.abc import Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from linreg.errors import DataError, SettingsError

COLUMNS = ("x", "y")
CHUNK_ROWS = 1 << 16  # points per chunk: 1 MiB of float64 x and y
F32 = npt.NDArray[np.float32]  # the array types every module uses
F64 = npt.NDArray[np.float64]
Chunk = tuple[F64, F64]


@dataclass(frozen=True)
class Sums:
    """The sufficient statistics of a data set, or of a part of it (sums of parts add up)."""

    n: float
    sx: float
    sy: float
    sxx: float
    sxy: float
    syy: float

    @classmethod
    def of(cls, x: F64, y: F64) -> Sums:
        """The sums of one chunk, float64: x and y of shape (m,). Every sum is a BLAS dot product."""
        ones = np.ones_like(x)  # (m,): Σx = x·1 is faster than x.sum() and as exact
        return cls(float(len(x)), float(x @ ones), float(y @ ones), float(x @ x), float(x @ y), float(y @ y))

    def __add__(self, other: Sums) -> Sums:
        return Sums(*(self.array() + other.array()).tolist())

    def array(self) -> F64:
        """The six sums as a float64 array of shape (6,), e.g. to all-reduce across workers."""
        return np.array([self.n, self.sx, self.sy, self.sxx, self.sxy, self.syy], dtype=np.float64)


NO_SUMS = Sums(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class DataPass:
    """What one pass over the data read (stage stats): points, chunks, and the most bytes held at once."""

    points: int
    chunks: int
    peak_bytes: int  # float64 x and y of the largest chunk: the memory the data took, whatever its size

    def line(self, source: str) -> str:
        """``read 4 points from …``: the report ``linreg run stats`` prints on stderr."""
        mib = self.peak_bytes / 2**20
        return f"read {self.points} points from {source} in {self.chunks} chunk(s), at most {mib:.2f} MiB at a time"


@dataclass(frozen=True, eq=False)
class Data:
    """The points one run trains on, and where they came from.

    In memory (the notes' points, or x and y given): read-only float64 arrays. A file: read when a
    stage asks, chunk by chunk, straight into the dtype the stage computes in, so a run holds the
    data once, in that dtype. Every stage reads its points through ``arrays`` or ``chunks``.
    """

    source: str  # how messages name the points: "the notes' points", "the given x and y", "data file 'a.npy'"
    path: str | None = None  # the file the points are read from, on demand; None: they are in memory
    x64: F64 | None = field(default=None, repr=False)  # in memory: x, float64, read-only
    y64: F64 | None = field(default=None, repr=False)

    @classmethod
    def of(cls, x: object, y: object, source: str = "the given x and y") -> Data:
        """Points in memory: ``x`` and ``y`` sequences (or arrays) of finite numbers, one y per x."""
        xs, ys = _column("x", x), _column("y", y)
        if not len(xs) or not len(ys):
            msg = "x and y must not be empty: give at least one value each, e.g. x=1,2,3,4 y=2,4,6,8"
            raise SettingsError(msg)
        if len(xs) != len(ys):
            msg = f"x has {len(xs)} values but y has {len(ys)}: give one y per x"
            raise SettingsError(msg)
        return cls(source, None, xs, ys)

    @classmethod
    def file(cls, path: str | PurePath) -> Data:
        """The points of a CSV or .npy file, read when a stage asks (``DataError`` then, for a bad file)."""
        return cls(f"data file {str(path)!r}", str(path))

    @property
    def x(self) -> F64:
        """x as float64, shape (N,) (a file is read whole)."""
        return self.arrays(np.float64)[0]

    @property
    def y(self) -> F64:
        """y as float64, shape (N,) (a file is read whole)."""
        return self.arrays(np.float64)[1]

    def __len__(self) -> int:
        """The number of points (a CSV file is read through to count them)."""
        if self.x64 is not None:
            return len(self.x64)
        assert self.path is not None
        rows = _npy_rows(self.path)
        return int(self.sums().n) if rows is None else rows

    def arrays(self, dtype: type[np.floating[Any]]) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        """x and y as arrays of ``dtype``, shape (N,) each: every value rounded once from float64."""
        if self.x64 is not None and self.y64 is not None:
            if dtype is np.float64:
                return self.x64, self.y64
            return self.x64.astype(dtype), self.y64.astype(dtype)
        assert self.path is not None
        rows = _npy_rows(self.path)
        if rows is None:  # a CSV: its length is known only at its end
            parts = [(x.astype(dtype), y.astype(dtype)) for x, y in chunks(self.path)]
            return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
        x_out, y_out = np.empty(rows, dtype=dtype), np.empty(rows, dtype=dtype)  # (N,), (N,)
        done = 0
        for x, y in chunks(self.path):  # (m,) float64 each: one chunk at a time beside the result
            x_out[done : done + len(x)], y_out[done : done + len(y)] = x, y
            done += len(x)
        return x_out, y_out

    def chunks(self, rows: int = CHUNK_ROWS) -> Iterator[Chunk]:
        """(x, y) float64 chunks of at most ``rows`` points, in order: memory bounded by ``rows``."""
        if self.x64 is not None and self.y64 is not None:
            for start in range(0, len(self.x64), rows):
                yield self.x64[start : start + rows], self.y64[start : start + rows]
        else:
            assert self.path is not None
            yield from chunks(self.path, rows)

    def sums(self) -> Sums:
        """n, Σx, Σy, Σx², Σxy, Σy² of every point, in one pass."""
        return self.summarise()[0]

    def summarise(self) -> tuple[Sums, DataPass]:
        """One pass over the points, chunk by chunk: their sums, and what the pass read."""
        total, count, points, peak = NO_SUMS, 0, 0, 0
        for x, y in self.chunks():  # (m,), (m,) float64 with m <= CHUNK_ROWS
            total = total + Sums.of(x, y)
            count, points, peak = count + 1, points + len(x), max(peak, x.nbytes + y.nbytes)
        return total, DataPass(points, count, peak)

    def stable_lr(self, *, has_bias: bool, notes_gradient: bool = False) -> float:
        """2/λmax of the MSE's Hessian on these points: GD diverges above this learning rate."""
        from linreg.theory import stable_lr_of

        s = self.sums()
        return stable_lr_of(s.n, s.sx / s.n, s.sxx / s.n, has_bias=has_bias, notes_gradient=notes_gradient)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Data):
            return NotImplemented
        if self.path is not None or other.path is not None:
            return self.path == other.path
        return bool(np.array_equal(self.x64, other.x64) and np.array_equal(self.y64, other.y64))  # type: ignore[arg-type]

    def __hash__(self) -> int:
        return hash((self.path, None if self.x64 is None else self.x64.tobytes()))


def _column(name: str, values: object) -> F64:
    """``values`` as a read-only float64 array of finite numbers; ``SettingsError`` naming the first bad one."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu" and values.ndim == 1:
        column = values.astype(np.float64)  # a copy: the caller's array may change, the data must not
    elif isinstance(values, str | bytes | Mapping | AbstractSet) or not isinstance(values, Sequence | np.ndarray):
        msg = f"{name} must be a sequence of numbers, got {values!r}"
        raise SettingsError(msg)
    else:
        for value in values:
            if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
                msg = f"every value of {name} must be a number, got {value!r}"
                raise SettingsError(msg)
        column = np.array(values, dtype=np.float64)
    if column.ndim != 1:
        msg = f"{name} must be a flat sequence of numbers, got an array of shape {column.shape}"
        raise SettingsError(msg)
    bad = np.flatnonzero(~np.isfinite(column))
    if len(bad):
        msg = f"{name} contains {float(column[bad[0]])!r}: every value must be a finite number"
        raise SettingsError(msg)
    column.flags.writeable = False
    return column


def _npy_rows(path: str) -> int | None:
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


def _csv_chunks(file: BinaryIO, name: str, rows: int) -> Iterator[Chunk]:
    header: list[str] | None = None
    number = 1  # the header is row 1; blank rows are not counted
    while batch := file.readlines(rows * 16):
        raw = b"".join(batch)
        if b"\0" in raw:
            msg = f"data file {name!r} is binary, not CSV: give a text file with a header x,y"
            raise DataError(msg)
        try:
            text = raw.decode("utf-8-sig" if header is None else "utf-8")
        except UnicodeDecodeError:
            msg = f"data file {name!r} is not UTF-8 text: give a CSV file with a header x,y"
            raise DataError(msg) from None
        table = [row for row in csv.reader(text.splitlines()) if any(cell.strip() for cell in row)]
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
        msg = f"data file {name!r} has columns {header}: the header must be exactly x,y"
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
    except ValueError:
        msg = f"data file {name!r} is not a .npy file: {fix}"
        raise DataError(msg) from None
    if dtype.kind not in "fiu" or len(shape) != 2 or shape[1] != 2 or fortran_order:
        msg = f"data file {name!r} holds an array of shape {shape} and dtype {dtype}: {fix} (C order, real numbers)"
        raise DataError(msg)
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
        columns = block.reshape(want, 2).T.astype(np.float64)  # (2, m): x and y, each contiguous
        if not np.isfinite(columns).all():
            row = int(np.flatnonzero(~np.isfinite(columns).all(axis=0))[0])
            column = COLUMNS[0] if not math.isfinite(columns[0, row]) else COLUMNS[1]
            msg = f"data file {name!r} row {done + row + 1}, column {column}: {columns[:, row].tolist()} is not finite"
            raise DataError(msg)
        yield columns[0], columns[1]
        done += want
