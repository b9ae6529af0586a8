"""``pytest --living-doc=FILE``: the spec run as one web page with loss plots, or as its Cucumber Messages.

While pytest runs, each scenario's steps are gathered as a ``ScenarioRun`` (status, time, the step
function that ran it, pytest's message), with a plot of the scenario's training runs (its
``history`` and ``pair`` fixtures) on the last step. At the end ``messages.LivingDoc`` writes
them: FILE.ndjson as Cucumber Messages, FILE.html through Cucumber's html-formatter.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry
from pytest_bdd.steps import step_function_context_registry

from linreg.errors import LivingDocError
from linreg.history import History
from linreg.spec import written
from linreg.spec.messages import LivingDoc, ScenarioRun, StepResult

_DOC = pytest.StashKey[LivingDoc]()
_RUN = pytest.StashKey[ScenarioRun]()
_STEP_START = pytest.StashKey[int]()
_SAID = pytest.StashKey[tuple[str, bool]]()  # what the run's end says: the file written, or why not
_NO_NOTES = pytest.StashKey[str]()  # why the page goes without the notes that linreg_notes names


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("--living-doc")
    if path is None:
        return
    if config.getoption("numprocesses", None):
        msg = "--living-doc gathers the run in one process: drop -n"
        raise pytest.UsageError(msg)
    written.check("--living-doc", path, (".html", ".ndjson"), ".html (the page) or .ndjson (its Cucumber Messages)")
    notes = config.rootpath / config.getini("linreg_notes") if config.getini("linreg_notes") else None
    if notes is not None and not notes.is_file():  # a copy of the spec without its notes: the page goes without
        config.stash[_NO_NOTES] = f" (without the notes: linreg_notes names {str(notes)!r}, which does not exist)"
        notes = None
    config.stash[_DOC] = LivingDoc(config.rootpath, [], notes)


def _doc(config: pytest.Config) -> LivingDoc | None:
    return config.stash.get(_DOC, None)


def _scenario_run(config: pytest.Config, path: Path, scenario: Scenario) -> ScenarioRun:
    resolved = path.resolve()
    uri = (resolved.relative_to(config.rootpath) if resolved.is_relative_to(config.rootpath) else resolved).as_posix()
    steps = tuple(step.name for step in scenario.steps)
    return ScenarioRun(uri, scenario.line_number, steps, started_ns=time.time_ns())


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
    if _doc(request.config) is not None:
        request.node.stash[_RUN] = _scenario_run(request.config, request.node.path, scenario)


def pytest_bdd_before_step(request: pytest.FixtureRequest, step: Step) -> None:
    request.node.stash[_STEP_START] = time.perf_counter_ns()


def _finish_step(
    request: pytest.FixtureRequest, status: str, func: Callable[..., Any] | None, message: str | None
) -> None:
    if _RUN in request.node.stash:
        nanos = time.perf_counter_ns() - request.node.stash.get(_STEP_START, time.perf_counter_ns())
        where = None
        for context in step_function_context_registry.values():
            if func is not None and context.step_func is func:
                pattern = getattr(context.parser, "format", None) or context.parser.name
                where = (pattern, f"{func.__module__.replace('.', '/')}.py", func.__code__.co_firstlineno)
        request.node.stash[_RUN].results.append(StepResult(status, nanos, message, where))


def pytest_bdd_after_step(request: pytest.FixtureRequest, step_func: Callable[..., Any]) -> None:
    _finish_step(request, "PASSED", step_func, None)


def pytest_bdd_step_error(request: pytest.FixtureRequest, step_func: Callable[..., Any], exception: Exception) -> None:
    _finish_step(request, "FAILED", step_func, f"{type(exception).__name__}: {exception}"[:6000])


def pytest_bdd_step_func_lookup_error(request: pytest.FixtureRequest, exception: Exception) -> None:
    _finish_step(request, "UNDEFINED", None, str(exception))


def pytest_bdd_after_scenario(request: pytest.FixtureRequest) -> None:
    """Plot the scenario's training runs (loss, w, and b where there is one): its ``history`` and ``pair`` fixtures."""
    if _RUN not in request.node.stash:
        return
    from linreg.plot import render

    runs: list[History] = []
    for name in ("history", "pair"):
        try:
            value = request.getfixturevalue(name)
        except pytest.FixtureLookupError:
            continue
        runs += [h for h in (value if isinstance(value, tuple) else (value,)) if isinstance(h, History) and h.epochs]
    if runs:
        request.node.stash[_RUN].attachments.append(("image/png", render(runs, with_b=True)))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    doc = _doc(item.config)
    ended = report.when == "call" or (report.when == "setup" and not report.passed)
    if doc is None or not ended or item.path.suffix != ".feature":
        return report
    run = item.stash.get(_RUN, None)
    if run is None:  # skipped (or failed) before its first step: render the scenario from its template
        assert isinstance(item, pytest.Function)  # a scenario of a .feature module
        template = scenario_wrapper_template_registry[item.obj]
        example = getattr(item, "callspec", None)
        rendered = template.render(example.params["_pytest_bdd_example"] if example else {})
        run = _scenario_run(item.config, item.path, rendered)
    run.status = report.outcome.upper()
    if report.skipped and isinstance(report.longrepr, tuple):
        run.message = str(report.longrepr[2])
    doc.add(run)
    if item.path not in doc.features:
        doc.features = sorted([*doc.features, item.path])
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    doc = _doc(session.config)
    if doc is None:
        return
    path = Path(session.config.getoption("--living-doc"))
    try:
        doc.write(path)
    except (LivingDocError, OSError) as exc:
        why = f"cannot write {str(path)!r}: {exc.strerror or exc}" if isinstance(exc, OSError) else exc
        session.config.stash[_SAID] = (f"living doc: error: {why}", True)
        session.exitstatus = pytest.ExitCode.USAGE_ERROR
        return
    session.config.stash[_SAID] = (
        f"living doc: {len(doc.runs)} scenarios of {len(doc.features)} features in {path}"
        + session.config.stash.get(_NO_NOTES, ""),
        False,
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if _SAID in config.stash:
        line, error = config.stash[_SAID]
        terminalreporter.write_line(line, red=error)
