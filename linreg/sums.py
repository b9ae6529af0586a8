"""What a pass over the data yields: its sufficient statistics (``Sums``: n, Σx, Σy, Σx², Σxy, Σy², which
add up over parts, so chunks and workers can each sum their own), and what the pass read (``DataPass``).

Every sum is float64 and a BLAS dot product; an overflow is reported by ``Data.summarise``, as one line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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
