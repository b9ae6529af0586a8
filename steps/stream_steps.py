"""Steps that end a real run in the ways a shell can: Ctrl-C, a full disk, a closed stdout."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then, when

from .cli_steps import CliResult, console_script

# run argv[1:] with SIGINT at its default, as a terminal's foreground program starts
AS_IN_A_TERMINAL = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"
)


@pytest.fixture
def run_temp() -> Iterator[Path]:
    """The TMPDIR of a run a step signals: a new folder with a short path, as multiprocessing's sockets
    live there and a socket's path holds at most 107 bytes (a scenario's own folder under pytest -n 2
    is longer); removed after the scenario."""
    folder = Path(tempfile.mkdtemp(prefix="linreg-run-", dir="/tmp" if Path("/tmp").is_dir() else None))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _processes(session: int) -> list[str]:
    """The processes of a process session (pgrep's lines)."""
    return subprocess.run(["pgrep", "-s", str(session)], capture_output=True, text=True, check=False).stdout.split()


def _interrupt(
    tmp_path: Path, temp: Path, command: str, seconds: float | None, workers: int = 0, *, terminate: bool = False
) -> CliResult:
    """SIGINT to the whole process group, as a terminal's Ctrl-C sends it (or, with ``terminate``,
    SIGTERM to the run's own process, as ``kill PID`` sends it): after the first line of stdout,
    after ``seconds``, or once ``workers`` workers have started (within 60 s): each opens its stderr file,
    ``worker<rank>.err`` in the run's temporary folder (linreg.scale.launch). The run starts with
    SIGINT at its default, as a terminal's foreground program does, even where pytest itself
    ignores it (a background job of a script, say): a small launcher sets it, then execs the
    console script. Its temporary files go to ``temp``."""
    process = subprocess.Popen(
        [sys.executable, "-c", AS_IN_A_TERMINAL, *console_script(command)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        start_new_session=True,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    assert process.stdout is not None
    first = b""
    if workers:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if len(list(temp.glob("*/worker*.err"))) >= workers:
                break
            time.sleep(0.05)
    elif seconds is None:
        first = process.stdout.readline()
    else:
        time.sleep(seconds)
    if terminate:
        os.kill(process.pid, signal.SIGTERM)
    else:
        os.killpg(process.pid, signal.SIGINT)
    try:
        rest, err = process.communicate(timeout=60)
    finally:
        alive = _processes(process.pid)
        for _ in range(25):  # workers, if any, have had the signal too: give them half a second to go
            if not alive:
                break
            time.sleep(0.02)
            alive = _processes(process.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # whatever is left must not outlive the scenario
    out = (first + rest).decode(errors="replace")
    return CliResult(process.returncode, out, err.decode(errors="replace"), command, " ".join(alive))


@when(
    parsers.parse('I run the console script "{command}" and press Ctrl-C once it has printed a line'),
    target_fixture="cli",
)
def when_interrupted(tmp_path: Path, run_temp: Path, command: str) -> CliResult:
    """Runs the console script and presses Ctrl-C (SIGINT) as soon as it has printed its first line."""
    return _interrupt(tmp_path, run_temp, command, None)


@when(
    parsers.parse('I run the console script "{command}" and press Ctrl-C after {seconds:d} seconds'),
    target_fixture="cli",
)
def when_interrupted_after(tmp_path: Path, run_temp: Path, command: str, seconds: int) -> CliResult:
    """Runs the console script and presses Ctrl-C (SIGINT) after this many seconds."""
    return _interrupt(tmp_path, run_temp, command, seconds)


@when(
    parsers.parse('I run the console script "{command}" and press Ctrl-C once its {workers:d} workers have started'),
    target_fixture="cli",
)
def when_interrupted_with_workers(tmp_path: Path, run_temp: Path, command: str, workers: int) -> CliResult:
    """Runs the console script and presses Ctrl-C once this many of its workers have started."""
    return _interrupt(tmp_path, run_temp, command, None, workers=workers)


@when(
    parsers.parse('I run the console script "{command}" and send it SIGTERM once its {workers:d} workers have started'),
    target_fixture="cli",
)
def when_terminated_with_workers(tmp_path: Path, run_temp: Path, command: str, workers: int) -> CliResult:
    """Runs the console script and sends its own process SIGTERM (``kill PID``) once this many of its
    workers have started."""
    return _interrupt(tmp_path, run_temp, command, None, workers=workers, terminate=True)


@then("no process of the run is left")
def then_none_left(cli: CliResult) -> None:
    """Checks no process of the interrupted run (workers included) is still alive after it ended."""
    assert cli.left == "", f"processes left: {cli.left}"


@then("the run's temporary folder holds nothing of linreg's")
def then_no_temporary_files(run_temp: Path) -> None:
    """Checks the run's TMPDIR is empty but for torch's compiler cache (torchinductor_USER), which
    every process that imports torch makes there and keeps."""
    left = sorted(p.name for p in run_temp.iterdir() if not p.name.startswith("torchinductor_"))
    assert left == [], f"left in the temporary folder: {left}"


@when(parsers.parse('I run the console script "{command}" with stdout on {device}'), target_fixture="cli")
def when_stdout_on(tmp_path: Path, command: str, device: str) -> CliResult:
    """``> /dev/full`` (every write fails: no space left) or ``>&-`` (stdout closed) at a shell."""
    if device == "a closed descriptor":
        done = subprocess.run(console_script(command), stdout=None, stderr=subprocess.PIPE, cwd=tmp_path,
                              check=False, pass_fds=(), preexec_fn=lambda: os.close(1))  # fmt: skip
    else:
        with Path(device).open("wb") as out:
            done = subprocess.run(
                console_script(command), stdout=out, stderr=subprocess.PIPE, cwd=tmp_path, check=False
            )
    return CliResult(done.returncode, "", done.stderr.decode(errors="replace"))


@given(parsers.parse('a file "{name}" whose second line is {count:d} digits long'))
def given_long_line(tmp_path: Path, name: str, count: int) -> None:
    """Writes a CSV file whose second line holds a number this many digits long."""
    (tmp_path / name).write_text("x,y\n1," + "2" * count + "\n3,4\n")


@given(parsers.parse('a folder "{name}"'))
def given_folder(tmp_path: Path, name: str) -> None:
    """Makes an empty folder of this name in the scenario's folder."""
    (tmp_path / name).mkdir()


@then(parsers.parse('stdout starts with "{text}"'))
def then_stdout_starts(cli: CliResult, text: str) -> None:
    """Checks stdout starts with this text."""
    assert cli.stdout.startswith(text), cli.stdout[:300]


@given(parsers.parse('a link "{name}" to "{target}"'))
def given_link(tmp_path: Path, name: str, target: str) -> None:
    """Makes a symbolic link of this name to the target (e.g. /dev/full), in the scenario's folder."""
    (tmp_path / name).symlink_to(target)


@when(parsers.parse('I run the console script "{command}" with {stream} closed'), target_fixture="cli")
def when_stream_closed(tmp_path: Path, command: str, stream: str) -> CliResult:
    """``2>&-`` (stderr closed) or ``<&-`` (stdin closed) at a shell; the other streams are captured."""
    fd = {"stdin": 0, "stderr": 2}[stream]
    pipe = subprocess.PIPE
    done = subprocess.run(console_script(command), stdin=None if fd == 0 else subprocess.DEVNULL, stdout=pipe,
                          stderr=None if fd == 2 else pipe, cwd=tmp_path, check=False,
                          preexec_fn=lambda: os.close(fd))  # fmt: skip
    return CliResult(done.returncode, done.stdout.decode(errors="replace"), (done.stderr or b"").decode())


@given(parsers.parse('a file "{name}" whose .npy header says {rows:d} rows of x,y, holding 2'))
def given_npy_header(tmp_path: Path, name: str, rows: int) -> None:
    """Writes a .npy file of float64 x,y rows whose header claims this many rows; it holds two."""
    import numpy as np

    with (tmp_path / name).open("wb") as file:
        np.lib.format.write_array_header_1_0(file, {"descr": "<f8", "fortran_order": False, "shape": (rows, 2)})
        file.write(np.array([1.0, 2.0, 2.0, 4.0]).tobytes())


@then(parsers.parse('"{name}" still holds the text "{text}"'))
def then_still_holds(tmp_path: Path, name: str, text: str) -> None:
    """Checks the user's file is untouched: it holds this text (``\\n``: a line break) and a final newline."""
    assert (tmp_path / name).read_text() == text.replace("\\n", "\n") + "\n"
