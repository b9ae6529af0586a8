"""linreg's pytest plugin on its own, in pytester's empty folders: what a user of `pip install 'linreg[spec]'` gets.

These run pytest in this process, in folders outside this checkout's conftest.py and
pyproject.toml, with the plugin loaded through its installed entry point. The same from a
wheel in a new virtual environment is the @plugin feature (features/3_tool/24_plugin.feature, slow).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from samples import ARGS, README_EXAMPLE

from linreg.spec import stack

ROOT = Path(__file__).resolve().parent.parent


def _run(pytester: pytest.Pytester, feature: str, *args: str) -> pytest.RunResult:
    pytester.makefile(".feature", my=feature)
    return pytester.runpytest(*ARGS, "my.feature", *args)


def test_the_readme_example_passes_in_an_empty_folder(pytester: pytest.Pytester) -> None:
    _run(pytester, README_EXAMPLE).assert_outcomes(passed=1)


def test_a_wrong_number_fails_with_the_report(pytester: pytest.Pytester) -> None:
    result = _run(pytester, README_EXAMPLE.replace("0.00000311", "0.00000313"))
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*my.feature:9: Then it prints*",
            "1 documented number moved:",
            "cell    epoch  quantity  documented  got         last digit  relative",
            "Cell 2  11     loss      0.00000313  0.00000311  -2          -6.4e-03",
            "1 of 2 documented numbers of this scenario held.",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_the_report_file_holds_every_documented_number(pytester: pytest.Pytester) -> None:
    _run(pytester, README_EXAMPLE, "--linreg-report=run.json").assert_outcomes(passed=1)
    data = json.loads((pytester.path / "run.json").read_text(encoding="utf-8"))
    assert data["reference"] == stack.REFERENCE
    assert [(n["epoch"], n["quantity"], n["documented"], n["got"], n["held"]) for n in data["numbers"]] == [
        ("11", "w", "3.000", "3.000", True),
        ("11", "loss", "0.00000311", "0.00000311", True),
    ]


def test_each_run_of_a_scenario_is_checked_against_its_own_output(pytester: pytest.Pytester) -> None:
    """A scenario that trains twice: the steps after each When read that run's lines, not the first's."""
    twice = """\
@numpy
Feature: Two runs
  Scenario: A smaller learning rate gets less far in 20 epochs
    Given the "numpy" stage with the notes' settings
    When it is trained
    Then it prints "Prediction after training: f(5)= 10.000"
    Given a learning rate of 0.001
    When it is trained
    Then it prints "Prediction after training: f(5)= 7.099"
"""
    _run(pytester, twice, "--linreg-report=run.json").assert_outcomes(passed=1)
    data = json.loads((pytester.path / "run.json").read_text(encoding="utf-8"))
    assert [(n["line"], n["documented"], n["got"]) for n in data["numbers"] if n["quantity"].endswith("f(5)")] == [
        (6, "10.000", "10.000"),
        (9, "7.099", "7.099"),
    ]


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("When it is trained", "When it dances"), "my.feature:8: no step definition matches 'When it dances'"),
        (("@numpy", "@nump"), "my.feature:2: tag @nump is not a registered marker"),  # under --strict-markers
        (("  Scenario: y = 3x", "  Scenario: y = 3x converges\n    When it is trained\n  Scenario: y = 3x"),
         "scenario 'y = 3x converges' is already named at line 3"),
        (("When it is trained", "When it is trained\n      | a | b |\n      | 1 |"), "not valid Gherkin"),
    ],
    ids=["undefined step", "unknown tag", "duplicate scenario", "bad Gherkin"],
)  # fmt: skip
def test_a_broken_feature_is_a_collection_error_naming_its_line(
    pytester: pytest.Pytester, change: tuple[str, str], said: str
) -> None:
    result = _run(pytester, README_EXAMPLE.replace(*change), "--strict-markers")
    result.assert_outcomes(errors=1)
    assert said in result.stdout.str(), result.stdout.str()


def test_the_living_doc_is_written_outside_a_checkout(pytester: pytest.Pytester) -> None:
    _run(pytester, README_EXAMPLE, "--living-doc=run.ndjson").assert_outcomes(passed=1)
    messages = [json.loads(line) for line in (pytester.path / "run.ndjson").read_text(encoding="utf-8").splitlines()]
    (source,) = [m["source"] for m in messages if "source" in m]
    assert source["uri"] == "my.feature"
    assert sum("attachment" in m for m in messages) == 1  # the loss plot of the one training scenario


def test_a_stack_unlike_the_reference_is_said_once_at_the_top(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(stack.REFERENCE, "torch", "0.1.0")
    result = _run(pytester, README_EXAMPLE.replace("0.00000311", "0.00000313"))
    header = "linreg: this stack differs from the notes' reference: torch * (the notes: 0.1.0)*"
    result.stdout.fnmatch_lines([header])
    assert result.stdout.str().count("this stack differs") == 1
    result.stdout.fnmatch_lines(["This stack differs from the one the notes' digits were verified on: torch *"])


SKIP_TAGGED = """
import pytest

