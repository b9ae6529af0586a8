"""The run's documented numbers, gathered: ``--linreg-report=FILE.json``, and the ones held within tolerance.

Every number ``numbers.check`` read is recorded where its scenario ran. Under pytest-xdist (``-n``)
each worker hands its records to the controller when it finishes (``workeroutput``), so the
report, the tolerance list and ``--linreg-update`` see the whole run. The report holds a label
(``--linreg-label``, by default the report's file name without .json), the environment that chose
the digits (``stack.environment()``, and the spec's git revision where there is one) and every
number with its feature, line, scenario, documented and printed value. A run with
``--linreg-tolerance`` lists at its end every number held within tolerance, never silently.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from linreg.atomic import write_whole
from linreg.spec import numbers, stack, written

_SAID = pytest.StashKey[list[str]]()
_WORKER_KEY = "linreg_numbers"


def records(config: pytest.Config) -> list[dict[str, Any]]:
    """Every documented number the run checked, from every worker."""
    return config.stash.get(numbers.RECORDS, [])


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("linreg_report")
    if config.getoption("linreg_label") is not None and path is None:
        msg = "--linreg-label names a report: add --linreg-report=FILE.json"
        raise pytest.UsageError(msg)
    if path is not None:
        written.check("--linreg-report", path, (".json",), ".json")


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: pytest.Item, error: object) -> None:  # node: xdist's WorkerController
    """pytest-xdist's controller: a worker finished; take its records."""
    output = getattr(node, "workeroutput", None) or {}
    node.config.stash.setdefault(numbers.RECORDS, []).extend(output.get(_WORKER_KEY, []))


def git_revision(folder: Path) -> str:
    """The commit checked out at ``folder`` ("+ changes" when tracked files differ from it), or "none"."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=10)
        return done.stdout.strip() if done.returncode == 0 else ""

    try:
        commit = git("rev-parse", "--short=12", "HEAD")
        changed = commit and git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "none"
    return f"{commit} + changes" if changed else commit or "none"


def _write(config: pytest.Config, path: str) -> str:
    label = config.getoption("linreg_label") or Path(path).stem
    environment = {**stack.environment(), "git revision": git_revision(config.rootpath)}
    data = {
        "label": label,
        "environment": environment,
        "stack": stack.installed(),
        "reference": stack.REFERENCE,
        "numbers": records(config),
    }
    write_whole(Path(path), (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode())
    return f"linreg report: {len(data['numbers'])} documented numbers in {path} (label {label!r})"


def _tolerated(config: pytest.Config) -> list[str]:
    held = sorted((r for r in records(config) if r.get("within_tolerance")), key=lambda r: (r["path"], r["row"]))
    if not held:
        return []
    k = numbers.tolerance(config)
    plural = "s" if len(held) > 1 else ""
    head = ("where", "scenario", "cell", "epoch", "quantity", "documented", "got", "last digit", "relative")
    fields = ("scenario", "cell", "epoch", "quantity", "documented", "got", "last_digit", "relative")
    rows = [(f"{r['path']}:{r['row'] or r['line']}", *(r[f] for f in fields)) for r in held]
    return [
        f"linreg: {len(held)} documented number{plural} held within tolerance (±{k} in the last digit), not exactly:",
        *numbers.aligned([head, *rows]),
    ]


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: the controller reports
        workeroutput[_WORKER_KEY] = records(config)
        return
    said = _tolerated(config)
    path = config.getoption("linreg_report")
    if path is not None:
        try:
            said.append(_write(config, path))
        except OSError as exc:  # the folder was checked writable before the run; it may have changed since
            said.append(f"linreg report: error: cannot write {path!r}: {exc.strerror or exc}")
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
    config.stash[_SAID] = said


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    for line in config.stash.get(_SAID, []):
        terminalreporter.write_line(line)
