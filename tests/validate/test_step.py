"""Validation: every rule, broken on purpose in a small dataset, gives the exact line a user
reads, naming the raw file, line and value; the step exits 2 on errors and 0 on warnings only;
results are stored deterministically; notebooks get their benchmark's slice without importing
GX unless the data changed; the suites in expectations/ are clean GX suites.

The datasets are built with the schema (`pipelines.validate.sample`), not by ingest.
GX is imported once for the whole test session (it is cached in `validation_gx.session`).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipelines.cli import main as cli_main
from pipelines.core import geo, paths, schema, store
from pipelines.validate import quality
from pipelines.validate import step as validate
from pipelines.validate import suites as validation_suites
from pipelines.validate.results import MAX_FAILURES
from pipelines.validate.sample import (
    COUNT_FILE,
    EVENTS_FILE,
    OBS_FILE,
    SOURCES_FILE,
    sample_frames,
    synthetic_frames,
    write_processed,
)

TODAY = date(2026, 1, 1)
Frames = dict[str, pl.DataFrame]


# --- building bad datasets -------------------------------------------------------------------


def edit(table: str, where: pl.Expr, **values: object) -> Callable[[Frames], None]:
    """A mutation setting `values` on the rows of `table` matching `where`."""

    def apply(frames: Frames) -> None:
        frame = frames[table]
        frames[table] = frame.with_columns(
            pl.when(where).then(pl.lit(v, dtype=frame.schema[c])).otherwise(pl.col(c)).alias(c)
            for c, v in values.items()
        )

    return apply


def duplicate(table: str, where: pl.Expr, **values: object) -> Callable[[Frames], None]:
    """A mutation appending a copy of the rows matching `where`, with `values` changed."""

    def apply(frames: Frames) -> None:
        frame = frames[table]
        copy = frame.filter(where).with_columns(pl.lit(v, dtype=frame.schema[c]).alias(c) for c, v in values.items())
        frames[table] = pl.concat([frame, copy])

    return apply


def row(file: str, line: int) -> pl.Expr:
    return (pl.col("file") == file) & (pl.col("line") == line)


SUITES = validation_suites.load_suites()


def check(frames: Frames, *tables: str) -> validate.results.Report:
    """Validate `frames` (only `tables` when given: each GX run costs ~5 ms per rule)."""
    report, _ = validate.check(
        frames, SUITES, today=TODAY, data_checksum="test", tables=tables or validation_suites.SUITE_TABLES
    )
    return report


def broken(*mutations: Callable[[Frames], None]) -> Frames:
    frames = sample_frames()
    for mutate in mutations:
        mutate(frames)
    return frames


# --- each rule, broken once: (rule id, mutation, the exact line printed) -----------------------

E = "ERROR"
CASES: list[tuple[str, str, Callable[[Frames], None], str]] = [
    # observations, per indicator (derived from the indicators table)
    (
        "observations",
        "share-range:women_share",
        edit("observations", row(OBS_FILE, 3), value=130.0),
        f"{E} observations: women_share: a share in percent, value within [0, 100] — {OBS_FILE} line 3, value 130.0",
    ),
    (
        "observations",
        "count-non-negative:combatants_integrated",
        edit("observations", row(COUNT_FILE, 2), value=-5.0),
        f"{E} observations: combatants_integrated: a count in persons, value not negative — {COUNT_FILE} line 2, value -5.0",
    ),
    (
        "observations",
        "bounds:prefects_present",
        edit("observations", row(COUNT_FILE, 5), value=9.0),
        f"{E} observations: prefects_present: value within bounds [0, 8] — {COUNT_FILE} line 5, value 9.0",
    ),
    (
        "observations",
        "cumulative-not-decreasing",
        edit("observations", row(COUNT_FILE, 4), value=1500.0),
        f"{E} observations: a cumulative indicator never falls from one period to the next (same region and source)"
        f" — {COUNT_FILE} line 4, value 1500.0 (below the previous value 1840.0 at {COUNT_FILE} line 3)",
    ),
    # observations, suite file
    (
        "observations",
        "period-start-in-era",
        edit("observations", row(OBS_FILE, 2), period_start=date(1985, 1, 1)),
        f"{E} observations: period_start between 1990-01-01 and today — {OBS_FILE} line 2, period_start 1985-01-01",
    ),
    (
        "observations",
        "period-start-in-era",
        edit("observations", row(OBS_FILE, 4), period_start=date(2027, 1, 1), period_end=date(2027, 12, 31)),
        f"{E} observations: period_start between 1990-01-01 and today — {OBS_FILE} line 4, period_start 2027-01-01",
    ),
    (
        "observations",
        "period-order",
        edit("observations", row(OBS_FILE, 2), period_end=date(2019, 12, 31)),
        f"{E} observations: period_end is not before period_start — {OBS_FILE} line 2, period_end 2019-12-31"
        " (period_start is 2020-01-01)",
    ),
    (
        "observations",
        "unique-key",
        duplicate("observations", row(OBS_FILE, 2), line=7),
        f"{E} observations: one value per indicator_id, geo_code, period_start, period_end and source_id — {OBS_FILE}"
        f" line 2, key ('women_share', 'ML', 2020-01-01, 2020-12-31, 's-1') (same key as {OBS_FILE} line 7)"
        " (and 1 more row)",
    ),
    (
        "observations",
        "known-indicator",
        edit("observations", row(OBS_FILE, 2), indicator_id="women_sahre"),
        f"{E} observations: indicator_id is declared in a roadmap file — {OBS_FILE} line 2, indicator_id 'women_sahre'",
    ),
    (
        "observations",
        "known-geo",
        edit("observations", row(OBS_FILE, 2), geo_code="ML09"),
        f"{E} observations: geo_code is the country of a roadmap or one of its ISO 3166-2 regions — {OBS_FILE} line 2,"
        " geo_code 'ML09'",
    ),
    # a region of a country no roadmap is about (the sample's only roadmap is of Mali)
    (
        "observations",
        "known-geo",
        edit("observations", row(OBS_FILE, 2), geo_code="CD-KN"),
        f"{E} observations: geo_code is the country of a roadmap or one of its ISO 3166-2 regions — {OBS_FILE} line 2,"
        " geo_code 'CD-KN'",
    ),
    (
        "observations",
        "known-source",
        edit("observations", row(OBS_FILE, 2), source_id="s-404"),
        f"{E} observations: source_id is listed in sources.csv — {OBS_FILE} line 2, source_id 's-404'",
    ),
    (
        "observations",
        "cited",
        edit("observations", row(OBS_FILE, 2), source_id=None),
        f"{E} observations: every observation cites a source (source_id is given) — {OBS_FILE} line 2, source_id empty",
    ),
    (
        "observations",
        "required-indicator",
        edit("observations", row(OBS_FILE, 2), indicator_id=None),
        f"{E} observations: indicator_id is given — {OBS_FILE} line 2, indicator_id empty",
    ),
    (
        "observations",
        "required-geo",
        edit("observations", row(OBS_FILE, 2), geo_code=None),
        f"{E} observations: geo_code is given — {OBS_FILE} line 2, geo_code empty",
    ),
    (
        "observations",
        "required-period",
        edit("observations", row(OBS_FILE, 2), period_start=None),
        f"{E} observations: period_start is given — {OBS_FILE} line 2, period_start empty",
    ),
    (
        "observations",
        "required-value",
        edit("observations", row(OBS_FILE, 2), value=None),
        f"{E} observations: value is given (a missing figure has no row) — {OBS_FILE} line 2, value empty",
    ),
    (
        "observations",
        "provenance-line",
        edit("observations", row(OBS_FILE, 2), line=None),
        f"{E} observations: the raw line the row came from is recorded — {OBS_FILE}, line empty",
    ),
    (
        "observations",
        "provenance-file",
        edit("observations", row(OBS_FILE, 2), file=None),
        f"{E} observations: the raw file the row came from is recorded — indicator_id 'women_share', geo_code 'ML',"
        " period_start 2020-01-01, period_end 2020-12-31, source_id 's-1', file empty",
    ),
    (
        "observations",
        "known-unit",
        edit("observations", row(OBS_FILE, 2), unit="percentage"),
        f"{E} observations: unit is one of the declared units — {OBS_FILE} line 2, unit 'percentage'",
    ),
    (
        "observations",
        "confidence-scale",
        edit("observations", row(OBS_FILE, 2), confidence="sure"),
        f"{E} observations: confidence is primary, secondary or derived — {OBS_FILE} line 2, confidence 'sure'",
    ),
    # milestone events
    (
        "milestone_events",
        "known-milestone",
        edit("milestone_events", row(EVENTS_FILE, 2), milestone_id="B9"),
        f"{E} milestone_events: the milestone is declared under this benchmark in this roadmap's file — {EVENTS_FILE}"
        " line 2, milestone_id 'B9'",
    ),
    # milestone ids are scoped by roadmap: B/B1 exists, but not in a roadmap 'other'
    (
        "milestone_events",
        "known-milestone",
        edit("milestone_events", row(EVENTS_FILE, 2), roadmap_id="other"),
        f"{E} milestone_events: the milestone is declared under this benchmark in this roadmap's file — {EVENTS_FILE}"
        " line 2, milestone_id 'B1'",
    ),
    (
        "milestone_events",
        "required-roadmap",
        edit("milestone_events", row(EVENTS_FILE, 2), roadmap_id=None),
        f"{E} milestone_events: roadmap_id is given — {EVENTS_FILE} line 2, roadmap_id empty",
    ),
    (
        "milestone_events",
        "known-benchmark",
        edit("milestone_events", row(EVENTS_FILE, 2), benchmark="Z"),
        f"{E} milestone_events: benchmark is declared in a roadmap file — {EVENTS_FILE} line 2, benchmark 'Z'",
    ),
    (
        "milestone_events",
        "known-source",
        edit("milestone_events", row(EVENTS_FILE, 3), source_id="s-404"),
        f"{E} milestone_events: source_id is listed in sources.csv — {EVENTS_FILE} line 3, source_id 's-404'",
    ),
    (
        "milestone_events",
        "cited",
        edit("milestone_events", row(EVENTS_FILE, 3), source_id=None),
        f"{E} milestone_events: every event cites a source (source_id is given) — {EVENTS_FILE} line 3, source_id empty",
    ),
    (
        "milestone_events",
        "date-in-era",
        edit("milestone_events", row(EVENTS_FILE, 2), date=date(2027, 3, 1)),
        f"{E} milestone_events: date between 1990-01-01 and today — {EVENTS_FILE} line 2, date 2027-03-01",
    ),
    (
        "milestone_events",
        "required-date",
        edit("milestone_events", row(EVENTS_FILE, 2), date=None),
        f"{E} milestone_events: date is given — {EVENTS_FILE} line 2, date empty",
    ),
    (
        "milestone_events",
        "status-scale",
        edit("milestone_events", row(EVENTS_FILE, 2), status="done"),
        f"{E} milestone_events: status is on the Peace Accords Matrix scale — {EVENTS_FILE} line 2, status 'done'",
    ),
    (
        "milestone_events",
        "score-range",
        edit("milestone_events", row(EVENTS_FILE, 2), score=4),
        f"{E} milestone_events: score between 0 and 3 — {EVENTS_FILE} line 2, score 4",
    ),
    (
        "milestone_events",
        "unique-key",
        duplicate("milestone_events", row(EVENTS_FILE, 2), line=4),
        f"{E} milestone_events: one event per roadmap, benchmark, milestone_id, date and source_id — {EVENTS_FILE}"
        f" line 2, key ('test', 'B', 'B1', 2022-06-24, 's-1') (same key as {EVENTS_FILE} line 4) (and 1 more row)",
    ),
    # sources
    (
        "sources",
        "unique-key",
        edit("sources", row(SOURCES_FILE, 3), source_id="s-1"),
        f"{E} sources: each source_id is listed once — {SOURCES_FILE} line 2, source_id 's-1'"
        f" (same key as {SOURCES_FILE} line 3) (and 1 more row)",
    ),
    (
        "sources",
        "url-http",
        edit("sources", row(SOURCES_FILE, 3), url="javascript:alert(1)"),
        f"{E} sources: url is an http(s) address — {SOURCES_FILE} line 3, url 'javascript:alert(1)'",
    ),
    (
        "sources",
        "kind-scale",
        edit("sources", row(SOURCES_FILE, 2), kind="blog"),
        f"{E} sources: kind is primary or secondary — {SOURCES_FILE} line 2, kind 'blog'",
    ),
    (
        "sources",
        "required-title",
        edit("sources", row(SOURCES_FILE, 2), title=None),
        f"{E} sources: title is given — {SOURCES_FILE} line 2, title empty",
    ),
    (
        "sources",
        "source-dated",
        edit("sources", row(SOURCES_FILE, 2), published=None),
        f"{E} sources: every source is dated: its publication date, or the day its published_rule gives — "
        f"{SOURCES_FILE} line 2, published empty",
    ),
    # roadmap tables: no file and line, so the row is named by its key
    (
        "indicators",
        "unique-key",
        duplicate("indicators", pl.col("indicator_id") == "women_share", name_en="again"),
        f"{E} indicators: each indicator_id is declared once — indicator_id 'women_share', "
        "roadmap_id 'test', benchmark 'B' (and 1 more row)",
    ),
    (
        "indicators",
        "bounds-order",
        edit("indicators", pl.col("indicator_id") == "prefects_present", lower_bound=10.0),
        f"{E} indicators: upper_bound is not below lower_bound — indicator_id 'prefects_present', "
        "roadmap_id 'test', benchmark 'C',"
        " upper_bound 8.0 (lower_bound is 10.0)",
    ),
    (
        "indicators",
        "known-unit",
        edit("indicators", pl.col("indicator_id") == "women_share", unit="share"),
        f"{E} indicators: unit is one of the declared units — indicator_id 'women_share', "
        "roadmap_id 'test', benchmark 'B', unit 'share'",
    ),
    (
        "indicators",
        "direction-scale",
        edit("indicators", pl.col("indicator_id") == "women_share", direction="up"),
        f"{E} indicators: direction is increase or decrease — indicator_id 'women_share', "
        "roadmap_id 'test', benchmark 'B', direction 'up'",
    ),
    (
        "indicators",
        "known-benchmark",
        edit("indicators", pl.col("indicator_id") == "women_share", benchmark="Q"),
        f"{E} indicators: benchmark (when given) is declared in a roadmap file — indicator_id 'women_share',"
        " roadmap_id 'test', benchmark 'Q'",
    ),
    (
        "milestones",
        "unique-key",
        duplicate("milestones", pl.col("milestone_id") == "B1", name_en="again"),
        f"{E} milestones: each milestone_id is declared once per benchmark of a roadmap — roadmap_id 'test',"
        " benchmark 'B', milestone_id 'B1'"
        " (and 1 more row)",
    ),
    (
        "milestones",
        "known-benchmark",
        edit("milestones", pl.col("milestone_id") == "C1", benchmark="Q"),
        f"{E} milestones: benchmark is declared in a roadmap file — roadmap_id 'test', benchmark 'Q',"
        " milestone_id 'C1'",
    ),
    (
        "benchmarks",
        "unique-key",
        duplicate("benchmarks", pl.col("benchmark") == "B", title_en="again"),
        f"{E} benchmarks: each benchmark is declared once per roadmap — roadmap_id 'test', benchmark 'B'"
        " (and 1 more row)",
    ),
    (
        "benchmarks",
        "kind-scale",
        edit("benchmarks", pl.col("benchmark") == "C", kind="other"),
        f"{E} benchmarks: kind is milestones, indicators or mixed — roadmap_id 'test', benchmark 'C', kind 'other'",
    ),
    (
        "benchmarks",
        "paragraph-positive",
        edit("benchmarks", pl.col("benchmark") == "B", paragraph=0),
        f"{E} benchmarks: paragraph is a paragraph number (1 or more) — roadmap_id 'test', benchmark 'B', paragraph 0",
    ),
    (
        "milestone_events",
        "confidence-scale",
        edit("milestone_events", row(EVENTS_FILE, 3), confidence="likely"),
        f"{E} milestone_events: confidence is primary, secondary or derived — {EVENTS_FILE} line 3,"
        " confidence 'likely'",
    ),
    (
        "indicators",
        "required-cumulative",
        edit("indicators", pl.col("indicator_id") == "women_share", cumulative=None),
        f"{E} indicators: cumulative is true or false — indicator_id 'women_share', "
        "roadmap_id 'test', benchmark 'B', cumulative empty",
    ),
]

WARNING_CASES: list[tuple[str, str, Callable[[Frames], None], str]] = [
    (
        "sources",
        "url-given",
        edit("sources", row(SOURCES_FILE, 3), url=None),
        f"WARNING sources: url is given — {SOURCES_FILE} line 3, url empty",
    ),
    (
        "observations",
        "confidence-given",
        edit("observations", row(OBS_FILE, 2), confidence=None),
        f"WARNING observations: confidence is given — {OBS_FILE} line 2, confidence empty",
    ),
    (
        "observations",
        "period-end-in-era",
        edit("observations", row(OBS_FILE, 4), period_end=date(2026, 6, 30)),
        "WARNING observations: period_end between 1990-01-01 and today (a later end is a period still running)"
        f" — {OBS_FILE} line 4, period_end 2026-06-30",
    ),
    (
        "sources",
        "published-in-era",
        edit("sources", row(SOURCES_FILE, 2), published=date(1985, 5, 1)),
        f"WARNING sources: published between 1990-01-01 and today — {SOURCES_FILE} line 2, published 1985-05-01",
    ),
    (
        "milestone_events",
        "confidence-given",
        edit("milestone_events", row(EVENTS_FILE, 2), confidence=None),
        f"WARNING milestone_events: confidence is given — {EVENTS_FILE} line 2, confidence empty",
    ),
    (
        "indicators",
        "required-name",
        edit("indicators", pl.col("indicator_id") == "women_share", name_en=None),
        "WARNING indicators: name_en is given — indicator_id 'women_share', "
        "roadmap_id 'test', benchmark 'B', name_en empty",
    ),
    (
        "indicators",
        "baseline-date-in-era",
        edit("indicators", pl.col("indicator_id") == "women_share", baseline_date=date(2027, 1, 1)),
        "WARNING indicators: baseline_date between 1990-01-01 and today — indicator_id 'women_share', "
        "roadmap_id 'test', benchmark 'B',"
        " baseline_date 2027-01-01",
    ),
    (
        "indicators",
        "target-date-in-era",
        edit("indicators", pl.col("indicator_id") == "women_share", target_date=date(1980, 1, 1)),
        "WARNING indicators: target_date after 1990-01-01 — indicator_id 'women_share', roadmap_id 'test', benchmark 'B',"
        " target_date 1980-01-01",
    ),
    (
        "milestones",
        "required-name",
        edit("milestones", pl.col("milestone_id") == "B1", name_fr=None),
        "WARNING milestones: name_fr is given — roadmap_id 'test', benchmark 'B', milestone_id 'B1', name_fr empty",
    ),
    (
        "milestones",
        "due-in-era",
        edit("milestones", pl.col("milestone_id") == "B1", due=date(1980, 1, 1)),
        "WARNING milestones: due after 1990-01-01 — roadmap_id 'test', benchmark 'B', milestone_id 'B1',"
        " due 1980-01-01",
    ),
    (
        "benchmarks",
        "horizon-in-era",
        edit("benchmarks", pl.col("benchmark") == "B", horizon=date(1980, 1, 1)),
        "WARNING benchmarks: horizon is after 1990-01-01 — roadmap_id 'test', benchmark 'B', horizon 1980-01-01",
    ),
]


def case(table: str, rule: str) -> tuple[Callable[[Frames], None], str]:
    """The first bad dataset for a rule, and the line it prints."""
    return next((m, line) for t, r, m, line in CASES + WARNING_CASES if (t, r) == (table, rule))


SHARE = case("observations", "share-range:women_share")
BOUNDS = case("observations", "bounds:prefects_present")
MILESTONE = case("milestone_events", "known-milestone")
URL = case("sources", "url-http")
NO_URL = case("sources", "url-given")


def _failed(report: validate.results.Report, table: str, rule: str) -> validate.results.RuleResult:
    found = [r for r in report.tables[table].rules if r.rule == rule]
    assert found, f"no rule {rule} on {table}"
    return found[0]


@pytest.mark.parametrize(("table", "rule", "mutate", "line"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_each_error_rule_names_file_line_and_value(
    table: str, rule: str, mutate: Callable[[Frames], None], line: str
) -> None:
    report = check(broken(mutate), table)
    assert line in report.messages()
    result = _failed(report, table, rule)
    assert not result.success and result.severity == "error" and result.evaluated
    assert not report.success


@pytest.mark.parametrize(("table", "rule", "mutate", "line"), WARNING_CASES, ids=[c[1] for c in WARNING_CASES])
def test_each_warning_rule_is_reported_without_failing(
    table: str, rule: str, mutate: Callable[[Frames], None], line: str
) -> None:
    report = check(broken(mutate), table)
    assert report.messages() == [line]
    assert report.success and report.warnings == 1


def test_every_error_rule_of_the_suites_has_a_bad_dataset() -> None:
    covered = {(t, r) for t, r, _, _ in CASES + WARNING_CASES}
    untested = {
        (table, e["meta"]["rule"])
        for table, suite in validation_suites.load_suites().items()
        for e in suite["expectations"]
    } - covered
    # trivial not-null rules share one code path with the not-null cases above
    assert all(rule.startswith(("required-", "provenance-")) for _, rule in untested), sorted(untested)


def test_the_valid_sample_passes_every_rule() -> None:
    report = check(sample_frames())
    assert report.messages() == []
    assert report.success and report.errors == 0 and report.warnings == 0
    assert all(r.success and r.evaluated for t in report.tables.values() for r in t.rules)
    # the per-indicator rules were derived from the indicators table
    rules = {r.rule for r in report.tables["observations"].rules}
    assert {
        "share-range:women_share",
        "count-non-negative:combatants_integrated",
        "count-non-negative:prefects_present",
        "bounds:prefects_present",
    } <= rules
    assert "bounds:women_share" not in rules  # [0, 100] says no more than "a share"


def test_a_missing_column_and_a_wrong_type_fail_with_the_schema_named() -> None:
    frames = sample_frames()
    frames["observations"] = frames["observations"].drop("note").with_columns(pl.col("value").cast(pl.String))
    report = check(frames, "observations")
    messages = report.messages()
    assert (
        f"{E} observations: the columns of observations as declared in pipelines/core/schema.py — missing note"
        in messages
    )
    assert f"{E} observations: value has type Float64 (pipelines/core/schema.py) — found str" in messages
    # a rule GX cannot compute is a failure saying so, never a silent pass
    share = _failed(report, "observations", "share-range:women_share")
    assert not share.success and not share.evaluated
    assert any(
        m.startswith(
            f"{E} observations: women_share: a share in percent, value within [0, 100] — could not be checked: "
        )
        for m in messages
    )


def test_range_rules_checked_together_still_name_each_indicator_and_only_its_rows() -> None:
    # two indicators out of range at once, and one within: each rule reports its own rows
    frames = broken(
        edit("observations", row(OBS_FILE, 3), value=130.0),
        edit("observations", row(OBS_FILE, 4), value=-1.0),
        edit("observations", row(COUNT_FILE, 5), value=9.0),
    )
    report = check(frames, "observations")
    share = _failed(report, "observations", "share-range:women_share")
    assert share.unexpected_count == 2 and [f.line for f in share.failures] == [3, 4]
    bounds = _failed(report, "observations", "bounds:prefects_present")
    assert bounds.unexpected_count == 1 and bounds.failures[0].value == 9.0
    passed = {r.rule for r in report.tables["observations"].rules if r.success}
    assert {"count-non-negative:combatants_integrated", "count-non-negative:prefects_present"} <= passed
    assert not any("all-indicators" in r.rule for r in report.tables["observations"].rules)  # no internal rule leaks


def test_cumulative_series_are_compared_within_region_and_source_only() -> None:
    # a lower figure from another source, or for a region, is a disagreement, not a fall
    frames = broken(
        duplicate("observations", row(COUNT_FILE, 4), source_id="s-2", value=10.0, line=6),
        duplicate("observations", row(COUNT_FILE, 4), geo_code="ML-7", value=5.0, line=7),
    )
    assert check(frames, "observations").messages() == []


# --- the command ------------------------------------------------------------------------------


def run_cli(tmp_path: Path, frames: Frames, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], Path]:
    processed = tmp_path / "processed"
    write_processed(frames, processed)
    code = cli_main(
        ["validate", "--processed", str(processed), "--pages", str(tmp_path / "quality"), "--today", TODAY.isoformat()]
    )
    return code, capsys.readouterr().out.splitlines(), processed


def test_exit_code_2_on_an_error_with_the_line_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(tmp_path, broken(SHARE[0]), capsys)
    assert code == 2
    assert out == [SHARE[1]]


def test_a_failed_check_names_its_pages_and_publishes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    processed, pages = tmp_path / "processed", tmp_path / "quality"
    write_processed(broken(SHARE[0]), processed)
    code = cli_main(["validate", "--processed", str(processed), "--pages", str(pages), "--today", TODAY.isoformat()])
    assert code == 2
    err = capsys.readouterr().err
    assert (
        f"nothing published, reports/ keeps the last good build; the pages of this check are in "
        f"{paths.display(pages / 'index.html')}" in err
    )
    page = (pages / "observations.html").read_text(encoding="utf-8").replace("<wbr>", "")  # names break at "_" and ":"
    assert "share-range:women_share" in page


def test_exit_code_0_with_warnings_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(tmp_path, broken(NO_URL[0]), capsys)
    assert code == 0
    assert out == [NO_URL[1]]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.org/a"])
def test_a_source_url_other_than_http_fails_validation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    code, out, _ = run_cli(tmp_path, broken(edit("sources", row(SOURCES_FILE, 3), url=url)), capsys)
    assert code == 2
    assert out == [f"ERROR sources: url is an http(s) address — {SOURCES_FILE} line 3, url {url!r}"]


def test_results_json_names_rows_records_the_checksum_and_is_deterministic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, processed = run_cli(tmp_path, broken(SHARE[0]), capsys)
    first = (processed / "validation.json").read_bytes()
    data = json.loads(first)
    assert data["data_checksum"] == store.read_manifest(processed)["data_checksum"]
    assert data["summary"] == {"errors": 1, "warnings": 0, "success": False, "rules": data["summary"]["rules"]}
    rule = next(r for r in data["tables"]["observations"]["rules"] if r["rule"] == "share-range:women_share")
    assert rule["severity"] == "error" and rule["success"] is False and rule["unexpected_count"] == 1
    failure = rule["failures"][0]
    assert (failure["file"], failure["line"], failure["column"], failure["value"]) == (OBS_FILE, 3, "value", 130.0)
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:", first.decode()), "no timestamp in results"
    cli_main(
        ["validate", "--processed", str(processed), "--pages", str(tmp_path / "quality"), "--today", TODAY.isoformat()]
    )
    assert (processed / "validation.json").read_bytes() == first


def test_failing_rows_are_capped_with_the_true_count(tmp_path: Path) -> None:
    frames = synthetic_frames(700)
    frames["observations"] = frames["observations"].with_columns(
        pl.when(pl.col("indicator_id") == "women_share").then(130.0).otherwise(pl.col("value")).alias("value")
    )
    wanted = frames["observations"].filter(pl.col("indicator_id") == "women_share").height
    result = _failed(check(frames, "observations"), "observations", "share-range:women_share")
    assert wanted > MAX_FAILURES
    assert result.unexpected_count == wanted and len(result.failures) == MAX_FAILURES
    assert f"(and {wanted - 1} more rows)" in result.message("observations")


def test_missing_tables_say_to_run_ingest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli_main(["validate", "--processed", str(tmp_path), "--pages", str(tmp_path / "q")])
    assert code == 2
    assert "run `python -m pipelines ingest` first" in capsys.readouterr().err


def test_help_documents_outputs_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli_main(["validate", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for words in ("validation.json", "reports/quality", "Exit code 2", "severity 'error'", "--today"):
        assert words in text


def _subprocess_env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(paths.ROOT)}
    env.pop("GX_ANALYTICS_ENABLED", None)
    return env


def test_command_runs_offline_quietly_and_leaves_no_gx_folder(tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    write_processed(broken(SHARE[0]), processed)
    code = f"""
