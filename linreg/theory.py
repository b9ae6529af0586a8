"""What the mathematics predicts for gradient descent on MSE, computed in float64.

Model f = w·x (+ b). Loss L = mean((f − y)²) is quadratic; its Hessian is constant:
    w only:  H = 2·mean(x²)                      (the notes' numpy gradient acts as N·H)
    w and b: H = 2·[[mean(x²), mean(x)], [mean(x), 1]]
GD with learning rate η maps the error v = θ − θ* to (I − η·H)·v, so it converges exactly
when η < 2/λmax(H): the largest stable learning rate. θ* is the least-squares solution.
Closed form: θ_k − θ* = (I − η·H)ᵏ·(θ₀ − θ*); for w alone w_k − w* = (1 − η·g)ᵏ·(w₀ − w*).
Gradient: ∂L/∂w = 2·mean(x·r), ∂L/∂b = 2·mean(r) with r = f − y; the notes' numpy code gives N times it.
These are the independent oracles the specification checks every stage against.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from linreg.history import History

Floats = Sequence[float] | npt.NDArray[np.float64]


def hessian_of(
    n: float, mean_x: float, mean_xx: float, *, has_bias: bool, notes_gradient: bool = False
) -> npt.NDArray[np.float64]:
    """The loss's Hessian in (w) or (w, b) from n, mean(x) and mean(x²); N times it for the notes' gradient."""
    h = 2.0 * np.array([[mean_xx, mean_x], [mean_x, 1.0]]) if has_bias else np.array([[2.0 * mean_xx]])
    return h * n if notes_gradient else h


def hessian(x: Floats, *, has_bias: bool, notes_gradient: bool = False) -> npt.NDArray[np.float64]:
    """The loss's Hessian in (w) or (w, b) on inputs ``x``."""
    xs = np.asarray(x, dtype=np.float64)
    return hessian_of(
        len(xs), float(np.mean(xs)), float(np.mean(xs * xs)), has_bias=has_bias, notes_gradient=notes_gradient
    )


def stable_lr_of(n: float, mean_x: float, mean_xx: float, *, has_bias: bool, notes_gradient: bool = False) -> float:
    """2/λmax(H) from n, mean(x) and mean(x²): GD converges below it and diverges above it."""
    h = hessian_of(n, mean_x, mean_xx, has_bias=has_bias, notes_gradient=notes_gradient)
    lam = float(np.linalg.eigvalsh(h).max())
    return 2.0 / lam if lam > 0 else float("inf")


def largest_stable_lr(x: Floats, *, has_bias: bool, notes_gradient: bool = False) -> float:
    """2/λmax(H) on inputs ``x``: GD converges for every learning rate below it and diverges above it."""
    xs = np.asarray(x, dtype=np.float64)
    return stable_lr_of(
        len(xs), float(np.mean(xs)), float(np.mean(xs * xs)), has_bias=has_bias, notes_gradient=notes_gradient
    )


def contraction_factors(x: Floats, lr: float, *, has_bias: bool, notes_gradient: bool = False) -> list[float]:
    """Eigenvalues of I − η·H, largest first: per epoch, the error along each direction is multiplied by one."""
    h = hessian(x, has_bias=has_bias, notes_gradient=notes_gradient)
    return sorted((1.0 - lr * np.linalg.eigvalsh(h)).tolist(), reverse=True)


def optimum(x: Floats, y: Floats, *, has_bias: bool) -> npt.NDArray[np.float64]:
    """θ* = argmin mean((f − y)²), from np.linalg.lstsq: the limit every stage approaches."""
    xs, ys = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    design = np.stack([xs, np.ones_like(xs)], axis=1) if has_bias else xs[:, None]  # (N, 1 or 2)
    return np.asarray(np.linalg.lstsq(design, ys, rcond=None)[0], dtype=np.float64)


