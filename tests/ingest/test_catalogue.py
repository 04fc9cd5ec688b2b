"""Many roadmaps, one model: a second (or third) roadmap is data, and changes nothing of the first.

The tests add a roadmap for a third country (Niger, ISO NE) whose benchmark ids clash on
purpose with MINUSMA's (``A``) and are numeric (``1``), beside a copy of the embedded data,
and check that every record stays with its roadmap: ingest, assessment, run and render.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from pipelines.analysis import views
from pipelines.core import paths
from pipelines.core.errors import DataError, UsageError
from pipelines.ingest import catalogue
from pipelines.ingest import step as ingest
from tests.support import build_project, tables_of

MINUSMA = "s-2021-300"
MONUSCO_FILES = (
    "roadmaps/s-2021-807.yaml",
    "observations/monusco.csv",
    "milestones-monusco.csv",
    "sources-monusco.csv",
    "geography/CD.yaml",
    "reviews/s-2021-807.csv",
)

NIGER = """\
roadmap_id: test-ne
symbol: TEST/NE/1
published: 2022-01-15
source_id: test-ne-roadmap
mission:
  acronym: TESTNE
  name_fr: Mission d'essai au Niger
  name_en: Test mission in Niger
country: NE
title_fr: Feuille de route d'essai
title_en: Test roadmap
key_dates:
  - key_date_id: roadmap
    date: 2022-01-15
    known_from: 2022-01-15
    label_fr: feuille de route d'essai
    label_en: test roadmap
benchmarks:
  - benchmark: A
    title_fr: Jalons d'essai
    title_en: Test milestones
    text_fr: Le critère A d'essai est rempli.
    text_en: Test criterion A is met.
    phase: "1"
    horizon: 2023-12-31
    kind: milestones
    milestones:
      - milestone_id: A1
        name_fr: Loi adoptée
        name_en: Law passed
        due: 2023-12-31
  - benchmark: 1
    title_fr: Écoles ouvertes
    title_en: Schools open
    text_fr: null
    text_note_fr: Libellé non trouvé (essai).
    text_en: null
    text_note_en: Wording not found (test).
    phase: "1"
    horizon: 2023-12-31
    kind: indicators
    retired: {date: 2023-06-01, as: transferred, to_fr: l'équipe de pays, to_en: the country team,
              source_id: test-ne-roadmap}
    indicators:
      - indicator_id: test_ne_schools_open
        name_fr: Écoles ouvertes
        name_en: Schools open
        unit: count
        direction: increase
        baseline: {value: null, date: 2022-01-15}
        target: {value: 100, date: 2023-12-31}
        assessment:
          rule_fr: Écoles ouvertes depuis la feuille de route.
          rule_en: Schools opened since the roadmap.
          quote_fr: "Les écoles rouvrent."
          paragraph: 4
"""
NIGER_OBSERVATIONS = """\
indicator_id,geo,period_start,period_end,value,unit,source_id,confidence,note
test_ne_schools_open,NE,2021,,40,count,test-ne-roadmap,primary,
test_ne_schools_open,NE,2022,,70,count,test-ne-roadmap,primary,
test_ne_schools_open,Agadez,2022,,12,count,test-ne-roadmap,primary,
test_ne_schools_open,ML-7,2022,,5,count,test-ne-roadmap,primary,a Mali region: refused
"""
NIGER_EVENTS = """\
roadmap_id,benchmark,milestone_id,date,status,description_fr,description_en,source_id,confidence
test-ne,A,A1,2023-07-01,full,Loi adoptée,Law passed,test-ne-roadmap,primary
"""
NIGER_SOURCES = """\
source_id,title,publisher,symbol,url,published,paragraph,kind
test-ne-roadmap,Test roadmap for Niger,Test,TEST/NE/1,https://example.org/test-ne,2022-01-15,,primary
"""


def minusma_only(target: Path) -> Path:
    """A copy of data/raw without MONUSCO's files: the first roadmap alone."""
    shutil.copytree(paths.RAW, target)
    for name in MONUSCO_FILES:
        (target / name).unlink(missing_ok=True)
    return target


