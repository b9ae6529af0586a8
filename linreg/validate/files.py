"""What files bring in and what linreg writes: a data file's points finite in the stage's type (and
their squares, which the loss sums), a .npy header's size checked before anything is allocated for
it, an output that is not one of the run's inputs and whose name the file system can hold, and a
temporary folder (``$TMPDIR``) that can be written before a data-parallel run starts.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from linreg.errors import DataError, UsageError
from linreg.validate.values import largest


def points(source: str, x: Any, y: Any, xs: Any, ys: Any, first: int) -> None:  # noqa: ANN401 (arrays)
    """``DataError`` unless every point, ``x`` and ``y`` (float64) rounded to ``xs`` and ``ys``, is finite there,
    and so is its square, which the loss sums (float32 stops at 1.8e19 for x²): numbers from point ``first`` + 1."""
    bad = np.flatnonzero(~(np.isfinite(xs) & np.isfinite(ys)))
    kind = xs.dtype
    if len(bad):
        row = int(bad[0])
        name, value = ("x", x[row]) if not np.isfinite(xs[row]) else ("y", y[row])
        msg = (
            f"{source}: {name} = {float(value)!r} (point {first + row + 1}) is beyond {kind}'s range "
            f"(±{largest(kind.type):.3g}), in which this stage computes; rescale the data"
        )
        raise DataError(msg)
    if kind == np.float64:  # stage stats: its sums are checked as they are made (Data.summarise)
        return
    root = math.sqrt(largest(kind.type))
    big = np.flatnonzero((np.abs(x) > root) | (np.abs(y) > root))
    if len(big):
        row = int(big[0])
        name, value = ("x", x[row]) if abs(x[row]) > root else ("y", y[row])
        msg = (
            f"{source}: {name} = {float(value)!r} (point {first + row + 1}): its square, which the loss sums, is "
            f"beyond {kind}'s range (±{largest(kind.type):.3g}), in which this stage computes; rescale the data"
        )
        raise DataError(msg)


def npy_rows(name: str, shape: tuple[int, ...], itemsize: int, available: int | None) -> None:
    """``DataError`` unless a .npy header's row count is one the file can hold: checked before allocating."""
    rows = shape[0]
    if rows < 0:
        msg = f"data file {name!r} has a header of {rows} rows: save the array again with numpy.save"
        raise DataError(msg)
    if available is not None and rows * 2 * itemsize > available:
        msg = f"data file {name!r} is cut short: its header says {rows} rows, it holds {available // (2 * itemsize)}"
        raise DataError(msg)


def output_path(flag: str, path: str, inputs: Iterable[str | None]) -> None:
    """``UsageError`` when the output ``path`` is one of the ``inputs``, or a name the file system cannot hold."""
    target = Path(path)
    for given in inputs:
        if given is not None and (target.resolve() == Path(given).resolve()):
            msg = f"{flag} {path!r} is also an input of this run: write the output to another file"
            raise UsageError(msg)
    folder = target.resolve().parent
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX") if folder.is_dir() else 255
    except (OSError, ValueError):
        limit = 255
    if len(os.fsencode(target.name)) > limit:
        size = len(os.fsencode(target.name))
        msg = f"{flag} {path[:40]!r}…: a file name of {size} bytes; give one of at most {limit}"
        raise UsageError(msg)


SOCKET_PATH_MAX = 107  # bytes in a Unix socket's path (sun_path holds 108, with its NUL)
SOCKET_IN_TMPDIR = b"/pymp-12345678/listener-12345678"  # multiprocessing's fork server socket, below TMPDIR


def temporary_folder(why: str) -> tempfile.TemporaryDirectory[str]:
    """A new temporary folder for ``why`` (what keeps files there), made where the user said: in ``$TMPDIR``
    when it is set, else where Python's ``tempfile`` finds room. ``UsageError`` naming ``$TMPDIR`` when
    it is missing, not a folder or not writable: the run would otherwise write where it was told not to."""
    chosen = os.environ.get("TMPDIR") or None
    base = os.fsencode(chosen or tempfile.gettempdir())
    if len(base) + len(SOCKET_IN_TMPDIR) > SOCKET_PATH_MAX:  # the workers' sockets would not fit
        msg = f"TMPDIR {os.fsdecode(base)!r} is {len(base)} bytes long: {why}'s processes talk through sockets in "
        msg += f"it, whose paths hold at most {SOCKET_PATH_MAX} bytes; point TMPDIR at a folder of at most "
        msg += f"{SOCKET_PATH_MAX - len(SOCKET_IN_TMPDIR)} bytes"
        raise UsageError(msg)
    try:
        if chosen is None:
            return tempfile.TemporaryDirectory(ignore_cleanup_errors=True)
        return tempfile.TemporaryDirectory(dir=chosen, ignore_cleanup_errors=True)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if chosen is None:
            msg = f"{why} needs a temporary folder and none is writable ({reason}): set TMPDIR to a writable folder"
        else:
            msg = f"TMPDIR {chosen!r} cannot hold {why}'s temporary folder ({reason}): point TMPDIR at a writable "
            msg += "folder, or unset it"
        raise UsageError(msg) from None
