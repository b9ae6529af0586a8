"""The house's structure, as promises: no import circle, no torch on `import linreg`, one registry of stages,
rooms whose imports point down (cli → stages → cells → history/logfmt), the CLI imported by __main__ alone.

``python tests/test_structure.py`` prints the import graph's measures: module sizes, floors, edges and
the edges that point up the layers (``LAYERS``), with the annotations among them.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from linreg.stages import STAGES

PACKAGE = Path(__file__).resolve().parent.parent / "linreg"
LIBRARY = sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] != "spec")  # spec: the plugin


def _name(path: Path) -> str:
    """``path``'s module below linreg, dotted: ``stages``, ``cells.optim``, ``recover`` (a room's __init__)."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts) or "__init__"


REGISTERED = re.compile(r"linreg\.([\w.]+):\w+")  # the stage registry's "module:function"


def _imports(path: Path, typing: bool = False) -> set[str]:
    """The linreg modules ``path`` imports, at the top or inside functions, or names as a stage's code;
    with ``typing``, also those it imports for type checking only."""
    found: set[str] = set()
    names = {_name(p) for p in LIBRARY} | {"spec"}

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test) and not typing:
                continue
            strings = (n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str))
            found.update(match[1] for text in strings if (match := REGISTERED.fullmatch(text)))
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "linreg":
                base = node.module.split(".", 1)[1] if "." in node.module else ""
                for alias in node.names:
                    dotted = f"{base}.{alias.name}" if base else alias.name
                    found.add(dotted if dotted in names else base)
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    visit(inner)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return {n.split(".")[0] if n.startswith("spec") else n for n in found} - {_name(path), ""}


def test_no_module_imports_itself_back() -> None:
    graph = {_name(p): _imports(p) for p in LIBRARY}
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            module = todo.pop()
            assert module != start, f"linreg.{start} is imported back by a module it imports"
            if module not in seen:
                seen.add(module)
                todo += graph.get(module, set())


def test_importing_linreg_imports_no_torch() -> None:
    heavy = "('torch', 'matplotlib')"
    code = f"import sys, linreg, linreg.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout


def test_no_stage_is_named_in_a_comparison_outside_the_registry() -> None:
    names = "|".join(STAGES)
    compare = re.compile(rf"""(==|!=|\bin\b|\bis\b)\s*\(?["']({names})["']|["']({names})["']\s*(==|!=)""")
    for path in LIBRARY:
        if path.name != "stages.py":
            hits = [line for line in path.read_text(encoding="utf-8").splitlines() if compare.search(line)]
            assert hits == [], f"{path.name} compares stage names: {hits}"


def test_the_library_never_imports_its_spec() -> None:
    """linreg/spec (the pytest plugin) uses the library; the library works without pytest installed."""
    users = sorted(_name(p) for p in LIBRARY if "spec" in _imports(p))
    assert users == [], f"these modules import linreg.spec: {users}"


# The layers, bottom up: a module may import its own layer's and those below (``_upward`` lists the rest).
LAYERS = (
    (
        "errors",
        "logfmt",
        "trace",
        "watch",
        "determinism",
        "theory",
        "files",
        "data",
        "validate",
        "history",
        "atomic",
        "sums",
    ),
    ("cells", "scale.stats", "scale.placement", "scale.interrupts"),  # a room's name stands for its modules
    ("settings", "stages"),
    ("recover", "scale.parallel", "scale.local", "scale.launch", "plot"),
    ("cli", "__main__", "__init__"),
)


def _layer(module: str) -> int:
    for number, members in enumerate(LAYERS):
        if module in members or module.split(".")[0] in members:
            return number
    msg = f"linreg.{module} is in no layer of LAYERS: add it where it belongs"
    raise AssertionError(msg)


def _upward(typing: bool) -> list[tuple[str, str]]:
    """Every import (with ``typing``: annotations too) from a module to one in a layer above it."""
    edges = [(_name(p), target) for p in LIBRARY for target in _imports(p, typing) if target != "spec"]
    return sorted((a, b) for a, b in edges if _layer(b) > _layer(a))


def test_every_module_is_in_a_layer_and_none_imports_upward() -> None:
    assert _upward(typing=False) == []


def test_only_main_imports_the_cli() -> None:
    users = sorted(_name(p) for p in LIBRARY if "cli" in _imports(p, typing=True))
    assert users == ["__main__"], f"these modules import linreg.cli: {users}"


def _floors(graph: dict[str, set[str]]) -> dict[str, int]:
    """Each module's floor: 1 + the highest floor it imports (1 for a module importing none); no circles."""
    floors: dict[str, int] = {}

    def floor(module: str) -> int:
        if module not in floors:
            floors[module] = 1 + max((floor(m) for m in graph[module]), default=0)
        return floors[module]

    for module in graph:
        floor(module)
    return floors


if __name__ == "__main__":
    sizes = {_name(p): len(p.read_text(encoding="utf-8").splitlines()) for p in LIBRARY}
    runtime = {_name(p): _imports(p) - {"spec"} for p in LIBRARY}
    typed = {_name(p): _imports(p, typing=True) - {"spec"} for p in LIBRARY}
    print(f"{len(sizes)} modules, {sum(sizes.values())} lines; over 200: {sorted(m for m in sizes if sizes[m] > 200)}")
    print(f"floors {max(_floors(runtime).values())}, edges {sum(map(len, runtime.values()))} at run time, "
          f"{sum(map(len, typed.values()))} with annotations")  # fmt: skip
    print(f"upward: {_upward(typing=False)} at run time; annotations: {_upward(typing=True)}")
