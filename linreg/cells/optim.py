"""Cell 4: the loss from nn.MSELoss and the update from optim.SGD; prediction still by hand.

    ŷ = w·x,  L = MSELoss(y, ŷ) = mean((y − ŷ)²),  optimizer.step(): w ← w − η·w.grad
The notes' three-step pipeline: design the model, construct loss and optimizer, then loop
forward → loss → backward → step → zero_grad. The notes' output stops mid-line at epoch 49;
the replay prints it whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from torch import nn

from linreg.cells.autograd import data
from linreg.cells.recorder import Recorder
from linreg.history import History

if TYPE_CHECKING:
    from linreg.settings import Settings


def run(settings: Settings) -> History:
    """Replay cell 4 with ``settings``."""
    X, Y = data(settings)  # (N,), (N,)
    w = torch.tensor(settings.init[0], requires_grad=True, device=X.device)  # scalar, float32

    def forward(x: torch.Tensor | float) -> torch.Tensor:
        return w * x

    history = History(settings, before=forward(settings.test_x).item(), start=(w.item(),))
    record = Recorder(history, [w])
    loss = nn.MSELoss()
    optimizer = torch.optim.SGD([w], lr=settings.lr)
    for epoch in range(settings.epochs):
        y_pred = forward(X)  # forward pass, (N,)
        l = loss(Y, y_pred)  # loss, scalar (the notes pass target and prediction swapped; MSE is symmetric)
        l.backward()  # backward pass
        optimizer.step()  # update weights
        optimizer.zero_grad()  # clear w.grad for the next epoch
        record(epoch + 1, w, l)  # kept on the device; fetched on printed epochs

    record.flush()
    history.finish(forward(settings.test_x).item())
    return history
