"""MINUJUSTH (Haiti, S/2018/241), the third roadmap: its 11 benchmarks numbered as the report
numbers them, and its statuses at the plan's date (20 March 2018), at a mid-point (31 December
2018) and at the mandate's end (15 October 2019).

The first part reads the embedded data. The second ingests MINUJUSTH's own files alone into a
temporary folder, with two targets the roadmap file does not set (marked FIXTURE below), so that
one target is met on time, one missed and one left without a figure. The last test builds
MINUSMA's and MONUSCO's pages with and without MINUJUSTH's files and holds them to the byte.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pipelines.analysis import views
from pipelines.analysis.indicators import IndicatorView
from pipelines.core import paths
from pipelines.ingest import step as ingest
from pipelines.reports import women_quota
from tests.analysis.test_views import _builds_and_cites
from tests.support import build_project, tables_of

MINUJUSTH = "s-2018-241"
#: MINUJUSTH's files in data/raw: the roadmap, its figures, events, sources and Haiti's places.
FILES = (
    "roadmaps/s-2018-241.yaml",
    "observations/minujusth.csv",
    "milestones-minujusth.csv",
    "sources-minujusth.csv",
    "geography/HT.yaml",
)
PLAN, MID, END = "2018-03-20", "2018-12-31", "2019-10-15"
#: "October 2019", the date of the target for the HNP's share of women, read as its last day.
OCTOBER_2019 = "2019-10-31"


@pytest.fixture(scope="module")
def tables(real_processed: Path) -> views.Tables:
    return views.Tables.load(real_processed, MINUJUSTH)


def status(tables: views.Tables, benchmark: str, day: str) -> str:
    return views.benchmark_view(tables, benchmark, "en", day).status


def indicator(tables: views.Tables, benchmark: str, indicator_id: str, day: str) -> IndicatorView:
    view = views.benchmark_view(tables, benchmark, "en", day)
    return next(v for v in view.indicators if v.indicator["indicator_id"] == indicator_id)


# --- the embedded data -----------------------------------------------------------------------


def test_eleven_benchmarks_numbered_as_the_report_numbers_them(tables: views.Tables) -> None:
    assert views.benchmark_order(tables.benchmarks["benchmark"].to_list()) == [str(n) for n in range(1, 12)]
    r = tables.roadmap
    assert (r["symbol"], r["country"], r["acronym"], str(r["published"])) == (
        "S/2018/241",
        "HT",
        "MINUJUSTH",
        "2018-03-20",
    )
    assert [str(k.day) for k in tables.marked_dates(tables.resolve_as_of(END))] == [PLAN, END]
    # no wording is guessed: where none was found, the page shows where it was sought
    view = views.benchmark_view(tables, "7", "fr", None)
    assert not view.has_wording and "Libellé non trouvé" in view.criterion
    assert views.benchmark_view(tables, "1", "en", None).criterion.startswith("The executive and legislative")


@pytest.mark.parametrize("benchmark", [str(n) for n in range(1, 12)])
def test_every_benchmark_builds_in_both_languages_and_cites_all_its_sources(
    tables: views.Tables, benchmark: str
) -> None:
    _builds_and_cites(tables, benchmark)


def test_statuses_at_the_plans_date_a_mid_point_and_the_mandates_end(tables: views.Tables) -> None:
    every = [str(n) for n in range(1, 12)]
    assert {status(tables, b, "2018-03-19") for b in every} == {"not_yet_in_force"}
    assert {status(tables, b, PLAN) for b in every} == {"insufficient_data"}  # nothing known yet
    # mid-point: pre-trial detention at the Port-au-Prince prison rose (62.2 % to 63.6 %) against a
    # target of 50.4 %, whatever the milestones (8 of 18 points)
    one = views.benchmark_view(tables, "1", "en", MID)
    assert (one.status, one.counted_milestones.points, one.counted_milestones.max_points) == ("deterioration", 8, 18)
    women = indicator(tables, "4", "minujusth_hnp_women_share", MID)
    assert women.assessment.status == "on_track"  # 9.17 % (July 2018), then 10 % (October 2018)
    # the mandate's end: women's share short of the pace (10.5 % against 11 % a month later)
    women = indicator(tables, "4", "minujusth_hnp_women_share", END)
    assert women.assessment.status == "needs_acceleration"
    assert women.assessment.latest is not None and women.assessment.latest[1] == 10.5
    # its own deadline, October 2019: missed; the Court of Cassation's 12 seats: filled on time
    assert indicator(tables, "4", "minujusth_hnp_women_share", OCTOBER_2019).assessment.status == (
        "not_achieved_by_deadline"
    )
    assert indicator(tables, "2", "minujusth_cassation_seats_filled", OCTOBER_2019).assessment.status == (
        "achieved_by_deadline"
    )
    # a target without a figure is never guessed: the police satisfaction survey (6.1) was never
    # held, so benchmark 6 stays unknown; benchmark 8's reports to international bodies (B8.1) came
    # after their April 2019 deadline
    assert {b for b in every if status(tables, b, OCTOBER_2019) == "insufficient_data"} == {"6"}
    assert status(tables, "8", OCTOBER_2019) == "not_achieved_by_deadline"


def test_figures_are_known_only_from_their_publication(tables: views.Tables) -> None:
    # July 2018's strength was published on 19 October 2018, October's in S/2018/1059 (28 November)
    before = indicator(tables, "4", "minujusth_hnp_strength", "2018-10-18")
    after = indicator(tables, "4", "minujusth_hnp_strength", "2018-10-19")
    assert before.observations.is_empty() and after.observations["value"].to_list() == [15042.0]
    assert indicator(tables, "4", "minujusth_hnp_strength", "2018-11-28").observations["value"].to_list() == [
        15042.0,
        15735.0,
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_womens_report_follows_the_hnp_in_haitis_terms(tables: views.Tables, lang: str) -> None:
    # the generic report, bound by MINUJUSTH's file: its one body, its 11 % target, its words
    report = women_quota.sums.quota_report(tables, "all", END)
    assert [b.body for b in report.bodies] == ["police"] and report.quota == 11.0
    assert report.status == "needs_acceleration"  # the same status as benchmark 4's page
    police = {"fr": "Police nationale d’Haïti (PNH)", "en": "Haitian National Police (HNP)"}[lang]
    assert report.body_name("police", lang) == police
    assert report.quota_text(lang) == {"fr": "cible 11\u00a0% (octobre 2019)", "en": "target 11% (October 2019)"}[lang]
    said = " ".join(
        [
            report.sidecar(lang, "all")["title"],
            report.words.t("wq.intro", lang, date=END, quota="11 %"),
            *(cell for row in women_quota.panels.gap_rows(report, lang) for cell in row),
        ]
    )
    assert police in said and "S/2018/241" in said
    assert not any(mali in said for mali in ("2015-052", "CNT", "Mali", "S/2021/300"))  # no other roadmap's word
    # after its deadline, the report says what benchmark 4 says: missed
    assert women_quota.sums.quota_report(tables, "all", OCTOBER_2019).status == "not_achieved_by_deadline"


# --- fixtures built from its own data: a target met, one missed, one without a figure ----------


def _with_target(text: str, indicator_id: str, value: float, day: str) -> str:
    """The roadmap text with `indicator_id`'s `target: null` replaced by a FIXTURE target."""
    block = re.compile(rf"(- indicator_id: {indicator_id}\n(?:        .*\n)*?)        target: null\n")
    rule = (
        f"        target: {{value: {value}, date: {day}}}\n"
        "        assessment:\n"
        f"          rule_fr: Cible d'essai de {value} au {day}.\n"
        f"          rule_en: Test target of {value} by {day}.\n"
        '          quote_fr: "cible d\'essai"\n'
    )
    out, n = block.subn(lambda m: m.group(1) + rule, text)
    assert n == 1, indicator_id
    return out


