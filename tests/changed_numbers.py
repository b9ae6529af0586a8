"""pytest plugin of the changed-numbers check (tests/test_spec.py): each changed number tried in a fork of its scenario.

A changed number is one number of a scenario's expectations changed by one digit: a "mutant" of the
scenario, which must fail. Run as a scenario of its own it repeats the scenario's Givens and Whens,
the costly part, with the same texts as the scenario itself. So this plugin runs each scenario
once, and where a block of expectations holding changed numbers begins (the steps after a When,
up to the next; a scenario's first step where it has no When before them), it forks the process
once per changed number of that block: the child is the process a run of the mutant would be at
that point, since every step before it is the mutant's too. The child puts the changed step in
the scenario (parsed from the mutant's feature text, which it also reads its documented numbers
from, as ``linreg.spec.numbers`` reads a feature's) and runs the rest of the scenario, the block's
earlier expectations included, through pytest-bdd's own step code; it reports whether and where
the scenario failed, and exits without teardown. The parent waits, then runs the scenario on.

``LINREG_CHANGED_NUMBERS`` names a folder. In: its changes.json, a list of changes, each ``{"id",
"feature" (its path), "scenario" and "step" (their lines), "line" (the changed line's number, from
1), "text" (the line as changed)}``. Out: results-PID.json for each process that ran scenarios, a
list of ``{"id", "outcome" ("failed", "passed", "skipped", "crashed", "timed out"), "step", "error"}``;
and the mutants' feature files, in features/.
"""

from __future__ import annotations

import importlib
import json
import os
import select
import signal
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, FeatureParser, Scenario, Step
from pytest_bdd.steps import StepFunctionContext

TIMEOUT_S = 300  # a child still running then is killed and reported
_bdd: Any = importlib.import_module("pytest_bdd.scenario")  # the package's name `scenario` is its decorator
_lookup: Callable[..., StepFunctionContext | None] = _bdd.get_step_function
_changes: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)  # (feature, scenario line) → changes
_results: list[dict[str, Any]] = []
_running: dict[int, tuple[Scenario, list[dict[str, Any]]]] = {}  # id(request.node) → its scenario, its changes
_child: dict[str, Any] = {}  # in a child: the change it tries, the write end of its pipe, the step running


def _block_start(steps: list[Step], line: int) -> int:
    """The index of the step after the When whose output the step at ``line`` checks; 0 where no When is before it.
    (``linreg.spec.numbers`` reads a block's documented numbers at its first step of printed output.)"""
    here = next(i for i, step in enumerate(steps) if step.line_number == line)
    return max((i + 1 for i in range(here + 1) if steps[i].type == "when"), default=0)


def _apply(change: dict[str, Any], feature: Feature, scenario: Scenario) -> None:
    """Make this process's scenario the mutant: the changed step in place, the feature read from the mutant's text."""
    lines = Path(feature.filename).read_text(encoding="utf-8").split("\n")
    lines[change["line"] - 1] = change["text"]
    path = Path(os.environ["LINREG_CHANGED_NUMBERS"]) / "features" / f"{change['id']}.feature"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    mutant = FeatureParser(str(path.parent), path.name).parse()
    template = next(t for t in mutant.scenarios.values() if t.line_number == scenario.line_number)
    changed = next(s for s in template.steps if s.line_number == change["step"])
    step = next(s for s in scenario.steps if s.line_number == change["step"])
    step.name, step.docstring, step.datatable = changed.name, changed.docstring, changed.datatable
    feature.filename = str(path)


def _try(change: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    """Run the rest of the scenario with ``change`` in a child process; what became of it."""
    sys.stdout.flush()
    sys.stderr.flush()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: from here on, a run of the mutant
        os.close(read)
        _child.update(change=change, write=write, step=None)
        _apply(change, scenario.feature, scenario)
        return {}
    os.close(write)
    began = time.monotonic()
    said, deadline = b"", began + TIMEOUT_S
    while (left := deadline - time.monotonic()) > 0 and select.select([read], [], [], left)[0]:
        chunk = os.read(read, 65536)
        if not chunk:
            break
        said += chunk
    os.close(read)
    timed_out = time.monotonic() >= deadline
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        return {"id": change["id"], "outcome": "timed out", "step": None, "error": f"after {TIMEOUT_S} s"}
    if not said:
        return {"id": change["id"], "outcome": "crashed", "step": None, "error": f"wait status {status}"}
    return {"id": change["id"], **json.loads(said), "seconds": round(time.monotonic() - began, 3)}


def _get_step_function(request: pytest.FixtureRequest, step: Step) -> StepFunctionContext | None:
    """pytest-bdd's step lookup, first forking the changes whose block begins at ``step``."""
    scenario, changes = _running.get(id(request.node), (None, []))
    if scenario is not None and not _child:
        here = next(i for i, s in enumerate(scenario.steps) if s is step)
        for change in changes:
            if _block_start(scenario.steps, change["step"]) == here:
                result = _try(change, scenario)
                if _child:  # this is the child: go on with the mutant
                    break
                _results.append(result)
    return _lookup(request=request, step=step)


def pytest_configure(config: pytest.Config) -> None:
    folder = Path(os.environ["LINREG_CHANGED_NUMBERS"])
    for change in json.loads((folder / "changes.json").read_text(encoding="utf-8")):
        _changes[(str(Path(change["feature"]).resolve()), change["scenario"])].append(change)
    _bdd.get_step_function = _get_step_function


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
    changes = _changes.get((str(Path(feature.filename).resolve()), scenario.line_number), [])
    if changes:
        _running[id(request.node)] = (scenario, changes)


def pytest_bdd_before_step(step: Step) -> None:
    if _child:
        _child["step"] = step.line_number


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_after_scenario(request: pytest.FixtureRequest) -> None:
    """In a child: say how the mutant ended (the exception in flight, if any) and exit, no teardown."""
    if not _child:
        _running.pop(id(request.node), None)
        return
    error = sys.exc_info()[1]
    if error is None:
        outcome = "passed"
    elif isinstance(error, pytest.skip.Exception):
        outcome = "skipped"
    else:
        outcome = "failed"
    said = {
        "outcome": outcome,
        "step": _child["step"],
        "error": "" if error is None else f"{type(error).__name__}: {str(error).strip().partition(chr(10))[0]}",
    }
    os.write(_child["write"], json.dumps(said).encode())
    os._exit(0)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not _child:
        out = Path(os.environ["LINREG_CHANGED_NUMBERS"]) / f"results-{os.getpid()}.json"
        out.write_text(json.dumps(_results), encoding="utf-8")
