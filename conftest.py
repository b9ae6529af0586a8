"""Collects features/*.feature directly (no test_*.py per feature) and loads the step modules.

Before a feature's scenarios are generated, it is checked for what pytest-bdd would let slip:
a step with no definition, two scenarios with one name (pytest-bdd keeps only the last), a tag
that is not a registered marker. A malformed table fails in the Gherkin parser. Each failure is
a collection error naming the file and line.
"""

from __future__ import annotations

import gc
import re
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_bdd.feature import get_features
from pytest_bdd.scenario import scenarios
from pytest_bdd.steps import step_function_context_registry

from linreg.determinism import global_state
from steps import STEP_MODULES

pytest_plugins = list(STEP_MODULES)

_SCENARIO = re.compile(r"^\s*Scenario(?: Outline| Template)?:\s*(.*?)\s*$")


def _registered_markers(config: pytest.Config) -> set[str]:
    return {line.split(":")[0].split("(")[0].strip() for line in config.getini("markers")}


def check_feature(path: Path, config: pytest.Config) -> list[str]:
    """Problems in the feature at ``path`` that pytest-bdd would not report at collection."""
    problems = []
    seen: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _SCENARIO.match(line)
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
                        f"'{step.keyword.strip()} {step.name}'; see the step vocabulary in README.md"
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
    re-scanning them on every full collection; that saves about a second of every spec run (BENCHMARKS.md)."""
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
