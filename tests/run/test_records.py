"""``run --isolated`` (each report task of the Airflow DAG): no project-wide lock, each job's
entry of the record in a file of its own, folded into ``build/run.json`` by the next run or
render (`pipelines.run.records`). The DAG running such tasks at once on a real executor is
tests/e2e/test_airflow_parallel.py."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipelines import cli
from pipelines.core import lock, store
from pipelines.run import records
from pipelines.run import step as run_step


def test_the_entries_of_isolated_runs_are_folded_into_the_record_once(tmp_path: Path) -> None:
    build = tmp_path / "build"
    store.write_json_atomic(
        build / "run.json", {"jobs": {"r/fr/a": {"status": "failed"}, "r/fr/b": {"status": "ok"}}, "kernel": "k"}
    )
    for key in ("r/fr/a", "r/en/c"):
        store.write_json_atomic(
            records.own(build, key, ".json"), {"key": key, "entry": {"status": "ok", "key": key}, "kernel": "k"}
        )
    (records.own(build, "r/fr/z", ".json")).write_text("{half a file", encoding="utf-8")  # never taken
    assert [key for _, key, _ in records.pending(build)] == ["r/en/c", "r/fr/a"]
    assert records.fold(build)
    record = json.loads((build / "run.json").read_text(encoding="utf-8"))
    assert record["jobs"] == {
        "r/fr/a": {"status": "ok", "key": "r/fr/a"},
        "r/fr/b": {"status": "ok"},
        "r/en/c": {"status": "ok", "key": "r/en/c"},
    }
    assert records.pending(build) == [] and not records.fold(build)


def test_a_fold_makes_the_record_when_only_isolated_runs_ran(tmp_path: Path) -> None:
    build = tmp_path / "build"
    store.write_json_atomic(records.own(build, "r/fr/a", ".json"), {"key": "r/fr/a", "entry": {"status": "ok"}})
    assert records.fold(build)
    assert json.loads((build / "run.json").read_text(encoding="utf-8"))["jobs"] == {"r/fr/a": {"status": "ok"}}


@pytest.mark.parametrize(("argv", "locked"), [(["run"], True), (["run", "--isolated"], False)])
def test_an_isolated_run_takes_no_project_lock(monkeypatch: pytest.MonkeyPatch, argv: list[str], locked: bool) -> None:
    taken: list[str] = []

    @contextmanager
    def project(step: str, *_: object, **__: object) -> Iterator[None]:
        taken.append(step)
        yield

    seen: list[bool] = []

    def main(args: argparse.Namespace) -> int:
        seen.append(args.isolated)
        return 0

    monkeypatch.setattr(lock, "project", project)
    monkeypatch.setattr(run_step, "main", main)
    assert cli.main(argv) == 0
    assert seen == [not locked] and taken == (["run"] if locked else [])
