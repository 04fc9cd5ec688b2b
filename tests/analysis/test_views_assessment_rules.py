"""Assessment rules are data: each indicator's rule is declared in its roadmap file (which
sources speak for it, the body whose figure is the baseline, stock or additions since a date),
shown beside its status, and refused with its file, line and rule when malformed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipelines.analysis import views
from pipelines.analysis.indicators import assess
from pipelines.core.errors import DataError
from pipelines.ingest import catalogue
from pipelines.ingest import step as ingest
from pipelines.present import panels
from pipelines.reports.ddr import panels as ddr_panels
from pipelines.reports.ddr import sums as ddr
from tests.analysis.support import indicator_view
from tests.ingest.test_catalogue import NIGER, _roadmap

RULE = """\
        assessment:
          rule_fr: Écoles ouvertes depuis la feuille de route.
          rule_en: Schools opened since the roadmap.
          quote_fr: "Les écoles rouvrent."
          paragraph: 4
"""
RULED = NIGER
assert RULE in NIGER  # the third-country fixture declares its rule


# --- the rule in the roadmap file ---------------------------------------------------------------


def test_an_indicator_with_a_target_must_declare_its_rule(tmp_path: Path) -> None:
    with pytest.raises(DataError) as err:
        catalogue.load([_roadmap(tmp_path, "bad", NIGER.replace(RULE, ""))])
    problem = err.value.problem
    assert problem.rule == "assessment-rule" and problem.file.endswith("bad.yaml") and problem.line is not None
    assert "benchmarks[1].indicators[0].assessment" in str(err.value)


def test_a_declared_rule_reaches_the_indicator_table(tmp_path: Path) -> None:
    text = RULED.replace(
        "          paragraph: 4\n",
        "          paragraph: 4\n          series: [test-ne-roadmap]\n"
        "          counts: {additions_since: 2022-01-15}\n",
    )
    row = catalogue.load([_roadmap(tmp_path, "ok", text)]).indicator("test_ne_schools_open")
    assert row is not None
    assert (row["rule_en"], row["rule_quote_fr"], row["rule_paragraph"]) == (
        "Schools opened since the roadmap.",
        "Les écoles rouvrent.",
        4,
    )
    assert (row["assess_series"], row["counts_since"]) == ("test-ne-roadmap", date(2022, 1, 15))


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (("          paragraph: 4\n", "          paragraph: 4\n          counts: flow\n"), "counts"),
        (("          paragraph: 4\n", "          paragraph: 4\n          counts: {since: 2022-01-15}\n"), "counts"),
        (("          paragraph: 4\n", "          paragraph: 4\n          series: test-ne-roadmap\n"), "series"),
        (('          quote_fr: "Les écoles rouvrent."\n', ""), "required"),
        (("          rule_en: Schools opened since the roadmap.\n", ""), "required"),
        (("          paragraph: 4\n", "          paragraph: four\n"), "type"),
        (("          paragraph: 4\n", "          paragraph: 4\n          min_pace_years: 0\n"), "min-pace-years"),
        (("          paragraph: 4\n", "          paragraph: 4\n          min_pace_years: soon\n"), "number"),
    ],
)
def test_a_malformed_rule_is_refused_naming_its_key(tmp_path: Path, change: tuple[str, str], rule: str) -> None:
    with pytest.raises(DataError) as err:
        catalogue.load([_roadmap(tmp_path, "bad", RULED.replace(*change))])
    assert err.value.problem.rule == rule
    assert err.value.problem.file.endswith("bad.yaml") and err.value.problem.line is not None


def test_a_rule_naming_an_unknown_source_is_refused(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "roadmaps").mkdir(parents=True)
    (raw / "roadmaps" / "ne.yaml").write_text(
        RULED.replace("          paragraph: 4\n", "          paragraph: 4\n          series: [no-such-source]\n"),
        encoding="utf-8",
    )
    (raw / "sources.csv").write_text(
        "source_id,title,url,published,kind\ntest-ne-roadmap,Roadmap,https://example.org,2021-01-01,primary\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    problem = err.value.problem
    assert (problem.rule, problem.column, problem.value) == ("known-source", "assessment.series", "no-such-source")
    assert problem.file.endswith("ne.yaml") and "test_ne_schools_open" in problem.reason


def test_an_inferred_date_is_read_and_a_bad_one_quarantined(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "roadmaps").mkdir(parents=True)
    (raw / "observations").mkdir()
    (raw / "roadmaps" / "ne.yaml").write_text(RULED, encoding="utf-8")
    (raw / "sources.csv").write_text(
        "source_id,title,url,published,kind\ntest-ne-roadmap,Roadmap,https://example.org,2021-01-01,primary\n",
        encoding="utf-8",
    )
    (raw / "observations" / "ne.csv").write_text(
        "indicator_id,geo,period_start,value,source_id,dated\n"
        "test_ne_schools_open,NE,2021,40,test-ne-roadmap,\n"
        "test_ne_schools_open,NE,2022,70,test-ne-roadmap,Inferred\n"
        "test_ne_schools_open,NE,2023,90,test-ne-roadmap,guessed\n",
        encoding="utf-8",
    )
    result = ingest.ingest(raw)
    obs = result.tables["observations"].sort("period_start")
    assert obs["date_inferred"].to_list() == [False, True]
    row = result.quarantine.row(0, named=True)
    assert (row["line"], row["column"], row["value"], row["rule"]) == (4, "dated", "guessed", "dated")


# --- the rules on the real cases ------------------------------------------------------------------


def test_parliament_is_assessed_from_the_sitting_body_on_the_ipu_series(real_tables: views.Tables) -> None:
    iv = indicator_view(real_tables, "B", "women_parliament_share", None)
    a = iv.assessment
    # the CNT of Dec 2020 (32 of 121), never the Assembly's WDI figure of 1 Oct 2020 (27.9 %)
    assert a.baseline is not None and a.baseline[0] == date(2020, 12, 31) and round(a.baseline[1], 1) == 26.4
    assert a.decisive is not None and a.decisive[0] == date(2022, 12, 31) and round(a.decisive[1], 2) == 28.57
    assert a.status == "not_achieved_by_deadline" and a.reason.startswith("deadline_passed")
    assert set(iv.sources_used) <= {"wdi-ddf-2025-sg-gen-parl-zs", "ipu-parline-ml-women", "ipu-parline-ml"}
    assert "Transition Council (CNT) appointed on 3 December 2020" in iv.rule("en")
    assert "quota minimum légal de 30 %" in iv.rule("fr")


def test_a_figure_whose_date_was_inferred_is_shown_never_assessed(real_tables: views.Tables) -> None:
    iv = indicator_view(real_tables, "B", "women_parliament_share", None)
    inferred = iv.observations.filter(pl.col("date_inferred"))
    assert inferred.height == 2  # IPU 42/147 dated to the enlargement, 42/137 dated to 2024
    # the 2024 point that is assessed (after the deadline) is WDI's, not the undated IPU snapshot
    assert iv.assessment.latest is not None and round(iv.assessment.latest[1], 4) == 30.6569
    note = str(panels.assessment_note(iv, real_tables.sources, "en"))
    assert "2 of these figures have no published date (their date is inferred): shown, never assessed" in note


def test_without_its_sitting_body_figure_parliament_never_falls_back_on_the_assembly(real_tables: views.Tables) -> None:
    cnt = (
        (pl.col("indicator_id") == "women_parliament_share")
        & (pl.col("period_end") < date(2021, 12, 31))
        & (pl.col("period_end") >= date(2020, 12, 3))
    )
    tables = views.Tables(**{**real_tables.__dict__, "observations": real_tables.observations.filter(~cnt)})
    a = indicator_view(tables, "B", "women_parliament_share", None).assessment
    assert a.baseline is not None and a.baseline[0] >= date(2020, 12, 3)


def test_candidates_have_no_target_and_say_why(real_tables: views.Tables) -> None:
    iv = indicator_view(real_tables, "B", "women_candidates_share", None)
    assert (iv.assessment.status, iv.assessment.reason) == ("insufficient_data", "no_target")
    assert "applies to each list" in iv.rule("en") and "chaque liste" in iv.rule("fr")
    row = next(
        h
        for h in views.benchmark_view(real_tables, "B", "en", None).headline()
        if h["indicator_id"] == "women_candidates_share"
    )
    assert row["status"] == "no target: not assessed"


def test_ddr_counts_only_integrations_after_the_roadmap(real_tables: views.Tables) -> None:
    iv = indicator_view(real_tables, "D", "ddr_integrated_cumulative", None)
    a = iv.assessment
    # the accelerated DDR's cohorts (1,006 in Sept 2019, 422 on 30 April 2021) never count
    assert iv.counted_from == (date(2021, 4, 30), 1428.0)
    assert a.decisive == (date(2022, 6, 16), 337.0)  # 1,765 − 1,428, the last total by the deadline
    assert a.status == "not_achieved_by_deadline" and a.reason.startswith("deadline_passed")
    assert iv.latest_text("en") == "337 added since 30 April 2021 (1,765 in all, 16 June 2022)"
    assert "Counted since 30 April 2021: each figure minus 1,428" in iv.why("en")
    assert "avaient achevé" in iv.rule("en") and "en outre" in iv.rule("fr").lower()


def test_on_the_roadmaps_date_nothing_counts_yet_towards_the_2000(real_tables: views.Tables) -> None:
    iv = indicator_view(real_tables, "D", "ddr_integrated_cumulative", "2021-03-25")
    assert iv.assessment.status == "insufficient_data" and iv.assessment.latest is None
    may = indicator_view(real_tables, "D", "ddr_integrated_cumulative", "2021-05-31").assessment
    assert may.status == "insufficient_data" and may.latest is None  # the April cohort is the accelerated DDR's


def test_a_pace_is_judged_only_once_a_figure_has_been_counted(real_tables: views.Tables) -> None:
    # S/2021/300 declares min_pace_years: 0.5 for every indicator (§28: progress not linear)
    assert real_tables.indicator("ddr_integrated_cumulative")["min_pace_years"] == 0.5
    iv = indicator_view(real_tables, "D", "ddr_integrated_cumulative", "2021-12-31")
    assert iv.assessment.status == "insufficient_data" and iv.assessment.latest is None
    mid = indicator_view(real_tables, "D", "ddr_integrated_cumulative", "2022-06-30").assessment
    assert (mid.status, mid.reason) == ("limited_progress", "pace_ratio")  # 337 in 412 days, over half a year
    early = ddr.ddr_report(real_tables, "2021-12-31")  # the DDR report prolongs no pace either
    assert early.projection.outcome != "projected"


def test_a_roadmap_wide_rule_is_the_default_and_an_indicator_may_override_it(tmp_path: Path) -> None:
    wide = RULED.replace("\nbenchmarks:", "\nassessment:\n  min_pace_years: 0.25\nbenchmarks:", 1)
    assert wide != RULED
    cat = catalogue.load([_roadmap(tmp_path, "wide", wide)])
    wide_rule = cat.indicator("test_ne_schools_open")
    assert wide_rule is not None and wide_rule["min_pace_years"] == 0.25
    own = wide.replace("          paragraph: 4\n", "          paragraph: 4\n          min_pace_years: 1\n")
    own_rule = catalogue.load([_roadmap(tmp_path, "own", own)]).indicator("test_ne_schools_open")
    assert own_rule is not None and own_rule["min_pace_years"] == 1.0
    with pytest.raises(DataError) as err:
        catalogue.load([_roadmap(tmp_path, "bad", wide.replace("min_pace_years: 0.25", "pace: 0.25"))])
    problem = err.value.problem  # the unknown key itself, where it stands, and the keys it could be
    assert (problem.rule, problem.column, problem.value) == ("unknown-key", "assessment.pace", "pace")
    assert "expected one of min_pace_years, max_age_years" in problem.reason


def test_the_ddr_report_counts_by_the_rule_and_projects_nothing_after_the_deadline(real_tables: views.Tables) -> None:
    report = ddr.ddr_report(real_tables, None)
    assert report.projection.outcome == "deadline_passed"
    cells = [c for row in ddr_panels.headline_rows(report, "en") for c in row]
    assert "1,765" in cells and "337" in cells and "16.8%" in cells and "88.3%" not in cells  # not 1,765 / 2,000
    before = ddr.ddr_report(real_tables, "2022-06-30")
    assert before.projection.outcome == "projected" and before.projection.start == (date(2021, 4, 30), 0.0)


def test_one_figure_a_month_after_counting_starts_is_too_soon_to_judge_a_pace(real_tables: views.Tables) -> None:
    indicator = real_tables.indicator("ddr_integrated_cumulative")
    rows = real_tables.observations.filter(pl.col("indicator_id") == "ddr_integrated_cumulative")
    early = rows.filter(pl.col("period_end") == date(2022, 6, 16)).with_columns(
        pl.lit(date(2021, 5, 31)).alias("period_start"), pl.lit(date(2021, 5, 31)).alias("period_end")
    )
    iv = assess(indicator, pl.concat([rows.filter(pl.col("period_end") < date(2022, 1, 1)), early]), date(2021, 12, 31))
    assert (iv.assessment.status, iv.assessment.reason) == ("insufficient_data", "pace_window_short")
    assert "only 1 month, less than the 6 months over which the roadmap file judges a pace" in iv.why("en")
    assert "1 mois seulement, moins que les 6 mois" in iv.why("fr")


def test_transfers_to_local_authorities_compare_revenue_with_revenue(real_tables: views.Tables) -> None:
    indicator = real_tables.indicator("revenue_transfer_local_authorities_share")
    iv = assess(indicator, real_tables.observations, date(2026, 1, 22))
    assert iv.observations["source_id"].to_list() == ["bamada-2018-transferts-1977"]  # never the 9.5 % of spending
    assert (iv.assessment.status, iv.assessment.reason) == ("insufficient_data", "only_before_baseline")


def test_the_overview_says_which_part_decided_each_benchmark(real_tables: views.Tables) -> None:
    rows = {r["benchmark"]: r for r in views.scorecard(real_tables, "en", None).iter_rows(named=True)}
    # B's three parts are all not achieved by the deadline: the one least far along decides
    assert "least advanced of its 3 parts" in rows["B"]["why"] and "Women's share of cabinet" in rows["B"]["why"]
    # at the horizon the milestones are judged by the events dated by it, those since named beside
    assert rows["A"]["why"] == (
        "Milestones: 2 of 9 points by the deadline of 31 December 2022 (8 now): not achieved by the deadline."
    )
    before = {r["benchmark"]: r for r in views.scorecard(real_tables, "en", "2022-06-30").iter_rows(named=True)}
    # before it, the share of points and the band it falls in, never a bare "0.33"
    # G3 recoded minimal: projects approved and financed are not projects implemented (S/2023/402 §6)
    assert before["G"]["why"] == "Milestones: 2 of 9 points, 22%: under 60%, limited progress."
    fr = views.scorecard(real_tables, "fr", None).row(0, named=True)
    assert fr["why"].startswith("Jalons : 2 points sur 9 à l'échéance du 31 décembre 2022")


def test_a_milestone_report_states_the_scale_and_bands_it_applies(real_tables: views.Tables) -> None:
    page = str(panels.milestones_summary(views.benchmark_view(real_tables, "A", "en", None)))
    assert "8 of 9 points (89%)" in page and "score 0.89" not in page
    assert "full 3, intermediate 2, minimal 1, not initiated 0, reversed 0" in page
    assert "at least 95% on track, at least 60% needs acceleration" in page
    assert "complet 3, intermédiaire 2" in str(
        panels.milestones_summary(views.benchmark_view(real_tables, "A", "fr", None))
    )
