"""The points a run trains on (``Data``): the notes' own, x and y given, or a file read in chunks.

Every stage reads its points through ``Data.arrays(dtype)`` (whole, as arrays of the dtype it
computes in) or ``Data.chunks()`` / ``Data.summarise()`` (float64 chunks, for stage stats); no
point is ever a Python object. Files are read by ``linreg.files``.

In a data-parallel run a worker's ``Data`` carries its ``Shard`` (made by ``linreg.scale.parallel``):
the rows it holds, and how its sums, gradients and loss become the whole data's. The stages do not
look at it; ``arrays``, ``summarise`` and the torch cells' recorder do.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from linreg import validate
from linreg.errors import DataError, SettingsError
from linreg.files import CHUNK_ROWS, Chunk, chunks, npy_rows

if TYPE_CHECKING:
    from collections.abc import Iterable

    import torch

F32 = npt.NDArray[np.float32]  # the array types every module uses
F64 = npt.NDArray[np.float64]


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
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported by ``summarise``
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


class Shard(Protocol):
    """One worker's part of the points in a data-parallel run, and the way back to the whole data."""

    def rows(self, n: int) -> slice:
        """This worker's rows of ``n`` points (of the whole data, or of one chunk of a file)."""
        ...

    def sums(self, sums: Sums) -> Sums:
        """The whole data's sums from this worker's: summed over the workers."""
        ...

    def join(self, parameters: Iterable[torch.Tensor]) -> None:
        """From now on each backward leaves the whole data's gradient in these parameters' ``.grad``."""
        ...

    def loss(self, loss: torch.Tensor) -> torch.Tensor:
        """The whole data's loss from this worker's (a mean over its rows)."""
        ...


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
    shard: Shard | None = field(default=None, repr=False)  # a worker's part of a data-parallel run; None: all

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

    def sharded(self, shard: Shard) -> Data:
        """The same points as one worker of a data-parallel run holds them: its ``shard``."""
        return Data(self.source, self.path, self.x64, self.y64, shard)

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
        rows = npy_rows(self.path)
        return int(self.sums().n) if rows is None else rows

    def arrays(self, dtype: type[np.floating[Any]]) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        """x and y as arrays of ``dtype``, shape (N,) each: every value rounded once from float64.
        ``DataError`` for a value beyond ``dtype``'s range (1e308 is finite, but not in float32).
        A shard's: its contiguous rows of them, views of the whole data's arrays."""
        x, y = self._all(dtype)
        if self.shard is None:
            return x, y
        rows = self.shard.rows(len(x))
        return x[rows], y[rows]

    def _all(self, dtype: type[np.floating[Any]]) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        """Every point's x and y as arrays of ``dtype`` (``arrays``)."""
        if self.x64 is not None and self.y64 is not None:
            if dtype is np.float64:
                return self.x64, self.y64
            return self._rounded(self.x64, self.y64, dtype, 0)
        assert self.path is not None
        rows = npy_rows(self.path)
        total = NO_SUMS  # the file is read once: its sums are kept for the stable learning rate
        if rows is None:  # a CSV: its length is known only at its end
            parts, done = [], 0
            for x, y in chunks(self.path):
                parts.append(self._rounded(x, y, dtype, done))
                total, done = total + Sums.of(x, y), done + len(x)
            self._remember(total)
            return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
        x_out, y_out = np.empty(rows, dtype=dtype), np.empty(rows, dtype=dtype)  # (N,), (N,)
        done = 0
        for x, y in chunks(self.path):  # (m,) float64 each: one chunk at a time beside the result
            rows_now = slice(done, done + len(x))
            with np.errstate(over="ignore"):  # an overflow is reported by _in_range, as one line
                x_out[rows_now], y_out[rows_now] = x, y
            self._in_range(x, y, x_out[rows_now], y_out[rows_now], done)
            total, done = total + Sums.of(x, y), done + len(x)
        self._remember(total)
        return x_out, y_out

    def _remember(self, sums: Sums) -> None:
        """Keep the sums of a file just read: its stable learning rate and length need no second read
        (a FIFO, ``<(…)``, cannot be read twice)."""
        if self.path is not None:
            object.__setattr__(self, "_sums_read", sums)

    def _rounded(
        self, x: F64, y: F64, dtype: type[np.floating[Any]], first: int
    ) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        """``x`` and ``y`` (points ``first`` + 1 on) rounded to ``dtype``, each value in its range."""
        with np.errstate(over="ignore"):  # an overflow is reported by _in_range, as one line
            xs, ys = x.astype(dtype), y.astype(dtype)
        return self._in_range(x, y, xs, ys, first)

    def _in_range(
        self, x: F64, y: F64, xs: npt.NDArray[Any], ys: npt.NDArray[Any], first: int
    ) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        """``(xs, ys)``, the rounded ``x`` and ``y``, unless some value is out of the stage's domain there."""
        validate.points(self.source, x, y, xs, ys, first)
        return xs, ys

    def chunks(self, rows: int = CHUNK_ROWS) -> Iterator[Chunk]:
        """(x, y) float64 chunks of at most ``rows`` points, in order: memory bounded by ``rows``."""
        if self.x64 is not None and self.y64 is not None:
            for start in range(0, len(self.x64), rows):
                yield self.x64[start : start + rows], self.y64[start : start + rows]
        else:
            assert self.path is not None
            yield from chunks(self.path, rows)

    def sums(self) -> Sums:
        """n, Σx, Σy, Σx², Σxy, Σy² of every point, in one pass (a file's, from its last read). A shard's
        too are the whole data's, read by this worker alone (no other worker need ask at the same time)."""
        read: Sums | None = getattr(self, "_sums_read", None)
        if read is not None:
            return read
        return self.summarise()[0] if self.shard is None else Data(self.source, self.path, self.x64, self.y64).sums()

    def summarise(self) -> tuple[Sums, DataPass]:
        """One pass over the points, chunk by chunk: their sums, and what the pass read.
        ``DataError`` when a sum overflows float64 (x = 1e200 is finite, x² is not).
        A shard reads every chunk and sums its own rows of each; the workers' sums are then added up."""
        total, count, points, peak = NO_SUMS, 0, 0, 0
        for x, y in self.chunks():  # (m,), (m,) float64 with m <= CHUNK_ROWS
            rows = slice(None) if self.shard is None else self.shard.rows(len(x))
            total = total + Sums.of(x[rows], y[rows])
            count, points, peak = count + 1, points + len(x), max(peak, x.nbytes + y.nbytes)
        if self.shard is not None:
            total = self.shard.sums(total)
        if not np.isfinite(total.array()).all():
            msg = f"{self.source}: the sums of x², x·y or y² overflow float64; rescale the data"
            raise DataError(msg)
        self._remember(total)
        return total, DataPass(points, count, peak)

    def stable_lr(self, *, has_bias: bool, notes_gradient: bool = False) -> float:
        """2/λmax of the MSE's Hessian on these points (a shard's: the whole data's): GD diverges above
        this learning rate."""
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
        with np.errstate(over="ignore"):  # a float128's 1e400 becomes inf, refused below
            column = values.astype(np.float64)  # a copy: the caller's array may change, the data must not
    elif isinstance(values, str | bytes | Mapping | AbstractSet) or not isinstance(values, Sequence | np.ndarray):
        msg = f"{name} must be a sequence of numbers, got {values!r}"
        raise SettingsError(msg)
    elif isinstance(values, np.ndarray) and values.ndim != 1:
        msg = f"{name} must be a flat sequence of numbers, got an array of shape {values.shape}"
        raise SettingsError(msg)
    else:
        column = np.array(validate.numbers(name, values), dtype=np.float64)
    if column.ndim != 1:
        msg = f"{name} must be a flat sequence of numbers, got an array of shape {column.shape}"
        raise SettingsError(msg)
    bad = np.flatnonzero(~np.isfinite(column))
    if len(bad):
        msg = f"{name} contains {float(column[bad[0]])!r}: every value must be a finite number"
        raise SettingsError(msg)
    column.flags.writeable = False
    return column
