"""What a reader sees in a report's text panels: text from the data escaped, links only for
http(s) addresses, the criterion and status in the report's language, missing figures said to be
missing (the data-quality panel: test_quality_panels.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import unescape
from typing import Any

import polars as pl
import pytest

from pipelines.analysis import views
from pipelines.core import schema
from pipelines.present import citations, panels
from pipelines.reports.roadmap_figures import panels as claims_panels

EVIL = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
AS_OF = date(2021, 3, 25)
#: The roadmap of the hand-built benchmark, and the document symbol its header cites.
ROADMAP = "test-1"
SYMBOL = "TEST/1"


# --- a small benchmark built by hand -----------------------------------------------------------


def _frame(rows: list[dict[str, Any]], table: str) -> pl.DataFrame:
    return schema.conform(pl.DataFrame(rows), table) if rows else schema.empty(table)


def source(
    sid: str,
    title: str = "Report of the Secretary-General",
    url: str | None = "https://undocs.org/S/2021/300",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "source_id": sid,
        "title": title,
        "publisher": "United Nations",
        "symbol": "S/2021/300",
        "url": url,
        "published": AS_OF,
        "paragraph": "3",
        "kind": "primary",
        **extra,
    }


def obs(
    iid: str, end: date, value: float, geo: str = "ML", note: str | None = None, src: str = "s-1"
) -> dict[str, Any]:
    return {
        "indicator_id": iid,
        "geo_code": geo,
        "period_start": end,
        "period_end": end,
        "value": value,
        "unit": "percent",
        "source_id": src,
        "confidence": "primary",
        "note": note,
        "file": "data/raw/observations/women.csv",
        "line": 2,
    }


def roadmaps() -> pl.DataFrame:
    """One roadmap of Mali (see `pipelines.validate.sample.roadmap_frames`)."""
    return _frame(
        [
            {
                "roadmap_id": ROADMAP,
                "symbol": SYMBOL,
                "published": AS_OF,
                "source_id": "s-1",
                "acronym": "TEST",
                "mission_fr": "Mission d'essai",
                "mission_en": "Test mission",
                "country": "ML",
                "title_fr": "Feuille de route d'essai",
                "title_en": "Test roadmap",
            }
        ],
        "roadmaps",
    )


def indicator(iid: str, target: float | None = 30.0) -> dict[str, Any]:
    return {
        "roadmap_id": ROADMAP,
        "benchmark": "B",
        "indicator_id": iid,
        "name_fr": f"Nom {iid}",
        "name_en": f"Name {iid}",
        "unit": "percent",
        "direction": "increase",
        "cumulative": False,
        "target_value": target,
        "target_date": date(2022, 12, 31) if target is not None else None,
    }


def build_view(
    lang: str = "en",
    *,
    observations: Sequence[dict[str, Any]] = (),
    indicators: Sequence[dict[str, Any]] = (),
    milestone_name: str = "Electoral law adopted",
    description: str = "Law adopted by the CNT",
    sources: list[dict[str, Any]] | None = None,
    as_of: date = AS_OF,
    **bench: Any,
) -> views.BenchmarkView:
    """Benchmark B of roadmap `ROADMAP` (`bench` overrides its columns: paragraph, text...)."""
    tables = views.Tables(
        roadmaps=roadmaps(),
        key_dates=schema.empty("key_dates"),
        benchmarks=_frame(
            [
                {
                    "roadmap_id": ROADMAP,
                    "benchmark": "B",
                    "paragraph": 8,
                    "title_fr": "Élections",
                    "title_en": "Elections",
                    "text_fr": "Les réformes électorales ont été menées à bien.",
                    "text_en": "Electoral reforms have been completed.",
                    "phase": "I",
                    "horizon": date(2022, 12, 31),
                    "kind": "mixed",
                    **bench,
                }
            ],
            "benchmarks",
        ),
        indicators=_frame(list(indicators), "indicators"),
        milestones=_frame(
            [
                {
                    "roadmap_id": ROADMAP,
                    "benchmark": "B",
                    "milestone_id": "B1",
                    "name_fr": milestone_name,
                    "name_en": milestone_name,
                    "due": None,
                }
            ],
            "milestones",
        ),
        observations=_frame(list(observations), "observations"),
        events=_frame(
            [
                {
                    "roadmap_id": ROADMAP,
                    "benchmark": "B",
                    "milestone_id": "B1",
                    "date": date(2021, 1, 15),
                    "status": "full",
                    "score": 3,
                    "description_fr": description,
                    "description_en": description,
                    "source_id": "s-1",
                    "confidence": "primary",
                }
            ],
            "milestone_events",
        ),
        sources=_frame(sources if sources is not None else [source("s-1")], "sources"),
    )
    return views.benchmark_view(tables, "B", lang, as_of)


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
    view = build_view(
        indicators=[indicator("share")], observations=[obs("share", date(2020, 12, 31), 12.5, geo="ML-6", note=EVIL)]
    )
    html = panels.regional(view.indicators[0], "en")
    assert "<script" not in html
    assert ESCAPED in html
    assert "12.5%" in html
    assert "<td>Tombouctou</td>" in html  # the region by its name in the roadmap's country


def test_milestones_panel_escapes_names_and_descriptions() -> None:
    html = panels.milestones(build_view(milestone_name=EVIL, description=EVIL))
    assert "<script" not in html
    assert html.count(ESCAPED) == 2


def test_assessment_note_escapes_the_source_title() -> None:
    view = build_view(
        indicators=[indicator("share")],
        sources=[source("s-1", title=EVIL)],
        observations=[obs("share", date(2019, 12, 31), 10.0), obs("share", date(2020, 12, 31), 20.0)],
    )
    html = panels.assessment_note(view.indicators[0], view.sources, "en")
    assert "<script" not in html and ESCAPED in html


# --- header and headline -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "criterion", "other", "status", "label"),
    [
        (
            "fr",
            "Les réformes électorales ont été menées à bien.",
            "Electoral reforms",
            "cible atteinte",
            "Critère de référence (TEST/1, § 8)",
        ),
        (
            "en",
            "Electoral reforms have been completed.",
            "réformes électorales",
            "achieved",
            "Benchmark criterion (TEST/1, para. 8)",
        ),
    ],
)
def test_header_shows_the_criterion_and_status_in_the_report_language(
    lang: str, criterion: str, other: str, status: str, label: str
) -> None:
    view = build_view(lang)  # its only milestone is full: achieved
    html = panels.header(view)
    assert criterion in html and other not in html
    assert f">{status}</span>" in html
    assert f'<p class="mr-note">{label}</p>' in unescape(html)  # the symbol of the report's own roadmap
    assert "S/2021/300" not in html


@pytest.mark.parametrize(
    ("lang", "label"), [("fr", "Critère de référence (TEST/1)"), ("en", "Benchmark criterion (TEST/1)")]
)
def test_a_criterion_without_paragraph_names_the_roadmap_only(lang: str, label: str) -> None:
    assert panels.criterion_label(SYMBOL, None, lang) == label
    assert label in unescape(panels.header(build_view(lang, paragraph=None)))


def test_a_criterion_whose_wording_was_not_found_says_so_and_quotes_nothing() -> None:
    view = build_view("en", text_en=None, text_note_en="Wording not found in S/2021/807 (sought in the annex).")
    html = panels.header(view)
    assert "Wording not found in S/2021/807 (sought in the annex)." in html
    assert "<blockquote" not in html  # a note is not a quotation of the roadmap
    assert "<blockquote" in panels.header(build_view("en"))


def test_the_header_of_a_transferred_benchmark_says_since_when_to_whom_and_on_what_source() -> None:
    retired: dict[str, Any] = {
        "retired_on": date(2021, 4, 1),
        "retired_as": "transferred",
        "retired_to_fr": "l'équipe de pays",
        "retired_to_en": "the country team",
        "retired_source_id": "s-1",
    }
    html = unescape(panels.header(build_view("fr", as_of=date(2021, 4, 1), **retired)))
    assert ">transféré, plus évalué</span>" in html
    assert (
        "Critère transféré à l'équipe de pays le 1 avril 2021 (source : United Nations — Report of the "
        "Secretary-General) : il n'est plus évalué depuis cette date."
    ) in html  # the source named, never its id
    before = unescape(panels.header(build_view("fr", as_of=date(2021, 3, 31), **retired)))
    assert "transféré" not in before and ">cible atteinte</span>" in before


def test_headline_says_which_indicators_have_no_figure_and_never_estimates_them() -> None:
    view = build_view(
        indicators=[indicator("share"), indicator("quota", target=30.0), indicator("context", None)],
        observations=[obs("share", date(2019, 12, 31), 10.0), obs("share", date(2020, 12, 31), 20.0)],
    )
    html = panels.headline(view)
    # a targeted indicator without figure is a table row; the note lists the others
    assert "No published figure was found for: Name context. They stay missing, never estimated." in html
    row = html[html.index("<td>Name quota</td>") :]
    row = row[: row.index("</tr>")]
    assert "<td>not available</td>" in row  # its target is shown, no value is made up
    assert "Name share" in html and "20.0%" in html
    assert "Name share;" not in html  # an indicator with figures is not listed as missing


def test_headline_note_is_in_french_for_a_french_report() -> None:
    view = build_view("fr", indicators=[indicator("quota", None)])
    assert "Aucun chiffre publié n'a été trouvé pour : Nom quota." in unescape(panels.headline(view))


def test_headline_says_figures_were_set_aside_rather_than_never_found() -> None:
    view = build_view(indicators=[indicator("quota", None), indicator("context", None)])
    held = _frame(
        [
            {
                "file": "data/raw/observations/women.csv",
                "line": 7,
                "column": "geo",
                "value": "Atlantis",
                "rule": "known-region",
                "reason": "'Atlantis' is not a region of Mali",
                "roadmap_id": ROADMAP,
                "benchmark": "B",
                "indicator_id": "quota",
            }
        ],
        "quarantine",
    )
    html = panels.headline(view, held)
    assert "Figures supplied for Name quota were set aside when read: see the data-quality panel." in html
    assert "No published figure was found for: Name context." in html  # only the one with nothing supplied
    assert "Name quota;" not in html and "for: Name quota" not in html
    assert "set aside" not in panels.headline(view)  # nothing quarantined: both are simply missing


@pytest.mark.parametrize(
    ("args", "html"),
    [
        (("observations", "s-2021-300", "B"), '<a href="../../data/s-2021-300/observations-B.csv">data</a>'),
        (("observations", "s-2021-807", "10"), '<a href="../../data/s-2021-807/observations-10.csv">data</a>'),
        (("sources", "s-2021-300"), '<a href="../../data/s-2021-300/sources.csv">data</a>'),
        (("observations", "S/2021/300", "B"), "data"),  # a symbol is no folder name: no link
        (("observations", "../..", "B"), "data"),
        (('observations"', "s-2021-300"), "data"),
    ],
)
def test_a_data_link_points_at_the_roadmaps_csv_and_no_data_shapes_the_address(
    args: tuple[str, ...], html: str
) -> None:
    assert panels.data_link("data", *args) == html


# --- every panel of every benchmark of the embedded data renders -------------------------------


@pytest.mark.parametrize("roadmap", ["s-2021-300", "s-2021-807"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_panel_renders_for_every_benchmark(real_processed: Any, lang: str, roadmap: str) -> None:
    tables = views.Tables.load(real_processed, roadmap)
    symbol = tables.roadmap["symbol"]
    for letter in sorted(tables.benchmarks["benchmark"].to_list()):
        view = views.benchmark_view(tables, letter, lang, None)
        assert f"({symbol}" in panels.header(view)  # the criterion cites this roadmap's document
        parts = [
            panels.header(view),
            panels.headline(view),
            panels.milestones_summary(view),
            panels.milestones(view),
            panels.sources(view.sources, lang),
            panels.footer(view.as_of, "", lang),
        ]
        parts += [panels.regional(iv, lang) for iv in view.indicators]
        parts += [panels.assessment_note(iv, view.sources, lang) for iv in view.charted()]
        assert all(isinstance(p, str) for p in parts)
        assert view.criterion in unescape(panels.header(view))
        assert panels.sources(view.sources, lang).count("<tr>") == view.sources.height + 1


def test_tables_name_sources_as_a_reader_knows_them_linked() -> None:
    sources = pl.DataFrame(
        {
            "source_id": ["s-1", "s-2"],
            "title": ["[Report of the Secretary-General on Mali]", "x" * 90],
            "publisher": ["United Nations", None],
            "url": ["https://undocs.org/S/2021/519", "javascript:alert(1)"],
            "published": [date(2021, 6, 1), None],
        }
    )
    named = str(citations.source_name(sources, "s-1"))
    assert named == (
        '<a href="https://undocs.org/S/2021/519" rel="noopener noreferrer">United Nations — Report of '
        "the Secretary-General on Mali (2021)</a>"
    )
    long = str(citations.source_name(sources, "s-2"))
    assert "href" not in long and long.endswith("…") and len(long) == 68  # unsafe address: no link
    assert str(citations.source_name(sources, "unknown")) == "unknown"


def test_the_thematic_tables_name_their_sources_not_their_ids(real_tables: views.Tables) -> None:
    from pipelines.reports.ddr import panels as ddr_panels
    from pipelines.reports.ddr import sums as ddr
    from pipelines.reports.roadmap_figures import sums as claims
    from pipelines.reports.women_quota import panels as women_panels
    from pipelines.reports.women_quota import sums as women

    quota = women.quota_report(real_tables, "all", None)
    parliament = women_panels.gap_rows(quota, "en")[0][2]
    assert "World Bank (data: Inter-Parliamentary Union); mirror: Open Numbers — World Development" in parliament
    assert "counts: <a " in parliament
    assert "wdi-ddf-2025" not in parliament.replace("href", "")
    report = ddr.ddr_report(real_tables, None)
    cells = " ".join(
        str(c) for row in ddr_panels.headline_rows(report, "en") + ddr_panels.stage_rows(report, "en") for c in row
    )
    assert "abamako.com (Le Pays) — " in cells and "(secondary source)" in cells
    audits = claims.audit_all(
        real_tables.indicators, real_tables.observations, date(2026, 1, 22), roadmap_date=date(2021, 3, 25)
    )
    table = claims_panels.claims_table(audits, "en", date(2021, 3, 25), date(2026, 1, 22), real_tables.sources)
    assert '<a href="' in table and "ophi-2016-owid ·" not in table


def test_the_headline_says_why_each_assessed_status_is_what_it_is(real_tables: views.Tables) -> None:
    html = str(panels.headline(views.benchmark_view(real_tables, "D", "en", None)))
    assert "Counted since 30 April 2021: each figure minus 1,428" in html  # the indicator with a target
    assert "No target is set for this indicator" not in html  # the others read "no target: not assessed"
    assert html.count("no target: not assessed") == 5