import socket, sys
def refuse(*args, **kwargs):
    print("network access attempted during validation", args[1:2], file=sys.stderr, flush=True)
    raise OSError("network access refused by the test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from pipelines.cli import main
sys.exit(main(["validate", "--processed", {str(processed)!r}, "--pages", {str(tmp_path / "quality")!r},
               "--today", "2026-01-01"]))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=_subprocess_env(), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout.splitlines() == [SHARE[1]]
    assert "network access" not in done.stderr
    assert "Calculating Metrics" not in done.stderr and "%|" not in done.stderr  # no tqdm bars
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed", "quality"]  # no gx/, no uncommitted/


def test_reading_the_pipeline_modules_does_not_import_gx() -> None:
    code = (
        "import sys, pipelines.validate.step, pipelines.validate.quality, pipelines.validate.pages;"
        "from pipelines.cli import build_parser; build_parser(['validate']);"
        "print('great_expectations' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=_subprocess_env(), capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "False", done.stderr


def test_a_session_started_ahead_is_the_one_every_caller_gets() -> None:
    # validate starts GX in a thread while it reads the tables; its check then waits for that
    # session: one GX context in the process, however many ask and from which thread
    code = (
        "import threading; from pipelines.validate import gx;"
        "gx.session_ahead(); gx.session_ahead(); first = gx.session();"
        "[t.join() for t in threading.enumerate() if t.name == 'gx-session'];"
        "print(first is gx.session(), len(gx._SESSION))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=_subprocess_env(), capture_output=True, text=True, timeout=300
    )
    assert done.stdout.split() == ["True", "1"], done.stderr


# --- results for one benchmark (notebooks) ----------------------------------------------------


def _validated(tmp_path: Path, frames: Frames) -> Path:
    processed = tmp_path / "processed"
    write_processed(frames, processed)
    report, read = validate.validate_dir(processed, today=TODAY)
    validate.write_outputs(report, read, processed, tmp_path / "quality")
    return processed


def test_results_for_reads_stored_results_without_importing_gx(tmp_path: Path) -> None:
    processed = _validated(tmp_path, broken(SHARE[0], BOUNDS[0]))
    code = (
        f"import sys, json; from pipelines.validate.quality import results_for;"
        f"q = results_for('B', processed_dir=__import__('pathlib').Path({str(processed)!r}));"
        "print(json.dumps([q.origin, q.messages(), 'great_expectations' in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=_subprocess_env(), capture_output=True, text=True, timeout=120
    )
    origin, messages, imported = json.loads(done.stdout)
    assert origin == "stored" and imported is False
    assert messages == [SHARE[1]]  # B's share; C's prefects bound is not in B's slice


def test_results_for_restricts_to_the_benchmark_slice(tmp_path: Path) -> None:
    processed = _validated(tmp_path, broken(SHARE[0], BOUNDS[0], MILESTONE[0]))
    b = quality.results_for("B", processed_dir=processed)
    c = quality.results_for("C", processed_dir=processed)
    assert b.origin == c.origin == "stored"
    assert b.indicator_ids == ("women_share",)
    assert b.messages() == [SHARE[1], MILESTONE[1]]  # its share, and its milestone event B9
    assert c.messages() == [BOUNDS[1]]
    assert "bounds:prefects_present" not in {r.rule for r in b.report.tables["observations"].rules}
    assert b.failures().select("file", "line").rows() == [(OBS_FILE, 3), (EVENTS_FILE, 2)]
    with pytest.raises(Exception, match="benchmark 'Z' is not declared"):
        quality.results_for("Z", processed_dir=processed)
    # naming the roadmap gives the same slice; a roadmap without that benchmark is refused
    named = quality.results_for("B", processed_dir=processed, roadmap="test")
    assert named.messages() == b.messages() and named.indicator_ids == b.indicator_ids
    with pytest.raises(Exception, match="benchmark 'B' is not declared in roadmap other"):
        quality.results_for("B", processed_dir=processed, roadmap="other")


def test_results_for_rechecks_when_the_data_changed(tmp_path: Path) -> None:
    processed = _validated(tmp_path, sample_frames())
    assert quality.results_for("B", processed_dir=processed).origin == "stored"
    # an analyst fixes nothing and breaks a share; ingest reruns: the manifest changes
    write_processed(broken(SHARE[0]), processed)
    again = quality.results_for("B", processed_dir=processed, today=TODAY)
    assert again.origin == "recomputed" and again.messages() == [SHARE[1]]
    assert again.data_checksum == store.read_manifest(processed)["data_checksum"]
    assert json.loads((processed / "validation.json").read_text())["summary"]["errors"] == 0  # not rewritten


def test_results_for_rechecks_when_a_table_file_was_edited_by_hand(tmp_path: Path) -> None:
    processed = _validated(tmp_path, sample_frames())
    frames = broken(SHARE[0])
    schema.conform(frames["observations"], "observations").write_parquet(processed / "observations.parquet")
    again = quality.results_for("B", processed_dir=processed, today=TODAY)
    assert again.origin == "recomputed" and again.messages() == [SHARE[1]]


# --- the suites in expectations/ --------------------------------------------------------------


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.mark.parametrize("table", validation_suites.SUITE_TABLES)
def test_suites_are_clean_canonical_gx_suites(table: str) -> None:
    import great_expectations as gx

    path = validation_suites.suite_path(table)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert not {"id", "notes", "great_expectations_version"} & _keys(data), "no GX ids or stamps in reviewed files"
    assert not any("severity" in e for e in data["expectations"]), "our severity lives in meta"
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text), "no UUID"
    assert text == validation_suites.dumps_suite(data), "suite file is not in canonical form"
    assert data["name"] == table and table in schema.TABLES
    for expectation in data["expectations"]:
        meta = expectation["meta"]
        assert meta["severity"] in ("error", "warning") and meta["rule"] and meta["description"]
        columns = [expectation["kwargs"].get(k) for k in ("column", "column_A", "column_B")]
        columns += expectation["kwargs"].get("column_list", [])
        for column in filter(None, columns):
            assert column in schema.TABLES[table] or column.startswith("_"), f"{table}: unknown column {column}"
    suite = gx.ExpectationSuite(**data)
    assert len(suite.expectations) == len(data["expectations"])
    # GX's own serialisation, stripped of what GX adds, is the file we keep
    assert validation_suites.canonical_suite(suite.to_json_dict()) == validation_suites.canonical_suite(data)


def test_known_geo_codes_are_iso_3166_for_the_countries_of_the_roadmaps() -> None:
    from pipelines.validate import rules as validation_rules

    suite = validation_suites.load_suite("observations")
    known = next(e for e in suite["expectations"] if e["meta"]["rule"] == "known-geo")
    assert known["kwargs"]["value_set"] == {"$PARAMETER": "known_geo_codes"}  # from the data, not the suite
    mali = geo.geography("ML").known_codes()
    assert {"ML", "ML-1", "ML-9", "ML-10", "ML-BKO"} <= mali and "ML09" not in mali
    frames = sample_frames()  # one roadmap, of Mali
    assert set(validation_rules.parameters(frames, TODAY)["known_geo_codes"]) == mali
    # a second roadmap, of the DR Congo, adds its country and regions, and nothing else
    frames["roadmaps"] = pl.concat(
        [frames["roadmaps"], frames["roadmaps"].with_columns(roadmap_id=pl.lit("other"), country=pl.lit("CD"))]
    )
    both = set(validation_rules.parameters(frames, TODAY)["known_geo_codes"])
    assert both == mali | geo.geography("CD").known_codes() and {"CD", "CD-KN"} <= both


def test_a_suite_without_severity_is_refused(tmp_path: Path) -> None:
    for table in validation_suites.SUITE_TABLES:
        suite = validation_suites.load_suite(table)
        if table == "sources":
            del suite["expectations"][0]["meta"]["severity"]
        (tmp_path / f"{table}.json").write_text(json.dumps(suite), encoding="utf-8")
    with pytest.raises(validation_suites.SuiteError, match=r"meta\.severity"):
        validation_suites.load_suites(tmp_path)


def test_after_one_figure_changed_only_its_table_is_checked_again_with_a_full_checks_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    processed, pages = tmp_path / "processed", tmp_path / "quality"
    args = ["validate", "--processed", str(processed), "--pages", str(pages), "--today", TODAY.isoformat()]
    write_processed(sample_frames(), processed)
    assert cli_main(args) == 0
    write_processed(broken(SHARE[0]), processed)  # one observation now a share of 130 %
    capsys.readouterr()
    assert cli_main(args) == 2  # the changed table is checked: its new error is found
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [SHARE[1]]
    kept = re.search(r"kept the last check's results of ([a-z_, ]+) \(the same rows and rules\)", captured.err)
    assert kept and "observations" not in kept.group(1) and "sources" in kept.group(1)
    incremental = {
        p.relative_to(tmp_path).as_posix(): p.read_bytes()
        for p in [processed / "validation.json", *sorted(pages.glob("*.html"))]
    }
    assert cli_main([*args, "--force"]) == 2  # every table checked again, by GX
    assert {name: (tmp_path / name).read_bytes() for name in incremental} == incremental


def test_stored_results_edited_by_hand_are_never_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    processed, pages = tmp_path / "processed", tmp_path / "quality"
    args = ["validate", "--processed", str(processed), "--pages", str(pages), "--today", TODAY.isoformat()]
    write_processed(broken(SHARE[0]), processed)
    assert cli_main(args) == 2
    results_path = processed / "validation.json"
    results_path.write_text(
        results_path.read_text(encoding="utf-8").replace('"success": false', '"success": true'), encoding="utf-8"
    )  # someone makes the failing check pass
    write_processed(broken(SHARE[0], URL[0]), processed)  # and a figure changes
    capsys.readouterr()
    assert cli_main(args) == 2 and "kept the last check's results" not in capsys.readouterr().err


@pytest.fixture(scope="module")
def sample_check() -> tuple[validate.results.Report, validate.Checked]:
    """A full check of the valid sample (shared: each GX check costs seconds)."""
    return validate.check(sample_frames(), SUITES, today=TODAY, data_checksum="sample")


@pytest.mark.parametrize(
    ("table", "rule", "mutate", "line"), CASES + WARNING_CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES + WARNING_CASES]
)
def test_checking_only_the_changed_rows_gives_a_full_checks_results(
    table: str,
    rule: str,
    mutate: Callable[[Frames], None],
    line: str,
    sample_check: tuple[validate.results.Report, validate.Checked],
) -> None:
    """Each rule broken once after a valid check, and mended after a check that found it
    broken: the rows checked alone and the stored verdicts give the full check's results."""
    full, full_state = validate.check(broken(mutate), SUITES, today=TODAY, data_checksum="broken")
    kept, state = validate.check(
        broken(mutate), SUITES, today=TODAY, data_checksum="broken", stored=validate.Stored.of(*sample_check)
    )
    assert kept.to_dict() == full.to_dict() and line in kept.messages()
    mended, _ = validate.check(
        sample_frames(), SUITES, today=TODAY, data_checksum="sample", stored=validate.Stored.of(full, full_state)
    )
    assert mended.to_dict() == sample_check[0].to_dict()
    if rule.startswith(("share-range", "count-non-negative", "bounds", "cumulative", "period-", "known-", "cited")):
        assert table in state.changed  # a figure, a date, an id changed in place: only that row was checked


