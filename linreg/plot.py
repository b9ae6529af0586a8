"""Loss and w per epoch, drawn with matplotlib: for `linreg run --plot` and the living documentation.

Left: the loss before each epoch's update, on a log scale; a loss of exactly 0, which a log scale
cannot show, breaks the curve and is marked by a triangle on the bottom edge. Right: w after each
update, and dashed, b where the model has one (the living documentation draws it). Dots mark the
epochs the cell prints; for a run with the notes' own settings those are the points the notes show.
A run too long to keep epoch by epoch is drawn from its trace: the curve through each stretch's
last value, and a band from each stretch's smallest to its largest, so the drawing stays bounded
and hides no extreme.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from linreg.atomic import write_whole
from linreg.errors import OutputError, UsageError
from linreg.history import History
from linreg.settings import Settings
from linreg.trace import FIELDS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

FORMATS = (".png", ".svg")
ZERO_NOTE = "▼ loss exactly 0 (below the log scale)"


def _label(history: History) -> str:
    s = history.settings
    notes = s == Settings.for_stage(s.stage) if s.info.in_notes else False
    return f"{s.stage}" + (" (the notes' run)" if notes else f", lr {s.lr:g}")


def positive(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``values`` with each loss of exactly 0 left out (nan): a log scale has no 0, so the curve breaks there."""
    return np.where(values > 0, values, np.nan)


def _zeros(ax: Axes, epochs: npt.NDArray[np.float64], losses: npt.NDArray[np.float64], colour: str) -> bool:
    """Mark the epochs whose loss is exactly 0 with a triangle on the bottom edge; whether there were any."""
    zero = epochs[losses == 0]
    if zero.size:  # x in epochs, y in the axes' height: pinned to its bottom however the scale falls
        ax.scatter(
            zero,
            np.zeros_like(zero),
            marker="v",
            s=14,
            color=colour,
            clip_on=False,
            zorder=3,
            transform=ax.get_xaxis_transform(),
        )
    return bool(zero.size)


def _quiet_import() -> None:
    """Import matplotlib without its log lines on stderr: with HOME unwritable it warns that it made a
    temporary cache folder, which is its business, not the user's (the plot is written all the same)."""
    import logging

    logger = logging.getLogger("matplotlib")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        import matplotlib.font_manager  # noqa: F401  (reads the config and cache folders)
        from matplotlib import pyplot  # noqa: F401
    finally:
        logger.setLevel(level)


def figure(runs: list[History], title: str | None = None, with_b: bool = False) -> Figure:
    """The figure for ``runs``, one curve each: loss on the left axes, w (and b, ``with_b``) on the right."""
    _quiet_import()
    import matplotlib

    matplotlib.use("Agg")  # no display: files only
    from matplotlib import pyplot as plt

    # sharex: both show every epoch, also one whose loss of 0 the log scale leaves out
    fig, (ax_loss, ax_w) = plt.subplots(1, 2, figsize=(8, 3), dpi=100, layout="constrained", sharex=True)
    zeros = False
    legend_w: list[Line2D] = []  # the first run's w and b curves, where b is drawn
    for history in runs:
        table = history.trace.table()  # (S, 11): one row per epoch, or per stretch of a long run
        epochs = table[:, FIELDS.index("last")]  # (S,)
        loss = table[:, FIELDS.index("loss")]  # (S,)
        (line,) = ax_loss.plot(epochs, positive(loss), label=_label(history))
        colour = line.get_color()
        (w_line,) = ax_w.plot(epochs, table[:, FIELDS.index("w")], color=colour)
        b = table[:, FIELDS.index("b")]  # (S,): nan for a model without b
        if with_b and not np.isnan(b).all():
            (b_line,) = ax_w.plot(epochs, b, color=colour, linestyle="--")
            legend_w = legend_w or [w_line, b_line]
        low = table[:, FIELDS.index("loss_min")]  # (S,)
        if not history.trace.is_exact:  # each stretch's smallest and largest value, as a band around the curve
            high = positive(table[:, FIELDS.index("loss_max")])
            ax_loss.fill_between(epochs, positive(low), high, color=colour, alpha=0.3, linewidth=0)
            ax_w.fill_between(
                epochs,
                table[:, FIELDS.index("w_min")],
                table[:, FIELDS.index("w_max")],
                color=colour,
                alpha=0.3,
                linewidth=0,
            )
        zeros = _zeros(ax_loss, epochs, low, colour) or zeros
        printed = "as the notes print them" if "notes" in _label(history) else "the epochs the cell prints"
        shown = np.array([r.epoch for r in history.logged])  # (P,)
        shown_loss = positive(np.array([r.loss for r in history.logged], dtype=np.float64))  # (P,)
        ax_loss.plot(shown, shown_loss, "o", color=colour, markersize=3, label=printed)
        ax_w.plot(shown, [r.w for r in history.logged], "o", color=colour, markersize=3)
    ax_loss.set(yscale="log", xlabel="epoch", ylabel="loss (before the update)")
    if not np.isfinite([y for line in ax_loss.lines for y in line.get_ydata()]).any():
        ax_loss.set_ylim(1e-9, 1)  # every loss 0: a log scale still needs a range
    if zeros:
        ax_loss.text(0.02, 0.03, ZERO_NOTE, transform=ax_loss.transAxes, fontsize="x-small", color="grey")
    ax_w.set(xlabel="epoch", ylabel="w and b (after the update)" if legend_w else "w (after the update)")
    if legend_w:
        ax_w.legend(legend_w, ["w", "b (dashed)"], fontsize="small")
    ax_loss.legend(fontsize="small")
    if title:
        fig.suptitle(title, fontsize="medium")
    return fig


def render(runs: list[History], fmt: str = "png", title: str | None = None, with_b: bool = False) -> bytes:
    """One figure for ``runs`` (one curve each) as PNG or SVG bytes."""
    _quiet_import()
    import matplotlib
    from matplotlib import pyplot as plt

    fig = figure(runs, title, with_b)
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
    try:
        write_whole(Path(path), data)
    except OSError as exc:
        msg = f"--plot {path!r}: cannot write it: {exc.strerror or exc}"
        raise OutputError(msg) from None
