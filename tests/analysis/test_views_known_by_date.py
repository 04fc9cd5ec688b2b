"""Two times for every figure: the period it describes and the day it became known.

A report as of a date shows what a reader could know on that date: a figure (or a release of a
series) published later is left out, and a figure without a known publication date is counted
from the end of its period, with that rule stated beside it.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.analysis import history, views
from pipelines.ingest import step as ingest
from pipelines.present import panels
from tests.ingest.test_step import HEADER, make_raw, quarantined
from tests.support import latest

ROADMAP_DAY = date(2021, 3, 25)


def test_a_figure_is_known_from_its_own_date_else_its_sources_else_its_period_end(tmp_path: Path) -> None:
    raw = make_raw(
        tmp_path,
        HEADER.rstrip("\n") + ",published\n"
        "women_share,ML,2020,,27.9,,s1,primary,,2021-02-01\n"  # its own release date
        "women_share,ML,2019,,25,,s1,primary,,\n"  # s1 was published 2020-12-28
        "women_share,ML,2018,,20,,s2,primary,,\n",
    )  # s2 has no date
    with (raw / "sources.csv").open("a", encoding="utf-8") as handle:
        handle.write("s2,Undated page,Press,,https://example.org/s2,,,secondary\n")
    frame = ingest.ingest(raw).tables["observations"].sort("period_start")
    assert frame.select("known_rule", "known_from").rows() == [
        ("period_end", date(2018, 12, 31)),
        ("source", date(2020, 12, 28)),
        ("published", date(2021, 2, 1)),
    ]


def test_a_malformed_publication_date_is_quarantined_with_its_rule(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER.rstrip("\n") + ",published\nwomen_share,ML,2020,,27.9,,s1,primary,,June 2021\n")
    [problem] = quarantined(ingest.ingest(raw))
    assert (problem["column"], problem["rule"], problem["value"]) == ("published", "published", "June 2021")


def test_on_the_roadmaps_date_no_later_release_reaches_a_report(real_tables: views.Tables) -> None:
    known = real_tables.as_known(ROADMAP_DAY)
    assert latest(known.observations["known_from"]) <= ROADMAP_DAY
    published = known.sources["published"].drop_nulls()
    assert published.is_empty() or latest(published) <= ROADMAP_DAY
    # the JMP and PIP releases of 2025 (published Dec 2025 and Jan 2026) are not there yet
    late = real_tables.sources.filter(pl.col("published") > date(2025, 12, 1))["source_id"].to_list()
    assert late and not set(late) & set(known.observations["source_id"].to_list())


def test_every_shipped_figure_is_known_from_a_dated_source(real_tables: views.Tables) -> None:
    # no figure counts "from the end of its period" any more: each source has a day or a rule
    assert real_tables.observations["known_rule"].unique().to_list() == ["source"]


DAYS = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 6, 30))


@settings(max_examples=25, deadline=None)
@given(DAYS, DAYS)
def test_moving_as_of_back_never_adds_a_figure(real_tables: views.Tables, one: date, two: date) -> None:
    early, late = sorted((one, two))
    before, after = (real_tables.as_known(d).observations.drop("file", "line") for d in (early, late))
    assert before.join(after, on=before.columns, how="anti", nulls_equal=True).is_empty()


@settings(max_examples=10, deadline=None)
@given(st.dates(min_value=date(2021, 3, 25), max_value=date(2025, 12, 31)), st.sampled_from("BDEH"))
def test_a_figure_published_after_as_of_never_changes_a_status(
    real_tables: views.Tables, day: date, letter: str
) -> None:
    indicators = real_tables.indicators.filter(pl.col("benchmark") == letter)["indicator_id"].to_list()
    template = real_tables.observations.filter(pl.col("indicator_id").is_in(indicators)).head(1)
    if template.is_empty():
        return
    later = day + timedelta(days=1)
    # a decisive figure for a period already over, but published only after the report's date
    spoiler = template.with_columns(
        pl.lit(99.0).alias("value"),
        pl.lit(date(2020, 1, 1)).alias("period_start"),
        pl.lit(date(2020, 12, 31)).alias("period_end"),
        pl.lit(later).alias("published"),
        pl.lit(later).alias("known_from"),
        pl.lit("published").alias("known_rule"),
        pl.lit("spoiler").alias("source_id"),
    )
    spoiled = views.Tables(**{**real_tables.__dict__, "observations": pl.concat([real_tables.observations, spoiler])})
    clean = views.benchmark_view(real_tables, letter, "en", day).sidecar()
    assert views.benchmark_view(spoiled, letter, "en", day).sidecar() == clean


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_report_footer_says_figures_are_as_known_on_its_date(lang: str) -> None:
    text = str(panels.footer(date(2022, 6, 30), "", lang))
    assert ("telle qu&#x27;on pouvait la connaître ce jour-là" if lang == "fr" else "as known on that day") in text


# --- events: known from the day their source was published ------------------------------------


def test_an_event_counts_from_the_day_its_report_was_published(real_tables: views.Tables) -> None:
    # benchmark A: the constitution commission created by decree on 19 December 2022 is reported by
    # S/2023/236, published 30 March 2023: a report of 31 December 2022 does not know it yet
    event = real_tables.events.filter((pl.col("milestone_id") == "A1") & (pl.col("date") == date(2022, 12, 19)))
    assert event.height == 1
    assert (event["source_id"].item(), event["known_from"].item()) == ("s-2023-236", date(2023, 3, 30))
    before, after = (views.benchmark_view(real_tables, "A", "en", d) for d in (date(2022, 12, 31), date(2023, 3, 30)))
    assert date(2022, 12, 19) not in before.events["date"].to_list()
    assert "s-2023-236" not in before.sources["source_id"].to_list()
    assert date(2022, 12, 19) in after.events["date"].to_list() and "s-2023-236" in after.sources["source_id"].to_list()


def test_an_event_reported_later_is_neither_shown_scored_nor_counted_before(real_tables: views.Tables) -> None:
    # a decisive event of January 2022 whose only report is published in 2024
    template = real_tables.events.filter(pl.col("benchmark") == "D").head(1)
    late = template.drop("known_from").with_columns(
        pl.lit(date(2022, 1, 10)).alias("date"),
        pl.lit("full").alias("status"),
        pl.lit(3, pl.Int8).alias("score"),
        pl.lit("late-report").alias("source_id"),
    )
    source = real_tables.sources.head(1).with_columns(
        pl.lit("late-report").alias("source_id"), pl.lit(date(2024, 1, 15)).alias("published")
    )
    spoiled = views.Tables(
        **{
            **real_tables.__dict__,
            "events": pl.concat([real_tables.events.drop("known_from"), late]),
            "sources": pl.concat([real_tables.sources, source]),
        }
    )
    assert spoiled.events.filter(pl.col("source_id") == "late-report")["known_from"].to_list() == [date(2024, 1, 15)]
    day = date(2023, 6, 30)
    assert (
        views.benchmark_view(spoiled, "D", "en", day).sidecar()
        == views.benchmark_view(real_tables, "D", "en", day).sidecar()
    )
    old, new = (history.status_history(t, date(2023, 12, 31), benchmarks=["D"]) for t in (real_tables, spoiled))
    assert old.filter(pl.col("date") <= day).equals(new.filter(pl.col("date") <= day))
    later = views.benchmark_view(spoiled, "D", "en", date(2024, 1, 15))
    assert (
        "late-report" in later.events["source_id"].to_list() and "late-report" in later.sources["source_id"].to_list()
    )
    news = history.changes(spoiled, date(2023, 12, 31), date(2024, 3, 31))
    assert "late-report" in news.filter(pl.col("kind") == "event")["new_source_id"].to_list()


# --- the property: nothing a reader could not have known ---------------------------------------


def _quarter_ends(start: date, end: date) -> list[date]:
    return [d for d in history.history_dates(start, end) if d != end]


@pytest.fixture(scope="module", params=["s-2021-300", "s-2021-807"])
def roadmap_tables(request: pytest.FixtureRequest, real_processed: Path) -> views.Tables:
    return views.Tables.load(real_processed, request.param)


def test_at_every_quarter_end_nothing_published_or_reported_later_is_known(roadmap_tables: views.Tables) -> None:
    tables = roadmap_tables
    # every shipped source is dated (a found day or a declared rule): none counts as "always known"
    assert tables.sources["published"].null_count() == 0
    for day in _quarter_ends(tables.roadmap["published"], date(2026, 1, 1)):
        known = tables.as_known(day)
        assert latest(known.sources["published"]) <= day, day
        assert known.events.is_empty() or latest(known.events["known_from"]) <= day, day
        assert known.events.is_empty() or latest(known.events["date"]) <= day, day
        published = dict(zip(tables.sources["source_id"], tables.sources["published"], strict=True))
        cited = set(known.observations["source_id"].to_list()) | set(known.events["source_id"].to_list())
        assert all(published[s] <= day for s in cited), (day, sorted(s for s in cited if published[s] > day))


@settings(max_examples=6, deadline=None)
@given(st.integers(min_value=0, max_value=18), st.data())
def test_a_report_of_a_quarter_end_cites_nothing_later(
    roadmap_tables: views.Tables, n: int, data: st.DataObject
) -> None:
    tables = roadmap_tables
    days = _quarter_ends(tables.roadmap["published"], date(2026, 1, 1))
    day = days[min(n, len(days) - 1)]
    letter = data.draw(st.sampled_from(sorted(tables.benchmarks["benchmark"].to_list())))
    view = views.benchmark_view(tables, letter, "en", day)
    assert view.sources.is_empty() or latest(view.sources["published"]) <= day
    assert view.events.is_empty() or latest(view.events["known_from"]) <= day


# --- a roadmap exists from its adoption --------------------------------------------------------


@pytest.fixture(scope="module")
def monusco(real_processed: Path) -> views.Tables:
    return views.Tables.load(real_processed, "s-2021-807")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_monusco_before_its_plan_has_no_status_and_says_when_it_was_adopted(monusco: views.Tables, lang: str) -> None:
    card = views.scorecard(monusco, lang, date(2021, 3, 25))
    assert card["status"].unique().to_list() == ["not_yet_in_force"]
    assert card["score"].null_count() == card.height
    adopted = "17 septembre 2021" if lang == "fr" else "17 September 2021"
    assert all(adopted in why for why in card["why"].to_list()), card["why"].to_list()
    view = views.benchmark_view(monusco, "DDR", lang, date(2021, 3, 25))
    assert view.events.is_empty()  # the P-DDRCS was created in July 2021


def test_monusco_benchmarks_as_signed_then_four_retained_and_the_rest_transferred(monusco: views.Tables) -> None:
    signed = views.scorecard(monusco, "en", date(2022, 12, 31))
    assert "transferred" not in signed["status"].to_list() and "not_yet_in_force" not in signed["status"].to_list()
    revised = views.scorecard(monusco, "en", date(2023, 9, 30)).select("benchmark", "status").rows()
    assert dict(revised)["OTHER"] == "transferred"
    assert {b for b, s in revised if s != "transferred"} >= {"POC", "DDR", "SSR", "ELEC"}


def test_an_event_with_its_own_earlier_report_counts_from_it(tmp_path: Path) -> None:
    # the source (s1) is published on 2022-12-28; a first report of the event, named in its
    # description, made it known on 2022-07-01: the row's own `published` says so
    raw = make_raw(tmp_path, HEADER)
    (raw / "sources.csv").write_text(
        "source_id,title,publisher,symbol,url,published,paragraph,kind\n"
        "s1,Report,UN,,https://example.org/s1,2022-12-28,,primary\n",
        encoding="utf-8",
    )
    (raw / "milestones.csv").write_text(
        "benchmark,milestone_id,date,status,description_fr,description_en,source_id,confidence,published\n"
        "B,B1,2022-06-17,full,x,first reported on 1 July 2022,s1,primary,2022-07-01\n"
        "B,B1,2022-06-10,minimal,x,x,s1,primary,\n"
        "B,B1,2022-06-11,minimal,x,x,s1,primary,July 2022\n",
        encoding="utf-8",
    )
    result = ingest.ingest(raw)
    assert [(p["line"], p["column"]) for p in quarantined(result)] == [(4, "published")]
    tables = result.tables
    events = views.events_known(tables["milestone_events"], tables["sources"]).sort("date")
    assert events.select("date", "known_from").rows() == [
        (date(2022, 6, 10), date(2022, 12, 28)),
        (date(2022, 6, 17), date(2022, 7, 1)),
    ]


def test_a_benchmark_added_by_a_later_set_has_no_status_before_it(monusco: views.Tables) -> None:
    later = views.Tables(
        **{
            **monusco.__dict__,
            "benchmarks": monusco.benchmarks.with_columns(
                in_force_from=pl.when(pl.col("benchmark") == "WDR").then(pl.lit(date(2023, 1, 1))).otherwise(None)
            ),
        }
    )
    before = views.benchmark_view(later, "WDR", "en", date(2022, 12, 31))
    assert before.status == "not_yet_in_force"
    assert (
        before.status_why()
        == "This benchmark was not yet part of the roadmap (it was added on 1 January 2023): no status."
    )
    assert views.benchmark_view(later, "WDR", "en", date(2023, 1, 1)).status != "not_yet_in_force"
