"""Results a user asked for are finite in the stage's type, known before training where they can be.

The prediction f(test_x) before training is w₀·test_x (+ b₀), checked up front. The one after
training is known up front too at a stable learning rate (η ≤ 2/λmax): there gradient descent
follows its closed form θ_K = θ* + (I − η·H)ᴷ·(θ₀ − θ*) (``linreg.theory``) up to rounding, which
over K epochs moves θ by at most about K·8·ε relative (ε = 2⁻²³ in float32; the slack allowed is
1e-3 + K·2⁻²⁰). A prediction beyond the type's range by more than that cannot be finite: refused
before the first log line. Above the stable bound the closed form grows as fast as the rounding
does, so the prediction is checked when training ends (``History.finish``), the last guard; and
such a learning rate is warned of when the run ends before it overflows (``unstable``).
Stage backprop's one step is checked whole: x·w, its loss, its gradient and the new w.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from linreg import theory
from linreg.errors import SettingsError
from linreg.validate.values import largest

if TYPE_CHECKING:
    from linreg.settings import Settings


def _beyond(s: Settings, when: str, value: float, hint: str, about: str = "is") -> SettingsError:
    kind = np.dtype(s.info.dtype).name
    msg = (
        f"the prediction {when} training at --test-x {s.test_x:g} {about} {float(value):.3g}, beyond {kind}'s range "
        f"(±{largest(s.info.dtype):.3g}), in which stage {s.stage} computes: give {hint}"
    )
    return SettingsError(msg)


def prediction(when: str, s: Settings, value: float) -> None:
    """``SettingsError`` unless the prediction f(test_x) ``when`` training ("before"/"after") is finite in the
    stage's type: a number the user asked for is never printed as inf or nan."""
    if not abs(value) <= largest(s.info.dtype) * (1 - 2**-20):
        raise _beyond(s, when, value, "a --test-x or a start nearer 0")


def prediction_ahead(s: Settings, start: Sequence[float]) -> None:
    """Before training from ``start``: ``SettingsError`` when, at a stable learning rate, the prediction
    after training cannot be finite (the closed form's, beyond the range by more than rounding moves it)."""
    if not s.info.trains or s.epochs == 0 or s.lr > s.stable_lr:
        return
    n, sx, sy, sxx, sxy, _ = s.data.sums().array()
    theta, value = theory.prediction_after(
        (n, sx / n, sy / n, sxx / n, sxy / n), s.lr, start, s.epochs, s.test_x, notes_gradient=s.notes_gradient
    )
    top, slack = largest(s.info.dtype), 1e-3 + s.epochs * 2**-20
    if bool(np.all(np.abs(theta) <= top)) and not abs(value) / (1 + slack) <= top:  # weights finite, f not
        raise _beyond(s, "after", value, "a --test-x nearer 0", "would be about")


def one_step(s: Settings) -> None:
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
