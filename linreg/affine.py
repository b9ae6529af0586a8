"""The printed numbers as a float64 function of the start θ₀ = (w₀, b₀), for ``recover``.

GD on MSE is affine in θ = (w, b):  θ_{k+1} = M·θ_k + c  with  M = I − η·H,  c = η·2·[mean(xy), mean(y)]
(H as in ``theory``). So every printed w and prediction is linear in θ₀ and every printed loss
quadratic: ``model`` gives them and their gradients, ``estimate`` fits θ₀ to a log by
Gauss–Newton (each number weighted by its printed precision), ``spread`` says how sure the fit is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from linreg.data import F64
from linreg.logread import ParsedLog, printed_values

if TYPE_CHECKING:
    from linreg.settings import Settings


def _sigma(log: ParsedLog) -> F64:
    """Each printed number's weight: its printed precision plus float32's drift."""
    return np.array([q.tolerance + 1e-6 * abs(q.value) for q in printed_values(log)])


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
        th, J = M @ th + c, M @ J
        states.append((th, J))
    at_x = np.array([t, 1.0])
    values: list[float] = [float(at_x @ states[0][0])]
    rows: list[F64] = [at_x]
    for epoch, _, _ in log.epochs:
        (th0, J0), (th1, J1) = states[epoch - 1], states[epoch]
        r = x * th0[0] + th0[1] - y  # residuals before the epoch's update, (N,)
        values += [float(th1[0]), float(np.mean(r * r))]
        rows += [J1[0], np.array([2 * np.mean(r * x), 2 * np.mean(r)]) @ J0]
    values.append(float(at_x @ states[-1][0]))
    rows.append(at_x @ states[-1][1])
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
        step = np.linalg.lstsq(rows[use] / sigma[use, None], -(values - p)[use] / sigma[use], rcond=None)[0]
        theta = theta + step
        if iteration and np.all(np.abs(step) <= 1e-12 * (1 + np.abs(theta))):
            break
    return theta


def spread(theta: F64, log: ParsedLog, settings: Settings) -> float:
    """How far w₀ can move before some printed number changes: 4 standard deviations of the fit."""
    sigma = _sigma(log)
    _, rows = model(theta, log, settings)
    weighted = rows / sigma[:, None]
    cov = np.linalg.pinv(weighted.T @ weighted)
    return float(4 * np.sqrt(max(cov[0, 0], 0.0)))
