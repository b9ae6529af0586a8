"""One boundary: every value that enters linreg is checked here, once, against the stage that uses it.

A stage computes in one float type (``Stage.dtype``: float32 for the cells, float64 for stats), so
a number is allowed when it is finite *in that type*: 1e39 is a fine float64 but inf in float32.
Counts are whole numbers, seeds within what torch takes (0 ≤ seed < 2⁶⁴), sizes checked before
anything is allocated for them, options that a stage does not use refused rather than ignored,
and options that contradict each other (a seed draws the start that --init gives) refused.
Each refusal is a ``LinregError`` naming the value and what is allowed; the command line prints
it as one line. Learning rates above the stable bound 2/λmax are allowed (the notes' lesson is
what happens there) and the command line warns of them (``unstable``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from linreg.errors import DataError, SettingsError, UsageError

if TYPE_CHECKING:
    from linreg.settings import Settings
    from linreg.stages import Stage

SEED_LIMIT = 2**64  # torch.manual_seed takes 0 <= seed < 2**64
RECOVER_EPOCHS = 100_000  # recover replays every epoch and keeps each state: a bound on its memory


def _show(value: object) -> str:
    """``value`` for a message, a huge integer shortened."""
    text = repr(value)
    return text if len(text) <= 24 else f"{text[:12]}… ({len(text)} digits)"


def number(name: str, value: object) -> float:
    """``value`` as a float: a real number (not a bool); ``SettingsError`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        msg = f"{name} must be a number, got {value!r}"
        raise SettingsError(msg)
    try:
        return float(value)
    except OverflowError:
        msg = f"{name} {_show(value)} is too large for a float: give a number below 1.8e308"
        raise SettingsError(msg) from None


def whole(name: str, value: object) -> int:
    """``value`` as an int: a whole number (not a bool); ``SettingsError`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        msg = f"{name} must be a whole number, got {value!r}"
        raise SettingsError(msg)
    return int(value)


def numbers(name: str, values: object) -> tuple[float, ...]:
    """``values`` as a tuple of floats: a sequence of numbers (not a text, mapping, set or 0-d array)."""
    flat = isinstance(values, np.ndarray) and values.ndim == 1
    if (
        isinstance(values, str | bytes | Mapping | set | frozenset)
        or not isinstance(values, Iterable)
        or (isinstance(values, np.ndarray) and not flat)
    ):
        msg = f"{name} must be a sequence of numbers, got {values!r}"
        raise SettingsError(msg)
    return tuple(number(f"every value of {name}", v) for v in values)


def parse_numbers(text: str, name: str = "value") -> tuple[float, ...]:
    """``"1,2,3,4"`` → ``(1.0, 2.0, 3.0, 4.0)``; an empty text gives ``()``."""
    if not text.strip():
        return ()
    values = []
    for part in text.split(","):
        try:
            values.append(float(part))
        except ValueError:
            msg = f"{name}: {part.strip()!r} in {text!r} is not a number: give comma-separated numbers like 1,2,3,4"
            raise SettingsError(msg) from None
    return tuple(values)


def largest(dtype: type[np.floating[Any]]) -> float:
    """The largest finite value of ``dtype``."""
    return float(np.finfo(dtype).max)


def in_dtype(name: str, value: float, dtype: type[np.floating[Any]], stage: str) -> None:
    """``SettingsError`` unless ``value`` is finite in ``dtype``, the type ``stage`` computes in."""
    if not math.isfinite(value):
        msg = f"{name} contains {value!r}: every value must be a finite number"
        raise SettingsError(msg)
    if abs(value) > largest(dtype):
        kind = np.dtype(dtype).name
        msg = (
            f"{name} {value!r} is beyond {kind}'s range (±{largest(dtype):.3g}), in which stage {stage} computes: "
            "give a smaller value"
        )
        raise SettingsError(msg)


