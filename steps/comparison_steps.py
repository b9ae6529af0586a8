"""Steps that compare stages, gradients and the loss surface: what the notes leave implicit."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, then, when

from linreg import History, Settings, theory, train
from linreg.cells import autograd, numpy_manual


@when(parsers.parse('the stages "{first}" and "{second}" are trained with the same settings'), target_fixture="pair")
def when_pair(settings: Settings, first: str, second: str) -> tuple[History, History]:
    """Trains both stages (numpy, autograd, optim, linear, module, stats) with the settings set up so far."""
    return train(settings.on_stage(first)), train(settings.on_stage(second))


@when(parsers.parse("it is trained from w = {first:g} and from w = {second:g}"), target_fixture="pair")
def when_two_starts(settings: Settings, first: float, second: float) -> tuple[History, History]:
    """Trains the run set up so far twice, once from each start w, for comparing."""
    return train(settings.with_changes(init=(first,))), train(settings.with_changes(init=(second,)))


@then(parsers.parse("both record the same loss at every epoch, within {rel:g} relative"))
def then_same_losses(pair: tuple[History, History], rel: float) -> None:
    """Checks both runs trained every epoch and agree on the loss at each, within this relative tolerance."""
    a, b = pair
    assert len(a.epochs) == len(b.epochs) == a.settings.epochs
    assert [r.loss for r in a.epochs] == pytest.approx([r.loss for r in b.epochs], rel=rel)


@then("both record the same w, b and loss at every epoch, bit for bit")
def then_identical(pair: tuple[History, History]) -> None:
    """Checks both runs recorded exactly the same w, b and loss at every epoch, and the same predictions."""
    a, b = pair
    assert len(a.epochs) == len(b.epochs) == a.settings.epochs
    assert a.epochs == b.epochs
    assert (a.before, a.after) == (b.before, b.after)


@then(parsers.parse("both record the same w and loss at every epoch, within {rel:g} relative"))
def then_close(pair: tuple[History, History], rel: float) -> None:
    """Checks both runs agree on w and the loss at every epoch, within this relative tolerance."""
    a, b = pair
    assert len(a.epochs) == len(b.epochs) == a.settings.epochs
    for ra, rb in zip(a.epochs, b.epochs, strict=True):
        assert ra.w == pytest.approx(rb.w, rel=rel), (ra, rb)
        assert ra.loss == pytest.approx(rb.loss, rel=rel), (ra, rb)


@then("both print the same log")
def then_same_log(pair: tuple[History, History]) -> None:
    """Checks both runs print the same logged epochs (epoch, w, loss), digit for digit."""
    assert pair[0].log_rows() == pair[1].log_rows()


@given(parsers.parse("w = {w:g}"), target_fixture="w")
def given_w(w: float) -> float:
    """Sets the value of w at which the next steps compare gradients."""
    return w


@then(parsers.parse("the notes' gradient is {factor:d} times autograd's"))
def then_gradient_factor(settings: Settings, w: float, factor: int) -> None:
    """Checks the notes' hand-written gradient at w is exactly this many times autograd's."""
    notes = numpy_manual.gradient_at(settings.with_changes(gradient="notes"), w)
    assert notes == factor * autograd.gradient_at(settings, w)


@then("the MSE gradient equals autograd's")
def then_mse_gradient(settings: Settings, w: float) -> None:
    """Checks the numpy stage's MSE gradient at w equals autograd's exactly."""
    assert numpy_manual.gradient_at(settings.with_changes(gradient="mse"), w) == autograd.gradient_at(settings, w)


@then(parsers.parse("each epoch multiplies the error w − w* by {factor:g}"))
def then_contraction(settings: Settings, factor: float) -> None:
    """Checks the factor by which each epoch multiplies the distance from w to the optimum w* (6 digits)."""
    (rate,) = theory.contraction_factors(
        settings.data.x, settings.lr, has_bias=False, notes_gradient=settings.notes_gradient
    )
    assert f"{rate:.6g}" == f"{factor:.6g}"


@then(parsers.parse("the error along the loss surface's two directions shrinks by {slow:g} and {fast:g} per epoch"))
def then_two_rates(settings: Settings, slow: float, fast: float) -> None:
    """Checks, for a model w·x + b, the per-epoch shrink factors of the error (4 decimals), slow one first."""
    rates = theory.contraction_factors(settings.data.x, settings.lr, has_bias=True)
    assert [f"{r:.4f}" for r in rates] == [f"{slow:.4f}", f"{fast:.4f}"], rates


@then(parsers.parse("the largest stable learning rate is {value:g}"))
def then_stable_lr(settings: Settings, value: float) -> None:
    """Checks the largest learning rate with which training still converges, for this data (6 digits)."""
    stable = settings.stable_lr
    assert f"{stable:.6g}" == f"{value:.6g}", stable
