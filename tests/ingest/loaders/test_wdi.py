"""The WDI loader (`pipelines.ingest.loaders.wdi`): a World Bank bulk download (its preamble,
BOM and one column per year) becomes observation rows; a missing indicator code or a file
without the WDI header is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.core.errors import DataError
from pipelines.core.paths import display
from pipelines.ingest.loaders import load_extract
from tests.ingest.loaders.support import FIXTURES, assert_shape, assert_traceable, declare, one, problem_of, real, row

WDI_PARL = "wdi/API_SG.GEN.PARL.ZS_DS2_en_csv_v2_2163427__mali.csv"


def test_real_wdi_bulk_download(tmp_path: Path) -> None:
    path = real(WDI_PARL)
    result = load_extract(
        declare(tmp_path, path, "wdi", one("SG.GEN.PARL.ZS", "women_parliament_share"), countries=["MLI"])
    )
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


def test_missing_wdi_indicator_lists_the_codes(tmp_path: Path) -> None:
    path = FIXTURES / "API_SG.GEN.PARL.ZS_DS2_small.csv"
    with pytest.raises(DataError) as excinfo:
        load_extract(declare(tmp_path, path, "wdi", one("SG.GEN.PARL.ZX")))
    message = problem_of(excinfo, file=path, rule="declared-column", column="Indicator Code", value="SG.GEN.PARL.ZX")
    assert "'SG.GEN.PARL.ZS'" in message


def test_wdi_header_not_found(tmp_path: Path) -> None:
    path = FIXTURES / "ddf_small.csv"
    with pytest.raises(DataError) as excinfo:
        load_extract(declare(tmp_path, path, "wdi", one("SG.GEN.PARL.ZS")))
    assert "Country Code" in problem_of(excinfo, file=path, rule="wdi-header")
