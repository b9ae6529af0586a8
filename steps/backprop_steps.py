"""Steps for cell 1: one scalar example, forward and backward."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, then, when

from linreg import Settings
from linreg.cells.backprop import BackpropResult, run
from linreg.spec import numbers


@given(parsers.parse("x = {x:g}, y = {y:g} and w = {w:g}"), target_fixture="settings")
def given_example(x: float, y: float, w: float) -> Settings:
    """Sets up cell 1 (the backprop stage) on one example: input x, target y and weight w."""
    return Settings.for_stage("backprop", x=(x,), y=(y,), init=(w,))


@when("the example is backpropagated", target_fixture="result")
def when_backpropagated(settings: Settings) -> BackpropResult:
    """Runs cell 1 on the example: the forward pass, the backward pass and one SGD step."""
    return run(settings)


@when(parsers.parse("the example is backpropagated with a learning rate of {lr:g}"), target_fixture="result")
def when_backpropagated_lr(settings: Settings, lr: float) -> BackpropResult:
    """Runs cell 1 on the example with this learning rate for its SGD step."""
    return run(settings.with_changes(lr=lr))


@then("the cell prints:")
def then_cell_prints(
    request: pytest.FixtureRequest, settings: Settings, result: BackpropResult, docstring: str
) -> None:
    """Checks cell 1 printed exactly these lines (a documented number that moved fails with a table)."""
    docstring = numbers.check(request, settings.info, result, docstring)
    assert result.lines() == docstring.splitlines()


@then(parsers.parse("the loss is {value:g}"))
def then_loss(result: BackpropResult, value: float) -> None:
    """Checks the example's loss is exactly this value."""
    assert result.loss == value


@then(parsers.parse("dloss/dw is {value:g}"))
def then_grad(result: BackpropResult, value: float) -> None:
    """Checks the gradient dloss/dw is exactly this value."""
    assert result.grad == value


@then(parsers.parse("dloss/dŷ is {value:g} and dŷ/dw is {inner:g}"))
def then_chain_parts(result: BackpropResult, value: float, inner: float) -> None:
    """Checks the chain rule's two parts: dloss/dŷ (loss by prediction) and dŷ/dw (prediction by w)."""
    assert (result.dloss_dyhat, result.dyhat_dw) == (value, inner)


@then("dloss/dw is dloss/dŷ times dŷ/dw")
def then_chain_rule(result: BackpropResult) -> None:
    """Checks dloss/dw is exactly dloss/dŷ × dŷ/dw (the chain rule)."""
    assert result.grad == result.dloss_dyhat * result.dyhat_dw


@then(parsers.parse("one SGD step moves w to {value:g}"))
def then_step(result: BackpropResult, value: float) -> None:
    """Checks w after one SGD step, to 6 significant digits."""
    assert f"{result.w_after_step:.6g}" == f"{value:.6g}", result.w_after_step
