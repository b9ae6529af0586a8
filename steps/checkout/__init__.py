"""Steps that only make sense in linreg's checkout: the wheel built from it, CPU kernel paths, the living doc."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout: its features/, report/ and pyproject.toml


def spec_feature(name: str) -> Path:
    """The feature file of this checkout's spec named ``name``, in whichever part of features/ it stands."""
    found = sorted((ROOT / "features").rglob(name))
    assert len(found) == 1, f"features/ holds {len(found)} files named {name!r}: {found}"
    return found[0]


def cell_feature(cell: int) -> Path:
    """The feature file of cell ``cell`` of the notes: the one whose feature is named "Cell N — …"."""
    from linreg.spec.traceability import cell_features

    (found,) = cell_features(ROOT / "features")[cell]
    return found
