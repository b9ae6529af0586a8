"""Hostile values through the Python API that a feature's table cannot spell: each is a LinregError."""

from __future__ import annotations

import re
from typing import Any

import pytest

from linreg import LinregError, Settings, SettingsError
from linreg.watch import watching


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"echo": 3}, "echo must be a function or None, got 3"),
        ({"progress": "x"}, "progress must be a function or None, got 'x'"),
    ],
)
def test_a_watch_takes_functions_only(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(message)), watching(**changes):
        pass  # pragma: no cover - refused on entering


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lr": 10**400}, "lr 100000000000… (401 digits) is too large for a float: give a number below 1.8e308"),
        (
            {"test_x": -(10**400)},
            "test_x -10000000000… (402 digits) is too large for a float: give a number below 1.8e308",
        ),
        ({"init": (10**400,)}, "every value of init 100000000000… (401 digits) is too large for a float"),
        ({"x": iter([1.0, 2.0, 3.0, 4.0])}, "x must be a sequence of numbers, got <list_iterator"),
    ],
)
def test_a_hostile_value_is_a_linreg_error(changes: dict[str, object], message: str) -> None:
    with pytest.raises(LinregError) as caught:
        Settings.for_stage("numpy", **changes)
    assert str(caught.value).startswith(message)
