"""Women's representation against the quota (pipelines.reports.women_quota.sums): seat counts read back from the
raw ``n/m`` rows and never guessed, the gap in points and seats, the year each body would reach
the quota at its observed pace (the pace itself: tests/analysis/test_projection.py), and figures
side by side.

The first part uses small frames built by hand; the second runs ingest on the embedded raw data
into a temporary folder and checks the cited figures of ``data/raw/observations/women.csv``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import nbformat
import polars as pl
import pytest

from pipelines.analysis import figures, views
from pipelines.analysis.indicators import build_series
from pipelines.core import paths, schema
from pipelines.core.errors import UsageError
from pipelines.core.frames import max_date
from pipelines.core.i18n import t
from pipelines.present import thematic_panels, theme
from pipelines.reports.women_quota import panels as women_panels
from pipelines.reports.women_quota import sums as women
from pipelines.reports.women_quota.sums import Gap
from pipelines.run import jobs, sidecars

D = date


def obs(
    iid: str,
    start: date,
    value: float,
    source: str,
    end: date | None = None,
    *,
    confidence: str = "primary",
    file: str | None = None,
    line: int | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    return {
        "indicator_id": iid,
        "geo_code": "ML",
        "period_start": start,
        "period_end": end or start,
        "value": value,
        "unit": "percent",
        "source_id": source,
        "confidence": confidence,
        "note": note,
        "file": file,
        "line": line,
    }


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema.OBSERVATIONS)


# --- seat counts --------------------------------------------------------------------------------


def counted_rows(numerators: list[float | None], denominators: list[float | None]) -> pl.DataFrame:
    base = frame([obs("women_parliament_share", D(2020, 4, 19 + i), 10.0, f"s-{i}") for i in range(len(numerators))])
    return base.with_columns(
        pl.Series("numerator", numerators, dtype=pl.Float64), pl.Series("denominator", denominators, dtype=pl.Float64)
    )


def test_seat_counts_are_those_a_source_wrote_as_n_of_m() -> None:
    counted = women.seat_counts(counted_rows([41, None, 25], [147, None, 121]))
    assert counted.select("women", "seats").rows() == [(41, 147), (None, None), (25, 121)]


@pytest.mark.parametrize(("num", "den"), [(4.5, 25.0), (30.0, 25.0), (0.0, 0.0)])
def test_counts_that_are_not_whole_women_of_seats_stay_unknown(num: float, den: float) -> None:
    assert women.seat_counts(counted_rows([num], [den]))["seats"].to_list() == [None]


# --- the gap ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seats", "needed"), [(147, 45), (121, 37), (137, 42), (25, 8), (10, 3), (72, 22), (1417, 426)]
)
def test_seats_needed_rounds_thirty_percent_up_in_exact_arithmetic(seats: int, needed: int) -> None:
    # 30 % of 10 is exactly 3 seats: a float product (3.0000000000000004) must not make it 4
    assert women.seats_needed(seats, 30.0) == needed


def test_gap_of_41_women_of_147_seats() -> None:
    gap = Gap(100 * 41 / 147, 30.0, 41, 147)
    assert not gap.reached
    assert gap.points == pytest.approx(30 - 27.891156, abs=1e-6)
    assert gap.shortfall == pytest.approx(3.1)  # 44.1 seats for 30 %, 41 held
    assert gap.seats_needed == 45
    assert gap.women_to_add == 4


def test_a_gap_without_counts_has_no_seat_figures() -> None:
    gap = Gap(3.0, 30.0)
    assert gap.points == pytest.approx(27.0)
    assert (gap.seats_needed, gap.shortfall, gap.women_to_add) == (None, None, None)


def test_a_body_at_the_quota_needs_no_more_women() -> None:
    gap = Gap(100 * 42 / 137, 30.0, 42, 137)
    assert gap.reached and gap.points == 0 and gap.women_to_add == 0 and gap.shortfall == 0


# --- figures side by side -----------------------------------------------------------------------


def test_side_by_side_groups_sources_on_the_same_moment() -> None:
    rows = frame(
        [
            obs("w", D(2020, 4, 19), 27.89, "s-41"),
            obs("w", D(2020, 4, 19), 28.57, "s-42"),  # disagree, same day
            obs("w", D(2020, 12, 3), 20.66, "s-press"),
            obs("w", D(2020, 12, 1), 26.45, "s-ipu", D(2020, 12, 31)),
            obs("w", D(2020, 1, 1), 27.89, "s-wdi", D(2020, 12, 31)),
            obs("w", D(2020, 1, 1), 27.89, "s-wdi2", D(2020, 12, 31)),
            obs("w", D(2021, 1, 1), 27.27, "s-wdi", D(2021, 12, 31)),  # one source: not shown
            obs("c", D(2018, 9, 1), 34.375, "s-a", D(2018, 9, 30)),
            obs("c", D(2018, 9, 1), 34.375, "s-b", D(2018, 9, 30)),
        ]
    )
    found = figures.side_by_side(rows)
    groups = found.group_by("group", maintain_order=True).agg("indicator_id", "source_id", pl.col("agree").first())
    assert groups.rows() == [
        (0, ["c", "c"], ["s-a", "s-b"], True),
        (1, ["w", "w"], ["s-wdi", "s-wdi2"], True),  # the yearly figures, not mixed with the dated ones
        (2, ["w", "w"], ["s-41", "s-42"], False),
        (3, ["w", "w"], ["s-ipu", "s-press"], False),  # 3 Dec 2020 inside December 2020
    ]


def test_side_by_side_of_nothing_is_empty() -> None:
    assert figures.side_by_side(frame([])).is_empty()


def test_chosen_rows_are_the_points_of_build_series() -> None:
    rows = frame(
        [
            obs("w", D(2020, 4, 19), 27.89, "s-41", confidence="secondary"),
            obs("w", D(2020, 4, 19), 28.57, "s-42", confidence="primary"),
            obs("w", D(2021, 1, 1), 27.27, "s-42", D(2021, 12, 31)),
        ]
    )
    chosen = women.chosen_rows(rows)
    points, _ = build_series(rows)
    assert list(zip(chosen["period_end"], chosen["value"], strict=True)) == points
    assert chosen["source_id"].to_list() == ["s-42", "s-42"]


@pytest.mark.parametrize(
    ("start", "end", "en", "fr"),
    [
        (D(2022, 8, 1), D(2022, 8, 5), "1–5 August 2022", "1–5 août 2022"),
        (D(2015, 1, 1), D(2020, 10, 31), "2015 – October 2020", "2015 – octobre 2020"),
        (D(2020, 12, 1), D(2020, 12, 31), "December 2020", "décembre 2020"),
        (D(2020, 1, 1), D(2020, 12, 31), "2020", "2020"),
        (D(2020, 4, 19), D(2020, 4, 19), "19 April 2020", "19 avril 2020"),
    ],
)
def test_periods_read_as_published(start: date, end: date, en: str, fr: str) -> None:
    assert (figures.period_text(start, end, "en"), figures.period_text(start, end, "fr")) == (en, fr)


def test_the_bodies_are_those_the_roadmap_binds_and_the_quota_their_target() -> None:
    bodies = {"parliament": "women_parliament_share", "csa": "csa_women_share"}
    assert women.select_bodies("all", bodies) == ["parliament", "csa"]
    assert women.select_bodies("csa", bodies) == ["csa"]
    with pytest.raises(UsageError, match="unknown body 'cabinet': use all or one of parliament, csa"):
        women.select_bodies("cabinet", bodies)  # a body of the report this roadmap does not bind
    indicators = pl.DataFrame(
        {"indicator_id": ["women_parliament_share", "csa_women_share", "other"], "target_value": [30.0, None, 50.0]}
    )
    assert women.quota_of(indicators, list(bodies.values())) == 30.0
    with pytest.raises(ValueError, match="one target"):
        women.quota_of(indicators.with_columns(pl.Series("target_value", [30.0, 33.0, None])), list(bodies.values()))


# --- on the real data ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def processed(real_processed: Path) -> Path:
    return real_processed  # conftest: data/raw ingested once per session


@pytest.fixture(scope="session")
def tables(real_tables: views.Tables) -> views.Tables:
    return real_tables


def report(tables: views.Tables, processed: Path, as_of: str | None, body: str = "all") -> women.QuotaReport:
    return women.quota_report(tables, body, as_of)


def the(rep: women.QuotaReport, body: str) -> women.BodyReport:
    return next(b for b in rep.bodies if b.body == body)


def test_the_2020_assembly_was_4_women_short_of_the_quota(tables: views.Tables, processed: Path) -> None:
    # women.csv: 41/147 (maliactu, Studio Tamani) and 42/147 (maliweb, International IDEA), 19 April 2020
    rep = report(tables, processed, "2020-06-30")
    assert rep.quota == 30.0
    figures = the(rep, "parliament").figures.filter(pl.col("period_end") == D(2020, 4, 19))
    counts = dict(zip(figures["source_id"], zip(figures["women"], figures["seats"], strict=True), strict=True))
    # International IDEA's page, dated by its declared rule, is known only from later in 2020
    assert counts == {"maliactu-2020-women-41": (41, 147), "maliweb-2020-women-42": (42, 147)}
    gap41 = Gap(100 * 41 / 147, rep.quota, 41, 147)
    assert (gap41.seats_needed, gap41.women_to_add, round(gap41.shortfall or 0, 1)) == (45, 4, 3.1)
    assert Gap(100 * 42 / 147, rep.quota, 42, 147).women_to_add == 3


def test_wdi_shares_have_no_seat_counts(tables: views.Tables, processed: Path) -> None:
    figures = the(report(tables, processed, None), "parliament").figures
    wdi = figures.filter(pl.col("source_id") == "wdi-ddf-2025-sg-gen-parl-zs")
    assert wdi.height == 27 and wdi["seats"].null_count() == 27


def test_after_the_deadline_the_gap_is_the_one_that_decided(tables: views.Tables, processed: Path) -> None:
    quota = report(tables, processed, None)
    body = the(quota, "parliament")
    assert body.latest is not None and body.gap is not None
    # the last figure by 31 Dec 2022 decides: WDI's 2022 share, with the IPU's counts 42/147; the
    # 2024 share (30.7 %, 42/137) is named beside it, never read as "quota reached"
    assert body.latest["source_id"] == "wdi-ddf-2025-sg-gen-parl-zs" and body.latest["period_end"].year == 2022
    assert (body.gap.women, body.gap.seats, body.latest["counts_source"]) == (42, 147, "ipu-parline-ml")
    assert not body.gap.reached and body.gap.women_to_add == 3
    row = next(r for r in women_panels.gap_rows(quota, "en") if r[0] == quota.body_name("parliament", "en"))
    assert "the last figure by the deadline; since: 30.7% (2024)" in row[1] and t("wq.reached", "en") not in row


def test_before_2024_the_parliament_was_3_women_short(tables: views.Tables, processed: Path) -> None:
    body = the(report(tables, processed, "2023-06-30"), "parliament")
    assert body.gap is not None and body.latest is not None
    assert (body.gap.women, body.gap.seats, body.gap.women_to_add) == (42, 147, 3)  # IPU, 28 Oct 2022
    assert body.windows == []  # after the deadline nothing is prolonged
    assert the(report(tables, processed, "2022-12-31"), "parliament").windows == []  # the deadline day too


def test_cabinet_pace_since_the_roadmap_and_over_the_whole_series(tables: views.Tables, processed: Path) -> None:
    body = the(report(tables, processed, "2022-06-30"), "cabinet")
    assert body.gap is not None and (body.gap.women, body.gap.seats, body.gap.women_to_add) == (6, 28, 3)
    windows = {w: (lin, comp) for w, lin, comp in body.windows}
    assert windows["baseline"][0].start == (D(2020, 10, 5), 16.0)  # S/2020/1281: 4 of 25
    assert [p.year for p in windows["baseline"]] == [2022, 2022]
    assert [p.outcome for p in windows["series"]] == ["never", "never"]  # 34.4 % in Sept 2018


def test_csa_has_no_counts_and_no_roadmap_target(tables: views.Tables, processed: Path) -> None:
    body = the(report(tables, processed, None), "csa")
    assert not body.has_target and body.gap is not None
    assert body.gap.share == 31.0 and body.gap.reached and body.gap.seats_needed is None


def test_after_the_deadline_no_pace_is_prolonged(tables: views.Tables, processed: Path) -> None:
    # the deadline rule, the same as the status's: after 31 Dec 2022 the question is whether the
    # quota was met by then, not when it would be at some pace
    rep = report(tables, processed, None)
    rows = {r[0]: r for r in women_panels.projection_rows(rep, "en")}
    for body in ("parliament", "cabinet"):
        assert the(rep, body).windows == []
        assert rows[rep.body_name(body, "en")][2] == "none: the deadline has passed"


def test_single_figures_give_no_pace(tables: views.Tables, processed: Path) -> None:
    rep = report(tables, processed, None)
    commission = the(rep, "constitution_commission")  # named 27 Jan 2023, after the deadline
    assert commission.windows == [] and commission.view.assessment.reason == "no_point_by_deadline"
    assert commission.gap is not None and commission.gap.women_to_add == 7  # 15 of 72: 22 needed
    candidates = the(rep, "candidates")  # no target, hence no deadline: a single figure, no pace
    assert [w for w, _, _ in candidates.windows] == ["single"]
    assert candidates.windows[0][1].outcome == "reached"  # 430 of 1,417


def test_disagreeing_parliament_figures_are_shown_side_by_side(tables: views.Tables, processed: Path) -> None:
    conflicts = report(tables, processed, None).conflicts
    disagree = conflicts.filter(~pl.col("agree"))
    groups = disagree.group_by("group", maintain_order=True).agg("source_id", "women", "seats")
    assert groups.select("source_id", "women").rows() == [
        (["idea-gender-quotas-ml", "maliactu-2020-women-41", "maliweb-2020-women-42"], [42, 41, 42]),
        (["angop-2020-cnt", "ipu-parline-ml-women"], [25, 32]),
    ]
    assert conflicts["indicator_id"].unique(maintain_order=True).to_list() == [
        "women_parliament_share",
        "women_cabinet_share",
    ]


def test_a_figure_after_as_of_is_not_shown(tables: views.Tables, processed: Path) -> None:
    rep = report(tables, processed, "2021-03-25")
    assert the(rep, "constitution_commission").latest is None  # named 27 Jan 2023
    assert max(max_date(b.figures["period_end"]) or D(1900, 1, 1) for b in rep.bodies) <= D(2021, 3, 25)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_rows_sidecar_and_chart_in_both_languages(
    tables: views.Tables, processed: Path, lang: str, tmp_path: Path
) -> None:
    rep = report(tables, processed, None)
    rows = (
        women_panels.gap_rows(rep, lang)
        + women_panels.projection_rows(rep, lang)
        + thematic_panels.side_by_side_rows(rep.conflicts, tables.indicators, rep.sources, lang)
    )
    assert rows and all(isinstance(c, str) and "None" not in c for r in rows for c in r)
    cited = set(rep.sources["source_id"].to_list())
    assert {b.latest["source_id"] for b in rep.bodies if b.latest} <= cited and "s-2021-300" in cited
    spec = women_panels.quota_chart(rep, lang).to_dict()
    assert sum(len(v) for v in spec["datasets"].values()) <= theme.MAX_ROWS
    path = tmp_path / "women-quota.json"
    sidecars.write_sidecar(path, **rep.sidecar(lang, "all"))
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["status"] == "not_achieved_by_deadline" and written["score"] is None  # cabinet: 21.4 % after 2022
    assert (
        written["headline"][0]["label"]
        == {"fr": "Parlement (Assemblée nationale, puis CNT)", "en": "Parliament (National Assembly, then CNT)"}[lang]
    )


def test_a_one_body_report_scores_its_current_status(tables: views.Tables, processed: Path) -> None:
    rep = report(tables, processed, None, body="cabinet")
    assert [b.body for b in rep.bodies] == ["cabinet"]
    assert rep.score == pytest.approx((100 * 6 / 28 - 16.0) / (30.0 - 16.0))
    assert rep.status == "not_achieved_by_deadline"


def test_the_notebook_declares_its_parameters_and_has_no_outputs() -> None:
    path = paths.NOTEBOOKS / "women_quota.ipynb"
    assert jobs.declared_parameters(path) >= {"body", "lang", "as_of", "processed_dir", "sidecar_path", "build_date"}
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.kernelspec.name == paths.KERNEL_NAME
    assert all(not c.outputs and c.execution_count is None for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_reached_where_the_rule_does_not_assess(tables: views.Tables, processed: Path, lang: str) -> None:
    # the candidates' share has no target (the quota applies per list): never "quota reached"
    quota = report(tables, processed, None)
    words = {t("wq.reached", lang), t("wq_ddr.outcome.reached", lang)}
    for rows in (women_panels.gap_rows(quota, lang), women_panels.projection_rows(quota, lang)):
        candidates = [r for r in rows if r[0] == quota.body_name("candidates", lang)]
        assert candidates and not any(w in str(cell) for r in candidates for cell in r for w in words)
        assert all(t("status_no_target", lang) in r for r in candidates)
