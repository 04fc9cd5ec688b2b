"""Extract loaders: downloaded WDI, OWID, DDF and HXL files become the same all-text observation
rows as a curated CSV, with each value exactly as written and the line and column it came
from; anything wrong with a declaration or a file stops with the file, line, column and rule.

Real-file tests read ../shared/data/real (see its PROVENANCE.md) and are skipped when it is
absent; fixture tests use small files in tests/fixtures/loaders and always run.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from pipelines.core.errors import DataError
from pipelines.core.paths import display
from pipelines.core.schema import PROVENANCE_COLUMNS, RAW_OBSERVATION_COLUMNS
from pipelines.ingest.loaders import LoadResult, load_extract, read_declaration
from tests.support import FIXTURES as TEST_FIXTURES, ROOT

REAL = ROOT.parent / "shared" / "data" / "real"
FIXTURES = TEST_FIXTURES / "loaders"

WDI_PARL = "wdi/API_SG.GEN.PARL.ZS_DS2_en_csv_v2_2163427__mali.csv"
DDF_PARL = "wdi/ddf--datapoints--sg_gen_parl_zs--by--economy--year__mali.csv"
OWID_WATER = "owid-grapher/population-using-at-least-basic-drinking-water__mali.csv"
OWID_POVERTY = "owid-grapher/share-of-population-in-extreme-poverty__mali.csv"
OWID_POPULATION = "owid-grapher/population-with-un-projections__mali.csv"
WASH = "owid-datasets/water_and_sanitation_who_wash_2021__mali.csv"
HNO = "ocha/hno_people_in_need_adm1__mali.csv"


# ---------------------------------------------------------------------------- helpers


def real(relative: str) -> Path:
    path = REAL / relative
    if not path.is_file():
        pytest.skip(f"../shared/data/real not present: {path} is missing")
    return path


def declare(tmp_path: Path, file: Path | str, fmt: str, series: list[dict[str, str]], *,
            name: str = "extract.yaml", **extra: Any) -> Path:
    """Write a declaration (absolute `file:`) into tmp_path and return its path."""
    body = {"file": str(file), "format": fmt, "source_id": "test-source", "confidence": "primary",
            **extra, "series": series}
    path = tmp_path / name
    path.write_text(yaml.safe_dump(body, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def one(column: str, indicator: str = "ind", unit: str = "percent", **extra: str) -> list[dict[str, str]]:
    return [{"column": column, "indicator_id": indicator, "unit": unit, **extra}]


def records(result: LoadResult) -> list[dict[str, Any]]:
    return result.frame.to_dicts()


def row(result: LoadResult, **where: str) -> dict[str, Any]:
    """The single row whose columns equal `where`."""
    found = [r for r in records(result) if all(r[k] == v for k, v in where.items())]
    assert len(found) == 1, f"expected one row for {where}, found {len(found)}"
    return found[0]


def assert_shape(result: LoadResult) -> None:
    """Exactly the raw observation + provenance columns, all text except the line number."""
    assert tuple(result.frame.columns) == (*RAW_OBSERVATION_COLUMNS, *PROVENANCE_COLUMNS)
    for name, dtype in result.frame.schema.items():
        assert dtype == (pl.Int64 if name == "line" else pl.String), name


def assert_traceable(result: LoadResult, path: Path) -> None:
    """Every row points at a physical line of the data file that holds its value."""
    lines = path.read_bytes().decode(result.encoding).splitlines()
    for r in records(result):
        assert r["file"] == display(path)
        assert r["value"] in lines[r["line"] - 1], r


def problem_of(excinfo: pytest.ExceptionInfo[DataError], *, file: Path, rule: str, line: int | None = None,
               column: str | None = None, value: str | None = None) -> str:
    """Check the error's Problem and that its message says the same; returns the message."""
    problem, message = excinfo.value.problem, str(excinfo.value)
    assert problem.file == display(file)
    assert problem.rule == rule
    assert display(file) in message
    assert f"rule '{rule}'" in message
    if line is not None:
        assert problem.line == line
        assert f"line {line}" in message
    if column is not None:
        assert problem.column == column
        assert f"column '{column}'" in message
    if value is not None:
        assert problem.value == value
        assert repr(value) in message
    return message


