"""Checks of the specification itself: a wrong number fails, broken features fail collection,
the README's step vocabulary is current, and a new user's scenario runs as written."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from linreg.spec.vocabulary import END, START, markdown

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?")
# tolerances and thresholds: loosening one is not a wrong number
LOOSE = re.compile(r"(within|below|at most|more than)\s+$")


def _suite(tmp: Path) -> Path:
    """A copy of the spec (conftest and pyproject; the steps come with linreg) with an empty features/ to fill."""
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp / name)
    (tmp / "features").mkdir()
    return tmp


def _pytest(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-p", "no:randomly", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def _in_docstrings(lines: list[str]) -> list[bool]:
    """For each line, whether it lies inside a docstring (its \"\"\" lines included)."""
    inside, marks = False, []
    for line in lines:
        fence = line.strip().startswith('"""')
        marks.append(inside or fence)
        inside = inside != fence
    return marks


def _mutants(text: str) -> tuple[str, int]:
    """``text`` with every scenario repeated once per number in its expectations, that number changed.

    Expectations are the Then steps with their tables and docstrings. Tolerances and thresholds
    (after "within", "below", "at most", "more than") are left alone: loosening one is not a wrong number.
    """
    lines = text.splitlines()
    quoted = _in_docstrings(lines)  # a docstring's lines are text, never keywords
    starts = [i for i, line in enumerate(lines) if not quoted[i] and re.match(r"\s*(Scenario|Rule|Examples)", line)]
    for n, start in enumerate(starts):  # a scenario's tags belong to it
        while start > 0 and lines[start - 1].strip().startswith("@") and (n == 0 or start - 1 > starts[n - 1]):
            start -= 1
        starts[n] = start
    head, out, count = lines[: starts[0]], [], 0
    for n, start in enumerate(starts):
        block = lines[start : starts[n + 1] if n + 1 < len(starts) else len(lines)]
        title = next(k for k, line in enumerate(block) if not line.strip().startswith("@"))
        if block[title].strip().startswith(("Scenario Outline", "Examples")):
            continue  # outlines mix inputs and expectations in one table: left out
        if not block[title].strip().startswith("Scenario:"):
            out += block  # a Rule's heading and description
            continue
        expecting = False
        for i, line in enumerate(block):
            keyword = line.strip().split(" ", 1)[0]
            if keyword in ("Given", "When", "Then") and not quoted[start + i]:
                expecting = keyword == "Then"
            if not expecting or i <= title:
                continue
            for match in NUMBER.finditer(line):
                if LOOSE.search(line[: match.start()]):
                    continue
                digits = match.group()
                last = max(k for k, ch in enumerate(digits) if ch.isdigit())
                changed = digits[:last] + str((int(digits[last]) + 1) % 10) + digits[last + 1 :]
                count += 1
                mutant = [*block]
                mutant[title] = f"{block[title]} (mutant {count}: {digits} -> {changed})"
                mutant[i] = line[: match.start()] + changed + line[match.end() :]
                out += mutant
    return "\n".join(head + out) + "\n", count


@pytest.mark.slow  # about 20 s with pytest-xdist: `pytest -m slow` runs it (CI does)
def test_changing_any_expected_number_fails_the_spec(tmp_path: Path) -> None:
    suite = _suite(tmp_path)
    total = 0
    for feature in sorted((ROOT / "features").rglob("*.feature")):
        text, count = _mutants(feature.read_text(encoding="utf-8"))
        if count:  # a feature whose expectations hold no number has no mutants
            mutated = suite / feature.relative_to(ROOT)
            mutated.parent.mkdir(parents=True, exist_ok=True)
            mutated.write_text(text, encoding="utf-8")
        total += count
    # pytest-xdist: the caller waits meanwhile; -m: the @slow scenarios (features/3_tool/24) are changed and run too
    result = _pytest(suite, "-q", "--tb=no", "-rp", "-n", "2", "-m", "not browser")
    escaped = [line for line in result.stdout.splitlines() if line.startswith("PASSED")]
    assert total > 300, f"only {total} numbers found to change"
    assert escaped == [], "changing these numbers did not fail the spec:\n" + "\n".join(escaped)
    assert f"{total} failed" in result.stdout, result.stdout[-2000:]


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
    (suite / "features" / "mine.feature").write_text(scenario, encoding="utf-8")
    status, said = _in_process(suite, capsys, "-q")
    assert status == 0, said[-3000:]
    assert "1 passed" in said


def test_the_step_vocabulary_page_is_current() -> None:
    page = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    block = page[page.index(START) : page.index(END) + len(END)]
    assert block == markdown(), "docs/vocabulary.md is stale: run `python -m linreg.spec.vocabulary --write`"
