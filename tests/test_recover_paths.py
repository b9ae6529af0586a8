"""recover is portable, on any machine (slow: about a minute on 2 cores).

For seeds 0–59, the nn cells' log as MKL's SSE4.2 path with ATen's default kernels prints it, and as
MKL's AVX-512 path with ATen's AVX-512 kernels prints it: made by the emulation's mode for each path,
which 22_cpu_kernel_paths checks against every real path a CPU runs (and here, where this CPU runs the
printing path, the real path must print the same log; cells 5 and 6 print the same log from the same
seed, so one recovery serves both). Every log this process would not print itself is recovered here,
and the start recover prints, or where that one does not print the log on the printing path, the start
it names for that path, must print it there: in that path's mode, and for real where this CPU runs it.

Then recover's answer depends on no CPU: the notes' two logs and seeds 0–5's logs are recovered in a
process started on each kernel path this CPU runs, and every process prints the same starts. And
where a real path prints otherwise than the emulation said, recover refuses, naming the emulation's bug.
"""

from __future__ import annotations

import functools
import io
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import linreg.recover.search as recover_module
from linreg import Settings, train
from linreg.cli import main
from linreg.recover import screen
from linreg.recover.emulate import MODES, mode_of, replay
from linreg.recover.kernels import workers
from linreg.recover.paths import KernelPath, every_path
from linreg.recover.search import recover

PRINTERS = (KernelPath("SSE4_2", "default"), KernelPath("AVX512", "avx512"))
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.parametrize("seeds", [range(0, 20), range(20, 40), range(40, 60)], ids=lambda r: f"seeds {r[0]}-{r[-1]}")
def test_seeded_logs_printed_elsewhere_are_recovered_here(seeds: range) -> None:
    linear = [Settings.for_stage("linear", seed=seed) for seed in seeds]
    module = [Settings.for_stage("module", seed=seed) for seed in seeds]
    starts = [settings.with_changes(init=train(settings).start, seed=None) for settings in linear]
    real = workers().replay(linear + module, PRINTERS)
    failures = []
    for printer in PRINTERS:
        logs = [replay(start, mode_of(printer))[0] for start in starts]
        if printer in real.paths:
            printed = [per_thread[0] for per_thread in real.lines[printer]]
            assert printed[: len(seeds)] == printed[len(seeds) :], "cells 5 and 6 print the same log from the same seed"
            assert printed[: len(seeds)] == logs, f"{printer} prints otherwise than {mode_of(printer)}"
        for seed, settings, log in zip(seeds, linear, logs, strict=True):
            if log == train(settings).lines():
                continue  # this process prints it too: 08_recover covers such logs
            found = recover("\n".join(log), Settings.for_stage("linear"))
            named = [start for start, paths in found.elsewhere if printer in paths]
            w, b = named[0] if named and mode_of(printer) not in found.modes else (found.w, found.b)
            start = settings.with_changes(init=(w, b), seed=None)
            if replay(start, mode_of(printer))[0] != log:
                failures.append(f"seed {seed}: ({w}, {b}) does not print its log in {mode_of(printer)}")
            there = workers().replay([start], [printer]).lines.get(printer, [[log]])[0]  # [[log]]: not run here
            if any(lines != log for lines in there):
                failures.append(f"seed {seed}: ({w}, {b}) does not replay its log on {printer}")
    assert not failures, "\n".join(failures)


RECOVER_ALL = """
import json, sys
from linreg import Settings
import linreg.recover.search as recover_module
from linreg.recover.search import recover
found = [recover(text, Settings.for_stage(stage), every_path=False) for stage, text in json.load(sys.stdin)]
print(json.dumps([(r.w, r.b) for r in found]))
"""


@pytest.mark.slow
def test_recover_answers_alike_on_every_path() -> None:
    logs = [(stage, "\n".join(train(Settings.for_stage(stage)).lines())) for stage in ("linear", "module")]
    logs += [("linear", "\n".join(train(Settings.for_stage("linear", seed=seed)).lines())) for seed in range(6)]
    paths = workers().replay([], every_path()).paths

    def answer(path: KernelPath) -> object:
        env = {**os.environ, "MKL_CBWR": path.mkl, "ATEN_CPU_CAPABILITY": path.aten, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-c", RECOVER_ALL]
        done = subprocess.run(command, input=json.dumps(logs), env=env, capture_output=True, text=True, check=True)
        return json.loads(done.stdout)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # the processes side by side
        answers = dict(zip(map(str, paths), pool.map(answer, paths), strict=True))
    assert len(set(map(str, answers.values()))) == 1, json.dumps(answers, indent=1)


def test_a_start_the_emulation_passes_wrongly_is_refused_as_its_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cell5.log").write_text("\n".join(train(Settings.for_stage("linear")).lines()) + "\n")
    monkeypatch.setattr(screen, "plan", lambda screened, fit: [((0.5, -0.25), MODES)])  # a planted emulation bug
    fresh = functools.lru_cache(maxsize=64)(recover_module._answered.__wrapped__)  # not the process's memory:
    monkeypatch.setattr(recover_module, "_answered", fresh)  # neither an earlier answer nor this planted bug's stays
    out, err = io.StringIO(), io.StringIO()
    assert main(["recover", "linear", str(tmp_path / "cell5.log"), "--here-only"], out, err) == 1
    assert err.getvalue() == (
        "linreg: error: the emulation disagrees with this process: from 0.5,-0.25 every mode of the emulation "
        "prints the log, but this process prints line 2 as 'Prediction before training: f(5)= 2.250', not "
        "'Prediction before training: f(5)= 1.993'; a bug of linreg/recover/emulate.py, not of the log: "
        "features/3_tool/22_cpu_kernel_paths.feature shows which mode computes otherwise than its paths\n"
    )
