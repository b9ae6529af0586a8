"""Math on the living doc's page: the formulas of the features' descriptions, typeset by KaTeX.

In a feature's description, ``$…$`` is a formula, written as TeX that reads as plain text too
(Unicode letters and operators, ``x²``, ``θ_k``; the words mean, max and min are set upright).
Only a feature's description: the page shows a rule's or a scenario's, indented further, as
preformatted text. ``mark`` turns each formula into ``<span class="linreg-math" title="TeX">``
in the gherkinDocument messages, its source kept as the span's text (the page's Markdown keeps a
title, not a data- attribute, and would read the text's _ and * as emphasis); the page's script
typesets each with KaTeX (``page/katex/``: KaTeX as its npm package ships it, MIT), whose CSS
``katex_css`` inlines with its fonts as data: URLs, so the page still makes no request.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path
from typing import Any

Message = dict[str, Any]
KATEX = Path(__file__).resolve().parent / "page" / "katex"
_FORMULA = re.compile(r"\$([^$\n]+)\$")
_UPRIGHT = re.compile(r"(?<![\\\w])(mean|max|min)(?!\w)")
_FONT = re.compile(r"src:url\(fonts/([\w-]+)\.woff2\) format\(\"woff2\"\)(?:,url\([^)]*\) format\(\"\w+\"\))*")


def tex(formula: str) -> str:
    """The TeX KaTeX typesets for a formula as the feature writes it."""
    return _UPRIGHT.sub(r"\\operatorname{\1}", formula)


def _span(match: re.Match[str]) -> str:
    source = html.escape(match[1], quote=True)
    return f'<span class="linreg-math" title="{html.escape(tex(match[1]), quote=True)}">{source}</span>'


def formulas(text: str) -> list[str]:
    """The formulas of a description, as written (without their dollars)."""
    return _FORMULA.findall(text)


def mark(messages: list[Message]) -> None:
    """Make each ``$…$`` of a feature's description a span the page typesets (in place)."""
    for message in messages:
        feature = message.get("gherkinDocument", {}).get("feature")
        if feature and feature.get("description"):
            feature["description"] = _FORMULA.sub(_span, feature["description"])


def katex_css() -> str:
    """KaTeX's CSS with each font's woff2 file inlined (its woff and ttf fallbacks dropped)."""

    def inline(match: re.Match[str]) -> str:
        data = base64.b64encode((KATEX / "fonts" / f"{match[1]}.woff2").read_bytes()).decode("ascii")
        return f'src:url(data:font/woff2;base64,{data}) format("woff2")'

    return _FONT.sub(inline, (KATEX / "katex.min.css").read_text(encoding="utf-8"))


def katex_js() -> str:
    """KaTeX's script, as its package ships it."""
    return (KATEX / "katex.min.js").read_text(encoding="utf-8")
