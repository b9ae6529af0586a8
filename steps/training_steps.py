"""Steps that set up a stage, train it, and check its log, predictions and convergence."""

from __future__ import annotations

import numpy as np
import pytest
from pytest_bdd import given, parsers, then, when

from linreg import History, Settings, train
from linreg.spec import numbers
from linreg.validate import parse_numbers


@given(parsers.parse('the "{stage}" stage with the notes\' settings'), target_fixture="settings")
def given_stage(stage: str) -> Settings:
    """Sets up this stage (numpy, autograd, optim, linear, module, backprop, stats) as the notes ran it."""
    return Settings.for_stage(stage)


@given(parsers.parse("the data x = {x} and y = {y}"), target_fixture="settings")
def given_data(settings: Settings, x: str, y: str) -> Settings:
    """Replaces the run's data: x and y are comma-separated numbers, as many of one as of the other."""
    return settings.with_changes(x=parse_numbers(x, "x"), y=parse_numbers(y, "y"))


@given(parsers.parse("a learning rate of {lr:g}"), target_fixture="settings")
def given_lr(settings: Settings, lr: float) -> Settings:
    """Sets the learning rate η of the run being set up."""
    return settings.with_changes(lr=lr)


@given(parsers.parse("{epochs:d} epochs, logged every {log_every:d}"), target_fixture="settings")
def given_epochs(settings: Settings, epochs: int, log_every: int) -> Settings:
    """Sets how many epochs the run trains, and every how many epochs it prints a log line."""
    return settings.with_changes(epochs=epochs, log_every=log_every)


@given(parsers.parse("the start w = {w:g}"), target_fixture="settings")
def given_start_w(settings: Settings, w: float) -> Settings:
    """Starts training from this w (for a stage whose model has no bias b)."""
    return settings.with_changes(init=(w,))


@given(parsers.parse("the start w = {w:g}, b = {b:g}"), target_fixture="settings")
def given_start_wb(settings: Settings, w: float, b: float) -> Settings:
    """Starts training from this w and b (linear, module, stats), instead of a random init."""
    return settings.with_changes(init=(w, b), seed=None)


@given(parsers.parse("torch's default init after seed {seed:d}"), target_fixture="settings")
def given_seed(settings: Settings, seed: int) -> Settings:
    """Starts from the w and b torch's default init draws after this seed (linear and module only)."""
    return settings.with_changes(seed=seed)


@given(parsers.parse('the "{gradient}" gradient'), target_fixture="settings")
def given_gradient(settings: Settings, gradient: str) -> Settings:
    """Picks the numpy stage's hand-written gradient, "notes" (the notes' N× one) or "mse"; "autograd" keeps a
    torch stage's own."""
    return settings if gradient == "autograd" else settings.with_changes(gradient=gradient)


@given(parsers.parse("the test input {test_x:g}"), target_fixture="settings")
def given_test_x(settings: Settings, test_x: float) -> Settings:
    """Sets the input x whose prediction f(x) the run prints before and after training."""
    return settings.with_changes(test_x=test_x)


@when("it is trained", target_fixture="history")
def when_trained(settings: Settings) -> History:
    """Trains the run set up so far; later steps check its log (the history)."""
    return train(settings)


@then(parsers.parse('the first line printed is "{line}"'))
def then_first_line(request: pytest.FixtureRequest, history: History, line: str) -> None:
    """Checks the run's first line is exactly this (a documented number that moved fails with a table)."""
    line = numbers.check(request, history.settings.info, history, line)
    assert history.lines()[0] == line, f"the first line printed is {history.lines()[0]!r}"


@then(parsers.parse('it prints "{line}"'))
def then_prints_line(request: pytest.FixtureRequest, history: History, line: str) -> None:
    """Checks the run printed this exact line (a documented number that moved fails with a table)."""
    line = numbers.check(request, history.settings.info, history, line)
    assert line in history.lines(), f"{line!r} not in {history.lines()}"


@then("the logged epochs are:")
def then_logged_epochs(request: pytest.FixtureRequest, history: History, datatable: list[list[str]]) -> None:
    """Checks the run's logged epochs, row for row as printed, in a table | epoch | w | loss |."""
    header = datatable[0]
    assert header == ["epoch", "w", "loss"], f"the table's header must be | epoch | w | loss |, got {header}"
    _, *rows = numbers.check(request, history.settings.info, history, datatable)
    assert [tuple(row) for row in rows] == history.log_rows()


@then("it prints:")
def then_prints(request: pytest.FixtureRequest, history: History, docstring: str) -> None:
    """Checks the run printed exactly these lines (a documented number that moved fails with a table)."""
    docstring = numbers.check(request, history.settings.info, history, docstring)
    assert history.lines() == docstring.splitlines()


