"""linreg's plugin as a guest in another project's pytest sessions: inert and free until asked.

The project (PROJECT of steps/checkout/plugin_steps.py, which features/3_tool/24 uses too) has plain
tests, a test that seeds numpy, a feature of its own bound by its own ``scenarios()`` call with
its own steps (one of them the same text as a linreg step), and a tag of its own. pytest runs it
in a new process, with linreg's plugin (its installed entry point) and without it
(``-p no:linreg``): the two runs must say the same, and linreg must not even be imported where it
is not asked for.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from linreg.spec.steps.checkout.plugin_steps import comparable, write_project
from samples import README_EXAMPLE


def _project(pytester: pytest.Pytester) -> None:
    write_project(pytester.path)


def _side_by_side(pytester: pytest.Pytester, *runs: tuple[str, ...]) -> list[pytest.RunResult]:
    """``pytest ARGS`` for each of ``runs``, each in a new process (as ``runpytest_subprocess``), all at once."""
    started = []
    for number, args in enumerate(runs):
        base = pytester.path.parent / f"{pytester.path.name}-base{number}"  # each run's --basetemp, outside the project
        command = [sys.executable, "-m", "pytest", f"--basetemp={base}", *args]
        started.append(
            (time.monotonic(), pytester.popen(command, subprocess.PIPE, subprocess.PIPE, subprocess.DEVNULL))
        )
    results = []
    for begun, process in started:
        try:
            out, err = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            for _, other in started:
                other.kill()
            raise
        outlines, errlines = (text.decode(errors="replace").splitlines() for text in (out, err))
        results.append(pytest.RunResult(process.returncode, outlines, errlines, time.monotonic() - begun))
    return results


def _said(result: pytest.RunResult) -> tuple[int, list[str]]:
    """Exit status and output, less the times and pytest's own list of the plugins it loaded."""
    return int(result.ret), comparable(result.outlines)


@pytest.mark.parametrize(
    "args", [pytest.param((), id="run"), pytest.param(("-p", "xdist", "-n", "2"), id="xdist", marks=pytest.mark.slow)]
)
def test_another_project_runs_the_same_with_linreg_installed(pytester: pytest.Pytester, args: tuple[str, ...]) -> None:
    """In new processes: the project's own tests also check that nothing heavy was imported and gc is untouched."""
    _project(pytester)
    with_linreg, without = _side_by_side(
        pytester, ("-p", "no:randomly", *args), ("-p", "no:randomly", "-p", "no:linreg", *args)
    )
    assert _said(with_linreg) == _said(without)
    assert with_linreg.parseoutcomes()["passed"] == 4  # and pytest-bdd's own warning (@wip is no marker), per worker


# the guest's own @wip is no marker: pytest-bdd warns in the guest's in-process session, which is not ours
@pytest.mark.filterwarnings("ignore::pytest.PytestUnknownMarkWarning")
@pytest.mark.parametrize("args", [("--collect-only",), ("--fixtures",), ("--markers",)])
def test_another_project_is_listed_the_same_with_linreg_installed(
    pytester: pytest.Pytester, args: tuple[str, ...]
) -> None:
    """In this process (what is listed, not what is imported): the same items, fixtures and markers."""
    _project(pytester)
    with_linreg = pytester.runpytest_inprocess("-p", "no:randomly", *args)
    without = pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:linreg", *args)
    assert _said(with_linreg) == _said(without)


def test_the_plugin_module_imports_nothing_heavy() -> None:
    """What pytest imports in every session: pytest, and linreg's two small modules (no numpy, no torch)."""
    code = "import sys, linreg.spec.plugin; print(*sorted(m for m in sys.modules if m.startswith(PACKAGES)))"
    packages = "PACKAGES = ('linreg', 'numpy', 'torch', 'pytest_bdd', 'gherkin', 'matplotlib');"
    done = subprocess.run([sys.executable, "-c", packages + code], capture_output=True, text=True, check=True)
    # linreg.spec.steps: in a checkout, steps/ mapped to that name (a tuple of module names; the wheel has it in place)
    assert set(done.stdout.split()) <= {"linreg", "linreg.spec", "linreg.spec.plugin", "linreg.spec.steps"}, done.stdout


def test_asking_without_the_spec_extra_says_what_to_install(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A core-only install (no pytest-bdd): the project's tests run; `pytest my.feature` says which extra to install."""
    _project(pytester)
    (pytester.path / "test_cart.py").unlink()
    (pytester.path / "my.feature").write_text("Feature: Mine\n", encoding="utf-8")
    missing = pytester.mkdir("without_bdd") / "pytest_bdd"
    missing.mkdir()
    (missing / "__init__.py").write_text('raise ImportError("pytest-bdd is not installed here")\n', encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(missing.parent))
    blocked = ("-p", "no:randomly", "-p", "no:pytest-bdd")  # its entry point: as if it were not installed
    plain, asked = _side_by_side(pytester, (*blocked, "test_plain.py"), (*blocked, "my.feature"))
    plain.assert_outcomes(passed=3)
    assert asked.ret == pytest.ExitCode.USAGE_ERROR
    asked.stderr.fnmatch_lines(["ERROR: linreg's spec needs its extra: pip install 'linreg[spec]'"])


FROZEN = {  # a user's tests around linreg's scenarios: the garbage collector's freeze stays theirs
    "test_2_mine.py": """
import gc

FROZEN = []


def test_linreg_left_nothing_frozen():
    assert gc.get_freeze_count() == 0


def test_i_freeze_my_own():
    FROZEN.extend([] for _ in range(100))
    gc.freeze()
    assert gc.get_freeze_count() > 0
""",
    "test_4_mine.py": """
import gc


def test_my_freeze_outlived_linregs_scenario():
    assert gc.get_freeze_count() > 0
""",
}


def test_linreg_freezes_and_thaws_only_around_its_own_scenarios(pytester: pytest.Pytester) -> None:
    """In a new process, a user's session: linreg's scenario, the user's tests (one freezes objects of
    its own), linreg's scenario again, then the user's test that its freeze is still there."""
    for name in ("test_1.feature", "test_3.feature"):
        (pytester.path / name).write_text(README_EXAMPLE, encoding="utf-8")
    for name, text in FROZEN.items():
        (pytester.path / name).write_text(text.lstrip(), encoding="utf-8")
    result = pytester.runpytest_subprocess(
        "-p", "no:randomly", "test_1.feature", "test_2_mine.py", "test_3.feature", "test_4_mine.py"
    )
    result.assert_outcomes(passed=5)
