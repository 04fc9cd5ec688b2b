"""Ingest: raw files in, typed Parquet out, and every row that cannot be read set aside with
its file, line, column, value and reason, never dropped."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipelines.cli import main
from pipelines.core import paths, store
from pipelines.core.errors import DataError
from pipelines.ingest import step as ingest

ROADMAP = """\
roadmap_id: test
symbol: TEST/1
published: 2021-03-25
source_id: s1
mission:
  acronym: TEST
  name_fr: Mission d'essai
  name_en: Test mission
country: ML
title_fr: Feuille de route d'essai
title_en: Test roadmap
benchmarks:
  - benchmark: B
    paragraph: 8
    title_fr: Élections
    title_en: Elections
    text_fr: Les réformes électorales ont été menées à bien.
    text_en: Electoral reforms have been completed.
    phase: I
    horizon: 2022-12-31
    kind: mixed
    indicators:
      - indicator_id: women_share
        name_fr: Part des femmes
        name_en: Women's share
        unit: percent
        direction: increase
        target: {value: 30, date: 2022-12-31}
        assessment: {rule_fr: Au moins 30 %., rule_en: At least 30 %., quote_fr: "30 %"}
      - indicator_id: integrated
        name_fr: Intégrés
        name_en: Integrated
        unit: count
        direction: increase
        cumulative: true
    milestones:
      - milestone_id: B1
        name_fr: Loi électorale adoptée
        name_en: Electoral law adopted
