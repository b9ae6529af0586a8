"""Checks of the specification itself: a wrong number fails, broken features fail collection,
the README's step vocabulary is current, and a new user's scenario runs as written."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from samples import README_EXAMPLE

from linreg.spec.vocabulary import END, START, markdown

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?")
# tolerances and thresholds: loosening one is not a wrong number
LOOSE = re.compile(r"(within|below|at most|more than)\s+$")
STEP_KEYWORDS = ("Given", "When", "Then", "And", "But", "*")


def _suite(tmp: Path) -> Path:
    """A copy of the spec (conftest and pyproject; the steps come with linreg) with an empty features/ to fill."""
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp / name)
    (tmp / "features").mkdir()
    return tmp


def _in_docstrings(lines: list[str]) -> list[bool]:
    """For each line, whether it lies inside a docstring (its \"\"\" lines included)."""
    inside, marks = False, []
    for line in lines:
        fence = line.strip().startswith('"""')
        marks.append(inside or fence)
        inside = inside != fence
    return marks


def _changes(text: str) -> list[dict[str, Any]]:
    """Every number in ``text``'s scenario expectations, each changed by one digit: where, and the line as changed.

    Expectations are the Then steps with their tables and docstrings. Tolerances and thresholds
    (after "within", "below", "at most", "more than") are left alone: loosening one is not a wrong number.
    Scenario outlines are left out: their tables mix inputs and expectations.
    """
    lines = text.splitlines()
    quoted = _in_docstrings(lines)  # a docstring's lines are text, never keywords
    starts = [i for i, line in enumerate(lines) if not quoted[i] and re.match(r"\s*(Scenario|Rule|Examples)", line)]
    changes: list[dict[str, Any]] = []
    for n, start in enumerate(starts):
        block = range(start, starts[n + 1] if n + 1 < len(starts) else len(lines))
        if not lines[start].strip().startswith("Scenario:"):
            continue  # a Rule's heading and description, or an outline
        expecting, step = False, start
        for i in block:
            keyword = lines[i].strip().split(" ", 1)[0]
            if not quoted[i] and lines[i].strip().startswith("@"):
                continue  # the next scenario's tags
            if keyword in STEP_KEYWORDS and not quoted[i]:
                expecting = expecting if keyword in ("And", "But", "*") else keyword == "Then"
                step = i
            if not expecting:
                continue
            for match in NUMBER.finditer(lines[i]):
                if LOOSE.search(lines[i][: match.start()]):
                    continue
                digits = match.group()
                last = max(k for k, ch in enumerate(digits) if ch.isdigit())
                changed = digits[:last] + str((int(digits[last]) + 1) % 10) + digits[last + 1 :]
                changes.append(
                    {
                        "scenario": start + 1,
                        "step": step + 1,
                        "line": i + 1,
                        "text": lines[i][: match.start()] + changed + lines[i][match.end() :],
                        "change": f"{digits} -> {changed}",
                    }
                )
    return changes


@pytest.mark.slow  # about a minute with pytest-xdist: `pytest -m slow` runs it (CI does)
def test_changing_any_expected_number_fails_the_spec(tmp_path: Path) -> None:
    (tmp_path / "suite").mkdir()
    suite, out = _suite(tmp_path / "suite"), tmp_path / "out"
    changes: list[dict[str, Any]] = []
    for feature in sorted((ROOT / "features").rglob("*.feature")):
        found = _changes(feature.read_text(encoding="utf-8"))
        if found:  # a feature whose expectations hold no number has no changes to try
            copy = suite / feature.relative_to(ROOT)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(feature, copy)
            changes += [{"id": len(changes) + k, "feature": str(copy), **c} for k, c in enumerate(found)]
    out.mkdir()
    (out / "changes.json").write_text(json.dumps(changes), encoding="utf-8")
    env = {
        **os.environ,
        "LINREG_CHANGED_NUMBERS": str(out),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    # each scenario runs once, each change in a fork of it (tests/changed_numbers.py); pytest-xdist: the
    # caller waits meanwhile; -m: the @slow scenarios (features/3_tool/24) are changed and run too
    command = [sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "changed_numbers"]
    command += ["-q", "--tb=short", "-n", "2", "-m", "not browser"]
    # a short --basetemp: a data-parallel run's socket lies below its scenario's folder, and AF_UNIX takes 107 bytes
    with tempfile.TemporaryDirectory(prefix="lr") as short:
        command.append(f"--basetemp={short}/t")
        result = subprocess.run(command, cwd=suite, env=env, capture_output=True, text=True, check=False)
    assert len(changes) > 300, f"only {len(changes)} numbers found to change"
    assert result.returncode == 0, "the unchanged scenarios must pass:\n" + (result.stdout + result.stderr)[-3000:]
    tried = {r["id"]: r for f in out.glob("results-*.json") for r in json.loads(f.read_text(encoding="utf-8"))}
    untried = [c for c in changes if c["id"] not in tried]
    assert untried == [], f"{len(untried)} changed numbers were not tried:\n" + "\n".join(map(_where, untried[:20]))
    escaped = [f"{_where(c)}: {tried[c['id']]}" for c in changes if tried[c["id"]]["outcome"] != "failed"]
    assert escaped == [], "changing these numbers did not fail the spec:\n" + "\n".join(escaped)


def _where(change: dict[str, Any]) -> str:
    feature = Path(change["feature"]).name
    return f"{feature}:{change['line']} ({change['change']})"


BROKEN = {
    "undefined_step.feature": (
        "@numpy\nFeature: Undefined\n  Scenario: A step nobody wrote\n"
        '    Given the "numpy" stage with the notes\' settings\n    When it is juggled\n',
        "undefined_step.feature:5: no step definition matches 'When it is juggled'",
    ),
    "duplicate.feature": (
        '@numpy\nFeature: Duplicate\n  Scenario: Same\n    Given the "numpy" stage with the notes\' settings\n'
        '  Scenario: Same\n    Given the "numpy" stage with the notes\' settings\n',
        "duplicate.feature:5: scenario 'Same' is already named at line 3",
    ),
    "unknown_tag.feature": (
        '@numpi\nFeature: Tag\n  Scenario: Tagged\n    Given the "numpy" stage with the notes\' settings\n',
        "unknown_tag.feature:2: tag @numpi is not a registered marker",
    ),
    "bad_table.feature": (
        '@numpy\nFeature: Table\n  Scenario: Ragged\n    Given the "numpy" stage with the notes\' settings\n'
        "    When it is trained\n    Then the logged epochs are:\n      | epoch | w |\n      | 1 | 1.200 | 30 |\n",
        "bad_table.feature:8: not valid Gherkin: inconsistent cell count within the table",
    ),
}


def _in_process(cwd: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """pytest run in this process, in ``cwd``: its exit status and what it printed."""
    capsys.readouterr()
    with contextlib.chdir(cwd):
        status = int(pytest.main(["-p", "no:randomly", "-p", "no:cacheprovider", *args]))
    return status, capsys.readouterr().out


def test_broken_features_fail_collection_naming_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = _suite(tmp_path)
    for name, (text, _) in BROKEN.items():
        (suite / "features" / name).write_text(text, encoding="utf-8")
    status, said = _in_process(suite, capsys, "-q", "--tb=short")
    assert status != 0
    for name, (_, message) in BROKEN.items():
        assert message in said, f"{name}: {message!r} not in\n{said[-3000:]}"
    assert f"{len(BROKEN)} errors" in said


def test_a_new_users_scenario_runs_without_touching_the_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = _suite(tmp_path)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    scenario = readme.split("```gherkin\n", 1)[1].split("```", 1)[0]
    assert scenario == README_EXAMPLE, (
        "tests/samples.py's README_EXAMPLE, which the plugin's checks run, is not the README's"
    )
    (suite / "features" / "mine.feature").write_text(scenario, encoding="utf-8")
    status, said = _in_process(suite, capsys, "-q")
    assert status == 0, said[-3000:]
    assert "1 passed" in said


def test_the_step_vocabulary_page_is_current() -> None:
    page = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    block = page[page.index(START) : page.index(END) + len(END)]
    assert block == markdown(), "docs/vocabulary.md is stale: run `python -m linreg.spec.vocabulary --write`"