# ---------------------------------------------------------------------------- real files


def test_real_wdi_bulk_download(tmp_path: Path) -> None:
    path = real(WDI_PARL)
    result = load_extract(declare(tmp_path, path, "wdi", one("SG.GEN.PARL.ZS", "women_parliament_share"),
                                  countries=["MLI"]))
    assert_shape(result)
    assert result.encoding == "utf-8-sig"
    years = result.frame["period_start"].to_list()
    assert years == [str(y) for y in range(1997, 2021) if y != 2013]
    assert row(result, period_start="2020")["value"] == "27.891156462585"
    # Empty cells are not rows: 1960-1996 (37 years) and 2013 are counted as missing.
    assert "2013" not in years
    assert result.skipped_missing == 37 + 1
    assert result.skipped_rows == 0
    r2019 = row(result, period_start="2019")
    # Four preamble lines (two blank), the header on line 5, Mali on line 6.
    assert (r2019["line"], r2019["column"], r2019["value"]) == (6, "2019", "9.52380952380952")
    assert r2019["geo"] == "MLI"
    assert r2019["period_end"] is None
    assert (r2019["unit"], r2019["source_id"], r2019["confidence"]) == ("percent", "test-source", "primary")
    assert "2021-03-19" in r2019["note"]
    assert_traceable(result, path)


def test_real_ddf_datapoints(tmp_path: Path) -> None:
    path = real(DDF_PARL)
    result = load_extract(declare(tmp_path, path, "ddf", one("sg_gen_parl_zs"), countries=["MLI"]))
    assert_shape(result)
    r = row(result, period_start="2024")
    assert (r["geo"], r["value"], r["column"]) == ("mli", "30.6569343066", "sg_gen_parl_zs")
    assert "2013" not in result.frame["period_start"].to_list()
    assert result.frame.height == 27  # 1997-2024 without 2013
    assert_traceable(result, path)


def test_real_owid_grapher_download(tmp_path: Path) -> None:
    path = real(OWID_WATER)
    column = "Share of the population using at least a basic drinking water source"
    result = load_extract(declare(tmp_path, path, "owid", one(column), countries=["MLI"]))
    assert_shape(result)
    r = row(result, period_start="2020")
    assert (r["geo"], r["value"], r["column"]) == ("MLI", "80.834236", column)
    assert result.frame.height == 25
    assert_traceable(result, path)


