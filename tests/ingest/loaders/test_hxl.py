"""The HXL loader (`pipelines.ingest.loaders.hxl`): files tagged with HXL hashtags (after a
title row, by admin-1 name or p-code, with or without a date column) become observation rows;
through ingest, OCHA p-codes become ISO codes by the country's geography file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.core.errors import DataError
from pipelines.core.paths import display
from pipelines.ingest.loaders import load_extract
from tests.ingest.loaders.support import FIXTURES, assert_shape, assert_traceable, declare, one, problem_of, real, row

HNO = "ocha/hno_people_in_need_adm1__mali.csv"


def test_real_hxl_people_in_need(tmp_path: Path) -> None:
    path = real(HNO)
    result = load_extract(
        declare(tmp_path, path, "hxl", one("#inneed", "people_in_need", "persons"), countries=["MLI"], period=2018)
    )
    assert_shape(result)
    assert result.frame.height == 9
    assert sorted(result.frame["geo"]) == [f"ML0{i}" for i in range(1, 10)]
    assert sum(int(v) for v in result.frame["value"]) == 5_087_290
    bamako = row(result, line=2)
    assert (bamako["geo"], bamako["value"], bamako["column"]) == ("ML09", "450982", "#inneed")
    assert set(result.frame["period_start"]) == {"2018"}
    assert_traceable(result, path)


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
        ("Ségou", "2019", "582177"),
        ("Tombouctou", "2019", "640404"),
    ]


def test_hxl_empty_date_cell_falls_back_to_declared_period(tmp_path: Path) -> None:
    data = tmp_path / "dated.csv"
    data.write_text("#adm1+code,#date,#inneed\nML07,2021-01-01,10\nML08,,20\n", encoding="utf-8")
    result = load_extract(declare(tmp_path, data, "hxl", one("#inneed", unit="persons"), period="2020"))
    assert result.frame["period_start"].to_list() == ["2021-01-01", "2020"]


def test_missing_hxl_tag_lists_the_tags(tmp_path: Path) -> None:
    path = FIXTURES / "hxl_names_only.csv"
    with pytest.raises(DataError) as excinfo:
        load_extract(declare(tmp_path, path, "hxl", one("#affected", unit="persons"), period="2019"))
    message = problem_of(excinfo, file=path, rule="declared-column", line=1, column="#affected")
    assert "'#inneed'" in message


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


@pytest.mark.parametrize("geography", [True, False], ids=["with-ML.yaml", "without"])
def test_ocha_pcodes_of_an_extract_become_iso_codes_by_the_countrys_geography_file(
    tmp_path: Path, geography: bool
) -> None:
    """HXL files write OCHA p-codes (ML08); ISO has no such code: the country's alias table
    (data/raw/geography/ML.yaml) maps them, and without it the rows are set aside, not guessed."""
    import shutil

    from pipelines.core import paths
    from pipelines.ingest import step as ingest
    from tests.ingest.test_step import ROADMAP

    raw = tmp_path / "raw"
    (raw / "roadmaps").mkdir(parents=True)
    (raw / "extracts").mkdir()
    roadmap = ROADMAP.replace("indicator_id: integrated", "indicator_id: affected_girls").replace(
        "unit: count", "unit: persons"
    )
    (raw / "roadmaps" / "test.yaml").write_text(roadmap, encoding="utf-8")
    (raw / "sources.csv").write_text(
        "source_id,title,url,published,kind\ntest-hxl,HXL test,https://example.org,2021-01-01,primary\n",
        encoding="utf-8",
    )
    declaration = (
        (FIXTURES / "hxl_titled.yaml")
        .read_text(encoding="utf-8")
        .replace("file: hxl_titled.csv", f"file: {FIXTURES / 'hxl_titled.csv'}")
    )
    (raw / "extracts" / "hxl.yaml").write_text(declaration, encoding="utf-8")
    if geography:
        (raw / "geography").mkdir()
        shutil.copy(paths.RAW / "geography" / "ML.yaml", raw / "geography" / "ML.yaml")
    result = ingest.ingest(raw)
    obs, q = result.tables["observations"], result.quarantine
    data = display(FIXTURES / "hxl_titled.csv")
    if geography:
        assert q.is_empty()
        assert obs.sort("line").select("geo_code", "value", "line").rows() == [
            ("ML-8", 12000.0, 3),
            ("ML-4", 8000.0, 4),
        ]
        assert set(obs["file"]) == {data}
    else:
        assert obs.is_empty()
        assert q.select("file", "line", "column", "value", "rule", "indicator_id").rows() == [
            (data, 3, "geo", "ML08", "known-region", "affected_girls"),
            (data, 4, "geo", "ML04", "known-region", "affected_girls"),
        ]
        assert all("is not a region of Mali" in reason for reason in q["reason"])
