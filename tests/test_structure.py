"""The house's structure, as promises: no import circle, no torch on `import linreg`, one registry of stages."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from linreg.stages import STAGES

PACKAGE = Path(__file__).resolve().parent.parent / "linreg"


def _imports(path: Path) -> set[str]:
    """The linreg modules ``path`` imports, at the top or inside functions (not for type checking only)."""
    found: set[str] = set()
    names = {p.stem for p in PACKAGE.glob("*.py")}

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "linreg":
                parts = node.module.split(".")
                found.update(a.name for a in node.names if a.name in names) if len(parts) == 1 else found.add(parts[1])
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    visit(inner)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found - {path.stem}


def test_no_module_imports_itself_back() -> None:
    graph = {p.stem: _imports(p) for p in PACKAGE.glob("*.py")}
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
    for path in PACKAGE.glob("*.py"):
        if path.name != "stages.py":
            hits = [line for line in path.read_text(encoding="utf-8").splitlines() if compare.search(line)]
            assert hits == [], f"{path.name} compares stage names: {hits}"


def test_the_library_never_imports_its_spec() -> None:
    """linreg/spec (the pytest plugin) uses the library; the library works without pytest installed."""
    users = sorted(p.name for p in PACKAGE.glob("*.py") if "spec" in _imports(p))
    assert users == [], f"these modules import linreg.spec: {users}"
