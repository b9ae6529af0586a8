"""The living documentation, checked in a real browser: `pytest -m browser` (CI runs it).

Runs the whole spec with --living-doc, opens the page in headless Chromium (Debian's chromium,
driven by Playwright), expands every feature, and checks that every feature and scenario is there,
that it opens on the notes' cells (a table of contents and rows by title, each cell's code from the
notes above its scenarios), that every formula is typeset by KaTeX and every outline shows its
examples as a table, that the page's counts match pytest's, that every plot rendered, that no
request left the page, and that it fits a laptop and a phone screen. Screenshots and the page
stay in artifacts/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from linreg.spec.steps.checkout.report_steps import SCHEMA, embedded_messages, schema_errors
from pytest_bdd.feature import get_features

from linreg.spec import formulas as f
from linreg.spec import notebook

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As the machine's own browser check starts it: no sandbox as root, no calls home.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENS: dict[str, ViewportSize] = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
LOCAL = ("data:", "file:", "blob:")  # the page itself and what it holds inline

CELL_TITLES = [
    feature.name for feature in get_features([str(p) for p in sorted(ROOT.glob("features/1_notes/*.feature"))])
]

FEATURES = sorted((ROOT / "features").rglob("*.feature"))
OUTLINES = sum(  # the Examples tables of the outlines this run runs (not @slow)
    len(s.examples)
    for feature in get_features([str(p) for p in FEATURES])
    for s in feature.scenarios.values()
    if s.templated and "slow" not in s.tags and "slow" not in feature.tags
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page_file() -> tuple[Path, dict[str, int]]:
    """The page of a whole spec run, and pytest's own counts of that run."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = ARTIFACTS / "living-doc.html"
    command = [sys.executable, "-m", "pytest", "-p", "no:randomly", "-q", "features", f"--living-doc={page}"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (passed|skipped|failed)", done.stdout.splitlines()[-1])}
    return page, counts


def test_the_page_holds_valid_cucumber_messages(page_file: tuple[Path, dict[str, int]]) -> None:
    """Every message the page embeds is valid against @cucumber/messages' own JSON schema."""
    pinned = ROOT / "report" / "node_modules" / "@cucumber" / "messages" / "messages.schema.json"
    assert SCHEMA.read_bytes() == pinned.read_bytes(), f"{SCHEMA} differs from the pinned package's"
    messages = embedded_messages(page_file[0].read_text(encoding="utf-8"))
    kinds = {next(iter(m)) for m in messages}
    assert {"gherkinDocument", "pickle", "testCase", "testStepFinished", "attachment"} <= kinds, kinds
    errors = schema_errors(messages)
    assert errors == [], errors[:10]


def test_the_page_shows_every_feature_scenario_status_and_plot(page_file: tuple[Path, dict[str, int]]) -> None:
    from playwright.sync_api import sync_playwright

    page_path, counts = page_file
    outside: list[str] = []
    failed: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for screen, size in SCREENS.items():
            page = browser.new_page(viewport=size)
            page.on(
                "request", lambda r: None if r.url.startswith(("data:", "file:", "blob:")) else outside.append(r.url)
            )
            page.on("requestfailed", lambda r: failed.append(f"{r.url[:80]}: {r.failure}"))
            page.goto(page_path.as_uri())
            page.wait_for_selector("text=Scenarios")
            page.screenshot(path=ARTIFACTS / f"living-doc-{screen}.png")
            contents = page.eval_on_selector_all("nav.linreg-toc ol:first-of-type a", "links => links.map(a => a.text)")
            assert contents == CELL_TITLES, f"the table of contents lists {contents}"
            rows = page.eval_on_selector_all(
                "button[aria-expanded] > span[data-uri]", "spans => spans.map(s => s.textContent)"
            )
            assert rows[:6] == CELL_TITLES, f"the rows are titled {rows[:6]}"
            while (collapsed := page.locator("[aria-expanded=false]")).count():  # open every feature
                collapsed.first.click()
            text = page.inner_text("body")
            for cell in notebook.read(ROOT / "notes" / "notes.ipynb"):  # the notes' code beside each cell's scenarios
                assert f"From the notes: code cell {cell.number}" in text
                assert cell.source.splitlines()[-1].strip() in text, f"cell {cell.number}'s code is missing"
            for feature in get_features([str(p) for p in FEATURES]):
                run = [s for s in feature.scenarios.values() if "slow" not in s.tags]  # @slow: not in this run
                assert feature.name in text or not run, f"feature {feature.name!r} is missing"
                for scenario in run:
                    assert scenario.name in text, f"scenario {scenario.name!r} of {feature.name!r} is missing"
            formulas = sum(len(f.formulas(p.read_text(encoding="utf-8"))) for p in FEATURES)
            typeset = page.eval_on_selector_all("span.linreg-typeset > .katex", "spans => spans.length")
            assert typeset == formulas > 30, f"{typeset} formulas typeset of {formulas}"
            assert page.locator(".katex-error").count() == 0, "KaTeX could not typeset a formula"
            tables = page.eval_on_selector_all(".linreg-examples table", "tables => tables.length")
            assert tables == OUTLINES, f"{tables} examples tables shown of {OUTLINES}"
            for status, count in counts.items():
                assert re.search(rf"{status.upper()}\s*{count}\b", text), f"the page does not show {status} {count}"
            assert re.search(r"\bFAILED\s*\d", text) is None, "the page counts failed scenarios"
            sizes = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
            attached = page.evaluate(
                "window.CUCUMBER_MESSAGES.filter(m => m.attachment && m.attachment.mediaType === 'image/png').length"
            )
            assert len(sizes) == attached >= 30, f"{len(sizes)} images shown of {attached} plots attached"
            assert all(done and width > 0 for done, width in sizes), "a plot did not render"
            overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"the page is {overflow}px wider than a {screen} screen"
            page.screenshot(path=ARTIFACTS / f"living-doc-{screen}-expanded.png")
            page.close()
        browser.close()
    assert outside == [], f"the page asked for {outside}"
    assert failed == []
