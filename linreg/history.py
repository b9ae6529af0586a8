"""The training history every stage records, and the log text rendered from it.

Per epoch e (1-based): ``w`` and ``b`` after the epoch's update, ``loss`` computed before it,
which is what the notes' log lines show. ``logged`` marks the epochs the cell prints.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from linreg import logfmt
from linreg.errors import DivergedError
from linreg.settings import Settings


@dataclass(frozen=True)
class EpochRecord:
    """One epoch: parameters after its update, the loss before it."""

    epoch: int
    w: float
    loss: float
    b: float | None = None


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


@dataclass
class History:
    """What one run printed and computed; ``lines()`` is its log, exactly as the cell prints it."""

    settings: Settings
    before: float  # the prediction f(test_x) before training
    after: float | None = None  # the prediction after training; None until training ends
    epochs: list[EpochRecord] = field(default_factory=list)
    shape: tuple[int, int] | None = None  # (n_samples, n_features), printed by the nn cells
    start: tuple[float, ...] = ()  # the parameters training started from, as the cell held them
    data_pass: DataPass | None = None  # stage stats: what its one pass over the data read

    def record(self, epoch: int, w: float, loss: float, b: float | None = None) -> None:
        """Append epoch ``epoch``; raise ``DivergedError`` when anything became non-finite."""
        values = (w, loss) if b is None else (w, loss, b)
        if not all(math.isfinite(v) for v in values):
            s = self.settings
            msg = (
                f"training diverged at epoch {epoch} (loss {loss!r}, w {w!r}) with learning rate {s.lr:g}: "
                f"the largest stable learning rate for this data is {s.stable_lr:.6g}; use a smaller --lr"
            )
            raise DivergedError(msg, self)
        self.epochs.append(EpochRecord(epoch, w, loss, b))
        if self.settings.progress is not None:
            self.settings.progress(epoch)

    def is_logged(self, epoch: int) -> bool:
        """Whether the cell prints epoch ``epoch`` (1-based)."""
        return (epoch - 1) % self.settings.log_every == 0

    @property
    def logged(self) -> list[EpochRecord]:
        """The epochs the cell prints."""
        return [r for r in self.epochs if self.is_logged(r.epoch)]

    def log_rows(self) -> list[tuple[str, str, str]]:
        """The logged epochs as printed: (epoch, w, loss) strings."""
        return [logfmt.epoch_fields(r.epoch, r.w, r.loss) for r in self.logged]

    def lines(self) -> list[str]:
        """The cell's printed output, line by line (up to the last recorded epoch when it diverged)."""
        s = self.settings
        out = [] if self.shape is None else [logfmt.shape_line(*self.shape)]
        out.append(logfmt.prediction_line("before", s.test_x, self.before))
        out += [logfmt.epoch_line(r.epoch, r.w, r.loss) for r in self.logged]
        if self.after is not None:
            out.append(logfmt.prediction_line("after", s.test_x, self.after))
        return out

    def gap(self, other: History) -> float:
        """The largest difference from ``other``'s w, b and loss at any epoch, each relative to that
        quantity's scale in ``other`` (its largest magnitude over the run). Runs of different length: inf."""
        if len(self.epochs) != len(other.epochs):
            return math.inf
        gaps = [0.0]
        for name in ("w", "b", "loss"):
            mine = [getattr(r, name) or 0.0 for r in self.epochs]
            theirs = [getattr(r, name) or 0.0 for r in other.epochs]
            scale = max((abs(v) for v in theirs), default=0.0) or 1.0
            gaps += [abs(a - b) / scale for a, b in zip(mine, theirs, strict=True)]
        return max(gaps)

    def to_json(self) -> dict[str, Any]:
        """The whole history, every epoch, as plain JSON types."""
        s = self.settings
        return {
            "stage": s.stage,
            "settings": {
                "lr": s.lr,
                "epochs": s.epochs,
                "log_every": s.log_every,
                "x": None if s.data else list(s.x),
                "y": None if s.data else list(s.y),
                "data": s.data,
                "init": list(s.init),
                "seed": s.seed,
                "test_x": s.test_x,
                "gradient": s.gradient,
                "device": s.device,
            },
            "shape": None if self.shape is None else list(self.shape),
            "start": list(self.start),
            "prediction_before": self.before,
            "epochs": [
                {"epoch": r.epoch, "w": r.w, "b": r.b, "loss": r.loss, "logged": self.is_logged(r.epoch)}
                for r in self.epochs
            ],
            "prediction_after": self.after,
            "data_pass": None if self.data_pass is None else vars(self.data_pass),
        }