def with_niger(target: Path) -> Path:
    """The embedded data (MINUSMA and MONUSCO) plus the Niger test roadmap, whose benchmark A
    clashes with MINUSMA's."""
    shutil.copytree(paths.RAW, target)
    raw = target
    (raw / "roadmaps" / "test-ne.yaml").write_text(NIGER, encoding="utf-8")
    (raw / "observations" / "test_ne.csv").write_text(NIGER_OBSERVATIONS, encoding="utf-8")
    (raw / "milestones-test-ne.csv").write_text(NIGER_EVENTS, encoding="utf-8")
    (raw / "sources-test-ne.csv").write_text(NIGER_SOURCES, encoding="utf-8")
    return raw


@pytest.fixture(scope="module")
def two_ingests(tmp_path_factory: pytest.TempPathFactory) -> tuple[ingest.Result, ingest.Result]:
    base = tmp_path_factory.mktemp("roadmaps")
    return ingest.ingest(minusma_only(base / "alone")), ingest.ingest(with_niger(base / "both"))


# --- ingest ---------------------------------------------------------------------------------


def test_the_first_roadmaps_records_are_the_same_with_a_second_roadmap_of_the_same_ids(
    two_ingests: tuple[ingest.Result, ingest.Result],
) -> None:
    alone, both = (tables_of(r).for_roadmap(MINUSMA) for r in two_ingests)
    for name in ("roadmaps", "key_dates", "benchmarks", "indicators", "milestones", "observations", "events"):
        a, b = (getattr(t, name).drop("file", "line", strict=False) for t in (alone, both))  # the folders differ
        assert a.equals(b), name
    assert both.benchmarks["benchmark"].to_list() == list("ABCDEFGHI")


def test_a_numeric_benchmark_id_is_its_text_and_each_record_keeps_its_roadmap(
    two_ingests: tuple[ingest.Result, ingest.Result],
) -> None:
    niger = tables_of(two_ingests[1]).for_roadmap("test-ne")
    assert niger.benchmarks["benchmark"].to_list() == ["1", "A"]
    assert niger.events["benchmark"].to_list() == ["A"]
    assert niger.observations["geo_code"].sort().to_list() == ["NE", "NE", "NE-1"]  # Agadez is NE-1


def test_a_region_of_another_country_is_quarantined_naming_the_roadmaps_country(
    two_ingests: tuple[ingest.Result, ingest.Result],
) -> None:
    q = two_ingests[1].quarantine
    row = q.filter(pl.col("value") == "ML-7").row(0, named=True)
    assert row["rule"] == "known-region" and row["column"] == "geo"
    assert "is not a region of Niger" in row["reason"]
    assert row["indicator_id"] == "test_ne_schools_open" and row["file"].endswith("observations/test_ne.csv")


# --- assessment -----------------------------------------------------------------------------


def test_minusma_statuses_do_not_move_when_another_roadmap_has_a_benchmark_a(
    two_ingests: tuple[ingest.Result, ingest.Result],
) -> None:
    alone, both = (tables_of(r).for_roadmap(MINUSMA) for r in two_ingests)
    for letter in "ABCDEFGHI":
        a, b = (views.benchmark_view(t, letter, "en", None).sidecar() for t in (alone, both))
        assert a == b, letter


def test_a_transferred_benchmark_says_so_from_its_date_on(two_ingests: tuple[ingest.Result, ingest.Result]) -> None:
    niger = tables_of(two_ingests[1]).for_roadmap("test-ne")
    before = views.benchmark_view(niger, "1", "en", "2023-05-31")
    after = views.benchmark_view(niger, "1", "fr", "2023-06-01")
    assert before.status != "transferred" and not before.retired_text()
    assert after.status == "transferred"
    assert after.retired_text().startswith("Critère transféré à l'équipe de pays le 1 juin 2023")
    assert not after.has_wording and after.criterion == "Libellé non trouvé (essai)."


def test_key_dates_are_marked_only_once_known(two_ingests: tuple[ingest.Result, ingest.Result]) -> None:
    minusma = tables_of(two_ingests[1]).for_roadmap(MINUSMA)
    from datetime import date

    assert [k.day for k in minusma.marked_dates(date(2022, 6, 30))] == [date(2021, 3, 25)]
    assert [k.label("en") for k in minusma.marked_dates(date(2023, 6, 30))] == [
        "roadmap of 25 March 2021",
        "end of MINUSMA's mandate, 30 June 2023",
    ]


# --- clashes and dangling references -------------------------------------------------------


