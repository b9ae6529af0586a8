"""linreg's spec in a session that asked for it (``linreg.spec.plugin`` registers this module then).

It loads the step vocabulary and the plugin modules (collecting linreg's .feature files,
``--living-doc``, ``--linreg-report``), registers linreg's tags as markers, says once at the top of
the run where the stack differs from the notes' reference, and, for linreg's own items alone:
skips @gpu scenarios where torch sees no GPU, drops a scenario that a ``scenarios()`` call of the
project already runs, checks that each leaves torch's and numpy's global state as it found it,
keeps the garbage collector off the objects that live until exit while it runs, and at the end
says in one line per skip reason how many of them were skipped, what that leaves unchecked and
how to check it (each reason is worded to say both).
The global-state guard is collect's (guard.py): it goes into linreg's feature modules only.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

from linreg.spec import stack
from linreg.spec.collect import ours
from linreg.spec.frozen import frozen
from linreg.spec.plugin import STEP_MODULES

pytest_plugins = (
    "linreg.spec.collect",
    "linreg.spec.recorder",
    "linreg.spec.livingdoc",
    "linreg.spec.numbers",
    "linreg.spec.runreport",
    "linreg.spec.update",
    "linreg.spec.failures",
    *STEP_MODULES,
)

TAGS = {  # the spec's feature tags, each meaning one thing
    "backprop": "cell 1, scalar backpropagation",
    "numpy": "cell 2, linear regression in numpy by hand",
    "autograd": "cell 3, torch autograd",
    "optim": "cell 4, nn.MSELoss + optim.SGD",
    "linear": "cell 5, nn.Linear",
    "module": "cell 6, a custom nn.Module",
    "cli": "the command line",
    "recover": "recovering the nn cells' initial parameters",
    "implicit": "what the notes leave implicit",
    "bad_input": "refusing bad input on the command line",
    "data_files": "training data read from CSV and .npy files",
    "api": "the Python API's settings and the errors it raises",
    "devices": "where the torch stages' tensors live (--device, a GPU, its stand-in)",
    "oracle": "checks against an independent derivation (closed form, optimum, gradients, stability)",
    "property": "property-based scenarios (Hypothesis)",
    "reproducible": "runs repeat bit for bit",
    "stats": "the sufficient-statistics stage (not a cell of the notes)",
    "parallel": "data-parallel training on torch.distributed",
    "living_doc": "the spec run as Cucumber Messages and a web page (pytest --living-doc)",
    "gpu": "needs a CUDA GPU; skipped, with the reason, where torch sees none",
    "no_gpu": "shows what happens without a CUDA GPU; skipped, with the reason, where there is one",
    "streams": "how a run ends: signals, full disks, closed streams, hostile files and numbers",
    "kernels": "the cells on every CPU kernel path (MKL_CBWR × ATEN_CPU_CAPABILITY)",
    "plugin": "the spec as a pytest plugin: a guest in other projects' sessions, and installed from its wheel",
    "regression": "regression checking: accepting moved numbers (--linreg-update), tolerance, comparing runs",
}


NO_GPU = (
    "the stages on a CUDA GPU, as torch sees none here (torch.cuda.is_available() is False); "
    "run the spec where it sees one"
)
HAS_GPU = (
    "the refusal of --device cuda without a GPU, as this machine has one; "
    "run the spec with CUDA_VISIBLE_DEVICES= to check it"
)


def pytest_configure(config: pytest.Config) -> None:
    for tag, meaning in TAGS.items():
        config.addinivalue_line("markers", f"{tag}: {meaning}")


def _stack_note() -> str | None:
    differs = stack.differences()
    if not differs:
        return None
    return (
        f"linreg: this stack differs from the notes' reference: {'; '.join(differs)}; "
        "a documented last digit may move here, and the spec reports each one that does"
    )


def pytest_report_header(config: pytest.Config) -> str | None:
    return _stack_note()


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under -q pytest prints no header: the note about the stack comes first instead."""
    note = _stack_note()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if note is not None and reporter is not None and session.config.get_verbosity() < 0:
        reporter.write_line(note)


def _bound_elsewhere(items: list[pytest.Item]) -> set[Path]:
    """The feature files that the project's own ``scenarios()``/``@scenario`` calls run."""
    bound = set()
    for item in items:
        function = None if ours(item) else getattr(item, "obj", None)
        template = scenario_wrapper_template_registry.get(function) if callable(function) else None
        if template is not None:
            bound.add(Path(template.feature.filename).resolve())
    return bound


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A feature the project's own test module binds runs there, once; @gpu/@no_gpu skip where they cannot run."""
    bound = _bound_elsewhere(items)
    items[:] = [item for item in items if not (ours(item) and item.path.resolve() in bound)]
    gpu = [item for item in items if ours(item) and {"gpu", "no_gpu"} & {m.name for m in item.iter_markers()}]
    if not gpu:
        return
    import torch

    has_gpu = torch.cuda.is_available()
    for item in gpu:
        if item.get_closest_marker("gpu") and not has_gpu:
            item.add_marker(pytest.mark.skip(reason=NO_GPU))
        if item.get_closest_marker("no_gpu") and has_gpu:
            item.add_marker(pytest.mark.skip(reason=HAS_GPU))


def pytest_collection_finish(session: pytest.Session) -> None:
    """The helper processes that the chosen scenarios use start now, each importing torch on another
    core while the first scenarios run: the kernel-path worker (@recover, @kernels) and the fork
    server of data-parallel workers (@parallel). Nothing starts for --collect-only. The modules that
    keep them (and recover's memory) are imported here, in this session: pytester's nested runs
    unload the modules first imported in them, and with them what they hold."""
    if session.config.option.collectonly:
        return
    tags = {marker.name for item in session.items if ours(item) for marker in item.iter_markers()}
    if {"recover", "kernels"} & tags:
        import linreg.recover.search  # noqa: F401 - its memory of answers lives as long as this process, not a nested run's
        from linreg.recover.kernels import workers

        workers()
    if "parallel" in tags:
        from linreg.scale.local import start_server

        start_server()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    """While one of linreg's scenarios runs, the objects alive before it (torch's modules: about a million,
    with torch._dynamo) are frozen, so that full collections stop re-scanning them (docs/BENCHMARKS.md)."""
    if not ours(item):
        return (yield)
    with frozen():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Marks the reports of linreg's scenarios (the mark travels with the report under pytest-xdist)."""
    report = yield
    report.linreg_scenario = ours(item)  # type: ignore[attr-defined]
    return report


def skipped_groups(reports: list[pytest.TestReport]) -> dict[str, int]:
    """How many of linreg's scenarios were skipped for each reason, in the order the reasons first came."""
    groups: dict[str, int] = {}
    for report in reports:
        if getattr(report, "linreg_scenario", False) and isinstance(report.longrepr, tuple):
            reason = report.longrepr[2].removeprefix("Skipped: ")
            groups[reason] = groups.get(reason, 0) + 1
    return groups


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per reason linreg's scenarios were skipped for: how many, what they leave unchecked and
    how to check it (each reason says both), so a skip that matters stands out from one that does not."""
    groups = skipped_groups(terminalreporter.stats.get("skipped", []))
    for reason, count in groups.items():
        terminalreporter.write_line(f"linreg: {count} skipped, so not checked: {reason}")
