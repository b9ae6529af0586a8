"""Steps that only make sense in linreg's checkout: the wheel built from it, CPU kernel paths, the living doc."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout: its features/, report/ and pyproject.toml
