"""The command line: ``linreg notes``, ``linreg run STAGE``, ``linreg recover STAGE LOGFILE``.

Bad input ends in one line on stderr (``linreg: error: …``) and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, Protocol, TextIO

from linreg import validate
from linreg.cells.backprop import BackpropResult
from linreg.data import Data
from linreg.errors import DivergedError, LinregError, LogFormatError, SettingsError, Terminated, UsageError
from linreg.history import History
from linreg.settings import Settings
from linreg.stages import STAGES, stage
from linreg.watch import watching


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        msg = f"{message} (see {self.prog} --help)"
        raise UsageError(msg)


def _numbers(text: str) -> tuple[float, ...]:
    """``1,2,3,4`` → (1.0, 2.0, 3.0, 4.0), for argparse."""
    try:
        return validate.parse_numbers(text, "the list")
    except SettingsError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _workers(text: str) -> int | str:
    """``--workers``: a count of processes, or ``torchrun``."""
    if text == "torchrun":
        return text
    try:
        return int(text)
    except ValueError:
        msg = f"invalid workers {text!r}: give a number of processes such as 2, or torchrun"
        raise argparse.ArgumentTypeError(msg) from None


def _training_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lr", type=float, help="learning rate (0.01)")
    parser.add_argument("--epochs", type=int, help="n_iters (20 numpy, 100 autograd, 50 optim, 100 linear/module)")
    parser.add_argument("--log-every", type=int, help="log epoch e when e-1 is a multiple of this (2 or 10)")
    parser.add_argument("--x", type=_numbers, help="inputs, comma-separated (1,2,3,4); negatives: --x=-1,2")
    parser.add_argument("--y", type=_numbers, help="targets, comma-separated (2,4,6,8)")
    parser.add_argument("--test-x", type=float, help="input of the prediction lines (5)")
    parser.add_argument(
        "--data", metavar="FILE", help="x and y from a CSV file with a header x,y, or a .npy array of shape (N, 2)"
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``linreg`` argument parser."""
    parser = _Parser(prog="linreg", description="Replay the notes on backpropagation and linear regression.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{notes,run,recover}")
    sub.add_parser("notes", help="print the output of the notes' six cells, in order")

    run = sub.add_parser("run", help="run one cell (stage), with the notes' values or your own")
    run.add_argument("stage", metavar="STAGE", help=f"one of: {' '.join(STAGES)}")
    _training_options(run)
    run.add_argument("--init", type=_numbers, help="start: W (0.0) or, for linear/module, W,B (recovered)")
    run.add_argument("--seed", type=int, help="linear/module: torch's default init after manual_seed(SEED)")
    run.add_argument("--gradient", metavar="{notes,mse}", help="numpy: notes (N× MSE's, default) or mse")
    run.add_argument("--json", action="store_true", help="print the whole history, every epoch, as JSON")
    run.add_argument("--plot", metavar="FILE", help="also draw loss and w per epoch into FILE (.png or .svg)")
    run.add_argument("--device", help="torch stages: cpu (default), cuda or cuda:K")
    run.add_argument(
        "--workers",
        type=_workers,
        help="data-parallel on K local processes (gloo); 'torchrun' joins the group torchrun started",
    )

    recover = sub.add_parser("recover", help="find the start (W,B) that replays a linear/module log")
    recover.add_argument("stage", metavar="STAGE", help="linear or module")
    recover.add_argument("logfile", metavar="LOGFILE", help="a log as `linreg run` prints it ('-': stdin)")
    _training_options(recover)
    recover.add_argument(
        "--here-only",
        action="store_true",
        help="replay on this process's CPU kernel path only (faster; other CPUs may print the log otherwise)",
    )
    return parser


def _print_lines(out: TextIO, lines: list[str]) -> None:
    out.write("".join(f"{line}\n" for line in lines))


