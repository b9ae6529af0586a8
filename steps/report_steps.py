"""Steps that run the spec with --living-doc and read the Cucumber Messages it wrote."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_bdd import given, parsers, then, when
from pytest_bdd.feature import get_features

from linreg.livingdoc import LivingDoc, ScenarioRun, StepResult
from steps.cli_steps import png_size

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SpecRun:
    """A pytest run of some features, and the messages its --living-doc wrote."""

    status: int
    output: str
    messages: list[dict[str, Any]]

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [m[kind] for m in self.messages if kind in m]


@given(parsers.parse('a copy of the spec with the feature "{name}":'), target_fixture="spec_copy")
def given_spec_copy(tmp_path: Path, name: str, docstring: str) -> Path:
    for file in ("conftest.py", "pyproject.toml"):
        shutil.copy(ROOT / file, tmp_path / file)
    shutil.copytree(ROOT / "steps", tmp_path / "steps", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / name).write_text(docstring + "\n", encoding="utf-8")
    return tmp_path


@when(parsers.parse('the spec runs "{target}" with "{option}"'), target_fixture="spec_run")
def when_spec_runs(tmp_path: Path, target: str, option: str) -> SpecRun:
    """pytest on ``target``, in the copy of the spec if there is one; TMP in ``option`` is the scenario's folder."""
    root = tmp_path if (tmp_path / "conftest.py").exists() else ROOT
    command = [sys.executable, "-m", "pytest", "-p", "no:randomly", "-q", target, option.replace("TMP", str(tmp_path))]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    written = tmp_path / "run.ndjson"
    lines = written.read_text(encoding="utf-8").splitlines() if written.exists() else []
    return SpecRun(done.returncode, done.stdout + done.stderr, [json.loads(line) for line in lines])


@when(parsers.parse('the living doc is built for "{feature}" with every step passed'), target_fixture="spec_run")
def when_doc_built(tmp_path: Path, feature: str) -> SpecRun:
    """In this process: one ScenarioRun per scenario and example row, every step PASSED, written as NDJSON."""
    path = ROOT / feature
    doc = LivingDoc(ROOT, [path])
    (parsed,) = get_features([str(path)])
    for template in parsed.scenarios.values():
        for example in [c for block in template.examples for c in block.as_contexts()] or [{}]:
            steps = tuple(step.name for step in template.render(example).steps)
            doc.add(ScenarioRun(feature, template.line_number, steps, [StepResult("PASSED", 1000) for _ in steps]))
    written = tmp_path / "run.ndjson"
    doc.write(written)
    return SpecRun(0, "", [json.loads(line) for line in written.read_text(encoding="utf-8").splitlines()])


@then("every test case refers to its pickle, and every step result to a step of its test case")
def then_messages_linked(spec_run: SpecRun) -> None:
    pickles = {p["id"]: p for p in spec_run.of("pickle")}
    steps: dict[str, str] = {}  # test step id -> test case id
    for case in spec_run.of("testCase"):
        pickle_steps = [s["id"] for s in pickles[case["pickleId"]]["steps"]]
        assert [t["pickleStepId"] for t in case["testSteps"]] == pickle_steps, case
        steps |= {t["id"]: case["id"] for t in case["testSteps"]}
    started = {s["id"]: s["testCaseId"] for s in spec_run.of("testCaseStarted")}
    assert sorted(started.values()) == sorted(c["id"] for c in spec_run.of("testCase"))
    for finished in spec_run.of("testStepFinished"):
        assert steps[finished["testStepId"]] == started[finished["testCaseStartedId"]], finished
    assert len(spec_run.of("testCaseFinished")) == len(started)
    assert [next(iter(m)) for m in spec_run.messages[:2]] == ["meta", "source"]
    assert next(iter(spec_run.messages[-1])) == "testRunFinished"
    assert spec_run.of("testRunFinished")[0]["success"] is True


SCHEMA = ROOT / "report" / "messages.schema.json"  # the JSON schema @cucumber/messages 34.2.1 publishes (MIT)


def schema_errors(messages: list[dict[str, Any]]) -> list[str]:
    """What in ``messages`` the Cucumber Messages schema refuses, one line per error."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return [f"{next(iter(m))}: {e.message}" for m in messages for e in validator.iter_errors(m)]


@then("every message is valid against the Cucumber Messages schema")
def then_messages_valid(spec_run: SpecRun) -> None:
    assert spec_run.messages, "no messages"
    errors = schema_errors(spec_run.messages)
    assert errors == [], errors[:10]


@then(parsers.parse("the run ends with exit status {status:d}"))
def then_run_status(spec_run: SpecRun, status: int) -> None:
    assert spec_run.status == status, spec_run.output[-2000:]


@then(parsers.parse("the messages hold {documents:d} feature, {pickles:d} pickles and {cases:d} test cases"))
def then_message_counts(spec_run: SpecRun, documents: int, pickles: int, cases: int) -> None:
    counts = (len(spec_run.of("gherkinDocument")), len(spec_run.of("pickle")), len(spec_run.of("testCase")))
    assert counts == (documents, pickles, cases), counts


@then(parsers.parse("the test steps ended {statuses}"))
def then_step_statuses(spec_run: SpecRun, statuses: str) -> None:
    """``3 PASSED, 1 FAILED and 2 SKIPPED``: how many steps ended so, over the whole run."""
    want = {status: int(n) for n, status in (part.split() for part in statuses.replace(" and ", ", ").split(", "))}
    got: dict[str, int] = {}
    for finished in spec_run.of("testStepFinished"):
        got[finished["testStepResult"]["status"]] = got.get(finished["testStepResult"]["status"], 0) + 1
    assert got == want, got


@then(parsers.parse('the failed step says "{text}"'))
def then_failure_message(spec_run: SpecRun, text: str) -> None:
    failed = [f["testStepResult"] for f in spec_run.of("testStepFinished") if f["testStepResult"]["status"] == "FAILED"]
    assert len(failed) == 1, failed
    assert text in failed[0].get("message", ""), failed[0]


@then(parsers.parse("{count:d} test cases have a PNG plot of {width:d} × {height:d} pixels on their last step"))
def then_plots(spec_run: SpecRun, count: int, width: int, height: int) -> None:
    last_steps = {case["testSteps"][-1]["id"] for case in spec_run.of("testCase")}
    plots = [a for a in spec_run.of("attachment") if a["mediaType"] == "image/png"]
    assert len(plots) == count, len(plots)
    for plot in plots:
        assert plot["testStepId"] in last_steps, plot["testStepId"]
        assert png_size(base64.b64decode(plot["body"])) == (width, height)


@then(parsers.parse('pytest says "{text}"'))
def then_pytest_says(spec_run: SpecRun, text: str) -> None:
    assert text in spec_run.output, spec_run.output[-1500:]
