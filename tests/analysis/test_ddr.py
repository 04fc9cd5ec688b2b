"""The DDR report's arithmetic (pipelines.reports.ddr.sums): running totals checked against the cohorts, the
funnel with its uncited stage left empty, the commitment, and when 2,000 would be reached.

Small frames first; then the cited figures of ``data/raw/observations/ddr.csv``, ingested
into a temporary folder.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import nbformat
import polars as pl
import pytest

from pipelines.analysis import views
from pipelines.core import paths, schema
from pipelines.core.i18n import t
from pipelines.present import theme
from pipelines.reports.ddr import panels as ddr_panels
from pipelines.reports.ddr import sums as ddr
from pipelines.run import jobs, sidecars

D = date


def obs(
    iid: str, start: date, value: float, source: str, end: date | None = None, confidence: str = "secondary"
) -> dict[str, Any]:
    return {
        "indicator_id": iid,
        "geo_code": "ML",
        "period_start": start,
        "period_end": end or start,
        "value": value,
        "unit": "persons",
        "source_id": source,
        "confidence": confidence,
        "note": None,
        "file": None,
        "line": None,
    }


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema.OBSERVATIONS)


# --- small frames ---------------------------------------------------------------------------------


def test_running_totals_are_checked_against_the_cohorts() -> None:
    cohorts = [(D(2019, 9, 8), 1006.0), (D(2021, 4, 30), 422.0)]
    good = ddr.check_totals(cohorts, [(D(2021, 4, 30), 1428.0), (D(2019, 9, 8), 1006.0)])
    assert [(c.day, c.cohorts, c.count, c.agrees) for c in good] == [
        (D(2019, 9, 8), 1006.0, 1, True),
        (D(2021, 4, 30), 1428.0, 2, True),
    ]
    wrong = ddr.check_totals(cohorts, [(D(2021, 4, 30), 1500.0)])
    assert not wrong[0].agrees and wrong[0].cohorts == 1428.0


def test_the_funnel_leaves_an_uncited_stage_empty() -> None:
    rows = frame(
        [
            obs("ddr_registered_candidates", D(2018, 1, 1), 32908, "s-a", D(2018, 12, 31)),
            obs("ddr_registered_candidates", D(2019, 9, 2), 74000, "s-b", D(2019, 9, 8)),
            obs("ddr_integrated_cumulative", D(2021, 4, 30), 1428, "s-c", confidence="derived"),
            obs("ddr_listed_combatants", D(2018, 11, 6), 36000, "s-d"),
        ]
    )
    roles = {
        "registered": ("ddr_registered_candidates",),
        "counted": ("ddr_integrated_cumulative",),
        "integration_list": ("ddr_accelerated_integration_list",),
    }  # `listed` left unbound
    stages = {s.key: s for s in ddr.funnel(rows, roles, D(2025, 1, 1))}
    assert list(stages) == ["registered", "listed", "integration_list", "trained", "integrated"]
    assert stages["registered"].latest is not None and stages["registered"].latest["value"] == 74000
    assert stages["registered"].figures.height == 2  # both figures are shown, not only the latest
    assert stages["listed"].latest is None  # its role is not bound in this roadmap
    assert stages["integration_list"].latest is None  # declared, but nobody cites a figure
    assert stages["trained"].indicator_id is None and stages["trained"].latest is None
    early = {s.key: s for s in ddr.funnel(rows, roles, D(2019, 1, 1))}
    assert early["registered"].latest is not None and early["registered"].latest["value"] == 32908
    assert early["integrated"].latest is None


# --- on the real data ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def tables(real_tables: views.Tables) -> views.Tables:
    return real_tables  # conftest: data/raw ingested once per session


def test_the_cohort_of_april_2021_belongs_to_the_accelerated_ddr(tables: views.Tables) -> None:
    # §10's 2,000 come "en outre" of the elements who "had completed" the accelerated DDR; the 422
    # presented to the flag on 30 Apr 2021 are of the 448 who went through it in June 2020 (MINUSMA,
    # 5 Feb 2021): the roadmap file counts from the total cited on that day, 1,428 (1,006 + 422)
    report = ddr.ddr_report(tables, "2021-05-31")
    assert report.view.counted_from == (D(2021, 4, 30), 1428.0)
    assert report.latest is None  # nothing integrated after it by then
    assert report.status == "insufficient_data"
    stages = {s.key: s.latest for s in report.stages}
    assert (
        stages["integration_list"] is not None and stages["integration_list"]["value"] == 448
    )  # cited, dated June 2020


def test_the_pace_of_what_counts_once_a_half_year_has_passed(tables: views.Tables) -> None:
    # 337 by 16 Jun 2022 (1,765 − 1,428), 412 days after counting starts: 298.8 a year
    p = ddr.ddr_report(tables, "2022-06-30").projection
    assert p.start == (D(2021, 4, 30), 0.0) and p.latest == (D(2022, 6, 16), 337.0)
    assert p.pace == pytest.approx(337 / (412 / 365.25))
    assert p.outcome == "projected" and p.year == 2028


def test_at_the_latest_date_not_achieved_by_the_deadline_and_no_projection(tables: views.Tables) -> None:
    report = ddr.ddr_report(tables, None)
    assert report.latest == (D(2022, 6, 16), 337.0)  # 1,765 (MINUSMA, June 2022) − 1,428
    assert report.projection.outcome == "deadline_passed"
    assert report.status == "not_achieved_by_deadline" and report.view.assessment.reason.startswith("deadline_passed")
    assert report.score == pytest.approx(337 / 2000)


def test_before_the_deadline_the_pace_ratio_decides(tables: views.Tables) -> None:
    report = ddr.ddr_report(tables, "2022-06-30")
    assert report.view.assessment.reason == "pace_ratio"
    observed = 337 / ((D(2022, 6, 16) - D(2021, 4, 30)).days / 365.25)
    required = 2000 / ((D(2022, 12, 31) - D(2021, 4, 30)).days / 365.25)
    assert report.view.assessment.anticipated == pytest.approx(observed / required)
    assert report.status == "limited_progress"


def test_the_chart_draws_what_the_rule_counts_and_the_published_totals_apart(tables: views.Tables) -> None:
    report = ddr.ddr_report(tables, None)
    counted = ddr_panels.integration_chart(report, "en").to_dict()
    drawn = [r for rows in counted["datasets"].values() for r in rows if "series" in r]
    assert {(r["date"], r["value"]) for r in drawn} == {("2021-04-30", 0.0), ("2022-06-16", 337.0)}
    assert max(r["value"] for r in drawn) < 2000  # the published 1,765 is not set against the target
    assert "observed pace prolonged (arithmetic)" not in json.dumps(counted)  # not drawn once the deadline passed
    published = ddr_panels.published_chart(report, "en")
    assert published is not None
    spec = json.dumps(published.to_dict())
    assert "1765" in spec and '"field": "target"' not in spec  # no target line beside the published totals


def test_a_published_total_above_the_cited_cohorts_is_shown(tables: views.Tables) -> None:
    report = ddr.ddr_report(tables, None)
    assert [(c.day, c.published, c.agrees) for c in report.checks] == [
        (D(2019, 9, 8), 1006.0, True),
        (D(2021, 4, 30), 1428.0, True),
        (D(2022, 6, 16), 1765.0, False),
    ]
    assert report.cohorts["value"].to_list() == [1006.0, 422.0]
    assert "1,765" in ddr_panels.check_text(report, "en")


def test_the_funnel_on_the_cited_figures(tables: views.Tables) -> None:
    stages = {s.key: s.latest["value"] if s.latest else None for s in ddr.ddr_report(tables, None).stages}
    assert stages == {
        "registered": 74000.0,
        "listed": 36000.0,
        "integration_list": 448.0,
        "trained": None,
        "integrated": 1765.0,
    }


@pytest.mark.parametrize(
    ("as_of", "value", "source"),
    [
        ("2021-06-30", 4900.0, "maliweb-2018-ddr-quotas"),
        ("2022-03-01", 26000.0, "un-media-2022-s-2021-1117"),
        ("2024-12-31", 26000.0, "minusma-2022-rnd-joint-statement"),  # the primary source of the RND, 1-5 Aug 2022
        (None, 2000.0, "toumai-2025-ddr-1"),  # DDR-1 of Feb 2025, for the groups allied to the transition
    ],
)
def test_the_latest_commitment_known_at_the_date(
    tables: views.Tables, as_of: str | None, value: float, source: str
) -> None:
    c = ddr.ddr_report(tables, as_of).commitment
    assert c is not None and (c["value"], c["source_id"]) == (value, source)


def test_sources_that_repeat_a_figure_are_shown_agreeing(tables: views.Tables) -> None:
    conflicts = ddr.ddr_report(tables, None).conflicts
    assert conflicts["agree"].all()
    assert conflicts.group_by("group", maintain_order=True).agg("indicator_id").rows() == [
        (0, ["ddr_integrated_cohort"] * 2),
        (1, ["ddr_integrated_cohort"] * 2),
        (2, ["ddr_integration_commitment"] * 2),
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_rows_charts_and_sidecar_in_both_languages(tables: views.Tables, lang: str, tmp_path: Path) -> None:
    report = ddr.ddr_report(tables, None)
    rows = ddr_panels.headline_rows(report, lang) + ddr_panels.stage_rows(report, lang)
    assert all(isinstance(c, str) and "None" not in c for r in rows for c in r)
    cells = [r[1] for r in rows]
    total, remaining = {"fr": ("1\u202f765", "1\u202f663"), "en": ("1,765", "1,663")}[lang]
    assert total in cells and "337" in cells and remaining in cells
    assert {"fr": "16,8\u00a0%", "en": "16.8%"}[lang] in cells  # 337 / 2,000 = 16.85 %, half to even
    assert {"fr": "aucun chiffre cité", "en": "no figure cited"}[lang] in cells
    assert t("wq_ddr.outcome.deadline_passed", lang) in cells
    for chart in (ddr_panels.integration_chart(report, lang), ddr_panels.funnel_chart(report, lang)):
        spec = chart.to_dict()
        assert sum(len(v) for v in spec["datasets"].values()) <= theme.MAX_ROWS
    assert "s-2021-300" in report.sources["source_id"].to_list()
    path = tmp_path / "ddr.json"
    sidecars.write_sidecar(path, **report.sidecar(lang))
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["status"] == "not_achieved_by_deadline" and 0 <= written["score"] <= 1
    assert written["headline"][0]["value"].startswith("337")


def test_the_notebook_declares_its_parameters_and_has_no_outputs() -> None:
    path = paths.NOTEBOOKS / "ddr.ipynb"
    assert jobs.declared_parameters(path) >= {"lang", "as_of", "processed_dir", "sidecar_path", "build_date"}
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.kernelspec.name == paths.KERNEL_NAME
    assert all(not c.outputs and c.execution_count is None for c in nb.cells if c.cell_type == "code")
