"""Signals held while a data-parallel run starts or ends its processes (linreg.scale.interrupts)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

import pytest

from linreg.scale import interrupts


class Term(Exception):
    """What SIGTERM raises here, instead of ending pytest."""


def _term(signum: int, frame: FrameType | None) -> None:
    raise Term


@pytest.fixture(autouse=True)
def handlers() -> Iterator[dict[int, object]]:
    """Ctrl-C raises KeyboardInterrupt and SIGTERM raises Term while a test runs; both as before after it."""
    before = {s: signal.signal(s, h) for s, h in ((signal.SIGINT, signal.default_int_handler), (signal.SIGTERM, _term))}
    yield {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: _term}
    for s, h in before.items():
        signal.signal(s, h)


def _now(handlers: dict[int, object]) -> dict[int, object]:
    return {s: signal.getsignal(s) for s in handlers}


def _raised_inside(*signals: int, done: list[str], ending: bool = False) -> None:
    """These signals come, in order, inside ``held``; then the rest of the block runs, if it does."""
    with interrupts.held(ending=ending):
        for signum in signals:
            signal.raise_signal(signum)
        done.append("the rest of the block")


@pytest.mark.parametrize(("signum", "raised"), [(signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, Term)])
def test_a_signal_while_held_is_acted_on_as_the_block_ends(
    handlers: dict[int, object], signum: int, raised: type[BaseException]
) -> None:
    done: list[str] = []
    with pytest.raises(raised):
        _raised_inside(signum, done=done)
    assert done == ["the rest of the block"]
    assert _now(handlers) == handlers


def test_a_second_signal_while_held_is_acted_on_at_once(handlers: dict[int, object]) -> None:
    """The way out of a start that hangs: both are acted on, in the order they came."""
    done: list[str] = []
    with pytest.raises(Term):
        _raised_inside(signal.SIGTERM, signal.SIGINT, done=done)
    assert done == []
    assert _now(handlers) == handlers


@pytest.mark.parametrize(
    "signals", [(signal.SIGINT,), (signal.SIGTERM,), (signal.SIGINT, signal.SIGTERM, signal.SIGINT)]
)
def test_signals_while_ending_are_dropped(handlers: dict[int, object], signals: tuple[int, ...]) -> None:
    done: list[str] = []
    _raised_inside(*signals, done=done, ending=True)
    assert done == ["the rest of the block"]
    assert _now(handlers) == handlers


def test_an_ignored_signal_stays_ignored(handlers: dict[int, object]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with interrupts.held():
        inside = signal.getsignal(signal.SIGINT)
    assert inside == signal.SIG_IGN
    done: list[str] = []
    with pytest.raises(Term):  # SIGTERM still held, and acted on after: the ignored SIGINT counts for nothing
        _raised_inside(signal.SIGINT, signal.SIGTERM, done=done)
    assert done == ["the rest of the block"]
    assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN


def test_a_signal_between_two_handlers_put_back_leaves_neither_changed(
    handlers: dict[int, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGINT comes once its handler is back, before SIGTERM's is: it is raised, and SIGTERM's is back too."""
    real: Callable[..., object] = signal.signal

    def comes_after_sigint_is_back(signum: int, handler: object) -> object:
        previous = real(signum, handler)
        if signum == signal.SIGINT and handler is signal.default_int_handler:
            monkeypatch.setattr(signal, "signal", real)
            signal.pthread_kill(threading.get_ident(), signal.SIGINT)  # pending until the next signal.signal
        return previous

    def block() -> None:
        with interrupts.held():
            monkeypatch.setattr(signal, "signal", comes_after_sigint_is_back)

    with pytest.raises(KeyboardInterrupt):
        block()
    assert _now(handlers) == handlers


def test_outside_the_main_thread_nothing_is_held(handlers: dict[int, object]) -> None:
    seen: list[object] = []

    def inside() -> None:
        with interrupts.held():
            seen.append(signal.getsignal(signal.SIGINT))

    thread = threading.Thread(target=inside)
    thread.start()
    thread.join()
    assert seen == [signal.default_int_handler]


def test_a_second_signal_acts_on_the_first_too(handlers: dict[int, object]) -> None:
    """Ctrl-C's handler here only counts it: it is not lost when the SIGTERM after it ends the hold."""
    counted: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, frame: counted.append(signum))
    done: list[str] = []
    with pytest.raises(Term):
        _raised_inside(signal.SIGINT, signal.SIGTERM, done=done)
    assert (counted, done) == ([signal.SIGINT], [])
