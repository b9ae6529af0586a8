"""Typed settings for one run of a stage, with the notes' values as each stage's defaults.

The six stages are the notes' six code cells, in order. ``Settings.for_stage(name, **changes)``
starts from what that cell used and checks every value; a bad one raises ``SettingsError``
naming it and what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import PurePath

from linreg import stages, validate
from linreg.data import Data
from linreg.errors import SettingsError
from linreg.stages import NOTES_X, NOTES_Y, Stage

NOTES = "the notes' points"  # the data's source, in messages
GRADIENTS = ("notes", "mse")


@dataclass(frozen=True)
class Settings:
    """Everything one run depends on. Build it with ``Settings.for_stage``."""

    stage: str
    lr: float = 0.01
    epochs: int = 0
    log_every: int = 1
    data: Data = field(default_factory=lambda: Data.of(NOTES_X, NOTES_Y, NOTES))  # the points, in memory or a file
    init: tuple[float, ...] = (0.0,)  # (w,) for w-only stages, (w, b) for linear and module
    seed: int | None = None  # linear/module: draw torch's default init after manual_seed(seed)
    test_x: float = 5.0  # the input of the "Prediction before/after training: f(5)=" lines
    gradient: str = "notes"  # numpy: "notes" is np.dot(2x, ŷ−y).mean() (N× MSE's), "mse" the true one
    device: str = "cpu"  # torch stages: "cpu", "cuda" or "cuda:K"
    info: Stage = field(init=False, repr=False, compare=False)  # the stage's declaration: what it can do

    @classmethod
    def for_stage(cls, stage: str, **changes: object) -> Settings:
        """The notes' settings for ``stage`` with ``changes`` applied, checked."""
        info = stages.stage(stage)
        base = cls(stage, 0.01, info.epochs, info.log_every, Data.of(info.x, info.y, NOTES), info.init)
        return base.with_changes(**changes)

    def with_changes(self, **changes: object) -> Settings:
        """A copy with ``changes`` applied, checked again. ``x=`` and ``y=`` (sequences or arrays of
        numbers) replace the points; ``data=`` takes a ``Data`` or a file's path."""
        known = {f.name for f in fields(self) if f.init} | {"x", "y"}
        unknown = sorted(set(changes) - known)
        if unknown:
            msg = f"unknown setting {unknown[0]!r}: choose from {', '.join(sorted(known - {'stage'}))}"
            raise SettingsError(msg)
        if "x" in changes or "y" in changes:
            if "data" in changes:
                msg = "give the data either as data= or as x= and y=, not both"
                raise SettingsError(msg)
            x, y = changes.pop("x", None), changes.pop("y", None)
            changes["data"] = Data.of(self.data.x if x is None else x, self.data.y if y is None else y)
        data = changes.get("data")
        if isinstance(data, str | PurePath):
            changes["data"] = Data.file(data)  # read when the stage runs, in chunks
        elif "data" in changes and not isinstance(data, Data):
            msg = f"data must be a file's path or a linreg.data.Data, got {data!r}"
            raise SettingsError(msg)
        changed = replace(self, **changes)  # type: ignore[arg-type]
        validate.applies(self.info, (name for name, value in changes.items() if value is not None))
        return changed

    def on_stage(self, stage: str) -> Settings:
        """These settings for ``stage``: data, learning rate, epochs and test input carry over,
        and the start too where both stages take the same kind (w, or w and b)."""
        other = Settings.for_stage(stage)
        changes: dict[str, object] = {"lr": self.lr, "data": self.data}
        if other.info.trains:
            changes |= {"epochs": self.epochs, "log_every": self.log_every, "test_x": self.test_x}
        if len(self.init) in other.info.starts and self.seed is None:
            changes["init"] = self.init
        if other.info.random_start and self.seed is not None:
            changes["seed"] = self.seed
        return other.with_changes(**changes)

    @property
    def stable_lr(self) -> float:
        """The largest stable learning rate for this stage on this data, 2/λmax of the loss's Hessian."""
        return self.data.stable_lr(has_bias=self.has_bias, notes_gradient=self.notes_gradient)

    @property
    def has_bias(self) -> bool:
        """Whether the model is w·x + b (cells 5-6, stats started from W,B) rather than w·x."""
        return len(self.init) == 2

    @property
    def notes_gradient(self) -> bool:
        """Whether this run steps with the numpy cell's gradient, N times the MSE gradient."""
        return self.info.hand_gradient and self.gradient == "notes"

    def __post_init__(self) -> None:
        object.__setattr__(self, "info", stages.stage(self.stage))
        self._coerce()
        validate.settings(self)

    def _coerce(self) -> None:
        """Types at the boundary: numbers become floats and tuples of floats, counts ints; else SettingsError."""
        for name in ("lr", "test_x"):
            object.__setattr__(self, name, validate.number(name, getattr(self, name)))
        object.__setattr__(self, "init", validate.numbers("init", self.init))
        if not isinstance(self.device, str):
            msg = f"device must be a string such as 'cpu' or 'cuda', got {self.device!r}"
            raise SettingsError(msg)
        for name in ("epochs", "log_every", "seed"):
            value = getattr(self, name)
            if value is None and name == "seed":
                continue
            object.__setattr__(self, name, validate.whole(name, value))
