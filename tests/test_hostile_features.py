"""Hostile feature files: each one a collection error of one line per problem, naming the file, with no frames.

The named cases run the plugin in pytester's empty folders (through its entry point, as a user's
project has it). Hypothesis then generates feature-file bytes, Gherkin-like lines in any encoding
or plain binary: ``featurefile.parse`` either returns a Feature whose scenarios render, or refuses
in such lines; and the whole collector, run on a few of them at a time, reports nothing else.
The default run tries a few hundred files in seconds; ``pytest -m slow`` tries thousands.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from samples import ARGS, GOOD, bounded

from linreg.spec.collect import rendered
from linreg.spec.featurefile import FeatureFileError, parse

OUTLINE = """\
Feature: An outline
  Scenario Outline: At learning rate <lr>
    Given the "numpy" stage with the notes' settings
    And a learning rate of <lr>
    When it is trained
"""

NO_FEATURE = "no 'Feature:' line: a feature file holds 'Feature: <name>' and its scenarios"


def _collect(
    pytester: pytest.Pytester, files: dict[str, bytes], folder: Path | None = None, *options: str
) -> tuple[pytest.ExitCode | int | None, dict[str, str]]:
    """Collects ``files``, written in ``folder``, with the plugin: pytest's exit code, each failed file's report."""
    folder = folder or pytester.path
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        recorder = pytester.inline_run(*ARGS, "--collect-only", *options, *files)
    failed = {Path(r.nodeid).name: r.longreprtext for r in recorder.getreports("pytest_collectreport") if r.failed}
    return recorder.ret, failed


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (GOOD.replace("My data", "Mes données").encode("latin-1"),
         "my.feature:2: not UTF-8 text (byte 0xe9 at column 18): save the feature file as UTF-8"),
        (b"", f"my.feature: {NO_FEATURE}"),
        (b"# only a comment\n@numpy\n", f"my.feature: {NO_FEATURE}"),
        (b"Feature: x\n  Background:\n    Given the \"numpy\" stage with the notes' settings\n",
         "my.feature:1: Feature 'x' has no scenario: add a 'Scenario:' and its steps"),
        (OUTLINE.encode(), "my.feature:2: Scenario Outline 'At learning rate <lr>' has no Examples row: add an "
         "'Examples:' table with the column lr and one row per run"),
        ((OUTLINE + "\n    Examples:\n      | lr |\n").encode(), "my.feature:2: Scenario Outline 'At learning rate "
         "<lr>' has no Examples row: add an 'Examples:' table with the column lr and one row per run"),
        ((OUTLINE + "\n    Examples:\n      | rate |\n      | 0.01 |\n").encode(),
         "my.feature:4: no step definition matches 'And a learning rate of <lr>'; the closest: Given a learning rate "
         "of {lr:g}; <lr> is no column of its Examples (pytest --linreg-steps lists all)"),
        (b"Feature: x\n  Scenario: Nothing\n", "my.feature:2: Scenario 'Nothing' has no steps, so it checks nothing: "
         "give it a Given, When and Then"),
        (b"# language: xx\nFeature: x\n", "my.feature:1: not valid Gherkin: Language not supported: xx"),
        ((GOOD + "Feature: Another\n").encode(), "my.feature:10: not valid Gherkin: Multiple features are not "
         "allowed in a single feature file."),
    ],
    ids=["latin-1", "empty", "comment and tag only", "Background only", "Outline without Examples",
         "Examples without rows", "placeholder without column", "no steps", "unknown language", "two Features"],
)  # fmt: skip
def test_a_hostile_feature_file_is_one_line_naming_it(pytester: pytest.Pytester, data: bytes, said: str) -> None:
    status, failed = _collect(pytester, {"my.feature": data})
    assert status == pytest.ExitCode.INTERRUPTED
    assert failed["my.feature"] == f"{pytester.path}/{said}"


def test_a_feature_file_with_a_byte_order_mark_is_read_as_utf8(pytester: pytest.Pytester) -> None:
    """Collected, and shown in the living doc: both read the file as UTF-8 with its mark dropped."""
    pytester.path.joinpath("my.feature").write_bytes(b"\xef\xbb\xbf" + GOOD.replace("My data", "Mes données").encode())
    result = pytester.runpytest(*ARGS, "my.feature", "--living-doc=doc.ndjson")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["living doc: 1 scenarios of 1 features in doc.ndjson"])
    messages = [json.loads(line) for line in (pytester.path / "doc.ndjson").read_text(encoding="utf-8").splitlines()]
    sources = [m["source"] for m in messages if "source" in m]
    assert sources[0]["data"].startswith("@numpy\nFeature: Mes données\n")


PIECES = (
    "Feature: f",
    "Feature: My data",
    "@numpy",
    "@nump",
    "# a comment",
    "# language: fr",
    "# language: xx",
    "Fonctionnalité: f",
    "Scénario: s",
    "Background:",
    "Scenario: s",
    "Scenario: s",
    "Scenario Outline: o <lr>",
    "Rule: r",
    "Examples:",
    "| lr |",
    "| 0.02 |",
    "| a | b |",
    "| 1 |",
    '"""',
    "```",
    *GOOD.splitlines(),
    "And a learning rate of <lr>",
    "Then the logged epochs are:",
    "* a star step",
    "Given",
    "Then <x>",
    "",
)
_LINE = st.tuples(st.sampled_from(("", "  ", "    ", "\t")), st.one_of(st.sampled_from(PIECES), st.text(max_size=12)))
_TEXT = st.lists(_LINE, max_size=14).map(lambda lines: "\n".join(indent + piece for indent, piece in lines))
_ENCODINGS = ("utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252")
FEATURE_BYTES = st.one_of(
    st.tuples(_TEXT, st.sampled_from(_ENCODINGS)).map(lambda pair: pair[0].encode(pair[1], errors="replace")),
    st.binary(max_size=120),
)


