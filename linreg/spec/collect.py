"""Collecting linreg's .feature files, as pytest modules of one test per scenario, after checking them.

pytest-bdd would let some mistakes slip: a step with no definition (found only when it runs), two
scenarios with one name (it keeps only the last), a Then that reads what no step before it made
(``fixture 'history' not found``). Each is a collection error here, naming the file and line, with
the closest steps of the vocabulary for an undefined one; a file that is no UTF-8 Gherkin Feature
with scenarios fails in ``featurefile.parse``, in one line. A tag that is no registered marker is
an error where --strict-markers is on. A step that a project's own definition answers instead of
linreg's is a warning naming both.
"""

from __future__ import annotations

import difflib
import inspect
import re
import types
import warnings
from collections.abc import Iterable
from pathlib import Path

import pytest
from pytest_bdd.compat import get_fixture_names, getfixturedefs
from pytest_bdd.parser import Scenario, ScenarioTemplate, Step
from pytest_bdd.scenario import iterparentnodeids, scenarios
from pytest_bdd.steps import StepFunctionContext, StepNamePrefix, step_function_context_registry

from linreg.spec.featurefile import ENCODING, PLACEHOLDER, FeatureFileError, parse, read
from linreg.spec.guard import leaves_global_state_alone
from linreg.spec.plugin import ASKED

_SCENARIO = re.compile(r"^\s*Scenario(?: Outline| Template)?:\s*(.*?)\s*$")
_VOCABULARY = "linreg.spec.steps."
_NOT_FIXTURES = {"request", "datatable", "docstring"}


class ShadowedStepWarning(pytest.PytestWarning):
    """A step of a linreg feature is answered by a project's own definition, not by linreg's of the same text."""


def _registered_markers(config: pytest.Config) -> set[str]:
    return {line.split(":")[0].split("(")[0].strip() for line in config.getini("markers")}


def _strict_markers(config: pytest.Config) -> bool:
    strict = config.getini("strict_markers")
    return bool(config.getini("strict") if strict is None else strict)


def _duplicate_names(path: Path) -> list[str]:
    problems = []
    seen: dict[str, int] = {}
    quoted = False  # inside a docstring, "Scenario:" is text
    for number, line in enumerate(read(path).splitlines(), start=1):
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
    return problems


def rendered(template: ScenarioTemplate) -> list[Scenario]:
    """The scenarios pytest-bdd makes of ``template``: one per row of its examples, or itself."""
    examples = [context for block in template.examples for context in block.as_contexts()] or [{}]
    return [template.render(example) for example in examples]


def pattern(context: StepFunctionContext) -> str:
    """The step's text as its definition writes it: ``a learning rate of {lr:g}``."""
    return str(getattr(context.parser, "format", None) or context.parser.name)


def where(context: StepFunctionContext) -> str:
    """``file:line`` of a step definition."""
    func = inspect.unwrap(context.step_func)
    return f"{Path(inspect.getsourcefile(func) or '?').name}:{func.__code__.co_firstlineno}"


def _said(step: Step) -> str:
    return f"'{step.keyword.strip()} {step.name}'"


def _closest(step: Step, contexts: Iterable[StepFunctionContext]) -> list[str]:
    """The vocabulary's steps most like ``step``'s text, best first."""
    texts = {pattern(c): c for c in contexts if c.type in (None, step.type)}
    return [f"{step.type.capitalize()} {text}" for text in difflib.get_close_matches(step.name, texts, n=3, cutoff=0.5)]


def _undefined(path: Path, step: Step, contexts: list[StepFunctionContext]) -> str:
    closest = _closest(step, contexts)
    hint = f"; the closest: {' | '.join(closest)}" if closest else ""
    unfilled = [f"<{name}>" for name in PLACEHOLDER.findall(step.name)]
    hint += f"; {', '.join(unfilled)} is no column of its Examples" if unfilled else ""
    return (
        f"{path}:{step.line_number}: no step definition matches {_said(step)}{hint} (pytest --linreg-steps lists all)"
    )


def _unmade(path: Path, step: Step, context: StepFunctionContext, made: set[str], makers: dict[str, list[str]]) -> str:
    """Why ``step`` cannot run here: it reads a value that only a step before it makes, and none did; or ""."""
    reads = [
        name
        for name in inspect.signature(context.step_func).parameters
        if name in makers and name not in made and name not in _NOT_FIXTURES
    ]
    reads = [name for name in reads if name not in (context.parser.parse_arguments(step.name) or {})]
    if not reads:
        return ""
    such = " or ".join(f"'{text}'" for text in makers[reads[0]][:2])
    return f"{path}:{step.line_number}: {_said(step)} needs a step before it that makes its {reads[0]}, such as {such}"


