"""`linreg run STAGE --data FILE` against the notes' bare loop on the same file, whole process
against whole process, for the torch stages; and the peak memory of every stage on that file.

    python -m benchmarks.torch_data [--points 10000000] [--epochs 100] [--repeat 3] [--device cpu]

Writes N points of y = 2x + 1 + noise as an (N, 2) float64 .npy (once, in a temporary folder),
then in each round runs, for each torch stage, `python -m benchmarks.bare STAGE FILE` and
`python -m linreg run STAGE --data FILE` with the same start, in alternating order. Every pair
must print the same lines (else it stops: the comparison would be of different work). Prints a
Markdown table of median wall seconds and the ratio, and, with --memory, each stage's peak
resident memory (ru_maxrss of the process) against the float32 data's size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TORCH_STAGES = ("autograd", "optim", "linear", "module")
INIT = {"autograd": "0.5", "optim": "0.5", "linear": "0.5,0.25", "module": "0.5,0.25"}


def write_points(path: Path, n: int) -> None:
    """N points x ~ U(-1, 1), y = 2x + 1 + N(0, 0.1²), as an (N, 2) float64 .npy file.

    Written by a child process: a child's peak RSS counts what it shares with this process when it
    is forked, so this process stays small (it imports not even numpy) for the peaks to be the children's.
    """
    code = (
        "import sys, numpy as np; n = int(sys.argv[2]); rng = np.random.default_rng(n); x = rng.uniform(-1, 1, n);"
        " np.save(sys.argv[1], np.stack([x, 2 * x + 1 + rng.normal(0.0, 0.1, n)], axis=1))"
    )
    subprocess.run([sys.executable, "-c", code, str(path), str(n)], check=True)


def run(command: list[str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in bytes, stdout), the peak read with wait4 for this child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        msg = f"{' '.join(command)} exited {proc.returncode}"
        raise RuntimeError(msg)
    return seconds, usage.ru_maxrss * 1024, out.decode()


def commands(stage: str, path: Path, epochs: int, device: str) -> tuple[list[str], list[str]]:
    """(bare, linreg) commands for ``stage``, from the same start."""
    init = INIT[stage]
    bare = [sys.executable, "-m", "benchmarks.bare", stage, str(path), f"--epochs={epochs}", f"--init={init}"]
    ours = [sys.executable, "-m", "linreg", "run", stage, "--data", str(path), f"--epochs={epochs}", f"--init={init}"]
    return [*bare, f"--device={device}"], [*ours, f"--device={device}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000_000)
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--stages", default=",".join(TORCH_STAGES))
    parser.add_argument("--memory", action="store_true", help="also each stage's peak RSS, numpy and stats too")
    parser.add_argument("--file", help="use this .npy instead of writing one")
    args = parser.parse_args()
    stages = args.stages.split(",")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.file) if args.file else Path(folder) / "points.npy"
        if not args.file:
            write_points(path, args.points)
        data_mib = args.points * 2 * 4 / 2**20  # x and y as float32
        times: dict[tuple[str, str], list[float]] = {}
        peaks: dict[tuple[str, str], int] = {}
        for round_ in range(args.repeat):
            for stage in stages:
                pair = commands(stage, path, args.epochs, args.device)
                order = (("bare", pair[0]), ("linreg", pair[1]))
                outputs = {}
                for who, command in order if round_ % 2 == 0 else order[::-1]:
                    seconds, peak, outputs[who] = run(command)
                    times.setdefault((stage, who), []).append(seconds)
                    peaks[stage, who] = max(peaks.get((stage, who), 0), peak)
                bare_lines, our_lines = outputs["bare"].splitlines(), outputs["linreg"].splitlines()
                if bare_lines != our_lines:
                    msg = f"{stage}: linreg and the bare loop printed different lines:\n{bare_lines}\n{our_lines}"
                    raise SystemExit(msg)
        print(f"N = {args.points} points, {args.epochs} epochs, device {args.device}, {args.repeat} rounds\n")
        if args.repeat:
            time_table(stages, times, peaks)
        if args.memory:
            memory_table(path, data_mib, args.epochs)


def time_table(stages: list[str], times: dict[tuple[str, str], list[float]], peaks: dict[tuple[str, str], int]) -> None:
    """The Markdown table of medians and ratios."""
    print("| stage | bare loop, median s | linreg, median s | ratio | bare peak RSS MiB | linreg peak RSS MiB |")
    print("|---|---|---|---|---|---|")
    for stage in stages:
        bare, ours = statistics.median(times[stage, "bare"]), statistics.median(times[stage, "linreg"])
        rss = f"{peaks[stage, 'bare'] / 2**20:.0f} | {peaks[stage, 'linreg'] / 2**20:.0f}"
        print(f"| {stage} | {bare:.2f} | {ours:.2f} | {ours / bare:.2f}× | {rss} |")


def memory_table(path: Path, data_mib: float, epochs: int) -> None:
    """Peak RSS of every stage on ``path``, beside the same stage on the notes' four points: the
    difference is what the data costs (the rest, interpreter and libraries, is fixed)."""
    print(f"\nfloat32 x and y: {data_mib:.0f} MiB\n")
    print("| stage | peak RSS MiB | on the notes' 4 points, MiB | difference, MiB | × the float32 data |")
    print("|---|---|---|---|---|")
    for stage in ("numpy", "stats", *TORCH_STAGES):
        command = [sys.executable, "-m", "linreg", "run", stage, f"--epochs={epochs}"]
        if stage == "numpy":
            command.append("--lr=1e-9")  # the notes' gradient is N times the MSE's: keep it stable
        fixed = run(command)[1] / 2**20
        peak = run([*command, "--data", str(path)])[1] / 2**20
        print(f"| {stage} | {peak:.0f} | {fixed:.0f} | {peak - fixed:.0f} | {(peak - fixed) / data_mib:.2f} |")


if __name__ == "__main__":
    main()
