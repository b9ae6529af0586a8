"""Hostile input, generated: the command line and ``Settings.for_stage`` fed by Hypothesis.

The argv come from the parser's own grammar (``linreg.cli.build_parser``: every subcommand and
option) with values of every class — ordinary, huge, tiny, negative, nan/inf, non-ASCII, empty,
contradicting combinations — and small data files and logs written fresh for each example. Each
run is in-process, with stdin, stdout, stderr and the file descriptors 1 and 2 captured, and
must end in one of the ways ``linreg.cli.main`` promises:
  exit 0: every number printed finite; stderr only linreg's own ``linreg: `` report lines;
  exit 2 (a mistake) or 1 (diverged, not recovered): exactly one line, ``linreg: error: …``;
never a traceback, a Python warning or a library's own output, and never a file of the user's
touched (only the --plot asked for may appear, on success). The default run tries a few dozen
argv in seconds; ``pytest -m slow`` runs thousands, with data-parallel workers too.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import math
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from linreg import LinregError, Settings
from linreg.cli import build_parser, main
from linreg.stages import STAGES

FLOATS = ["0.01", "1", "0.1", "2.5", "-0.5", "0", "1e-300", "5e-324", "3e38", "1e39", "1e300", "1e308", "1e400"]
FLOATS += ["nan", "inf", "-inf", "", " ", "é", "１", "٣", "1,2", "0x10", "1_0"]
INTS = ["0", "1", "2", "3", "7", "-1", "-3", "18446744073709551615", "18446744073709551616", "1e3", "", "x", "٣"]
EPOCHS = ["0", "1", "2", "3", "7", "-1", "40", "", "x", "٣", "1e3"]  # a long run is not a mistake: kept short
FILES = ["pts.csv", "nonl.csv", "crlf.csv", "cr.csv", "bad.csv", "empty.csv", "big.csv", "three.csv", "one.csv"]
FILES += ["pts.npy", "huge.npy", "neg.npy", "ld.npy", "obj.npy", "cut.npy", "data.png", "dir.png", "missing.csv"]
FILES += ["cell5.log", "cut.log", "bin.log", "nan.log", "é.csv", "-", ""]
PLOTS = ["out.png", "out.svg", "out.txt", "dir.png", "data.png", "sub/out.png", "p" * 300 + ".png", ".png", ""]


@functools.cache
def _cell5() -> str:
    """Cell 5's log, as the first example that needs it makes it (not at collection)."""
    out = io.StringIO()
    assert main(["run", "linear"], out, io.StringIO()) == 0
    return out.getvalue()


def _write_files(folder: Path) -> None:
    """The user's files of one example: data of every kind, logs, a folder."""
    cell5 = _cell5()
    texts = {
        "pts.csv": "x,y\n1,2\n2,4\n3,6\n4,8\n",
        "nonl.csv": "x,y\n1,2\n2,4\n3,6",
        "crlf.csv": "x,y\r\n1,2\r\n2,4\r\n3,6\r\n",
        "cr.csv": "x,y\r1,2\r2,4\r3,6\r",
        "bad.csv": "x,y\n1,two\n",
        "empty.csv": "",
        "big.csv": "x,y\n1e20,1\n2,2\n",
        "three.csv": "x,y\n10,20\n20,40\n30,60\n",
        "one.csv": "x,y\n1,2\n",
        "data.png": "x,y\n1,2\n2,4\n",
        "é.csv": "y,x\n2,1\n4,2\n",
        "cell5.log": cell5,
        "cut.log": "".join(cell5.splitlines(keepends=True)[:3]),
        "nan.log": cell5.replace("w = 0.706", "w = nan"),
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "bin.log").write_bytes(b"\x89PNG\r\n\x1a\n\xff\x00\xfe")
    np.save(folder / "pts.npy", np.array([[1, 2], [2, 4], [3, 6], [4, 8]], dtype=np.float64))
    np.save(folder / "ld.npy", np.array([[1, 2], [2, 4]], dtype=np.longdouble) * np.longdouble("1e400"))
    np.save(folder / "obj.npy", np.array([[1, None]], dtype=object), allow_pickle=True)
    for name, rows in (("huge.npy", 10**12), ("neg.npy", -5), ("cut.npy", 3)):
        with (folder / name).open("wb") as file:
            header = {"descr": "<f8", "fortran_order": False, "shape": (rows, 2)}
            np.lib.format.write_array_header_1_0(file, header)
            file.write(np.zeros(4).tobytes())  # two rows, whatever the header says
    (folder / "dir.png").mkdir()


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


@contextlib.contextmanager
def _fd_captured() -> Iterator[list[bytes]]:
    """What is written to file descriptors 1 and 2 meanwhile (C libraries write there), in ``got[0]``."""
    got: list[bytes] = []
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield got
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            sink.seek(0)
            got.append(sink.read())


