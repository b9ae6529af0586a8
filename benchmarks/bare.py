"""The notes' own training loops (cells 3-6), bare, on a data file: what `linreg run` is timed against.

    python -m benchmarks.bare STAGE FILE [--epochs 100] [--device cpu] [--init W[,B]]

Each loads the file with np.load, as a user would, then runs the cell's loop as the notes write
it (cell 3: autograd by hand; cell 4: nn.MSELoss and optim.SGD; cell 5: nn.Linear; cell 6: a
custom nn.Module), on ``--device``, printing what the cell prints. ``--init`` replaces the nn
cells' random init, so the output can be compared with `linreg run STAGE --init …` line for line.
"""

# ruff: noqa: E741  (the notes name the loss l)
from __future__ import annotations

import argparse

import numpy as np
import torch
from torch import nn

LOG_EVERY = {"autograd": 10, "optim": 2, "linear": 10, "module": 10}


class LinearRegression(nn.Module):
    """Cell 6's model."""

    def __init__(self, input_dim: int, output_dim: int) -> None:
        super().__init__()
        self.lin = nn.Linear(input_dim, output_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.lin(x)  # type: ignore[no-any-return]


def w_only(stage: str, X: torch.Tensor, Y: torch.Tensor, epochs: int, init: float, every: int) -> None:
    """Cells 3 and 4: f = w·x on X, Y of shape (N,)."""
    w = torch.tensor(init, dtype=torch.float32, requires_grad=True, device=X.device)
    print(f"Prediction before training: f(5)= {(w * 5.0).item():.3f}")
    loss = nn.MSELoss()
    optimizer = torch.optim.SGD([w], lr=0.01)
    for epoch in range(epochs):
        y_pred = w * X
        if stage == "autograd":
            l = ((y_pred - Y) ** 2).mean()
            l.backward()  # type: ignore[no-untyped-call]
            with torch.no_grad():
                w -= 0.01 * w.grad  # type: ignore[operator]
            w.grad.zero_()  # type: ignore[union-attr]
        else:
            l = loss(Y, y_pred)
            l.backward()
            optimizer.step()
            optimizer.zero_grad()
        if epoch % every == 0:
            print(f"epoch {epoch + 1}: w = {w.item():.3f}, loss = {l.item():.8f}")
    print(f"Prediction after training: f(5)= {(w * 5.0).item():.3f}")


def nn_cell(stage: str, X: torch.Tensor, Y: torch.Tensor, epochs: int, init: list[float], every: int) -> None:
    """Cells 5 and 6: nn.Linear (or the custom module) on X, Y of shape (N, 1)."""
    n_samples, n_features = X.shape
    print(n_samples, n_features)
    model: nn.Module = nn.Linear(1, 1) if stage == "linear" else LinearRegression(1, 1)
    if init:
        with torch.no_grad():
            weight, bias = model.parameters()
            weight.fill_(init[0])
            bias.fill_(init[1])
    model = model.to(X.device)
    X_test = torch.tensor([5], dtype=torch.float32, device=X.device)
    print(f"Prediction before training: f(5)= {model(X_test).item():.3f}")
    loss = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(epochs):
        y_pred = model(X)
        l = loss(Y, y_pred)
        l.backward()
        optimizer.step()
        optimizer.zero_grad()
        if epoch % every == 0:
            [w, _b] = model.parameters()
            print(f"epoch {epoch + 1}: w = {w[0][0].item():.3f}, loss = {l.item():.8f}")
    print(f"Prediction after training: f(5)= {model(X_test).item():.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=sorted(LOG_EVERY))
    parser.add_argument("file")
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--init", default="")
    args = parser.parse_args()
    init = [float(v) for v in args.init.split(",") if v]
    points = np.load(args.file)  # (N, 2) float64
    device = torch.device(args.device)
    every = LOG_EVERY[args.stage]
    if args.stage in ("autograd", "optim"):
        X = torch.tensor(points[:, 0], dtype=torch.float32, device=device)  # (N,)
        Y = torch.tensor(points[:, 1], dtype=torch.float32, device=device)  # (N,)
        w_only(args.stage, X, Y, args.epochs, init[0] if init else 0.0, every)
    else:
        X = torch.tensor(points[:, :1], dtype=torch.float32, device=device)  # (N, 1)
        Y = torch.tensor(points[:, 1:], dtype=torch.float32, device=device)  # (N, 1)
        nn_cell(args.stage, X, Y, args.epochs, init, every)


if __name__ == "__main__":
    main()
