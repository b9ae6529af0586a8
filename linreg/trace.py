"""Every epoch's w, loss and b in bounded memory, for plots and comparisons of runs of any length.

A run of fewer than ``SIZE`` epochs is kept epoch by epoch. Beyond that, epochs are kept in
stretches of 2ᵏ epochs: each stretch keeps its first and last epoch and, for w, loss and b, the
smallest, the largest and the last value. When there are ``SIZE`` stretches, neighbours merge in
pairs (min of mins, max of maxes, the later last), so memory stays at most ``SIZE`` stretches
whatever the number of epochs, and no extreme value is ever lost.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

# One stretch: [first, last, w_min, w_max, w_last, loss_min, loss_max, loss_last, b_min, b_max, b_last];
# a plain list, updated in place, because a long run updates one every epoch. b is nan for w-only models.
Stretch = list[float]
FIELDS = ("first", "last", "w_min", "w_max", "w", "loss_min", "loss_max", "loss", "b_min", "b_max", "b")


class Trace:
    """The summary of every epoch recorded so far (see the module docstring)."""

    SIZE = 8192  # the most stretches kept: runs of fewer epochs are kept exactly

    def __init__(self) -> None:
        self.stride = 1  # epochs per closed stretch: 1 while exact, then doubling
        self.stretches: list[Stretch] = []  # closed stretches, in order
        self.open: Stretch | None = None  # the stretch the latest epochs fill

    def add(self, epoch: int, w: float, loss: float, b: float | None) -> None:
        """Epoch ``epoch``'s values (epochs come in order, one each)."""
        bb = math.nan if b is None else b
        o = self.open
        if o is None:
            o = self.open = [epoch, epoch, w, w, w, loss, loss, loss, bb, bb, bb]
        else:
            o[1], o[4], o[7], o[10] = epoch, w, loss, bb
            o[2], o[3] = min(o[2], w), max(o[3], w)
            o[5], o[6] = min(o[5], loss), max(o[6], loss)
            if b is not None:
                o[8], o[9] = min(o[8], bb), max(o[9], bb)
        if o[1] - o[0] + 1 == self.stride:
            self.stretches.append(o)
            self.open = None
            if len(self.stretches) == self.SIZE:
                self.stretches = [_merge(a, z) for a, z in zip(self.stretches[::2], self.stretches[1::2], strict=True)]
                self.stride *= 2

    @property
    def is_exact(self) -> bool:
        """Whether every epoch is kept one by one."""
        return self.stride == 1

    def _all(self) -> Iterator[Stretch]:
        yield from self.stretches
        if self.open is not None:
            yield self.open

    def exact(self) -> list[tuple[int, float, float, float | None]]:
        """(epoch, w, loss, b) of every epoch; ``ValueError`` once the trace summarises."""
        if not self.is_exact:
            msg = f"this run's epochs are summarised in stretches of {self.stride}: use the history's logged epochs"
            raise ValueError(msg)
        return [(int(s[0]), s[4], s[7], None if math.isnan(s[10]) else s[10]) for s in self._all()]

    def ends(self) -> npt.NDArray[np.float64]:
        """(S, 4): each stretch's last epoch and its last w, loss and b (b nan for w-only models)."""
        rows = [(s[1], s[4], s[7], s[10]) for s in self._all()]
        return np.array(rows, dtype=np.float64).reshape(-1, 4)

    def table(self) -> npt.NDArray[np.float64]:
        """(S, 11): every stretch, columns as ``FIELDS``."""
        return np.array(list(self._all()), dtype=np.float64).reshape(-1, len(FIELDS))

    def to_json(self) -> list[dict[str, Any]]:
        """Every stretch as a dict of ``FIELDS`` (b fields None for w-only models)."""
        out = []
        for s in self._all():
            row: dict[str, Any] = {name: None if math.isnan(v) else v for name, v in zip(FIELDS, s, strict=True)}
            row["first"], row["last"] = int(s[0]), int(s[1])
            out.append(row)
        return out


def _merge(a: Stretch, z: Stretch) -> Stretch:
    """Two neighbouring stretches as one."""
    return [
        a[0], z[1],
        min(a[2], z[2]), max(a[3], z[3]), z[4],
        min(a[5], z[5]), max(a[6], z[6]), z[7],
        min(a[8], z[8]), max(a[9], z[9]), z[10],
    ]  # fmt: skip
