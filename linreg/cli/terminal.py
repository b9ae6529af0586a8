"""What ``linreg run`` shows on a terminal as it trains: the log line by line, and a progress bar on
stderr (tqdm, only when stderr is a terminal and the run takes over a second), each kept out of the other's way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TextIO

from linreg.settings import Settings


def echo(out: TextIO, bar: Bar | None) -> Callable[[str], None]:
    """Writes one log line to ``out``; around a progress bar on the same terminal, clears it first."""
    if bar is not None and out.isatty():
        from tqdm import tqdm

        return lambda line: tqdm.write(line, file=out)

    def write(line: str) -> None:
        out.write(f"{line}\n")

    return write


class Bar(Protocol):
    """What the command line uses of a tqdm progress bar."""

    def update(self, n: int = 1) -> object: ...
    def close(self) -> None: ...


def ticks(bar: Bar) -> Callable[[int], None]:
    """Moves ``bar`` one step as each epoch ends."""

    def tick(epoch: int) -> None:
        bar.update()

    return tick


def progress_bar(settings: Settings, err: TextIO) -> Bar | None:
    """A tqdm bar on ``err`` when it is a terminal; it appears only once a run has taken a second."""
    if not err.isatty() or settings.epochs == 0:
        return None
    from tqdm import tqdm

    bar: Bar = tqdm(
        total=settings.epochs, file=err, delay=1.0, leave=False, unit="epoch", desc=f"linreg run {settings.stage}"
    )
    return bar
