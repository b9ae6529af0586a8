"""The pytest plugin (entry point ``pytest11``): collection, the step vocabulary, the living doc, regressions.

It registers linreg's tags as markers, loads the step modules and its plugin modules (collecting
.feature files, ``--living-doc``, ``--linreg-report``), skips @gpu scenarios where torch sees no
GPU, says once at the top of the run where the stack differs from the notes' reference, and
checks that every test leaves torch's and numpy's global state as it found it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from linreg.determinism import global_state
from linreg.spec import stack
from linreg.spec.steps import STEP_MODULES

gc.disable()  # until pytest_configure: importing torch through the step modules makes a million objects
pytest_plugins = ("linreg.spec.collect", "linreg.spec.livingdoc", "linreg.spec.numbers", *STEP_MODULES)

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
    "plugin": "the spec as a pytest plugin, installed and run outside this checkout",
}


def pytest_configure(config: pytest.Config) -> None:
    gc.freeze()  # torch is imported by now (the step modules): see pytest_collection_finish
    gc.enable()
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


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what is alive once collection is done (torch's modules, with torch._dynamo, which torch.optim
    imports on first use): about a million objects that live until exit. The garbage collector then stops
    re-scanning them on every full collection; that saves about a second of every spec run (docs/BENCHMARKS.md)."""
    import torch._dynamo  # noqa: F401

    gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """@gpu scenarios are skipped, saying why, where torch sees no CUDA GPU; @no_gpu ones where it does."""
    import torch

    has_gpu = torch.cuda.is_available()
    for item in items:
        if item.get_closest_marker("gpu") and not has_gpu:
            item.add_marker(pytest.mark.skip(reason="needs a CUDA GPU: torch.cuda.is_available() is False here"))
        if item.get_closest_marker("no_gpu") and has_gpu:
            item.add_marker(pytest.mark.skip(reason="shows the refusal without a GPU, and this machine has one"))


@pytest.fixture(autouse=True)
def _leaves_global_state_alone(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test leaves torch's and numpy's RNGs, default dtype, grad mode and threads as it found them.

    pytest-randomly reseeds numpy's RNG around every test phase, so where it is active numpy's
    state cannot leak between tests and is not compared.
    """
    reseeded = {"numpy_rng"} if request.config.pluginmanager.hasplugin("randomly") else set()
    before = global_state()
    yield
    after = global_state()
    changed = sorted(key for key in before if before[key] != after[key] and key not in reseeded)
    assert not changed, f"the test changed global state: {', '.join(changed)}"
