"""Files written whole or not at all: ``--plot``'s image and every file linreg's spec plugin writes.

The data goes to a temporary file beside the target, whose name ``tempfile.mkstemp`` makes unique
(never the name of a file of the user's, such as ``.plot.png.partial``), and that file is renamed
onto the target: a reader sees the old file or the new one, never half of one, and a link at the
target's name is replaced, not written through. On every way out the temporary file is gone. The
new file gets the target's permissions where the target is a regular file (a feature file that
``--linreg-update`` rewrites keeps its mode), else those of an ordinary new file (0666 less the umask).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def temporary_beside(target: Path) -> tuple[int, str]:
    """A new, uniquely named temporary file in ``target``'s folder: its open handle and its name."""
    return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=os.path.dirname(os.path.abspath(target)))


def _mode(target: Path) -> int:
    with contextlib.suppress(OSError):
        status = os.lstat(target)
        if stat.S_ISREG(status.st_mode):
            return stat.S_IMODE(status.st_mode)
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_whole(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` whole or not at all; OSError where it cannot, the target then as it was."""
    handle, name = temporary_beside(target)
    try:
        os.fchmod(handle, _mode(target))  # mkstemp's file is private to its owner
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(name, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
