"""Checks of the command line's files and messages that the features state in words: a plot file holds
no date or software name (features/3_tool/20), the CSV reader's limit on a field as the refusal words it
(features/3_tool/23), and the counts of recover's search in its refusal (features/3_tool/08)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from linreg.cli import main

REFUSED_LOG = """4 1
Prediction before training: f(5)= 1.993
epoch 1: w = 0.706, loss = 20.24533653
epoch 11: w = 1.738, loss = 0.52958953
epoch 21: w = 1.906, loss = 0.01915863
epoch 31: w = 1.935, loss = 0.00563503
epoch 41: w = 1.941, loss = 0.00498599
epoch 51: w = 1.943, loss = 0.00468747
epoch 61: w = 1.945, loss = 0.00441442
epoch 71: w = 1.946, loss = 0.00415748
epoch 81: w = 1.948, loss = 0.00391548
epoch 91: w = 1.950, loss = 0.00368700
Prediction after training: f(5)= 9.899
"""


def _linreg(folder: Path, *args: str) -> tuple[int, str, str]:
    """``linreg ARGS`` in this process, in ``folder``: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(folder):
        status = main(list(args), out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_a_plot_file_holds_no_date_or_software_name(tmp_path: Path, suffix: str) -> None:
    status, _, err = _linreg(tmp_path, "run", "linear", "--plot", f"cell5.{suffix}")
    assert status == 0, err
    data = (tmp_path / f"cell5.{suffix}").read_bytes()
    if suffix == "png":
        chunks, at = [], 8
        while at < len(data):
            chunks.append(data[at + 4 : at + 8].decode("ascii"))
            at += 12 + int.from_bytes(data[at : at + 4], "big")
        assert chunks == ["IHDR", "pHYs", "IDAT", "IEND"], chunks  # no tEXt: no Software, no date
    else:
        assert b"<dc:date>" not in data, data[:1000]
        assert b"Matplotlib v" not in data, data[:1000]


def test_a_line_longer_than_any_row_is_refused_with_the_csv_readers_limit(tmp_path: Path) -> None:
    (tmp_path / "long.csv").write_text("x,y\n1," + "2" * 200000 + "\n3,4\n")
    status, out, err = _linreg(tmp_path, "run", "numpy", "--data", "long.csv")
    assert (status, out) == (2, "")
    assert err == (
        "linreg: error: data file 'long.csv' after row 1: field larger than field limit (131072); "
        "give one point per line, x,y\n"
    )


def test_recovers_refusal_counts_the_starts_it_screened_and_replayed(tmp_path: Path) -> None:
    (tmp_path / "edited.log").write_text(REFUSED_LOG)
    status, _, err = _linreg(tmp_path, "recover", "linear", "edited.log")
    assert status == 1
    assert err.startswith(
        "linreg: error: no float32 start replays log file 'edited.log' exactly (fit w=0.45988742, b=-0.30669084; "
        "655805 starts screened, 256 replayed); unmatched: line 3 "
    ), err
