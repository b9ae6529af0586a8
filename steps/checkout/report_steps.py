"""Steps that run the spec with --living-doc and read the Cucumber Messages it wrote."""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when
from pytest_bdd.feature import get_features

from linreg import Settings, train
from linreg.plot import render
from linreg.spec import stack
from linreg.spec.collect import rendered
from linreg.spec.messages import LivingDoc, ScenarioRun, StepResult

from ..cli_steps import png_size
from . import ROOT, cell_feature


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
    """Sets up a copy of the spec (conftest.py, pyproject.toml) whose one feature file holds the docstring."""
    for file in ("conftest.py", "pyproject.toml"):
        shutil.copy(ROOT / file, tmp_path / file)
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / name).write_text(docstring + "\n", encoding="utf-8")
    return tmp_path


def _spec_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str], target: Path, option: str) -> SpecRun:
    """pytest on ``target``, in this process, in the copy of the spec if there is one (else this checkout);
    the living doc's messages, where ``option`` writes them to the scenario's folder as run.ndjson."""
    root = tmp_path if (tmp_path / "conftest.py").exists() else ROOT
    args = ["-p", "no:randomly", "-p", "no:cacheprovider", "-q", str(target.relative_to(root)), option]
    capsys.readouterr()
    with contextlib.chdir(root):
        status = int(pytest.main(args))
    said = capsys.readouterr()
    written = tmp_path / "run.ndjson"
    lines = written.read_text(encoding="utf-8").splitlines() if written.exists() else []
    return SpecRun(status, said.out + said.err, [json.loads(line) for line in lines])


def _copied(tmp_path: Path, name: str) -> Path:
    """The feature file of this name in the scenario's copy of the spec."""
    return tmp_path / "features" / name


@when(
    parsers.parse("the spec runs cell {cell:d}'s feature, writing its living doc as Cucumber Messages"),
    target_fixture="spec_run",
)
def when_spec_runs_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: int) -> SpecRun:
    """pytest on this checkout's feature of that cell of the notes, in this process, with --living-doc=….ndjson."""
    return _spec_runs(tmp_path, capsys, cell_feature(cell), f"--living-doc={tmp_path / 'run.ndjson'}")


@when(parsers.parse('the spec runs "{name}", writing its living doc as Cucumber Messages'), target_fixture="spec_run")
def when_spec_runs_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> SpecRun:
    """pytest on that feature of the scenario's copy of the spec, in this process, with --living-doc=….ndjson."""
    return _spec_runs(tmp_path, capsys, _copied(tmp_path, name), f"--living-doc={tmp_path / 'run.ndjson'}")


@when(parsers.parse('the spec runs cell {cell:d}\'s feature with "{option}"'), target_fixture="spec_run")
def when_spec_runs_with(tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: int, option: str) -> SpecRun:
    """pytest on this checkout's feature of that cell of the notes, in this process, with this option."""
    return _spec_runs(tmp_path, capsys, cell_feature(cell), option)


def all_passed(tmp_path: Path, root: Path, path: Path) -> SpecRun:
    """The living doc of the feature at ``path`` (below ``root``) built in this process: one ScenarioRun per
    scenario and example row, every step PASSED, written as NDJSON to ``tmp_path``."""
    feature = path.relative_to(root).as_posix()
    doc = LivingDoc(root, [path])
    (parsed,) = get_features([str(path)])
    for template in parsed.scenarios.values():
        for scenario in rendered(template):
            steps = tuple(step.name for step in scenario.steps)
            doc.add(ScenarioRun(feature, template.line_number, steps, [StepResult("PASSED", 1000) for _ in steps]))
    written = tmp_path / "run.ndjson"
    doc.write(written)
    return SpecRun(0, "", [json.loads(line) for line in written.read_text(encoding="utf-8").splitlines()])


@when(
    parsers.parse("the living doc is built for cell {cell:d}'s feature with every step passed"),
    target_fixture="spec_run",
)
def when_doc_built(tmp_path: Path, cell: int) -> SpecRun:
    """In this process: one ScenarioRun per scenario and example row of that cell's feature, every step PASSED."""
    return all_passed(tmp_path, ROOT, cell_feature(cell))


