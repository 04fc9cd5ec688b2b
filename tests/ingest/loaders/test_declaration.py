"""An extract's declaration (`pipelines.ingest.loaders.declaration`): its file resolved beside
it, and every key, format, unit, confidence or country that is missing, misspelt or wrong
refused with the declaration's file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.core.errors import DataError
from pipelines.core.paths import display
from pipelines.ingest.loaders import load_extract, read_declaration
from tests.ingest.loaders.support import FIXTURES, declare, one, problem_of


def test_declaration_resolves_relative_file() -> None:
    decl = read_declaration(FIXTURES / "wdi_small.yaml")
    assert decl.file == (FIXTURES / "API_SG.GEN.PARL.ZS_DS2_small.csv").resolve()
    assert (decl.format, decl.countries, decl.period) == ("wdi", ("MLI", "Niger"), None)
    assert decl.series[0].note == "single or lower chamber"


def test_unknown_format(tmp_path: Path) -> None:
    decl = tmp_path / "extract.yaml"
    decl.write_text(
        f"file: {FIXTURES / 'ddf_small.csv'}\nformat: csv\nsource_id: s\nconfidence: primary\n"
        "series: [{column: sg_gen_parl_zs, indicator_id: x, unit: percent}]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as excinfo:
        load_extract(decl)
    message = problem_of(excinfo, file=decl, rule="format", line=2, column="format", value="csv")
    assert "wdi" in message and "hxl" in message


def test_missing_declaration_key(tmp_path: Path) -> None:
    decl = tmp_path / "extract.yaml"
    decl.write_text(
        f"file: {FIXTURES / 'ddf_small.csv'}\nformat: ddf\nconfidence: primary\n"
        "series: [{column: sg_gen_parl_zs, indicator_id: x, unit: percent}]\n",
        encoding="utf-8",
    )
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
    decl.write_text(
        f"file: {FIXTURES / 'ddf_small.csv'}\nformat: ddf\nsource_id: s\nconfidence: primary\n"
        "countries: [MLI, NO]\nseries: [{column: sg_gen_parl_zs, indicator_id: x, unit: percent}]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as excinfo:
        load_extract(decl)
    assert "in quotes" in problem_of(excinfo, file=decl, rule="countries", line=5, column="countries[1]")
