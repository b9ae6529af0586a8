"""Single values at the boundary: a number is a real number (not a bool, text or 0-d array), a count a
whole number, a list of numbers a flat sequence; and a number is allowed when it is finite *in the
float type the stage computes in* (1e39 is a fine float64 but inf in float32).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

import numpy as np
import numpy.typing as npt

from linreg.errors import SettingsError


def show(value: object) -> str:
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
        msg = f"{name} {show(value)} is too large for a float: give a number below 1.8e308"
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


def column(name: str, values: object) -> npt.NDArray[np.float64]:
    """``values`` (x or y in memory) as a read-only float64 array of finite numbers, shape (N,);
    ``SettingsError`` naming the first bad one."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu" and values.ndim == 1:
        with np.errstate(over="ignore"):  # a float128's 1e400 becomes inf, refused below
            out = values.astype(np.float64)  # a copy: the caller's array may change, the data must not
    elif isinstance(values, str | bytes | Mapping | AbstractSet) or not isinstance(values, Sequence | np.ndarray):
        msg = f"{name} must be a sequence of numbers, got {values!r}"
        raise SettingsError(msg)
    elif isinstance(values, np.ndarray) and values.ndim != 1:
        msg = f"{name} must be a flat sequence of numbers, got an array of shape {values.shape}"
        raise SettingsError(msg)
    else:
        out = np.array(numbers(name, values), dtype=np.float64)  # (N,): numbers() gives a flat tuple
    bad = np.flatnonzero(~np.isfinite(out))
    if len(bad):
        msg = f"{name} contains {float(out[bad[0]])!r}: every value must be a finite number"
        raise SettingsError(msg)
    out.flags.writeable = False
    return out


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