def _settings(args: argparse.Namespace) -> Settings:
    stage(args.stage)  # unknown stage: fail before anything else
    names = ("lr", "epochs", "log_every", "x", "y", "test_x", "init", "seed", "gradient", "device")
    changes = {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}
    if args.data is not None:
        if "x" in changes or "y" in changes:
            msg = "give the data either with --data or with --x/--y, not both"
            raise UsageError(msg)
        changes["data"] = Data.file(args.data)  # read by the stage, in chunks, into the dtype it computes in
    return Settings.for_stage(args.stage, **changes)


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    settings = _settings(args)
    workers = getattr(args, "workers", None)
    if args.plot is not None:
        from linreg.plot import check_path

        validate.output_path("--plot", args.plot, [args.data])
        check_path(args.plot)  # before training: a bad path must not cost a long run
        if not settings.info.trains:
            msg = "--plot draws loss and w per epoch: stage backprop has no epochs; choose a training stage"
            raise UsageError(msg)
    bar = _progress_bar(settings, err) if workers is None else None
    # Alone, the log goes out line by line as training makes it, and the history keeps none of it:
    # memory stays flat however long the run. --json and --plot need the whole history, so they wait.
    echo = workers is None and not args.json and args.plot is None and settings.info.trains
    try:
        with watching(echo=_echo(out, bar) if echo else None, progress=None if bar is None else _ticks(bar)):
            result = _train(settings, workers)
    except DivergedError as exc:
        if not args.json and not echo:
            _print_lines(out, exc.history.lines())
        raise
    finally:
        if bar is not None:
            bar.close()  # leave=False: the bar's line is cleared when the run ends
    if result is None:  # a torchrun worker other than rank 0: rank 0 prints
        return
    if isinstance(result, History) and result.data_pass is not None and settings.data.path is not None:
        err.write(f"linreg: {result.data_pass.line(repr(settings.data.path))}\n")
    if args.json:
        data = result.to_json() if hasattr(result, "to_json") else vars(result)
        out.write(json.dumps(data, indent=2) + "\n")
    elif not echo:
        _print_lines(out, result.lines())
    if args.plot is not None and isinstance(result, History):
        from linreg.plot import save

        save(result, args.plot)
    warning = validate.unstable(result.settings) if isinstance(result, History) else None  # the data as read
    if warning is not None:
        err.write(f"linreg: warning: {warning}\n")


def _echo(out: TextIO, bar: _Bar | None) -> Callable[[str], None]:
    """Writes one log line to ``out``; around a progress bar on the same terminal, clears it first."""
    if bar is not None and out.isatty():
        from tqdm import tqdm

        return lambda line: tqdm.write(line, file=out)

    def write(line: str) -> None:
        out.write(f"{line}\n")

    return write


class _Bar(Protocol):
    """What the command line uses of a tqdm progress bar."""

    def update(self, n: int = 1) -> object: ...
    def close(self) -> None: ...


def _ticks(bar: _Bar) -> Callable[[int], None]:
    """Moves ``bar`` one step as each epoch ends."""

    def tick(epoch: int) -> None:
        bar.update()

    return tick


def _progress_bar(settings: Settings, err: TextIO) -> _Bar | None:
    """A tqdm bar on ``err`` when it is a terminal; it appears only once a run has taken a second."""
    if not err.isatty() or settings.epochs == 0:
        return None
    from tqdm import tqdm

    bar: _Bar = tqdm(
        total=settings.epochs, file=err, delay=1.0, leave=False, unit="epoch", desc=f"linreg run {settings.stage}"
    )
    return bar


def _train(settings: Settings, workers: int | str | None) -> History | BackpropResult | None:
    """Run ``settings`` alone, on ``workers`` local processes, or as one worker of torchrun's group."""
    if workers is None:
        from linreg.stages import run

        return run(settings)
    if workers == "torchrun":
        from linreg.scale import parallel

        return parallel.run_torchrun(settings)
    from linreg.scale import local

    return local.run(settings, int(workers))


LOG_LIMIT = 1 << 24  # bytes of a log for recover: a million epoch lines; real logs are a few hundred


