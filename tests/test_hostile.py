"""Hostile values through the Python API that a feature's table cannot spell: each is a LinregError."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
import warnings
from pathlib import Path
from typing import Any

import hypothesis
import numpy as np
import pytest
from hypothesis import strategies as st
from samples import bounded

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


CELL5_START = (0.45988736, -0.3066888)  # stage linear's default start
SEEDS_AND_STARTS = [{}, {"seed": 3}, {"seed": None}, {"init": CELL5_START}, {"init": (1.0, 2.0)}]
SEEDS_AND_STARTS += [
    {"seed": 3, "init": CELL5_START},
    {"seed": 3, "init": (1.0, 2.0)},
    {"seed": None, "init": (1.0, 2.0)},
]


def _outcome(make: Any) -> str:  # noqa: ANN401 (a function making Settings)
    try:
        made = make()
    except SettingsError as exc:
        return str(exc)
    return f"seed {made.seed}, init {made.init}"


@pytest.mark.parametrize("first", SEEDS_AND_STARTS)
@pytest.mark.parametrize("then", SEEDS_AND_STARTS)
def test_a_seed_beside_a_given_start_is_refused_on_every_path(first: dict[str, Any], then: dict[str, Any]) -> None:
    """for_stage(**first).with_changes(**then) ends as for_stage(**first, then's values winning) does: a seed
    and a start given (even the stage's default start) are refused together however they arrive."""
    if "both give" in _outcome(lambda: Settings.for_stage("linear", **first)):
        return  # refused before any change: the merged call below says the same of the merged values
    chained = _outcome(lambda: Settings.for_stage("linear", **first).with_changes(**then))
    merged = _outcome(lambda: Settings.for_stage("linear", **(first | then)))
    assert chained == merged
    given = {name for name, value in (first | then).items() if value is not None}
    assert ("both give the start" in merged) == (given == {"seed", "init"})


@pytest.mark.parametrize(
    ("tmpdir", "reason"),
    [
        ("missing", "No such file or directory"),
        ("a-file", "Not a directory"),
        ("/sys", "Operation not permitted"),  # read-only even for root, whom a mode of 0o555 does not stop
    ],
)
def test_an_unusable_tmpdir_is_named_in_one_line(
    tmpdir: str, reason: str, run_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``run_temp`` (stream_steps): a folder whose path is short enough for --workers K's sockets, which
    tmp_path is not under pytest-xdist."""
    if tmpdir == "/sys" and not Path("/sys").is_dir():
        pytest.skip("no /sys here")
    (run_temp / "a-file").write_text("mine")
    folder = tmpdir if tmpdir.startswith("/") else str(run_temp / tmpdir)
    monkeypatch.setenv("TMPDIR", folder)
    out, err = io.StringIO(), io.StringIO()
    assert main(["run", "optim", "--workers", "2", "--epochs", "1"], out, err) == 2
    assert out.getvalue() == ""
    assert err.getvalue() == (
        f"linreg: error: TMPDIR {folder!r} cannot hold --workers 2's temporary folder ({reason}): "
        "point TMPDIR at a writable folder, or unset it\n"
    )
    assert (run_temp / "a-file").read_text() == "mine"


@pytest.mark.parametrize(
    ("argv", "about"),
    [
        (["run", "numpy", "--test-x", "3e38"], "3e+38 would be about 6e+38"),
        (["run", "numpy", "--test-x", "3e38", "--epochs", "1"], "3e+38 would be about 3.6e+38"),
        (["run", "linear", "--seed", "1", "--test-x", "3e38"], "3e+38 would be about 5.96e+38"),  # known once drawn
        (["run", "optim", "--test-x=-2e38", "--epochs", "1000"], "-2e+38 would be about -4e+38"),  # slack 2e-3
    ],
)
def test_a_prediction_after_training_that_cannot_be_finite_is_refused_before_any_line(
    argv: list[str], about: str
) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(argv, out, err) == 2
    assert out.getvalue() == ""
    assert err.getvalue().startswith(f"linreg: error: the prediction after training at --test-x {about}, beyond")


def test_a_prediction_after_training_read_from_a_file_is_refused_before_any_line(tmp_path: Path) -> None:
    """The closed form needs the file's sums: they come from the one read the stage makes, a FIFO too."""
    fifo = tmp_path / "points"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text("x,y\n1,2\n2,4\n3,6"), daemon=True)  # no final newline
    writer.start()
    out, err = io.StringIO(), io.StringIO()
    assert main(["run", "autograd", "--data", str(fifo), "--test-x", "3e38"], out, err) == 2
    assert out.getvalue() == ""
    assert "would be about 6e+38" in err.getvalue()


@pytest.mark.parametrize(
    ("argv", "last"),
    [
        (["run", "numpy", "--test-x", "1.6e38"], "Prediction after training: f(1.6e+38)= 3199999978821060003427682040"),
        (["run", "linear", "--test-x", "1e38"], "Prediction after training: f(1e+38)= 1950953215977684060110640211"),
    ],
)
def test_a_prediction_after_training_within_range_is_printed(argv: list[str], last: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(argv, out, err) == 0, err.getvalue()
    assert out.getvalue().splitlines()[-1].startswith(last)


def test_above_the_stable_rate_the_prediction_is_refused_when_training_ends() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["run", "numpy", "--lr", "0.1", "--test-x", "1e25"], out, err) == 2
    assert out.getvalue().splitlines()[-1].startswith("epoch 19: ")
    assert err.getvalue().startswith("linreg: error: the prediction after training at --test-x 1e+25 is -inf")


def test_a_tmpdir_too_long_for_the_workers_sockets_is_refused_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / ("t" * max(1, 80 - len(str(tmp_path))))  # 80 bytes or more: the sockets need 32 below it
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    out, err = io.StringIO(), io.StringIO()
    assert main(["run", "optim", "--workers", "2", "--epochs", "1"], out, err) == 2
    assert out.getvalue() == ""
    size = len(os.fsencode(str(folder)))
    assert err.getvalue() == (
        f"linreg: error: TMPDIR {str(folder)!r} is {size} bytes long: --workers 2's processes talk through sockets "
        "in it, whose paths hold at most 107 bytes; point TMPDIR at a folder of at most 75 bytes\n"
    )
    assert list(folder.iterdir()) == []


@bounded(150)
@hypothesis.example(header="{'descr': '<f4', 'fortran_order': False, 'shape': (99999, }")  # numpy: TokenError
@hypothesis.example(header="{'descr': '<f4', 'fortran_order': False, 'shape': (-5, 2), }")
@hypothesis.example(header="{'descr': '<f4', 'fortran_order': False, 'shape': (10**30, 2), }")
@hypothesis.given(header=st.text(alphabet=st.sampled_from("{}()[]',:<>f4 descrshapeortan_Fl0123456789-*\\\"")))
def test_any_npy_header_reads_or_is_one_error_line(tmp_path: Path, header: str) -> None:
    padded = header.encode("latin-1") + b" " * (-(10 + len(header) + 1) % 64) + b"\n"
    (tmp_path / "h.npy").write_bytes(b"\x93NUMPY\x01\x00" + len(padded).to_bytes(2, "little") + padded + bytes(32))
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        status = main(["run", "stats", "--data", str(tmp_path / "h.npy"), "--epochs", "1"], out, err)
    assert [str(w.message) for w in warned] == []  # a user would see each as a line on stderr
    lines = err.getvalue().splitlines()
    assert status == 0 or (status == 2 and len(lines) == 1 and lines[0].startswith("linreg: error: ")), err.getvalue()
