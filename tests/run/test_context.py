"""A report's context: what a notebook's first cell resolves, once, for the whole report."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipelines.analysis import history
from pipelines.core.errors import UsageError
from pipelines.run import slices
from pipelines.run.context import report_context


def test_the_default_date_is_the_one_the_runner_keys_the_report_on(real_processed: Path) -> None:
    """The runner decides whether a report is stale from the date it will speak of; the notebook
    must speak of that very date, or a cached page would describe another day."""
    data = slices.Data(real_processed, real_processed / "no-raw")
    for roadmap in ("s-2021-300", "s-2021-807", "s-2018-241"):
        context = report_context(roadmap=roadmap, lang="en", processed_dir=real_processed)
        assert context.as_of.isoformat() == data.latest_date(roadmap)
        assert context.since == history.default_since(context.as_of)
        assert context.tables.roadmap["roadmap_id"] == roadmap


def test_given_dates_are_kept_and_words_follow_the_language(real_processed: Path) -> None:
    context = report_context(
        roadmap="s-2021-300", lang="fr", as_of="2022-06-30", since="2021-12-31", processed_dir=real_processed
    )
    assert (context.as_of, context.since) == (date(2022, 6, 30), date(2021, 12, 31))
    assert context.day() == "30 juin 2022"
    assert context.changes.equals(history.changes(context.tables, date(2021, 12, 31), date(2022, 6, 30)))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"roadmap": "s-2021-300", "benchmark": "Z"}, "unknown benchmark 'Z': roadmap s-2021-300 has A, B"),
        ({"roadmap": "s-2099-1"}, "unknown roadmap s-2099-1"),
        ({"roadmap": "s-2021-300", "lang": "de"}, "'de'"),
        ({"roadmap": "s-2021-300", "as_of": "2022-02-30"}, "as_of"),
        ({"roadmap": "s-2021-300", "as_of": "2022-06-30", "since": "2022-07-01"}, "since 2022-07-01 must come before"),
    ],
)
def test_a_parameter_no_report_can_use_is_refused_before_any_work(
    real_processed: Path, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        report_context(**{"lang": "en", **params}, processed_dir=real_processed)


def test_the_sidecar_is_written_only_for_a_run(real_processed: Path, tmp_path: Path) -> None:
    """An analyst running the notebook by hand writes nothing; the runner's sidecar holds the results."""
    by_hand = report_context(roadmap="s-2021-300", lang="en", processed_dir=real_processed)
    by_hand.close(results={"title": "t", "status": "not_assessed"})
    assert list(tmp_path.iterdir()) == []
    sidecar = tmp_path / "brief.json"
    run = report_context(roadmap="s-2021-300", lang="en", processed_dir=real_processed, sidecar_path=str(sidecar))
    run.close(results={"title": "t", "status": "not_assessed"})
    assert '"status": "not_assessed"' in sidecar.read_text(encoding="utf-8")
