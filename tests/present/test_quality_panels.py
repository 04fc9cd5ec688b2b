"""The data-quality panel: every rule passing said plainly, the rows ingest set aside listed
first (above every rule's result), and each failure named by its file and line."""

from __future__ import annotations

from dataclasses import replace
from html import unescape

import polars as pl
import pytest

from pipelines.core import schema
from pipelines.present import quality_panels
from pipelines.validate.quality import BenchmarkQuality
from pipelines.validate.results import Failure, Report, RuleResult, TableResult


def _quality(*failures: Failure, severity: str = "error") -> BenchmarkQuality:
    rule = RuleResult(
        rule="share-range:women_share",
        severity=severity,
        description="women_share: a share in percent, value within [0, 100]",
        expectation="expect_column_values_to_be_between",
        column="value",
        success=not failures,
        unexpected_count=len(failures),
        failures=failures,
    )
    report = Report(data_checksum="test", tables={"observations": TableResult("observations", 10, (rule,))})
    return BenchmarkQuality(benchmark="B", origin="stored", indicator_ids=("women_share",), report=report)


def _quarantined(*lines: int) -> pl.DataFrame:
    rows = [
        {
            "file": "data/raw/observations/women.csv",
            "line": n,
            "column": "geo",
            "value": "Atlantis",
            "rule": "known-region",
            "reason": "'Atlantis' is not a region of Mali",
            "roadmap_id": "test-1",
            "benchmark": "B",
            "indicator_id": "women_share",
        }
        for n in lines
    ]
    return schema.conform(pl.DataFrame(rows), "quarantine")


def test_quality_panel_says_every_rule_passes_when_none_fails() -> None:
    html = quality_panels.quality(_quality(), "en")
    assert "Every data-quality rule passes for the data of this report." in html
    assert "<table" not in html
    assert "results of the last validation" in html


@pytest.mark.parametrize("failing", [False, True])
def test_quality_panel_lists_the_rows_set_aside_first(failing: bool) -> None:
    bad = Failure(
        file="data/raw/observations/women.csv", line=3, column="value", value=130.0, key={"indicator_id": "women_share"}
    )
    result = replace(_quality(*([bad] if failing else [])), quarantined=_quarantined(12, 9))
    html = unescape(quality_panels.quality(result, "en"))
    held = html.index("2 row(s) supplied for this report were set aside when read (quarantine)")
    assert held < html.index("<table")  # above every rule's result
    assert html.index("<td>data/raw/observations/women.csv 9</td>") < html.index(
        "<td>data/raw/observations/women.csv 12</td>"
    )  # in file order
    assert "<td>'Atlantis' is not a region of Mali</td>" in html
    assert "Every data-quality rule passes" not in html  # it would read as if nothing were wrong
    if failing:
        assert held < html.index("1 error(s) and 0 warning(s)")
    else:
        assert "The data-quality rules pass on the rows kept" in html


def test_a_french_page_says_why_a_row_was_set_aside_in_french() -> None:
    held = _quarantined(4)
    odd = held.with_columns(pl.lit("made-up-rule").alias("rule"))
    result = replace(_quality(), quarantined=pl.concat([held, odd]))
    html = unescape(quality_panels.quality(result, "fr"))
    assert "<td>lieu inconnu : un code ISO 3166 ou une p-code, ou un nom déclaré dans data/raw/geography</td>" in html
    assert "<td>ligne écartée (règle made-up-rule)</td>" in html  # a rule with no line of its own still reads French
    assert "is not a region" not in html  # ingest's English detail stays on the English page


def test_quality_panel_names_the_file_and_line_of_each_failure() -> None:
    bad = Failure(
        file="data/raw/observations/women.csv", line=3, column="value", value=130.0, key={"indicator_id": "women_share"}
    )
    html = quality_panels.quality(_quality(bad), "fr")
    assert "1 erreur(s) et 0 avertissement(s)" in html
    assert "<td>data/raw/observations/women.csv 3</td>" in html
    assert "<td>130.0</td>" in html
    assert "women_share: a share in percent, value within [0, 100]" in html