@pytest.fixture(scope="module")
def fixture_tables(tmp_path_factory: pytest.TempPathFactory) -> views.Tables:
    raw = tmp_path_factory.mktemp("minujusth") / "raw"
    for name in FILES:
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(paths.RAW / name, raw / name)
    roadmap = raw / FILES[0]
    text = roadmap.read_text(encoding="utf-8")
    # a FIXTURE target, not the roadmap's: the HNP at 15,400 officers by the mandate's end (met:
    # 15,404 on 15 September and 15 October 2019, after 14,911 and 14,908 below it)
    roadmap.write_text(_with_target(text, "minujusth_hnp_strength", 15400, END), encoding="utf-8")
    # FIXTURE: pre-trial detention's figures removed, as if none had been found (its target,
    # 50.4 % by October 2019, is the roadmap's)
    figures = raw / FILES[1]
    rows = figures.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [r for r in rows if not r.startswith("minujusth_pretrial_detention_share,")]
    assert len(kept) < len(rows)
    figures.write_text("".join(kept), encoding="utf-8")
    result = ingest.ingest(raw)
    assert result.quarantine.is_empty()
    return tables_of(result).for_roadmap(MINUJUSTH)


def test_a_target_met_on_time_one_missed_and_one_without_a_figure(fixture_tables: views.Tables) -> None:
    t = fixture_tables

    def of(benchmark: str, indicator_id: str, day: str) -> str:
        return indicator(t, benchmark, indicator_id, day).assessment.status

    # the plan's date: nothing published yet
    assert [of("4", "minujusth_hnp_strength", PLAN), of("1", "minujusth_pretrial_detention_share", PLAN)] == [
        "insufficient_data",
        "insufficient_data",
    ]
    # the mid-point: 15,735 officers in October 2018 (S/2018/1059, published 28 November) is
    # over the 15,400 already; the later figures fall below it before they rise again
    assert of("4", "minujusth_hnp_strength", MID) == "achieved"
    # the mandate's end: met on time (15,404 >= 15,400), and no figure at all for the other
    assert of("4", "minujusth_hnp_strength", END) == "achieved_by_deadline"
    assert of("1", "minujusth_pretrial_detention_share", END) == "insufficient_data"
    assert of("1", "minujusth_pretrial_detention_share", OCTOBER_2019) == "insufficient_data"  # never guessed
    # missed: women's share, 10.5 % by its deadline of October 2019 against 11 %
    assert of("4", "minujusth_hnp_women_share", OCTOBER_2019) == "not_achieved_by_deadline"
    # a benchmark is as far along as its least advanced part: benchmark 1's codes missed their
    # April 2019 deadline with drafts only, whatever its figures
    assert status(t, "1", OCTOBER_2019) == "not_achieved_by_deadline"
    assert status(t, "4", OCTOBER_2019) == "not_achieved_by_deadline"


