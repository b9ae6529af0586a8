"""Steps that install linreg from its wheel in a new virtual environment and run pytest outside the checkout."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then, when

from ..cli_steps import CliResult
from . import ROOT as CHECKOUT  # where the wheel is built from, and constraints.txt lies

PROJECT = {  # another project: plain tests, a seeded test, its own feature, steps (one of linreg's texts) and tag
    "test_plain.py": """
import gc
import sys

import numpy as np


def test_nothing_heavy_is_imported():
    heavy = sorted(name for name in ("torch", "linreg.spec.session", "pytest_bdd.scenario") if name in sys.modules)
    assert heavy in ([], ["pytest_bdd.scenario"]), heavy  # pytest-bdd is this project's own plugin


def test_gc_is_as_python_left_it():
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_seeding_numpy_is_this_test_s_business():
    np.random.seed(0)
    assert np.random.rand() < 1
""",
    "cart.feature": """@wip
Feature: Cart
  Scenario: Adding an item
    Given an empty cart
    When I run "mytool --version"
    Then the cart holds "mytool --version"
""",
    "test_cart.py": """
from pytest_bdd import given, parsers, scenarios, then, when

scenarios("cart.feature")


@given("an empty cart", target_fixture="cart")
def empty_cart():
    return []


@when(parsers.parse('I run "{command}"'))
def run(cart, command):
    cart.append(command)


@then(parsers.parse('the cart holds "{item}"'))
def holds(cart, item):
    assert cart == [item]
""",
}


def write_project(folder: Path) -> None:
    """Writes PROJECT's files into ``folder``."""
    for name, text in PROJECT.items():
        (folder / name).write_text(text.lstrip(), encoding="utf-8")


