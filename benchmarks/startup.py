"""Start-up: `linreg run numpy` (which never imports torch) against `python -c "import torch"`,
and `linreg run optim` with and without its freeze before exit, interleaved in one run. Prints a
Markdown table (docs/BENCHMARKS.md).

    python -m benchmarks.startup [--repeat 20]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    linreg = shutil.which("linreg", path=str(Path(sys.executable).parent)) or "linreg"
    commands = {
        "`linreg run numpy`": [linreg, "run", "numpy"],
        "`python -c 'import numpy'`": [sys.executable, "-c", "import numpy"],
        "`python -c 'import torch'`": [sys.executable, "-c", "import torch"],
        "`linreg run optim`": [linreg, "run", "optim"],
        "`linreg run optim`, no freeze at exit (`main` called as before)": [
            sys.executable,
            "-c",
            "import sys; from linreg.cli import main; sys.exit(main(['run', 'optim']))",
        ],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            times[name].append(time.perf_counter() - start)
    torch = statistics.median(times["`python -c 'import torch'`"])
    print("| command | median s | min s | vs import torch |\n|---|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.3f} | {min(values):.3f} | {median / torch:.2f}× |")


if __name__ == "__main__":
    main()
