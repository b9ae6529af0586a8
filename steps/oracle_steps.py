"""Steps that check runs against independent oracles: closed forms, the optimum, gradients, stability."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from pytest_bdd import given, parsers, then, when

from linreg import DivergedError, History, Settings, run, theory, train
from linreg.cells.backprop import BackpropResult
from linreg.validate import parse_numbers


@then(parsers.parse("every epoch agrees with its closed form within {tol:g}"))
def then_closed_form(history: History, tol: float) -> None:
    """Checks each epoch's parameters and loss match gradient descent's closed form, within this tolerance."""
    gap_theta, gap_loss = theory.deviation_from_closed_form(history)
    assert gap_theta <= tol, f"parameters off by {gap_theta:.3g} of their scale"
    assert gap_loss <= tol, f"loss off by {gap_loss:.3g} of the first loss"


@then(
    parsers.parse("in float64 the closed form's {name} after epochs {first:d} to {last:d} is {values}, within {tol:g}")
)
def then_closed_form_values(settings: Settings, name: str, first: int, last: int, values: str, tol: float) -> None:
    """Checks the closed form's w or b after each of these epochs, from the run's start (e.g. "1.2, 1.68")."""
    assert name in ("w", "b"), f"the closed form gives w and b, not {name!r}"
    start = train(settings.with_changes(epochs=0)).start
    form = theory.closed_form(
        settings.data.x, settings.data.y, settings.lr, start, last, notes_gradient=settings.notes_gradient
    )
    got = [float(theta["wb".index(name)]) for theta, _ in form[first - 1 :]]
    expected = parse_numbers(values, name)
    assert len(expected) == len(got), f"{len(expected)} values for epochs {first} to {last}"
    assert got == pytest.approx(expected, rel=0, abs=tol), got


@then(parsers.parse("the least-squares solution is {solution}"))
def then_optimum(settings: Settings, solution: str) -> None:
    """Checks the data's least-squares solution, written like "w = 2, b = 1", to its last printed decimal."""
    texts = solution.replace("w = ", "").replace("b = ", "").split(",")
    expected = parse_numbers(",".join(texts), "solution")
    got = theory.optimum(settings.data.x, settings.data.y, has_bias=settings.has_bias)
    # each value holds to its last printed decimal (integers to 1e-9)
    tolerances = [min(1e-9, 0.5 * 10.0 ** -len(t.strip().partition(".")[2])) for t in texts]
    assert len(got) == len(expected)
    for value, want, tol in zip(got, expected, tolerances, strict=True):
        assert abs(value - want) <= tol, (got, expected)


@then(parsers.parse("the least-squares model predicts f({test_x:g}) = {value:g}"))
def then_optimal_prediction(settings: Settings, test_x: float, value: float) -> None:
    """Checks what the least-squares model predicts at this x (to within 1e-9)."""
    got = theory.optimal_prediction(settings.data.x, settings.data.y, test_x, has_bias=settings.has_bias)
    assert got == pytest.approx(value, abs=1e-9), got


@then(parsers.parse("the parameters end within {tol:g} of the least-squares solution"))
def then_near_optimum(history: History, tol: float) -> None:
    """Checks the run's last w (and b) are within this distance of the least-squares solution."""
    s = history.settings
    last = history.epochs[-1]
    got = [last.w] if last.b is None else [last.w, last.b]
    assert got == pytest.approx(theory.optimum(s.data.x, s.data.y, has_bias=s.has_bias), abs=tol), got


@then(
    parsers.parse(
        "the closed form predicts {epochs:d} epochs to bring f({test_x:g}) within {tol:g} of the optimum, "
        "and running confirms it"
    )
)
def then_epochs_to_reach(settings: Settings, epochs: int, test_x: float, tol: float) -> None:
    """Checks how many epochs the closed form says f(x) needs to near the optimum's; training confirms it."""
    s = settings.with_changes(test_x=test_x)
    start = train(s.with_changes(epochs=0)).start
    predicted = theory.epochs_to_reach(s.data.x, s.data.y, s.lr, start, test_x, tol, notes_gradient=s.notes_gradient)
    assert predicted == epochs
    best = theory.optimal_prediction(s.data.x, s.data.y, test_x, has_bias=s.has_bias)
    reached = train(s.with_changes(epochs=epochs, log_every=max(epochs, 1))).after
    short = train(s.with_changes(epochs=epochs - 1, log_every=max(epochs, 1))).after
    assert reached is not None
    assert short is not None
    assert abs(reached - best) < tol <= abs(short - best), (short, reached, best)


@given(parsers.parse("a learning rate of {factor:g} times the largest stable one"), target_fixture="settings")
def given_scaled_lr(settings: Settings, factor: float) -> Settings:
    """Sets the learning rate to this multiple of the largest stable one for the data (e.g. 0.5 or 1.1)."""
    return settings.with_changes(lr=factor * settings.stable_lr)


@when("training is attempted", target_fixture="outcome")
def when_attempted(settings: Settings) -> History | DivergedError:
    """Trains the run set up so far; if it diverges, keeps the error for the next steps instead of failing."""
    try:
        return train(settings)
    except DivergedError as exc:
        return exc


@then(parsers.parse("it converges: the loss ends within {tol:g} of its minimum"))
def then_converges(outcome: History | DivergedError, tol: float) -> None:
    """Checks the attempt converged: its last loss is within this distance of the least-squares minimum."""
    assert isinstance(outcome, History), f"diverged: {outcome}"
    s = outcome.settings
    minimum = theory.loss(s.data.x, s.data.y, theory.optimum(s.data.x, s.data.y, has_bias=s.has_bias))
    assert abs(outcome.epochs[-1].loss - minimum) <= tol