def points(source: str, x: Any, y: Any, xs: Any, ys: Any, first: int) -> None:  # noqa: ANN401 (arrays)
    """``DataError`` unless every point, ``x`` and ``y`` (float64) rounded to ``xs`` and ``ys``, is finite there,
    and so is its square, which the loss sums (float32 stops at 1.8e19 for x²): numbers from point ``first`` + 1."""
    bad = np.flatnonzero(~(np.isfinite(xs) & np.isfinite(ys)))
    kind = xs.dtype
    if len(bad):
        row = int(bad[0])
        name, value = ("x", x[row]) if not np.isfinite(xs[row]) else ("y", y[row])
        msg = (
            f"{source}: {name} = {float(value)!r} (point {first + row + 1}) is beyond {kind}'s range "
            f"(±{largest(kind.type):.3g}), in which this stage computes; rescale the data"
        )
        raise DataError(msg)
    if kind == np.float64:  # stage stats: its sums are checked as they are made (Data.summarise)
        return
    root = math.sqrt(largest(kind.type))
    big = np.flatnonzero((np.abs(x) > root) | (np.abs(y) > root))
    if len(big):
        row = int(big[0])
        name, value = ("x", x[row]) if abs(x[row]) > root else ("y", y[row])
        msg = (
            f"{source}: {name} = {float(value)!r} (point {first + row + 1}): its square, which the loss sums, is "
            f"beyond {kind}'s range (±{largest(kind.type):.3g}), in which this stage computes; rescale the data"
        )
        raise DataError(msg)


def settings(s: Settings) -> None:
    """Every rule one run's settings must keep; ``SettingsError`` naming the first broken one."""
    info, dtype = s.info, s.info.dtype
    if not (math.isfinite(s.lr) and s.lr > 0):
        msg = f"learning rate {s.lr!r} is not allowed: use a finite number > 0 (the notes use 0.01)"
        raise SettingsError(msg)
    in_dtype("learning rate", s.lr, dtype, s.stage)
    if s.epochs < 0:
        msg = f"epochs {s.epochs} is not allowed: use 0 or more (the notes use {info.epochs or 20})"
        raise SettingsError(msg)
    if s.log_every < 1:
        msg = f"log-every {s.log_every} is not allowed: use 1 or more (epoch e is logged when e-1 is a multiple)"
        raise SettingsError(msg)
    if info.one_point and (s.data.path is not None or len(s.data) != 1):
        msg = f"stage backprop takes one x and one y, got {len(s.data)} of each"
        raise SettingsError(msg)
    if len(s.init) not in info.starts:
        forms = " or ".join({1: "W", 2: "W,B"}[n] for n in info.starts)
        if len(info.starts) > 1:
            msg = f"stage {s.stage} starts from {forms}, got init {s.init!r}"
        else:
            msg = f"stage {s.stage} starts from {info.starts[0]} value(s) ({forms}), got init {s.init!r}"
        raise SettingsError(msg)
    for value in s.init:
        in_dtype("init", value, dtype, s.stage)
    _seed(s)
    in_dtype("test-x", s.test_x, dtype, s.stage)
    _device(s)
    if s.gradient not in ("notes", "mse"):
        msg = f"unknown gradient {s.gradient!r}: choose notes or mse"
        raise SettingsError(msg)
    if s.data.path is None:  # points in memory: each finite in the stage's type, now rather than as it runs
        s.data.arrays(dtype)
    if s.seed is None and info.trains:
        prediction("before", s, s.init[0] * s.test_x + (s.init[1] if len(s.init) == 2 else 0.0))
    if info.one_point:
        _one_step(s)


def _seed(s: Settings) -> None:
    if s.seed is None:
        return
    if not s.info.random_start or not 0 <= s.seed < SEED_LIMIT:
        msg = f"seed {_show(s.seed)} is not allowed: seeds apply to stages linear and module and must be >= 0"
        if s.seed >= SEED_LIMIT:
            msg = f"seed {_show(s.seed)} is not allowed: torch takes seeds from 0 to 2**64 - 1"
        raise SettingsError(msg)
    if s.init != s.info.init:
        msg = f"seed {s.seed} and init {s.init!r} both give the start: give a seed or an init, not both"
        raise SettingsError(msg)


def _device(s: Settings) -> None:
    import re

    if s.device != "cpu" and (not s.info.torch or not re.fullmatch(r"cuda(:\d+)?", s.device)):
        msg = f"device {s.device!r} is not allowed for stage {s.stage}: use cpu, or cuda for a torch stage"
        raise SettingsError(msg)


def _one_step(s: Settings) -> None:
    """Stage backprop's loss (xw − y)², gradient 2(xw − y)·x and step w − lr·gradient, finite in float32."""
    x, y, w = float(s.data.x[0]), float(s.data.y[0]), s.init[0]
    error = x * w - y
    for name, value in (("x·w", x * w), ("its loss (x·w - y)²", error * error), ("its gradient", 2 * error * x)):
        if not abs(value) <= largest(s.info.dtype) * (1 - 2**-20):
            msg = (
                f"x {x!r}, y {y!r} and w {w!r}: {name} is {value:.3g}, beyond float32's range (±3.4e+38), "
                "in which stage backprop computes: give smaller values"
            )
            raise SettingsError(msg)
    step = w - s.lr * 2 * error * x
    if not abs(step) <= largest(s.info.dtype) * (1 - 2**-20):
        msg = f"learning rate {s.lr!r}: the step w - lr·gradient is {step:.3g}, beyond float32's range (±3.4e+38)"
        raise SettingsError(msg)


