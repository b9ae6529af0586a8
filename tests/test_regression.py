"""Regression checking's machinery, in pytester's folders: --linreg-update, --linreg-tolerance, the report, compare.

features/3_tool/25_regression_checking.feature states the workflow; these check what a feature would
state clumsily: the cells' six features restored byte for byte, pytest-xdist, the recorded
environment, compare's refusals, JUnit XML's names and the traceback of a failing step.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import pytest_bdd.feature
from samples import ARGS, README_EXAMPLE

from linreg.spec.update import rewrite

ROOT = Path(__file__).resolve().parent.parent
CELLS = sorted((ROOT / "features" / "1_notes").glob("*.feature"))
MISREAD = {  # 5 numbers misread in 3 files: a doc string, table cells (one shorter), quoted lines
    "01_backpropagation.feature": [("tensor(-2.)", "tensor(-3.)")],
    "02_numpy_manual.feature": [("| 0.76800019  |", "| 0.76800091  |"), ("f(5)= 10.000", "f(5)= 10.00")],
    "05_nn_linear.feature": [("| 0.00498599  |", "| 0.0049860  |"), ("| 71    | 1.946 |", "| 71    | 1.947 |")],
}


@pytest.fixture(autouse=True)
def _torch_stays_loaded() -> Iterator[None]:
    """pytester unloads the modules a test imported, and torch cannot load torch._dynamo (optim.SGD's) twice;
    pytest-bdd keeps each feature file as first parsed, and these tests change theirs."""
    import torch._dynamo  # noqa: F401

    pytest_bdd.feature.features.clear()
    yield
    pytest_bdd.feature.features.clear()


def _misread(folder: Path, misread: dict[str, list[tuple[str, str]]] = MISREAD) -> None:
    for cell in CELLS:
        text = cell.read_text(encoding="utf-8")
        for right, wrong in misread.get(cell.name, []):
            assert text.count(right) == 1, (cell.name, right)
            text = text.replace(right, wrong)
        (folder / cell.name).write_text(text, encoding="utf-8")


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    pytest_bdd.feature.features.clear()
    return pytester.runpytest(*ARGS, *(cell.name for cell in CELLS), *args)


def test_update_restores_the_cells_features_byte_for_byte(pytester: pytest.Pytester) -> None:
    _misread(pytester.path)
    _run(pytester).assert_outcomes(failed=3, passed=17)
    updated = _run(pytester, "--linreg-update")
    updated.assert_outcomes(passed=20)
    updated.stdout.fnmatch_lines(["linreg update: 5 documented numbers written in 3 files"])
    updated.stdout.fnmatch_lines(["-      | 41    | 1.941 | 0.0049860  |", "+      | 41    | 1.941 | 0.00498599  |"])
    for cell in CELLS:  # this checkout's features, which pass in this very run: so do the restored copies
        assert (pytester.path / cell.name).read_bytes() == cell.read_bytes(), cell.name


RENAMED = {  # every step text of the cells' features that documents numbers, reworded; RENAMED_STEPS defines them
    ' the first line printed is "': ' the run begins with "',
    ' it prints "': ' the run shows the line "',
    " the logged epochs are:": " its epochs, as logged:",
    " it prints:": " the run shows:",
    " the cell prints:": " the cell shows:",
}
RENAMED_STEPS = """\
from pytest_bdd import parsers, then

from linreg.spec import recorder
from linreg.spec.steps import backprop_steps, training_steps


@then(parsers.parse('the run begins with "{shown}"'))
@recorder.documents("shown")
def begins(request, history, shown):
    training_steps.then_first_line(request, history, shown)


@then(parsers.parse('the run shows the line "{shown}"'))
@recorder.documents("shown")
def shows_line(request, history, shown):
    training_steps.then_prints_line(request, history, shown)


@then("its epochs, as logged:")
@recorder.documents("datatable")
def epochs(request, history, datatable):
    training_steps.then_logged_epochs(request, history, datatable)


@then("the run shows:")
@recorder.documents("docstring")
def shows(request, history, docstring):
    training_steps.then_prints(request, history, docstring)


@then("the cell shows:")
@recorder.documents("docstring")
def cell_shows(request, settings, result, docstring):
    backprop_steps.then_cell_prints(request, settings, result, docstring)
"""


def _records(pytester: pytest.Pytester, report: str) -> list[dict[str, object]]:
    numbers = json.loads((pytester.path / report).read_text(encoding="utf-8"))["numbers"]
    return [{k: v for k, v in n.items() if k != "column"} for n in numbers]  # a reworded line moves its quote


def test_a_reworded_step_keeps_its_numbers_checked_reported_and_updated(pytester: pytest.Pytester) -> None:
    _misread(pytester.path)
    _run(pytester, "--linreg-report=worded.json").assert_outcomes(failed=3, passed=17)
    for cell in CELLS:
        text = (pytester.path / cell.name).read_text(encoding="utf-8")
        for step, words in RENAMED.items():
            text = text.replace(step, words)
        (pytester.path / cell.name).write_text(text, encoding="utf-8")
    pytester.makeconftest(RENAMED_STEPS)
    reworded = _run(pytester, "--linreg-report=reworded.json")
    reworded.assert_outcomes(failed=3, passed=17)
    reworded.stdout.fnmatch_lines(  # the table's step fails with a number of a later reworded step of its run
        ["02_numpy_manual.feature:*: And its epochs, as logged:", "2 documented numbers moved:", "*f(5)  10.00 *"]
    )
    records = _records(pytester, "reworded.json")
    assert records == _records(pytester, "worded.json")
    assert len(records) > 100
    assert all(n["row"] for n in records)  # each found where its feature writes it
    _run(pytester, "--linreg-update").stdout.fnmatch_lines(["linreg update: 5 documented numbers written in 3 files"])
    for cell in CELLS:
        text = (pytester.path / cell.name).read_text(encoding="utf-8")
        for step, words in RENAMED.items():
            text = text.replace(words, step)
        assert text == cell.read_text(encoding="utf-8"), cell.name


@pytest.mark.slow  # pytest-xdist's workers import torch: about 20 s on 2 cores
def test_update_and_the_report_gather_the_workers_of_xdist(pytester: pytest.Pytester) -> None:
    _misread(pytester.path, {})
    alone = _run(pytester, "--linreg-report=alone.json")
    _misread(pytester.path)
    _run(pytester, "-n", "2", "--linreg-update", "--linreg-report=workers.json").assert_outcomes(passed=20)
    for cell in CELLS:
        assert (pytester.path / cell.name).read_bytes() == cell.read_bytes(), cell.name
    alone.assert_outcomes(passed=20)

    def numbers(name: str) -> list[tuple[str, int, str, str]]:
        data = json.loads((pytester.path / name).read_text(encoding="utf-8"))
        return sorted((n["feature"], n["row"], n["quantity"], n["got"]) for n in data["numbers"])

    assert numbers("workers.json") == numbers("alone.json")
    assert len(numbers("alone.json")) > 100


def test_a_wider_number_widens_its_column_in_every_row() -> None:
    table = "  Then the logged epochs are:\n    | epoch | w   |\n    | 1     | 1.5 |\n    | 2     | 1.7 |\n"
    assert rewrite(table, [(3, 14, "1.5", "1.25")]) == (
        "  Then the logged epochs are:\n    | epoch | w    |\n    | 1     | 1.25 |\n    | 2     | 1.7  |\n"
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--linreg-tolerance=-1",), "--linreg-tolerance=-1: give how many units of the last printed digit to hold"),
        (("--linreg-tolerance=one",), "--linreg-tolerance=one: give how many units"),
        (("--linreg-tolerance=1", "--linreg-update"), "--linreg-tolerance=1 with --linreg-update: the update writes"),
        (("--linreg-label=mine",), "--linreg-label names a report: add --linreg-report=FILE.json"),
    ],
)
def test_options_that_cannot_work_are_usage_errors(pytester: pytest.Pytester, args: tuple[str, ...], said: str) -> None:
    pytester.makefile(".feature", my=README_EXAMPLE)
    result = pytester.runpytest(*ARGS, "my.feature", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert said in result.stderr.str(), result.stderr.str()


def test_the_report_records_its_label_and_the_environment_that_chose_the_digits(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makefile(".feature", my=README_EXAMPLE)
    monkeypatch.setenv("MKL_CBWR", "COMPATIBLE")
    monkeypatch.delenv("ATEN_CPU_CAPABILITY", raising=False)
    pytester.runpytest(*ARGS, "my.feature", "--linreg-report=cbwr.json").assert_outcomes(passed=1)
    pytester.runpytest(*ARGS, "my.feature", "--linreg-report=run.json", "--linreg-label=mine").assert_outcomes(passed=1)
    cbwr = json.loads((pytester.path / "cbwr.json").read_text(encoding="utf-8"))
    assert cbwr["label"] == "cbwr"
    assert json.loads((pytester.path / "run.json").read_text(encoding="utf-8"))["label"] == "mine"
    environment = cbwr["environment"]
    assert {"torch", "numpy", "python", "cpu", "torch threads", "ATen capability that ran"} <= environment.keys()
    assert (environment["MKL_CBWR"], environment["ATEN_CPU_CAPABILITY"]) == ("COMPATIBLE", "unset")
    assert environment["git revision"] == "none"  # pytester's folder is no git checkout


def _compare(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "linreg.spec.compare", *args]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=env)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("{", "Expecting property name"),
        ("[]", "no list of numbers"),
        ('{"numbers": [], "stack": {"torch": "2"}}', "no torch and numpy in its environment"),
        ('{"numbers": [{"feature": "a"}], "environment": {"torch": "2", "numpy": "2"}}', "number 1 has no valid"),
        ('{"numbers": [7], "environment": {"torch": "2", "numpy": "2"}}', "number 1 is not an object"),
    ],
)
def test_compare_refuses_what_is_no_report_in_one_line(tmp_path: Path, text: str, why: str) -> None:
    (tmp_path / "bad.json").write_text(text, encoding="utf-8")
    done = _compare("bad.json", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("compare: error: bad.json: not a report that pytest --linreg-report wrote (")
    assert why in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stdout == ""


@pytest.mark.slow  # two processes that import torch, side by side: about 6 s
def test_compare_tells_apart_two_runs_that_differ_only_in_mkl_cbwr(tmp_path: Path) -> None:
    (tmp_path / "cell5.feature").write_bytes((ROOT / "features" / "1_notes" / "05_nn_linear.feature").read_bytes())
    runs = []
    for name, cbwr in (("default", None), ("compatible", "COMPATIBLE")):  # side by side
        env = {k: v for k, v in os.environ.items() if k != "MKL_CBWR"} | ({"MKL_CBWR": cbwr} if cbwr else {})
        env["PYTHONPATH"] = str(ROOT)
        command = [sys.executable, "-m", "pytest", "-q", *ARGS, "cell5.feature", f"--linreg-report={name}.json"]
        runs.append(subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env))
    for run in runs:
        said, _ = run.communicate()
        assert run.returncode == 0, said.decode(errors="replace")[-2000:]
    done = _compare("default.json", "compatible.json", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Runs: default (default.json); compatible (compatible.json)"
    assert "| MKL_CBWR | unset   | COMPATIBLE |" in lines
    assert lines[-1] == "Nothing moved."


def test_a_failing_step_reads_as_its_line_and_step_without_fixture_internals(pytester: pytest.Pytester) -> None:
    pytester.makefile(".feature", my=README_EXAMPLE.replace("epoch 11: w", "epoch 11: v"))
    result = pytester.runpytest(*ARGS, "my.feature")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    result.stdout.fnmatch_lines(["*_ y = 3x converges _*", 'my.feature:9: Then it prints "epoch 11: v = 3.000, *"'])
    for internal in ("call_fixture_func", "_pytest", "pytest_bdd"):
        assert internal not in out, out
    assert "def then_prints_line(" in out  # the step's own code stays


def test_junit_xml_names_each_test_case_by_its_scenario(pytester: pytest.Pytester) -> None:
    pytester.makefile(".feature", my=README_EXAMPLE)
    pytester.runpytest(*ARGS, "my.feature", "--junitxml=junit.xml").assert_outcomes(passed=1)
    (case,) = ET.parse(pytester.path / "junit.xml").getroot().iter("testcase")
    assert (case.get("classname"), case.get("name")) == ("my.feature", "y = 3x converges")
