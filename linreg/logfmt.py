"""The notes' log lines, formatted in one place and parsed back (for ``recover``).

The notes print with f-strings: ``f'epoch {epoch+1}: w = {w:.3f}, loss = {l:.8f}'`` and
``f'Prediction before training: f(5)= {value:.3f}'``. A float32 value formats exactly as the
Python float it converts to, so histories store Python floats and format them here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def shape_line(n_samples: int, n_features: int) -> str:
    """`print(n_smaple, n_features)` of the nn cells, e.g. ``4 1``."""
    return f"{n_samples} {n_features}"


def prediction_line(when: str, test_x: float, value: float) -> str:
    """``Prediction before training: f(5)= 0.000``; ``when`` is ``before`` or ``after``."""
    return f"Prediction {when} training: f({test_x:g})= {value:.3f}"


def epoch_fields(epoch: int, w: float, loss: float) -> tuple[str, str, str]:
    """The three numbers of an epoch line as printed: ``("1", "1.200", "30.00000000")``."""
    return f"{epoch}", f"{w:.3f}", f"{loss:.8f}"


def epoch_line(epoch: int, w: float, loss: float) -> str:
    """``epoch 1: w = 1.200, loss = 30.00000000``: w after the update, loss before it."""
    e, w_text, loss_text = epoch_fields(epoch, w, loss)
    return f"epoch {e}: w = {w_text}, loss = {loss_text}"


_NUMBER = r"(-?(?:\d+\.\d*|nan|inf))"
_EPOCH = re.compile(rf"epoch (\d+): w = {_NUMBER}, loss = {_NUMBER}")
_PREDICTION = re.compile(rf"Prediction (before|after) training: f\(([^)]*)\)= {_NUMBER}")


@dataclass(frozen=True)
class EpochEntry:
    """One parsed epoch line, values as printed."""

    epoch: int
    w: str
    loss: str


def parse_epoch_line(line: str) -> EpochEntry | None:
    """The parts of an epoch line, or None when ``line`` is not one."""
    match = _EPOCH.fullmatch(line)
    if match is None:
        return None
    return EpochEntry(int(match[1]), match[2], match[3])


def parse_prediction_line(line: str) -> tuple[str, str, str] | None:
    """``(when, test_x as printed, value as printed)`` of a prediction line, or None."""
    match = _PREDICTION.fullmatch(line)
    if match is None:
        return None
    return match[1], match[2], match[3]
