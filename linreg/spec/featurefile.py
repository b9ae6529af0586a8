"""A feature file's bytes, checked once before pytest-bdd reads them; each problem is one line.

A linreg feature file is UTF-8 text (a byte-order mark, as some editors write it, is allowed)
holding one Gherkin Feature with at least one scenario; a Scenario Outline runs once per row of its
Examples, so it needs at least one row. Anything else is a ``FeatureFileError`` whose message is
one line, ``FILE:LINE: what is wrong; what to do``, where pytest-bdd would raise its own exception
with frames (or several lines, or run an Outline once with its ``<placeholders>`` as text).
``parse`` reads the file itself, never from pytest-bdd's cache of parsed features (a file that
changed is read as it is now), and leaves its Feature in that cache for ``scenarios()``, which
would read the file again without the encoding it is given.
"""

from __future__ import annotations

import re
from pathlib import Path

from pytest_bdd import feature as bdd_feature
from pytest_bdd.exceptions import GherkinParseError
from pytest_bdd.parser import Feature, FeatureParser, ScenarioTemplate

ENCODING = "utf-8-sig"  # UTF-8, with or without a byte-order mark: how linreg asks pytest-bdd to read a feature
PLACEHOLDER = re.compile(r"<(.+?)>")  # as pytest-bdd's parser writes it
_PREAMBLE = re.compile(r"\s*(#.*|@.*)?")  # what may stand before "Feature:": blank lines, comments, tags
_OUTLINE = ("Scenario Outline", "Scenario Template")


class FeatureFileError(Exception):
    """A feature file that is not one Gherkin Feature with scenarios: one line per problem, each naming the file."""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _refusal(problems: list[str]) -> FeatureFileError:
    """The problems, one line each: a line break inside one (a name holding U+2028, say) becomes a space."""
    return FeatureFileError("\n".join(re.sub(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]", " ", p) for p in problems))


def _gherkin(message: str) -> str:
    """The Gherkin parser's first complaint, without its prefixes and its (line:column), which the line names."""
    text = message.removeprefix("Unknown parsing error: ").removeprefix("Parser errors:").strip()
    return _one_line(re.sub(r"^\(\d+:\d+\): ", "", (text.splitlines() or [""])[0])) or "it cannot be parsed"


def read(path: Path) -> str:
    """The text of the feature at ``path``, from UTF-8 bytes (a byte-order mark dropped)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        msg = f"{path}: cannot read it: {exc.strerror or exc}"
        raise _refusal([msg]) from None
    try:
        return data.decode(ENCODING)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        msg = (
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at column {column}): "
            "save the feature file as UTF-8"
        )
        raise _refusal([msg]) from None


def _scenario_problems(path: Path, template: ScenarioTemplate) -> list[str]:
    """A scenario without steps checks nothing; an Outline with no Examples row runs nothing in Cucumber and
    once, its placeholders unfilled, in pytest-bdd. Both are refused."""
    where = f"{path}:{template.line_number}: {template.keyword} {template.name!r}"
    if not template.steps:
        return [f"{where} has no steps, so it checks nothing: give it a Given, When and Then"]
    empty = [examples for examples in template.examples if not examples.examples]
    if template.keyword not in _OUTLINE and not template.examples:
        return []
    if not any(examples.examples for examples in template.examples):
        wanted = sorted({name for step in template.steps for name in PLACEHOLDER.findall(step.name)})
        columns = f" with the column{'s' if len(wanted) > 1 else ''} {', '.join(wanted)}" if wanted else ""
        return [f"{where} has no Examples row: add an 'Examples:' table{columns} and one row per run"]
    return [
        f"{path}:{examples.line_number}: the Examples of {template.name!r} have no row: add one row per run, "
        "or remove the table"
        for examples in empty
    ]


def parse(path: Path) -> Feature:
    """The Feature at ``path``, checked: UTF-8, Gherkin, scenarios, Outlines with Examples rows."""
    text = read(path)
    if all(_PREAMBLE.fullmatch(line) for line in text.splitlines()):
        msg = f"{path}: no 'Feature:' line: a feature file holds 'Feature: <name>' and its scenarios"
        raise _refusal([msg])
    parser = FeatureParser(str(path.parent), path.name, ENCODING)
    try:
        feature = parser.parse()
    except GherkinParseError as exc:
        msg = f"{path}:{exc.line}: not valid Gherkin: {_gherkin(exc.message)}"
        raise _refusal([msg]) from None
    except Exception as exc:  # anything else pytest-bdd's reading raises: still one line, never frames
        msg = f"{path}: not valid Gherkin: {_one_line(str(exc)) or type(exc).__name__}"
        raise _refusal([msg]) from None
    if not feature.scenarios:
        msg = f"{path}:{feature.line_number}: Feature {feature.name!r} has no scenario: add a 'Scenario:' and its steps"
        raise _refusal([msg])
    problems = [problem for template in feature.scenarios.values() for problem in _scenario_problems(path, template)]
    if problems:
        raise _refusal(problems)
    bdd_feature.features[parser.abs_filename] = feature
    return feature
