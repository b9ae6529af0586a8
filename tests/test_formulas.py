"""The formulas of the features' descriptions ($…$) on the living doc's page: each is found, marked for
KaTeX with its source kept, and (where Node.js and the pinned KaTeX are installed: npm ci --prefix report)
typesets without an error."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pytest_bdd.feature import get_features

from linreg.spec import formulas
from linreg.spec.messages import LivingDoc

ROOT = Path(__file__).resolve().parent.parent
FEATURES = sorted((ROOT / "features").rglob("*.feature"))
KATEX = ROOT / "report" / "node_modules" / "katex"
TYPESET = """
const katex = require(process.argv[1]);
const failed = JSON.parse(require('fs').readFileSync(0, 'utf8')).flatMap((tex) => {
  try { katex.renderToString(tex, { throwOnError: true, strict: 'ignore' }) } catch (e) { return [e.message] }
  return []
});
console.log(JSON.stringify(failed));
"""


def _written() -> list[str]:
    return [f for path in FEATURES for f in formulas.formulas(path.read_text(encoding="utf-8"))]


def test_formulas_stand_in_feature_descriptions_only() -> None:
    """The page renders a feature's description as Markdown, a scenario's or rule's as preformatted text."""
    for feature in get_features([str(p) for p in FEATURES]):
        text = Path(feature.filename).read_text(encoding="utf-8")
        assert formulas.formulas(text) == formulas.formulas(feature.description), feature.filename


def test_the_cells_and_the_oracles_write_their_math_as_formulas() -> None:
    texts = {path.name: formulas.formulas(path.read_text(encoding="utf-8")) for path in FEATURES}
    for name in ("02_numpy_manual.feature", "11_closed_form.feature", "17_sufficient_statistics.feature"):
        assert texts[name], f"{name} has no formula"
    assert "L = mean((w·x − y)²)" in texts["02_numpy_manual.feature"]


def test_each_formula_becomes_a_span_the_page_typesets(tmp_path: Path) -> None:
    path = ROOT / "features" / "2_implicit" / "11_closed_form.feature"
    messages = LivingDoc(ROOT, [path]).messages()
    (document,) = [m["gherkinDocument"] for m in messages if "gherkinDocument" in m]
    description = document["feature"]["description"]
    assert "$" not in description
    assert (
        '<span class="linreg-math" title="η &lt; 2/λ_{\\operatorname{max}}(H)">η &lt; 2/λ_{max}(H)</span>'
        in description
    )
    (feature,) = get_features([str(path)])
    assert description.count('class="linreg-math"') == len(formulas.formulas(feature.description))


def test_the_page_holds_katex_and_its_fonts_inline() -> None:
    css = formulas.katex_css()
    assert "url(fonts/" not in css
    assert css.count("data:font/woff2;base64,") == len(list((formulas.KATEX / "fonts").glob("*.woff2"))) == 20


def test_every_formula_typesets_with_the_pinned_katex() -> None:
    node = shutil.which("node")
    if node is None or not KATEX.is_dir():
        pytest.skip("the pinned KaTeX is not installed here: npm ci --prefix report")
    tex = [formulas.tex(f) for f in _written()]
    done = subprocess.run(
        [node, "-e", TYPESET, str(KATEX)], input=json.dumps(tex), capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == []
    assert len(tex) > 30