def test_real_owid_dataset_without_code_column(tmp_path: Path) -> None:
    path = real(WASH)
    with path.open(encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    expected = next(r["wat_bas"] for r in table if r["Year"] == "2020")
    assert expected.startswith("82.55")
    result = load_extract(declare(tmp_path, path, "owid", one("wat_bas"), countries=["Mali"]))
    r = row(result, period_start="2020")
    assert (r["geo"], r["value"], r["column"]) == ("Mali", expected, "wat_bas")
    assert result.frame.height == 21
    assert_traceable(result, path)


def test_real_owid_extreme_poverty_keeps_only_survey_years(tmp_path: Path) -> None:
    path = real(OWID_POVERTY)
    result = load_extract(declare(tmp_path, path, "owid", [
        {"column": "Share of population in poverty ($3 a day)", "indicator_id": "poverty", "unit": "percent"},
    ], countries=["MLI"]))
    assert result.frame["period_start"].to_list() == ["1994", "2001", "2006", "2009", "2018", "2021"]
    assert result.skipped_missing == 261 - 6
    assert_traceable(result, path)


def test_real_owid_negative_years_stay_text(tmp_path: Path) -> None:
    path = real(OWID_POVERTY)
    result = load_extract(declare(tmp_path, path, "owid", one("Population", unit="persons")))
    first = records(result)[0]
    assert (first["period_start"], first["value"], first["line"]) == ("-10000", "3871", 2)
    assert result.frame.height == 261


def test_real_owid_column_with_quoted_comma(tmp_path: Path) -> None:
    path = real(OWID_POPULATION)
    result = load_extract(declare(tmp_path, path, "owid", one("Population, total", unit="persons")))
    r = row(result, period_start="1950")
    assert (r["value"], r["column"], r["line"]) == ("4696914", "Population, total", 2)
    assert result.frame["period_start"].to_list() == [str(y) for y in range(1950, 2024)]
    assert result.skipped_missing == 2100 - 2023


def test_real_hxl_people_in_need(tmp_path: Path) -> None:
    path = real(HNO)
    result = load_extract(declare(tmp_path, path, "hxl", one("#inneed", "people_in_need", "persons"),
                                  countries=["MLI"], period=2018))
    assert_shape(result)
    assert result.frame.height == 9
    assert sorted(result.frame["geo"]) == [f"ML0{i}" for i in range(1, 10)]
    assert sum(int(v) for v in result.frame["value"]) == 5_087_290
    bamako = row(result, line=2)
    assert (bamako["geo"], bamako["value"], bamako["column"]) == ("ML09", "450982", "#inneed")
    assert set(result.frame["period_start"]) == {"2018"}
    assert_traceable(result, path)


# ---------------------------------------------------------------------------- fixtures


def test_wdi_fixture_bom_crlf_preamble_trailing_comma() -> None:
    path = FIXTURES / "API_SG.GEN.PARL.ZS_DS2_small.csv"
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b'",\r\n' in data  # fixture intact
    result = load_extract(FIXTURES / "wdi_small.yaml")  # relative `file:`
    assert_shape(result)
    assert result.encoding == "utf-8-sig"
    assert result.skipped_rows == 1  # Sub-Saharan Africa: not asked for
    assert result.skipped_missing == 1  # Mali 2017
    assert set(result.frame["geo"]) == {"MLI", "NER"}  # 'Niger' matched by name
    mali = row(result, geo="MLI", period_start="2020")
    assert (mali["value"], mali["line"], mali["column"]) == ("27.891156462585", 6, "2020")
    assert mali["file"] == display(path)
    assert "single or lower chamber" in mali["note"] and "2021-03-19" in mali["note"]
    assert row(result, geo="NER", period_start="2016")["value"] == "17"
    assert_traceable(result, path)


def test_latin1_owid_names_decode() -> None:
    result = load_extract(FIXTURES / "owid_regions_latin1.yaml")
    assert result.encoding in {"cp1252", "latin-1"}
    assert result.frame["geo"].to_list() == ["Ménaka", "Ségou", "Ségou"]
    # Values are passed on as written: normalisation must see "27,9" and "n/a" to judge them.
    assert row(result, geo="Ségou", period_start="2018")["value"] == "27,9"
    assert row(result, geo="Ségou", period_start="2019")["value"] == "n/a"
    assert (result.skipped_missing, result.skipped_rows) == (1, 1)  # Tombouctou empty; Kayes not asked
    assert_traceable(result, FIXTURES / "owid_regions_latin1.csv")


def test_owid_grapher_fixture_regions_without_code(tmp_path: Path) -> None:
    path = FIXTURES / "owid_grapher_small.csv"
    result = load_extract(declare(tmp_path, path, "owid", one("Population, total", unit="persons")))
    assert result.frame["geo"].to_list() == ["Africa", "MLI", "MLI", "MLI", "NER"]
    assert row(result, geo="MLI", line=3)["period_start"] == "-10000"
    poverty = load_extract(declare(tmp_path, path, "owid", one("Share of population in poverty ($3 a day)"),
                                   countries=["Mali"]))
    assert poverty.frame["period_start"].to_list() == ["2018"]
    assert (poverty.skipped_missing, poverty.skipped_rows) == (2, 2)


def test_ddf_fixture_lower_case_economy(tmp_path: Path) -> None:
    path = FIXTURES / "ddf_small.csv"
    result = load_extract(declare(tmp_path, path, "ddf", one("sg_gen_parl_zs"), countries=["MLI"]))
    assert result.frame.select("geo", "period_start", "value", "line").rows() == [
        ("mli", "2023", "28.5714285714", 2), ("mli", "2024", "30.6569343066", 3)]
    assert (result.skipped_missing, result.skipped_rows) == (0, 2)


def test_hxl_fixture_title_row_before_tags() -> None:
    path = FIXTURES / "hxl_titled.csv"
    result = load_extract(FIXTURES / "hxl_titled.yaml")  # declares #Affected+Children+F
    assert_shape(result)
    assert result.frame.select("geo", "period_start", "value", "line", "column").rows() == [
        ("ML08", "2021-06-30", "12000", 3, "#affected+f+children"),
        ("ML04", "2021-06-30", "8000", 4, "#affected+f+children"),
    ]
    assert (result.skipped_missing, result.skipped_rows) == (1, 1)  # Gao empty; Niger not asked
    assert_traceable(result, path)


def test_hxl_names_only_uses_adm1_name_and_declared_period(tmp_path: Path) -> None:
    path = FIXTURES / "hxl_names_only.csv"
    result = load_extract(declare(tmp_path, path, "hxl", one("#inneed", unit="persons"), period="2019"))
    assert result.frame.select("geo", "period_start", "value").rows() == [
        ("Ségou", "2019", "582177"), ("Tombouctou", "2019", "640404")]


def test_hxl_empty_date_cell_falls_back_to_declared_period(tmp_path: Path) -> None:
    data = tmp_path / "dated.csv"
    data.write_text("#adm1+code,#date,#inneed\nML07,2021-01-01,10\nML08,,20\n", encoding="utf-8")
    result = load_extract(declare(tmp_path, data, "hxl", one("#inneed", unit="persons"), period="2020"))
    assert result.frame["period_start"].to_list() == ["2021-01-01", "2020"]


def test_declaration_resolves_relative_file() -> None:
    decl = read_declaration(FIXTURES / "wdi_small.yaml")
    assert decl.file == (FIXTURES / "API_SG.GEN.PARL.ZS_DS2_small.csv").resolve()
    assert (decl.format, decl.countries, decl.period) == ("wdi", ("MLI", "Niger"), None)
    assert decl.series[0].note == "single or lower chamber"


# ---------------------------------------------------------------------------- bad inputs


def test_missing_declared_column_lists_the_columns(tmp_path: Path) -> None:
    path = FIXTURES / "owid_grapher_small.csv"
    with pytest.raises(DataError) as excinfo:
        load_extract(declare(tmp_path, path, "owid", one("Population")))
    message = problem_of(excinfo, file=path, rule="declared-column", line=1, column="Population")
    assert "'Population, total'" in message and "'Share of population in poverty ($3 a day)'" in message


def test_missing_wdi_indicator_lists_the_codes(tmp_path: Path) -> None:
    path = FIXTURES / "API_SG.GEN.PARL.ZS_DS2_small.csv"
    with pytest.raises(DataError) as excinfo:
        load_extract(declare(tmp_path, path, "wdi", one("SG.GEN.PARL.ZX")))
    message = problem_of(excinfo, file=path, rule="declared-column", column="Indicator Code", value="SG.GEN.PARL.ZX")
    assert "'SG.GEN.PARL.ZS'" in message


def test_missing_hxl_tag_lists_the_tags(tmp_path: Path) -> None:
    path = FIXTURES / "hxl_names_only.csv"
    with pytest.raises(DataError) as excinfo:
        load_extract(declare(tmp_path, path, "hxl", one("#affected", unit="persons"), period="2019"))
    message = problem_of(excinfo, file=path, rule="declared-column", line=1, column="#affected")
    assert "'#inneed'" in message


def test_unknown_format(tmp_path: Path) -> None:
    decl = tmp_path / "extract.yaml"
    decl.write_text(f"file: {FIXTURES / 'ddf_small.csv'}\nformat: csv\nsource_id: s\nconfidence: primary\n"
                    "series: [{column: sg_gen_parl_zs, indicator_id: x, unit: percent}]\n", encoding="utf-8")
    with pytest.raises(DataError) as excinfo:
        load_extract(decl)
    message = problem_of(excinfo, file=decl, rule="format", line=2, column="format", value="csv")
    assert "wdi" in message and "hxl" in message


def test_missing_declaration_key(tmp_path: Path) -> None:
    decl = tmp_path / "extract.yaml"
    decl.write_text(f"file: {FIXTURES / 'ddf_small.csv'}\nformat: ddf\nconfidence: primary\n"
                    "series: [{column: sg_gen_parl_zs, indicator_id: x, unit: percent}]\n", encoding="utf-8")
    with pytest.raises(DataError) as excinfo:
        load_extract(decl)
    problem_of(excinfo, file=decl, rule="required-key", column="source_id")


def test_missing_series_key_names_the_entry(tmp_path: Path) -> None:
    decl = declare(tmp_path, FIXTURES / "ddf_small.csv", "ddf", [{"column": "sg_gen_parl_zs", "unit": "percent"}])
    with pytest.raises(DataError) as excinfo:
        load_extract(decl)
    problem_of(excinfo, file=decl, rule="required-key", line=6, column="series[0].indicator_id")


def test_unknown_unit(tmp_path: Path) -> None:
    decl = declare(tmp_path, FIXTURES / "ddf_small.csv", "ddf", one("sg_gen_parl_zs", unit="percents"))
    with pytest.raises(DataError) as excinfo:
        load_extract(decl)
    message = problem_of(excinfo, file=decl, rule="unit", line=8, column="series[0].unit", value="percents")
    assert "percent" in message and "persons" in message


def test_unknown_confidence(tmp_path: Path) -> None:
    decl = declare(tmp_path, FIXTURES / "ddf_small.csv", "ddf", one("sg_gen_parl_zs"))
    decl.write_text(decl.read_text(encoding="utf-8").replace("primary", "high"), encoding="utf-8")
    with pytest.raises(DataError) as excinfo:
        load_extract(decl)
    problem_of(excinfo, file=decl, rule="confidence", line=4, column="confidence", value="high")


def test_misspelt_key_is_refused(tmp_path: Path) -> None:
    decl = declare(tmp_path, FIXTURES / "ddf_small.csv", "ddf", one("sg_gen_parl_zs"), countires=["MLI"])
    with pytest.raises(DataError) as excinfo:
        load_extract(decl)
    problem_of(excinfo, file=decl, rule="known-key", line=5, column="countires")


def test_data_file_that_does_not_exist(tmp_path: Path) -> None:
    decl = declare(tmp_path, "nowhere.csv", "owid", one("x"))
    with pytest.raises(DataError) as excinfo:
        load_extract(decl)
    message = problem_of(excinfo, file=decl, rule="file-exists", line=1, column="file", value="nowhere.csv")
    assert display(tmp_path / "nowhere.csv") in message


def test_empty_series(tmp_path: Path) -> None:
    decl = declare(tmp_path, FIXTURES / "ddf_small.csv", "ddf", [])
    with pytest.raises(DataError) as excinfo:
        load_extract(decl)
    problem_of(excinfo, file=decl, rule="series-empty", column="series")


def test_country_code_read_as_boolean_by_yaml(tmp_path: Path) -> None:
    decl = tmp_path / "extract.yaml"
    decl.write_text(f"file: {FIXTURES / 'ddf_small.csv'}\nformat: ddf\nsource_id: s\nconfidence: primary\n"
                    "countries: [MLI, NO]\nseries: [{column: sg_gen_parl_zs, indicator_id: x, unit: percent}]\n",
                    encoding="utf-8")
    with pytest.raises(DataError) as excinfo:
        load_extract(decl)
    assert "in quotes" in problem_of(excinfo, file=decl, rule="countries", line=5, column="countries[1]")


@pytest.mark.parametrize("fmt", ["wdi", "owid", "ddf", "hxl"])
def test_empty_file(tmp_path: Path, fmt: str) -> None:
    path = FIXTURES / "empty.csv"
    with pytest.raises(DataError) as excinfo:
        load_extract(declare(tmp_path, path, fmt, one("x"), period="2020"))
    problem_of(excinfo, file=path, rule="empty-file")


def test_ragged_row(tmp_path: Path) -> None:
    path = FIXTURES / "owid_ragged.csv"
    with pytest.raises(DataError) as excinfo:
        load_extract(declare(tmp_path, path, "owid", one("wat_bas")))
    message = problem_of(excinfo, file=path, rule="row-width", line=3, value="4 fields")
    assert "header (line 1) has 3" in message


def test_countries_not_found_lists_what_the_file_has(tmp_path: Path) -> None:
    path = FIXTURES / "owid_regions_latin1.csv"
    with pytest.raises(DataError) as excinfo:
        load_extract(declare(tmp_path, path, "owid", one("Share of households with access to water"),
                             countries=["Ségou", "Bamako"]))
    message = problem_of(excinfo, file=path, rule="countries-found", column="Entity", value="Bamako")
    assert "'Ménaka'" in message and "'Kayes'" in message


def test_wdi_header_not_found(tmp_path: Path) -> None:
    path = FIXTURES / "ddf_small.csv"
    with pytest.raises(DataError) as excinfo:
        load_extract(declare(tmp_path, path, "wdi", one("SG.GEN.PARL.ZS")))
    assert "Country Code" in problem_of(excinfo, file=path, rule="wdi-header")


def test_hxl_without_tag_row(tmp_path: Path) -> None:
    path = FIXTURES / "not_hxl.csv"
    with pytest.raises(DataError) as excinfo:
        load_extract(declare(tmp_path, path, "hxl", one("#inneed", unit="persons"), period="2018"))
    problem_of(excinfo, file=path, rule="hxl-tags", line=1)


def test_hxl_without_date_needs_a_period(tmp_path: Path) -> None:
    decl = declare(tmp_path, FIXTURES / "hxl_names_only.csv", "hxl", one("#inneed", unit="persons"))
    with pytest.raises(DataError) as excinfo:
        load_extract(decl)
    assert "period: 2018" in problem_of(excinfo, file=decl, rule="required-key", column="period")


# ---------------------------------------------------------------------------- through ingest


@pytest.mark.parametrize("geography", [True, False], ids=["with-ML.yaml", "without"])
def test_ocha_pcodes_of_an_extract_become_iso_codes_by_the_countrys_geography_file(
        tmp_path: Path, geography: bool) -> None:
    """HXL files write OCHA p-codes (ML08); ISO has no such code: the country's alias table
    (data/raw/geography/ML.yaml) maps them, and without it the rows are set aside, not guessed."""
    import shutil

    from tests.ingest.test_step import ROADMAP

    from pipelines.ingest import step as ingest
    from pipelines.core import paths

    raw = tmp_path / "raw"
    (raw / "roadmaps").mkdir(parents=True)
    (raw / "extracts").mkdir()
    roadmap = ROADMAP.replace("indicator_id: integrated", "indicator_id: affected_girls").replace(
        "unit: count", "unit: persons")
    (raw / "roadmaps" / "test.yaml").write_text(roadmap, encoding="utf-8")
    (raw / "sources.csv").write_text("source_id,title,url,kind\ntest-hxl,HXL test,https://example.org,primary\n",
                                     encoding="utf-8")
    declaration = (FIXTURES / "hxl_titled.yaml").read_text(encoding="utf-8").replace(
        "file: hxl_titled.csv", f"file: {FIXTURES / 'hxl_titled.csv'}")
    (raw / "extracts" / "hxl.yaml").write_text(declaration, encoding="utf-8")
    if geography:
        (raw / "geography").mkdir()
        shutil.copy(paths.RAW / "geography" / "ML.yaml", raw / "geography" / "ML.yaml")
    result = ingest.ingest(raw)
    obs, q = result.tables["observations"], result.quarantine
    data = display(FIXTURES / "hxl_titled.csv")
    if geography:
        assert q.is_empty()
        assert obs.sort("line").select("geo_code", "value", "line").rows() == [("ML-8", 12000.0, 3), ("ML-4", 8000.0, 4)]
        assert set(obs["file"]) == {data}
    else:
        assert obs.is_empty()
        assert q.select("file", "line", "column", "value", "rule", "indicator_id").rows() == [
            (data, 3, "geo", "ML08", "known-region", "affected_girls"),
            (data, 4, "geo", "ML04", "known-region", "affected_girls")]
        assert all("is not a region of Mali" in reason for reason in q["reason"])
