"""Two times for every figure: the period it describes and the day it became known.

A report as of a date shows what a reader could know on that date: a figure (or a release of a
series) published later is left out, and a figure without a known publication date is counted
from the end of its period, with that rule stated beside it.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.analysis import views
from pipelines.ingest import step as ingest
from pipelines.present import panels
from tests.ingest.test_step import HEADER, make_raw, quarantined

ROADMAP_DAY = date(2021, 3, 25)


def test_a_figure_is_known_from_its_own_date_else_its_sources_else_its_period_end(tmp_path) -> None:
    raw = make_raw(tmp_path, HEADER.rstrip("\n") + ",published\n"
                   "women_share,ML,2020,,27.9,,s1,primary,,2021-02-01\n"   # its own release date
                   "women_share,ML,2019,,25,,s1,primary,,\n"               # s1 was published 2020-12-28
                   "women_share,ML,2018,,20,,s2,primary,,\n")              # s2 has no date
    with (raw / "sources.csv").open("a", encoding="utf-8") as handle:
        handle.write("s2,Undated page,Press,,https://example.org/s2,,,secondary\n")
    frame = ingest.ingest(raw).tables["observations"].sort("period_start")
    assert frame.select("known_rule", "known_from").rows() == [
        ("period_end", date(2018, 12, 31)), ("source", date(2020, 12, 28)), ("published", date(2021, 2, 1))]


def test_a_malformed_publication_date_is_quarantined_with_its_rule(tmp_path) -> None:
    raw = make_raw(tmp_path, HEADER.rstrip("\n") + ",published\nwomen_share,ML,2020,,27.9,,s1,primary,,June 2021\n")
    [problem] = quarantined(ingest.ingest(raw))
    assert (problem["column"], problem["rule"], problem["value"]) == ("published", "published", "June 2021")


def test_on_the_roadmaps_date_no_later_release_reaches_a_report(real_tables: views.Tables) -> None:
    known = real_tables.as_known(ROADMAP_DAY)
    assert known.observations["known_from"].max() <= ROADMAP_DAY
    published = known.sources["published"].drop_nulls()
    assert published.is_empty() or published.max() <= ROADMAP_DAY
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
def test_a_figure_published_after_as_of_never_changes_a_status(real_tables: views.Tables, day: date,
                                                                letter: str) -> None:
    indicators = real_tables.indicators.filter(pl.col("benchmark") == letter)["indicator_id"].to_list()
    template = real_tables.observations.filter(pl.col("indicator_id").is_in(indicators)).head(1)
    if template.is_empty():
        return
    later = day + timedelta(days=1)
    # a decisive figure for a period already over, but published only after the report's date
    spoiler = template.with_columns(pl.lit(99.0).alias("value"), pl.lit(date(2020, 1, 1)).alias("period_start"),
                                    pl.lit(date(2020, 12, 31)).alias("period_end"),
                                    pl.lit(later).alias("published"), pl.lit(later).alias("known_from"),
                                    pl.lit("published").alias("known_rule"), pl.lit("spoiler").alias("source_id"))
    spoiled = views.Tables(**{**real_tables.__dict__,
                              "observations": pl.concat([real_tables.observations, spoiler])})
    clean = views.benchmark_view(real_tables, letter, "en", day).sidecar()
    assert views.benchmark_view(spoiled, letter, "en", day).sidecar() == clean


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_report_footer_says_figures_are_as_known_on_its_date(lang: str) -> None:
    text = str(panels.footer(date(2022, 6, 30), "", lang))
    assert ("telle qu&#x27;on pouvait la connaître ce jour-là" if lang == "fr" else "as known on that day") in text