@then(parsers.parse("it diverges, and the error names the largest stable learning rate {stable:g}"))
def then_diverges(outcome: History | DivergedError, stable: float) -> None:
    """Checks the attempt diverged, with an error that names this largest stable learning rate."""
    assert isinstance(outcome, DivergedError), "training did not diverge"
    assert f"the largest stable learning rate for this data is {stable:g}" in str(outcome)


@given(parsers.parse("the point {theta}"), target_fixture="theta")
def given_point(theta: str) -> tuple[float, ...]:
    """Sets the parameters at which gradients are checked, written like "w = 0.7, b = -1.2"."""
    return parse_numbers(theta.replace("w = ", "").replace("b = ", ""), "point")


@given(parsers.parse("{count:d} random points from seed {seed:d}"), target_fixture="settings")
def given_random_points(settings: Settings, count: int, seed: int) -> Settings:
    """Replaces the data with this many random points (x in [-3, 3], y in [-5, 5]) drawn from the seed."""
    rng = np.random.default_rng(seed)
    return settings.with_changes(x=tuple(rng.uniform(-3, 3, count)), y=tuple(rng.uniform(-5, 5, count)))


@then("in float64 the MSE gradient, autograd and central differences agree, and gradcheck passes")
def then_gradients_agree(settings: Settings, theta: tuple[float, ...]) -> None:
    """Checks at the point (float64): MSE gradient, autograd, central differences agree; gradcheck passes."""
    check = theory.check_gradients(settings.data.x, settings.data.y, theta)
    assert check.gradcheck
    assert check.autograd == pytest.approx(check.mse, rel=1e-12, abs=1e-12)
    assert check.central == pytest.approx(check.autograd, rel=1e-3, abs=1e-5)  # gradcheck's tolerances


@then(parsers.parse("the notes' gradient is N = {n:d} times the MSE gradient"))
def then_notes_times_n(settings: Settings, theta: tuple[float, ...], n: int) -> None:
    """Checks the data has N points and the notes' gradient at the point is N times the MSE gradient."""
    check = theory.check_gradients(settings.data.x, settings.data.y, theta)
    assert len(settings.data.x) == n
    assert check.notes == pytest.approx(n * check.mse, rel=1e-12)


@then("the chain rule's parts computed by hand agree with autograd's")
def then_parts_by_hand(settings: Settings) -> None:
    """Checks cell 1's dloss/dŷ and dŷ/dw, worked out by hand, match what the cell computed with autograd."""
    result = run(settings)
    assert isinstance(result, BackpropResult)
    outer, inner = theory.chain_rule_parts(settings.data.x[0], settings.data.y[0], settings.init[0])
    assert (result.dloss_dyhat, result.dyhat_dw) == pytest.approx((outer, inner), rel=1e-6)


def _oracle_answers(x: Any, y: Any, **gradient: bool) -> dict[str, object]:  # noqa: ANN401 (float32 arrays too)
    """Every oracle's answer on data (x, y) in a form == compares exactly; ``gradient``: notes_gradient=…, or none."""
    xs = np.asarray(x)
    start, theta = [0.5, -0.25], [0.5, -0.25]
    lr = 0.1 * theory.largest_stable_lr(xs.tolist(), has_bias=True)  # stable for the notes' N× gradient too
    answers: dict[str, object] = {}
    for has_bias in (False, True):
        answers[f"hessian {has_bias}"] = theory.hessian(x, has_bias=has_bias, **gradient).tolist()
        answers[f"largest_stable_lr {has_bias}"] = theory.largest_stable_lr(x, has_bias=has_bias, **gradient)
        answers[f"contraction_factors {has_bias}"] = theory.contraction_factors(x, lr, has_bias=has_bias, **gradient)
    form = theory.closed_form(x, y, lr, start, 5, **gradient)
    answers["closed_form"] = [(t.tolist(), loss) for t, loss in form]
    answers["epochs_to_reach"] = theory.epochs_to_reach(x, y, lr, start, 5.0, 1e-3, **gradient)
    if gradient:
        return answers
    answers["optimum"] = theory.optimum(x, y, has_bias=True).tolist()
    answers["loss"] = theory.loss(x, y, theta)
    answers["optimal_prediction"] = theory.optimal_prediction(x, y, 5.0, has_bias=True)
    check = theory.check_gradients(x, y, theta)
    answers["check_gradients"] = [v.tolist() for v in (check.mse, check.notes, check.autograd, check.central)]
    return answers


@then("every oracle answers alike for float32 arrays and for their values as Python floats")
def then_oracles_float64(settings: Settings) -> None:
    """Checks each oracle (optimum, closed form, …) answers the same for float32 arrays as for floats."""
    x32, y32 = np.asarray(settings.data.x, dtype=np.float32), np.asarray(settings.data.y, dtype=np.float32)
    as_arrays, as_floats = _oracle_answers(x32, y32), _oracle_answers(x32.tolist(), y32.tolist())
    differ = [name for name in as_floats if as_arrays[name] != as_floats[name]]
    assert differ == [], f"float32 input changes {differ}"


@then("every oracle that can take the notes' N× gradient takes the MSE's unless told otherwise")
def then_oracles_default_gradient(settings: Settings) -> None:
    """Checks the oracles take the MSE gradient by default; the notes' N× gradient changes every answer."""
    plain, mse = (
        _oracle_answers(settings.data.x, settings.data.y),
        _oracle_answers(settings.data.x, settings.data.y, notes_gradient=False),
    )
    notes = _oracle_answers(settings.data.x, settings.data.y, notes_gradient=True)
    differ = [name for name in mse if plain[name] != mse[name]]
    assert differ == [], f"the default is not the MSE gradient for {differ}"
    assert [name for name in mse if notes[name] == mse[name]] == [], "notes_gradient=True changes every answer"
