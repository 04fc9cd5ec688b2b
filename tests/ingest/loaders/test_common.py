"""What every loader shares (`pipelines.ingest.loaders.common`): an empty file, a ragged row and
countries the file does not have are refused, whatever the format."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.core.errors import DataError
from pipelines.ingest.loaders import load_extract
from tests.ingest.loaders.support import FIXTURES, declare, one, problem_of


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
        load_extract(
            declare(
                tmp_path, path, "owid", one("Share of households with access to water"), countries=["Ségou", "Bamako"]
            )
        )
    message = problem_of(excinfo, file=path, rule="countries-found", column="Entity", value="Bamako")
    assert "'Ménaka'" in message and "'Kayes'" in message