def _options(command: str) -> list[tuple[str, str]]:
    """(option, kind) of ``command``'s parser: the grammar the argv are drawn from."""
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    parser = sub.choices[command]  # type: ignore[index]
    kinds = {"lr": "float", "test_x": "float", "epochs": "epochs", "log_every": "int", "seed": "int"}
    kinds |= {"x": "list", "y": "list", "init": "list", "data": "file", "plot": "plot", "workers": "workers"}
    kinds |= {"gradient": "gradient", "device": "device", "json": "flag", "here_only": "flag"}
    return [(a.option_strings[0], kinds[a.dest]) for a in parser._actions if a.option_strings and a.dest != "help"]


def _value(kind: str, slow: bool) -> st.SearchStrategy[str]:
    floats = st.sampled_from(FLOATS) | st.floats().map(repr) | st.integers(-(10**40), 10**40).map(str)
    return {
        "float": floats,
        "int": st.sampled_from(INTS) | st.integers(-5, 50).map(str),
        "epochs": st.sampled_from(EPOCHS),
        "list": st.lists(floats, max_size=5).map(",".join) | st.sampled_from(["", ",", "1,,2", "1,2,3,4"]),
        "file": st.sampled_from(FILES),
        "plot": st.sampled_from(PLOTS),
        "workers": st.sampled_from(["0", "-1", "x", "1", "2", "4"] if slow else ["0", "-1", "x", "1", ""]),
        "gradient": st.sampled_from(["notes", "mse", "exact", "", "MSE"]),
        "device": st.sampled_from(["cpu", "cuda", "cuda:1", "tpu", "", "CPU", "cuda:-1"]),
        "flag": st.just(""),
    }[kind]


@st.composite
def argvs(draw: st.DrawFn, slow: bool = False) -> list[str]:
    """An argv of ``linreg``: a subcommand, a stage, some of its options with values of every class."""
    command = draw(st.sampled_from(["notes", "run", "run", "run", "recover", "recover", "nope", ""]))
    if command not in ("run", "recover"):
        return [command] if command else []
    argv = [command, draw(st.sampled_from([*STAGES, *STAGES, "linear", "foo", "", "NUMPY"]))]
    if command == "recover":
        argv.append(draw(st.sampled_from(FILES)))
    options = _options(command)
    chosen = draw(st.lists(st.sampled_from(options), max_size=5, unique=True))
    for option, kind in chosen:
        if kind == "flag":
            argv.append(option)
        else:
            argv.append(f"{option}={draw(_value(kind, slow))}")
    if draw(st.booleans()) and draw(st.booleans()):
        argv.append(draw(st.sampled_from(["--nope", "-x", "extra", "--lr", "--"])))
    return argv


NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan|infinity)(?![\w.])", re.IGNORECASE)


def _printed_numbers_finite(text: str) -> None:
    assert not re.search(r"\b(inf|nan|infinity)\b", text, re.IGNORECASE), text[-500:]
    with contextlib.suppress(json.JSONDecodeError):
        json.loads(text, parse_constant=lambda c: pytest.fail(f"--json printed {c}"))


def check_argv(argv: list[str], stdin: bytes | None = b"") -> None:
    """Run ``linreg argv`` in a fresh folder of the user's files and check the way it ends."""
    folder = Path(tempfile.mkdtemp(prefix="linreg-fuzz-"))
    here = Path.cwd()
    try:
        _write_files(folder)
        before = _snapshot(folder)
        os.chdir(folder)
        out, err = io.StringIO(), io.StringIO()
        fake_in = None if stdin is None else io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        with (
            _fd_captured() as raw,
            warnings.catch_warnings(record=True) as caught,
            contextlib.redirect_stderr(io.StringIO()) as stray_err,
            contextlib.redirect_stdout(io.StringIO()) as stray_out,
            _stdin(fake_in),
        ):
            warnings.simplefilter("always")
            status = main(argv, out, err)
        after = _snapshot(folder)
    finally:
        os.chdir(here)
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    said = f"linreg {' '.join(argv)!r} → {status}\nstdout: {out.getvalue()[-300:]!r}\nstderr: {err.getvalue()!r}"
    assert not caught, f"{said}\nwarnings: {[str(w.message) for w in caught]}"
    stray = f"{said}\nstray: {stray_err.getvalue()!r} {stray_out.getvalue()!r} {raw[0][-500:]!r}"
    assert not stray_err.getvalue(), stray
    assert not stray_out.getvalue(), stray
    assert not raw[0], stray
    lines = err.getvalue().splitlines()
    plot = next((a.split("=", 1)[1] for a in argv if a.startswith("--plot=")), None)
    if status == 0:
        _printed_numbers_finite(out.getvalue())
        assert all(line.startswith("linreg: ") and "error" not in line for line in lines), said
        made = {name for name in after if name not in before}
        assert made <= ({plot} if plot else set()), f"{said}\nnew files: {made}"
    else:
        assert status in (1, 2), said
        assert len(lines) == 1, said
        assert lines[0].startswith("linreg: error: "), said
        assert after.keys() == before.keys() or not (after.keys() - before.keys()), said
    for name, content in before.items():
        if status == 0 and name == plot:  # the plot asked for replaces a file of that name
            continue
        assert after.get(name, b"gone") == content, f"{said}\nthe user's {name} was touched"


@contextlib.contextmanager
def _stdin(stream: io.TextIOWrapper | None) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = stream
    try:
        yield
    finally:
        sys.stdin = saved


