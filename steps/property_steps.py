"""Property-based steps: Hypothesis draws data, learning rates and starts; linreg must hold for all.

Every property runs seeded (derandomize=True) with a bounded number of examples and no deadline,
so CI sees the same examples every time. A failing property reports the first example that fails,
unshrunk: shrinking one of these can take Hypothesis minutes, and the example is small already.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from pytest_bdd import given as given_step
from pytest_bdd import parsers, then

from linreg import Settings, train
from linreg.cells import autograd, numpy_manual
from linreg.recover.search import recover

if TYPE_CHECKING:
    from hypothesis import strategies as st

Case = tuple[tuple[float, ...], tuple[float, ...], float, float, float]  # x, y, lr fraction, w0, b0


def _cases(min_points: int, max_points: int) -> st.SearchStrategy[Case]:
    """Data of min..max points (distinct x in [-3, 3], y in [-5, 5], two decimals), a fraction of
    the largest stable learning rate in [0.05, 0.9], and a start in [-1, 1]²."""
    from hypothesis import strategies as st  # imported when a property runs: the cells' spec starts faster

    coordinate = st.integers(-300, 300).map(lambda v: v / 100)
    target = st.integers(-500, 500).map(lambda v: v / 100)

    def with_y(xs: list[float]) -> st.SearchStrategy[Case]:
        ys = st.lists(target, min_size=len(xs), max_size=len(xs)).map(tuple)
        unit = st.integers(-100, 100).map(lambda v: v / 100)
        fraction = st.integers(5, 90).map(lambda v: v / 100)
        return st.tuples(st.just(tuple(xs)), ys, fraction, unit, unit)

    return st.lists(coordinate, min_size=min_points, max_size=max_points, unique=True).flatmap(with_y)


def _check(draws: Draws, prop: Callable[[Case], None]) -> None:
    from hypothesis import HealthCheck, Phase, given, settings

    @settings(
        max_examples=draws.examples,
        phases=(Phase.explicit, Phase.generate),  # no shrinking: a failure costs seconds, not minutes
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(_cases(draws.low, draws.high))
    def run(case: Case) -> None:
        prop(case)

    run()


def _settings(stage: str, case: Case, epochs: int, log_every: int) -> Settings:
    x, y, fraction, w0, b0 = case
    base = Settings.for_stage(stage, x=x, y=y, epochs=epochs, log_every=log_every)
    init = (w0, b0) if base.has_bias else (w0,)
    return base.with_changes(lr=fraction * base.stable_lr, init=init)


@dataclass(frozen=True)
class Draws:
    """How many examples Hypothesis draws, and how many points each data set has."""

    examples: int
    low: int
    high: int


@given_step(
    parsers.parse("{examples:d} random data sets of {low:d} to {high:d} points, starts and stable learning rates"),
    target_fixture="draws",
)
def given_draws(examples: int, low: int, high: int) -> Draws:
    """Sets how many random examples a property tries, and how many data points (low to high) each one has."""
    return Draws(examples, low, high)


@then("the numpy cell's gradients equal autograd's to float32 precision")
def then_gradients_property(draws: Draws) -> None:
    """Checks on every random example: the numpy stage's MSE gradient is autograd's, the notes' one N× it."""

    def prop(case: Case) -> None:
        s = _settings("numpy", case, 0, 1)
        w = case[3]
        reference = autograd.gradient_at(s, w)
        scale = 1e-4 * (1 + abs(reference))
        assert numpy_manual.gradient_at(s.with_changes(gradient="mse"), w) == pytest.approx(reference, abs=scale)
        notes = numpy_manual.gradient_at(s, w)
        assert notes == pytest.approx(len(s.data.x) * reference, abs=len(s.data.x) * scale)

    _check(draws, prop)


@then("the optimizer stage follows the autograd stage to float32 precision")
def then_optim_property(draws: Draws) -> None:
    """Checks on every random example: the optim stage's w and loss follow autograd's over 30 epochs."""

    def prop(case: Case) -> None:
        a = train(_settings("autograd", case, 30, 10))
        b = train(_settings("optim", case, 30, 10))
        first = a.epochs[0].loss
        for ra, rb in zip(a.epochs, b.epochs, strict=True):
            assert ra.w == pytest.approx(rb.w, rel=1e-4, abs=1e-5)
            assert ra.loss == pytest.approx(rb.loss, abs=1e-4 * first)

    _check(draws, prop)


@then("the custom Module follows nn.Linear bit for bit from the same start")
def then_module_property(draws: Draws) -> None:
    """Checks on every random example: the module stage trains exactly as the linear stage, bit for bit."""

    def prop(case: Case) -> None:
        a = train(_settings("linear", case, 30, 10))
        b = train(_settings("module", case, 30, 10))
        assert (a.before, a.epochs, a.after) == (b.before, b.epochs, b.after)

    _check(draws, prop)


@then("recover finds a start whose replay prints the same log")
def then_recover_property(draws: Draws) -> None:
    """Checks on every random example: recover finds a start that replays a linear run's log exactly."""

    def prop(case: Case) -> None:
        s = _settings("linear", case, 100, 10)
        log = train(s).lines()
        found = recover("\n".join(log), s, every_path=False)  # this process's path: 22_cpu_kernel_paths checks the rest
        assert train(s.with_changes(init=(found.w, found.b))).lines() == log

    _check(draws, prop)