"""
HEADER = "indicator_id,geo,period_start,period_end,value,unit,source_id,confidence,note\n"
SOURCES = "source_id,title,publisher,symbol,url,published,paragraph,kind\ns1,Report,UN,S/2020/1281,https://undocs.org/S/2020/1281,2020-12-28,2,primary\n"
MILESTONES = "benchmark,milestone_id,date,status,description_fr,description_en,source_id,confidence\nB,B1,2022-06-17,full,Adoptée,Adopted,s1,secondary\n"


def make_raw(tmp_path: Path, observations: str | bytes, name: str = "obs.csv") -> Path:
    raw = tmp_path / "raw"
    (raw / "roadmaps").mkdir(parents=True)
    (raw / "observations").mkdir()
    (raw / "roadmaps" / "test.yaml").write_text(ROADMAP, encoding="utf-8")
    (raw / "sources.csv").write_text(SOURCES, encoding="utf-8")
    (raw / "milestones.csv").write_text(MILESTONES, encoding="utf-8")
    target = raw / "observations" / name
    if isinstance(observations, bytes):
        target.write_bytes(observations)
    else:
        target.write_text(observations, encoding="utf-8")
    return raw


def quarantined(result: ingest.Result) -> list[dict]:
    return result.quarantine.to_dicts()


def test_clean_file_becomes_typed_rows(tmp_path: Path) -> None:
    raw = make_raw(
        tmp_path,
        HEADER
        + 'women_share,Ménaka,2020,,"27,9 %",,s1,Primary,\nintegrated,ML,2019-09-08,,1 006,,s1,secondary,first cohort\n',
    )
    result = ingest.ingest(raw)
    obs = result.tables["observations"]
    assert quarantined(result) == []
    assert obs.schema["value"] == pl.Float64 and obs.schema["period_start"] == pl.Date
    row = obs.filter(pl.col("indicator_id") == "women_share").to_dicts()[0]
    assert row["geo_code"] == "ML-9" and row["value"] == pytest.approx(27.9)
    assert row["period_start"] == date(2020, 1, 1) and row["period_end"] == date(2020, 12, 31)
    assert row["confidence"] == "primary" and row["unit"] == "percent"
    assert row["file"].endswith("observations/obs.csv") and row["line"] == 2


def test_share_written_as_fraction_or_seats_is_stored_in_percent(tmp_path: Path) -> None:
    raw = make_raw(
        tmp_path, HEADER + "women_share,ML,2020,,0.279,fraction,s1,primary,\nwomen_share,ML,2021,,33/121,,s1,primary,\n"
    )
    values = ingest.ingest(raw).tables["observations"]["value"].to_list()
    assert values == pytest.approx([27.9, 27.2727272727])


@pytest.mark.parametrize(
    ("row", "column", "value", "rule"),
    [
        ("women_share,Atlantis,2020,,27,,s1,primary,", "geo", "Atlantis", "known-region"),
        ("unknown_thing,ML,2020,,27,,s1,primary,", "indicator_id", "unknown_thing", "known-indicator"),
        ("women_share,ML,2020,,n/a,,s1,primary,", "value", "n/a", "number"),
        ('women_share,ML,2020,,"1,006",,s1,primary,', "value", "1,006", "ambiguous-separator"),
        ("women_share,ML,2020-13,,27,,s1,primary,", "period_start", "2020-13", "period_start"),
        ("women_share,ML,2021,2020,27,,s1,primary,", "period_end", "2020", "period-order"),
        ("women_share,ML,2020,,27,persons,s1,primary,", "value", "27", "unit"),
        ("integrated,ML,2020,,12 %,,s1,primary,", "value", "12 %", "unit"),
        ("women_share,ML,2020,,27,,s1,maybe,", "confidence", "maybe", "confidence"),
        ("women_share,,2020,,27,,s1,primary,", "geo", "", "required"),
    ],
)
def test_bad_rows_are_quarantined_with_file_line_column_value_and_rule(
    tmp_path: Path, row: str, column: str, value: str, rule: str
) -> None:
    raw = make_raw(tmp_path, HEADER + "women_share,ML,2019,,9.5,,s1,primary,\n" + row + "\n")
    result = ingest.ingest(raw)
    [problem] = quarantined(result)
    assert problem["file"].endswith("observations/obs.csv")
    assert (problem["line"], problem["column"], problem["value"], problem["rule"]) == (3, column, value, rule)
    assert problem["reason"]
    assert problem["indicator_id"] == row.split(",")[0]  # what the refused row was about
    assert result.tables["observations"].height == 1  # the good row is kept


def test_a_figures_publication_date_is_read_and_a_bad_one_set_aside_with_its_row(tmp_path: Path) -> None:
    header = HEADER.replace("note\n", "note,published\n")
    raw = make_raw(
        tmp_path,
        header + "women_share,ML,2019,,9.5,,s1,primary,,2021-05-01\n"
        "women_share,ML,2020,,12,,s1,primary,,45000\n"
        "women_share,ML,2021,,13,,s1,primary,,\n"
        "women_share,ML,2022,,14,,s1,primary,,2021-05-01\n",
    )
    result = ingest.ingest(raw)
    [problem] = quarantined(result)
    assert (problem["line"], problem["column"], problem["value"], problem["rule"]) == (
        3,
        "published",
        "45000",
        "published",
    )
    assert "date serial" in problem["reason"]
    kept = result.tables["observations"].sort("period_start")
    assert kept["published"].to_list() == [date(2021, 5, 1), None, date(2021, 5, 1)]


@pytest.mark.parametrize(
    ("other", "second_file", "second_line", "first", "values"),
    [
        (None, "obs.csv", 3, "observations/obs.csv line 2", "value 27.9 there, 29.0 here"),  # within one file
        # across two files (read in name order): nothing chosen by their order
        ("more.csv", "obs.csv", 2, "observations/more.csv line 2", "value 29.0 there, 27.9 here"),
    ],
)
def test_a_repeated_observation_key_is_refused_naming_both_places_the_key_and_the_rule(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    other: str | None,
    second_file: str,
    second_line: int,
    first: str,
    values: str,
) -> None:
    row = "women_share,ML,2020,,27.9,,s1,primary,\n"
    raw = make_raw(tmp_path, HEADER + row + ("" if other else row.replace("27.9", "29")))
    if other:
        (raw / "observations" / other).write_text(HEADER + row.replace("27.9", "29"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    problem = err.value.problem
    assert problem.rule == "unique-key" and problem.line == second_line
    assert problem.file.endswith(f"observations/{second_file}")
    assert problem.column == "indicator_id, geo_code, period_start, period_end, source_id"
    assert (
        problem.value
        == "indicator_id=women_share, geo_code=ML, period_start=2020-01-01, period_end=2020-12-31, source_id=s1"
    )
    assert f"raw/{first} has it already ({values})" in problem.reason
    assert "nothing is chosen by the files' order" in problem.reason
    assert main(["ingest", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    assert f"raw/{first} has it already" in capsys.readouterr().err
    assert not (tmp_path / "out" / "observations.parquet").exists()


@pytest.mark.parametrize("across", [False, True])
def test_a_repeated_milestone_event_key_is_refused_naming_both_places(tmp_path: Path, across: bool) -> None:
    raw = make_raw(tmp_path, HEADER)
    event = MILESTONES.split("\n")[1].replace(",full,", ",minimal,") + "\n"
    if across:
        (raw / "milestones-x.csv").write_text(MILESTONES.split("\n")[0] + "\n" + event, encoding="utf-8")
    else:
        (raw / "milestones.csv").write_text(MILESTONES + event, encoding="utf-8")
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    problem = err.value.problem
    assert problem.rule == "unique-key" and problem.column == "roadmap_id, benchmark, milestone_id, date, source_id"
    assert problem.value == "roadmap_id=test, benchmark=B, milestone_id=B1, date=2022-06-17, source_id=s1"
    # files in name order: milestones-x.csv before milestones.csv; within a file, line order
    assert problem.file.endswith("raw/milestones.csv") and problem.line == (2 if across else 3)
    assert ("raw/milestones-x.csv line 2" if across else "raw/milestones.csv line 2") in problem.reason
    assert "status" in problem.reason


def test_two_sources_for_the_same_figure_are_both_kept(tmp_path: Path) -> None:
    raw = make_raw(
        tmp_path, HEADER + "women_share,ML,2020,,27.9,,s1,primary,\nwomen_share,ML,2020,,28.6,,s2,secondary,\n"
    )
    assert ingest.ingest(raw).tables["observations"].height == 2


@pytest.mark.parametrize(
    ("content", "rule", "line", "column"),
    [
        ("", "empty-file", None, None),
        ("indicator_id,geo,period_start,value\nwomen_share,ML,2020,27\n", "required-column", 1, "source_id"),
        (HEADER.replace("note", "notes"), "unknown-column", 1, "notes"),
        (HEADER + "women_share,ML,2020,,27,,s1\n", "row-width", 2, None),
    ],
)
def test_malformed_files_stop_ingest_naming_the_file(
    tmp_path: Path, content: str, rule: str, line: int | None, column: str | None
) -> None:
    raw = make_raw(tmp_path, content)
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    problem = err.value.problem
    assert problem.file.endswith("observations/obs.csv")
    assert (problem.rule, problem.line, problem.column) == (rule, line, column)


def test_latin1_and_bom_files_are_decoded_and_the_encoding_reported(tmp_path: Path) -> None:
    body = HEADER + "women_share,Ségou,2020,,27,,s1,primary,Ménaka inclus\n"
    raw = make_raw(tmp_path, body.encode("latin-1"), "latin.csv")
    (raw / "observations" / "bom.csv").write_bytes(b"\xef\xbb\xbf" + body.replace("2020", "2021").encode("utf-8"))
    result = ingest.ingest(raw)
    obs = result.tables["observations"].sort("period_start")
    assert obs["geo_code"].to_list() == ["ML-4", "ML-4"]
    assert obs["note"].to_list() == ["Ménaka inclus", "Ménaka inclus"]
    assert {k.rsplit("/", 1)[-1]: v for k, v in result.encodings.items()}["latin.csv"] == "cp1252"


def test_utf16_file_is_refused_as_binary(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER.encode("utf-16"))
    with pytest.raises(DataError, match="rule 'encoding'"):
        ingest.ingest(raw)


@pytest.mark.parametrize(
    ("change", "column", "value", "line", "rule"),
    [
        (("unit: count", "unit: dozens"), "benchmarks[0].indicators[1].unit", "dozens", 33, "unit"),
        (("roadmap_id: test", "roadmap_id: TEST/1"), "roadmap_id", "TEST/1", 1, "roadmap-id"),  # it names folders
        (("country: ML", "country: MLI"), "country", "MLI", 9, "country"),  # ISO 3166-1 alpha-2 only
    ],
)
def test_roadmap_mistakes_name_the_key_and_line(
    tmp_path: Path, change: tuple[str, str], column: str, value: str, line: int, rule: str
) -> None:
    raw = make_raw(tmp_path, HEADER)
    (raw / "roadmaps" / "test.yaml").write_text(ROADMAP.replace(*change), encoding="utf-8")
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    problem = err.value.problem
    assert problem.file.endswith("roadmaps/test.yaml")
    assert (problem.column, problem.value, problem.rule) == (column, value, rule)
    assert problem.line == line


def test_unknown_milestone_status_is_quarantined(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER)
    (raw / "milestones.csv").write_text(
        MILESTONES + "B,B1,2022-06-24,done,x,x,s1,primary\nB,B7,2022-06-24,full,x,x,s1,primary\n", encoding="utf-8"
    )
    problems = quarantined(ingest.ingest(raw))
    rules = {(p["line"], p["column"], p["rule"]) for p in problems}
    assert rules == {(3, "status", "status"), (4, "milestone_id", "known-milestone")}
    # the event's roadmap is the one that declares (B, B1): the refused row says what it was about
    [status] = [p for p in problems if p["rule"] == "status"]
    assert (status["roadmap_id"], status["benchmark"]) == ("test", "B")


def test_the_indicator_example_of_data_raw_readme_is_read_as_written(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[2] / "data" / "raw" / "README.md").read_text(encoding="utf-8")
    example = readme.split("An indicator:\n\n```yaml\n", 1)[1].split("```", 1)[0]
    raw = make_raw(tmp_path, HEADER)
    (raw / "roadmaps" / "test.yaml").write_text(
        ROADMAP + "indicators:\n" + textwrap.indent(example, "  "), encoding="utf-8"
    )
    indicators = ingest.ingest(raw).tables["indicators"]
    [row] = indicators.filter(pl.col("indicator_id") == "women_parliament_share").to_dicts()
    assert row["rule_en"].startswith("Achieved if the share") and row["target_value"] == 30


@pytest.mark.parametrize(
    ("event", "column", "value", "reason"),
    [
        (
            "test,Q,Q1",
            "benchmark",
            "Q",
            "benchmark 'Q' is not declared in roadmap 'test' (its benchmarks are listed in {roadmap} line 12)",
        ),
        (
            "test,B,B7",
            "milestone_id",
            "B7",
            "milestone 'B7' is not declared under benchmark 'B' of roadmap 'test' ({roadmap} line 13)",
        ),
    ],
)
def test_an_event_for_an_undeclared_benchmark_or_milestone_names_the_roadmap_file_and_line(
    tmp_path: Path, event: str, column: str, value: str, reason: str
) -> None:
    raw = make_raw(tmp_path, HEADER)
    (raw / "milestones.csv").write_text(
        "roadmap_id," + MILESTONES.replace("\nB,", "\ntest,B,") + f"{event},2022-06-24,full,x,x,s1,primary\n",
        encoding="utf-8",
    )
    [problem] = quarantined(ingest.ingest(raw))
    assert (problem["file"].endswith("raw/milestones.csv"), problem["line"], problem["column"], problem["value"]) == (
        True,
        3,
        column,
        value,
    )
    assert problem["reason"] == reason.format(roadmap=paths.display(raw / "roadmaps" / "test.yaml"))


def test_an_undeclared_milestone_without_a_roadmap_id_is_refused_without_naming_a_roadmap_none(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER)
    (raw / "milestones.csv").write_text(MILESTONES + "B,B7,2022-06-24,full,x,x,s1,primary\n", encoding="utf-8")
    [problem] = quarantined(ingest.ingest(raw))
    assert (problem["line"], problem["rule"], problem["value"]) == (3, "known-milestone", "B7")
    assert "milestone 'B7' of benchmark 'B'" in problem["reason"] and "None" not in problem["reason"]


def test_a_second_roadmap_file_adds_benchmarks_without_code(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER)
    other = (
        ROADMAP.replace("roadmap_id: test", "roadmap_id: other")
        .replace("TEST/1", "OTHER/2")
        .replace("women_share", "w2")
        .replace("integrated", "i2")
    )
    (raw / "roadmaps" / "other.yaml").write_text(other, encoding="utf-8")
    result = ingest.ingest(raw)
    tables = result.tables
    assert tables["roadmaps"].select("roadmap_id", "symbol").rows() == [("other", "OTHER/2"), ("test", "TEST/1")]
    # benchmark ids are scoped by roadmap: both may have a benchmark B with a milestone B1
    assert sorted(tables["benchmarks"].select("roadmap_id", "benchmark").rows()) == [("other", "B"), ("test", "B")]
    assert tables["indicators"].height == 4
    assert set(tables["indicators"].select("roadmap_id", "indicator_id").rows()) == {
        ("test", "women_share"),
        ("test", "integrated"),
        ("other", "w2"),
        ("other", "i2"),
    }
    # an event naming no roadmap for a milestone both declare is set aside, never attached by a guess
    assert tables["milestone_events"].height == 0
    assert [(p["line"], p["rule"]) for p in quarantined(result)] == [(2, "ambiguous-roadmap")]


@pytest.mark.parametrize(
    ("change", "column", "value", "line", "first_line"),
    [
        (("roadmap_id: test", "roadmap_id: test"), "roadmap_id", "test", 1, 1),  # the same roadmap twice
        (("roadmap_id: test", "roadmap_id: other"), "indicator_id", "women_share", 23, 23),  # indicator ids are global
    ],
)
def test_an_id_declared_by_two_roadmap_files_is_refused_naming_both(
    tmp_path: Path, change: tuple[str, str], column: str, value: str, line: int, first_line: int
) -> None:
    raw = make_raw(tmp_path, HEADER)
    (raw / "roadmaps" / "other.yaml").write_text(ROADMAP.replace(*change), encoding="utf-8")
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    problem = err.value.problem  # files are read in name order: other.yaml, then test.yaml
    assert problem.file.endswith("roadmaps/test.yaml") and problem.rule == "unique"
    assert (problem.column, problem.value, problem.line) == (column, value, line)
    assert f"roadmaps/other.yaml line {first_line}" in problem.reason


@pytest.mark.parametrize(
    ("file", "second", "first"),
    [
        # a new file reusing a roadmap's source id: named in the files' name order, nothing kept
        ("sources-x.csv", "sources.csv, line 2", "sources-x.csv line 2"),
        ("sources.csv", "sources.csv, line 3", "sources.csv line 2"),  # the same file, twice
    ],
)
def test_a_source_id_declared_twice_is_refused_naming_both_places(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], file: str, second: str, first: str
) -> None:
    raw = make_raw(tmp_path, HEADER + "women_share,ML,2020,,27.9,,s1,primary,\n")
    impostor = "s1,Impostor,Nobody,,https://example.org/x,2020-12-28,,primary\n"
    target = raw / file
    target.write_text(
        (target.read_text(encoding="utf-8") if target.exists() else SOURCES.split("\n")[0] + "\n") + impostor,
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    assert err.value.problem.rule == "unique"
    assert f"raw/{second}, column 'source_id': value 's1'" in str(err.value) and f"raw/{first};" in str(err.value)
    assert main(["ingest", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    assert f"raw/{first};" in capsys.readouterr().err and not (tmp_path / "out" / "sources.parquet").exists()


SECRET = "root:x:0:0:root:/root:/bin/bash\n"


@pytest.mark.parametrize(
    "link",
    [
        "observations/passwd.csv",
        "observations/elsewhere.csv",
        "sources-x.csv",
        "observations/gone.csv",
        "observations/system.csv",
    ],
)
def test_a_link_out_of_data_raw_is_refused_by_its_name_and_nothing_of_its_target_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], link: str
) -> None:
    raw = make_raw(tmp_path, HEADER + "women_share,ML,2020,,27.9,,s1,primary,\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    targets = {
        "passwd.csv": SECRET,
        "elsewhere.csv": HEADER + "women_share,ML,2021,,31,,s1,primary,\n",
        "sources-x.csv": SOURCES,
    }
    name = Path(link).name
    if name in targets:
        (outside / name).write_text(targets[name], encoding="utf-8")
    # a dangling link (gone.csv) is refused as well, not skipped; system.csv is /etc/passwd itself
    target = Path("/etc/passwd") if name == "system.csv" else outside / name
    (raw / link).symlink_to(target)
    assert main(["ingest", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"raw/{link} breaks rule 'link-outside'" in err.replace("\n", "")
    assert str(outside) not in err and "/etc/" not in err and "root:" not in err and not (tmp_path / "out").exists()


def test_a_link_out_of_the_projects_data_raw_is_named_relative_to_the_project(tmp_path: Path) -> None:
    root = tmp_path / "project"
    raw = make_raw(root / "data", HEADER + "women_share,ML,2020,,27.9,,s1,primary,\n")
    (raw / "observations" / "system.csv").symlink_to(Path("/etc/passwd"))
    env = {**os.environ, "MINUSMA_ROOT": str(root)}
    done = subprocess.run(
        [sys.executable, "-m", "pipelines", "ingest", "--raw", str(raw), "--out", str(root / "out")],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "[ingest] reading data/raw",
        "error: [ingest] data/raw/observations/system.csv breaks rule 'link-outside': a symbolic link out of "
        "data/raw/ is not read: copy the file into data/raw/ instead",
    ]


def test_a_link_that_stays_in_data_raw_is_read_and_named_as_the_user_sees_it(tmp_path: Path) -> None:
    root = tmp_path / "project"
    raw = make_raw(root / "data", HEADER + "women_share,ML,2020,,27.9,,s1,primary,\n")
    (raw / "kept").mkdir()  # a folder ingest does not read by itself
    (raw / "kept" / "2021.csv").write_text(HEADER + "women_share,ML,2021,,31,,s1,primary,\n", encoding="utf-8")
    (raw / "observations" / "again.csv").symlink_to(Path("../kept/2021.csv"))
    env = {**os.environ, "MINUSMA_ROOT": str(root)}
    done = subprocess.run(
        [sys.executable, "-m", "pipelines", "ingest", "--raw", str(raw), "--out", str(root / "out")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    inputs = json.loads((root / "out" / "manifest.json").read_text())["inputs"]
    assert "data/raw/observations/again.csv" in inputs and all(not Path(p).is_absolute() for p in inputs)


def test_a_file_mostly_refused_is_refused_whole_with_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = "".join(
        f"xx{i},ML,2020,,1,,s1,primary,\n" if i % 3 else f"women_share,Q{i},2020,,1,,s1,primary,\n" for i in range(3000)
    )
    raw = make_raw(tmp_path, HEADER + "women_share,ML,2020,,27.9,,s1,primary,\n" + junk)
    assert main(["ingest", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    [line] = [x for x in capsys.readouterr().err.splitlines() if "mostly-refused" in x]
    assert "observations/obs.csv: value '3000 of 3001 rows' breaks rule 'mostly-refused'" in line
    assert "by rule: known-indicator 2000, known-region 1000; the first: line 3, column 'geo'" in line
    assert line.count("; line ") == 4 and not (tmp_path / "out").exists()


def test_a_file_with_a_few_refused_rows_keeps_its_good_rows(tmp_path: Path) -> None:
    rows = "".join(f"women_share,ML,{2000 + i},,{i},,s1,primary,\n" for i in range(20))
    raw = make_raw(tmp_path, HEADER + rows + "xx,ML,2020,,1,,s1,primary,\n" * 19)
    result = ingest.ingest(raw)
    assert result.tables["observations"].height == 20 and result.quarantine.height == 19


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_cli_writes_tables_and_manifest_and_never_touches_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = make_raw(
        tmp_path, HEADER + "women_share,ML,2020,,27.9,,s1,primary,\nwomen_share,Atlantis,2020,,27,,s1,primary,\n"
    )
    before = _digest(raw)
    out = tmp_path / "processed"
    assert main(["ingest", "--raw", str(raw), "--out", str(out)]) == 0
    assert _digest(raw) == before
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["outputs"]) == {
        f"{t}.parquet"
        for t in (
            "roadmaps",
            "key_dates",
            "observations",
            "milestone_events",
            "sources",
            "benchmarks",
            "indicators",
            "milestones",
            "reviews",
            "quarantine",
        )
    }
    assert len(manifest["inputs"]) == 4 and manifest["counts"]["quarantine"] == 1
    err = capsys.readouterr().err
    assert "1 row(s) quarantined" in err and "Atlantis" in err and "line 3" in err
    assert main(["ingest", "--raw", str(raw), "--out", str(out), "--strict"]) == 2


def test_rerun_gives_identical_bytes(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER + "women_share,ML,2020,,27.9,,s1,primary,\n")
    a, b = tmp_path / "a", tmp_path / "b"
    main(["ingest", "--raw", str(raw), "--out", str(a)])
    main(["ingest", "--raw", str(raw), "--out", str(b)])
    assert _digest(a) == _digest(b)


@pytest.mark.parametrize("fails_at", [3, "sources.parquet"])  # the third file; the last table, after observations
def test_a_failed_write_leaves_the_previous_outputs_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails_at: int | str
) -> None:
    raw = make_raw(tmp_path, HEADER + "women_share,ML,2020,,27.9,,s1,primary,\n")
    out = tmp_path / "processed"
    main(["ingest", "--raw", str(raw), "--out", str(out)])
    before = _digest(out)
    (raw / "observations" / "obs.csv").write_text(HEADER + "women_share,ML,2020,,30,,s1,primary,\n", encoding="utf-8")

    calls = {"n": 0}
    real = store.write_bytes_atomic

    def failing(path: Path, data: bytes) -> None:
        calls["n"] += 1
        if fails_at in (calls["n"], path.name):
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(store, "write_bytes_atomic", failing)
    with pytest.raises(OSError):
        ingest.write(ingest.ingest(raw), out)
    assert json.loads((out / "manifest.json").read_text()) == json.loads(_read(out, before))
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert _digest(out) == before  # every table as it was: the two written before the failure too
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed", "raw"]  # no staging left beside it


def _read(out: Path, before: dict[str, str]) -> str:
    text = (out / "manifest.json").read_text()
    assert hashlib.sha256(text.encode()).hexdigest() == before["manifest.json"]
    return text


def test_yaml_alias_bomb_in_a_roadmap_is_refused_before_expanding(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER)
    bomb = (
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    )
    (raw / "roadmaps" / "test.yaml").write_text(bomb, encoding="utf-8")
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    assert err.value.problem.rule == "yaml-alias" and err.value.problem.line == 2


def test_a_share_written_as_counts_keeps_the_counts(tmp_path: Path) -> None:
    raw = make_raw(
        tmp_path, HEADER + "women_share,ML,2020,,41/147,,s1,primary,\nwomen_share,ML,2021,,27.9,,s1,primary,\n"
    )
    obs = ingest.ingest(raw).tables["observations"].sort("period_start")
    assert obs.select("numerator", "denominator").rows() == [(41.0, 147.0), (None, None)]
    assert obs["value"][0] == pytest.approx(100 * 41 / 147)


def test_a_csv_with_a_million_columns_is_refused_within_bounded_memory(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, ",".join(f"c{i}" for i in range(1_000_000)) + "\n")
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    assert err.value.problem.rule == "row-width" and err.value.problem.line == 1


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines.ingest import rawio

    raw = make_raw(tmp_path, HEADER + "women_share,ML,2020,,27.9,,s1,primary,\n" * 50)
    monkeypatch.setattr(rawio, "MAX_FILE_BYTES", 1024)
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    assert err.value.problem.rule == "file-size" and "split it or filter it first" in err.value.problem.reason


def test_a_milestone_event_with_a_bad_or_no_date_is_quarantined(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER)
    (raw / "milestones.csv").write_text(
        MILESTONES + "B,B1,2022-13-01,full,x,x,s1,primary\nB,B1,,full,x,x,s1,primary\nB,B1,45000,full,x,x,s1,primary\n",
        encoding="utf-8",
    )
    result = ingest.ingest(raw)
    found = {(p["line"], p["column"], p["rule"]) for p in quarantined(result)}
    assert found == {(3, "date", "date"), (4, "date", "date"), (5, "date", "date")}
    assert result.tables["milestone_events"]["date"].to_list() == [date(2022, 6, 17)]


SOURCES_DATED = (
    "source_id,title,url,published,published_basis,published_rule,kind\n"
    "s1,Report,https://undocs.org/S/2020/1281,2020-12-28,the document itself,,primary\n"
)


def test_a_source_with_neither_date_nor_rule_is_refused_naming_file_line_and_column(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER + "women_share,ML,2020,,27.9,,s1,primary,\n")
    (raw / "sources.csv").write_text(
        SOURCES_DATED + "s2,Undated article,https://example.org/a,,,,secondary\n", encoding="utf-8"
    )
    result = ingest.ingest(raw)
    [problem] = quarantined(result)
    assert problem["file"].endswith("sources.csv")
    assert (problem["line"], problem["column"], problem["rule"]) == (3, "published", "source-dated")
    assert "published_rule" in problem["reason"]
    assert result.tables["sources"]["source_id"].to_list() == ["s1"]


def test_a_declared_rule_dates_the_source_and_its_figures_and_a_bad_rule_is_refused(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER + "women_share,ML,2020-04-19,,27.9,,s2,secondary,\n")
    (raw / "sources.csv").write_text(
        SOURCES_DATED + "s2,Article,https://example.org/a,,,2020-05 + 1 months: the month the page shows,secondary\n"
        "s3,Other,https://example.org/b,,,some time in May,secondary\n",
        encoding="utf-8",
    )
    result = ingest.ingest(raw)
    [problem] = quarantined(result)
    assert (problem["line"], problem["column"], problem["value"], problem["rule"]) == (
        4,
        "published_rule",
        "some time in May",
        "published-rule",
    )
    source = result.tables["sources"].filter(pl.col("source_id") == "s2").row(0, named=True)
    assert source["published"] == date(2020, 6, 30) and source["published_rule"].startswith("2020-05 + 1 months")
    figure = result.tables["observations"].row(0, named=True)
    assert (figure["known_from"], figure["known_rule"]) == (date(2020, 6, 30), "source")


def test_the_hook_of_a_build_is_called_when_ingest_reads_new_data_only(tmp_path: Path) -> None:
    """`report` imports validate's Great Expectations ahead while ingest reads (`on_reading`):
    only when there is new data to read, never on a build with nothing new."""
    import argparse

    from pipelines.tools import synthetic

    raw = synthetic.write(100, tmp_path / "raw")
    parser = argparse.ArgumentParser()
    ingest.add_arguments(parser)
    calls: list[int] = []
    for expected in (1, 1):  # the first ingest reads; the second finds the data unchanged
        args = parser.parse_args(["--raw", str(raw), "--out", str(tmp_path / "out")])
        args.on_reading = lambda: calls.append(1)
        assert ingest.main(args) == 0
        assert len(calls) == expected


def _read_in_small_batches(monkeypatch: pytest.MonkeyPatch, batch: int = 256) -> None:
    """Every CSV read `batch` bytes at a time, and rows set aside written to disk every 7."""
    from pipelines.ingest import curated, rawio, tabular

    monkeypatch.setattr(tabular, "FAST_PATH_BYTES", 0)
    monkeypatch.setattr(tabular, "BATCH_BYTES", batch)
    monkeypatch.setattr(rawio, "CHUNK", 64)
    monkeypatch.setattr(curated, "SPILL_ROWS", 7)


def test_a_file_read_in_batches_gives_the_tables_and_quarantine_of_one_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = "".join(f"women_share,ML,{2000 + i},,{i},,s1,primary,\n" for i in range(60))
    bad = "".join(f"xx{i},ML,2020,,1,,s1,primary,\nwomen_share,Q{i},2020,,1,,s1,primary,\n" for i in range(12))
    raw = make_raw(tmp_path, HEADER + rows + bad)
    whole = ingest.ingest(raw)
    with monkeypatch.context() as m:
        _read_in_small_batches(m)
        batched = ingest.ingest(raw)
    assert whole.quarantine.height == 24 and whole.tables["observations"].height == 60
    assert whole.tables.keys() == batched.tables.keys()
    for name, table in whole.tables.items():
        assert table.equals(batched.tables[name]), name
    assert (whole.encodings, whole.notes) == (batched.encodings, batched.notes)


def test_a_repeated_key_in_two_batches_of_a_file_is_refused_as_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = "".join(f"women_share,ML,{2000 + i},,{i},,s1,primary,\n" for i in range(60))
    raw = make_raw(tmp_path, HEADER + rows + "women_share,ML,2001,,5,,s1,primary,\n")
    _read_in_small_batches(monkeypatch)
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    assert (err.value.problem.line, err.value.problem.rule) == (62, "unique-key") and "line 3 has it" in str(err.value)


def test_a_file_mostly_refused_is_refused_whole_from_rows_set_aside_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipelines.ingest import curated

    spilled: list[Path] = []
    add_rows = curated.Quarantine.add_rows

    def watched(self: curated.Quarantine, rows: pl.DataFrame) -> None:
        add_rows(self, rows)
        spilled.extend(p for p in self.spilled if p not in spilled)

    monkeypatch.setattr(curated.Quarantine, "add_rows", watched)
    _read_in_small_batches(monkeypatch, 8192)
    test_a_file_mostly_refused_is_refused_whole_with_a_summary(tmp_path, capsys)
    assert len(spilled) > 5 and not any(p.exists() for p in spilled)  # written in pieces, removed after
