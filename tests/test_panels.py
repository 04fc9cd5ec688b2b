"""What a reader sees in a report's text panels: text from the data escaped, links only for
http(s) addresses, the criterion and status in the report's language, missing figures said to be
missing, and the data-quality panel naming the file and line of each failure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import unescape
from typing import Any

import polars as pl
import pytest

from pipelines import panels, schema, views
from pipelines.quality import BenchmarkQuality
from pipelines.validation_results import Failure, Report, RuleResult, TableResult

EVIL = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
AS_OF = date(2021, 3, 25)


# --- a small benchmark built by hand -----------------------------------------------------------

def _frame(rows: list[dict[str, Any]], table: str) -> pl.DataFrame:
    return schema.conform(pl.DataFrame(rows), table) if rows else schema.empty(table)


def source(sid: str, title: str = "Report of the Secretary-General", url: str | None = "https://undocs.org/S/2021/300",
           **extra: Any) -> dict[str, Any]:
    return {"source_id": sid, "title": title, "publisher": "United Nations", "symbol": "S/2021/300", "url": url,
            "published": AS_OF, "paragraph": "3", "kind": "primary", **extra}


def obs(iid: str, end: date, value: float, geo: str = "ML", note: str | None = None,
        src: str = "s-1") -> dict[str, Any]:
    return {"indicator_id": iid, "geo_code": geo, "period_start": end, "period_end": end, "value": value,
            "unit": "percent", "source_id": src, "confidence": "primary", "note": note,
            "file": "data/raw/observations/women.csv", "line": 2}


def indicator(iid: str, target: float | None = 30.0) -> dict[str, Any]:
    return {"roadmap_id": "TEST/1", "benchmark": "B", "indicator_id": iid, "name_fr": f"Nom {iid}",
            "name_en": f"Name {iid}", "unit": "percent", "direction": "increase", "cumulative": False,
            "target_value": target, "target_date": date(2022, 12, 31) if target is not None else None}


def build_view(lang: str = "en", *, observations: Sequence[dict[str, Any]] = (),
               indicators: Sequence[dict[str, Any]] = (),
               milestone_name: str = "Electoral law adopted", description: str = "Law adopted by the CNT",
               sources: list[dict[str, Any]] | None = None) -> views.BenchmarkView:
    tables = views.Tables(
        benchmarks=_frame([{"roadmap_id": "TEST/1", "benchmark": "B", "paragraph": 8, "title_fr": "Élections",
                            "title_en": "Elections", "text_fr": "Les réformes électorales ont été menées à bien.",
                            "text_en": "Electoral reforms have been completed.", "phase": "I",
                            "horizon": date(2022, 12, 31), "kind": "mixed"}], "benchmarks"),
        indicators=_frame(list(indicators), "indicators"),
        milestones=_frame([{"roadmap_id": "TEST/1", "benchmark": "B", "milestone_id": "B1",
                            "name_fr": milestone_name, "name_en": milestone_name, "due": None}], "milestones"),
        observations=_frame(list(observations), "observations"),
        events=_frame([{"benchmark": "B", "milestone_id": "B1", "date": date(2021, 1, 15), "status": "full",
                        "score": 3, "description_fr": description, "description_en": description,
                        "source_id": "s-1", "confidence": "primary"}], "milestone_events"),
        sources=_frame(sources if sources is not None else [source("s-1")], "sources"),
    )
    return views.benchmark_view(tables, "B", lang, AS_OF)


# --- text from the data is escaped, links only for http(s) -------------------------------------

def test_sources_panel_escapes_titles_and_publishers() -> None:
    html = panels.sources(_frame([source("s-1", title=EVIL, publisher=EVIL)], "sources"), "en")
    assert "<script" not in html
    assert html.count(ESCAPED) == 2


def test_a_javascript_url_is_shown_without_a_link() -> None:
    html = panels.sources(_frame([source("s-1", title="Evil source", url="javascript:alert(1)")], "sources"), "en")
    assert "<a" not in html
    assert "Evil source" in html


def test_an_https_url_is_a_link() -> None:
    html = panels.sources(_frame([source("s-1", url="https://undocs.org/fr/S/2021/300")], "sources"), "fr")
    assert '<a href="https://undocs.org/fr/S/2021/300" rel="noopener noreferrer">' in html
    assert "source primaire" in html  # the kind, in the report's language


def test_regional_panel_escapes_notes() -> None:
    view = build_view(indicators=[indicator("share")],
                      observations=[obs("share", date(2020, 12, 31), 12.5, geo="ML-6", note=EVIL)])
    html = panels.regional(view.indicators[0], "en")
    assert "<script" not in html
    assert ESCAPED in html
    assert "12.5%" in html


def test_milestones_panel_escapes_names_and_descriptions() -> None:
    html = panels.milestones(build_view(milestone_name=EVIL, description=EVIL))
    assert "<script" not in html
    assert html.count(ESCAPED) == 2


def test_assessment_note_escapes_the_source_title() -> None:
    view = build_view(indicators=[indicator("share")], sources=[source("s-1", title=EVIL)],
                      observations=[obs("share", date(2019, 12, 31), 10.0), obs("share", date(2020, 12, 31), 20.0)])
    html = panels.assessment_note(view.indicators[0], view.sources, "en")
    assert "<script" not in html and ESCAPED in html


# --- header and headline -----------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "criterion", "other", "status"), [
    ("fr", "Les réformes électorales ont été menées à bien.", "Electoral reforms", "cible atteinte"),
    ("en", "Electoral reforms have been completed.", "réformes électorales", "achieved"),
])
def test_header_shows_the_criterion_and_status_in_the_report_language(lang: str, criterion: str, other: str,
                                                                        status: str) -> None:
    view = build_view(lang)  # its only milestone is full: achieved
    html = panels.header(view)
    assert criterion in html and other not in html
    assert f">{status}</span>" in html
    assert "S/2021/300" in html


def test_headline_says_which_indicators_have_no_figure_and_never_estimates_them() -> None:
    view = build_view(indicators=[indicator("share"), indicator("quota", target=30.0), indicator("context", None)],
                      observations=[obs("share", date(2019, 12, 31), 10.0), obs("share", date(2020, 12, 31), 20.0)])
    html = panels.headline(view)
    # a targeted indicator without figure is a table row; the note lists the others
    assert "No published figure was found for: Name context. They stay missing, never estimated." in html
    row = html[html.index("<td>Name quota</td>"):]
    row = row[:row.index("</tr>")]
    assert "<td>not available</td>" in row  # its target is shown, no value is made up
    assert "Name share" in html and "20.0%" in html
    assert "Name share;" not in html  # an indicator with figures is not listed as missing


def test_headline_note_is_in_french_for_a_french_report() -> None:
    view = build_view("fr", indicators=[indicator("quota", None)])
    assert "Aucun chiffre publié n'a été trouvé pour : Nom quota." in unescape(panels.headline(view))


# --- data quality ------------------------------------------------------------------------------

def _quality(*failures: Failure, severity: str = "error") -> BenchmarkQuality:
    rule = RuleResult(rule="share-range:women_share", severity=severity,
                      description="women_share: a share in percent, value within [0, 100]",
                      expectation="expect_column_values_to_be_between", column="value",
                      success=not failures, unexpected_count=len(failures), failures=failures)
    report = Report(data_checksum="test", tables={"observations": TableResult("observations", 10, (rule,))})
    return BenchmarkQuality(benchmark="B", origin="stored", indicator_ids=("women_share",), report=report)


def test_quality_panel_says_every_rule_passes_when_none_fails() -> None:
    html = panels.quality(_quality(), "en")
    assert "Every data-quality rule passes for the data of this report." in html
    assert "<table" not in html
    assert "results of the last validation" in html


def test_quality_panel_names_the_file_and_line_of_each_failure() -> None:
    bad = Failure(file="data/raw/observations/women.csv", line=3, column="value", value=130.0,
                  key={"indicator_id": "women_share"})
    html = panels.quality(_quality(bad), "fr")
    assert "1 erreur(s) et 0 avertissement(s)" in html
    assert "<td>data/raw/observations/women.csv 3</td>" in html
    assert "<td>130.0</td>" in html
    assert "women_share: a share in percent, value within [0, 100]" in html


# --- every panel of every benchmark of the embedded data renders -------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_panel_renders_for_every_benchmark(real_tables: views.Tables, lang: str) -> None:
    for letter in sorted(real_tables.benchmarks["benchmark"].to_list()):
        view = views.benchmark_view(real_tables, letter, lang, None)
        parts = [panels.header(view), panels.headline(view), panels.milestones_summary(view),
                 panels.milestones(view), panels.sources(view.sources, lang),
                 panels.footer(view.as_of, "", lang)]
        parts += [panels.regional(iv, lang) for iv in view.indicators]
        parts += [panels.assessment_note(iv, view.sources, lang) for iv in view.charted()]
        assert all(isinstance(p, str) for p in parts)
        assert view.criterion in unescape(panels.header(view))
        assert panels.sources(view.sources, lang).count("<tr>") == view.sources.height + 1
