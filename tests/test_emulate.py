"""The emulation's fused multiply-add rounds once, as a CPU's does: checked against exact rational arithmetic.

``emulate.fma`` rounds a·b + c (float32 a, b, c) to float32 through float64; done naively, float64
rounds the sum first and the two roundings can differ from one, about once in 2²⁹ triples. Here a
triple made to hit that case, and random ones, against the exact sum rounded to nearest, ties to even.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from linreg.recover import emulate


def _rounded(exact: Fraction) -> np.float32:
    """``exact`` rounded to the nearest float32, ties to even."""
    near = np.float32(float(exact))  # within one step of the answer
    steps = [np.nextafter(near, np.float32(-np.inf)), near, np.nextafter(near, np.float32(np.inf))]
    best: np.float32 = min(steps, key=lambda v: (abs(Fraction(float(v)) - exact), int(np.array(v).view(np.int32)) & 1))
    return best


def _fma(a: float, b: float, c: float) -> np.float32:
    return np.float32(emulate.fma(np.array([a], np.float32), np.float32(b), np.array([c], np.float32))[0])


def test_a_sum_that_float64_rounds_to_a_midpoint_is_rounded_once() -> None:
    a, b, c = 8 * (1 + 2**-23), 8 * (1 - 2**-23), 2**30 + 128  # a·b + c = 2³⁰ + 192 − 2⁻⁴⁰, just below a midpoint
    assert np.float32(np.float64(a) * b + c) == 2**30 + 256  # rounded twice: to the midpoint, then to even
    assert _fma(a, b, c) == 2**30 + 128


def test_random_triples_are_rounded_once() -> None:
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal(3000).astype(np.float32) for _ in range(2))
    c = (rng.standard_normal(3000) * 2.0 ** rng.integers(-30, 30, 3000)).astype(np.float32)
    for x, y, z in zip(a, b, c, strict=True):
        assert _fma(x, y, z) == _rounded(Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z))), (x, y, z)
