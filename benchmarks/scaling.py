"""Scaling: each training stage's time per epoch for N = 10³ … 10⁷ points (synthetic y = 2x + noise,
read as `--data` reads it), the log-log slope over N, and the ratio to one pass over the same data,
here np.dot(X, Y) on the float32 arrays. Prints a Markdown table (docs/BENCHMARKS.md).

    python -m benchmarks.scaling [--max-exp 7]

Time per epoch is (t(E + k) − t(E)) / k, each the best of 3 runs of the whole stage through the
Python API, so loading and setting up the data cancel out. For stats, t is its epochs alone
(stats.train on the sums); its one pass over the file is timed by benchmarks/stats_pass.py.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

from linreg import Settings
from linreg.data import Data
from linreg.scale import stats
from linreg.stages import train

STAGES = ("numpy", "autograd", "optim", "linear", "module", "stats")


def write_points(path: Path, n: int) -> None:
    """N points x ~ U(-1, 1), y = 2x + N(0, 0.1²), as an (N, 2) float64 .npy file."""
    rng = np.random.default_rng(n)
    x = rng.uniform(-1.0, 1.0, n)
    np.save(path, np.stack([x, 2 * x + rng.normal(0.0, 0.1, n)], axis=1))


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """The seconds each of ``repeat`` calls of ``fn`` took."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def best_time(fn: Callable[[], object], repeat: int = 3) -> float:
    """The shortest of ``repeat`` timed calls of ``fn``."""
    return min(timed(fn, repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-exp", type=int, default=7)
    args = parser.parse_args()
    if args.max_exp < 4:
        parser.error(f"--max-exp {args.max_exp}: give 4 or more, a slope needs at least two sizes (10^3 and 10^4)")
    sizes = [10**e for e in range(3, args.max_exp + 1)]
    per_epoch: dict[str, list[float]] = {stage: [] for stage in STAGES}
    passes = []
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            path = Path(folder) / f"points_{n}.npy"
            write_points(path, n)
            x, y = Data.file(path).arrays(np.float64)  # the points `--data` reads
            x32, y32 = np.array(x, dtype=np.float32), np.array(y, dtype=np.float32)  # (N,), (N,)
            passes.append(best_time(partial(np.dot, x32, y32), repeat=20))
            k = max(5, min(400, 10**8 // (n * 40)))  # enough epochs to time, few at large N
            for stage in STAGES:
                data = {"data": str(path)} if stage == "stats" else {"x": x, "y": y}
                base = Settings.for_stage(stage, log_every=10**9, **data)
                if stage in ("linear", "module"):
                    base = base.with_changes(init=(0.0, 0.0))
                if stage == "numpy":  # the notes' gradient is N× MSE's: keep the step stable at any N
                    base = base.with_changes(lr=min(0.01, base.stable_lr / 2))
                if stage == "stats":  # its epochs, without the pass that reads the file (timed in stats_pass)
                    sums = base.data.sums()
                    t1 = best_time(partial(stats.train, base.with_changes(epochs=2), sums))
                    t2 = best_time(partial(stats.train, base.with_changes(epochs=2 + k), sums))
                else:
                    t1 = best_time(partial(train, base.with_changes(epochs=2)))
                    t2 = best_time(partial(train, base.with_changes(epochs=2 + k)))
                per_epoch[stage].append(max(t2 - t1, 0.0) / k)
            print(f"N = {n}: done ({k} epochs timed)", flush=True)
    header = " | ".join(f"N = 10^{round(math.log10(n))}" for n in sizes)
    print(f"\n| time per epoch | {header} | slope |\n|---|{'---|' * len(sizes)}---|")
    print(f"| one pass, np.dot(X, Y) | {' | '.join(us(p) for p in passes)} | {slope(sizes, passes):.2f} |")
    for stage, values in per_epoch.items():
        cells = " | ".join(f"{us(v)} ({v / p:.1f}×)" for v, p in zip(values, passes, strict=True))
        print(f"| {stage} | {cells} | {slope(sizes, values):.2f} |")


def us(seconds: float) -> str:
    """Three significant digits, in µs below a millisecond, else in ms."""
    return f"{seconds * 1e6:.3g} µs" if seconds < 1e-3 else f"{seconds * 1e3:.3g} ms"


def slope(sizes: list[int], values: list[float]) -> float:
    """Least-squares slope of log(value) against log(N)."""
    xs = np.log(np.array(sizes, dtype=float))
    ys = np.log(np.maximum(np.array(values), 1e-12))
    return float(np.polyfit(xs, ys, 1)[0])


if __name__ == "__main__":
    main()
