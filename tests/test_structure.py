"""The house's structure, as promises: no import circle, no torch on `import linreg`, one registry of stages."""

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


def _imports(path: Path) -> set[str]:
    """The linreg modules ``path`` imports, at the top or inside functions (not for type checking only)."""
    found: set[str] = set()
    names = {_name(p) for p in LIBRARY} | {"spec"}

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
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