def test_after_one_figure_changed_validate_imports_no_gx_and_writes_a_full_checks_bytes(tmp_path: Path) -> None:
    processed, pages = tmp_path / "processed", tmp_path / "quality"
    args = ["validate", "--processed", str(processed), "--pages", str(pages), "--today", TODAY.isoformat()]
    write_processed(sample_frames(), processed)
    assert cli_main(args) == 0
    valid = edit("observations", row(COUNT_FILE, 4), value=2001.0)
    for after, code in ((broken(valid), 0), (broken(valid, SHARE[0]), 2)):  # a valid change, then an invalid one
        write_processed(after, processed)
        program = (
            "import sys; from pipelines.cli import main; code = main(sys.argv[1:]); "
            "print('gx' if 'great_expectations' in sys.modules else 'no gx'); sys.exit(code)"
        )
        done = subprocess.run(
            [sys.executable, "-c", program, *args], capture_output=True, text=True, cwd=paths.ROOT, check=False
        )
        assert done.returncode == code, done.stderr
        assert done.stdout.splitlines()[-1] == "no gx" and "checked only 1 new row(s) of observations" in done.stderr
        outputs = [processed / name for name in ("validation.json", validate.TABLE_KEYS, validate.incremental.ROWS)]
        outputs += sorted(pages.glob("*.html"))
        incremental = {p: p.read_bytes() for p in outputs}
        assert cli_main([*args, "--force"]) == code  # every row checked again, by GX
        assert {p: p.read_bytes() for p in outputs} == incremental


@pytest.mark.parametrize("limit", ["MAX_ROWS", "MAX_CHANGED"])
def test_a_table_too_large_or_too_changed_is_checked_whole(
    limit: str, monkeypatch: pytest.MonkeyPatch, sample_check: tuple[validate.results.Report, validate.Checked]
) -> None:
    monkeypatch.setattr(validate.incremental, limit, 0)
    report, state = validate.check(
        broken(SHARE[0]), SUITES, today=TODAY, data_checksum="broken", stored=validate.Stored.of(*sample_check)
    )
    full, _ = validate.check(broken(SHARE[0]), SUITES, today=TODAY, data_checksum="broken")
    assert report.to_dict() == full.to_dict() and "observations" not in state.changed
