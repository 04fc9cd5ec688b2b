"""What the tests of the extract loaders share. The loaders turn downloaded WDI, OWID, DDF and
HXL files into the same all-text observation rows as a curated CSV, with each value exactly as
written and the line and column it came from; anything wrong with a declaration or a file stops
with the file, line, column and rule.

Real-file tests read ../shared/data/real (see its PROVENANCE.md) and are skipped when it is
absent (`real`); fixture tests use small files in tests/fixtures/loaders (`FIXTURES`) and
always run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from pipelines.core.errors import DataError
from pipelines.core.paths import display
from pipelines.core.schema import PROVENANCE_COLUMNS, RAW_OBSERVATION_COLUMNS
from pipelines.ingest.loaders import LoadResult
from tests.support import FIXTURES as TEST_FIXTURES
from tests.support import ROOT

REAL = ROOT.parent / "shared" / "data" / "real"
FIXTURES = TEST_FIXTURES / "loaders"


def real(relative: str) -> Path:
    path = REAL / relative
    if not path.is_file():
        pytest.skip(f"../shared/data/real not present: {path} is missing")
    return path


def declare(
    tmp_path: Path,
    file: Path | str,
    fmt: str,
    series: list[dict[str, str]],
    *,
    name: str = "extract.yaml",
    **extra: Any,
) -> Path:
    """Write a declaration (absolute `file:`) into tmp_path and return its path."""
    body = {
        "file": str(file),
        "format": fmt,
        "source_id": "test-source",
        "confidence": "primary",
        **extra,
        "series": series,
    }
    path = tmp_path / name
    path.write_text(yaml.safe_dump(body, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def one(column: str, indicator: str = "ind", unit: str = "percent", **extra: str) -> list[dict[str, str]]:
    return [{"column": column, "indicator_id": indicator, "unit": unit, **extra}]


def records(result: LoadResult) -> list[dict[str, Any]]:
    return result.frame.to_dicts()


def row(result: LoadResult, **where: object) -> dict[str, Any]:
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


def problem_of(
    excinfo: pytest.ExceptionInfo[DataError],
    *,
    file: Path,
    rule: str,
    line: int | None = None,
    column: str | None = None,
    value: str | None = None,
) -> str:
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
