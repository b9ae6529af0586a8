"""A torch stage's per-epoch values, kept on the device and handed to the history in bulk.

Reading a number off a GPU (``.item()``) waits until all queued work is done, so a loop that
reads every epoch runs at the speed of its synchronisations. The cells read only on the epochs
they print. ``Recorder`` matches that: each epoch it copies w, loss (and b) into one (3,) or
(2,) tensor on the device, a queued kernel, and fetches what has gathered in one transfer on a
printed epoch, every ``BATCH`` epochs, and at the end. The history then sees every epoch in order,
so divergence is still reported at the epoch it happened.

It is handed the cell's parameters, as DDP is handed a model: on a worker of a data-parallel run
(its data a shard, ``linreg.data.Shard``) their gradients become the whole data's after each
backward, and the loss it logs is the whole data's. Alone, it only records.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch

from linreg.history import History


class Recorder:
    """Feeds ``history`` from a torch loop that trains ``parameters``: ``recorder(epoch, w, loss[, b])`` each
    epoch, ``flush()`` at the end."""

    BATCH = 1024  # epochs gathered on the device at most: bounds its memory, 12 bytes an epoch

    def __init__(self, history: History, parameters: Iterable[torch.Tensor]) -> None:
        self.history = history
        self.shard = history.settings.data.shard
        if self.shard is not None:
            self.shard.join(parameters)
        self.epochs: list[int] = []
        self.values: list[torch.Tensor] = []  # one (k,) tensor per epoch, on the training device

    def __call__(self, epoch: int, *values: torch.Tensor) -> None:
        """Epoch ``epoch``'s w, loss (and b), each a one-element tensor; no synchronisation unless printed."""
        if self.shard is not None:  # the loss (second of w, loss[, b]) is this worker's: log the whole data's
            values = (values[0], self.shard.loss(values[1]), *values[2:])
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