def prediction(when: str, s: Settings, value: float) -> None:
    """``SettingsError`` unless the prediction f(test_x) ``when`` training ("before"/"after") is finite in the
    stage's type: a number the user asked for is never printed as inf or nan."""
    if not abs(value) <= largest(s.info.dtype) * (1 - 2**-20):
        msg = (
            f"the prediction {when} training at --test-x {s.test_x:g} is {float(value):.3g}, beyond "
            f"{np.dtype(s.info.dtype).name}'s range (±{largest(s.info.dtype):.3g}), in which stage {s.stage} "
            "computes: give a --test-x or a start nearer 0"
        )
        raise SettingsError(msg)


def applies(info: Stage, given: Iterable[str]) -> None:
    """``SettingsError`` for a setting ``given`` that stage ``info`` does not use: refused, never ignored."""
    given = set(given)
    unused = {"epochs", "log_every", "test_x"} if not info.trains else set()
    if not info.hand_gradient:
        unused.add("gradient")
    for name in sorted(given & unused):
        flag = name.replace("_", "-")
        if name == "gradient":
            msg = f"{flag} applies to stage numpy only, whose gradient is written by hand: drop it for stage "
            msg += info.name
        else:
            msg = f"{flag} does not apply to stage {info.name}, which does not train: drop it"
        raise SettingsError(msg)
    if "seed" in given and "init" in given:
        msg = "a seed draws the start that init gives: give a seed or an init, not both"
        raise SettingsError(msg)


def unstable(s: Settings) -> str | None:
    """A warning when the learning rate is above the stable bound 2/λmax for this data, else None."""
    if not s.info.trains or s.epochs == 0:
        return None
    bound = s.stable_lr
    if s.lr <= bound:
        return None
    return (
        f"learning rate {s.lr:g} is above the largest stable learning rate for this data, {bound:.6g}: "
        f"training diverges, though not yet to overflow in {s.epochs} epochs; use a smaller --lr"
    )


def workers_for(workers: int, n: int) -> None:
    """``SettingsError`` unless each of ``workers`` processes gets one of the ``n`` points at least."""
    if workers > n:
        msg = f"workers {workers} for {n} points: each worker needs a point; use --workers {n}"
        raise SettingsError(msg)


def recover_epochs(s: Settings) -> None:
    """``SettingsError`` for a recover whose replay would take more epochs than ``RECOVER_EPOCHS``."""
    if s.epochs > RECOVER_EPOCHS:
        msg = (
            f"epochs {s.epochs} is too many for recover, which replays every epoch: give at most {RECOVER_EPOCHS}, "
            "as the log was printed"
        )
        raise SettingsError(msg)


def npy_rows(name: str, shape: tuple[int, ...], itemsize: int, available: int | None) -> None:
    """``DataError`` unless a .npy header's row count is one the file can hold: checked before allocating."""
    rows = shape[0]
    if rows < 0:
        msg = f"data file {name!r} has a header of {rows} rows: save the array again with numpy.save"
        raise DataError(msg)
    if available is not None and rows * 2 * itemsize > available:
        msg = f"data file {name!r} is cut short: its header says {rows} rows, it holds {available // (2 * itemsize)}"
        raise DataError(msg)


def output_path(flag: str, path: str, inputs: Iterable[str | None]) -> None:
    """``UsageError`` when the output ``path`` is one of the ``inputs``, or a name the file system cannot hold."""
    target = Path(path)
    for given in inputs:
        if given is not None and (target.resolve() == Path(given).resolve()):
            msg = f"{flag} {path!r} is also an input of this run: write the output to another file"
            raise UsageError(msg)
    folder = target.resolve().parent
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX") if folder.is_dir() else 255
    except (OSError, ValueError):
        limit = 255
    if len(os.fsencode(target.name)) > limit:
        size = len(os.fsencode(target.name))
        msg = f"{flag} {path[:40]!r}…: a file name of {size} bytes; give one of at most {limit}"
        raise UsageError(msg)