def _parses_or_refuses_in_lines(folder: Path, data: bytes) -> None:
    path = folder / "fuzz.feature"
    path.write_bytes(data)
    try:
        feature = parse(path)
    except FeatureFileError as exc:
        lines = str(exc).split("\n")
        assert all(line.startswith(str(path)) and len(line.splitlines()) == 1 for line in lines), lines
        return
    for template in feature.scenarios.values():
        assert template.steps, template.name
        for scenario in rendered(template):
            assert scenario.steps


@example(b"\xef\xbb\xbfFeature: f\n  Scenario: s\n    Given x\n")
@example(b"Feature: f\n  Scenario Outline: o\n    Given <x>\n    Examples:\n")
@given(FEATURE_BYTES)
@bounded(400)
def test_any_bytes_parse_or_are_refused_in_one_line_each(tmp_path: Path, data: bytes) -> None:
    _parses_or_refuses_in_lines(tmp_path, data)


@pytest.mark.slow
@given(FEATURE_BYTES)
@bounded(5_000)
def test_any_bytes_parse_or_are_refused_in_one_line_each_at_length(tmp_path: Path, data: bytes) -> None:
    _parses_or_refuses_in_lines(tmp_path, data)


_RUN = itertools.count()


def _collects_or_refuses_in_lines(pytester: pytest.Pytester, files: list[bytes]) -> None:
    folder = pytester.mkdir(f"run{next(_RUN)}")
    # only the reports matter here: going on past a collection error spares pytest its report of the interruption
    named = {f"f{i}.feature": data for i, data in enumerate(files)}
    status, failed = _collect(pytester, named, folder, "--continue-on-collection-errors")
    assert status in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.NO_TESTS_COLLECTED), status
    for name, said in failed.items():
        lines = said.split("\n")
        assert all(line.startswith(f"{folder}/{name}") and len(line.splitlines()) == 1 for line in lines), said


@given(st.lists(FEATURE_BYTES, min_size=1, max_size=4))
@bounded(8)
def test_the_collector_reports_any_bytes_in_one_line_per_problem(pytester: pytest.Pytester, files: list[bytes]) -> None:
    _collects_or_refuses_in_lines(pytester, files)


@pytest.mark.slow
@given(st.lists(FEATURE_BYTES, min_size=1, max_size=8))
@bounded(60)
def test_the_collector_reports_any_bytes_in_one_line_per_problem_at_length(
    pytester: pytest.Pytester, files: list[bytes]
) -> None:
    _collects_or_refuses_in_lines(pytester, files)
