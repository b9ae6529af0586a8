"""Hostile values through the Python API that a feature's table cannot spell: each is a LinregError."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from linreg import LinregError, Settings, SettingsError
from linreg.cli import main
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


def test_a_data_file_is_read_once_so_a_fifo_diverges_with_its_stable_rate(tmp_path: Path) -> None:
    """`--data <(…)`: a FIFO can be read once; the divergence message needs the data's sums again."""
    fifo = tmp_path / "points"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text("x,y\n1,2\n2,4\n"), daemon=True)
    writer.start()
    out, err = io.StringIO(), io.StringIO()
    assert main(["run", "numpy", "--data", str(fifo), "--lr", "1", "--epochs", "50"], out, err) == 1
    assert err.getvalue().endswith("the largest stable learning rate for this data is 0.2; use a smaller --lr\n")


def test_a_csv_of_cr_line_ends_longer_than_a_block_is_read(tmp_path: Path) -> None:
    """Old Mac line ends (CR alone): the file is read in blocks of whole lines, whatever its size."""
    rows = "".join(f"{i},{2 * i}\r" for i in range(20000))  # about 200 KiB, beyond one line's limit
    (tmp_path / "cr.csv").write_bytes(b"x,y\r" + rows.encode())
    out, err = io.StringIO(), io.StringIO()
    assert main(["run", "stats", "--data", str(tmp_path / "cr.csv"), "--epochs", "0"], out, err) == 0
    assert "read 20000 points" in err.getvalue()


def test_matplotlib_says_nothing_when_its_config_folder_is_unwritable(tmp_path: Path) -> None:
    """An unwritable HOME (here MPLCONFIGDIR, the same for matplotlib): the plot is written, stderr stays empty."""
    env = {**os.environ, "MPLCONFIGDIR": "/dev/null/matplotlib"}
    script = Path(sys.executable).with_name("linreg")
    done = subprocess.run(
        [str(script), "run", "numpy", "--epochs", "1", "--plot", "p.png"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    assert (tmp_path / "p.png").stat().st_size > 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"x": [10**400, 1], "y": [1, 2]}, "every value of x 100000000000… (401 digits) is too large for a float"),
        ({"init": np.array(0.5)}, "init must be a sequence of numbers, got array(0.5)"),
        ({"init": {1.0: 2}}, "init must be a sequence of numbers, got {1.0: 2}"),
        ({"seed": 2**64}, "seed 18446744073709551616 is not allowed: torch takes seeds from 0 to 2**64 - 1"),
    ],
)
def test_the_api_refuses_what_the_command_line_does(changes: dict[str, object], message: str) -> None:
    with pytest.raises(LinregError) as caught:
        Settings.for_stage("linear" if "seed" in changes else "numpy", **changes)
    assert str(caught.value).startswith(message)


def test_a_stage_named_by_a_list_is_a_linreg_error() -> None:
    with pytest.raises(SettingsError, match=re.escape("unknown stage ['numpy']")):
        Settings.for_stage(["numpy"])  # type: ignore[arg-type]
