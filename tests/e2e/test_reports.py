"""The real reports, built from the embedded data exactly as `make report` builds them (into a
scratch folder), opened in headless Chromium with the network blocked: every report of both
languages draws its charts, requests nothing, logs no error and stays under 1.5 MB."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pipelines.cli import main
from tests.e2e.test_browser import CHROMIUM, assert_report_offline
from tests.support import render_argv

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

pytestmark = [pytest.mark.slow, pytest.mark.browser]
LETTERS = "ABCDEFGHI"
THEMATIC = ("women-quota", "ddr", "poverty-wash", "roadmap-figures")
MINUSMA, MONUSCO = "s-2021-300", "s-2021-807"
#: Every report of each shipped roadmap; the thematic reports are MINUSMA's only.
REPORTS = {
    MINUSMA: [f"benchmark-{x}" for x in LETTERS] + ["brief", "overview", "changes", "glossary", *THEMATIC],
    MONUSCO: [f"benchmark-{x}" for x in ("POC", "DDR", "SSR", "ELEC", "WDR", "OTHER")]
    + ["brief", "overview", "changes", "glossary"],
}
#: MONUSCO benchmarks with no figure nor event to draw (wording and data not found, or transferred).
NO_CHART = {
    (MONUSCO, "benchmark-SSR"),
    (MONUSCO, "benchmark-OTHER"),
    *((r, x) for r in (MINUSMA, MONUSCO) for x in ("changes", "brief", "glossary")),
}


@pytest.fixture(scope="module")
def built(full_build: Path) -> Path:
    """The published reports of `full_build`."""
    return full_build / "reports"


def test_every_report_is_built_in_both_languages(built: Path) -> None:
    for roadmap, reports in REPORTS.items():
        for lang in ("fr", "en"):
            names = {p.stem for p in (built / roadmap / lang).glob("*.html")}
            assert names == set(reports) | {"index"}, roadmap  # each roadmap's own reports, no other's
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest
    home = (built / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{r}/{lang}/index.html"' in home for r in REPORTS for lang in ("fr", "en"))
    # reports that measure nothing against a target are not called "insufficient data"
    index = (built / MINUSMA / "en" / "index.html").read_text(encoding="utf-8")
    for report in ("poverty-wash", "roadmap-figures"):
        row = next(r for r in index.split("<tr>") if f'href="{report}.html"' in r)
        assert "not assessed (context report)" in row and "insufficient data" not in row


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium")
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("roadmap", "report"), [(r, x) for r, xs in REPORTS.items() for x in [*xs, "index"]])
def test_report_opens_offline_with_every_chart_drawn(built: Path, lang: str, roadmap: str, report: str) -> None:
    page = built / roadmap / lang / f"{report}.html"
    assert page.stat().st_size < 1.5 * 1024 * 1024
    drawn = report != "index" and (roadmap, report) not in NO_CHART
    seen = assert_report_offline(page, min_charts=1 if drawn else 0)
    if drawn and (report.startswith("benchmark-") or report == "overview"):
        assert seen.charts, f"{page.name} has no chart"


def test_every_link_between_the_files_of_a_build_resolves(built: Path) -> None:
    # other language, index, quality pages and the CSV downloads: copied as a folder, all work
    import re
    from urllib.parse import urlsplit

    checked = 0
    for page in built.rglob("*.html"):
        for href in re.findall(r'href="([^"#]+)', page.read_text(encoding="utf-8")):
            if urlsplit(href).scheme or href.startswith("//"):
                continue  # a source's web address
            assert (page.parent / href).resolve().is_file(), f"{page.relative_to(built)} links {href}, missing"
            checked += 1
    assert checked > 100
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert f"data/{MINUSMA}/observations-D.csv" in manifest["downloads"]
    assert f"data/{MONUSCO}/observations-POC.csv" in manifest["downloads"]


def test_the_data_downloads_hold_every_figure_and_open_as_csv(built: Path) -> None:
    import csv
    import io

    import polars as pl

    processed = built.parent / "processed"
    for table in ("observations", "milestone_events", "sources", "indicators"):
        data = (built / "data" / f"{table}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
        assert len(rows) - 1 == pl.read_parquet(processed / f"{table}.parquet").height


def test_downloads_are_kept_when_the_data_did_not_change_and_mended_when_touched(built: Path) -> None:
    out = built.parent
    argv = render_argv(out / "build", built, out / "processed")
    folder = built / "data"

    def files() -> list[Path]:
        return sorted(p for p in folder.rglob("*") if p.is_file())

    before = {p: (p.stat().st_ino, p.read_bytes()) for p in files()}
    assert main(argv) == 0
    assert {p: (p.stat().st_ino, p.read_bytes()) for p in files()} == before  # not written again
    (folder / MINUSMA / "sources.csv").write_text("tampered", encoding="utf-8")
    assert main(argv) == 0
    assert {p: p.read_bytes() for p in files()} == {n: b for n, (_, b) in before.items()}


#: What a reader's phone is (an iPhone 12-15 width) and the smallest text it should get, in CSS px.
PHONE = {"width": 390, "height": 844}
SMALLEST_TEXT_PX = 12

#: Text sizes as drawn: an SVG chart scaled down shrinks its text with it.
_TEXT_SIZES = """() => {
  const sizes = [];
  for (const el of document.querySelectorAll('p, li, td, th, h1, h2, h3, blockquote, figcaption')) {
    if (!el.innerText.trim() || el.closest('footer')) continue;
    sizes.push([el.tagName + ': ' + el.innerText.trim().slice(0, 40), parseFloat(getComputedStyle(el).fontSize)]);
  }
  for (const svg of document.querySelectorAll('figure.chart svg')) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll('text')) {
      if (!text.textContent.trim()) continue;
      sizes.push(['svg: ' + text.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(text).fontSize) * scale]);
    }
  }
  return sizes;
}"""


def _open(path: Path, playwright: Playwright, **page_options: Any) -> tuple[Browser, Page]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_page(**page_options)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(path.resolve().as_uri())
    return browser, page


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium")
@pytest.mark.parametrize("report", ["benchmark-B", "overview", "ddr"])
def test_on_a_phone_text_stays_readable_and_the_page_never_scrolls_sideways(built: Path, report: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser, page = _open(built / MINUSMA / "en" / f"{report}.html", playwright, viewport=PHONE)
        try:
            small = [(what, size) for what, size in page.evaluate(_TEXT_SIZES) if size < SMALLEST_TEXT_PX - 0.05]
            width = page.evaluate("() => document.documentElement.scrollWidth")
            page.screenshot(path=str(built.parent / f"phone-{report}.png"), full_page=True)
        finally:
            browser.close()
    assert not small, small[:10]
    assert width <= PHONE["width"], "wide tables and charts scroll in their own box, never the page"


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium")
def test_printed_every_column_of_every_table_is_on_the_page(built: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser, page = _open(built / MINUSMA / "en" / "benchmark-B.html", playwright)
        try:
            page.emulate_media(media="print")
            page.set_viewport_size({"width": 680, "height": 1000})  # an A4 page within its margins, at 96 dpi
            cut = page.evaluate("""() => [...document.querySelectorAll('td, th, figure.chart svg')]
                .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .map(el => el.tagName + ': ' + (el.innerText || '').slice(0, 30))""")
            pdf = page.pdf(format="A4")
        finally:
            browser.close()
    assert not cut, cut[:10]
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 1


#: Texts of the charts that a reader cannot read whole: those running outside their chart's
#: drawing area (an SVG clips what lies outside its viewBox: a legend label cut mid-word), and
#: pairs printed over each other (two tick labels of close values).
_UNREADABLE_TEXT = """() => [...document.querySelectorAll('figure.chart svg')].flatMap(svg => {
    const box = svg.viewBox.baseVal, width = box && box.width ? box.width : svg.width.baseVal.value;
    const shown = el => el.textContent.trim() && !el.closest('[opacity="0"]') && getComputedStyle(el).opacity !== '0';
    const texts = [...svg.querySelectorAll('text')].filter(shown).map(el => {
        const b = el.getBBox(), m = svg.getCTM().inverse().multiply(el.getCTM());
        const xs = [b.x, b.x + b.width].map(x => m.a * x + m.e), ys = [b.y, b.y + b.height].map(y => m.d * y + m.f);
        return {text: el.textContent, x1: Math.min(...xs), x2: Math.max(...xs), y1: Math.min(...ys), y2: Math.max(...ys),
                rotated: Math.abs(m.b) > 0.01};
    });
    const cut = texts.filter(r => r.x2 - width > 1 || r.x1 < -1).map(r => ['cut', r.text]);
    const over = [];
    texts.forEach((a, i) => texts.slice(i + 1).forEach(b => {
        const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1), h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
        if (!a.rotated && !b.rotated && w > 2 && h > 2) over.push(['overprinted', a.text + ' / ' + b.text]);
    }));
    return [...cut, ...over];
})"""


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium")
@pytest.mark.parametrize("report", [*REPORTS[MINUSMA], *(f"../../{MONUSCO}/fr/{r}" for r in REPORTS[MONUSCO])])
def test_every_chart_text_can_be_read_whole(built: Path, report: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser, page = _open(
            built / MINUSMA / "fr" / f"{report}.html", playwright, viewport={"width": 1280, "height": 900}
        )
        try:
            cut = page.evaluate(_UNREADABLE_TEXT)
        finally:
            browser.close()
    assert not cut, cut[:10]


def test_lab_shows_the_data_behind_each_section_and_the_page_does_not(built: Path) -> None:
    import nbformat

    for roadmap, report in ((MINUSMA, "benchmark-D"), (MINUSMA, "women-quota"), (MONUSCO, "overview")):
        executed = nbformat.read(
            built.parent / "build" / "notebooks" / roadmap / "en" / f"{report}.ipynb", as_version=4
        )
        data_cells = [
            c for c in executed.cells if c.cell_type == "code" and "remove-cell" in c.metadata.get("tags", [])
        ]
        assert data_cells, report
        for cell in data_cells:  # a polars table in Lab, under the section it backs
            assert any("shape: (" in o.get("data", {}).get("text/html", "") for o in cell.outputs), cell.source
        page = (built / roadmap / "en" / f"{report}.html").read_text(encoding="utf-8")
        assert "shape: (" not in page and "lang-fr" not in page


def executed(build: Path) -> dict[str, bytes]:
    """Every executed notebook and sidecar of `build`, the build folder named alike (it is in
    the parameters and papermill's paths)."""
    return {
        p.relative_to(build).as_posix(): p.read_bytes().replace(str(build).encode(), b"BUILD")
        for folder in ("notebooks", "sidecars")
        for p in sorted((build / folder).rglob("*"))
        if p.is_file()
    }


def test_reports_run_in_kept_kernels_are_those_of_a_kernel_each(built: Path, tmp_path: Path) -> None:
    # Each worker keeps its kernel from one report to the next, reset in between: no report
    # may see what ran before it. Every executed notebook and sidecar, byte for byte.
    out = built.parent
    fresh = tmp_path / "fresh"
    assert (
        main(
            [
                "run",
                "--processed",
                str(out / "processed"),
                "--build",
                str(fresh),
                "--allow-outside",
                "--jobs",
                "2",
                "--fresh-kernels",
            ]
        )
        == 0
    )

    kept, own = executed(out / "build"), executed(fresh)
    assert len(kept) > 80 and kept.keys() == own.keys()  # 46 notebooks, a sidecar for each but the overviews
    assert [name for name in kept if kept[name] != own[name]] == []


def test_reports_run_in_kernels_started_ahead_are_those_of_the_build(built: Path, tmp_path: Path) -> None:
    # The watch mode's workers start kernels ahead (spares), each given to one notebook only;
    # with fewer spares than notebooks, the others get a kernel started for them. What one
    # changed figure of D re-runs, byte for byte the notebooks and sidecars of the build.
    import argparse

    from pipelines.run import step

    out = built.parent
    spared = tmp_path / "spares"
    argv = ["--processed", str(out / "processed"), "--build", str(spared), "--allow-outside", "--jobs", "2"]
    argv += ["--roadmap", MINUSMA, "--only", "D,ddr,roadmap-figures,changes,brief,overview"]
    parser = argparse.ArgumentParser()
    step.add_arguments(parser)
    step.warm_up(parser.parse_args(argv), spares=3)
    assert main(["run", *argv]) == 0
    mine, theirs = executed(spared), executed(out / "build")
    assert len([name for name in mine if name.endswith(".ipynb")]) == 12
    assert [name for name in mine if mine[name] != theirs.get(name)] == []