def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("{tag}"):
            item.add_marker(pytest.mark.skip(reason="{reason}"))
"""


def test_skipped_scenarios_are_summed_up_by_reason_at_the_end(pytester: pytest.Pytester) -> None:
    reason = "the numpy cell, as this project says so; run it elsewhere"
    pytester.makeconftest(SKIP_TAGGED.format(tag="numpy", reason=reason))
    pytester.makepyfile(test_other=f"import pytest\n\n@pytest.mark.skip(reason={reason!r})\ndef test_x(): pass\n")
    second = README_EXAMPLE.split("\n", 2)[2].replace("y = 3x converges", "y = 3x converges again")
    result = _run(pytester, README_EXAMPLE + second, "test_other.py")
    result.assert_outcomes(skipped=3)
    result.stdout.fnmatch_lines([f"linreg: 2 skipped, so not checked: {reason}", "*3 skipped*"])
    assert result.stdout.str().count("so not checked") == 1  # one line per reason, for linreg's scenarios alone


def test_constraints_pin_the_reference_stack() -> None:
    pins = dict(
        line.split("==") for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines() if "==" in line
    )
    assert {name: pins[name] for name in stack.REFERENCE} == stack.REFERENCE


def test_a_misspelt_step_names_the_closest_steps(pytester: pytest.Pytester) -> None:
    result = _run(pytester, README_EXAMPLE.replace("a learning rate of", "a learnig rate of"))
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*my.feature:6: no step definition matches 'And a learnig rate of 0.02';"
            " the closest: Given a learning rate of*"
        ]
    )
    assert "docs/vocabulary.md" not in result.stdout.str()  # a wheel has no docs/: pytest --linreg-steps lists them


def test_a_check_before_its_run_names_the_step_it_needs(pytester: pytest.Pytester) -> None:
    early = README_EXAMPLE.replace("    When it is trained\n", "").replace(
        "    And the prediction after training", "    When it is trained\n    Then the prediction after training"
    )
    result = _run(pytester, early)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*my.feature:8: 'Then it prints*' needs a step before it that makes its history,"
            " such as 'When it is trained'*"
        ]
    )


def test_a_project_step_of_the_same_text_is_a_warning_naming_both(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        from pytest_bdd import given, parsers

        @given(parsers.parse("a learning rate of {lr:g}"), target_fixture="settings")
        def my_rate(settings, lr):
            return settings
        """
    )
    result = _run(pytester, README_EXAMPLE)
    result.stdout.fnmatch_lines(
        [
            "*ShadowedStepWarning: *my.feature:6: 'And a learning rate of 0.02' runs your step at conftest.py:3,"
            " not linreg's at training_steps.py:* of the same text"
        ]
    )


def test_the_vocabulary_is_printed_grouped_with_meanings_and_values(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest(*ARGS, "--linreg-steps")
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "Setting up a stage",
            'Given the "{stage}" stage with the notes\' settings',
            "    *",
            "    values: stage: backprop, numpy, autograd, optim, linear, module, stats",
            "Checking numbers",
        ]
    )
    assert "steps/checkout" not in result.stdout.str() or "Only in linreg's checkout" in result.stdout.str()