def _roadmap(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("test_ne_schools_open", "other_id"), "roadmap 'test-ne' is already declared in {first} line 1"),
        (
            ("roadmap_id: test-ne", "roadmap_id: test-ne-2"),
            "indicator 'test_ne_schools_open' is already declared in {first} line 45",
        ),
    ],
)
def test_an_id_declared_by_two_roadmap_files_is_refused_naming_both_places(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    first = _roadmap(tmp_path, "one", NIGER)
    second = _roadmap(tmp_path, "two", NIGER.replace(*change))
    with pytest.raises(DataError) as err:
        catalogue.load([first, second])
    assert expected.format(first=paths.display(first)) in str(err.value)
    assert err.value.problem.file == paths.display(second) and err.value.problem.line is not None


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (("benchmark: 1\n", "benchmark: 'a b'\n"), "benchmark-id"),
        (("roadmap_id: test-ne", "roadmap_id: Test NE"), "roadmap-id"),
        (("country: NE", "country: XX"), "country"),
        (("    text_note_en: Wording not found (test).\n", ""), "required"),
        (("    known_from: 2022-01-15\n", ""), "required"),
        (("as: transferred", "as: moved"), "as"),
    ],
)
def test_a_bad_roadmap_definition_names_its_rule(tmp_path: Path, change: tuple[str, str], rule: str) -> None:
    with pytest.raises(DataError) as err:
        catalogue.load([_roadmap(tmp_path, "bad", NIGER.replace(*change))])
    assert err.value.problem.rule == rule
    assert err.value.problem.file.endswith("bad.yaml")


def test_milestone_events_pointing_nowhere_or_at_two_roadmaps_are_quarantined(tmp_path: Path) -> None:
    raw = with_niger(tmp_path / "raw")
    # Niger's benchmark A has a milestone A1, as MINUSMA's does: without a roadmap_id it is ambiguous.
    (raw / "milestones-test-ne.csv").write_text(
        NIGER_EVENTS + ",A,A1,2022-07-01,full,x,x,test-ne-roadmap,primary\n"
        "nowhere,A,A1,2022-07-02,full,x,x,test-ne-roadmap,primary\n",
        encoding="utf-8",
    )
    q = ingest.ingest(raw).quarantine.filter(pl.col("file").str.ends_with("milestones-test-ne.csv"))
    rules = dict(zip(q["line"].to_list(), q["rule"].to_list(), strict=True))
    assert rules == {3: "ambiguous-roadmap", 4: "known-roadmap"}
    reasons = " ".join(q["reason"].to_list())
    assert "declared by roadmaps s-2021-300 and test-ne" in reasons and "roadmap 'nowhere' is not declared" in reasons


# --- run and render, end to end --------------------------------------------------------------


@pytest.mark.slow
def test_pages_of_the_first_roadmap_are_byte_identical_with_and_without_others(tmp_path: Path) -> None:
    # alone: MINUSMA's files only; both: MINUSMA, MONUSCO and the Niger roadmap with its own A
    alone = build_project(
        minusma_only(tmp_path / "raw-alone"), tmp_path / "alone", "--lang", "en", "--only", "A,B,overview"
    )
    both = build_project(
        with_niger(tmp_path / "raw-both"), tmp_path / "both", "--lang", "en", "--only", "A,B,1,overview"
    )
    pages = sorted(p.name for p in (alone / MINUSMA / "en").glob("*.html"))
    assert pages == ["benchmark-A.html", "benchmark-B.html", "index.html", "overview.html"]
    for name in pages:
        assert (alone / MINUSMA / "en" / name).read_bytes() == (both / MINUSMA / "en" / name).read_bytes(), name
    niger = sorted(p.name for p in (both / "test-ne" / "en").glob("*.html"))
    assert niger == ["benchmark-1.html", "benchmark-A.html", "index.html", "overview.html"]
    index = (both / "test-ne" / "en" / "index.html").read_text(encoding="utf-8")
    assert 'href="benchmark-1.html"' in index and "TESTNE roadmap (TEST/NE/1)" in index
    assert "benchmark-C" not in index
    page = (both / "test-ne" / "en" / "benchmark-1.html").read_text(encoding="utf-8")
    assert "Benchmark criterion (TEST/NE/1)" in page and "S/2021/300" not in page
    assert "transferred, no longer assessed" in page
    # the ML-7 row was refused: the panel says so instead of "every rule passes"
    assert "set aside when read (quarantine)" in page and "Every data-quality rule passes" not in page
    home = (both / "index.html").read_text(encoding="utf-8")
    assert f'href="{MINUSMA}/en/index.html"' in home and 'href="test-ne/en/index.html"' in home


