"""recover is portable: a log printed on one CPU kernel path is recovered on this one (slow: 120 logs a path).

For seeds 0–59 of both nn cells, the log is printed on MKL's SSE4.2 path with ATen's default kernels (what
the notes' machine ran) and on MKL's AVX-512 path with ATen's AVX-512 kernels; recover, run here, must
print a start that replays each log on the path that printed it.
"""

from __future__ import annotations

import pytest

from linreg import Settings
from linreg.kernels import KernelPath, workers
from linreg.recover import recover

PRINTERS = (KernelPath("SSE4_2", "default"), KernelPath("AVX512", "avx512"))


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["linear", "module"])
@pytest.mark.parametrize("printer", PRINTERS, ids=str)
def test_seeded_logs_from_another_path_are_recovered(stage: str, printer: KernelPath) -> None:
    seeded = [Settings.for_stage(stage, seed=seed) for seed in range(60)]
    printed = workers().replay(seeded, [printer])
    if printer in printed.skipped:
        pytest.skip(f"{printer}: {printed.skipped[printer]}")
    failures = []
    for seed, (per_thread, settings) in enumerate(zip(printed.lines[printer], seeded, strict=True)):
        log = per_thread[0]
        found = recover("\n".join(log), Settings.for_stage(stage))
        replayed = workers().replay([settings.with_changes(init=(found.w, found.b), seed=None)], [printer])
        if any(lines != log for lines in replayed.lines[printer][0]):
            failures.append(f"seed {seed}: ({found.w}, {found.b}) does not replay it on {printer}")
    assert not failures, "\n".join(failures)