@when(parsers.parse('the living doc is built for "{name}" with every step passed'), target_fixture="spec_run")
def when_copy_doc_built(tmp_path: Path, name: str) -> SpecRun:
    """In this process: one ScenarioRun per scenario and example row of that feature of the copy, every step PASSED."""
    return all_passed(tmp_path, tmp_path, _copied(tmp_path, name))


STARTED_NS = 1_700_000_000_999_999_000  # the made-up run's first scenario starts 1 µs before a whole second
STEP_NS = 1_500  # and each of its steps takes 1.5 µs


@dataclass(frozen=True)
class PageRun(SpecRun):
    """A made-up run built in this process, as messages and as the page rendered from them."""

    page: str = ""


@when(
    parsers.parse("the living doc of cell {cell:d}'s feature is built with a passed, a failed and a skipped scenario"),
    target_fixture="spec_run",
)
def when_doc_made_up(tmp_path: Path, cell: int) -> PageRun:
    """Scenario 1 passes (each step by a step function of its own text, STEP_NS each, from STARTED_NS, with
    PLOT attached); scenario 2 fails at its 2nd step; scenario 3 is skipped before its first."""
    return made_up(tmp_path, cell_feature(cell))


def made_up(tmp_path: Path, path: Path) -> PageRun:
    """The made-up run of when_doc_made_up, of the feature at ``path`` (below this checkout), in ``tmp_path``."""
    feature = path.relative_to(ROOT).as_posix()
    doc = LivingDoc(ROOT, [path])
    (parsed,) = get_features([str(path)])
    first, second, third = (t.render({}) for t in list(parsed.scenarios.values())[:3])

    def where(text: str) -> tuple[str, str, int]:
        return (f"made up: {text}", "steps/made_up.py", len(text))

    steps = tuple(step.name for step in first.steps)
    passed = [StepResult("PASSED", STEP_NS, None, where(text)) for text in steps]
    plot = render([train(Settings.for_stage("numpy"))])  # what conftest.py attaches: the default format
    doc.add(ScenarioRun(feature, first.line_number, steps, passed, [("image/png", plot)], STARTED_NS))
    steps = tuple(step.name for step in second.steps)
    failed = [StepResult("PASSED", STEP_NS, None, where(steps[0])), StepResult("FAILED", STEP_NS, "made-up failure")]
    doc.add(ScenarioRun(feature, second.line_number, steps, failed, started_ns=STARTED_NS + 10**9, status="FAILED"))
    steps = tuple(step.name for step in third.steps)
    skipped = ScenarioRun(feature, third.line_number, steps, started_ns=STARTED_NS + 2 * 10**9, status="SKIPPED")
    doc.add(replace(skipped, message="made-up reason"))
    doc.write(tmp_path / "run.ndjson")
    doc.write(tmp_path / "run.html")
    lines = (tmp_path / "run.ndjson").read_text(encoding="utf-8").splitlines()
    return PageRun(0, "", [json.loads(line) for line in lines], (tmp_path / "run.html").read_text(encoding="utf-8"))


@when(
    parsers.parse(
        'the page of cell {cell:d}\'s feature is written with no Node.js on PATH, a step having failed with "{message}"'
    ),
    target_fixture="spec_run",
)
def when_page_without_node(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cell: int, message: str) -> PageRun:
    """The first scenario of that cell's feature fails at its first step with ``message``; the page is written by
    linreg alone (PATH holds an empty folder: no node, no npm)."""
    monkeypatch.setenv("PATH", str(tmp_path))
    path = cell_feature(cell)
    feature = path.relative_to(ROOT).as_posix()
    doc = LivingDoc(ROOT, [path])
    (parsed,) = get_features([str(path)])
    first = next(iter(parsed.scenarios.values())).render({})
    steps = tuple(step.name for step in first.steps)
    failed = [StepResult("FAILED", STEP_NS, message)]
    doc.add(ScenarioRun(feature, first.line_number, steps, failed, started_ns=STARTED_NS, status="FAILED"))
    doc.write(tmp_path / "run.ndjson")
    doc.write(tmp_path / "run.html")
    lines = (tmp_path / "run.ndjson").read_text(encoding="utf-8").splitlines()
    return PageRun(0, "", [json.loads(line) for line in lines], (tmp_path / "run.html").read_text(encoding="utf-8"))


