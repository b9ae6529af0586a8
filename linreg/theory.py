"""What the mathematics predicts for gradient descent on MSE, computed in float64.

Model f = w·x (+ b). Loss L = mean((f − y)²) is quadratic; its Hessian is constant:
    w only:  H = 2·mean(x²)                      (the notes' numpy gradient acts as N·H)
    w and b: H = 2·[[mean(x²), mean(x)], [mean(x), 1]]
GD with learning rate η maps the error v = θ − θ* to (I − η·H)·v, so it converges exactly
when η < 2/λmax(H): the largest stable learning rate.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


def hessian(x: Sequence[float], *, has_bias: bool, notes_gradient: bool = False) -> npt.NDArray[np.float64]:
    """The loss's Hessian in (w) or (w, b); N times it for the notes' numpy gradient."""
    xs = np.asarray(x, dtype=np.float64)
    if has_bias:
        h = 2.0 * np.array([[np.mean(xs * xs), np.mean(xs)], [np.mean(xs), 1.0]])
    else:
        h = np.array([[2.0 * np.mean(xs * xs)]])
    return h * len(xs) if notes_gradient else h


def largest_stable_lr(x: Sequence[float], *, has_bias: bool, notes_gradient: bool = False) -> float:
    """2/λmax(H): GD converges for every learning rate below it and diverges above it."""
    lam = float(np.linalg.eigvalsh(hessian(x, has_bias=has_bias, notes_gradient=notes_gradient)).max())
    return 2.0 / lam if lam > 0 else float("inf")


def contraction_factors(x: Sequence[float], lr: float, *, has_bias: bool, notes_gradient: bool = False) -> list[float]:
    """Eigenvalues of I − η·H, largest first: per epoch, the error along each direction is multiplied by one."""
    h = hessian(x, has_bias=has_bias, notes_gradient=notes_gradient)
    return sorted((1.0 - lr * np.linalg.eigvalsh(h)).tolist(), reverse=True)
