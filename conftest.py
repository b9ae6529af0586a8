"""Collects features/*.feature directly (no test_*.py per feature) and loads the step modules.

Before a feature's scenarios are generated, it is checked for what pytest-bdd would let slip:
a step with no definition, two scenarios with one name (pytest-bdd keeps only the last), a tag
that is not a registered marker. A malformed table fails in the Gherkin parser. Each failure is
a collection error naming the file and line.
"""

from __future__ import annotations

import gc
import re
import time
import types
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.feature import get_features
from pytest_bdd.parser import Feature, Scenario, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry, scenarios
from pytest_bdd.steps import step_function_context_registry

from linreg.determinism import global_state
from linreg.errors import LivingDocError
from linreg.history import History
from linreg.livingdoc import LivingDoc, ScenarioRun, StepResult
from steps import STEP_MODULES

gc.disable()  # until pytest_configure: importing torch through the step modules makes a million objects
pytest_plugins = list(STEP_MODULES)

_SCENARIO = re.compile(r"^\s*Scenario(?: Outline| Template)?:\s*(.*?)\s*$")


def _registered_markers(config: pytest.Config) -> set[str]:
    return {line.split(":")[0].split("(")[0].strip() for line in config.getini("markers")}


def check_feature(path: Path, config: pytest.Config) -> list[str]:
    """Problems in the feature at ``path`` that pytest-bdd would not report at collection."""
    problems = []
    seen: dict[str, int] = {}
    quoted = False  # inside a docstring, "Scenario:" is text
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip().startswith('"""'):
            quoted = not quoted
        match = None if quoted else _SCENARIO.match(line)
        if match:
            if match[1] in seen:
                problems.append(
                    f"{path}:{number}: scenario {match[1]!r} is already named at line {seen[match[1]]}; "
                    "give every scenario of a feature its own name"
                )
            seen.setdefault(match[1], number)
    try:
        (feature,) = get_features([str(path)])
    except Exception as exc:  # the Gherkin parser's own message names the line
        return [f"{path}: not valid Gherkin: {exc}"]
    markers = _registered_markers(config)
    contexts = list(step_function_context_registry.values())
    tagged = [(feature.tags, feature.line_number)]
    for template in feature.scenarios.values():
        tagged.append((template.tags, template.line_number))
        examples = [context for block in template.examples for context in block.as_contexts()] or [{}]
        for example in examples:
            for step in template.render(example).steps:
                if not any(c.type in (None, step.type) and c.parser.is_matching(step.name) for c in contexts):
                    problem = (
                        f"{path}:{step.line_number}: no step definition matches "
                        f"'{step.keyword.strip()} {step.name}'; see the step vocabulary in docs/vocabulary.md"
                    )
                    problems += [] if problem in problems else [problem]
    for tags, tag_line in tagged:
        problems += [
            f"{path}:{tag_line}: tag @{tag} is not a registered marker; add it to pyproject.toml's markers"
            for tag in sorted(tags - markers)
        ]
    return problems


class FeatureFile(pytest.Module):
    """A .feature file, collected as a module holding one test per scenario."""

    def _getobj(self) -> types.ModuleType:
        problems = check_feature(self.path, self.config)
        if problems:
            raise self.CollectError("\n".join(problems))
        module = types.ModuleType(self.path.stem)
        module.__file__ = str(self.path)
        code = compile(f"scenarios({str(self.path)!r})", str(self.path), "exec")
        exec(code, {**module.__dict__, "scenarios": scenarios}, module.__dict__)
        return module


