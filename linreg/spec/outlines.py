"""A Scenario Outline on the living doc's page as its Examples tables, each row with how it ended.

Cucumber's page lists an outline's examples as #1.1, #1.2, …, each expanded into its steps, so a
reader cannot see the table the feature holds. ``tabulate`` writes each Examples table into the
outline's description (Markdown, which the page renders), one row per example: its number on the
page (#block.row, as the expansions below are numbered), its values, and how its scenario ended.
"""

from __future__ import annotations

import html
import re
from typing import Any

Message = dict[str, Any]
_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")  # what Markdown would read as markup in a table cell
_ENDED = {"PASSED": "✓ passed", "FAILED": "✗ failed", "SKIPPED": "skipped"}


def _cell(text: str) -> str:
    return _PUNCTUATION.sub(r"\\\1", html.escape(text, quote=False)) or " "


def _scenarios(feature: Message) -> list[Message]:
    """Every scenario of a feature, also those inside its rules."""
    out: list[Message] = []
    for child in feature.get("children", []):
        if "scenario" in child:
            out.append(child["scenario"])
        if "rule" in child:
            out += [c["scenario"] for c in child["rule"].get("children", []) if "scenario" in c]
    return out


def table(scenario: Message, ended: dict[str, str]) -> str:
    """The Markdown of an outline's Examples tables; ``ended``: example row id → PASSED, FAILED or SKIPPED."""
    out: list[str] = []
    for block, examples in enumerate(scenario.get("examples", []), 1):
        if "tableHeader" not in examples:
            continue
        name = f": {examples['name']}" if examples.get("name") else ""
        header = [_cell(c["value"]) for c in examples["tableHeader"]["cells"]]
        out += ['<div class="linreg-examples">', ""]
        out += [f"**{examples['keyword']}{html.escape(name, quote=False)}**, each row run as #{block}.N below:", ""]
        out += ["| # | " + " | ".join(header) + " | ended |", "|---|" + "---|" * len(header) + "---|"]
        for number, row in enumerate(examples.get("tableBody", []), 1):
            values = " | ".join(_cell(c["value"]) for c in row["cells"])
            out.append(f"| #{block}.{number} | {values} | {_ENDED.get(ended.get(row['id'], ''), 'not run')} |")
        out += ["", "</div>", ""]
    return "\n".join(out)


def tabulate(messages: list[Message], ended: dict[str, str]) -> None:
    """Write each outline's Examples tables into its description, among ``messages`` (in place)."""
    for message in messages:
        feature = message.get("gherkinDocument", {}).get("feature")
        for scenario in _scenarios(feature) if feature else []:
            tables = table(scenario, ended)
            if tables:
                scenario["description"] = (scenario.get("description", "").rstrip("\n") + "\n" + tables).lstrip("\n")
