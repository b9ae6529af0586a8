"""Steps that run the command line: in-process through ``linreg.cli.main``, or as the real console script."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from pytest_bdd import given, parsers, then, when

from linreg import Settings, logfmt, train
from linreg.cli import main
from linreg.recover.paths import KernelPath


@dataclass(frozen=True)
class CliResult:
    """What one command printed and how it exited."""

    status: int
    stdout: str
    stderr: str
    command: str = ""  # what was run, in-process
    left: str = ""  # processes of the run still alive after it ended (pgrep's lines)


def _in_process(command: str, cwd: Path) -> CliResult:
    argv = shlex.split(command)
    assert argv[0] == "linreg", f"commands start with linreg, got {command!r}"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), warnings.catch_warnings(record=True) as caught:  # file names: the scenario's files
        warnings.simplefilter("always")
        try:
            status = main(argv[1:], out, err)
        except SystemExit as exc:  # argparse ends --help this way
            status = int(exc.code or 0)
    for warning in caught:  # the console script would print them on stderr
        err.write(warnings.formatwarning(warning.message, warning.category, warning.filename, warning.lineno))
    return CliResult(status, out.getvalue(), err.getvalue(), command)


@given(parsers.parse('a file "{name}" holding what "{command}" prints'))
def given_file_from_command(tmp_path: Path, name: str, command: str) -> None:
    """Writes a file, in the scenario's folder, holding what this linreg command prints (it must succeed)."""
    result = _in_process(command, tmp_path)
    assert result.status == 0, result.stderr
    (tmp_path / name).write_text(result.stdout)


@given(parsers.parse('a copy "{name}" of "{source}" with line {number:d} replaced by "{text}"'))
def given_edited_copy(tmp_path: Path, name: str, source: str, number: int, text: str) -> None:
    """Writes a copy of a file of the scenario's folder with one line (counted from 1) replaced."""
    lines = (tmp_path / source).read_text().splitlines()
    lines[number - 1] = text
    (tmp_path / name).write_text("\n".join(lines) + "\n")


@given(parsers.parse('a file "{name}" holding:'))
def given_file(tmp_path: Path, name: str, docstring: str) -> None:
    """Writes a file, in the scenario's folder, holding the docstring's lines."""
    (tmp_path / name).write_text(docstring + "\n")


_BREAKS = {"LF": "\n", "CRLF": "\r\n"}


@given(parsers.parse('a file "{name}" holding these lines, with {breaks} line breaks and {last} after the last:'))
def given_file_with_breaks(tmp_path: Path, name: str, breaks: str, last: str, docstring: str) -> None:
    """Writes the docstring's lines ended by LF or CRLF, with "one" or "none" after the last line."""
    assert breaks in _BREAKS, f"line breaks are {', '.join(_BREAKS)}, not {breaks!r}"
    assert last in ("one", "none"), f"after the last line comes one line break or none, not {last!r}"
    text = _BREAKS[breaks].join(docstring.splitlines()) + (_BREAKS[breaks] if last == "one" else "")
    (tmp_path / name).write_bytes(text.encode())


@given(parsers.parse('a file "{name}" holding the text "{text}"'))
def given_text_file(tmp_path: Path, name: str, text: str) -> None:
    """``\\n`` in the text stands for a line break (for one-line Examples cells)."""
    (tmp_path / name).write_text(text.replace("\\n", "\n") + ("\n" if text else ""))


@given(parsers.parse('a file "{name}" holding the bytes {data}'))
def given_binary_file(tmp_path: Path, name: str, data: str) -> None:
    """Writes a file, in the scenario's folder, holding these bytes written in hex (e.g. efbbbf782c79)."""
    (tmp_path / name).write_bytes(bytes.fromhex(data))


@when(parsers.parse('I run "{command}"'), target_fixture="cli")
def when_run(tmp_path: Path, command: str) -> CliResult:
    """Runs this linreg command in-process, in the scenario's folder; later steps check what it printed."""
    return _in_process(command, tmp_path)


def console_script(command: str) -> list[str]:
    """``command`` with its program made the venv's script, also when PATH lacks the venv."""
    argv = shlex.split(command)
    beside = Path(sys.executable).with_name(argv[0])
    executable = str(beside) if beside.exists() else shutil.which(argv[0])
    assert executable is not None, f"{argv[0]} is not on PATH: install the package (pip install -e .)"
    return [executable, *argv[1:]]


@when(parsers.parse('I run the console script "{command}"'), target_fixture="cli")
def when_run_script(tmp_path: Path, command: str) -> CliResult:
    """Runs this command as the installed console script, in a real process, in the scenario's folder."""
    done = subprocess.run(console_script(command), capture_output=True, text=True, cwd=tmp_path, check=False)
    return CliResult(done.returncode, done.stdout, done.stderr)


