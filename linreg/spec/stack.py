"""The numeric stack the notes' digits were verified on, how this one differs from it, and what chose them.

constraints.txt pins the reference stack (a test keeps the two in step). On another torch or
numpy the cells may sum float32 in another order, so a last digit may move; the spec still
fails on it, and says once, at the top of the run and under each regression, what differs.
The living doc's header names the whole stack: Python, torch, numpy, the CPU and its kernel path;
``environment()`` is what ``--linreg-report`` records of a run: versions, CPU and kernel paths.
"""

from __future__ import annotations

import os
import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

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


def _cpu_model() -> str:
    """The CPU's model name (Linux's /proc/cpuinfo), or the machine's architecture where none is told."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def kernel_path() -> str:
    """The CPU kernels torch takes here: ATen's capability (where torch is loaded) and MKL's branch setting."""
    torch = sys.modules.get("torch")
    aten = torch.backends.cpu.get_cpu_capability() if torch is not None else "not loaded"
    return f"ATen {aten}, MKL_CBWR={os.environ.get('MKL_CBWR', 'unset')}"


def runtime() -> str:
    """Python's version and the reference packages': ``3.11.7, torch 2.13.0, numpy 2.4.6``."""
    return ", ".join([platform.python_version(), *(f"{name} {have}" for name, have in installed().items())])


def machine() -> str:
    """The OS release, the CPU and its kernel path, as the living doc's header names them."""
    return f"{platform.release()}, {_cpu_model()} ({platform.machine()}), kernels: {kernel_path()}"


def environment() -> dict[str, str]:
    """What chose the digits of a run in this process: the versions, the CPU, torch's threads, the two
    switches of the CPU kernel paths (MKL_CBWR, ATEN_CPU_CAPABILITY) and the ATen capability that ran."""
    out = {**installed(), "python": platform.python_version(), "cpu": _cpu_model()}
    out |= {name: os.environ.get(name, "unset") for name in ("MKL_CBWR", "ATEN_CPU_CAPABILITY")}
    try:
        import torch
    except ImportError:
        return out
    out["torch threads"] = str(torch.get_num_threads())
    out["ATen capability that ran"] = torch.backends.cpu.get_cpu_capability()
    out["MKL"] = "used" if torch.backends.mkl.is_available() else "not in this torch"  # type: ignore[no-untyped-call]
    return out
