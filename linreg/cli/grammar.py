"""The command line's grammar: ``linreg notes``, ``linreg run STAGE [options]``, ``linreg recover STAGE LOGFILE``.

argparse's own complaints become a ``UsageError`` (one line, exit 2), as every other mistake does.
"""

from __future__ import annotations

import argparse
from typing import NoReturn

from linreg import validate
from linreg.errors import SettingsError, UsageError
from linreg.stages import STAGES


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
