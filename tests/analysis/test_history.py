"""Status history and the changes since a date: small tables with known answers, then the real
data (benchmark D through 2021-2023, the changes of 2022)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from pipelines.analysis import history, views
from pipelines.core.errors import UsageError
from pipelines.present import history_panels
from pipelines.run import checks, context
from tests.analysis.test_views import event, indicator, make_tables, milestone, obs

D = date


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (D(2021, 3, 25), D(2021, 3, 31)),
        (D(2021, 4, 1), D(2021, 6, 30)),
        (D(2022, 12, 31), D(2022, 12, 31)),
        (D(2024, 2, 29), D(2024, 3, 31)),
    ],
)
def test_quarter_ends(day: date, end: date) -> None:
    assert history.quarter_end(day) == end


@pytest.mark.parametrize(
    ("as_of", "since"),
    [(D(2022, 12, 31), D(2022, 9, 30)), (D(2026, 1, 22), D(2025, 12, 31)), (D(2021, 4, 1), D(2021, 3, 31))],
)
def test_the_default_since_is_the_quarter_end_before(as_of: date, since: date) -> None:
    assert history.default_since(as_of) == since
    assert history.resolve_since("", as_of) == since


def test_the_history_runs_from_the_roadmaps_quarter_to_the_reports_date() -> None:
    assert history.history_dates(D(2021, 3, 25), D(2021, 11, 2)) == [
        D(2021, 3, 31),
        D(2021, 6, 30),
        D(2021, 9, 30),
        D(2021, 11, 2),
    ]
    assert history.history_dates(D(2021, 3, 25), D(2021, 9, 30))[-1] == D(2021, 9, 30)  # not twice


def test_since_must_come_before_a_given_reports_date() -> None:
    with pytest.raises(UsageError, match="--since 2022-12-31 must come before --as-of 2022-12-31"):
        checks.check_since("2022-12-31", "2022-12-31", D(2026, 1, 1))
    with pytest.raises(UsageError, match="since"):
        context.check(roadmap="s-2021-300", lang="fr", as_of="2022-06-30", since="2022-07-01")


# --- on small tables -----------------------------------------------------------------------------


def _known(row: dict, known_from: date) -> dict:
    return {**row, "known_from": known_from}


@pytest.fixture
def tables() -> views.Tables:
    """Benchmark B: a share with a 30 % target by 2022-12-31 and one milestone. The 2021 figure
    (31 Dec 2021) is published on 15 Feb 2022; a later release revises it on 10 Aug 2022."""
    return make_tables(
        indicators=[indicator("share")],
        observations=[
            _known(obs("share", D(2021, 3, 1), 20.0, "s-first"), D(2021, 3, 1)),
            _known(obs("share", D(2021, 12, 31), 24.0, "s-release-1"), D(2022, 2, 15)),
            _known(obs("share", D(2021, 12, 31), 25.0, "s-release-2"), D(2022, 8, 10)),
        ],
        milestones=[milestone("B1")],
        events=[event("B1", D(2021, 5, 3), "intermediate"), event("B1", D(2022, 5, 9), "reversed")],
    )


def _cell(frame: pl.DataFrame, day: date, indicator_id: str | None = None) -> dict:
    rows = frame.filter((pl.col("date") == day) & (pl.col("indicator_id").eq_missing(indicator_id)))
    return rows.row(0, named=True)


def test_a_figure_published_after_a_quarter_end_appears_only_from_the_next_quarter(tables: views.Tables) -> None:
    past = history.status_history(tables, D(2022, 6, 30))
    assert _cell(past, D(2021, 12, 31), "share")["status"] == "insufficient_data"  # 24 % not yet published
    march = _cell(past, D(2022, 3, 31), "share")
    assert march["status"] != "insufficient_data"
    # the same as the report of that date would say, by the same code
    report = views.benchmark_view(tables, "B", "en", D(2022, 3, 31))
    assert march["status"] == report.indicators[0].assessment.status
    assert _cell(past, D(2022, 3, 31))["status"] == report.status


def test_a_reversed_milestone_shows_as_a_status_change(tables: views.Tables) -> None:
    past = history.status_history(tables, D(2022, 6, 30))
    assert (_cell(past, D(2022, 3, 31))["points"], _cell(past, D(2022, 6, 30))["points"]) == (2, 0)
    assert _cell(past, D(2022, 6, 30))["status"] == "deterioration"
    found = history.changes(tables, D(2022, 3, 31), D(2022, 6, 30))
    moved = found.filter((pl.col("kind") == "status_changed") & pl.col("indicator_id").is_null()).row(0, named=True)
    assert (moved["old_status"], moved["new_status"]) == (_cell(past, D(2022, 3, 31))["status"], "deterioration")
    reversal = found.filter(pl.col("kind") == "event").row(0, named=True)
    assert (reversal["milestone_id"], reversal["old_status"], reversal["new_status"]) == (
        "B1",
        "intermediate",
        "reversed",
    )


def test_a_revision_shows_as_old_to_new_with_both_sources(tables: views.Tables) -> None:
    found = history.changes(tables, D(2022, 6, 30), D(2022, 9, 30))
    revised = found.filter(pl.col("kind") == "figure_revised")
    assert revised.select("old_value", "new_value", "old_source_id", "new_source_id").rows() == [
        (24.0, 25.0, "s-release-1", "s-release-2")
    ]
    assert found.filter(pl.col("kind") == "figure_added").is_empty()
    first = history.changes(tables, D(2021, 12, 31), D(2022, 3, 31))
    assert first.filter(pl.col("kind") == "figure_added")["new_value"].to_list() == [24.0]


def test_a_since_after_the_datas_latest_date_finds_no_change(tables: views.Tables) -> None:
    # a scheduler's last run, on a night with no new data: the default as_of is the data's date
    assert history.changes(tables, D(2023, 1, 5), tables.latest_date()).is_empty()


def test_a_quiet_period_says_no_change(tables: views.Tables) -> None:
    quiet = history.changes(tables, D(2022, 9, 30), D(2022, 11, 30))
    assert quiet.is_empty()
    for lang, words in (("en", "No change since 30 September 2022"), ("fr", "Aucun changement depuis le 30 septembre")):
        assert words in str(history_panels.since_section(tables, quiet, D(2022, 9, 30), D(2022, 11, 30), lang))


def test_the_changes_csv_travels_in_the_page_and_reads_back(tables: views.Tables) -> None:
    import base64
    import io
    import re

    found = history.changes(tables, D(2021, 12, 31), D(2022, 9, 30))
    page = str(history_panels.since_section(tables, found, D(2021, 12, 31), D(2022, 9, 30), "en"))
    payload = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', page)
    assert payload is not None
    back = pl.read_csv(io.BytesIO(base64.b64decode(payload.group(1))))
    assert back.height == found.height and set(back["kind"].to_list()) == set(found["kind"].to_list())


# --- on the real data ----------------------------------------------------------------------------


def test_d_moves_through_2021_2023_as_its_milestone_events_say(real_tables: views.Tables) -> None:
    quarters = [q for q in history.history_dates(D(2021, 3, 25), D(2023, 12, 31)) if q.year <= 2023]
    past = history.status_history(real_tables, D(2023, 12, 31), quarters, benchmarks=["D"])
    rows = past.filter(pl.col("indicator_id").is_null())
    events = real_tables.events.filter(pl.col("benchmark") == "D")
    milestones = real_tables.milestones.filter(pl.col("benchmark") == "D")
    from pipelines.analysis import progress

    for r in rows.iter_rows(named=True):
        counted = min(r["date"], D(2022, 12, 31))  # at its horizon and after, the milestones as they stood on it
        expected = progress.milestone_score(events.filter(pl.col("date") <= counted), milestones, counted)
        if r["reason"] == "milestones":  # the points are the row's score when the milestones decide
            assert (r["points"], r["max_points"]) == (expected.points, expected.max_points), r["date"]
        assert r["status"] == views.benchmark_view(real_tables, "D", "en", r["date"]).status, r["date"]

    # the August 2022 agreement on integration raised the points before the horizon; from the horizon on
    # the status says whether the benchmark was met by it, and the exit from Kidal (Oct 2023) changes nothing
    def points(day: date) -> int:
        return progress.milestone_score(events.filter(pl.col("date") <= day), milestones, day).points

    assert points(D(2022, 9, 30)) > points(D(2022, 6, 30)) and points(D(2023, 12, 31)) < points(D(2023, 9, 30))
    after = rows.filter(pl.col("date") >= D(2022, 12, 31))["status"].unique().to_list()
    assert after == ["not_achieved_by_deadline"]


def test_the_changes_of_2022_are_those_the_data_records(real_tables: views.Tables) -> None:
    found = history.changes(real_tables, D(2021, 12, 31), D(2022, 12, 31))
    # the events that became known in 2022 (reported then), not all those dated in it: the commission
    # created on 19 December 2022 is news of 2023, when S/2023/236 (30 March 2023) reported it
    known = pl.col("known_from")
    events = real_tables.events.filter((known > D(2021, 12, 31)) & (known <= D(2022, 12, 31)))
    assert found.filter(pl.col("kind") == "event").height == events.height
    assert (
        events.filter(pl.col("date") > D(2021, 12, 31)).height
        < real_tables.events.filter((pl.col("date") > D(2021, 12, 31)) & (pl.col("date") <= D(2022, 12, 31))).height
    )
    moved = {
        r["indicator_id"]: (r["old_status"], r["new_status"])
        for r in found.filter(pl.col("kind") == "status_changed").iter_rows(named=True)
    }
    assert moved["ddr_integrated_cumulative"] == ("insufficient_data", "not_achieved_by_deadline")  # 759 by June 2022
    added = found.filter((pl.col("kind") == "figure_added") & (pl.col("indicator_id") == "ddr_integrated_cumulative"))
    assert added["new_value"].to_list() == [1765.0]
    # every change cites a source, but a status change, which cites its figures in its sentence
    assert found.filter((pl.col("kind") != "status_changed") & pl.col("new_source_id").is_null()).is_empty()
    for lang in ("fr", "en"):
        page = str(history_panels.since_section(real_tables, found, D(2021, 12, 31), D(2022, 12, 31), lang))
        assert "1,765" in page or "1\u202f765" in page or "1 765" in page


def test_a_page_lists_at_most_its_share_of_changes_and_says_how_many_more(tables: views.Tables) -> None:
    many = pl.concat(
        [history.changes(tables, D(2021, 12, 31), D(2022, 9, 30)).filter(pl.col("kind") == "event")]
        * (history_panels.MAX_CHANGES_LISTED + 10)
    )
    page = str(history_panels.since_section(tables, many, D(2021, 12, 31), D(2022, 9, 30), "en"))
    assert page.count("Milestone B1") == history_panels.MAX_CHANGES_LISTED
    assert f"… and {many.height - history_panels.MAX_CHANGES_LISTED} more: see below." in page