def test_only_and_roadmap_name_their_ids_when_unknown(real_processed: Path, tmp_path: Path) -> None:
    from pipelines.run import jobs

    roadmaps = jobs.known_roadmaps(real_processed)
    assert [r.roadmap_id for r in roadmaps] == ["s-2018-241", MINUSMA, "s-2021-807"]
    specs = jobs.registry(paths.NOTEBOOKS, roadmaps)
    monusco = [s.report_id for s in specs if s.roadmap == "s-2021-807"]
    assert "women-quota" not in monusco and "overview" in monusco  # thematic reports are MINUSMA's
    assert {(s.roadmap, s.report_id) for s in jobs.check_only("POC,D", specs)} == {
        ("s-2021-807", "benchmark-POC"),
        (MINUSMA, "benchmark-D"),
    }
    with pytest.raises(
        UsageError,
        match=r"benchmarks are s-2018-241: 1,2,3,4,5,6,7,8,9,10,11; "
        r"s-2021-300: A,B,C,D,E,F,G,H,I; s-2021-807: ",
    ):
        jobs.check_only("Z", specs)
    with pytest.raises(UsageError, match="unknown roadmap nope: the roadmaps are s-2018-241, s-2021-300, s-2021-807"):
        jobs.check_roadmaps("nope", roadmaps)


def test_a_roadmap_for_a_third_country_is_drawn_from_its_own_regions() -> None:
    from pipelines.core import geo

    niger = geo.geography("NE", Path("/nonexistent"))
    assert niger.to_iso("Agadez") == "NE-1" and niger.to_iso("NER") == "NE"
    with pytest.raises(geo.UnknownRegion, match="not a region of Niger"):
        niger.to_iso("Gao")


# --- benchmark sets, versioned by date ------------------------------------------------------


def _with_sets(tmp_path: Path, sets: str) -> Path:
    path = tmp_path / "test-ne.yaml"
    path.write_text(
        NIGER.replace("benchmarks:\n  - benchmark: A", sets + "benchmarks:\n  - benchmark: A"), encoding="utf-8"
    )
    return path


def test_a_benchmark_added_by_a_later_set_is_in_force_from_its_date(tmp_path: Path) -> None:
    from datetime import date

    path = _with_sets(
        tmp_path,
        "benchmark_sets:\n  - from: 2022-01-15\n    benchmarks: [A]\n  - from: 2022-06-01\n    benchmarks: [A, 1]\n",
    )
    part = catalogue.read_roadmap(path)
    rows = {b["benchmark"]: b for b in part.benchmarks}
    assert rows["A"]["in_force_from"] is None and rows["1"]["in_force_from"] == date(2022, 6, 1)
    assert views.in_force(rows["1"], part.roadmap) == date(2022, 6, 1)
    assert views.in_force(rows["A"], part.roadmap) == date(2022, 1, 15)


def test_a_set_that_drops_a_benchmark_names_it_and_the_drop_becomes_its_retirement(tmp_path: Path) -> None:
    from datetime import date

    text = (
        "benchmark_sets:\n  - from: 2022-01-15\n    benchmarks: [A, 1]\n"
        "  - from: 2023-01-01\n    benchmarks: [1]\n    transferred: [A]\n    to_en: the team\n"
        "    source_id: test-ne-roadmap\n"
    )
    part = catalogue.read_roadmap(_with_sets(tmp_path, text))
    a = next(b for b in part.benchmarks if b["benchmark"] == "A")
    assert (a["retired_on"], a["retired_as"], a["retired_to_en"]) == (date(2023, 1, 1), "transferred", "the team")
    unnamed = text.replace("    transferred: [A]\n", "")
    with pytest.raises(DataError, match="named under 'transferred' or 'retired'"):
        catalogue.read_roadmap(_with_sets(tmp_path, unnamed))
    with pytest.raises(DataError, match="benchmarks in no set: 1"):
        catalogue.read_roadmap(_with_sets(tmp_path, "benchmark_sets:\n  - from: 2022-01-15\n    benchmarks: [A]\n"))
    with pytest.raises(DataError, match="not declared"):
        catalogue.read_roadmap(
            _with_sets(tmp_path, "benchmark_sets:\n  - from: 2022-01-15\n    benchmarks: [A, 1, Z]\n")
        )