@pytest.fixture(autouse=True)
def _leaves_global_state_alone(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test leaves torch's and numpy's RNGs, default dtype, grad mode and threads as it found them.

    pytest-randomly reseeds numpy's RNG around every test phase, so where it is active numpy's
    state cannot leak between tests and is not compared.
    """
    reseeded = {"numpy_rng"} if request.config.pluginmanager.hasplugin("randomly") else set()
    before = global_state()
    yield
    after = global_state()
    changed = sorted(key for key in before if before[key] != after[key] and key not in reseeded)
    assert not changed, f"the test changed global state: {', '.join(changed)}"


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what is alive once collection is done (torch's modules, with torch._dynamo, which torch.optim
    imports on first use): about a million objects that live until exit. The garbage collector then stops
    re-scanning them on every full collection; that saves about a second of every spec run (docs/BENCHMARKS.md)."""
    import torch._dynamo  # noqa: F401

    gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """@gpu scenarios are skipped, saying why, where torch sees no CUDA GPU; @no_gpu ones where it does."""
    import torch

    has_gpu = torch.cuda.is_available()
    for item in items:
        if item.get_closest_marker("gpu") and not has_gpu:
            item.add_marker(pytest.mark.skip(reason="needs a CUDA GPU: torch.cuda.is_available() is False here"))
        if item.get_closest_marker("no_gpu") and has_gpu:
            item.add_marker(pytest.mark.skip(reason="shows the refusal without a GPU, and this machine has one"))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".feature":
        return FeatureFile.from_parent(parent, path=file_path)
    return None


# The living documentation: `pytest --living-doc=report.html` (see linreg/livingdoc.py).
ROOT = Path(__file__).resolve().parent
_DOC = pytest.StashKey[LivingDoc]()
_RUN = pytest.StashKey[ScenarioRun]()
_STEP_START = pytest.StashKey[int]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--living-doc",
        metavar="FILE",
        help="write the spec run as one self-contained HTML page with loss plots (FILE.html; needs "
        "`npm ci --prefix report`), or as its Cucumber Messages (FILE.ndjson)",
    )


def pytest_configure(config: pytest.Config) -> None:
    gc.freeze()  # torch is imported by now (the step modules): see pytest_collection_finish
    gc.enable()
    path = config.getoption("--living-doc")
    if path is None:
        return
    if config.getoption("numprocesses", None):
        msg = "--living-doc gathers the run in one process: drop -n"
        raise pytest.UsageError(msg)
    if Path(path).suffix not in (".html", ".ndjson") or not Path(path).resolve().parent.is_dir():
        kinds = ".html (the page) or .ndjson (its Cucumber Messages)"
        msg = f"--living-doc {path!r}: give a {kinds} file in a folder that exists"
        raise pytest.UsageError(msg)
    config.stash[_DOC] = LivingDoc(ROOT, [])


def _doc(config: pytest.Config) -> LivingDoc | None:
    return config.stash.get(_DOC, None)


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
    if _doc(request.config) is not None:
        request.node.stash[_RUN] = _scenario_run(request.node.path, scenario)


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
    _finish_step(request, "FAILED", step_func, f"{type(exception).__name__}: {exception}"[:3000])


def pytest_bdd_step_func_lookup_error(request: pytest.FixtureRequest, exception: Exception) -> None:
    _finish_step(request, "UNDEFINED", None, str(exception))


def pytest_bdd_after_scenario(request: pytest.FixtureRequest) -> None:
    """Plot the scenario's training runs: the fixtures ``history`` and ``pair`` hold them."""
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
        request.node.stash[_RUN].attachments.append(("image/png", render(runs)))


def _scenario_run(path: Path, scenario: Scenario) -> ScenarioRun:
    uri = path.resolve().relative_to(ROOT).as_posix()
    steps = tuple(step.name for step in scenario.steps)
    return ScenarioRun(uri, scenario.line_number, steps, started_ns=time.time_ns())


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
        run = _scenario_run(item.path, template.render(example.params["_pytest_bdd_example"] if example else {}))
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
    except LivingDocError as exc:
        session.config.get_terminal_writer().line(f"living doc: error: {exc}", red=True)
        session.exitstatus = pytest.ExitCode.USAGE_ERROR
        return
    session.config.get_terminal_writer().line(
        f"living doc: {len(doc.runs)} scenarios of {len(doc.features)} features in {path}"
    )
