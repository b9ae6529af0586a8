"""Each Scenario Outline's Examples on the living doc's page as their table, a row per example with how it
ended (linreg/spec/outlines.py)."""

from __future__ import annotations

from linreg.spec.steps.checkout import ROOT, cell_feature
from pytest_bdd.feature import get_features

from linreg.spec.collect import rendered
from linreg.spec.messages import LivingDoc, ScenarioRun, StepResult
from linreg.spec.outlines import table


def _outline_description(doc: LivingDoc) -> str:
    (document,) = [m["gherkinDocument"] for m in doc.messages() if "gherkinDocument" in m]
    (outline,) = [c["scenario"] for c in document["feature"]["children"] if c.get("scenario", {}).get("examples")]
    return str(outline["description"])


def test_an_outline_shows_its_examples_each_row_with_how_it_ended() -> None:
    path = cell_feature(1)
    doc = LivingDoc(ROOT, [path])
    (parsed,) = get_features([str(path)])
    uri = path.relative_to(ROOT).as_posix()
    for template in parsed.scenarios.values():
        for number, scenario in enumerate(rendered(template)):
            steps = tuple(step.name for step in scenario.steps)
            if number == 1:  # the outline's second example fails; its third is not run at all
                doc.add(ScenarioRun(uri, template.line_number, steps, [StepResult("FAILED")], status="FAILED"))
            elif number < 2 or not template.templated:
                doc.add(ScenarioRun(uri, template.line_number, steps, [StepResult("PASSED") for _ in steps]))
    description = _outline_description(doc)
    assert "| # | x | y | w | loss | grad | ended |" in description
    assert "| #1.1 | 2 | 2 | 1 | 0 | 0 | ✓ passed |" in description
    assert "| #1.2 | 3 | 1 | 1 | 4 | 12 | ✗ failed |" in description
    assert "| #1.3 | -1 | 2 | 0.5 | 6.25 | 5 | not run |" in description


def test_a_cell_that_markdown_would_read_as_markup_stays_text() -> None:
    header = {"cells": [{"value": "a|b"}, {"value": "<i>"}]}
    row = {"id": "r1", "cells": [{"value": "*x* _y_"}, {"value": ""}]}
    scenario = {"examples": [{"keyword": "Examples", "name": "", "tableHeader": header, "tableBody": [row]}]}
    text = table(scenario, {"r1": "SKIPPED"})
    assert "| # | a\\|b | &lt;i&gt; | ended |" in text
    assert "| #1.1 | \\*x\\* \\_y\\_ |   | skipped |" in text


def test_a_scenario_without_examples_has_no_table() -> None:
    assert table({"description": "as written"}, {}) == ""
