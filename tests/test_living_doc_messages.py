"""Checks of the living doc's Cucumber Messages that features/3_tool/21_living_doc.feature leaves to its
format: no two things of a run share an id (the messages refer to one another by id)."""

from __future__ import annotations

from pathlib import Path

from linreg.spec.steps.checkout import ROOT, cell_feature
from linreg.spec.steps.checkout.report_steps import all_passed, made_up, shared_ids


def test_no_two_things_of_a_made_up_run_share_an_id(tmp_path: Path) -> None:
    """Cell 3's feature with a passed, a failed and a skipped scenario, and step definitions of their own."""
    run = made_up(tmp_path, cell_feature(3))
    assert run.of("stepDefinition"), "the made-up run has step definitions"
    assert shared_ids(run) == []


def test_no_two_things_of_an_outlines_run_share_an_id(tmp_path: Path) -> None:
    """Cell 1's feature, every step passed: the examples of its outline are pickles of their own."""
    run = all_passed(tmp_path, ROOT, cell_feature(1))
    assert len(run.of("pickle")) == len(run.of("testCase")) > 1
    assert shared_ids(run) == []
