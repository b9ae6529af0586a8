"""The living documentation: a spec run as Cucumber Messages, rendered by Cucumber's own html-formatter.

``LivingDoc`` gathers what pytest ran, one ``ScenarioRun`` per scenario (its steps' results and
the plots of its training runs). ``messages()`` turns them and the feature files into Cucumber
Messages (source, gherkinDocument and pickle from the Gherkin parser pytest-bdd uses, then
testCase, step results and attachments), valid against report/node_modules/@cucumber/messages'
schema. ``write`` fills Cucumber's html-formatter's page (linreg/spec/page/, its files as the npm
package ships them) in Python, as its CucumberHtmlStream does: one HTML file with its CSS, script
and images inline, so the page makes no request, and no Node.js is needed to make it.
"""

from __future__ import annotations

import json
import platform
import re
import time
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from gherkin.stream.gherkin_events import GherkinEvents

from linreg.atomic import write_whole
from linreg.errors import LivingDocError
from linreg.spec import featurefile, formulas, outlines, stack

Message = dict[str, Any]
PAGE = (
    Path(__file__).resolve().parent / "page"
)  # Cucumber's html-formatter 24.2.0, KaTeX, linreg's page.css and page.js


@dataclass(frozen=True)
class StepResult:
    """How one step ended: PASSED, FAILED, SKIPPED or UNDEFINED, and the step function that ran it."""

    status: str
    nanos: int = 0
    message: str | None = None
    definition: tuple[str, str, int] | None = None  # (pattern, file, line) of the step function


@dataclass
class ScenarioRun:
    """One scenario as pytest ran it; ``steps`` are the rendered step texts, background first."""

    uri: str  # the feature file, relative to the project root
    line: int  # the Scenario (Outline) line
    steps: tuple[str, ...]
    results: list[StepResult] = field(default_factory=list)
    attachments: list[tuple[str, bytes]] = field(default_factory=list)  # (media type, body), on the last step
    started_ns: int = 0
    status: str = "PASSED"  # the outcome pytest reported: PASSED, FAILED or SKIPPED
    message: str | None = None  # why it failed or was skipped


