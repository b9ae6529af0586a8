"""The twelve CPU kernel paths one at a time, by the environment variables that choose them (MKL_CBWR ×
ATEN_CPU_CAPABILITY): features/3_tool/22_cpu_kernel_paths.feature runs the cells on them a kind at a
time, and skips a kind only where this CPU runs none of its paths; here each path this CPU lacks is
a skip of its own, saying what ran instead, and each one it runs is checked to run as asked."""

from __future__ import annotations

import ctypes
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from linreg.spec.steps.checkout.kernel_steps import not_run

from linreg import root
from linreg.recover.emulate import MODES, mode_of, paths_of
from linreg.recover.kernels import workers
from linreg.recover.paths import KernelPath, every_path
from linreg.recover.wording import reason


def test_the_four_kinds_hold_each_of_the_twelve_paths_once() -> None:
    kinds = [path for mode in MODES for path in paths_of(mode)]
    assert sorted(kinds) == sorted(every_path())
    assert len(kinds) == len(set(kinds)) == 12


@pytest.mark.parametrize("path", every_path(), ids=lambda p: f"{p.mkl}-{p.aten}")
def test_a_path_runs_as_asked_or_is_skipped_saying_why(path: KernelPath) -> None:
    replays = workers().replay([], [path])
    if path in replays.skipped:
        pytest.skip(not_run(reason(replays.skipped[path])))
    assert replays.paths == [path]
    assert path in paths_of(mode_of(path))


AGREE = """
import os, sys
import torch  # imported, no kernel run: each child reads MKL_CBWR afresh
from linreg.recover.kernels import mkl_branch
from linreg.recover.paths import every_path
children = []
for mkl in sorted({path.mkl for path in every_path()}):
    pid = os.fork()
    if pid == 0:
        os.environ["MKL_CBWR"] = mkl
        fast = mkl_branch()
        sys.stderr.write(f"MKL_CBWR={mkl}: mkl_cbwr_get says {fast}, MKL_VERBOSE says {mkl_branch(verbose=True)}\\n")
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
"""


@pytest.mark.slow  # a new interpreter and MKL_VERBOSE's second: CI runs it (pytest -m slow)
def test_the_quick_look_at_mkls_branch_agrees_with_mkl_verbose() -> None:
    """Each path's child asks mkl_cbwr_get which branch MKL runs, as MKL_VERBOSE would say a second later."""
    if not torch.backends.mkl.is_available():  # type: ignore[no-untyped-call]
        pytest.skip("torch has no MKL here: no branch to look at")
    if not hasattr(ctypes.CDLL(str(Path(torch.__file__).with_name("lib") / "libtorch_cpu.so")), "mkl_serv_cbwr_get"):
        pytest.skip("this torch's MKL has no mkl_cbwr_get in reach: MKL_VERBOSE is the only look, nothing to compare")
    done = subprocess.run([sys.executable, "-c", AGREE], capture_output=True, text=True, check=True, cwd=root())
    said = sorted(done.stderr.splitlines())
    assert len(said) == len({path.mkl for path in every_path()}), done.stderr
    for line in said:
        fast, slow = line.removeprefix(line.split(":")[0] + ": mkl_cbwr_get says ").split(", MKL_VERBOSE says ")
        assert fast == slow, line
