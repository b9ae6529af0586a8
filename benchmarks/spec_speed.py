"""Spec speed: the six cells' features under pytest, against the notes' cells as a plain script and
under nbval, side by side in one run. Prints a Markdown table (docs/BENCHMARKS.md).

    python -m benchmarks.spec_speed [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.notes import notebook, script

ROOT = Path(__file__).resolve().parents[1]
CELL_FEATURES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "features" / "1_notes").glob("*.feature"))


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done.stdout + done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        (tmp / "cells.py").write_text(script())
        (tmp / "notes.ipynb").write_text(json.dumps(notebook()))
        runs = {
            "the six cells as a plain script (checks nothing)": ([sys.executable, str(tmp / "cells.py")], tmp),
            "nbval on the six cells as a notebook": (
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "-p",
                    "no:randomly",
                    "-p",
                    "no:cacheprovider",
                    "--nbval",
                    "-q",
                    "--rootdir",
                    str(tmp),
                    str(tmp / "notes.ipynb"),
                ],
                tmp,
            ),
            "the spec: pytest on the six cells' features": (
                [sys.executable, "-m", "pytest", "-p", "no:randomly", "-q", *CELL_FEATURES],
                ROOT,
            ),
        }
        times: dict[str, list[float]] = {name: [] for name in runs}
        outputs: dict[str, str] = {}
        for _ in range(args.repeat):  # interleaved, so drift in the machine hits all three alike
            for name, (command, cwd) in runs.items():
                seconds, outputs[name] = timed(command, cwd)
                times[name].append(seconds)
    spec = statistics.median(times["the spec: pytest on the six cells' features"])
    print("| run | median s | min s | vs the spec | result |\n|---|---|---|---|---|")
    for name, values in times.items():
        tail = outputs[name].strip().splitlines()[-1] if outputs[name].strip() else "printed the six outputs"
        result = re.sub(r"\s+in [\d.]+s.*", "", tail) if "pytest" in " ".join(runs[name][0]) else "ran"
        median = statistics.median(values)
        print(f"| {name} | {median:.2f} | {min(values):.2f} | {median / spec:.2f}× | {result} |")


if __name__ == "__main__":
    main()