def loss(x: Floats, y: Floats, theta: Floats) -> float:
    """L(θ) = mean((w·x + b − y)²), b = 0 when θ has only w."""
    xs, ys = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    b = theta[1] if len(theta) > 1 else 0.0
    return float(np.mean((theta[0] * xs + b - ys) ** 2))


def closed_form(
    x: Floats,
    y: Floats,
    lr: float,
    start: Sequence[float],
    epochs: int,
    *,
    notes_gradient: bool = False,
) -> list[tuple[npt.NDArray[np.float64], float]]:
    """(θ_k, L(θ_{k−1})) for k = 1..epochs, from θ_k − θ* = Q·diag(μᵢᵏ)·Qᵀ·(θ₀ − θ*) with I − η·H = Q·diag(μ)·Qᵀ.

    For w alone this is w_k − w* = (1 − η·g)ᵏ·(w₀ − w*), g = 2·mean(x²) (N·g for the notes' gradient).
    """
    has_bias = len(start) == 2
    star = optimum(x, y, has_bias=has_bias)
    mu, q = np.linalg.eigh(np.eye(len(start)) - lr * hessian(x, has_bias=has_bias, notes_gradient=notes_gradient))
    v0 = q.T @ (np.asarray(start, dtype=np.float64) - star)  # the start's error in the eigenbasis
    thetas = [star + q @ (mu**k * v0) for k in range(epochs + 1)]
    return [(thetas[k], loss(x, y, thetas[k - 1])) for k in range(1, epochs + 1)]


def epochs_to_reach(
    x: Floats,
    y: Floats,
    lr: float,
    start: Sequence[float],
    test_x: float,
    tol: float,
    *,
    notes_gradient: bool = False,
    limit: int = 100_000,
) -> int:
    """The fewest epochs after which |f(test_x) − f*(test_x)| < tol, predicted by the closed form."""
    has_bias = len(start) == 2
    star = optimum(x, y, has_bias=has_bias)
    at = np.array([test_x, 1.0]) if has_bias else np.array([test_x])
    mu, q = np.linalg.eigh(np.eye(len(start)) - lr * hessian(x, has_bias=has_bias, notes_gradient=notes_gradient))
    c = (at @ q) * (q.T @ (np.asarray(start, dtype=np.float64) - star))  # f_k − f* = Σ cᵢ·μᵢᵏ
    for k in range(limit + 1):
        if abs(float(np.sum(c * mu**k))) < tol:
            return k
    msg = f"|f({test_x:g}) − f*| stays above {tol:g} for {limit} epochs at learning rate {lr:g}: use a larger one"
    raise ValueError(msg)


def prediction_after(
    means: tuple[float, float, float, float, float],
    lr: float,
    start: Sequence[float],
    epochs: int,
    test_x: float,
    *,
    notes_gradient: bool = False,
) -> tuple[npt.NDArray[np.float64], float]:
    """θ_K and f(test_x) after K = ``epochs`` epochs from ``start``, by the closed form, from the data's
    (n, mean(x), mean(y), mean(x²), mean(xy)); θ* solves the normal equations (the least-norm one)."""
    n, mx, my, mxx, mxy = means
    has_bias = len(start) == 2
    a, c = (np.array([[mxx, mx], [mx, 1.0]]), np.array([mxy, my])) if has_bias else (np.array([[mxx]]), np.array([mxy]))
    star = np.linalg.lstsq(a, c, rcond=None)[0]
    h = hessian_of(n, mx, mxx, has_bias=has_bias, notes_gradient=notes_gradient)
    mu, q = np.linalg.eigh(np.eye(len(start)) - lr * h)
    with np.errstate(over="ignore", invalid="ignore"):  # an unstable rate's θ_K may be inf: the caller's to judge
        theta = star + q @ (mu**epochs * (q.T @ (np.asarray(start, dtype=np.float64) - star)))
        value = float(theta[0] * test_x + (theta[1] if has_bias else 0.0))
    return theta, value


