"""The command line: ``linreg notes``, ``linreg run STAGE``, ``linreg recover STAGE LOGFILE``.

Bad input ends in one line on stderr (``linreg: error: …``) and a non-zero exit, never a traceback.
Here every way a run ends is decided (``main``); the grammar is ``grammar``, what each command does
``commands``, what a terminal shows while it trains ``terminal``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
from collections.abc import Sequence
from typing import TextIO

from linreg.cli import commands
from linreg.cli.grammar import build_parser
from linreg.errors import LinregError, Terminated

__all__ = ["build_parser", "console", "main"]


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
            commands.notes(out)
        elif args.command == "run":
            commands.run(args, out, err)
        else:
            commands.recover(args, out, err)
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


def console() -> int:
    """``main`` as the ``linreg`` command (and ``python -m linreg``) runs it: in a process that ends
    after it. The objects alive then are frozen first, so that the interpreter's end neither scans
    them nor tears down the reference cycles among them: with torch and torch._dynamo imported that
    made every torch command about 0.7 s longer (docs/BENCHMARKS.md §2). Objects in cycles then never
    have their finalizers run, so no cleanup of linreg may rely on garbage collection at exit (it is
    ``atexit``, ``with`` blocks and explicit calls: temporary files, gloo's process group)."""
    status = main()
    gc.freeze()
    return status


if __name__ == "__main__":
    raise SystemExit(console())
