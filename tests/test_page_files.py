"""The living doc's page files (linreg/spec/page/) are Cucumber's html-formatter and KaTeX as report/package.json
pins them.

The files are shipped so that the page needs no Node.js; where `npm ci --prefix report` has run
(CI runs it), each must equal the pinned npm package's file byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "linreg" / "spec" / "page"
PACKAGE = ROOT / "report" / "node_modules" / "@cucumber" / "html-formatter"
SHIPPED = {  # the shipped file → where the npm package has it
    "main.js": "dist/main.js",
    "main.css": "dist/main.css",
    "main.js.LICENSE.txt": "dist/main.js.LICENSE.txt",
    "index.mustache": "dist/src/index.mustache",
    "icon.url": "dist/src/icon.url",
    "LICENSE": "LICENSE",
}
KATEX = ROOT / "report" / "node_modules" / "katex"
KATEX_SHIPPED = {  # the shipped file below page/katex/ → where KaTeX's npm package has it
    "katex.min.js": "dist/katex.min.js",
    "katex.min.css": "dist/katex.min.css",
    "LICENSE": "LICENSE",
    **{f"fonts/{p.name}": f"dist/fonts/{p.name}" for p in sorted((PAGE / "katex" / "fonts").glob("*.woff2"))},
}


def test_the_pinned_version_is_the_one_the_page_readme_names() -> None:
    pinned = json.loads((ROOT / "report" / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert f"`@cucumber/html-formatter` {pinned['@cucumber/html-formatter']}" in (PAGE / "README.md").read_text()
    assert f"`katex` {pinned['katex']}" in (PAGE / "README.md").read_text()


@pytest.mark.parametrize("name", SHIPPED)
def test_a_shipped_page_file_is_the_pinned_packages(name: str) -> None:
    if not PACKAGE.is_dir():
        pytest.skip("the pinned html-formatter is not installed here: npm ci --prefix report")
    assert (PAGE / name).read_bytes() == (PACKAGE / SHIPPED[name]).read_bytes(), f"{name}: copy it again"


def test_the_shipped_katex_files_are_the_pinned_packages() -> None:
    if not KATEX.is_dir():
        pytest.skip("the pinned KaTeX is not installed here: npm ci --prefix report")
    differ = [
        name
        for name, there in KATEX_SHIPPED.items()
        if (PAGE / "katex" / name).read_bytes() != (KATEX / there).read_bytes()
    ]
    assert differ == [], f"{differ}: copy them again"


def test_every_font_katex_css_names_in_woff2_is_shipped() -> None:
    import re

    named = set(re.findall(r"url\(fonts/([\w-]+\.woff2)\)", (PAGE / "katex" / "katex.min.css").read_text()))
    assert named == {p.name for p in (PAGE / "katex" / "fonts").glob("*.woff2")}
