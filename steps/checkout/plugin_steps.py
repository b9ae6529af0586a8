"""Steps that install linreg from its wheel in a new virtual environment and run pytest outside the checkout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then, when

from ..cli_steps import CliResult
from . import ROOT as CHECKOUT  # where the wheel is built from, and constraints.txt lies


def _call(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="session")
def installed_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment holding what `pip install -c constraints.txt 'linreg[spec]'` puts there,
    from the wheel of this checkout (built once per run)."""
    folder = tmp_path_factory.mktemp("user")
    _call(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", folder / "dist", CHECKOUT)
    (wheel,) = (folder / "dist").glob("linreg-*.whl")
    _call(sys.executable, "-m", "venv", folder / "venv")
    pip = folder / "venv" / "bin" / "pip"
    _call(pip, "install", "-q", "-c", CHECKOUT / "constraints.txt", f"linreg[spec] @ {wheel.as_uri()}")
    return folder / "venv"


@given("linreg's wheel, installed with its spec extra in a new virtual environment", target_fixture="venv")
def given_installed(installed_venv: Path) -> Path:
    """Builds linreg's wheel from this checkout and installs it, with [spec], in a new virtual environment."""
    return installed_venv


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


@then(parsers.parse('pytest\'s summary says "{outcome}"'))
def then_summary(cli: CliResult, outcome: str) -> None:
    """Checks pytest's summary line starts with this outcome (e.g. "3 passed")."""
    last = cli.stdout.splitlines()[-1]
    assert last.startswith(f"{outcome} in "), cli.stdout[-3000:]