@then(parsers.parse("the prediction after training is within {tol:g} of {value:g}"))
def then_after_within(history: History, tol: float, value: float) -> None:
    """Checks the prediction f(test input) after training is within this distance of the value."""
    assert history.after is not None
    assert abs(history.after - value) <= tol, f"f({history.settings.test_x:g}) = {history.after}"


@then(parsers.parse("w after epoch {epoch:d} is within {tol:g} of {value:g}"))
def then_w_within(history: History, epoch: int, tol: float, value: float) -> None:
    """Checks w after this epoch (counted from 1) is within this distance of the value."""
    w = history.epochs[epoch - 1].w
    assert abs(w - value) <= tol, f"w after epoch {epoch} = {w}"


@then(parsers.parse("the loss falls below {threshold:g} by epoch {epoch:d}"))
def then_loss_below(history: History, threshold: float, epoch: int) -> None:
    """Checks the loss at this epoch (counted from 1) is below the threshold."""
    loss = history.epochs[epoch - 1].loss
    assert loss < threshold, f"loss at epoch {epoch} = {loss}"


@then(
    parsers.parse("its plot draws the loss and w of all {epochs:d} epochs, with dots on the {printed:d} printed ones")
)
def then_plot_data(history: History, epochs: int, printed: int) -> None:
    """Checks the run's plot: loss (log scale) and w over every epoch, with a dot on each printed epoch."""
    from matplotlib import pyplot as plt

    from linreg.plot import figure, positive

    fig = figure([history])
    (ax_loss, ax_w) = fig.axes
    losses = positive(np.array([r.loss for r in history.epochs]))  # a loss of 0 is left out of the log scale
    logged = history.logged
    assert len(history.epochs) == epochs
    assert len(logged) == printed
    curve, dots = ax_loss.lines
    assert np.asarray(curve.get_xdata()).tolist() == [r.epoch for r in history.epochs]
    assert np.array_equal(curve.get_ydata(), losses, equal_nan=True)
    assert np.asarray(dots.get_xdata()).tolist() == [r.epoch for r in logged]
    assert np.array_equal(dots.get_ydata(), positive(np.array([r.loss for r in logged])), equal_nan=True)
    curve, dots = ax_w.lines
    assert np.asarray(curve.get_xdata()).tolist() == [r.epoch for r in history.epochs]
    assert np.asarray(curve.get_ydata()).tolist() == [r.w for r in history.epochs]
    assert np.asarray(dots.get_xdata()).tolist() == [r.epoch for r in logged]
    assert np.asarray(dots.get_ydata()).tolist() == [r.w for r in logged]
    assert ax_loss.get_yscale() == "log"
    plt.close(fig)


@then("its plot's axes are:")
def then_plot_axes(history: History, datatable: list[list[str]]) -> None:
    """Rows: side (left, right), x label, y label, y scale."""
    from matplotlib import pyplot as plt

    from linreg.plot import figure

    fig = figure([history])
    left, right = (ax.get_position() for ax in fig.axes)
    assert left.x1 <= right.x0, (left, right)  # side by side: loss on the left
    assert (left.y0, left.y1) == (right.y0, right.y1), (left, right)
    got = [["side", "x label", "y label", "y scale"]]
    sides = zip(("left", "right"), fig.axes, strict=True)
    got += [[side, ax.get_xlabel(), ax.get_ylabel(), ax.get_yscale()] for side, ax in sides]
    plt.close(fig)
    assert got == datatable, got


@then("its plot's dots have their curve's colour and are not joined")
def then_plot_dots(history: History) -> None:
    """Checks the plot's dots have their curve's colour, are bigger than its line, and are not joined."""
    from matplotlib import pyplot as plt

    from linreg.plot import figure

    fig = figure([history])
    for ax in fig.axes:
        curve, dots = ax.lines
        assert (curve.get_linestyle(), curve.get_marker()) == ("-", "None"), (curve.get_linestyle(), curve.get_marker())
        assert (dots.get_linestyle(), dots.get_marker()) == ("None", "o"), (dots.get_linestyle(), dots.get_marker())
        assert dots.get_markersize() > curve.get_linewidth(), "a dot is no wider than the curve it sits on"
        assert dots.get_color() == curve.get_color(), (dots.get_color(), curve.get_color())
    plt.close(fig)


@then(parsers.parse('its plot\'s legend says "{first}" and "{second}"'))
def then_plot_legend(history: History, first: str, second: str) -> None:
    """Checks the plot's legend (beside the loss) names these two entries, in this order."""
    from matplotlib import pyplot as plt

    from linreg.plot import figure

    fig = figure([history])
    legend = fig.axes[0].get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == [first, second]
    plt.close(fig)
