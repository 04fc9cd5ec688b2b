"""The DDF loader (`pipelines.ingest.loaders.ddf`): Gapminder's DDF datapoints (lower-case
economy codes) become observation rows."""

from __future__ import annotations

from pathlib import Path

from pipelines.ingest.loaders import load_extract
from tests.ingest.loaders.support import FIXTURES, assert_shape, assert_traceable, declare, one, real, row

DDF_PARL = "wdi/ddf--datapoints--sg_gen_parl_zs--by--economy--year__mali.csv"


def test_real_ddf_datapoints(tmp_path: Path) -> None:
    path = real(DDF_PARL)
    result = load_extract(declare(tmp_path, path, "ddf", one("sg_gen_parl_zs"), countries=["MLI"]))
    assert_shape(result)
    r = row(result, period_start="2024")
    assert (r["geo"], r["value"], r["column"]) == ("mli", "30.6569343066", "sg_gen_parl_zs")
    assert "2013" not in result.frame["period_start"].to_list()
    assert result.frame.height == 27  # 1997-2024 without 2013
    assert_traceable(result, path)


def test_ddf_fixture_lower_case_economy(tmp_path: Path) -> None:
    path = FIXTURES / "ddf_small.csv"
    result = load_extract(declare(tmp_path, path, "ddf", one("sg_gen_parl_zs"), countries=["MLI"]))
    assert result.frame.select("geo", "period_start", "value", "line").rows() == [
        ("mli", "2023", "28.5714285714", 2),
        ("mli", "2024", "30.6569343066", 3),
    ]
    assert (result.skipped_missing, result.skipped_rows) == (0, 2)
