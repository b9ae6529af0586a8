"""The numeric stack the notes' digits were verified on, and how this one differs from it.

constraints.txt pins the reference stack (a test keeps the two in step). On another torch or
numpy the cells may sum float32 in another order, so a last digit may move; the spec still
fails on it, and says once, at the top of the run and under each regression, what differs.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

REFERENCE = {"torch": "2.13.0", "numpy": "2.4.6"}  # as constraints.txt pins them


def installed() -> dict[str, str]:
    """The installed version of each reference package, without a local label (2.13.0+cpu → 2.13.0)."""
    out = {}
    for name in REFERENCE:
        try:
            out[name] = version(name).split("+")[0]
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def differences() -> list[str]:
    """``torch 2.11.0 (the notes: 2.13.0)`` for each package whose version is not the reference's."""
    return [
        f"{name} {have} (the notes: {REFERENCE[name]})" for name, have in installed().items() if have != REFERENCE[name]
    ]
