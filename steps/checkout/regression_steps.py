"""Steps that run the spec on copies of its features (``--linreg-update``, ``--linreg-tolerance``) and compare runs."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest
import pytest_bdd.feature
from pytest_bdd import given, parsers, then, when

from linreg.spec import compare

from ..cli_steps import CliResult
from . import spec_feature


@pytest.fixture
def copies() -> dict[str, bytes]:
    """The feature files copied into the scenario's folder, by name, as they were written."""
    return {}


def _copy(tmp_path: Path, copies: dict[str, bytes], feature: str, name: str, changes: list[list[str]]) -> None:
    lines = spec_feature(feature).read_bytes().decode("utf-8").splitlines(keepends=True)
    for number, text, becomes in changes:
        line = lines[int(number) - 1]
        assert line.count(text) == 1, f"line {number} of {feature} holds {text!r} {line.count(text)} times"
        lines[int(number) - 1] = line.replace(text, becomes)
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes("".join(lines).encode("utf-8"))
    copies[name] = target.read_bytes()


@given(parsers.parse('the spec\'s "{feature}" copied as "{name}"'))
def given_copy(tmp_path: Path, copies: dict[str, bytes], feature: str, name: str) -> None:
    """Copies a feature file of this checkout's features/ into the scenario's folder, under this name."""
    _copy(tmp_path, copies, feature, name, [])


@given(parsers.parse('the spec\'s "{feature}" copied as "{name}", with these changes:'))
def given_changed_copy(
    tmp_path: Path, copies: dict[str, bytes], feature: str, name: str, datatable: list[list[str]]
) -> None:
    """The copy with, in each row | line | text | becomes |, that text on that line (counted from 1) replaced."""
    assert datatable[0] == ["line", "text", "becomes"], f"the header must be | line | text | becomes |: {datatable[0]}"
    _copy(tmp_path, copies, feature, name, datatable[1:])


@pytest.fixture
def spec_pytester(request: pytest.FixtureRequest) -> pytest.Pytester:
    """pytester, for runs of the spec in this process. torch._dynamo (optim.SGD's first step imports it) is
    imported first: pytester unloads the modules a test imported, and torch cannot load that one twice."""
    import torch._dynamo  # noqa: F401

    pytester: pytest.Pytester = request.getfixturevalue("pytester")
    return pytester


@when(parsers.parse('pytest runs "{arguments}" in this process'), target_fixture="cli")
def when_pytest_on_copies(spec_pytester: pytest.Pytester, tmp_path: Path, arguments: str) -> CliResult:
    """Runs pytest -q in this process, in the scenario's folder, with the plugin of this checkout."""
    pytest_bdd.feature.features.clear()  # pytest-bdd keeps each file as first parsed: a copy may have changed since
    with contextlib.chdir(tmp_path):
        result = spec_pytester.runpytest_inprocess(
            "-q", "-p", "no:randomly", "-p", "no:cacheprovider", *shlex.split(arguments)
        )
    return CliResult(int(result.ret), result.stdout.str() + "\n", result.stderr.str(), f"pytest {arguments}")


@when(parsers.parse('I compare "{arguments}"'), target_fixture="cli")
def when_compare(tmp_path: Path, arguments: str) -> CliResult:
    """Runs ``python -m linreg.spec.compare`` with these arguments, in this process, in the scenario's folder."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(tmp_path), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = compare.main(shlex.split(arguments))
        except SystemExit as exc:  # argparse's usage errors
            status = int(exc.code or 0)
    return CliResult(status, out.getvalue(), err.getvalue(), f"python -m linreg.spec.compare {arguments}")


@then(parsers.parse('"{name}" is the spec\'s "{feature}" again, byte for byte'))
def then_restored(tmp_path: Path, name: str, feature: str) -> None:
    """Checks the copy now holds exactly the bytes of this checkout's feature file."""
    assert (tmp_path / name).read_bytes() == spec_feature(feature).read_bytes()


@then(parsers.parse('"{name}" is as it was copied'))
def then_untouched(tmp_path: Path, copies: dict[str, bytes], name: str) -> None:
    """Checks the copy holds exactly the bytes it was written with."""
    assert (tmp_path / name).read_bytes() == copies[name]


@then(parsers.parse('pytest cannot collect "{name}", saying in one line "{line}"'))
def then_collection_error(tmp_path: Path, cli: CliResult, name: str, line: str) -> None:
    """Checks the run stopped at collection on this file, and its error is this one line (the folder aside)."""
    lines = cli.stdout.splitlines()
    header = [i for i, text in enumerate(lines) if re.fullmatch(rf"_+ ERROR collecting {re.escape(name)} _+", text)]
    assert len(header) == 1, cli.stdout
    section = []
    for text in lines[header[0] + 1 :]:
        if text.startswith(("___", "===")):
            break
        section.append(text.replace(f"{tmp_path}/", ""))
    assert section == [line], section
    assert cli.status == pytest.ExitCode.INTERRUPTED, cli.status


@then(parsers.parse('"{name}" still holds the text "{text}"'))
def then_still_holds(tmp_path: Path, name: str, text: str) -> None:
    """Checks a file of the scenario's folder holds exactly this text and a line break, as it was written."""
    assert (tmp_path / name).read_text(encoding="utf-8") == text + "\n"
