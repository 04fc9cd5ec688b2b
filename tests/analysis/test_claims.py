"""The roadmap's figures against the data: the rules of `pipelines.reports.roadmap_figures.sums` on worked examples,
then on the embedded data, where they must reach the conclusions of the reference notes
(../shared/reference/mali_figures.md): 78 % is OPHI's 77.7 % for 2013 (or the 2018 rural
rate of 77.9 %), 69 % is JMP 2021's value for 2011, "> 4 million" and "53 %" are not
reproduced, and claims without a series say "no data"."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pipelines.analysis import views
from pipelines.core import paths, schema
from pipelines.present import theme
from pipelines.reports.roadmap_figures import charts as claims_charts
from pipelines.reports.roadmap_figures import sums as claims
from pipelines.reports.roadmap_figures.sums import Claim, Kind, Related

ROADMAP = date(2021, 3, 25)


# --- worked examples ------------------------------------------------------------------------------


def claim(
    value: float,
    qualifier: str = "=",
    kind: Kind = "figure",
    unit: str = "percent",
    direction: str = "decrease",
    iid: str = "x",
    related: tuple[Related, ...] = (),
) -> Claim:
    return Claim(iid, f"nom {iid}", f"name {iid}", unit, direction, 44, value, qualifier, "« citation »", kind, related)


def obs(rows: list[tuple[str, int | date, float, str]], confidence: str = "primary") -> pl.DataFrame:
    """(indicator, year or day, value, source) -> observations; a year runs 1 Jan - 31 Dec."""
    out = []
    for i, (iid, when, value, source) in enumerate(rows):
        start, end = (date(when, 1, 1), date(when, 12, 31)) if isinstance(when, int) else (when, when)
        out.append(
            {
                "indicator_id": iid,
                "geo_code": "ML",
                "period_start": start,
                "period_end": end,
                "value": value,
                "unit": "percent",
                "source_id": source,
                "confidence": confidence,
                "note": None,
                "file": "data/raw/observations/test.csv",
                "line": i + 2,
            }
        )
    return schema.conform(pl.DataFrame(out), "observations") if out else schema.empty("observations")


@pytest.mark.parametrize(
    ("value", "fits"),
    [(77.5, True), (77.7, True), (78.0, True), (78.49, True), (78.5, False), (77.49, False), (69.12, False)],
)
def test_equal_means_equal_once_rounded_to_the_precision_the_roadmap_wrote(value: float, fits: bool) -> None:
    # "78 %" is written without decimals: it stands for 77.5 <= x < 78.5 (half up)
    assert claim(78).fits(value) is fits


def test_precision_follows_the_decimals_written() -> None:
    assert claim(78).decimals == 0 and claim(27.9).decimals == 1 and claim(2000).decimals == 0
    assert claim(27.9).fits(27.94) and not claim(27.9).fits(27.95)
    assert claim(275, unit="count").fits(275) and not claim(275, unit="count").fits(276)


def test_more_than_is_strict() -> None:
    c = claim(4_000_000, ">", unit="persons")
    assert not c.fits(4_000_000) and c.fits(4_000_001) and not c.fits(3_999_999)


@pytest.mark.parametrize(("value", "fits"), [(95_000, True), (105_000, True), (94_999, False), (105_001, False)])
def test_about_is_within_five_percent(value: float, fits: bool) -> None:
    assert claims.APPROX_TOLERANCE == 0.05
    assert claim(100_000, "~", unit="households").fits(value) is fits


def test_a_target_is_met_when_passed_in_the_direction_of_progress() -> None:
    ddr = claim(2000, "=", kind="target", unit="persons", direction="increase")
    assert ddr.fits(2000) and ddr.fits(2500) and ddr.fits(1999.5) and not ddr.fits(1428)
    quota = claim(30, ">=", kind="target", direction="increase")
    assert quota.fits(30) and quota.fits(30.66) and not quota.fits(29.99)
    households = claim(100_000, "~", kind="target", unit="households", direction="increase")
    assert households.fits(120_000) and households.fits(95_000) and not households.fits(94_000)


def test_the_figure_text_keeps_the_qualifier_and_the_roadmap_precision() -> None:
    assert claim(78).figure_text("fr") == "78\u00a0%" and claim(78).figure_text("en") == "78%"
    assert claim(4e6, ">", unit="persons").figure_text("en") == "> 4,000,000"
    assert claim(1e5, "~", unit="households").figure_text("fr") == "≈ 100\u202f000"
    assert claim(30, ">=").figure_text("en") == "≥ 30%"


def test_gaps_are_signed_and_in_points_for_shares() -> None:
    assert claims.gap_text(-0.3, "percent", "en") == "−0.3\u00a0pt"
    assert claims.gap_text(0.12, "percent", "fr") == "+0,1\u00a0pt"
    assert claims.gap_text(-994, "persons", "fr") == "−994"
    assert claims.gap_text(51599, "persons", "en") == "+51,599"


def test_newest_figure_that_fits_reproduces_the_claim() -> None:
    a = claims.audit(
        claim(78), obs([("x", 2013, 77.7, "ophi-2016"), ("x", 2018, 78.2, "mpi-2022")]), roadmap_date=ROADMAP
    )
    assert a.verdict == "reproduced"
    assert a.newest is not None
    assert (a.newest.value, a.newest.period_end, a.newest.source_id) == (78.2, date(2018, 12, 31), "mpi-2022")


def test_an_older_release_that_fits_reproduces_it_only_as_an_older_figure() -> None:
    # OPHI's 2016 round (survey 2012-13) says 77.7; the 2022 round says 66.4 for 2018
    a = claims.audit(
        claim(78),
        obs([("x", 2013, 77.7, "ophi-2016"), ("x", 2006, 83.7, "mpi-2022"), ("x", 2018, 66.4, "mpi-2022")]),
        roadmap_date=ROADMAP,
    )
    assert a.verdict == "reproduced_older"
    assert a.newest is not None
    assert a.newest.value == 66.4 and not a.newest.fits
    assert a.best_before is not None
    assert (a.best_before.value, a.best_before.source_id, a.best_before.fits) == (77.7, "ophi-2016", True)
    assert a.best_before.gap == pytest.approx(-0.3)
    assert a.best_before.ratio == pytest.approx(77.7 / 78)


def test_an_old_year_of_a_series_is_its_best_match_but_does_not_reproduce_the_present() -> None:
    # JMP 2021: 69.12 % without basic sanitation in 2011, 54.61 % in 2020
    a = claims.audit(
        claim(69),
        obs([("x", 2011, 69.12, "jmp-2021"), ("x", 2015, 62.86, "jmp-2021"), ("x", 2020, 54.61, "jmp-2021")]),
        roadmap_date=ROADMAP,
    )
    assert a.verdict == "not_reproduced"
    assert a.newest is not None
    assert a.newest.value == 54.61
    assert a.best_before is not None
    assert (a.best_before.value, a.best_before.period_end.year) == (69.12, 2011)


def test_the_best_match_prefers_a_figure_that_fits_over_a_closer_one() -> None:
    # "> 4 million": 4.13 M (fits) beats 3.95 M (closer, but not above)
    c = claim(4e6, ">", unit="persons")
    a = claims.audit(c, obs([("x", 2017, 4_132_149, "jmp"), ("x", 2018, 3_947_407, "jmp")]), roadmap_date=ROADMAP)
    assert a.best_before is not None
    assert a.best_before.value == 4_132_149 and a.best_before.fits
    assert a.newest is not None
    assert a.newest.value == 3_947_407 and a.verdict == "not_reproduced"


def test_ties_go_to_the_newest_figure() -> None:
    a = claims.audit(
        claim(78), obs([("x", 2010, 77.7, "a"), ("x", 2012, 78.3, "a"), ("x", 2014, 50, "a")]), roadmap_date=ROADMAP
    )
    assert a.best_before is not None
    assert a.best_before.period_end.year == 2012  # |gap| 0.3 both: the newer one


def test_the_roadmap_date_is_the_roadmaps_own() -> None:
    # a figure dated after one roadmap was written can still precede another's
    frame = obs([("x", 2013, 66.4, "a"), ("x", date(2021, 6, 30), 78.1, "b")])
    earlier = claims.audit(claim(78), frame, roadmap_date=ROADMAP)
    later = claims.audit(claim(78), frame, roadmap_date=date(2021, 9, 17))
    assert earlier.newest is not None
    assert (earlier.verdict, earlier.newest.value) == ("not_reproduced", 66.4)
    assert later.newest is not None
    assert (later.verdict, later.newest.value) == ("reproduced", 78.1)
    with pytest.raises(TypeError, match="roadmap_date"):
        claims.audit(claim(78), frame)  # type: ignore[call-arg]  # no default date: every roadmap has its own


def test_a_yearly_figure_counts_once_its_year_is_over() -> None:
    # a 2021 figure ends on 31 Dec 2021: unknown on 25 March 2021
    a = claims.audit(claim(53), obs([("x", 2021, 53.2, "wdi")]), roadmap_date=ROADMAP)
    assert a.verdict == "no_data_before" and a.newest is None and a.best_before is None
    assert a.best_any is not None
    assert a.best_any.value == 53.2 and a.best_any.fits
    dated = claims.audit(claim(53), obs([("x", date(2021, 3, 25), 53.2, "press")]), roadmap_date=ROADMAP)
    assert dated.verdict == "reproduced"


def test_no_series_means_no_data_never_an_estimate() -> None:
    a = claims.audit(claim(50, ">"), obs([("other", 2020, 55, "s")]), roadmap_date=ROADMAP)
    assert a.verdict == "no_data"
    assert (a.newest, a.best_before, a.best_any, a.related) == (None, None, None, ())
    assert a.cited == ()


def test_only_national_figures_and_figures_up_to_as_of_count() -> None:
    frame = obs([("x", 2013, 77.7, "a"), ("x", 2024, 78.0, "a")])
    regional = frame.with_columns(geo_code=pl.lit("ML-7"), value=pl.lit(78.0))
    a = claims.audit(claim(78), pl.concat([frame, regional]), as_of=date(2022, 12, 31), roadmap_date=ROADMAP)
    assert a.best_any is not None
    assert a.best_any.period_end.year == 2013 and a.best_any.value == 77.7


def test_a_complement_is_arithmetic_and_skips_releases_that_publish_the_measure() -> None:
    c = claim(69, iid="sanitation_without_basic_share", related=(Related("sanitation_basic_share", complement=True),))
    frame = obs(
        [
            ("sanitation_without_basic_share", 2011, 69.12, "jmp-2021"),
            ("sanitation_basic_share", 2011, 30.88, "jmp-2021"),
            ("sanitation_basic_share", 2011, 31.27, "wdi"),
        ]
    )
    a = claims.audit(c, frame, roadmap_date=ROADMAP)
    assert [(m.source_id, m.complement) for m in a.related] == [("wdi", True)]
    assert a.related[0].value == pytest.approx(100 - 31.27) and a.related[0].fits
    assert a.cited == ("jmp-2021", "wdi")


def test_claims_come_from_indicators_with_a_roadmap_figure_in_the_roadmaps_order() -> None:
    rows: list[dict[str, object]] = [
        {
            "indicator_id": "b",
            "name_fr": "b",
            "name_en": "b",
            "unit": "percent",
            "direction": "increase",
            "target_value": 30.0,
            "roadmap_paragraph": 17,
            "roadmap_value": 30.0,
            "roadmap_qualifier": ">=",
            "roadmap_quote_fr": "q",
        },
        {"indicator_id": "none", "name_fr": "n", "name_en": "n", "unit": "percent", "direction": "increase"},
        {
            "indicator_id": "a",
            "name_fr": "a",
            "name_en": "a",
            "unit": "percent",
            "direction": "decrease",
            "target_value": None,
            "roadmap_paragraph": 3,
            "roadmap_value": 78.0,
            "roadmap_qualifier": "=",
            "roadmap_quote_fr": "q",
        },
    ]
    rows[2] |= {"roadmap_related": "a_rural", "roadmap_related_complement": "a_with"}
    found = claims.claims(schema.conform(pl.DataFrame(rows), "indicators"))
    assert [(c.indicator_id, c.paragraph, c.kind) for c in found] == [("a", 3, "figure"), ("b", 17, "target")]
    # the series the roadmap file names beside a figure, shown never for its verdict
    assert found[0].related == (Related("a_rural"), Related("a_with", complement=True)) and found[1].related == ()


def test_verdicts_and_roles_have_both_languages() -> None:
    from pipelines.core.i18n import t

    for kind in ("figure", "target"):
        for verdict in claims.VERDICTS:
            assert t(f"claims.verdict.{kind}.{verdict}", "fr") and t(f"claims.verdict.{kind}.{verdict}", "en")
    for role, _ in claims_charts.ROLES:
        assert claims_charts.role_label(role, "fr", ROADMAP) != claims_charts.role_label(role, "en", ROADMAP)
    assert claims_charts.role_label("newest", "en", ROADMAP) == "newest on 25 March 2021"
    assert claims_charts.role_label("best_before", "fr", date(2021, 9, 17)) == "meilleur jusqu'au 17 septembre 2021"


def _spec(chart: Any) -> dict[str, Any]:
    return chart.to_dict()


def test_the_dot_chart_embeds_its_rows_says_no_data_and_is_deterministic() -> None:
    audits = [
        claims.audit(
            claim(78, iid="a"), obs([("a", 2013, 77.7, "ophi"), ("a", 2018, 66.4, "mpi")]), roadmap_date=ROADMAP
        ),
        claims.audit(claim(50, ">", iid="b"), obs([]), roadmap_date=ROADMAP),
    ]
    one, two = (
        _spec(claims_charts.dot_chart(audits, "fr", ROADMAP)),
        _spec(claims_charts.dot_chart(audits, "fr", ROADMAP)),
    )
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)
    text = json.dumps(one, ensure_ascii=False)
    assert "aucune donnée" in text and "url" not in json.dumps(one["datasets"])
    rows = [r for values in one["datasets"].values() for r in values if "ratio_label" in r]
    assert {r["role"] for r in rows} == {
        "plus récent au 25 mars 2021",
        "meilleur jusqu'au 25 mars 2021",
        "meilleur, toutes dates",
    }
    assert sum(len(v) for v in one["datasets"].values()) <= theme.MAX_ROWS
    assert one["config"]["locale"]["number"]["decimal"] == ","


# --- the embedded data ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(real_tables: views.Tables) -> dict[str, claims.Audit]:
    """MINUSMA's claims, audited as of their roadmap's date (25 March 2021)."""
    assert real_tables.roadmap["published"] == ROADMAP
    audits = claims.audit_all(
        real_tables.indicators, real_tables.observations, roadmap_date=real_tables.roadmap["published"]
    )
    return {a.claim.indicator_id: a for a in audits}


def test_every_quoted_figure_of_the_roadmap_is_audited(real: dict[str, claims.Audit]) -> None:
    expected = {
        "women_parliament_share",
        "women_candidates_share",
        "women_cabinet_share",
        "constitution_commission_women_share",
        "ddr_integrated_cumulative",
        "transition_plan_actions",
        "transition_plan_objectives",
        "transition_plan_axes",
        "mpi_headcount_national",
        "rural_population_share",
        "water_without_improved_persons",
        "sanitation_without_basic_persons",
        "sanitation_without_basic_share",
        "health_workforce_covid_share",
        "cash_transfer_households_additional",
        "revenue_transfer_local_authorities_share",
    }
    assert set(real) == expected


def test_78_percent_is_matched_by_ophi_77_7_for_2013_and_the_rural_77_9_for_2018(real: dict[str, claims.Audit]) -> None:
    a = real["mpi_headcount_national"]
    assert a.verdict == "reproduced_older"  # the 2022 rounds (2018: 66.4 / 68.3) do not reproduce it
    assert a.best_before is not None
    assert (round(a.best_before.value, 1), a.best_before.period_end.year, a.best_before.source_id) == (
        77.7,
        2013,
        "ophi-2016-owid",
    )
    assert a.newest is not None
    assert round(a.newest.value, 1) in (66.4, 68.3) and a.newest.period_end.year == 2018
    rural = {m.source_id: m for m in a.related}
    assert round(rural["mpi-2022-harmonised-owid"].value, 1) == 77.9 and rural["mpi-2022-harmonised-owid"].fits
    assert not rural["mpi-2022-current-owid"].fits  # 79.7


def test_69_percent_without_sanitation_is_jmp_2021_for_2011_not_2020(real: dict[str, claims.Audit]) -> None:
    a = real["sanitation_without_basic_share"]
    assert a.verdict == "not_reproduced"
    assert a.best_before is not None
    assert (a.best_before.value, a.best_before.period_end.year, a.best_before.source_id) == (
        69.12,
        2011,
        "jmp-2021-owid",
    )
    assert a.newest is not None
    assert (a.newest.value, a.newest.period_end.year) == (54.61, 2020)
    wdi = [m for m in a.related if m.source_id == "wdi-ddf-sh-sta-bass-zs"]
    assert wdi and wdi[0].complement and wdi[0].period_end.year == 2011  # 100 − 31.27 = 68.73


def test_more_than_12_million_without_sanitation_is_never_reached(real: dict[str, claims.Audit]) -> None:
    a = real["sanitation_without_basic_persons"]
    assert a.best_any is not None
    assert a.verdict == "not_reproduced" and not a.best_any.fits
    assert (a.best_any.value, a.best_any.period_end.year) == (11_065_445, 2019)


def test_more_than_4_million_without_improved_water_is_not_reproduced_for_2020(real: dict[str, claims.Audit]) -> None:
    a = real["water_without_improved_persons"]
    assert a.verdict == "not_reproduced"
    assert a.newest is not None
    assert (a.newest.value, a.newest.period_end.year) == (2_753_703, 2020)
    assert a.best_before is not None
    assert (a.best_before.value, a.best_before.period_end.year) == (4_051_599, 2013)  # last year above 4 M
    basic = a.related[0]
    assert (basic.indicator_id, basic.value, basic.period_end.year, basic.fits) == (
        "water_without_basic_persons",
        4_132_149,
        2017,
        True,
    )


def test_53_percent_rural_is_not_reproduced_for_2020(real: dict[str, claims.Audit]) -> None:
    a = real["rural_population_share"]
    assert a.verdict == "not_reproduced"
    assert a.newest is not None
    assert round(a.newest.value, 1) == 56.1 and a.newest.period_end.year == 2020
    assert a.best_before is not None and a.best_any is not None
    assert not a.best_before.fits and not a.best_any.fits


def test_figures_without_a_series_say_no_data(real: dict[str, claims.Audit]) -> None:
    for iid in ("health_workforce_covid_share", "cash_transfer_households_additional"):
        assert real[iid].verdict == "no_data" and real[iid].best_any is None


def test_the_transition_plan_counts_are_reproduced(real: dict[str, claims.Audit]) -> None:
    for iid, value in (
        ("transition_plan_actions", 275),
        ("transition_plan_objectives", 23),
        ("transition_plan_axes", 6),
    ):
        newest = real[iid].newest
        assert real[iid].verdict == "reproduced" and newest is not None and newest.value == value


def test_the_targets_read_as_met_or_not(real: dict[str, claims.Audit]) -> None:
    ddr = real["ddr_integrated_cumulative"]
    # the 2,000 are read against what §10's rule counts, as on every other page: nothing counted
    # on the roadmap's date, 337 (1,765 − 1,428) by June 2022, never the published 1,765
    assert ddr.claim.kind == "target" and ddr.verdict == "no_data_before" and ddr.newest is None
    assert ddr.best_any is not None and ddr.best_any.counted and ddr.best_any.value == 337
    assert ddr.best_any.text("persons", "en").startswith("337 counted by the rule")
    women = real["women_parliament_share"]
    assert women.best_any is not None
    assert women.verdict == "not_reproduced" and women.best_any.fits and women.best_any.period_end.year == 2024
    assert real["constitution_commission_women_share"].verdict == "no_data_before"
    # §33 sets a share of revenue: it is compared with the revenue share of the 2018 budget
    # (19.77 %), never with the 9.5 % of budget spending of 2011-13 (audit 2026-12, item 8)
    revenue = real["revenue_transfer_local_authorities_share"]
    assert revenue.newest is not None
    assert revenue.verdict == "not_reproduced" and revenue.newest.value == 19.77
    assert revenue.best_any is not None and not revenue.best_any.fits


@pytest.mark.slow
def test_the_report_runs_in_both_languages_and_writes_its_sidecar(real_processed: Path, tmp_path: Path) -> None:
    import papermill

    processed = real_processed  # both roadmaps; the report reads MINUSMA's (read only)
    for lang in ("fr", "en"):
        sidecar = tmp_path / f"roadmap-figures-{lang}.json"
        papermill.execute_notebook(
            str(paths.NOTEBOOKS / "roadmap_figures.ipynb"),
            str(tmp_path / f"out-{lang}.ipynb"),
            parameters={
                "roadmap": "s-2021-300",
                "lang": lang,
                "processed_dir": str(processed),
                "sidecar_path": str(sidecar),
            },
            kernel_name=paths.KERNEL_NAME,
            cwd=str(paths.NOTEBOOKS),
            progress_bar=False,
        )
        payload = json.loads(sidecar.read_text(encoding="utf-8"))
        assert payload["verdicts"]["mpi_headcount_national"] == "reproduced_older"
        assert len(payload["headline"]) == 16
        assert views.Tables.load(processed, "s-2021-300").resolve_as_of("").isoformat() == payload["as_of"]
