"""Rendered reports in a real browser (Debian's headless Chromium) with every network request
blocked: each chart is drawn, nothing is requested, nothing is logged as an error.

`assert_report_offline` is the check; the test of the real reports reuses it
(``from tests.e2e.test_browser import assert_report_offline``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support import FixtureBuild

if TYPE_CHECKING:
    from playwright.sync_api import Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Every chart container of a report (see pipelines.render.drawing.Charts).
CHART_SELECTOR = "figure.chart"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium); CI installs it",
    ),
]


@dataclass
class Visit:
    """What a page did while it loaded."""

    charts: list[str] = field(default_factory=list)  # the tag drawn in each chart container
    chart_texts: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # requests attempted (and aborted)
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions


def visit(path: Path, *, timeout_ms: int = 15_000) -> Visit:
    """Open `path` in headless Chromium, aborting every request but the page itself; wait
    until every chart container holds an <svg> or a <canvas>."""
    from playwright.sync_api import sync_playwright

    url = path.resolve().as_uri()
    seen = Visit()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()

            def route(route: Route) -> None:
                if route.request.url == url:
                    route.continue_()
                else:
                    seen.blocked.append(route.request.url)
                    route.abort()

            page.route("**/*", route)
            page.on(
                "request",
                lambda r: (
                    None if r.url in (url, *seen.blocked) or r.url.startswith("data:") else seen.blocked.append(r.url)
                ),
            )
            page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: seen.errors.append(str(e)))
            page.goto(url, wait_until="load", timeout=timeout_ms)
            page.wait_for_function(
                f"() => Array.from(document.querySelectorAll({CHART_SELECTOR!r}))"
                ".every(c => c.querySelector('svg, canvas') !== null)",
                timeout=timeout_ms,
                polling=100,
            )
            seen.charts = page.eval_on_selector_all(
                CHART_SELECTOR, "cs => cs.map(c => c.querySelector('svg, canvas').tagName.toLowerCase())"
            )
            seen.chart_texts = page.eval_on_selector_all(
                CHART_SELECTOR,
                "cs => cs.map(c => Array.from(c.querySelectorAll('text')).map(t => t.textContent).join('|'))",
            )
        finally:
            browser.close()
    return seen


def assert_report_offline(path: Path, *, min_charts: int = 0) -> Visit:
    """The report at `path` draws every chart with the network blocked, requests nothing and
    logs no error. Returns what was seen, for further checks."""
    seen = visit(path)
    assert not seen.blocked, f"{path.name} tried to load {seen.blocked}"
    assert not seen.errors, f"{path.name} logged errors: {seen.errors}"
    assert len(seen.charts) >= min_charts, f"{path.name}: {len(seen.charts)} chart(s), expected {min_charts}+"
    assert all(tag in ("svg", "canvas") for tag in seen.charts)
    assert all(seen.chart_texts), f"{path.name}: a chart was drawn without any text (axes, title)"
    return seen


@pytest.mark.parametrize("mode", ["svg", "vega"])
def test_fixture_report_draws_its_chart_offline(fixture_build: FixtureBuild, mode: str) -> None:
    reports = fixture_build.reports if mode == "svg" else fixture_build.reports_vega
    french = assert_report_offline(reports / "test" / "fr" / "benchmark-A.html", min_charts=1)
    english = assert_report_offline(reports / "test" / "en" / "benchmark-A.html", min_charts=1)
    # The chart's own locale: decimal comma in French, point in English, in both modes.
    assert "10,0" in french.chart_texts[0] and "Critère A" in french.chart_texts[0]
    assert "10.0" in english.chart_texts[0] and "Benchmark A" in english.chart_texts[0]


def test_index_and_failure_pages_load_nothing(fixture_build: FixtureBuild) -> None:
    for page in ("index.html", "test/fr/index.html", "test/en/index.html", "test/fr/ddr.html", "test/en/overview.html"):
        assert_report_offline(fixture_build.reports / page)


def test_a_page_that_loads_from_the_network_is_caught(tmp_path: Path) -> None:
    """The check itself: a page asking a CDN for a script fails it, and the request is named."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>bad</title>'
        '<script src="https://cdn.jsdelivr.net/npm/vega@6"></script></head>'
        '<body><figure class="chart"><svg><text>x</text></svg></figure></body></html>'
    )
    assert any("cdn.jsdelivr.net" in url for url in visit(page).blocked)
    with pytest.raises(AssertionError, match="tried to load"):
        assert_report_offline(page)
