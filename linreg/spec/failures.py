"""Failures of linreg's scenarios, read as the spec: the feature's line and step first, no fixture internals.

For linreg's own items alone (``collect.ours``):

- a step whose documented numbers moved fails with its line, the step and the table of the moved
  numbers (``numbers.RegressionError``), and no traceback;
- any other failing step shows its line and the step, then the traceback of the step's own code:
  pytest's fixture calls and pytest-bdd's runner are left out (``--fulltrace`` shows them);
- each report carries its scenario's name (``linreg_scenario``): pytest's failure heading and JUnit
  XML (``--junitxml``) name the test case by it, and point to the feature file and the scenario's
  line. pytest names a JUnit test case after its node id, with no hook to change that; the name is
  set on the report's entry of pytest's XML writer, as its fixture ``record_xml_attribute`` does,
  in the process that writes the XML (the controller under pytest-xdist).
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING

import _pytest
import pluggy
import pytest
import pytest_bdd
from pytest_bdd.scenario import scenario_wrapper_template_registry

from linreg.spec import recorder
from linreg.spec.collect import ours
from linreg.spec.numbers import RegressionError

if TYPE_CHECKING:
    from _pytest._code.code import TracebackEntry

_INTERNAL = tuple(Path(module.__file__ or "").resolve().parent for module in (_pytest, pluggy, pytest_bdd))


def _ours_to_read(entry: TracebackEntry) -> bool:
    """Whether a traceback entry is the spec's code, not pytest's, pluggy's or pytest-bdd's."""
    path = Path(str(entry.path)).resolve()
    return not any(path.is_relative_to(folder) for folder in _INTERNAL)


def scenario_name(item: pytest.Item) -> str | None:
    """The name of the scenario ``item`` runs, with its example's id for a row of a Scenario Outline."""
    template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    return template.name + (f" [{callspec.id}]" if callspec is not None else "")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    name = scenario_name(item) if ours(item) else None
    if name is None:
        return report
    template = scenario_wrapper_template_registry[item.obj]  # type: ignore[attr-defined]
    report.linreg_scenario = name  # type: ignore[attr-defined]  # pytest-xdist carries it to the controller
    report.location = (item.nodeid.split("::")[0], template.line_number - 1, name)
    now = recorder.at(item)
    if not report.failed or call.when != "call" or call.excinfo is None or now is None:
        return report
    step = now.step
    head = f"{item.nodeid.split('::')[0]}:{step.line_number}: {step.keyword} {step.name}"
    if call.excinfo.errisinstance(RegressionError):
        report.longrepr = f"{head}\n{call.excinfo.value}"
    elif not item.config.getoption("fulltrace"):
        excinfo = call.excinfo
        excinfo.traceback = excinfo.traceback.filter(_ours_to_read)
        report.longrepr = f"{head}\n\n{item.repr_failure(excinfo)}"
    return report


class JUnitNames:
    """Names each of linreg's test cases in pytest's JUnit XML by its scenario."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        name = getattr(report, "linreg_scenario", None)
        try:
            from _pytest.junitxml import xml_key
        except ImportError:  # another pytest: its own names stay
            return
        xml = self.config.stash.get(xml_key, None)
        if name is not None and xml is not None:
            xml.node_reporter(report).add_attribute("name", name)


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("xmlpath", None):
        config.pluginmanager.register(JUnitNames(config), "linreg-junit-names")