# --- the other roadmaps' pages do not change by a byte --------------------------------------


#: The two roadmaps built, and a report of each kind.
ONLY_THE_OTHERS = ("--roadmap", "s-2021-300,s-2021-807", "--only", "A,D,POC,WDR,overview,changes")


@pytest.mark.slow
def test_minusma_and_monusco_pages_are_byte_identical_with_and_without_minujusth(tmp_path: Path) -> None:
    # one raw folder, built without MINUJUSTH's files and then with them, so that the paths the
    # downloads name are the same
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    kept = tmp_path / "minujusth"
    for name in FILES:
        (kept / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(raw / name, kept / name)
    without = build_project(raw, tmp_path / "without", *ONLY_THE_OTHERS)
    for name in FILES:
        shutil.move(kept / name, raw / name)
    with_ = build_project(raw, tmp_path / "with", *ONLY_THE_OTHERS)
    compared = 0
    for roadmap in ("s-2021-300", "s-2021-807"):
        for folder in (Path(roadmap), Path("data") / roadmap):
            files = sorted(p.relative_to(without) for p in (without / folder).rglob("*") if p.is_file())
            assert files == sorted(p.relative_to(with_) for p in (with_ / folder).rglob("*") if p.is_file())
            for file in files:
                assert (without / file).read_bytes() == (with_ / file).read_bytes(), file
                compared += 1
    assert compared > 20
    assert not (without / MINUJUSTH).exists() and not (with_ / MINUJUSTH).exists()  # not built: only the two
