"""A torch stage's per-epoch values, kept on the device and handed to the history in bulk.

Reading a number off a GPU (``.item()``) waits until all queued work is done, so a loop that
reads every epoch runs at the speed of its synchronisations. The cells read only on the epochs
they print. ``Recorder`` matches that: each epoch it copies w, loss (and b) into one (3,) or
(2,) tensor on the device, a queued kernel, and fetches what has gathered in one transfer on a
printed epoch, every ``BATCH`` epochs, and at the end. The history then sees every epoch in order,
so divergence is still reported at the epoch it happened.
"""

from __future__ import annotations

import torch

from linreg.history import History


class Recorder:
    """Feeds ``history`` from a torch loop: ``recorder(epoch, w, loss[, b])`` each epoch, ``flush()`` at the end."""

    BATCH = 1024  # epochs gathered on the device at most: bounds its memory, 12 bytes an epoch

    def __init__(self, history: History) -> None:
        self.history = history
        self.epochs: list[int] = []
        self.values: list[torch.Tensor] = []  # one (k,) tensor per epoch, on the training device

    def __call__(self, epoch: int, *values: torch.Tensor) -> None:
        """Epoch ``epoch``'s w, loss (and b), each a one-element tensor; no synchronisation unless printed."""
        self.epochs.append(epoch)
        self.values.append(torch.stack([v.detach().reshape(()) for v in values]))  # (k,): a copy, on the device
        if self.history.is_logged(epoch) or len(self.epochs) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        """Hand every gathered epoch to the history: one device-to-host transfer."""
        if not self.epochs:
            return
        rows = torch.stack(self.values).tolist()  # (E, k) → Python floats, exactly as .item() gives them
        epochs, self.epochs, self.values = self.epochs, [], []
        for epoch, row in zip(epochs, rows, strict=True):
            self.history.record(epoch, *row)
