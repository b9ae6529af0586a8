"""The sufficient-statistics trainer against one pass over the same data, and the memory it holds.

    python -m benchmarks.stats_pass [--exp 7] [--epochs 1000]

Side by side in one run, on an (N, 2) float64 .npy file of y = 2x + noise (N = 10^exp):
reading the file whole (np.load), one chunked pass (linreg's reader, np.dot of each chunk),
and `stats`: that pass summing n, Σx, Σy, Σx², Σxy, Σy², then EPOCHS epochs of O(1) work.
Then the peak resident memory of `linreg run stats --data FILE` for 10^(exp-1) and 10^exp points.
Prints Markdown tables (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from benchmarks.scaling import timed, write_points
from linreg import Settings
from linreg.files import chunks
from linreg.scale import stats


def chunked_pass(path: Path) -> float:
    return sum(float(np.dot(x, y)) for x, y in chunks(path))


def peak_rss_mib(command: list[str]) -> float:
    """Peak resident set of ``command``, from GNU time (kB)."""
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True, check=True)
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exp", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n = 10**args.exp
    linreg = shutil.which("linreg", path=str(Path(sys.executable).parent)) or "linreg"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "points.npy"
        small = Path(folder) / "small.npy"
        write_points(path, n)
        write_points(small, n // 10)
        settings = Settings.for_stage("stats", data=str(path), epochs=args.epochs, init=(0.0, 0.0), lr=0.1)
        rows = {
            "read the file whole (np.load)": lambda: np.load(path),
            "one chunked pass (linreg's reader, np.dot per chunk)": lambda: chunked_pass(path),
            f"stats: the pass with its six sums, then {args.epochs} epochs": lambda: stats.run(settings),
        }
        times: dict[str, list[float]] = {name: [] for name in rows}
        for _ in range(args.repeat):  # interleaved
            for name, fn in rows.items():
                times[name] += timed(fn, 1)
        memory = {
            f"linreg run stats --data ({count} points)": peak_rss_mib(
                [linreg, "run", "stats", "--data", str(file), "--epochs", str(args.epochs)]
            )
            for count, file in ((n // 10, small), (n, path))
        }
        memory["python -c 'import numpy' (for scale)"] = peak_rss_mib([sys.executable, "-c", "import numpy"])
    size = n * 2 * 8 / 2**20
    print(f"N = {n} points ({size:.0f} MiB of float64 x, y), {args.repeat} interleaved runs each\n")
    names = list(rows)
    read, one = statistics.median(times[names[0]]), statistics.median(times[names[1]])
    print("| run | median s | min s | vs reading whole | vs one chunked pass |\n|---|---|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.3f} | {min(values):.3f} | {median / read:.2f}× | {median / one:.2f}× |")
    print("\n| command | peak resident memory |\n|---|---|")
    for name, mib in memory.items():
        print(f"| `{name}` | {mib:.0f} MiB |")


if __name__ == "__main__":
    main()
