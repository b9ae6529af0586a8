"""recover is portable: a seeded log printed on another CPU kernel path is recovered here (slow: about 10 min).

For seeds 0–59, the nn cells' log is printed on MKL's SSE4.2 path with ATen's default kernels (what an AMD
EPYC runs) and on MKL's AVX-512 path with ATen's AVX-512 kernels (an Intel Xeon). Cells 5 and 6 print the
same log from the same seed, so one recovery serves both. Every log that this process would not print
itself is recovered here, and the start recover prints, or where that one does not replay it everywhere,
the start it names for the printing path, must replay it on the path that printed it.
"""

from __future__ import annotations

import pytest

from linreg import Settings, train
from linreg.kernels import KernelPath, workers
from linreg.recover import recover

PRINTERS = (KernelPath("SSE4_2", "default"), KernelPath("AVX512", "avx512"))


@pytest.mark.slow
@pytest.mark.parametrize("seeds", [range(0, 20), range(20, 40), range(40, 60)], ids=lambda r: f"seeds {r[0]}-{r[-1]}")
def test_seeded_logs_printed_elsewhere_are_recovered_here(seeds: range) -> None:
    linear = [Settings.for_stage("linear", seed=seed) for seed in seeds]
    module = [Settings.for_stage("module", seed=seed) for seed in seeds]
    printed = workers().replay(linear + module, PRINTERS)
    failures = []
    for printer in printed.paths:
        logs = [per_thread[0] for per_thread in printed.lines[printer]]
        assert logs[: len(seeds)] == logs[len(seeds) :], "cells 5 and 6 print the same log from the same seed"
        for seed, settings, log in zip(seeds, linear, logs, strict=False):
            if log == train(settings).lines():
                continue  # this process prints it too: 08_recover covers such logs
            found = recover("\n".join(log), Settings.for_stage("linear"))
            named = [start for start, paths in found.elsewhere if printer in paths]
            w, b = named[0] if named else (found.w, found.b)
            start = settings.with_changes(init=(w, b), seed=None)
            if any(lines != log for lines in workers().replay([start], [printer]).lines[printer][0]):
                failures.append(f"seed {seed}: ({w}, {b}) does not replay its log on {printer}")
    assert printed.paths, f"neither path ran here: {printed.skipped}"
    assert not failures, "\n".join(failures)
