"""Collecting .feature files directly, as pytest modules of one test per scenario, after checking them.

pytest-bdd would let some mistakes slip: a step with no definition (found only when it runs), two
scenarios with one name (it keeps only the last), a tag that is no registered marker. Each is a
collection error here, naming the file and line; a malformed file fails in the Gherkin parser.
"""

from __future__ import annotations

import re
import types
from pathlib import Path

import pytest
from pytest_bdd.feature import get_features
from pytest_bdd.parser import Scenario, ScenarioTemplate
from pytest_bdd.scenario import scenarios
from pytest_bdd.steps import step_function_context_registry

_SCENARIO = re.compile(r"^\s*Scenario(?: Outline| Template)?:\s*(.*?)\s*$")


def _registered_markers(config: pytest.Config) -> set[str]:
    return {line.split(":")[0].split("(")[0].strip() for line in config.getini("markers")}


def _duplicate_names(path: Path) -> list[str]:
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
    return problems


def rendered(template: ScenarioTemplate) -> list[Scenario]:
    """The scenarios pytest-bdd makes of ``template``: one per row of its examples, or itself."""
    examples = [context for block in template.examples for context in block.as_contexts()] or [{}]
    return [template.render(example) for example in examples]


def check_feature(path: Path, config: pytest.Config) -> list[str]:
    """Problems in the feature at ``path`` that pytest-bdd would not report at collection."""
    problems = _duplicate_names(path)
    try:
        (feature,) = get_features([str(path)])
    except Exception as exc:  # the Gherkin parser's own message names the line
        return [f"{path}: not valid Gherkin: {exc}"]
    markers = _registered_markers(config)
    contexts = list(step_function_context_registry.values())
    tagged = [(feature.tags, feature.line_number)]
    for template in feature.scenarios.values():
        tagged.append((template.tags, template.line_number))
        for scenario in rendered(template):
            for step in scenario.steps:
                if not any(c.type in (None, step.type) and c.parser.is_matching(step.name) for c in contexts):
                    problem = (
                        f"{path}:{step.line_number}: no step definition matches "
                        f"'{step.keyword.strip()} {step.name}'; see linreg's step vocabulary (docs/vocabulary.md)"
                    )
                    problems += [] if problem in problems else [problem]
    for tags, tag_line in tagged:
        problems += [
            f"{path}:{tag_line}: tag @{tag} is not a registered marker; use one of linreg's tags "
            "or add it to your pytest configuration's markers"
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


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".feature":
        return FeatureFile.from_parent(parent, path=file_path)
    return None