FAST = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=list(HealthCheck),
)
SLOW = settings(
    max_examples=int(os.environ.get("LINREG_FUZZ_EXAMPLES", "3000")),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)

# Found by the fuzzer (or by hand, issue 24), kept so that each stays fixed.
FOUND = [
    ["run", "linear", "--init=1e39,0"],
    ["run", "linear", "--seed=18446744073709551616"],
    ["run", "numpy", "--test-x=1e39"],
    ["run", "numpy", "--test-x=3e38"],
    ["run", "optim", "--test-x=1e39", "--epochs=1"],
    ["run", "backprop", "--x=1e39", "--y=1"],
    ["run", "numpy", "--init=1e39"],
    ["run", "stats", "--init=1e308,1e308", "--epochs=1"],
    ["run", "numpy", "--x=0,0,0", "--y=1,2,3", "--lr=1e300", "--epochs=1"],
    ["run", "numpy", "--lr=0.1"],
    ["run", "linear", "--seed=0", "--init=1,2", "--epochs=1"],
    ["run", "linear", "--gradient=mse"],
    ["run", "stats", "--gradient=mse"],
    ["run", "backprop", "--epochs=5", "--lr=3", "--log-every=7", "--test-x=9"],
    ["run", "numpy", "--data=huge.npy"],
    ["run", "numpy", "--data=neg.npy"],
    ["run", "numpy", "--data=ld.npy"],
    ["run", "numpy", "--data=data.png", "--plot=data.png"],
    ["run", "numpy", "--plot=" + "p" * 300 + ".png"],
    ["recover", "linear", "cell5.log", "--epochs=1000000000000"],
    ["recover", "linear", "cell5.log", "--lr=1e300"],
    ["run", "backprop", "--x=1e30", "--y=1"],
    ["run", "autograd", "--x=1e20,1", "--y=1,2"],
    ["run", "numpy", "--test-x=3e38", "--epochs=1"],  # the prediction after training: refused before the log
    ["run", "linear", "--seed=1", "--test-x=3e38"],
    ["run", "numpy", "--lr=0.1", "--test-x=1e25"],  # above the stable rate: refused when training ends
]


def _with_examples(test: Any) -> Any:  # noqa: ANN401 (a Hypothesis test)
    for argv in reversed(FOUND):
        test = example(argv)(test)
    return test


@FAST
@_with_examples
@given(argvs())
def test_the_command_line_ends_well_for_any_argv(argv: list[str]) -> None:
    check_argv(argv)


@pytest.mark.slow
@SLOW
@given(argvs(slow=True))
def test_the_command_line_ends_well_for_any_argv_long(argv: list[str]) -> None:
    check_argv(argv)


def test_recover_from_a_closed_stdin_is_one_line() -> None:
    check_argv(["recover", "linear", "-"], stdin=None)


def test_recover_from_stdin_reads_the_log() -> None:
    check_argv(["recover", "linear", "-", "--here-only"], stdin=_cell5().encode())


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.sampled_from([10**400, -(10**400), 2**64, 2**63, -1, 0]),
    st.floats(),
    st.sampled_from([np.float32(1e30), np.float64(1e39), np.longdouble("1e400"), np.int64(-3)]),
    st.text(max_size=4),
    st.binary(max_size=3),
    st.lists(st.floats() | st.integers(-(10**400), 10**400), max_size=4),
    st.lists(st.floats(allow_nan=False), max_size=4).map(tuple),
    st.sampled_from([np.array(0.5), np.zeros((2, 2)), np.array([1.0, np.inf]), {1.0: 2}, {1.0}, object()]),
    st.sampled_from([np.array([1, 2], dtype=np.longdouble) * np.longdouble("1e400"), np.array(["1", "2"])]),
)
FIELDS = ["lr", "epochs", "log_every", "x", "y", "init", "seed", "test_x", "gradient", "device", "data", "nope"]


@FAST
@example("numpy", {"x": [10**400, 1], "y": [1, 2]})
@example("numpy", {"init": np.array(0.5)})
@example(["numpy"], {})
@example("numpy", {"init": {1.0: 2}})
@example("linear", {"seed": 0, "init": (1.0, 2.0)})
@example("linear", {"seed": 0, "init": (0.45988736, -0.3066888)})  # the default start, given: refused too
@given(
    st.sampled_from([*STAGES, "foo", None, ["numpy"], 3]),
    st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=4),
)
def test_settings_for_stage_is_a_linreg_error_or_valid(stage: Any, changes: dict[str, Any]) -> None:  # noqa: ANN401
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            made = Settings.for_stage(stage, **changes)
        except LinregError as exc:
            message = str(exc)
            made = None
    if made is None:
        assert "\n" not in message
        return
    dtype = made.info.dtype
    for value in (made.lr, made.test_x, *made.init):
        assert math.isfinite(value)
        assert abs(value) <= np.finfo(dtype).max
    assert made.seed is None or 0 <= made.seed < 2**64
    assert made.gradient == "notes" or made.info.hand_gradient
    assert made.seed is None or made.init == made.info.init
