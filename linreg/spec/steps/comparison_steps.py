"""Steps that compare stages, gradients and the loss surface: what the notes leave implicit."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, then, when

from linreg import History, Settings, autograd, numpy_manual, theory, train


@when(parsers.parse('the stages "{first}" and "{second}" are trained with the same settings'), target_fixture="pair")
def when_pair(settings: Settings, first: str, second: str) -> tuple[History, History]:
    return train(settings.on_stage(first)), train(settings.on_stage(second))


@when(parsers.parse("it is trained from w = {first:g} and from w = {second:g}"), target_fixture="pair")
def when_two_starts(settings: Settings, first: float, second: float) -> tuple[History, History]:
    return train(settings.with_changes(init=(first,))), train(settings.with_changes(init=(second,)))


@then(parsers.parse("both record the same loss at every epoch, within {rel:g} relative"))
def then_same_losses(pair: tuple[History, History], rel: float) -> None:
    a, b = pair
    assert len(a.epochs) == len(b.epochs) == a.settings.epochs
    assert [r.loss for r in a.epochs] == pytest.approx([r.loss for r in b.epochs], rel=rel)


@then("both record the same w, b and loss at every epoch, bit for bit")
def then_identical(pair: tuple[History, History]) -> None:
    a, b = pair
    assert len(a.epochs) == len(b.epochs) == a.settings.epochs
    assert a.epochs == b.epochs
    assert (a.before, a.after) == (b.before, b.after)


@then(parsers.parse("both record the same w and loss at every epoch, within {rel:g} relative"))
def then_close(pair: tuple[History, History], rel: float) -> None:
    a, b = pair
    assert len(a.epochs) == len(b.epochs) == a.settings.epochs
    for ra, rb in zip(a.epochs, b.epochs, strict=True):
        assert ra.w == pytest.approx(rb.w, rel=rel), (ra, rb)
        assert ra.loss == pytest.approx(rb.loss, rel=rel), (ra, rb)


@then("both print the same log")
def then_same_log(pair: tuple[History, History]) -> None:
    assert pair[0].log_rows() == pair[1].log_rows()


@given(parsers.parse("w = {w:g}"), target_fixture="w")
def given_w(w: float) -> float:
    return w


@then(parsers.parse("the notes' gradient is {factor:d} times autograd's"))
def then_gradient_factor(settings: Settings, w: float, factor: int) -> None:
    notes = numpy_manual.gradient_at(settings.with_changes(gradient="notes"), w)
    assert notes == factor * autograd.gradient_at(settings, w)


@then("the MSE gradient equals autograd's")
def then_mse_gradient(settings: Settings, w: float) -> None:
    assert numpy_manual.gradient_at(settings.with_changes(gradient="mse"), w) == autograd.gradient_at(settings, w)


@then(parsers.parse("each epoch multiplies the error w − w* by {factor:g}"))
def then_contraction(settings: Settings, factor: float) -> None:
    (rate,) = theory.contraction_factors(
        settings.data.x, settings.lr, has_bias=False, notes_gradient=settings.notes_gradient
    )
    assert f"{rate:.6g}" == f"{factor:.6g}"


@then(parsers.parse("the error along the loss surface's two directions shrinks by {slow:g} and {fast:g} per epoch"))
def then_two_rates(settings: Settings, slow: float, fast: float) -> None:
    rates = theory.contraction_factors(settings.data.x, settings.lr, has_bias=True)
    assert [f"{r:.4f}" for r in rates] == [f"{slow:.4f}", f"{fast:.4f}"], rates


@then(parsers.parse("the largest stable learning rate is {value:g}"))
def then_stable_lr(settings: Settings, value: float) -> None:
    stable = settings.stable_lr
    assert f"{stable:.6g}" == f"{value:.6g}", stable
