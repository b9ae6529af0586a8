"""A log in the nn cells' format read back into its numbers, for ``recover``.

Each line is checked against what ``linreg run`` prints for the settings (``logfmt``'s formats),
and each number is kept with the precision it was printed with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from linreg import logfmt
from linreg.errors import LogFormatError

if TYPE_CHECKING:
    from linreg.settings import Settings


@dataclass(frozen=True)
class Printed:
    """A printed number: its value and how many decimals it was printed with."""

    value: float
    decimals: int

    @property
    def tolerance(self) -> float:
        return 0.5 * 10.0**-self.decimals


def _printed(text: str) -> Printed:
    """``"1.200"`` → 1.2, printed with 3 decimals."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Printed(float(text), decimals)


@dataclass(frozen=True)
class ParsedLog:
    """The numbers of a log in the nn cells' format."""

    lines: list[str]
    before: Printed
    epochs: list[tuple[int, Printed, Printed]]  # (epoch, w after its update, loss before it)
    after: Printed


def parse_log(text: str, settings: Settings, name: str = "log") -> ParsedLog:
    """Check that ``text`` is what ``linreg run`` prints for ``settings`` (start aside) and read its numbers."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    s = settings
    want = 3 + -(-s.epochs // s.log_every)  # counted before the epochs are listed: --epochs may be huge
    if len(lines) != want:
        msg = (
            f"{name} has {len(lines)} lines; a {s.stage} log of --epochs {s.epochs} --log-every "
            f"{s.log_every} has {want}: pass the options the log was made with"
        )
        raise LogFormatError(msg)
    expected_epochs = list(range(1, s.epochs + 1, s.log_every))
    shape = logfmt.shape_line(len(s.data), 1)
    if lines[0] != shape:
        msg = f"{name} line 1 is {lines[0]!r}, expected the shape line {shape!r} for {len(s.data)} data points"
        raise LogFormatError(msg)
    preds = []
    for number, when in ((2, "before"), (len(lines), "after")):
        parsed = logfmt.parse_prediction_line(lines[number - 1])
        if parsed is None or parsed[0] != when or parsed[1] != f"{s.test_x:g}":
            msg = (
                f"{name} line {number} is {lines[number - 1]!r}, expected "
                f"'Prediction {when} training: f({s.test_x:g})= …'"
            )
            raise LogFormatError(msg)
        preds.append(_printed(parsed[2]))
    epochs = []
    for number, (line, epoch) in enumerate(zip(lines[2:-1], expected_epochs, strict=True), start=3):
        entry = logfmt.parse_epoch_line(line)
        if entry is None or entry.epoch != epoch:
            msg = f"{name} line {number} is {line!r}, expected 'epoch {epoch}: w = …, loss = …'"
            raise LogFormatError(msg)
        epochs.append((epoch, _printed(entry.w), _printed(entry.loss)))
    numbers = [(2, preds[0]), (len(lines), preds[1])]
    numbers += [(number, value) for number, (_, w, loss) in enumerate(epochs, start=3) for value in (w, loss)]
    for number, printed in sorted(numbers, key=lambda item: item[0]):
        if not math.isfinite(printed.value):
            msg = (
                f"{name} line {number} is {lines[number - 1]!r}: a run that prints a non-finite number "
                "diverged; recover needs the log of a run that did not"
            )
            raise LogFormatError(msg)
    return ParsedLog(lines, preds[0], epochs, preds[1])


def printed_values(log: ParsedLog) -> list[Printed]:
    """The log's numbers in order: the prediction before, each epoch's w and loss, the prediction after."""
    out = [log.before]
    for _, w, loss in log.epochs:
        out += [w, loss]
    return [*out, log.after]
