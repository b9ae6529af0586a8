"""The targets of the files the plugin writes (``--linreg-report``, ``--living-doc``), checked before the run.

A target named on the command line must not be a folder, and its folder must take a new file,
which is tried by making (and removing) a uniquely named temporary file there, as the file will be
written at the end: so ``/proc``, a read-only mount or a folder without write permission is
refused up front, in one line, not after the whole run. The file itself is written whole or not at
all by ``linreg.atomic.write_whole``, through a temporary file of a name no user's file has.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from linreg.atomic import temporary_beside


def check(option: str, path: str, suffixes: tuple[str, ...], kinds: str) -> None:
    """Refuses, as a usage error of one line, a target ``path`` this run could not write at its end."""
    target = Path(path)
    folder = target.parent
    if target.suffix not in suffixes or not folder.resolve().is_dir():
        msg = f"{option} {path!r}: give a {kinds} file in a folder that exists"
        raise pytest.UsageError(msg)
    if target.is_dir():
        msg = f"{option} {path!r} is a folder: give a {kinds} file"
        raise pytest.UsageError(msg)
    try:
        handle, name = temporary_beside(target)
    except OSError as exc:
        msg = f"{option} {path!r}: cannot write in {str(folder)!r} ({exc.strerror or exc}): give a folder you can write"
        raise pytest.UsageError(msg) from None
    os.close(handle)
    os.unlink(name)
