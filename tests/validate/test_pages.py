"""The data-quality pages: one offline HTML file per table and an index, every piece of data
escaped, failing rows and quarantined rows shown with their file and line."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipelines.validate import step as validate
from pipelines.validate import suites as validation_suites
from pipelines.validate.pages import PAGE_BUDGET, QUARANTINE_CSV, ROWS_PER_RULE, render_pages, table_of_file
from pipelines.validate.sample import COUNT_FILE, OBS_FILE, SOURCES_FILE, sample_frames, write_processed

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _hostile_frames() -> dict[str, pl.DataFrame]:
    """A share of 130 with a note, a source whose title and url carry script, a quarantined cell."""
    frames = sample_frames()
    obs = frames["observations"]
    hit = (pl.col("file") == OBS_FILE) & (pl.col("line") == 3)
    frames["observations"] = obs.with_columns(
        pl.when(hit).then(130.0).otherwise(pl.col("value")).alias("value"),
        pl.when(hit).then(pl.lit(SCRIPT)).otherwise(pl.col("note")).alias("note"),
    )
    src = pl.col("line") == 3
    frames["sources"] = frames["sources"].with_columns(
        pl.when(src).then(pl.lit(SCRIPT)).otherwise(pl.col("title")).alias("title"),
        pl.when(src)
        .then(pl.lit('javascript:alert(1)"><img src=x onerror=alert(1)>'))
        .otherwise(pl.col("url"))
        .alias("url"),
    )
    quarantine = pl.DataFrame(
        [
            {
                "file": OBS_FILE,
                "line": 9,
                "column": "note",
                "value": SCRIPT,
                "rule": "required",
                "reason": f"bad {SCRIPT}",
            },
            {
                "file": SOURCES_FILE,
                "line": 7,
                "column": "kind",
                "value": "blog",
                "rule": "kind",
                "reason": "kind 'blog' must be primary or secondary",
            },
            {"file": "data/raw/elsewhere.csv", "line": 1, "column": None, "value": None, "rule": "x", "reason": "odd"},
        ],
        schema=frames["quarantine"].schema,
    )
    frames["quarantine"] = quarantine
    return frames


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("quality")
    processed = root / "processed"
    write_processed(_hostile_frames(), processed)
    report, frames = validate.validate_dir(processed, today=date(2026, 1, 1))
    validate.write_outputs(report, frames, processed, root / "pages")
    written = {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "pages").iterdir())}
    full = written.pop(QUARANTINE_CSV)  # every quarantined row, linked from the pages
    assert full.count("\n") == 1 + frames["quarantine"].height
    # rendering again gives the same bytes (no clock, no random id)
    again = render_pages(report, frames["quarantine"], validate.files_by_table(frames))
    assert again == written
    return written


def test_one_page_per_table_and_an_index_linking_them(pages: dict[str, str]) -> None:
    assert set(pages) == {"index.html", *(f"{t}.html" for t in validation_suites.SUITE_TABLES)}
    for table in validation_suites.SUITE_TABLES:
        assert f'href="{table}.html"' in pages["index.html"]


def test_data_is_escaped_everywhere(pages: dict[str, str]) -> None:
    for name, html in pages.items():
        assert SCRIPT not in html, name
        assert "<script" not in html.lower(), name
        assert "onerror=" not in html.replace("onerror=alert", ""), name  # only as escaped text
        assert "<img" not in html, name
    assert ESCAPED in pages["observations.html"]  # the note of the failing row, and the quarantined cell
    assert ESCAPED in pages["sources.html"]  # the title of the source with a bad url
    assert "javascript:alert(1)&#34;&gt;&lt;img" in pages["sources.html"]


def test_pages_are_offline_and_never_link_data(pages: dict[str, str]) -> None:
    for name, html in pages.items():
        assert not re.search(r"<(link|script|iframe|img)\b", html), name
        assert not re.search(r"\bsrc=", html.replace("src=x", "")), name
        assert "@import" not in html and "url(" not in html, name
        hrefs = re.findall(r'href="([^"]*)"', html)
        assert hrefs and all(re.fullmatch(r"[a-z_]+\.html|quarantine\.csv", h) for h in hrefs), (name, hrefs)
        assert "<style>" in html


def test_pages_are_styled_by_a_stylesheet_a_browser_can_read(pages: dict[str, str]) -> None:
    # an escaped stylesheet (&#34;Segoe UI&#34;) makes the browser drop its rules: Times New Roman
    for name, html in pages.items():
        css = re.search(r"<style>(.*?)</style>", html, re.S)
        assert css and '"Segoe UI"' in css.group(1) and "&#" not in css.group(1) and "&quot;" not in css.group(1), name


def test_rules_with_result_and_severity_and_failing_rows_with_file_and_line(pages: dict[str, str]) -> None:
    # a rule's name may break on paper after its "_" and ":" only (<wbr>), never inside a word
    assert "share-range:<wbr>women_<wbr>share" in pages["observations.html"]
    html = pages["observations.html"].replace("<wbr>", "")
    assert "share-range:women_share" in html
    assert re.search(r'<span class="fail">fail</span></td>\s*<td>error</td><td><code>share-range:women_share', html)
    assert re.search(r'<span class="pass">pass</span></td>\s*<td>error</td><td><code>known-geo', html)
    assert f'<td class="mono">{OBS_FILE}</td><td class="num">3</td>' in html
    assert "130.0" in html
    sources = pages["sources.html"]
    assert re.search(r'<span class="fail">fail</span></td>\s*<td>error</td><td><code>url-http', sources)


def test_quarantined_rows_appear_on_the_page_of_their_table(pages: dict[str, str]) -> None:
    assert f'<td class="mono">{OBS_FILE}</td><td class="num">9</td>' in pages["observations.html"]
    assert "bad " + ESCAPED in pages["observations.html"]
    assert "kind &#39;blog&#39; must be primary or secondary" in pages["sources.html"]
    assert "kind &#39;blog&#39;" not in pages["observations.html"]
    assert "data/raw/elsewhere.csv" in pages["index.html"]  # a file feeding no table is still shown


def test_quarantined_files_are_matched_to_tables() -> None:
    produced = {"observations": {COUNT_FILE}}
    assert table_of_file(COUNT_FILE, produced) == "observations"
    assert table_of_file("data/raw/observations/new.csv", {}) == "observations"
    assert table_of_file("data/raw/extracts/API_SG.GEN.PARL.ZS.csv", {}) == "observations"
    assert table_of_file("data/raw/milestones.csv", {}) == "milestone_events"
    assert table_of_file("data/raw/sources.csv", {}) == "sources"
    assert table_of_file("data/raw/roadmaps/s-2021-300.yaml", {}) is None
    # a second roadmap's files, named after its mission, feed the same tables
    assert table_of_file("data/raw/observations/monusco.csv", {}) == "observations"
    assert table_of_file("data/raw/milestones-monusco.csv", {}) == "milestone_events"
    assert table_of_file("data/raw/sources-monusco.csv", {}) == "sources"
    assert table_of_file("data/raw/roadmaps/s-2021-807.yaml", {}) is None
    assert table_of_file("data/raw/geography/CD.yaml", {}) is None


def test_the_roadmaps_table_read_for_validation_is_no_table_of_raw_files(tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    write_processed(sample_frames(), processed)
    frames = validate.load_frames(processed)
    assert "roadmaps" in frames  # read for the countries of the known regions
    assert set(validate.files_by_table(frames)) <= set(validation_suites.SUITE_TABLES)


def test_validate_writes_pages_where_asked(tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    write_processed(sample_frames(), processed)
    report, frames = validate.validate_dir(processed, today=date(2026, 1, 1))
    _, index = validate.write_outputs(report, frames, processed, tmp_path / "reports" / "quality")
    assert index == tmp_path / "reports" / "quality" / "index.html"
    text = index.read_text(encoding="utf-8")
    assert report.data_checksum is not None and "No error." in text and report.data_checksum in text


def test_a_junk_file_s_quarantine_keeps_each_page_within_budget_and_counts_what_it_leaves_out(tmp_path: Path) -> None:
    # a few MB of junk rows under a valid header: every one set aside, by two rules, some with a huge cell
    frames = sample_frames()
    n = 30_000
    junk = pl.DataFrame(
        {
            "file": ["data/raw/observations/junk.csv"] * n,
            "line": list(range(2, n + 2)),
            "column": ["value"] * n,
            "value": ["x" * 120 if i % 3 else '=HYPERLINK("http://x")' + "y" * 5000 for i in range(n)],
            "rule": ["number" if i % 3 else "unit" for i in range(n)],
            "reason": ["not a number " * 8] * n,
        }
    ).with_columns(pl.lit(None, pl.String).alias(c) for c in ("roadmap_id", "benchmark", "indicator_id"))
    frames["quarantine"] = junk.select(frames["quarantine"].columns).cast(frames["quarantine"].schema)
    assert junk.estimated_size() > 5_000_000
    processed = tmp_path / "processed"
    write_processed(frames, processed)
    report, frames = validate.validate_dir(processed, today=date(2026, 1, 1))
    validate.write_outputs(report, frames, processed, tmp_path / "pages")
    sizes = {p.name: p.stat().st_size for p in (tmp_path / "pages").iterdir()}
    assert all(size <= PAGE_BUDGET for name, size in sizes.items() if name.endswith(".html")), sizes
    html = (tmp_path / "pages" / "observations.html").read_text(encoding="utf-8")
    shown = html.count('<td class="mono">data/raw/observations/junk.csv</td>')
    assert 0 < shown <= 2 * ROWS_PER_RULE
    left_out = re.search(
        r"Showing (\d+) of (\d+) rows: and (\d+) more,\s*(\d+) by <code>number</code>, "
        r"(\d+) by <code>unit</code>\.",
        html,
    )
    assert left_out, html[-3000:]
    assert (int(left_out[1]), int(left_out[2]), int(left_out[3])) == (shown, n, n - shown)
    assert int(left_out[4]) + int(left_out[5]) == n - shown
    assert 'Every row is in <a href="quarantine.csv">quarantine.csv</a>' in html
    assert "… (5022 characters)" in html  # a huge cell is cut, and says so
    index = (tmp_path / "pages" / "index.html").read_text(encoding="utf-8")
    assert f'<td class="num">{n}</td></tr>' in index and '<a href="quarantine.csv">' in index
    full = pl.read_csv(tmp_path / "pages" / QUARANTINE_CSV, infer_schema=False)
    assert full.height == n and full["value"].str.starts_with("'=HYPERLINK").sum() == n // 3  # spreadsheet-safe
