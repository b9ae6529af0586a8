"""The rules one run's settings keep together: each option within what its stage takes, options a stage
does not use refused rather than ignored, and options that contradict each other refused (a seed
draws the start that an init gives: never both, however the settings were made).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from linreg.errors import SettingsError
from linreg.validate.outcomes import one_step, prediction
from linreg.validate.values import in_dtype, show

if TYPE_CHECKING:
    from linreg.settings import Settings
    from linreg.stages import Stage

SEED_LIMIT = 2**64  # torch.manual_seed takes 0 <= seed < 2**64
RECOVER_EPOCHS = 100_000  # recover replays every epoch and keeps each state: a bound on its memory


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
        one_step(s)


def _seed(s: Settings) -> None:
    """A seed within torch's range, for a stage with a random start, and no start given beside it: on
    every path (one call giving both, a seed added to settings holding a given start, or a start to
    settings holding a seed), since the seed would silently replace that start."""
    if s.seed is None:
        return
    if not s.info.random_start or not 0 <= s.seed < SEED_LIMIT:
        msg = f"seed {show(s.seed)} is not allowed: seeds apply to stages linear and module and must be >= 0"
        if s.seed >= SEED_LIMIT:
            msg = f"seed {show(s.seed)} is not allowed: torch takes seeds from 0 to 2**64 - 1"
        raise SettingsError(msg)
    if s.init != s.info.init or "init" in s.given:
        msg = f"seed {s.seed} and init {s.init!r} both give the start: give a seed or an init, not both"
        raise SettingsError(msg)


def _device(s: Settings) -> None:
    if s.device != "cpu" and (not s.info.torch or not re.fullmatch(r"cuda(:\d+)?", s.device)):
        msg = f"device {s.device!r} is not allowed for stage {s.stage}: use cpu, or cuda for a torch stage"
        raise SettingsError(msg)


def applies(info: Stage, given: Iterable[str]) -> None:
    """``SettingsError`` for a setting ``given`` that stage ``info`` does not use: refused, never ignored."""
    unused = {"epochs", "log_every", "test_x"} if not info.trains else set()
    if not info.hand_gradient:
        unused.add("gradient")
    for name in sorted(set(given) & unused):
        flag = name.replace("_", "-")
        if name == "gradient":
            msg = f"{flag} applies to stage numpy only, whose gradient is written by hand: drop it for stage "
            msg += info.name
        else:
            msg = f"{flag} does not apply to stage {info.name}, which does not train: drop it"
        raise SettingsError(msg)


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
