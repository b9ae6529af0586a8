"""Classic backprop and training-loop bugs, each planted in a copy of linreg: the spec must fail.

Each case copies the package and the spec to a temporary folder, changes one line, and runs the
features that speak about that code; the cases run side by side, one per core. The run must end
with failed scenarios (not an import or collection error), so it is the specification's numbers
that catch the bug.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # about 30 s: `pytest -m slow` runs it (CI does)

ROOT = Path(__file__).resolve().parent.parent

# (bug, file, the line as written, the line with the bug, features that must catch it)
BUGS = [
    (
        "no bug (control: the copy passes)",
        "cells/optim.py",
        "optimizer.zero_grad()",
        "optimizer.zero_grad()",
        ["04_loss_and_optimizer"],
    ),
    (
        "MSE gradient without 1/N",
        "cells/numpy_manual.py",
        "return np.float32(product.mean())",
        "return np.float32(product.sum())",
        ["02_numpy_manual", "07_implicit_rules"],
    ),
    (
        "MSE gradient with 1/N twice",
        "cells/numpy_manual.py",
        "return np.float32(product.mean())",
        "return np.float32(product.mean() / len(x))",
        ["02_numpy_manual", "07_implicit_rules"],
    ),
    (
        "zero_grad forgotten (autograd)",
        "cells/autograd.py",
        "        w.grad.zero_()  #",
        "        pass  #",
        ["03_autograd"],
    ),
    (
        "zero_grad forgotten (optimizer)",
        "cells/linear.py",
        "        optimizer.zero_grad()  #",
        "        pass  #",
        ["05_nn_linear", "06_custom_module"],
    ),
    (
        "update applied before the loss is logged",
        "cells/autograd.py",
        "record(epoch + 1, w, l)",
        "record(epoch + 1, w, loss(Y, forward(X)))",
        ["03_autograd"],
    ),
    (
        "logged epoch off by one",
        "cells/numpy_manual.py",
        "history.record(epoch + 1, float(w), float(l))",
        "history.record(epoch, float(w), float(l))",
        ["02_numpy_manual"],
    ),
    (
        "sign of the update flipped",
        "cells/optim.py",
        "optimizer = torch.optim.SGD([w], lr=settings.lr)",
        "optimizer = torch.optim.SGD([w], lr=settings.lr, maximize=True)",
        ["04_loss_and_optimizer"],
    ),
    (
        "float64 instead of float32",
        "cells/numpy_manual.py",
        "X, Y = settings.data.arrays(np.float32)",
        "X, Y = settings.data.arrays(np.float64)",
        ["02_numpy_manual"],
    ),
    (
        "bias left out of the optimizer",
        "cells/linear.py",
        "torch.optim.SGD(model.parameters(), lr=settings.lr)",
        "torch.optim.SGD([w], lr=settings.lr)",
        ["05_nn_linear"],
    ),
    (
        "cell 6 started where it replays the notes on one CPU only",
        "stages.py",
        "(0.41818994, -0.035462182)",
        "(0.41818994, -0.035462197)",
        ["22_cpu_kernel_paths"],
    ),
    (
        "cell 5's test input made on the CPU whatever the device (fails on a GPU only)",
        "cells/linear.py",
        "X_test = torch.tensor([settings.test_x], dtype=torch.float32, device=X.device)",
        "X_test = torch.tensor([settings.test_x], dtype=torch.float32)",
        ["19_devices"],
    ),
    (
        "a divergence check that looks only at the loss",
        "history.py",
        "if not (math.isfinite(w) and math.isfinite(loss) and (b is None or math.isfinite(b))):",
        "if not math.isfinite(loss):",
        ["23_signals_and_streams"],
    ),
    (
        "--plot written straight to its target, not whole or not at all",
        "atomic.py",
        '        with os.fdopen(handle, "wb") as file:\n            file.write(data)\n        os.replace(name, target)',
        '        with open(target, "wb") as file:\n            file.write(data)',
        ["23_signals_and_streams"],
    ),
    (
        "the closed-form oracle computed in float32",
        "theory.py",
        "mu, q = np.linalg.eigh(np.eye(len(start)) - lr * hessian(x, has_bias=has_bias, "
        "notes_gradient=notes_gradient))",
        "mu, q = np.linalg.eigh((np.eye(len(start)) - lr * hessian(x, has_bias=has_bias, "
        "notes_gradient=notes_gradient)).astype(np.float32))",
        ["11_closed_form"],
    ),
    (
        "a CSV without a final line break loses its last row",
        "files.py",
        "    if pending:\n        yield pending\n",
        "",
        ["14_data_files"],
    ),
    (
        "autograd's prediction before training made at x = 5 whatever --test-x",
        "cells/autograd.py",
        "before=forward(settings.test_x).item()",
        "before=forward(5.0).item()",
        ["09_command_line"],
    ),
    (
        "optim's prediction after training made at x = 5 whatever --test-x",
        "cells/optim.py",
        "history.finish(forward(settings.test_x).item())",
        "history.finish(forward(5.0).item())",
        ["09_command_line"],
    ),
]


def _plant(folder: Path, bug: str, module: str, line: str, buggy: str, features: list[str]) -> CompletedProcess[str]:
    """Copy linreg and the spec to ``folder``, plant ``bug`` there, and run the features that must catch it."""
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy(ROOT / name, folder / name)
    for sub in ("linreg", "steps", "features"):
        shutil.copytree(ROOT / sub, folder / sub, ignore=shutil.ignore_patterns("__pycache__"))
    source = folder / "linreg" / module
    text = source.read_text(encoding="utf-8")
    assert line in text, f"{bug}: {line!r} is no longer in linreg/{module}; update this test"
    source.write_text(text.replace(line, buggy), encoding="utf-8")
    found = (folder / "features").rglob
    paths = [str(p.relative_to(folder)) for name in features for p in found(f"{name}.feature")]
    assert len(paths) == len(features), f"{bug}: not every one of {features} is a feature file below features/"
    command = [sys.executable, "-m", "pytest", "-q", "--tb=no", "-p", "no:randomly", *paths]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Future[Any]]]:
    """The runs of every planted bug this session selected, started at once, as many at a time as there are cores:
    each run is one pytest process, and the tests wait for theirs."""
    selected = {
        item.callspec.params["bug"]
        for item in request.session.items
        if isinstance(item, pytest.Function) and item.originalname == "test_the_spec_catches"
    }
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        yield {
            bug[0]: pool.submit(_plant, tmp_path_factory.mktemp("planted"), *bug) for bug in BUGS if bug[0] in selected
        }


@pytest.mark.parametrize(("bug", "module", "line", "buggy", "features"), BUGS, ids=[b[0] for b in BUGS])
def test_the_spec_catches(
    runs: dict[str, Future[CompletedProcess[str]]], bug: str, module: str, line: str, buggy: str, features: list[str]
) -> None:
    done = runs[bug].result()
    if line == buggy:
        assert done.returncode == 0, f"the unchanged copy fails:\n{done.stdout[-1500:]}"
        return
    assert " failed" in done.stdout, f"{bug} went unnoticed:\n{done.stdout[-1500:]}"
    assert "error" not in done.stdout.splitlines()[-1], f"{bug} broke collection instead:\n{done.stdout[-1500:]}"