@then(parsers.parse('the page holds "{text}" only escaped, as text of a message'))
def then_page_escapes(spec_run: PageRun, text: str) -> None:
    """Checks the text is in the messages but appears in the page only escaped, never as markup."""
    assert any(text in json.dumps(m) for m in spec_run.messages), f"no message holds {text!r}"
    assert text not in spec_run.page, f"the page holds {text!r} as markup"


@then("the page and its Cucumber Messages file hold the same run")
def then_page_embeds(spec_run: PageRun) -> None:
    """Checks the HTML page embeds the same Cucumber Messages as the .ndjson file holds."""
    embedded = embedded_messages(spec_run.page)
    written = json.loads(json.dumps(spec_run.messages))  # a copy, to change
    for messages in (embedded, written):  # written a moment apart: the time the run finished differs
        messages[-1]["testRunFinished"]["timestamp"] = None
    assert embedded == written


def embedded_messages(html: str) -> list[dict[str, Any]]:
    """The Cucumber Messages the html-formatter's page embeds (it writes < as the JS escape \\x3C)."""
    start = html.index("window.CUCUMBER_MESSAGES = [") + len("window.CUCUMBER_MESSAGES = ")
    embedded = html[start : html.index("];\n</script>", start) + 1]
    messages: list[dict[str, Any]] = json.loads(embedded.replace("\\x3C", "\\u003c"))
    return messages


def shared_ids(spec_run: SpecRun) -> list[str]:
    """The ids two things of the run share: pickles and their steps (from the Gherkin parser), and what linreg
    adds: the run, step definitions, test cases and their steps, and each test case's start (tests/)."""
    given: list[str] = []
    for kind in ("pickle", "testRunStarted", "stepDefinition", "testCase", "testCaseStarted"):
        for message in spec_run.of(kind):
            given.append(message["id"])
            given += [step["id"] for step in message.get("testSteps", message.get("steps", []))]
    return sorted({i for i in given if given.count(i) > 1})


@then("each step that ran names the step function that ran it")
def then_step_definitions(spec_run: SpecRun) -> None:
    """Checks each passed step refers to one step definition, its own, and every definition is used once."""
    pickle_steps = {s["id"]: s["text"] for p in spec_run.of("pickle") for s in p["steps"]}
    definitions = {d["id"]: d for d in spec_run.of("stepDefinition")}
    results = {f["testStepId"]: f["testStepResult"]["status"] for f in spec_run.of("testStepFinished")}
    used = set()
    for case in spec_run.of("testCase"):
        for step in case["testSteps"]:
            text, refs = pickle_steps[step["pickleStepId"]], step["stepDefinitionIds"]
            if results[step["id"]] == "PASSED":
                (ref,) = refs
                d = definitions[ref]
                assert d["pattern"] == {"source": f"made up: {text}", "type": "CUCUMBER_EXPRESSION"}, d
                assert d["sourceReference"] == {"uri": "steps/made_up.py", "location": {"line": len(text)}}, d
                assert step["stepMatchArgumentsLists"] == [{"stepMatchArguments": []}], step
                used.add(ref)
            else:
                assert (refs, step["stepMatchArgumentsLists"]) == ([], []), step
    assert used == set(definitions), "every definition is used, and none twice over"


@then(parsers.parse('the skipped steps of the skipped scenario say "{reason}"'))
def then_skipped_reason(spec_run: SpecRun, reason: str) -> None:
    """Checks every step of the skipped (third) scenario is SKIPPED with this message."""
    case = spec_run.of("testCase")[2]
    started = next(s["id"] for s in spec_run.of("testCaseStarted") if s["testCaseId"] == case["id"])
    results = [f["testStepResult"] for f in spec_run.of("testStepFinished") if f["testCaseStartedId"] == started]
    assert results == [{"status": "SKIPPED", "duration": {"seconds": 0, "nanos": 0}, "message": reason}] * len(
        case["testSteps"]
    ), results


