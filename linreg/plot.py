"""Loss and w per epoch, drawn with matplotlib: for `linreg run --plot` and the living documentation.

Left: the loss before each epoch's update, on a log scale (a loss of exactly 0 is drawn at the
smallest positive float32). Right: w after each update. Dots mark the epochs the cell prints; for
a run with the notes' own settings those are the points the notes show. A run too long to keep
epoch by epoch is drawn from its trace: the curve through each stretch's last value, and a band
from each stretch's smallest to its largest, so the drawing stays bounded and hides no extreme.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from linreg.errors import OutputError, UsageError
from linreg.history import History
from linreg.settings import Settings
from linreg.trace import FIELDS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = (".png", ".svg")
TINY = float(np.finfo(np.float32).tiny)  # where a loss of exactly 0 sits on the log axis


def _label(history: History) -> str:
    s = history.settings
    notes = s == Settings.for_stage(s.stage) if s.info.in_notes else False
    return f"{s.stage}" + (" (the notes' run)" if notes else f", lr {s.lr:g}")


def figure(runs: list[History], title: str | None = None) -> Figure:
    """The figure for ``runs``, one curve each: loss on the left axes, w on the right."""
    import matplotlib

    matplotlib.use("Agg")  # no display: files only
    from matplotlib import pyplot as plt

    fig, (ax_loss, ax_w) = plt.subplots(1, 2, figsize=(8, 3), dpi=100, layout="constrained")
    for history in runs:
        table = history.trace.table()  # (S, 11): one row per epoch, or per stretch of a long run
        epochs = table[:, FIELDS.index("last")]  # (S,)
        loss = np.maximum(table[:, FIELDS.index("loss")], TINY)  # (S,)
        w = table[:, FIELDS.index("w")]  # (S,)
        (line,) = ax_loss.plot(epochs, loss, label=_label(history))
        colour = line.get_color()
        ax_w.plot(epochs, w, color=colour)
        if not history.trace.is_exact:  # each stretch's smallest and largest value, as a band around the curve
            low, high = (np.maximum(table[:, FIELDS.index(f"loss_{end}")], TINY) for end in ("min", "max"))
            ax_loss.fill_between(epochs, low, high, color=colour, alpha=0.3, linewidth=0)
            ax_w.fill_between(
                epochs,
                table[:, FIELDS.index("w_min")],
                table[:, FIELDS.index("w_max")],
                color=colour,
                alpha=0.3,
                linewidth=0,
            )
        printed = "as the notes print them" if "notes" in _label(history) else "the epochs the cell prints"
        shown = np.array([r.epoch for r in history.logged])  # (P,)
        shown_loss = np.maximum(np.array([r.loss for r in history.logged]), TINY)  # (P,)
        ax_loss.plot(shown, shown_loss, "o", color=colour, markersize=3, label=printed)
        ax_w.plot(shown, [r.w for r in history.logged], "o", color=colour, markersize=3)
    ax_loss.set(yscale="log", xlabel="epoch", ylabel="loss (before the update)")
    ax_w.set(xlabel="epoch", ylabel="w (after the update)")
    ax_loss.legend(fontsize="small")
    if title:
        fig.suptitle(title, fontsize="medium")
    return fig


def render(runs: list[History], fmt: str = "png", title: str | None = None) -> bytes:
    """One figure for ``runs`` (one curve each) as PNG or SVG bytes."""
    import matplotlib
    from matplotlib import pyplot as plt

    fig = figure(runs, title)
    buffer = io.BytesIO()
    # no date or software version in the file, and SVG ids from a fixed salt: the same run, the same bytes
    with matplotlib.rc_context({"svg.hashsalt": "linreg"}):
        metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
        fig.savefig(buffer, format=fmt, metadata=metadata)
    plt.close(fig)
    return buffer.getvalue()


def check_path(path: str) -> None:
    """``UsageError`` unless ``path`` ends in .png or .svg and its folder exists."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        msg = f"--plot {path!r}: give a file name ending in .png or .svg"
        raise UsageError(msg)
    folder = Path(path).resolve().parent
    if not folder.is_dir():
        msg = f"--plot {path!r}: folder {str(Path(path).parent)!r} does not exist; create it or plot elsewhere"
        raise UsageError(msg)
    if Path(path).is_dir():
        msg = f"--plot {path!r} is a folder: give a file name ending in .png or .svg"
        raise UsageError(msg)
    if not os.access(folder, os.W_OK):
        msg = f"--plot {path!r}: folder {str(Path(path).parent)!r} is not writable; plot elsewhere"
        raise UsageError(msg)


def save(history: History, path: str) -> None:
    """Write ``history``'s plot to ``path`` (.png or .svg), whole or not at all."""
    check_path(path)
    data = render([history], Path(path).suffix.lower()[1:], title=history.settings.info.title)
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except OSError as exc:
        msg = f"--plot {path!r}: cannot write it: {exc.strerror or exc}"
        raise OutputError(msg) from None
    finally:
        partial.unlink(missing_ok=True)  # whole or not at all: no partial file is left behind
