"""Cell 5: the model is nn.Linear(1, 1), so it learns a bias too: f = w·x + b.

    L = mean((y − (w·x + b))²),  ∂L/∂w = 2·mean(x·(f − y)),  ∂L/∂b = 2·mean(f − y)
The cell's start came from PyTorch's unseeded random init; ``settings.init`` is the recovered
start that replays its log (``linreg recover``), ``settings.seed`` draws torch's own init instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import torch
from torch import nn

from linreg.cells.autograd import data
from linreg.cells.recorder import Recorder
from linreg.history import History

if TYPE_CHECKING:
    from linreg.settings import Settings


def build(settings: Settings, make: Callable[[int, int], nn.Module]) -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    """The model from ``make(input_size, output_size)`` with the settings' start, and X, Y of shape (N, 1)."""
    X, Y = (t.reshape(-1, 1) for t in data(settings))  # (N, 1) each, the notes' [[1],[2],[3],[4]]
    n_features = X.shape[1]
    with torch.random.fork_rng(devices=[]):  # the init's draws leave the caller's RNG as it was
        if settings.seed is not None:
            torch.manual_seed(settings.seed)  # the model's default init draws from this
        model = make(n_features, n_features)
    if settings.seed is None:
        weight, bias = model.parameters()
        with torch.no_grad():
            weight.fill_(settings.init[0])
            bias.fill_(settings.init[1])
    return model.to(X.device), X, Y


def train(settings: Settings, make: Callable[[int, int], nn.Module]) -> History:
    """The training loop of cells 5 and 6, for the model ``make`` builds."""
    model, X, Y = build(settings, make)
    X_test = torch.tensor([settings.test_x], dtype=torch.float32, device=X.device)  # (1,)
    n_samples, n_features = X.shape
    w, b = model.parameters()  # (1, 1), (1,)
    start = (w[0][0].item(), b[0].item())
    history = History(settings, before=model(X_test).item(), shape=(n_samples, n_features), start=start)
    record = Recorder(history, model.parameters())

    loss = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=settings.lr)
    for epoch in range(settings.epochs):
        y_pred = model(X)  # forward pass, (N, 1)
        l = loss(Y, y_pred)  # loss, scalar
        l.backward()  # backward pass: gradients of w and b
        optimizer.step()  # update weights
        optimizer.zero_grad()  # clear the gradients for the next epoch
        record(epoch + 1, w, l, b)  # kept on the device; fetched on printed epochs

    record.flush()
    history.finish(model(X_test).item())
    return history


def run(settings: Settings) -> History:
    """Replay cell 5 with ``settings``."""
    return train(settings, nn.Linear)
