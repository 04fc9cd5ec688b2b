"""A reviewer's status beside the rule's, known from its date and stale once the rule moves;
the confidence of a status, criterion by criterion; the rubric under a milestone; the real
elections case read beside its observers' findings."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from pipelines.analysis import confidence, history, views
from pipelines.analysis.assessment import assessments
from pipelines.core import paths, schema
from pipelines.present import charts, history_panels, panels
from pipelines.reports.brief import panels as brief_panels
from pipelines.run import jobs, slices

DAY = date(2026, 12, 7)


def review(
    benchmark: str,
    computed: str,
    reviewed: str | None,
    day: date = date(2024, 2, 1),
    *,
    milestone_id: str | None = None,
    indicator_id: str | None = None,
) -> dict:
    return {
        "roadmap_id": "s-2021-300",
        "benchmark": benchmark,
        "indicator_id": indicator_id,
        "milestone_id": milestone_id,
        "review_date": day,
        "reviewer": "Reviewer R",
        "computed_status": computed,
        "reviewed_status": reviewed,
        "reasons_fr": "Motifs de la revue.",
        "reasons_en": "The review's reasons.",
        "source_ids": "s-2023-402",
        "file": "data/raw/reviews/s-2021-300.csv",
        "line": 2,
    }


def with_reviews(tables: views.Tables, *rows: dict) -> views.Tables:
    return replace(tables, reviews=schema.conform(pl.DataFrame(list(rows), schema=schema.REVIEWS), "reviews"))


def row(frame: pl.DataFrame, benchmark: str) -> dict:
    return frame.filter((pl.col("benchmark") == benchmark) & pl.col("indicator_id").is_null()).row(0, named=True)


def test_a_review_is_shown_beside_the_computed_status_and_changes_no_figure(real_tables: views.Tables) -> None:
    before = row(assessments(real_tables, DAY), "C")
    tables = with_reviews(real_tables, review("C", "not_achieved_by_deadline", "deterioration"))
    after = row(assessments(tables, DAY), "C")
    assert after["status"] == before["status"] == "not_achieved_by_deadline"  # the rule's, unchanged
    assert (after["review_state"], after["reviewed_status"], after["reviewer"]) == (
        "changed",
        "deterioration",
        "Reviewer R",
    )
    assert after["review_date"] == date(2024, 2, 1) and after["review_source_ids"] == "s-2023-402"
    for column in ("deciding_value", "deciding_date", "counted_value", "target_value", "share_of_target"):
        assert after[column] == before[column], column
    view = views.benchmark_view(tables, "C", "en", DAY)
    header = str(panels.header(view))
    badges = header.split('class="mr-badge mr-')
    assert badges[1].startswith("not_achieved_by_deadline") and badges[2].startswith("deterioration")
    assert "Reviewer R, 1 February 2024" in header and "The review&#x27;s reasons." in header
    assert view.sidecar()["review"]["status"] == "deterioration"
    card = views.scorecard(tables, "en", DAY).filter(pl.col("benchmark") == "C").row(0, named=True)
    assert (card["review_state"], card["review_status"]) == ("changed", "deterioration")
    assert "reviewed" in str(panels.scorecard(views.scorecard(tables, "en", DAY), "en"))


def test_a_review_whose_computed_status_has_moved_is_to_be_reviewed_again(real_tables: views.Tables) -> None:
    tables = with_reviews(real_tables, review("C", "needs_acceleration", "on_track"))
    after = row(assessments(tables, DAY), "C")
    assert after["review_state"] == "stale" and after["reviewed_status"] is None  # never applied silently
    assert after["reviewed_status_computed"] == "needs_acceleration"
    header = str(panels.header(views.benchmark_view(tables, "C", "en", DAY)))
    assert "to be reviewed again" in header and "mr-badge mr-on_track" not in header
    assert "now &#x27;not achieved by the deadline&#x27;" in header


def test_a_review_is_not_known_before_its_date(real_tables: views.Tables) -> None:
    tables = with_reviews(real_tables, review("C", "not_achieved_by_deadline", "deterioration", date(2025, 6, 1)))
    assert row(assessments(tables, date(2025, 5, 31)), "C")["review_state"] is None
    assert row(assessments(tables, date(2025, 6, 1)), "C")["review_state"] == "changed"
    found = history.status_history(tables, DAY, [date(2025, 3, 31), date(2025, 6, 30)], ["C"])
    assert found.filter(pl.col("indicator_id").is_null())["review_state"].to_list() == [None, "changed"]
    changes = history.changes(tables, date(2025, 1, 1), DAY)
    assert changes.filter(pl.col("kind") == "reviewed")["date"].to_list() == [date(2025, 6, 1)]


def test_a_milestone_review_stands_beside_its_level(real_tables: views.Tables) -> None:
    tables = with_reviews(real_tables, review("A", "intermediate", "minimal", milestone_id="A3"))
    cells = str(panels.milestones(views.benchmark_view(tables, "A", "en", DAY)))
    assert "intermediate · Reviewed status: minimal" in cells and "The review&#x27;s reasons." in cells


def test_the_rubric_is_printed_under_its_milestone(real_tables: views.Tables) -> None:
    view = views.benchmark_view(real_tables, "F", "en", DAY)
    assert dict(view.rubric("F1"))["minimal"].startswith("bill drafted, or withdrawn before adoption")
    cells = str(panels.milestones(view))
    assert "Territorial police law adopted — what each level means: minimal: bill drafted" in cells
    french = str(panels.milestones(replace(view, lang="fr")))
    assert "ce que vaut chaque niveau" in french
    assert "minimal : " in french and "minimal: " not in french  # French typography: a space before the colon


# --- confidence, one criterion at a time ------------------------------------------------------

SOURCES = pl.DataFrame(
    {
        "source_id": ["p1", "p2", "s1", "r1"],
        "kind": ["primary", "primary", "secondary", "primary"],
        "published_rule": [None, None, None, "2023-05: the month in its address"],
    }
)


def counted(*events: tuple[str, date, str, str]) -> pl.DataFrame:
    return pl.DataFrame([{"milestone_id": m, "date": d, "status": s, "source_id": src} for m, d, s, src in events])


@pytest.mark.parametrize(
    ("events", "extra", "criteria"),
    [
        ([("M1", date(2026, 1, 1), "full", "p1"), ("M2", date(2026, 2, 1), "minimal", "p2")], [], ()),
        (
            [
                ("M1", date(2026, 1, 1), "full", "s1"),
                ("M2", date(2026, 2, 1), "minimal", "s1"),
                ("M3", date(2026, 2, 1), "minimal", "p1"),
            ],
            [],
            ("secondary",),
        ),
        ([("M1", date(2020, 1, 1), "full", "p1"), ("M2", date(2020, 2, 1), "minimal", "p2")], [], ("old",)),
        (
            [("M1", date(2026, 1, 1), "full", "p1"), ("M2", date(2026, 2, 1), "minimal", "p2")],
            [("M1", date(2026, 1, 1), "intermediate", "p2")],
            ("conflicting",),
        ),
        (
            [
                ("M1", date(2026, 1, 1), "full", "r1"),
                ("M2", date(2026, 2, 1), "minimal", "r1"),
                ("M3", date(2026, 2, 1), "minimal", "p1"),
            ],
            [],
            ("undated",),
        ),
        ([("M1", date(2026, 1, 1), "full", "p1"), ("M2", date(2026, 2, 1), "minimal", "p1")], [], ("single_source",)),
    ],
)
def test_each_criterion_lowers_the_grade(
    events: list[tuple[str, date, str, str]], extra: list[tuple[str, date, str, str]], criteria: tuple[str, ...]
) -> None:
    rows = counted(*events)
    found = confidence.of_milestones(
        rows, pl.concat([rows, counted(*extra)]) if extra else rows, SOURCES, date(2026, 6, 1)
    )
    assert found.criteria == criteria
    assert found.grade == ("high" if not criteria else "medium")
    assert confidence.grade(("secondary", "old")).grade == "low"
    if criteria:
        assert found.reasons("en") and found.reasons("fr") != found.reasons("en")


def test_at_a_deadline_the_age_is_counted_at_the_deadline() -> None:
    rows = counted(("M1", date(2022, 6, 1), "full", "p1"), ("M2", date(2022, 6, 1), "minimal", "p2"))
    assert "old" in confidence.of_milestones(rows, rows, SOURCES, date(2026, 6, 1)).criteria
    assert "old" not in confidence.of_milestones(rows, rows, SOURCES, date(2026, 6, 1), date(2022, 12, 31)).criteria


def test_every_assessed_row_has_a_confidence_and_why(real_tables: views.Tables) -> None:
    frame = assessments(real_tables, None)
    assert frame["confidence"].is_in(list(confidence.GRADES)).all()
    assert frame["confidence_en"].is_not_null().all() and frame["confidence_fr"].is_not_null().all()
    page = str(panels.header(views.benchmark_view(real_tables, "B", "en", None)))
    assert "Confidence: " in page


# --- the real elections case --------------------------------------------------------------------


@pytest.fixture(scope="module")
def monusco(real_processed: Path) -> views.Tables:
    return views.Tables.load(real_processed, "s-2021-807")


def test_the_elections_status_reads_beside_the_observers_findings(monusco: views.Tables) -> None:
    view = views.benchmark_view(monusco, "ELEC", "en", None)
    assert view.status == "not_achieved_by_deadline"  # held on the day, not judged credible: 5 of 6
    assert (view.counted_milestones.points, view.counted_milestones.max_points) == (5, 6)
    header, cells = str(panels.header(view)), str(panels.milestones(view))
    assert "agrees with the computed status, not achieved by the deadline" in header
    assert "Carter Center Releases Final Report" in header  # the review's sources, named
    assert "fell short of meeting some key international commitments" in cells
    assert "judged credible by the main observer missions" in cells
    row_ = row(assessments(monusco, None), "ELEC")
    assert row_["review_state"] == "agreed" and "carter-2024-07-24" in row_["review_source_ids"]
    # before the Carter Center's final report, the elections already read as not judged credible
    earlier = views.benchmark_view(monusco, "ELEC", "en", date(2024, 6, 30))
    latest = earlier.milestones.rows.filter(pl.col("milestone_id") == "ELEC1").row(0, named=True)
    assert (latest["status"], latest["source_id"]) == ("intermediate", "afriquactu-2023-12-28-cenco")
    assert earlier.review() is None  # the review of 2026 is not known in 2024


def test_the_m23_offensive_and_the_fall_of_goma_move_protection_of_civilians(monusco: views.Tables) -> None:
    view = views.benchmark_view(monusco, "POC", "en", None)
    assert view.status == "not_achieved_by_deadline"
    poc1 = view.milestones.rows.row(0, named=True)
    assert (poc1["milestone_id"], poc1["status"]) == ("POC1", "reversed")
    ddr = views.benchmark_view(monusco, "DDR", "en", None)
    assert "100,000" in str(panels.milestones(ddr)) and "225 combatants demobilised" in str(panels.header(ddr))
    assert ddr.milestones.rows.filter(pl.col("milestone_id") == "DDR2")["status"].to_list() == ["minimal"]


def test_the_thematic_reports_give_the_confidence_their_benchmark_gives(real_tables: views.Tables) -> None:
    from pipelines.reports.ddr import sums as ddr
    from pipelines.reports.women_quota import sums as women

    frame = assessments(real_tables, None)
    d = frame.filter(pl.col("indicator_id") == "ddr_integrated_cumulative").row(0, named=True)
    assert ddr.ddr_report(real_tables, None).confidence_text("en").endswith(f"({d['confidence_en']})")
    b = row(frame, "B")
    assert women.quota_report(real_tables, "all", None).confidence_text("en").endswith(f"({b['confidence_en']})")


# --- the history, and the reports' default date ------------------------------------------------------


def history_rows(tables: views.Tables, days: list[date], letter: str = "C") -> list[dict]:
    found = history.status_history(tables, days[-1], days, [letter])
    return found.filter(pl.col("indicator_id").is_null()).to_dicts()


def test_the_history_shows_a_review_from_its_date_and_marks_it_stale_once_the_status_moves(
    real_tables: views.Tables,
) -> None:
    # C is "limited progress" until its deadline of 31 December 2022, then "not achieved by the deadline"
    tables = with_reviews(real_tables, review("C", "limited_progress", "deterioration", date(2022, 8, 15)))
    days = [date(2022, 6, 30), date(2022, 8, 14), date(2022, 8, 15), date(2022, 9, 30), date(2022, 12, 31)]
    cells = history_rows(tables, days)
    assert [c["status"] for c in cells] == ["limited_progress"] * 4 + ["not_achieved_by_deadline"]
    assert [c["review_state"] for c in cells] == [None, None, "changed", "changed", "stale"]  # never before its date
    assert [c["reviewed_status"] for c in cells] == [None, None, "deterioration", "deterioration", None]
    for cell in cells[2:]:  # the analyst's table says who reviewed, when, and which computed status
        assert (cell["reviewer"], cell["review_date"], cell["reviewed_status_computed"]) == (
            "Reviewer R",
            date(2022, 8, 15),
            "limited_progress",
        )
    assert set(history.REVIEW_COLUMNS) <= set(history.HISTORY)

    frame = history.status_history(tables, days[-1], days, ["C"])
    spec = history_panels.history_chart(tables, frame, "en", "C").to_dict()
    rings = [layer for layer in spec["layer"] if layer.get("mark", {}).get("stroke") == charts.REVIEW_RING]
    assert len([layer for layer in spec["layer"] if layer.get("mark", {}).get("stroke") == charts.REVIEW_EDGE]) == 2
    assert [ring["transform"][0]["filter"]["oneOf"] for ring in rings] == [["agreed", "changed"], ["stale"]]
    assert rings[1]["mark"]["strokeDash"] and not rings[0]["mark"]["strokeDash"]  # dashed: to be reviewed again
    shown = {(r["when"], r["row"]): r for rows in spec["datasets"].values() for r in rows}
    benchmark = {when: r for (when, row), r in shown.items() if row == "Benchmark C"}
    assert benchmark["Q2 2022"]["reviewed"] == "" and "review" not in benchmark["Q2 2022"]["aria"]
    assert benchmark["15 August 2022"]["aria"].endswith("; reviewed by Reviewer R on 15 August 2022: deterioration")
    assert (
        "to be reviewed again: the review by Reviewer R of 15 August 2022 was of “limited progress”"
        in (benchmark["Q4 2022"]["aria"])
    )
    note = {lang: str(history_panels.history_note(frame, "s-2021-300", lang)) for lang in ("en", "fr")}
    assert "ringed in yellow (a solid line)" in note["en"] and "dashed yellow ring" in note["en"]
    assert "cerclée de jaune (trait plein)" in note["fr"] and "cercle jaune en pointillé" in note["fr"]
    assert "ringed" not in str(
        history_panels.history_note(history.status_history(real_tables, days[-1], days, ["C"]), "s-2021-300", "en")
    )  # no review, nothing to explain
    strip = str(brief_panels.strip(frame, "C", "fr"))
    assert strip.count("mr-reviewed") == 2 and strip.count("mr-review-again") == 1


def test_a_review_made_after_the_latest_data_leaves_the_default_date_and_is_shown_on_it(
    real_tables: views.Tables,
) -> None:
    latest = real_tables.latest_date()
    later = latest + timedelta(days=300)  # a review made when nothing newer had been published
    tables = with_reviews(real_tables, review("C", "not_achieved_by_deadline", "deterioration", later))
    assert tables.latest_date() == latest  # the default report is still dated by its data
    default = row(assessments(tables, None), "C")
    assert (default["review_state"], default["review_date"]) == ("changed", later)  # it judged these very data
    assert default["status"] == row(assessments(real_tables, None), "C")["status"]
    assert row(assessments(tables, latest - timedelta(days=1)), "C")["review_state"] is None  # data then incomplete
    header = str(panels.header(views.benchmark_view(tables, "C", "en", latest)))
    assert f"Reviewer R, {later.day} {later:%B} {later.year}" in header
    days = history.history_dates(tables.roadmap["published"], latest)
    assert [c["review_state"] for c in history_rows(tables, days)][-2:] == [None, "changed"]  # its last column only
    changes = history.changes(tables, history.default_since(latest), latest)
    assert changes.filter(pl.col("kind") == "reviewed")["date"].to_list() == [later]


def test_the_build_date_counts_a_later_review_the_report_date_does_not(real_processed: Path, tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    shutil.copytree(real_processed, processed)
    roadmap = "s-2021-807"
    latest = views.Tables.load(processed, roadmap).latest_date()
    later = latest + timedelta(days=400)
    reviews = pl.read_parquet(processed / "reviews.parquet")
    extra = {**review("OTHER", "insufficient_data", None, later), "roadmap_id": roadmap}
    pl.concat([reviews, pl.DataFrame([extra], schema=reviews.schema)]).write_parquet(processed / "reviews.parquet")
    assert views.Tables.load(processed, roadmap).latest_date() == latest
    assert slices.Data(processed, paths.RAW).latest_date(roadmap) == latest.isoformat()  # the run's cache key
    assert jobs.latest_data_date(processed, roadmap) == later.isoformat()  # the page is built no earlier
