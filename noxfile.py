"""The notes on other torch and numpy releases: ``nox`` (docs/torch-versions.md).

Each session installs one torch release from PyPI (a full build: a few GB with its CUDA
libraries; the cells run on the CPU all the same), or one numpy release, beside the rest of the
reference stack, runs the six cells' features, and writes every documented number it checked to
artifacts/PACKAGE-VERSION.json. ``python -m linreg.spec.compare artifacts/*.json`` tables them.
A documented digit that moves fails its scenario, so a session ends in failures where digits move.
"""

from __future__ import annotations

from pathlib import Path

import nox

OTHER_TORCH = ["2.3.1", "2.4.1", "2.11.0", "2.14.1", "2.15.0"]  # older and newer than the reference, 2.13.0
OTHER_NUMPY = ["2.0.2", "2.2.6"]  # older than the reference, 2.4.6 (NumPy 2: NEP 50 promotion)
CELLS = [str(p) for p in sorted(Path("features", "1_notes").glob("*.feature"))]

nox.options.sessions = ["notes_on_torch", "notes_on_numpy"]


def _cells(session: nox.Session, package: str, version: str) -> None:
    """Install ``package==version`` beside the rest of the reference stack, then run the cells' features."""
    pins = [line for line in Path("constraints.txt").read_text().splitlines() if not line.startswith(f"{package}==")]
    constraints = Path(session.create_tmp()) / "constraints.txt"
    constraints.write_text("\n".join(pins) + "\n")
    session.install(f"{package}=={version}", "-c", str(constraints), "-e", ".[spec]")
    Path("artifacts").mkdir(exist_ok=True)
    report = f"--linreg-report=artifacts/{package}-{version}.json"
    session.run("pytest", "-q", "--tb=line", "-p", "no:randomly", *CELLS, report, success_codes=[0, 1])


@nox.session(python="3.11")
@nox.parametrize("torch", OTHER_TORCH)
def notes_on_torch(session: nox.Session, torch: str) -> None:
    _cells(session, "torch", torch)


@nox.session(python="3.11")
@nox.parametrize("numpy", OTHER_NUMPY)
def notes_on_numpy(session: nox.Session, numpy: str) -> None:
    _cells(session, "numpy", numpy)
