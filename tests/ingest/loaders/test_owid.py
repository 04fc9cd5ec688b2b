"""The OWID loader (`pipelines.ingest.loaders.owid`): Our World in Data grapher downloads and
datasets (with or without a code column, Latin-1 names, negative years, quoted commas) become
observation rows; a column the file lacks is refused listing those it has."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipelines.core.errors import DataError
from pipelines.ingest.loaders import load_extract
from tests.ingest.loaders.support import (
    FIXTURES,
    assert_shape,
    assert_traceable,
    declare,
    one,
    problem_of,
    real,
    records,
    row,
)

OWID_WATER = "owid-grapher/population-using-at-least-basic-drinking-water__mali.csv"
OWID_POVERTY = "owid-grapher/share-of-population-in-extreme-poverty__mali.csv"
OWID_POPULATION = "owid-grapher/population-with-un-projections__mali.csv"
WASH = "owid-datasets/water_and_sanitation_who_wash_2021__mali.csv"


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
    result = load_extract(
        declare(
            tmp_path,
            path,
            "owid",
            [
                {"column": "Share of population in poverty ($3 a day)", "indicator_id": "poverty", "unit": "percent"},
            ],
            countries=["MLI"],
        )
    )
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
    poverty = load_extract(
        declare(tmp_path, path, "owid", one("Share of population in poverty ($3 a day)"), countries=["Mali"])
    )
    assert poverty.frame["period_start"].to_list() == ["2018"]
    assert (poverty.skipped_missing, poverty.skipped_rows) == (2, 2)


def test_missing_declared_column_lists_the_columns(tmp_path: Path) -> None:
    path = FIXTURES / "owid_grapher_small.csv"
    with pytest.raises(DataError) as excinfo:
        load_extract(declare(tmp_path, path, "owid", one("Population")))
    message = problem_of(excinfo, file=path, rule="declared-column", line=1, column="Population")
    assert "'Population, total'" in message and "'Share of population in poverty ($3 a day)'" in message
