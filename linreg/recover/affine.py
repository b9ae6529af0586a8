"""The printed numbers as a float64 function of the start θ₀ = (w₀, b₀), for ``recover``.

GD on MSE is affine in θ = (w, b):  θ_{k+1} = M·θ_k + c  with  M = I − η·H,  c = η·2·[mean(xy), mean(y)]
(H as in ``theory``). So every printed w and prediction is linear in θ₀ and every printed loss
quadratic: ``model`` gives them and their gradients, ``estimate`` fits θ₀ to a log by
Gauss–Newton (each number weighted by its printed precision), ``spread`` says how sure the fit is.
The 2×2 algebra is written out element-wise and the least squares solved by Gram–Schmidt with exactly
rounded sums (``solve``), never by BLAS or LAPACK, whose kernels follow the CPU: the fit has the same
bits on every machine, and so has every start ``recover`` derives from it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from linreg.data import F64
from linreg.recover.logread import ParsedLog, printed_values

if TYPE_CHECKING:
    from linreg.settings import Settings


def _sigma(log: ParsedLog) -> F64:
    """Each printed number's weight: its printed precision plus float32's drift."""
    return np.array([q.tolerance + 1e-6 * abs(q.value) for q in printed_values(log)])


def _mul(M: F64, A: F64) -> F64:
    """M·A for a 2×2 ``M`` and a 2-vector or 2×2 ``A``, element-wise."""
    product: F64 = M[:, 0] * A[0] + M[:, 1] * A[1] if A.ndim == 1 else M[:, :1] * A[:1] + M[:, 1:] * A[1:]
    return product


def solve(A: F64, r: F64) -> F64:
    """The least-squares x of A·x ≈ r for ``A`` of two columns: modified Gram–Schmidt, the right-hand side
    orthogonalised as a third column (backward stable), every sum exactly rounded (``math.fsum``).
    For ``A`` of rank one, the least-squares x of least norm."""
    a, c = A[:, 0], A[:, 1]
    r11 = math.sqrt(math.fsum(a * a))
    if r11 == 0.0:
        return np.zeros(2)
    q1 = a / r11
    r12, b1 = math.fsum(q1 * c), math.fsum(q1 * r)
    c2, rest = c - r12 * q1, r - b1 * q1
    r22 = math.sqrt(math.fsum(c2 * c2))
    if r22 <= 1e-14 * r11:  # rank one: A = q1·[r11, r12]
        return b1 * np.array([r11, r12]) / (r11 * r11 + r12 * r12)
    x2 = math.fsum((c2 / r22) * rest) / r22
    return np.array([(b1 - r12 * x2) / r11, x2])


def model(theta: F64, log: ParsedLog, settings: Settings) -> tuple[F64, F64]:
    """Float64 values of every printed number for start ``theta``, and their gradients in θ₀ (rows)."""
    x = np.asarray(settings.data.x, dtype=np.float64)
    y = np.asarray(settings.data.y, dtype=np.float64)
    eta, t = settings.lr, settings.test_x
    M = np.eye(2) - eta * 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    c = eta * 2 * np.array([np.mean(x * y), np.mean(y)])
    th, J = np.asarray(theta, dtype=np.float64), np.eye(2)  # θ_k and ∂θ_k/∂θ₀ = M^k
    states = [(th, J)]
    for _ in range(settings.epochs):
        th, J = _mul(M, th) + c, _mul(M, J)
        states.append((th, J))
    at_x = np.array([t, 1.0])
    values: list[float] = [float(t * states[0][0][0] + states[0][0][1])]
    rows: list[F64] = [at_x]
    for epoch, _, _ in log.epochs:
        (th0, J0), (th1, J1) = states[epoch - 1], states[epoch]
        r = x * th0[0] + th0[1] - y  # residuals before the epoch's update, (N,)
        values += [float(th1[0]), float(np.mean(r * r))]
        rows += [J1[0], _mul(J0.T, np.array([2 * np.mean(r * x), 2 * np.mean(r)]))]
    values.append(float(t * states[-1][0][0] + states[-1][0][1]))
    rows.append(_mul(states[-1][1].T, at_x))
    return np.array(values), np.array(rows)


def estimate(log: ParsedLog, settings: Settings) -> F64:
    """Float64 Gauss–Newton fit of θ₀ = (w₀, b₀) to every printed number."""
    printed = printed_values(log)
    p = np.array([q.value for q in printed])
    sigma = _sigma(log)
    linear = np.array([i == 0 or i == len(printed) - 1 or i % 2 == 1 for i in range(len(printed))])
    theta = np.zeros(2)
    for iteration in range(60):
        use = linear if iteration == 0 else np.ones_like(linear)  # first the numbers linear in θ₀
        values, rows = model(theta, log, settings)
        step = solve(rows[use] / sigma[use, None], -(values - p)[use] / sigma[use])
        theta = theta + step
        if iteration and np.all(np.abs(step) <= 1e-12 * (1 + np.abs(theta))):
            break
    return theta


def spread(theta: F64, log: ParsedLog, settings: Settings) -> float:
    """How far w₀ can move before some printed number changes: 4 standard deviations of the fit."""
    sigma = _sigma(log)
    _, rows = model(theta, log, settings)
    a, c = (rows / sigma[:, None]).T
    aa, ac, cc = math.fsum(a * a), math.fsum(a * c), math.fsum(c * c)
    det = aa * cc - ac * ac  # the covariance is the inverse of [[aa, ac], [ac, cc]] (its pseudo-inverse if singular)
    var = cc / det if det > 0 else aa / (aa + cc) ** 2 if aa + cc > 0 else 0.0
    return float(4 * math.sqrt(max(var, 0.0)))