def _read_log(path: str) -> str:
    try:
        if path == "-":
            if sys.stdin is None:  # started with stdin closed (`<&-`): Python leaves sys.stdin None
                msg = "stdin is closed: give the log file's name, or pipe the log in (`linreg recover linear - < FILE`)"
                raise LogFormatError(msg)
            raw = sys.stdin.buffer.read(LOG_LIMIT + 1)
        else:
            with Path(path).open("rb") as file:
                raw = file.read(LOG_LIMIT + 1)
    except OSError as exc:
        msg = f"cannot read log file {path!r}: {exc.strerror}; give a file `linreg run linear > FILE` wrote"
        raise LogFormatError(msg) from None
    if len(raw) > LOG_LIMIT:
        limit = f"{LOG_LIMIT >> 20} MiB"
        msg = f"log file {path!r} is longer than {limit}: give the log of one run, `linreg run linear > FILE`"
        raise LogFormatError(msg)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        msg = f"log file {path!r} is not text: give a file `linreg run linear > FILE` wrote"
        raise LogFormatError(msg) from None


def _recover(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    import numpy as np

    from linreg.recover import wording
    from linreg.recover.search import check_recoverable, recover

    settings = _settings(args)
    check_recoverable(settings)
    text = _read_log(args.logfile)
    found = recover(text, settings, name=f"log file {args.logfile!r}", every_path=not args.here_only)
    w, b = np.float32(found.w), np.float32(found.b)
    out.write(f"float64 fit of every printed number: w0 = {found.estimate[0]:.9g}, b0 = {found.estimate[1]:.9g}\n")
    out.write(f"every line reproduced from\n{w!s},{b!s}\n")
    err.write(f"linreg: {wording.paths_line(found)}\n")


def _notes(out: TextIO) -> None:
    from linreg.stages import run

    cells = {name: info for name, info in STAGES.items() if info.in_notes}
    for number, (name, info) in enumerate(cells.items()):
        if number:
            out.write("\n")
        out.write(f"=== {info.title} (linreg run {name}) ===\n")
        _print_lines(out, run(Settings.for_stage(name)).lines())


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status. Every way a run ends is decided here: done (0),
    a user's mistake (2), divergence or no start recovered (1), output that cannot be written (1),
    a reader that has gone (141) or Ctrl-C (130), each with at most one line on stderr."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    if err is None:  # started with stderr closed (`2>&-`): the run goes on, its messages go nowhere
        err = open(os.devnull, "w")  # noqa: SIM115  (lives as long as the process)
    if out is None:  # started with stdout closed (`linreg notes >&-`): Python leaves sys.stdout None
        err.write("linreg: error: stdout is closed: give the output somewhere to go, e.g. > FILE\n")
        return 1
    try:
        args = build_parser().parse_args(argv)
        if args.command == "notes":
            _notes(out)
        elif args.command == "run":
            _run(args, out, err)
        else:
            _recover(args, out, err)
        out.flush()  # here, not at exit: a full disk must be reported, not printed as a traceback
    except LinregError as exc:
        with contextlib.suppress(OSError):
            out.flush()
        err.write(f"linreg: error: {exc}\n")
        return exc.exit_code
    except BrokenPipeError:  # `linreg notes | head`: the reader has all it wanted; not an error to report
        _silence(out)
        return 128 + signal.SIGPIPE
    except KeyboardInterrupt:  # Ctrl-C: what was printed stays, nothing half-written is left
        _silence(out)
        err.write("linreg: interrupted\n")
        return 128 + signal.SIGINT
    except Terminated:  # SIGTERM to a data-parallel run: its workers ended, its temporary files removed
        _silence(out)
        err.write("linreg: terminated\n")
        return 128 + signal.SIGTERM
    except OSError as exc:  # stdout on a full disk (/dev/full) or gone away otherwise
        _silence(out)
        err.write(f"linreg: error: cannot write the output: {exc.strerror or exc}\n")
        return 1
    return 0


def _silence(out: TextIO) -> None:
    """Point stdout at /dev/null: Python flushes it again at exit, which would print a traceback."""
    if out is sys.stdout:
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    raise SystemExit(main())
