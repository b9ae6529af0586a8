"""What each command does with its parsed arguments: ``run`` (settings from the options, training alone
or on workers, the log, --json, --plot and the warning of an unstable rate), ``recover`` (a log read,
the start found) and ``notes`` (the six cells in order). Each mistake is raised as a ``LinregError``;
``linreg.cli.main`` turns it into one line and an exit status.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from linreg import validate
from linreg.cells.backprop import BackpropResult
from linreg.cli.terminal import echo as echo_to
from linreg.cli.terminal import progress_bar, ticks
from linreg.data import Data
from linreg.errors import DivergedError, LogFormatError, UsageError
from linreg.history import History
from linreg.settings import Settings
from linreg.stages import STAGES, stage
from linreg.watch import watching


def _print_lines(out: TextIO, lines: list[str]) -> None:
    """Write ``lines`` to ``out``, each ended by a newline, in one write."""
    out.write("".join(f"{line}\n" for line in lines))


def _settings(args: argparse.Namespace) -> Settings:
    """The run's settings from the options given (an unknown stage first), checked by ``Settings.for_stage``."""
    stage(args.stage)  # unknown stage: fail before anything else
    names = ("lr", "epochs", "log_every", "x", "y", "test_x", "init", "seed", "gradient", "device")
    changes = {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}
    if args.data is not None:
        if "x" in changes or "y" in changes:
            msg = "give the data either with --data or with --x/--y, not both"
            raise UsageError(msg)
        changes["data"] = Data.file(args.data)  # read by the stage, in chunks, into the dtype it computes in
    return Settings.for_stage(args.stage, **changes)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    """``linreg run STAGE``: the log on ``out`` (as it is made, when alone), notes and warnings on ``err``."""
    settings = _settings(args)
    workers = getattr(args, "workers", None)
    if args.plot is not None:
        from linreg.plot import check_path

        validate.output_path("--plot", args.plot, [args.data])
        check_path(args.plot)  # before training: a bad path must not cost a long run
        if not settings.info.trains:
            msg = "--plot draws loss and w per epoch: stage backprop has no epochs; choose a training stage"
            raise UsageError(msg)
    bar = progress_bar(settings, err) if workers is None else None
    # Alone, the log goes out line by line as training makes it, and the history keeps none of it:
    # memory stays flat however long the run. --json and --plot need the whole history, so they wait.
    echo = workers is None and not args.json and args.plot is None and settings.info.trains
    try:
        with watching(echo=echo_to(out, bar) if echo else None, progress=None if bar is None else ticks(bar)):
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


def read_log(path: str) -> str:
    """The text of the log at ``path`` ('-': stdin), at most ``LOG_LIMIT`` bytes of UTF-8."""
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


def recover(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    """``linreg recover STAGE LOGFILE``: the start found on ``out``, where it replays on ``err``."""
    import numpy as np

    from linreg.recover import wording
    from linreg.recover.search import check_recoverable, recover

    settings = _settings(args)
    check_recoverable(settings)
    text = read_log(args.logfile)
    found = recover(text, settings, name=f"log file {args.logfile!r}", every_path=not args.here_only)
    w, b = np.float32(found.w), np.float32(found.b)
    out.write(f"float64 fit of every printed number: w0 = {found.estimate[0]:.9g}, b0 = {found.estimate[1]:.9g}\n")
    out.write(f"every line reproduced from\n{w!s},{b!s}\n")
    err.write(f"linreg: {wording.paths_line(found)}\n")


def notes(out: TextIO) -> None:
    """``linreg notes``: the six cells' output, in order, each under its title."""
    from linreg.stages import run

    cells = {name: info for name, info in STAGES.items() if info.in_notes}
    for number, (name, info) in enumerate(cells.items()):
        if number:
            out.write("\n")
        out.write(f"=== {info.title} (linreg run {name}) ===\n")
        _print_lines(out, run(Settings.for_stage(name)).lines())
