"""The files the plugin writes (``--linreg-report``, ``--living-doc``, ``--linreg-update``): whole or not at all.

A target named on the command line is checked before the run, not after it: it must not be a
folder, and its folder must take a new file, which is tried by making (and removing) one there, so
that ``/proc``, a read-only mount or a folder without write permission is refused up front. At the
end the data goes to a temporary file in the target's folder whose name ``tempfile`` makes unique,
never a name a user's file may have (``.keep.json.partial``), and that file then replaces the
target: a reader sees the old file or the new one, never half of one; on any failure the temporary
file is removed and the target is as it was. The new file has the target's mode where the target
exists, else the mode a new file gets here (0666 less the umask).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

import pytest


def _temporary(target: Path) -> tuple[int, str]:
    return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)


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
        handle, name = _temporary(target)
    except OSError as exc:
        msg = f"{option} {path!r}: cannot write in {str(folder)!r} ({exc.strerror or exc}): give a folder you can write"
        raise pytest.UsageError(msg) from None
    os.close(handle)
    os.unlink(name)


def _mode(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def write(target: Path, data: bytes) -> None:
    """``data`` to ``target``, through a uniquely named temporary file beside it; OSError where it cannot."""
    handle, name = _temporary(target)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(name, _mode(target))
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