def _call(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
    return done


INSTALLS = {  # how a step says it → what pip installs beside linreg's wheel
    "as a user installs it, with its spec extra": ("linreg[spec] @ {wheel}",),
    "without its spec extra, beside pytest and pytest-bdd": ("linreg @ {wheel}", "pytest", "pytest-bdd"),
}


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's wheel, built once per run."""
    folder = tmp_path_factory.mktemp("dist")
    _call(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", folder, CHECKOUT)
    (built,) = folder.glob("linreg-*.whl")
    return built


@pytest.fixture(scope="session")
def venvs(wheel: Path) -> Iterator[dict[str, Future[Path]]]:
    """The new virtual environments, one per INSTALLS key and wheel, all made side by side on first use.

    Their folder is named by the wheel's hash (hatchling builds it byte for byte alike from the same
    files), so the processes of a run that need the same environment, xdist's workers and the
    mutation check's copies of the spec, make it once and share it; a changed checkout gets new ones.
    Each is made under its own lock: one process makes it; the others wait, then use it. Made one
    after the other they took about 70 s; most of it is pip unpacking torch, so two run side by side.
    """
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"linreg-venvs-{digest}"
    folder.mkdir(exist_ok=True)
    with ThreadPoolExecutor(len(INSTALLS)) as pool:
        yield {how: pool.submit(_made, folder / str(number), wheel, how) for number, how in enumerate(INSTALLS)}


def _made(venv: Path, wheel: Path, how: str) -> Path:
    """``venv``, made now unless it was made before: linreg's wheel installed as ``how`` says."""
    with venv.with_suffix(".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / "made").exists():
            shutil.rmtree(venv, ignore_errors=True)  # a half-made one, from a run that was stopped
            _call(sys.executable, "-m", "venv", venv)
            requirements = [r.format(wheel=wheel.as_uri()) for r in INSTALLS[how]]
            _call(venv / "bin" / "pip", "install", "-q", "-c", CHECKOUT / "constraints.txt", *requirements)
            (venv / "made").touch()
    return venv


@given(parsers.parse("linreg installed {how}"), target_fixture="venv")
def given_installed(venvs: dict[str, Future[Path]], how: str) -> Path:
    """Installs this checkout's wheel in a new virtual environment, as pip installs it: with its [spec] extra, or
    without it beside pytest and pytest-bdd."""
    return venvs[how].result()


@given(
    "another project's folder: plain tests, a test that seeds numpy, its own feature, steps and tag",
    target_fixture="folder",
)
def given_project(tmp_path: Path) -> Path:
    """Writes PROJECT (above) into the scenario's folder, outside the checkout."""
    write_project(tmp_path)
    return tmp_path


@given(parsers.parse('an empty folder outside the checkout, with "{name}":'), target_fixture="folder")
def given_folder(tmp_path: Path, name: str, docstring: str) -> Path:
    """Makes an empty folder outside the checkout, holding one file with the docstring's text."""
    assert not tmp_path.is_relative_to(CHECKOUT), tmp_path
    (tmp_path / name).write_text(docstring + "\n", encoding="utf-8")
    return tmp_path


@when(parsers.parse('pytest runs "{target}" there'), target_fixture="cli")
def when_pytest_there(venv: Path, folder: Path, target: str) -> CliResult:
    """Runs the new environment's pytest on this target, in that folder."""
    command = [str(venv / "bin" / "pytest"), "-q", target]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    return CliResult(done.returncode, done.stdout, done.stderr, " ".join(command))


@when(parsers.parse('pytest runs "{target}" there with no Node.js on PATH'), target_fixture="cli")
def when_pytest_without_node(venv: Path, folder: Path, target: str) -> CliResult:
    """Runs the new environment's pytest with PATH holding only that environment's scripts."""
    command = [str(venv / "bin" / "pytest"), "-q", *target.split()]
    env = {**os.environ, "PATH": str(venv / "bin")}
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False, env=env)
    return CliResult(done.returncode, done.stdout, done.stderr, " ".join(command))


@dataclass(frozen=True)
class Compared:
    """The same pytest run with linreg's plugin and with ``-p no:linreg``."""

    with_linreg: CliResult
    without: CliResult


TIMES = re.compile(r" in \d+\.\d+s.*$")


def comparable(lines: list[str]) -> list[str]:
    """pytest's output less its times and its own list of the plugins it loaded: what two runs must share."""
    return [TIMES.sub("", line) for line in lines if not line.startswith("plugins: ")]


def _pytest(venv: Path, folder: Path, *args: str) -> CliResult:
    command = [str(venv / "bin" / "pytest"), "-p", "no:cacheprovider", *args]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    return CliResult(done.returncode, done.stdout, done.stderr, " ".join(command))


@when("pytest runs there, with linreg's plugin and without it", target_fixture="compared")
def when_pytest_with_and_without(venv: Path, folder: Path) -> Compared:
    """Runs the new environment's pytest in that folder twice: as installed, and with ``-p no:linreg``."""
    return Compared(_pytest(venv, folder), _pytest(venv, folder, "-p", "no:linreg"))


@then("both runs end alike: the same exit status and the same output")
def then_alike(compared: Compared) -> None:
    """Checks exit status and output are equal, less the times and pytest's own list of loaded plugins."""

    runs = (compared.with_linreg, compared.without)
    said = [(run.status, comparable(run.stdout.splitlines() + run.stderr.splitlines())) for run in runs]
    assert said[0] == said[1], compared.with_linreg.stdout[-3000:]


@then(parsers.parse('both say "{outcome}"'))
def then_both_say(compared: Compared, outcome: str) -> None:
    """Checks both runs' summary line starts with this outcome."""
    for run in (compared.with_linreg, compared.without):
        assert TIMES.sub("", run.stdout.splitlines()[-1]).strip("= ") == outcome, run.stdout[-3000:]


@then(parsers.parse('"{name}" there is a page that names the scenario "{scenario}"'))
def then_page_there(folder: Path, name: str, scenario: str) -> None:
    """Checks the folder holds the living doc's page, with the scenario's name among its messages."""
    page = (folder / name).read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>"), page[:300]
    assert f'"name":"{scenario}"' in page, f"the page names no scenario {scenario!r}"


@then(parsers.parse('pytest\'s summary says "{outcome}"'))
def then_summary(cli: CliResult, outcome: str) -> None:
    """Checks pytest's summary line starts with this outcome (e.g. "3 passed")."""
    last = cli.stdout.splitlines()[-1]
    assert last.startswith(f"{outcome} in "), cli.stdout[-3000:]


@then(parsers.parse('pytest stops at once, saying "{line}"'))
def then_pytest_stops(cli: CliResult, line: str) -> None:
    """Checks pytest ended with a usage error (exit 4) whose message is this one line, with no traceback."""
    assert cli.status == 4, f"status {cli.status}: {cli.stdout[-2000:]}{cli.stderr[-2000:]}"
    assert cli.stderr.strip().splitlines() == [line], cli.stderr