def deviation_from_closed_form(history: History) -> tuple[float, float]:
    """Largest gaps between a run and its closed form, each relative to its scale: (parameters, loss).

    Parameters are scaled by max(1, |θ₀|, |θ*|), the loss by the first epoch's loss: a float32 run
    sits within a few units of 1e-7 of its closed form on these scales.
    """
    s = history.settings
    form = closed_form(s.data.x, s.data.y, s.lr, history.start, len(history.epochs), notes_gradient=s.notes_gradient)
    star = optimum(s.data.x, s.data.y, has_bias=len(history.start) == 2)
    scale = max(1.0, *np.abs(history.start), *np.abs(star))
    first_loss = form[0][1] if form else 1.0
    gap_theta = gap_loss = 0.0
    for record, (theta, expected_loss) in zip(history.epochs, form, strict=True):
        got = [record.w] if record.b is None else [record.w, record.b]
        gap_theta = max(gap_theta, float(np.max(np.abs(np.asarray(got) - theta))) / scale)
        gap_loss = max(gap_loss, abs(record.loss - expected_loss) / first_loss)
    return gap_theta, gap_loss


@dataclass(frozen=True)
class GradientCheck:
    """∂L/∂θ at one point, four ways, in float64."""

    mse: npt.NDArray[np.float64]  # the formula: 2·mean(x·r) (and 2·mean(r)), r = f − y
    notes: npt.NDArray[np.float64]  # the numpy cell's np.dot(2x, r).mean(): N × the formula
    autograd: npt.NDArray[np.float64]  # torch.autograd on float64 tensors
    central: npt.NDArray[np.float64]  # (L(θ + ε) − L(θ − ε)) / 2ε, ε = 1e-6
    gradcheck: bool  # torch.autograd.gradcheck with its defaults (eps 1e-6, atol 1e-5, rtol 1e-3)


def check_gradients(x: Floats, y: Floats, theta: Sequence[float], eps: float = 1e-6) -> GradientCheck:
    """The MSE gradient at θ by formula, by the notes' code, by autograd and by central differences."""
    import torch

    xs, ys, th = (np.asarray(v, dtype=np.float64) for v in (x, y, theta))
    b = th[1] if th.size > 1 else 0.0
    r = th[0] * xs + b - ys  # residuals, (N,)
    mse = np.array([2 * np.mean(xs * r), 2 * np.mean(r)][: th.size])
    notes = np.array([np.dot(2 * xs, r).mean(), np.dot(2 * np.ones_like(xs), r).mean()][: th.size])
    central = np.array([(loss(xs, ys, th + e) - loss(xs, ys, th - e)) / (2 * eps) for e in np.eye(th.size) * eps])
    xt, yt = torch.tensor(xs), torch.tensor(ys)  # float64, (N,)

    def torch_loss(params: torch.Tensor) -> torch.Tensor:
        bias = params[1] if params.numel() > 1 else 0.0
        return ((params[0] * xt + bias - yt) ** 2).mean()

    params = torch.tensor(th, requires_grad=True)  # float64, (1,) or (2,)
    (auto,) = torch.autograd.grad(torch_loss(params), params)
    passed = bool(torch.autograd.gradcheck(torch_loss, (params,), eps=eps, atol=1e-5, rtol=1e-3))
    return GradientCheck(mse, notes, auto.numpy(), central, passed)


def optimal_prediction(x: Floats, y: Floats, test_x: float, *, has_bias: bool) -> float:
    """f*(test_x): the least-squares model's prediction."""
    star = optimum(x, y, has_bias=has_bias)
    return float(star[0] * test_x + (star[1] if has_bias else 0.0))


def chain_rule_parts(x: float, y: float, w: float) -> tuple[float, float]:
    """(dloss/dŷ, dŷ/dw) = (2·(x·w − y), x) for loss = (x·w − y)²."""
    return 2.0 * (x * w - y), x