@when(parsers.parse('I run the console script "{command}" into a pipe whose reader has gone'), target_fixture="cli")
def when_run_into_closed_pipe(tmp_path: Path, command: str) -> CliResult:
    """`linreg … | head -0` at a shell: the first write to stdout finds nobody reading."""
    import os

    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(console_script(command), stdout=write, stderr=subprocess.PIPE, cwd=tmp_path, check=False)
    finally:
        os.close(write)
    return CliResult(done.returncode, "", done.stderr.decode(errors="replace"), command)


@when(parsers.parse('I run the console script "{command}" on a terminal'), target_fixture="cli")
def when_run_on_terminal(tmp_path: Path, command: str) -> CliResult:
    """stderr on a pseudo-terminal of 100 × 24 characters, stdout on a pipe: `linreg … | tee log` at a shell."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(console_script(command), stdout=subprocess.PIPE, stderr=slave, cwd=tmp_path)
    os.close(slave)
    terminal = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal closed: the process has ended
            break
        if not data:
            break
        terminal += data
    os.close(master)
    stdout = process.stdout.read().decode() if process.stdout else ""
    return CliResult(process.wait(), stdout, terminal.decode(errors="replace"), command)


@then(parsers.parse('the terminal shows a progress bar "{label}" counting the epochs, then clears it'))
def then_progress_bar(cli: CliResult, label: str) -> None:
    """Checks the terminal showed a progress bar with this label, counting to --epochs, then cleared it."""
    total = int(cli.command.split("--epochs ")[1].split()[0])
    for part in (f"{label}:", f"/{total} [", "epoch/s]"):
        assert part in cli.stderr, cli.stderr[-300:]
    *_, cleared, end = cli.stderr.rsplit("\r", 2)
    assert end == "", f"the bar is not cleared: {cli.stderr[-200:]!r}"
    assert cleared.strip() == "", f"the bar is not cleared: {cli.stderr[-200:]!r}"


@then("stdout holds only log lines")
def then_only_log_lines(cli: CliResult) -> None:
    """Checks stdout holds only log lines (Prediction … and epoch …), no progress bar."""
    assert "\r" not in cli.stdout, cli.stdout[:300]
    assert all(line.startswith(("Prediction", "epoch ")) for line in cli.stdout.splitlines()), cli.stdout[:300]


@then("stderr is empty")
def then_stderr_empty(cli: CliResult) -> None:
    """Checks the command said nothing on stderr."""
    assert cli.stderr == ""


@then(parsers.parse('"{name}" is a {kind} image of {width:d} × {height:d} pixels'))
def then_image(tmp_path: Path, name: str, kind: str, width: int, height: int) -> None:
    """Checks the file is a PNG or SVG image of this width × height in pixels."""
    data = (tmp_path / name).read_bytes()
    if kind == "PNG":
        assert png_size(data) == (width, height)
    else:
        assert kind == "SVG", kind
        assert b"<svg" in data[:1000], data[:200]
        assert f'width="{width * 72 // 100}pt" height="{height * 72 // 100}pt"'.encode() in data[:1000], data[:600]


@then(parsers.parse('"{name}" shows the texts {texts}'))
def then_svg_texts(tmp_path: Path, name: str, texts: str) -> None:
    """``"a", "b" and "c"``: matplotlib's SVG keeps each drawn text in a comment beside its glyphs."""
    drawn = set(re.findall(r"<!-- (.*?) -->", (tmp_path / name).read_text(encoding="utf-8")))
    wanted = re.findall(r'"(.*?)"', texts)
    assert wanted, texts
    missing = [text for text in wanted if text.replace("'", "&#39;") not in drawn and text not in drawn]
    assert missing == [], f"not drawn: {missing}; drawn: {sorted(drawn)}"


@then(parsers.parse('plotting the same run again, later, writes the same "{name}", byte for byte'))
def then_plot_reproducible(tmp_path: Path, name: str) -> None:
    """Checks `linreg run linear` plots the same bytes again (tests/test_cli_messages.py: no date or software name)."""
    data = (tmp_path / name).read_bytes()
    again = _in_process(f"linreg run linear --plot again{Path(name).suffix}", tmp_path)
    assert again.status == 0, again.stderr
    assert (tmp_path / f"again{Path(name).suffix}").read_bytes() == data


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG image, from its IHDR chunk; fails for anything that is not a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:8]
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@then(parsers.parse('there is no file "{name}"'))
def then_no_file(tmp_path: Path, name: str) -> None:
    """Checks no file in the scenario's folder has this text in its name (nothing left behind)."""
    leftovers = [p.name for p in tmp_path.iterdir() if name in p.name]
    assert leftovers == [], leftovers