def _time(nanos: int) -> dict[str, int]:
    return {"seconds": nanos // 10**9, "nanos": nanos % 10**9}


class LivingDoc:
    """Scenario runs of one spec run over the features in ``features`` (paths relative to ``root``)."""

    def __init__(self, root: Path, features: list[Path], notes: Path | None = None) -> None:
        self.root = root
        self.features = sorted(features)
        self.notes = notes  # the notebook the cells' features state: its prose and code go above their scenarios
        self.runs: list[ScenarioRun] = []
        self.started_ns = time.time_ns()

    def add(self, run: ScenarioRun) -> None:
        self.runs.append(run)

    def messages(self) -> list[Message]:
        """The whole run as Cucumber Messages, in the order a Cucumber implementation emits them."""
        ids = (f"run-{n}" for n in count(1))
        out: list[Message] = [{"meta": _meta()}]
        pickles: dict[tuple[str, int, tuple[str, ...]], list[Message]] = {}
        events = GherkinEvents(GherkinEvents.Options(print_source=True, print_ast=True, print_pickles=True))
        for path in self.features:
            uri = (path.relative_to(self.root) if path.is_relative_to(self.root) else path).as_posix()
            source = {
                "uri": uri,
                "data": featurefile.read(path),  # as collected: a byte-order mark dropped
                "mediaType": "text/x.cucumber.gherkin+plain",
            }
            lines: dict[str, int] = {}
            for event in events.enum({"source": source}):  # type: ignore[typeddict-item]
                envelope: Message = json.loads(json.dumps(event))  # plain JSON types only
                if "gherkinDocument" in envelope:
                    lines = _scenario_lines(envelope["gherkinDocument"])
                if "pickle" in envelope:
                    pickle = envelope["pickle"]
                    key = (uri, lines[pickle["astNodeIds"][0]], tuple(s["text"] for s in pickle["steps"]))
                    pickles.setdefault(key, []).append(pickle)
                out.append(envelope)
        if self.notes is not None:
            from linreg.spec.notespage import decorate

            decorate(out, self.notes, self.features, self.root)
        formulas.mark(out)
        definitions: dict[tuple[str, str, int], str] = {}
        run_id = next(ids)
        out.append({"testRunStarted": {"timestamp": _time(self.started_ns), "id": run_id}})
        cases: list[tuple[ScenarioRun, Message]] = []
        ran: list[tuple[ScenarioRun, Message]] = []  # each run, and its pickle
        for run in self.runs:
            candidates = pickles.get((run.uri, run.line, run.steps), [])
            if not candidates:
                msg = f"{run.uri}:{run.line}: no pickle has the steps {run.steps!r}"
                raise LivingDocError(msg)
            pickle = candidates.pop(0)
            ran.append((run, pickle))
            for result in run.results:
                if result.definition and result.definition not in definitions:
                    definitions[result.definition] = next(ids)
                    pattern, file, line = result.definition
                    out.append({"stepDefinition": _definition(definitions[result.definition], pattern, file, line)})
            steps = [
                {
                    "id": next(ids),
                    "pickleStepId": step["id"],
                    "stepDefinitionIds": [definitions[r.definition]] if r and r.definition else [],
                    "stepMatchArgumentsLists": [{"stepMatchArguments": []}] if r and r.definition else [],
                }
                for step, r in zip(pickle["steps"], [*run.results, *[None] * len(pickle["steps"])], strict=False)
            ]
            case = {"id": next(ids), "pickleId": pickle["id"], "testSteps": steps, "testRunStartedId": run_id}
            out.append({"testCase": case})
            cases.append((run, case))
        outlines.tabulate(out, {p["astNodeIds"][1]: r.status for r, p in ran if len(p["astNodeIds"]) > 1})
        for run, case in cases:
            out += _executed(run, case, next(ids))
        success = all(run.status != "FAILED" for run in self.runs)
        out.append(
            {"testRunFinished": {"success": success, "timestamp": _time(time.time_ns()), "testRunStartedId": run_id}}
        )
        return out

    def write(self, path: Path) -> None:
        """The page (``.html``) or the Cucumber Messages themselves (``.ndjson``) to ``path``: whole, or not at all."""
        messages = self.messages()
        ndjson = "".join(json.dumps(m, separators=(",", ":")) + "\n" for m in messages).encode()
        data = ndjson if path.suffix == ".ndjson" else _render(messages)
        write_whole(path, data)


def _render(messages: list[Message]) -> bytes:
    """The page Cucumber's html-formatter makes of ``messages``: its template filled as CucumberHtmlStream fills it.

    Each message is JSON with ``<`` written ``\\x3C``: no text of a message can end the script it is in.
    """
    read = {name: (PAGE / name).read_text(encoding="utf-8") for name in ("main.css", "main.js", "page.css", "page.js")}
    fill = {
        "title": "linreg: the notes, run",
        "icon": (PAGE / "icon.url").read_text(encoding="utf-8"),
        "css": read["main.css"],
        "custom_css": formulas.katex_css() + "\n" + read["page.css"],
        "messages": ",".join(
            json.dumps(m, separators=(",", ":"), ensure_ascii=False).replace("<", "\\x3C") for m in messages
        ),
        "script": read["main.js"],
        "custom_script": formulas.katex_js() + "\n" + read["page.js"],
    }
    template = (PAGE / "index.mustache").read_text(encoding="utf-8")
    return re.sub(r"\{\{(\w+)\}\}", lambda match: fill[match[1]], template).encode()


def _meta() -> Message:
    return {
        "protocolVersion": "34.2.1",  # the @cucumber/messages report/package.json pins
        "implementation": {"name": "linreg living documentation (pytest-bdd)"},
        "runtime": {"name": platform.python_implementation(), "version": stack.runtime()},
        "os": {"name": platform.system(), "version": stack.machine()},
        "cpu": {"name": platform.machine()},
    }


def _scenario_lines(document: Message) -> dict[str, int]:
    """Scenario id → line, for every scenario of a gherkinDocument (also inside rules)."""
    lines: dict[str, int] = {}
    children = list(document.get("feature", {}).get("children", []))
    while children:
        child = children.pop()
        if "rule" in child:
            children += child["rule"].get("children", [])
        if "scenario" in child:
            lines[child["scenario"]["id"]] = child["scenario"]["location"]["line"]
    return lines


def _definition(definition_id: str, pattern: str, file: str, line: int) -> Message:
    return {
        "id": definition_id,
        "pattern": {"source": pattern, "type": "CUCUMBER_EXPRESSION"},
        "sourceReference": {"uri": file, "location": {"line": line}},
    }


def _executed(run: ScenarioRun, case: Message, started_id: str) -> list[Message]:
    """testCaseStarted … testCaseFinished for one scenario run, with its plots on the last step."""
    now = run.started_ns or time.time_ns()
    out: list[Message] = [
        {"testCaseStarted": {"id": started_id, "testCaseId": case["id"], "attempt": 0, "timestamp": _time(now)}}
    ]
    steps = case["testSteps"]
    for index, step in enumerate(steps):
        result = run.results[index] if index < len(run.results) else StepResult("SKIPPED")
        if run.status == "SKIPPED" and not run.results:
            result = StepResult("SKIPPED", message=run.message)
        out.append(
            {"testStepStarted": {"testCaseStartedId": started_id, "testStepId": step["id"], "timestamp": _time(now)}}
        )
        now += result.nanos
        if index == len(steps) - 1:
            for media_type, body in run.attachments:
                out.append({"attachment": _attachment(started_id, step["id"], media_type, body, now)})
        finished: Message = {"status": result.status, "duration": _time(result.nanos)}
        if result.message:
            finished["message"] = result.message
        out.append(
            {
                "testStepFinished": {
                    "testCaseStartedId": started_id,
                    "testStepId": step["id"],
                    "testStepResult": finished,
                    "timestamp": _time(now),
                }
            }
        )
    out.append({"testCaseFinished": {"testCaseStartedId": started_id, "timestamp": _time(now), "willBeRetried": False}})
    return out


def _attachment(started_id: str, step_id: str, media_type: str, body: bytes, now: int) -> Message:
    import base64

    return {
        "testCaseStartedId": started_id,
        "testStepId": step_id,
        "body": base64.b64encode(body).decode("ascii"),
        "contentEncoding": "BASE64",
        "mediaType": media_type,
        "fileName": "loss and w per epoch.png",
        "timestamp": _time(now),
    }
