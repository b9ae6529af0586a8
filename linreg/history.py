"""The training history every stage records, and the log text rendered from it.

Per epoch e (1-based): ``w`` and ``b`` after the epoch's update, ``loss`` computed before it,
which is what the notes' log lines show. The history keeps the epochs the cell prints (``logged``)
and a ``Trace`` of every epoch in bounded memory, so a run's memory does not grow with its
epochs beyond its printed lines; watched with ``echo`` (linreg.watch) the printed lines go out
as they are made and are not kept either.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from linreg import logfmt, validate
from linreg.data import DataPass
from linreg.errors import DivergedError
from linreg.trace import Trace
from linreg.watch import Watch
from linreg.watch import current as current_watch

if TYPE_CHECKING:
    from linreg.settings import Settings


@dataclass(frozen=True)
class EpochRecord:
    """One epoch: parameters after its update, the loss before it."""

    epoch: int
    w: float
    loss: float
    b: float | None = None


@dataclass
class History:
    """What one run printed and computed; ``lines()`` is its log, exactly as the cell prints it."""

    settings: Settings
    before: float  # the prediction f(test_x) before training
    after: float | None = None  # the prediction after training; None until ``finish``
    shape: tuple[int, int] | None = None  # (n_samples, n_features), printed by the nn cells
    start: tuple[float, ...] = ()  # the parameters training started from, as the cell held them
    data_pass: DataPass | None = None  # stage stats: what its one pass over the data read
    logged: list[EpochRecord] = field(default_factory=list)  # the epochs the cell prints (none kept with echo)
    trace: Trace = field(default_factory=Trace)  # every epoch, exact below Trace.SIZE epochs, then summarised
    last: EpochRecord | None = None  # the latest epoch recorded
    watch: Watch = field(init=False, repr=False, compare=False)  # set from linreg.watch as the run starts

    def __post_init__(self) -> None:
        self.watch = current_watch()  # who is told of this run as it trains (linreg.watch)
        if self.watch.echo is not None:  # the lines before training, as they are known
            for line in self.lines():
                self.watch.echo(line)

    def record(self, epoch: int, w: float, loss: float, b: float | None = None) -> None:
        """Append epoch ``epoch``; raise ``DivergedError`` when anything became non-finite."""
        if not (math.isfinite(w) and math.isfinite(loss) and (b is None or math.isfinite(b))):
            s = self.settings
            msg = (
                f"training diverged at epoch {epoch} (loss {float(loss)!r}, w {float(w)!r}) with learning rate "
                f"{s.lr:g}: the largest stable learning rate for this data is {s.stable_lr:.6g}; use a smaller --lr"
            )
            raise DivergedError(msg, self)
        record = self.last = EpochRecord(epoch, w, loss, b)
        self.trace.add(epoch, w, loss, b)
        if self.is_logged(epoch):
            if self.watch.echo is None:
                self.logged.append(record)
            else:
                self.watch.echo(logfmt.epoch_line(epoch, w, loss))
        if self.watch.progress is not None:
            self.watch.progress(epoch)

    def finish(self, after: float) -> None:
        """Training ended: the prediction after it (printed last), refused if it is not finite in the stage's type."""
        validate.prediction("after", self.settings, after)
        self.after = after
        if self.watch.echo is not None:
            self.watch.echo(logfmt.prediction_line("after", self.settings.test_x, after))

    def is_logged(self, epoch: int) -> bool:
        """Whether the cell prints epoch ``epoch`` (1-based)."""
        return (epoch - 1) % self.settings.log_every == 0

    @property
    def epochs(self) -> list[EpochRecord]:
        """Every epoch, in order: for runs of fewer than ``Trace.SIZE`` epochs (longer ones are summarised)."""
        return [EpochRecord(e, w, loss, b) for e, w, loss, b in self.trace.exact()]

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
        """The largest difference from ``other``'s w, b and loss at any epoch (for a summarised run, at
        the end of each stretch), each relative to that quantity's scale in ``other`` (its largest
        magnitude over the run). Runs of different length: inf."""
        mine, theirs = self.trace.ends(), other.trace.ends()
        if mine.shape != theirs.shape or not (mine[:, 0] == theirs[:, 0]).all():
            return math.inf
        gaps = [0.0]
        for column in (1, 2, 3):  # w, loss, b (nan where there is no b: counted as 0)
            a, b = np.nan_to_num(mine[:, column]), np.nan_to_num(theirs[:, column])
            scale = float(np.max(np.abs(b), initial=0.0)) or 1.0
            gaps.append(float(np.max(np.abs(a - b), initial=0.0)) / scale)
        return max(gaps)

    def to_json(self) -> dict[str, Any]:
        """The whole history as plain JSON types: every epoch, or for a summarised run the printed
        epochs and the trace's stretches."""
        s = self.settings
        in_memory = s.data.path is None
        out: dict[str, Any] = {
            "stage": s.stage,
            "settings": {
                "lr": s.lr,
                "epochs": s.epochs,
                "log_every": s.log_every,
                "x": s.data.x.tolist() if in_memory else None,
                "y": s.data.y.tolist() if in_memory else None,
                "data": s.data.path,
                "init": list(s.init),
                "seed": s.seed,
                "test_x": s.test_x,
                "gradient": s.gradient,
                "device": s.device,
            },
            "shape": None if self.shape is None else list(self.shape),
            "start": list(self.start),
            "prediction_before": self.before,
        }
        if self.trace.is_exact:
            out["epochs"] = [
                {"epoch": r.epoch, "w": r.w, "b": r.b, "loss": r.loss, "logged": self.is_logged(r.epoch)}
                for r in self.epochs
            ]
        else:
            printed = self.logged
            out["epochs"] = [{"epoch": r.epoch, "w": r.w, "b": r.b, "loss": r.loss, "logged": True} for r in printed]
            out["stretches"] = self.trace.to_json()
        out["prediction_after"] = self.after
        out["data_pass"] = None if self.data_pass is None else vars(self.data_pass)
        return out
