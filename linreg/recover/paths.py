"""CPU kernel paths as data: which MKL branch and ATen capability a path is, what a replay on it printed,
and why one did not run here (``Skip``: what ran instead, or how its child failed).

A group of paths is named in one notation (``describe``: ``MKL_CBWR=A, B each with
ATEN_CPU_CAPABILITY=x``), as a path is by ``str``. ``linreg.recover.kernels`` replays runs on them;
``linreg.recover.wording`` says the rest in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

MKL_BRANCHES = ("COMPATIBLE", "SSE4_2", "AVX2", "AVX512")  # MKL_CBWR: MKL's reproducibility branches
ATEN_CAPABILITIES = ("default", "avx2", "avx512")  # ATEN_CPU_CAPABILITY: ATen's x86 kernel sets
THREADS = (1, 2)  # torch thread counts every replay runs with

Lines = list[str]


@dataclass(frozen=True, order=True)
class KernelPath:
    """One MKL branch with one ATen capability."""

    mkl: str
    aten: str

    def __str__(self) -> str:
        return f"MKL_CBWR={self.mkl} ATEN_CPU_CAPABILITY={self.aten}"


def every_path() -> list[KernelPath]:
    """Every combination of an MKL branch and an ATen capability, whether this CPU has it or not."""
    return [KernelPath(mkl, aten) for mkl in MKL_BRANCHES for aten in ATEN_CAPABILITIES]


def describe(paths: Sequence[KernelPath]) -> str:
    """``MKL_CBWR=SSE4_2, AVX2 each with ATEN_CPU_CAPABILITY=default, avx2``: paths grouped by their ATen sets."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for mkl in MKL_BRANCHES:
        atens = tuple(p.aten for p in paths if p.mkl == mkl)
        if atens:
            groups.setdefault(atens, []).append(mkl)
    return "; ".join(
        f"MKL_CBWR={', '.join(mkls)} {'each ' if len(mkls) > 1 else ''}with ATEN_CPU_CAPABILITY={', '.join(atens)}"
        for atens, mkls in groups.items()
    )


@dataclass(frozen=True)
class Skip:
    """Why a kernel path did not run as asked: ``ran`` is what MKL or ATen ran instead (this CPU lacks
    the path, the same every time), or, for ``failed``, the exception its child met."""

    kind: Literal["no MKL", "MKL", "ATen", "failed"]
    ran: str = ""  # the MKL branch or ATen capability that ran instead; for "failed", 'TypeError: ...'

    @property
    def lacked(self) -> bool:
        """Whether this CPU lacks the path (asked again, it would not run either)."""
        return self.kind != "failed"


@dataclass(frozen=True)
class Replays:
    """What each kernel path printed, and the paths this CPU could not run, with the reason."""

    lines: dict[KernelPath, list[list[Lines]]]  # path → for each run, its lines on each of THREADS
    skipped: dict[KernelPath, Skip]

    @property
    def paths(self) -> list[KernelPath]:
        """The paths that ran as asked."""
        return list(self.lines)


def trajectory(before: float, epochs: Iterable[tuple[float, float, float]], after: float) -> Lines:
    """A run's every number bit for bit, one line each: f(test_x) before, each epoch's w, b and loss, after."""
    lines = [f"before: {before.hex()}"]
    lines += [f"epoch {e}: w {w.hex()}, b {b.hex()}, loss {loss.hex()}" for e, (w, b, loss) in enumerate(epochs, 1)]
    return [*lines, f"after: {after.hex()}"]
