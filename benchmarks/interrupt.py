"""How soon Ctrl-C ends a data-parallel run that is still starting its workers: SIGINT to the process
group of `linreg run autograd --workers 2` after each delay, time from the key to its exit. Prints a
Markdown table (docs/BENCHMARKS.md §7).

    python -m benchmarks.interrupt [--repeat 3] [--after 0.3 0.8]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN = ["run", "autograd", "--workers", "2", "--epochs", "100000000", "--log-every", "100000000"]
AS_IN_A_TERMINAL = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"
)


def interrupted_after(linreg: str, delay: float) -> tuple[float, int]:
    """Seconds from Ctrl-C to the run's exit, and its exit status."""
    with tempfile.TemporaryDirectory(prefix="lr") as temp:  # a short path: the run's sockets live there
        command = [sys.executable, "-c", AS_IN_A_TERMINAL, linreg, *RUN]
        quiet = subprocess.DEVNULL
        environment = {**os.environ, "TMPDIR": temp}
        run = subprocess.Popen(command, stdout=quiet, stderr=quiet, start_new_session=True, env=environment)
        time.sleep(delay)
        pressed = time.monotonic()
        os.killpg(run.pid, signal.SIGINT)
        status = run.wait()
        return time.monotonic() - pressed, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--after", type=float, nargs="+", default=[0.3, 0.8])
    args = parser.parse_args()
    linreg = shutil.which("linreg", path=str(Path(sys.executable).parent)) or "linreg"
    print("| pressed after | key to exit | exit status |\n|---|---|---|")
    for delay in args.after:
        runs = [interrupted_after(linreg, delay) for _ in range(args.repeat)]
        seconds = ", ".join(f"{s:.2f}" for s, _ in runs)
        print(f"| {delay:g} s | {seconds} s | {', '.join(sorted({str(c) for _, c in runs}))} |")


if __name__ == "__main__":
    main()
