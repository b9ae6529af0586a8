"""Where the spec stands while it runs, recorded once: the scenario and step under way, and what steps document.

pytest-bdd announces each scenario and step (its ``before_scenario`` / ``before_step`` hooks); the
recorder keeps them on the test item, with when each began, for every reader: the regression check
(``numbers.py``), the living doc (``livingdoc.py``) and the failure headings (``failures.py``).

A step whose argument states numbers as the notes printed them says so where it is defined:
``@documents("line")`` names that argument (a parsed one, ``"docstring"`` or ``"datatable"``). Any
step of a scenario, run yet or not, is resolved to its definition by pytest-bdd's own lookup, and
its documented argument read by that definition's own parser: a step's wording lives in its
definition alone, so renaming a step keeps its numbers checked and reported.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

import pytest
from pytest_bdd import parsers
from pytest_bdd.parser import Feature, Scenario, Step
from pytest_bdd.scenario import get_step_function

F = TypeVar("F", bound=Callable[..., object])
Kind = Literal["line", "docstring", "datatable"]


@dataclass(frozen=True)
class Place:
    """The scenario under way: its feature, itself, and when it began (ns since the epoch)."""

    feature: Feature
    scenario: Scenario
    started_ns: int


@dataclass(frozen=True)
class At:
    """The step under way, and when it began (``time.perf_counter_ns``)."""

    step: Step
    started: int


@dataclass(frozen=True)
class Argument:
    """A step's documented argument: a quoted line (``at`` its offset in the step's text), a doc string, a table."""

    step: Step
    kind: Kind
    value: str | list[list[str]]
    at: int = 0


_PLACE = pytest.StashKey[Place]()
_AT = pytest.StashKey[At]()
_DOCUMENTS: dict[Callable[..., object], str] = {}  # step function → the argument holding its documented numbers


def documents(argument: str) -> Callable[[F], F]:
    """Marks a step definition whose ``argument`` (a parsed argument, "docstring" or "datatable") states numbers
    as printed; put it below the step decorator."""

    def mark(func: F) -> F:
        _DOCUMENTS[func] = argument
        return func

    return mark


def place(node: pytest.Item) -> Place | None:
    """The scenario ``node`` runs, once it began; None before, or for a test that is no scenario."""
    return node.stash.get(_PLACE, None)


def at(node: pytest.Item) -> At | None:
    """The step ``node`` runs or last ran; None before its first step."""
    return node.stash.get(_AT, None)


def argument(request: pytest.FixtureRequest, step: Step) -> Argument | None:
    """The documented argument of ``step`` (a step of the running scenario), read by its definition;
    None where its definition documents no numbers, or none is found."""
    context = get_step_function(request, step)
    name = None if context is None else _DOCUMENTS.get(context.step_func)
    if context is None or name is None:
        return None
    if name == "docstring":
        return None if step.docstring is None else Argument(step, "docstring", step.docstring)
    if name == "datatable":
        if step.datatable is None:
            return None
        return Argument(step, "datatable", [[cell.value for cell in row.cells] for row in step.datatable.rows])
    value = context.parser.parse_arguments(step.name) or {}
    if name not in value:
        msg = f"@documents({name!r}) on {context.step_func.__name__}: its step {context.parser.name!r} has no {name}"
        raise TypeError(msg)
    text = str(value[name])
    if isinstance(context.parser, parsers.parse):  # where the parser found it
        return Argument(step, "line", text, context.parser.parser.parse(step.name).spans[name][0])
    return Argument(step, "line", text, step.name.rfind(text))


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
    request.node.stash[_PLACE] = Place(feature, scenario, time.time_ns())


def pytest_bdd_before_step(request: pytest.FixtureRequest, step: Step) -> None:
    request.node.stash[_AT] = At(step, time.perf_counter_ns())
