"""The twelve CPU kernel paths one at a time, by the environment variables that choose them (MKL_CBWR ×
ATEN_CPU_CAPABILITY): features/3_tool/22_cpu_kernel_paths.feature runs the cells on them a kind at a
time, and skips a kind only where this CPU runs none of its paths; here each path this CPU lacks is
a skip of its own, saying what ran instead, and each one it runs is checked to run as asked."""

from __future__ import annotations

import pytest
from linreg.spec.steps.checkout.kernel_steps import not_run

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