@then(parsers.parse('the plot is under the first scenario\'s last step, as "{file_name}"'))
def then_plot_attached(spec_run: SpecRun, file_name: str) -> None:
    """Checks the 800 × 300 PNG plot is attached to the first test case's last step, under this file name."""
    case = spec_run.of("testCase")[0]
    started = next(s["id"] for s in spec_run.of("testCaseStarted") if s["testCaseId"] == case["id"])
    (attachment,) = spec_run.of("attachment")
    assert attachment["testCaseStartedId"] == started, attachment
    assert attachment["testStepId"] == case["testSteps"][-1]["id"], attachment
    assert (attachment["mediaType"], attachment["contentEncoding"]) == ("image/png", "BASE64"), attachment
    assert attachment["fileName"] == file_name, attachment
    assert png_size(base64.b64decode(attachment["body"])) == (800, 300)
    ended = STARTED_NS + STEP_NS * len(case["testSteps"])
    assert attachment["timestamp"] == {"seconds": ended // 10**9, "nanos": ended % 10**9}, attachment


@then("the first scenario's times add up from its start, step after step")
def then_times(spec_run: SpecRun) -> None:
    """Checks the first test case's start, its steps' starts and ends, and its finish follow one another."""
    case = spec_run.of("testCase")[0]
    (started,) = [s for s in spec_run.of("testCaseStarted") if s["testCaseId"] == case["id"]]
    assert (started["attempt"], started["timestamp"]) == (0, {"seconds": 1_700_000_000, "nanos": 999_999_000})
    ids = {"testCaseStartedId": started["id"]}
    for k, step in enumerate(case["testSteps"]):
        begin, end = STARTED_NS + k * STEP_NS, STARTED_NS + (k + 1) * STEP_NS
        assert {**ids, "testStepId": step["id"], "timestamp": _stamp(begin)} in spec_run.of("testStepStarted")
        done = [f for f in spec_run.of("testStepFinished") if f["testStepId"] == step["id"]]
        assert done == [
            {
                **ids,
                "testStepId": step["id"],
                "timestamp": _stamp(end),
                "testStepResult": {"status": "PASSED", "duration": _stamp(STEP_NS)},
            }
        ], done
    finished = [f for f in spec_run.of("testCaseFinished") if f["testCaseStartedId"] == started["id"]]
    assert finished == [{**ids, "timestamp": _stamp(end), "willBeRetried": False}], finished


def _stamp(nanos: int) -> dict[str, int]:
    return {"seconds": nanos // 10**9, "nanos": nanos % 10**9}


@then("the run is not a success, and the page's header names linreg, this Python, this OS and the messages' version")
def then_meta(spec_run: SpecRun) -> None:
    """Checks the run failed and its meta names linreg, this Python, this OS and the messages' version."""
    import platform

    (finished,) = spec_run.of("testRunFinished")
    (started,) = spec_run.of("testRunStarted")
    assert (finished["success"], finished["testRunStartedId"]) == (False, started["id"]), finished
    lock = json.loads((ROOT / "report" / "package-lock.json").read_text(encoding="utf-8"))
    assert spec_run.of("meta") == [
        {
            "protocolVersion": lock["packages"]["node_modules/@cucumber/messages"]["version"],
            "implementation": {"name": "linreg living documentation (pytest-bdd)"},
            "runtime": {"name": platform.python_implementation(), "version": stack.runtime()},
            "os": {"name": platform.system(), "version": stack.machine()},
            "cpu": {"name": platform.machine()},
        }
    ]
    # the header names the whole stack: this Python with torch and numpy, this OS with the CPU and its kernel path
    assert (
        stack.runtime()
        == f"{platform.python_version()}, torch {stack.installed()['torch']}, numpy {stack.installed()['numpy']}"
    )
    assert stack.machine().startswith(f"{platform.release()}, ")
    assert "kernels: ATen " in stack.machine()


@then("each scenario shows its steps in order, each with how it ended")
def then_messages_linked(spec_run: SpecRun) -> None:
    """Checks each test case refers to its pickle, step by step, and each step result to a step of its test case."""
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


@then("the run is a success")
def then_run_success(spec_run: SpecRun) -> None:
    """Checks the run's testRunFinished message says it succeeded."""
    assert [f["success"] for f in spec_run.of("testRunFinished")] == [True]


SCHEMA = ROOT / "report" / "messages.schema.json"  # the JSON schema @cucumber/messages 34.2.1 publishes (MIT)


def schema_errors(messages: list[dict[str, Any]]) -> list[str]:
    """What in ``messages`` the Cucumber Messages schema refuses, one line per error."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return [f"{next(iter(m))}: {e.message}" for m in messages for e in validator.iter_errors(m)]


@then("every message is valid against the Cucumber Messages schema")
def then_messages_valid(spec_run: SpecRun) -> None:
    """Checks every message written is valid against the Cucumber Messages JSON schema."""
    assert spec_run.messages, "no messages"
    errors = schema_errors(spec_run.messages)
    assert errors == [], errors[:10]


@then(parsers.parse("the run ends with exit status {status:d}"))
def then_run_status(spec_run: SpecRun, status: int) -> None:
    """Checks the pytest run ended with this exit status."""
    assert spec_run.status == status, spec_run.output[-2000:]


@then(parsers.parse("the living doc holds {documents:d} feature and {scenarios:d} scenarios"))
@then(parsers.parse("the living doc holds {documents:d} feature and {scenarios:d} scenario"))
def then_message_counts(spec_run: SpecRun, documents: int, scenarios: int) -> None:
    """Checks how many features (gherkin documents) and scenarios (each a pickle and its test case) it holds."""
    counts = (len(spec_run.of("gherkinDocument")), len(spec_run.of("pickle")), len(spec_run.of("testCase")))
    assert counts == (documents, scenarios, scenarios), counts


@then(parsers.parse("its steps ended: {statuses}"))
def then_step_statuses(spec_run: SpecRun, statuses: str) -> None:
    """``3 passed, 1 failed and 2 skipped``: how many steps ended so, over the whole run."""
    parts = (part.split() for part in statuses.replace(" and ", ", ").split(", "))
    want = {status.upper(): int(n) for n, status in parts}
    got: dict[str, int] = {}
    for finished in spec_run.of("testStepFinished"):
        got[finished["testStepResult"]["status"]] = got.get(finished["testStepResult"]["status"], 0) + 1
    assert got == want, got


@then(parsers.parse('the failed step says "{text}"'))
def then_failure_message(spec_run: SpecRun, text: str) -> None:
    """Checks exactly one step failed, and its message holds this text."""
    failed = [f["testStepResult"] for f in spec_run.of("testStepFinished") if f["testStepResult"]["status"] == "FAILED"]
    assert len(failed) == 1, failed
    assert text in failed[0].get("message", ""), failed[0]


@then(parsers.parse("{count:d} scenarios show a plot of {width:d} × {height:d} pixels under their last step"))
def then_plots(spec_run: SpecRun, count: int, width: int, height: int) -> None:
    """Checks this many PNG plots of this size are attached, each to the last step of a test case."""
    last_steps = {case["testSteps"][-1]["id"] for case in spec_run.of("testCase")}
    plots = [a for a in spec_run.of("attachment") if a["mediaType"] == "image/png"]
    assert len(plots) == count, len(plots)
    for plot in plots:
        assert plot["testStepId"] in last_steps, plot["testStepId"]
        assert png_size(base64.b64decode(plot["body"])) == (width, height)


@then(parsers.parse('pytest says "{text}"'))
def then_pytest_says(spec_run: SpecRun, text: str) -> None:
    """Checks pytest's output holds this text."""
    assert text in spec_run.output, spec_run.output[-1500:]
