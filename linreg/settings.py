"""Typed settings for one run of a stage, with the notes' values as each stage's defaults.

The six stages are the notes' six code cells, in order. ``Settings.for_stage(name, **changes)``
starts from what that cell used and checks every value; a bad one raises ``SettingsError``
naming it and what is allowed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import PurePath

import numpy as np

from linreg import stages
from linreg.data import Data
from linreg.errors import SettingsError
from linreg.stages import NOTES_X, NOTES_Y, Stage

NOTES = "the notes' points"  # the data's source, in messages
GRADIENTS = ("notes", "mse")


def _as_float(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        msg = f"{name} must be a number, got {value!r}"
        raise SettingsError(msg)
    try:
        return float(value)
    except OverflowError:
        text = repr(value) if len(repr(value)) <= 24 else f"{repr(value)[:12]}… ({len(repr(value))} digits)"
        msg = f"{name} {text} is too large for a float: give a number below 1.8e308"
        raise SettingsError(msg) from None


def _finite(name: str, values: tuple[float, ...]) -> None:
    for value in values:
        if not math.isfinite(value):
            msg = f"{name} contains {value!r}: every value must be a finite number"
            raise SettingsError(msg)


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
        return replace(self, **changes)  # type: ignore[arg-type]

    def on_stage(self, stage: str) -> Settings:
        """These settings for ``stage``: data, learning rate, epochs and test input carry over,
        and the start too where both stages take the same kind (w, or w and b)."""
        other = Settings.for_stage(stage)
        changes: dict[str, object] = {
            "lr": self.lr,
            "epochs": self.epochs,
            "log_every": self.log_every,
            "data": self.data,
            "test_x": self.test_x,
        }
        if len(self.init) in other.info.starts and (self.seed is None or other.info.random_start):
            changes["init"] = self.init
        if other.info.random_start:
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
        info = stages.stage(self.stage)
        object.__setattr__(self, "info", info)
        self._coerce()
        if not (math.isfinite(self.lr) and self.lr > 0):
            msg = f"learning rate {self.lr!r} is not allowed: use a finite number > 0 (the notes use 0.01)"
            raise SettingsError(msg)
        if self.epochs < 0:
            msg = f"epochs {self.epochs} is not allowed: use 0 or more (the notes use {info.epochs or 20})"
            raise SettingsError(msg)
        if self.log_every < 1:
            msg = f"log-every {self.log_every} is not allowed: use 1 or more (epoch e is logged when e-1 is a multiple)"
            raise SettingsError(msg)
        self._check_data(info)
        if len(self.init) not in info.starts:
            forms = " or ".join({1: "W", 2: "W,B"}[n] for n in info.starts)
            if len(info.starts) > 1:
                msg = f"stage {self.stage} starts from {forms}, got init {self.init!r}"
            else:
                msg = f"stage {self.stage} starts from {info.starts[0]} value(s) ({forms}), got init {self.init!r}"
            raise SettingsError(msg)
        _finite("init", self.init)
        if self.seed is not None and (not info.random_start or self.seed < 0):
            msg = f"seed {self.seed} is not allowed: seeds apply to stages linear and module and must be >= 0"
            raise SettingsError(msg)
        _finite("test-x", (self.test_x,))
        self._check_device(info)
        if self.gradient not in GRADIENTS:
            msg = f"unknown gradient {self.gradient!r}: choose notes or mse"
            raise SettingsError(msg)

    def _coerce(self) -> None:
        """Types at the boundary: numbers become floats and tuples of floats, counts ints; else SettingsError."""
        for name in ("lr", "test_x"):
            object.__setattr__(self, name, _as_float(name, getattr(self, name)))
        if isinstance(self.init, str | bytes) or not hasattr(self.init, "__iter__"):
            msg = f"init must be a sequence of numbers, got {self.init!r}"
            raise SettingsError(msg)
        object.__setattr__(self, "init", tuple(_as_float("every value of init", v) for v in self.init))
        if not isinstance(self.device, str):
            msg = f"device must be a string such as 'cpu' or 'cuda', got {self.device!r}"
            raise SettingsError(msg)
        for name in ("epochs", "log_every", "seed"):
            value = getattr(self, name)
            if value is None and name == "seed":
                continue
            if isinstance(value, bool) or not isinstance(value, int | np.integer):
                msg = f"{name} must be a whole number, got {value!r}"
                raise SettingsError(msg)
            object.__setattr__(self, name, int(value))

    def _check_device(self, info: Stage) -> None:
        if self.device == "cpu":
            return
        if not info.torch or not re.fullmatch(r"cuda(:\d+)?", self.device):
            msg = f"device {self.device!r} is not allowed for stage {self.stage}: use cpu, or cuda for a torch stage"
            raise SettingsError(msg)

    def _check_data(self, info: Stage) -> None:
        if info.one_point and (self.data.path is not None or len(self.data) != 1):
            msg = f"stage backprop takes one x and one y, got {len(self.data)} of each"
            raise SettingsError(msg)