def _definitions(step: Step, visible: list[pytest.FixtureDef[object]]) -> list[StepFunctionContext]:
    """The step definitions among ``visible`` that match ``step``, in pytest-bdd's order (the one it runs
    last): its own search (``find_fixturedefs_for_step``), over the step definitions' fixtures that the
    feature's node sees, asked of pytest once per file instead of once per step for every fixture."""
    found = []
    for fixturedef in visible:
        context = step_function_context_registry.get(fixturedef.func)
        if context is not None and context.type in (None, step.type) and context.parser.is_matching(step.name):
            found.append(fixturedef)
    found.sort(key=lambda d: [*iterparentnodeids(d.baseid)])
    return [step_function_context_registry[d.func] for d in found]


def check_feature(path: Path, node: pytest.Collector) -> list[str]:
    """Problems in the feature at ``path`` that pytest-bdd would not report at collection."""
    try:
        feature = parse(path)
    except FeatureFileError as exc:
        return str(exc).splitlines()
    problems = _duplicate_names(path)
    fixtures, prefix = node.session._fixturemanager, StepNamePrefix.step_def.value  # a step definition's fixture
    names = [name for name in get_fixture_names(fixtures) if name.startswith(prefix)]
    visible = [d for name in names for d in getfixturedefs(fixtures, name, node) or []]
    definitions: dict[tuple[str, str], list[StepFunctionContext]] = {}  # (type, text): the same for each render
    every = list(step_function_context_registry.values())
    makers: dict[str, list[str]] = {}
    for c in every:
        if c.target_fixture and c.step_func.__module__.startswith(_VOCABULARY):
            makers.setdefault(c.target_fixture, []).append(f"{(c.type or 'given').capitalize()} {pattern(c)}")
    tagged = [(feature.tags, feature.line_number)]
    for template in feature.scenarios.values():
        tagged.append((template.tags, template.line_number))
        for scenario in rendered(template):
            made: set[str] = set()
            for step in scenario.steps:
                key = (step.type, step.name)
                if key not in definitions:
                    definitions[key] = _definitions(step, visible)
                found = definitions[key]
                if not found:
                    problem = _undefined(path, step, every)
                else:
                    context = found[-1]  # pytest-bdd's choice: the closest definition
                    problem = _unmade(path, step, context, made, makers)
                    _warn_if_shadowed(path, step, context, found)
                    made |= {context.target_fixture} if context.target_fixture else set()
                problems += [] if not problem or problem in problems else [problem]
    if _strict_markers(node.config):
        markers = _registered_markers(node.config)
        problems += [
            f"{path}:{tag_line}: tag @{tag} is not a registered marker; use one of linreg's tags "
            "or add it to your pytest configuration's markers"
            for tags, tag_line in tagged
            for tag in sorted(tags - markers)
        ]
    return problems


def _warn_if_shadowed(path: Path, step: Step, chosen: StepFunctionContext, found: list[StepFunctionContext]) -> None:
    linreg = [c for c in found if c.step_func.__module__.startswith(_VOCABULARY)]
    if linreg and not chosen.step_func.__module__.startswith(_VOCABULARY):
        msg = (
            f"{path}:{step.line_number}: {_said(step)} runs your step at {where(chosen)}, "
            f"not linreg's at {where(linreg[0])} of the same text"
        )
        warnings.warn(ShadowedStepWarning(msg), stacklevel=1)


class FeatureFile(pytest.Module):
    """One of linreg's .feature files, collected as a module holding one test per scenario."""

    def _getobj(self) -> types.ModuleType:
        problems = check_feature(self.path, self)
        if problems:
            raise self.CollectError("\n".join(problems))
        module = types.ModuleType(self.path.stem)
        module.__file__ = str(self.path)
        module.__dict__["linreg_leaves_global_state_alone"] = leaves_global_state_alone  # for these scenarios only
        code = compile(f"scenarios({str(self.path)!r}, encoding={ENCODING!r})", str(self.path), "exec")
        exec(code, {**module.__dict__, "scenarios": scenarios}, module.__dict__)
        return module


def ours(item: pytest.Item) -> bool:
    """Whether ``item`` is a scenario of one of linreg's feature files."""
    return isinstance(item.parent, FeatureFile)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    asked = parent.config.stash.get(ASKED, None)  # None where linreg.spec.session was loaded by name alone
    if file_path.suffix == ".feature" and asked is not None and asked.owns(file_path):
        return FeatureFile.from_parent(parent, path=file_path)
    return None
