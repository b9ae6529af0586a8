"""Every bad value the Python API refuses, as Python values: the checks features/3_tool/16_python_api.feature
states in words for a few (a learning rate, a number of epochs, a seed), here for each kind of value."""

from __future__ import annotations

from pathlib import Path

import pytest

import linreg
from linreg import LinregError, Settings

UNKNOWN = "unknown setting 'foo': choose from data, device, epochs, gradient, init, log_every, lr, seed, test_x, x, y"
REFUSED: list[tuple[str, str, object, str, str]] = [  # stage, keyword, value, error class, message
    ("numpy", "x", "1,2", "SettingsError", "x must be a sequence of numbers, got '1,2'"),
    ("numpy", "x", [1, "two"], "SettingsError", "every value of x must be a number, got 'two'"),
    ("numpy", "y", [1, None], "SettingsError", "every value of y must be a number, got None"),
    ("numpy", "lr", "0.1", "SettingsError", "lr must be a number, got '0.1'"),
    ("numpy", "epochs", 2.5, "SettingsError", "epochs must be a whole number, got 2.5"),
    ("numpy", "epochs", True, "SettingsError", "epochs must be a whole number, got True"),
    (
        "numpy",
        "lr",
        -0.01,
        "SettingsError",
        "learning rate -0.01 is not allowed: use a finite number > 0 (the notes use 0.01)",
    ),
    ("linear", "init", (0.5,), "SettingsError", "stage linear starts from 2 value(s) (W,B), got init (0.5,)"),
    (
        "linear",
        "seed",
        -1,
        "SettingsError",
        "seed -1 is not allowed: seeds apply to stages linear and module and must be >= 0",
    ),
    ("linear", "seed", "3", "SettingsError", "seed must be a whole number, got '3'"),
    ("numpy", "test_x", None, "SettingsError", "test_x must be a number, got None"),
    ("optim", "gradient", "exact", "SettingsError", "unknown gradient 'exact': choose notes or mse"),
    ("autograd", "data", 3, "SettingsError", "data must be a file's path or a linreg.data.Data, got 3"),
    ("stats", "init", (1, 2, 3), "SettingsError", "stage stats starts from W or W,B, got init (1.0, 2.0, 3.0)"),
    (
        "numpy",
        "device",
        "cuda",
        "SettingsError",
        "device 'cuda' is not allowed for stage numpy: use cpu, or cuda for a torch stage",
    ),
    (
        "autograd",
        "device",
        "gpu",
        "SettingsError",
        "device 'gpu' is not allowed for stage autograd: use cpu, or cuda for a torch stage",
    ),
    ("autograd", "device", 0, "SettingsError", "device must be a string such as 'cpu' or 'cuda', got 0"),
    ("numpy", "init", (float("inf"),), "SettingsError", "init contains inf: every value must be a finite number"),
    ("numpy", "test_x", float("inf"), "SettingsError", "test-x contains inf: every value must be a finite number"),
    ("backprop", "epochs", -1, "SettingsError", "epochs -1 is not allowed: use 0 or more (the notes use 20)"),
    ("numpy", "x", {1.0, 2.0}, "SettingsError", "x must be a sequence of numbers, got {1.0, 2.0}"),
    ("numpy", "x", {1.0: 2.0, 3.0: 4.0}, "SettingsError", "x must be a sequence of numbers, got {1.0: 2.0, 3.0: 4.0}"),
    ("numpy", "foo", 1, "SettingsError", UNKNOWN),
]


@pytest.mark.parametrize(
    ("stage", "key", "value", "kind", "message"), REFUSED, ids=[f"{r[0]}-{r[1]}={r[2]!r}" for r in REFUSED]
)
def test_a_bad_value_is_refused_naming_it(stage: str, key: str, value: object, kind: str, message: str) -> None:
    with pytest.raises(LinregError) as caught:
        Settings.for_stage(stage, **{key: value})
    assert type(caught.value) is getattr(linreg, kind)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == message


def test_a_data_file_given_as_a_path_is_kept_as_text() -> None:
    settings = Settings.for_stage("stats", data=Path("points.csv"))
    assert type(settings.data.path) is str
    assert settings.data.path == "points.csv"
