"""Steps that run the same settings twice and compare: reproducibility."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from linreg import History, Settings, train
from linreg.determinism import torch_threads


@when(
    parsers.parse("it is trained with torch using {first:d} thread(s) and again with {second:d}"), target_fixture="pair"
)
def when_trained_with_threads(settings: Settings, first: int, second: int) -> tuple[History, History]:
    """Trains the run set up so far twice: with torch on the first thread count, then on the second."""
    with torch_threads(first):
        a = train(settings)
    with torch_threads(second):
        b = train(settings)
    return a, b


@when("it is trained twice", target_fixture="pair")
def when_trained_twice(settings: Settings) -> tuple[History, History]:
    """Trains the run set up so far twice, the same way, for comparing."""
    return train(settings), train(settings)


@then("both histories are identical, bit for bit")
def then_histories_identical(pair: tuple[History, History]) -> None:
    """Checks both runs recorded the same start, predictions and epochs, bit for bit."""
    a, b = pair
    assert (a.start, a.before, a.epochs, a.after) == (b.start, b.before, b.epochs, b.after)