@then(parsers.parse("the exit status is {status:d}"))
def then_status(cli: CliResult, status: int) -> None:
    """Checks the command exited with this status (0 for success)."""
    assert cli.status == status, f"status {cli.status}, stderr {cli.stderr!r}"


@then("stdout is:")
def then_stdout(cli: CliResult, docstring: str) -> None:
    """Checks stdout is exactly the docstring's lines."""
    assert cli.stdout.splitlines() == docstring.splitlines()


@then("stdout is empty")
def then_stdout_empty(cli: CliResult) -> None:
    """Checks the command printed nothing on stdout."""
    assert cli.stdout == ""


@then(parsers.parse('the last line of stdout is "{line}"'))
def then_last_line(cli: CliResult, line: str) -> None:
    """Checks the last line of stdout is exactly this."""
    assert cli.stdout.splitlines()[-1] == line


@then(parsers.parse('stdout has the line "{line}"'))
def then_stdout_line(cli: CliResult, line: str) -> None:
    """Checks stdout has this exact line among its lines."""
    assert line in cli.stdout.splitlines(), cli.stdout


@then(parsers.parse('stderr is the one line "{line}"'))
def then_stderr_line(cli: CliResult, line: str) -> None:
    """Checks stderr is exactly this one line."""
    assert cli.stderr == line + "\n"


@then(parsers.parse('stderr is one line, these parts joined by "{separator}":'))
def then_stderr_parts(cli: CliResult, separator: str, docstring: str) -> None:
    """A long message, written one part per line in the feature; … stands for a number the feature leaves open."""
    pattern = r"\d+".join(re.escape(text) for text in separator.join(docstring.splitlines()).split("…"))
    assert re.fullmatch(pattern + "\n", cli.stderr), cli.stderr


@then("stderr is one line, with no traceback")
def then_stderr_one_line(cli: CliResult) -> None:
    """Checks stderr is one "linreg: error: …" line, with no Python traceback."""
    assert cli.stderr.startswith("linreg: error: "), cli.stderr
    assert cli.stderr.count("\n") == 1, cli.stderr
    assert "Traceback" not in cli.stderr


@then(parsers.parse('under the heading "{heading}" stdout holds what "{command}" prints'))
def then_section(cli: CliResult, tmp_path: Path, heading: str, command: str) -> None:
    """Checks that under this heading line stdout holds exactly what the other command prints."""
    lines = cli.stdout.splitlines()
    start = lines.index(heading) + 1
    expected = _in_process(command, tmp_path).stdout.splitlines()
    assert lines[start : start + len(expected)] == expected
    assert start + len(expected) == len(lines) or lines[start + len(expected)] == ""


@then(parsers.parse('stdout is what it prints without "{option}"'))
def then_same_without(cli: CliResult, tmp_path: Path, option: str) -> None:
    """Checks the command prints the same stdout, and exits the same, when run without this option."""
    _then_same(cli, tmp_path, f" {option}", "")


@then(parsers.parse('stdout is what it prints with "{new}" in place of "{old}"'))
def then_same_with(cli: CliResult, tmp_path: Path, new: str, old: str) -> None:
    """Checks the command prints the same stdout, and exits the same, with the first text for the second."""
    _then_same(cli, tmp_path, old, new)


@then(parsers.parse('stderr is what it says without "{option}"'))
def then_same_stderr_without(cli: CliResult, tmp_path: Path, option: str) -> None:
    """Checks the command says the same on stderr (something, not nothing) when run without this option."""
    assert f" {option}" in cli.command, f"{option!r} is not in {cli.command!r}"
    other = _in_process(cli.command.replace(f" {option}", ""), tmp_path)
    assert other.stderr, "the run without it says nothing on stderr"
    assert cli.stderr == other.stderr


def _then_same(cli: CliResult, tmp_path: Path, old: str, new: str) -> None:
    assert old in cli.command, f"{old!r} is not in {cli.command!r}"
    other = _in_process(cli.command.replace(old, new), tmp_path)
    assert other.status == cli.status, other.stderr
    assert cli.stdout == other.stdout
    assert cli.stdout.count("\n") > 1, cli.stdout


def _recovered(cli: CliResult, stage: str) -> Settings:
    w, b = cli.stdout.splitlines()[-1].split(",")
    return Settings.for_stage(stage, init=(float(w), float(b)))


@then(parsers.parse('replaying "{stage}" from the last line of stdout prints "{name}" exactly'))
def then_replay(cli: CliResult, tmp_path: Path, stage: str, name: str) -> None:
    """Checks training the stage from the "w,b" on stdout's last line prints that file's log exactly."""
    assert train(_recovered(cli, stage)).lines() == (tmp_path / name).read_text().splitlines()


