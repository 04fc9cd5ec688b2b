"""The suites in expectations/ as a Great Expectations user runs them, without our code: plain GX
on the processed Parquet tables (read with pandas), the `$PARAMETER` values from the file
`validate` writes beside them, and every rule that needs a helper column only our code computes
left out, as each suite's ``meta.helper_columns`` documents. The rules that remain run cleanly
and reach the same verdicts as `pipelines validate`."""

from __future__ import annotations

import json
import warnings
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from pipelines.cli import main
from pipelines.core import paths, store
from pipelines.validate import step as validate

if TYPE_CHECKING:
    from great_expectations.core.expectation_validation_result import ExpectationValidationResult

TABLES = ("benchmarks", "indicators", "milestones", "milestone_events", "observations", "sources")


@pytest.fixture(scope="module")
def validated(real_processed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real processed tables, validated by our CLI (which writes the parameters)."""
    import shutil

    folder = tmp_path_factory.mktemp("plain-gx") / "processed"
    shutil.copytree(real_processed, folder)
    assert main(["validate", "--processed", str(folder), "--pages", str(folder.parent / "quality")]) == 0
    return folder


def _portable(suite: dict) -> list[dict]:
    """The expectations that read only the table's own columns."""

    def columns(e: dict) -> list[str]:
        kw = e["kwargs"]
        return [c for c in (kw.get("column"), kw.get("column_A"), kw.get("column_B"), *kw.get("column_list", [])) if c]

    return [e for e in suite["expectations"] if not any(c.startswith("_") for c in columns(e))]


def _rule(result: ExpectationValidationResult) -> str:
    """The project's rule id an expectation carries in its meta."""
    assert result.expectation_config is not None
    return str(result.expectation_config.meta["rule"])


@pytest.mark.parametrize("table", TABLES)
def test_the_suites_run_in_plain_gx_with_the_parameters_file(validated: Path, table: str) -> None:
    import great_expectations as gx

    suite = json.loads((paths.EXPECTATIONS / f"{table}.json").read_text(encoding="utf-8"))
    helpers = set(suite["meta"].get("helper_columns", {}))
    portable = _portable(suite)
    left_out = [e for e in suite["expectations"] if e not in portable]
    for e in left_out:  # every rule left out needs a helper column its suite documents
        used = {e["kwargs"].get(k) for k in ("column", "column_A", "column_B")} - {None}
        assert any(any(u in h for h in helpers) for u in used), e["meta"]["rule"]
    parameters = json.loads((validated / validate.GX_PARAMETERS).read_text(encoding="utf-8"))
    parameters["today"] = date.fromisoformat(parameters["today"])
    frame = pd.read_parquet(validated / f"{table}.parquet")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        context = gx.get_context(mode="ephemeral")
        batch = (
            context.data_sources.add_pandas("p")
            .add_dataframe_asset("t")
            .add_batch_definition_whole_dataframe("w")
            .get_batch(batch_parameters={"dataframe": frame})
        )
        result = batch.validate(
            gx.ExpectationSuite(name=table, expectations=portable), expectation_parameters=parameters
        )
    raised = [_rule(r) for r in result.results if r.exception_info.get("raised_exception")]
    assert portable and not raised and len(result.results) == len(portable)
    ours = {
        r["rule"]: r["success"]
        for r in json.loads((validated / store.VALIDATION_RESULTS).read_text())["tables"][table]["rules"]
    }
    theirs = {_rule(r): r.success for r in result.results}
    assert theirs == {rule: ours[rule] for rule in theirs}
