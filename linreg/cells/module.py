"""Cell 6: the same model as cell 5, written as a custom nn.Module that wraps nn.Linear.

    f = lin(x) = w·x + b
Building its nn.Linear inside ``__init__`` draws the same random init as cell 5 for the same seed,
so cells 5 and 6 follow identical trajectories from the same start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from torch import nn

from linreg.cells.linear import train
from linreg.history import History

if TYPE_CHECKING:
    from linreg.settings import Settings


class LinearRegression(nn.Module):
    """The notes' custom model: one nn.Linear layer."""

    def __init__(self, input_dim: int, output_dim: int) -> None:
        super().__init__()
        self.lin = nn.Linear(input_dim, output_dim)  # define layer

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.lin(x)  # type: ignore[no-any-return]


def run(settings: Settings) -> History:
    """Replay cell 6 with ``settings``."""
    return train(settings, LinearRegression)