@then(
    parsers.parse(
        'replaying "{stage}" from the last line of stdout prints "{name}" exactly on every CPU kernel path '
        "and in every mode of the emulation"
    )
)
def then_replay_everywhere(cli: CliResult, tmp_path: Path, stage: str, name: str) -> None:
    """Checks training the stage from stdout's last "w,b" prints the file's log on every CPU kernel path this
    CPU runs, and in every mode of the emulation (one per kind of path, so on every CPU)."""
    from linreg.recover.emulate import MODES, replay
    from linreg.recover.kernels import workers

    expected = (tmp_path / name).read_text().splitlines()
    settings = _recovered(cli, stage)
    assert train(settings).lines() == expected
    replays = workers().replay([settings])
    assert replays.paths, f"no CPU kernel path ran: {replays.skipped}"
    for path, (per_thread,) in replays.lines.items():
        assert all(lines == expected for lines in per_thread), f"{path} prints otherwise"
    for mode in MODES:
        assert replay(settings, mode)[0] == expected, f"{mode} prints otherwise"


def _paths_named(text: str) -> list[KernelPath]:
    """The paths of one group as stderr names them: ``MKL_CBWR=A, B each with ATEN_CPU_CAPABILITY=x, y``."""
    mkl, _, aten = text.removeprefix("MKL_CBWR=").partition(" with ATEN_CPU_CAPABILITY=")
    return [KernelPath(m, a) for m in mkl.removesuffix(" each").split(", ") for a in aten.split(", ")]


@then(
    parsers.parse(
        'each start stderr names prints "{name}" as "{stage}" just where it says, and one of them prints it here'
    )
)
def then_named_starts_print(cli: CliResult, tmp_path: Path, name: str, stage: str) -> None:
    """Checks every start stderr names (stdout's last line first) prints the log file, as this stage, in the
    emulation's modes named with it, for real on exactly those of their paths this CPU runs (on no other), and
    that one of them prints it in this test process."""
    from linreg.recover.emulate import mode_of, replay
    from linreg.recover.kernels import workers

    log = (tmp_path / name).read_text().splitlines()
    first = tuple(float(v) for v in cli.stdout.splitlines()[-1].split(","))
    named: dict[tuple[float, ...], list[KernelPath]] = {}
    start = None
    for clause in cli.stderr.strip().split("; "):
        if match := re.fullmatch(r"this one prints it in the modes for (MKL_CBWR=.*)", clause):
            start, group = first, match[1]
        elif match := re.fullmatch(r"from (\S+),(\S+) it prints it in the modes for (MKL_CBWR=.*)", clause):
            start, group = (float(match[1]), float(match[2])), match[3]
        elif clause.startswith("MKL_CBWR=") and start is not None:
            group = clause
        else:
            start = None
            continue
        named.setdefault(start, []).extend(_paths_named(group))
    assert first in named, cli.stderr
    runs = [Settings.for_stage(stage, init=start) for start in named]
    replays = workers().replay(runs)
    for settings, paths in zip(runs, named.values(), strict=True):
        for mode in {mode_of(path) for path in paths}:
            assert replay(settings, mode)[0] == log, f"{settings.init} in {mode}"
        for path, per_run in replays.lines.items():
            prints = all(lines == log for lines in per_run[runs.index(settings)])
            assert prints == (path in paths), f"{settings.init} on {path}: prints it {prints}, named {path in paths}"
    assert any(train(settings).lines() == log for settings in runs), "none of them prints it in this process"


@then(parsers.parse('stderr starts with "{text}"'))
def then_stderr_starts(cli: CliResult, text: str) -> None:
    """Checks stderr is one line, starting with this text."""
    assert cli.stderr.startswith(text), cli.stderr
    assert cli.stderr.count("\n") == 1, cli.stderr


@then(parsers.parse('stderr ends with "{text}"'))
def then_stderr_ends(cli: CliResult, text: str) -> None:
    """Checks stderr is one line, ending with this text."""
    assert cli.stderr.endswith(f"{text}\n"), cli.stderr
    assert cli.stderr.count("\n") == 1, cli.stderr


@then("stdout is this JSON:")
def then_stdout_json(cli: CliResult, docstring: str) -> None:
    """Checks stdout is JSON equal to the docstring's JSON (key order and spacing aside)."""
    assert json.loads(cli.stdout) == json.loads(docstring)


@then(parsers.parse("stdout is JSON with {count:d} epochs, epoch {epoch:d} having w = {w} and loss = {loss}"))
def then_json(cli: CliResult, count: int, epoch: int, w: str, loss: str) -> None:
    """Checks stdout is JSON of this many epochs, and this epoch's w and loss as the log prints them."""
    data = json.loads(cli.stdout)
    assert len(data["epochs"]) == count
    record = data["epochs"][epoch - 1]
    assert logfmt.epoch_fields(record["epoch"], record["w"], record["loss"]) == (str(epoch), w, loss)
