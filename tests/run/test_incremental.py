"""Incremental runs: which reports a run re-executes, and the reason it gives.

The decisions are taken on the real roadmap data, ingested into a scratch project (no kernel
starts here): nothing changed -> every report skipped; one figure of benchmark D changed ->
only the reports reading D's slice; the overview when a sidecar it reads changed; the code,
the lock file or a notebook changed -> the reports depending on them; a figure that moves the
latest date in a roadmap's data -> every report of that roadmap (each one states that date), and
none of another roadmap.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipelines.core import paths, store
from pipelines.ingest import step as ingest
from pipelines.run import checks, incremental, jobs
from pipelines.run import schedule as run

FIGURE_FILE = "data/raw/observations/ddr.csv"
M = "s-2021-300/"  # MINUSMA's job keys


def _project(tmp_path: Path) -> Path:
    """A scratch project: the raw data, the notebooks and the lock file, ingested."""
    root = tmp_path / "project"
    shutil.copytree(paths.RAW, root / "data" / "raw")
    shutil.copytree(paths.NOTEBOOKS, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(paths.EXPECTATIONS, root / "expectations")
    shutil.copy2(paths.ROOT / "requirements.lock", root / "requirements.lock")
    _ingest(root)
    return root


def _ingest(root: Path) -> None:
    ingest.write(ingest.ingest(root / "data" / "raw"), root / "data" / "processed")


def _layout(root: Path) -> jobs.Layout:
    return jobs.Layout(
        root=root, notebooks=root / "notebooks", processed=root / "data" / "processed", build=root / "build"
    )


def _plan(root: Path) -> list[jobs.Job]:
    layout = _layout(root)
    return jobs.plan(
        layout,
        jobs.registry(layout.notebooks, jobs.known_roadmaps(layout.processed)),
        checks.LANGS,
        as_of="",
        build_date="2025-01-01",
    )


def _decide(root: Path, record: dict, *, code: str = "code") -> dict[str, incremental.Decision]:
    """Every job's decision against `record`, the overview after the others, as the runner does."""
    planner = incremental.Planner(_layout(root), "kernel", record, code=code)
    planned = _plan(root)
    return {
        job.key: planner.decide(job, record["jobs"].get(job.key), force=False)
        for job in sorted(planned, key=lambda j: j.kind == "overview")
    }


def _record_good_run(root: Path, *, code: str = "code") -> dict:
    """What a good run leaves: executed notebooks and sidecars on disk, each job's key in run.json."""
    record: dict = {"jobs": {}}
    planner = incremental.Planner(_layout(root), "kernel", record, code=code)
    for job in sorted(_plan(root), key=lambda j: j.kind == "overview"):
        job.output.parent.mkdir(parents=True, exist_ok=True)
        job.output.write_text("{}")
        if job.sidecar is not None:
            job.sidecar.parent.mkdir(parents=True, exist_ok=True)
            job.sidecar.write_text(json.dumps({"report": job.report_id}))
        decision = planner.decide(job, None, force=False)
        record["jobs"][job.key] = {
            "status": "ok",
            "sidecar_written": job.sidecar is not None,
            "inputs": decision.inputs,
            "basis": decision.basis,
        }
    return record


def _edit_figure(root: Path, old: str, new: str) -> None:
    path = root / FIGURE_FILE
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def _ran(decisions: dict[str, incremental.Decision]) -> set[str]:
    return {key for key, d in decisions.items() if d.run}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return _project(tmp_path)


def test_nothing_changed_every_report_is_skipped_without_reading_a_table(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = _record_good_run(project)

    def no_table(*args: object, **kwargs: object) -> None:
        raise AssertionError("a no-change run must not read the tables")

    monkeypatch.setattr("pipelines.run.slices.Data.table", no_table)
    decisions = _decide(project, record)
    assert len(decisions) == 2 * len(
        jobs.registry(project / "notebooks", jobs.known_roadmaps(project / "data" / "processed"))
    )
    assert _ran(decisions) == set()
    assert {d.reason for d in decisions.values()} == {"skipped: unchanged"}


def test_one_figure_of_d_re_runs_only_the_reports_reading_d(project: Path) -> None:
    record = _record_good_run(project)
    # The latest running total of integrations (headline of D; its date stays the same).
    _edit_figure(project, ",1428,persons,", ",1429,persons,")
    _ingest(project)
    decisions = _decide(project, record)
    # D's report, the thematic reports reading D's indicators, the changes page, the brief and the
    # overview (their history and changes read every benchmark's data); never the glossary
    notebooks = {
        "ddr": "ddr.ipynb",
        "roadmap-figures": "roadmap_figures.ipynb",
        "changes": "changes.ipynb",
        "brief": "brief.ipynb",
        "overview": "overview.ipynb",
    }
    readers = {"benchmark-D"} | {r for r, nb in notebooks.items() if (project / "notebooks" / nb).exists()}
    assert _ran(decisions) == {f"{M}{lang}/{r}" for lang in checks.LANGS for r in readers}
    assert decisions[f"{M}fr/benchmark-D"].reason == "ran: data of benchmark s-2021-300/D changed"
    assert decisions[f"{M}fr/benchmark-A"].reason == "skipped: unchanged"
    if "ddr" in readers:
        assert (
            decisions[f"{M}en/ddr"].reason
            == "ran: data of benchmark s-2021-300/D, indicators s-2021-300/ddr_integrated_cumulative changed"
        )
    # The overview also runs again once D's report has written a different sidecar.
    record = _record_good_run(project)
    decisions = _decide(project, record)
    assert not decisions[f"{M}fr/overview"].run
    (project / "build" / "sidecars" / "s-2021-300" / "fr" / "benchmark-D.json").write_text('{"score": 0.71}')
    decisions = _decide(project, record)
    assert decisions[f"{M}fr/overview"].reason == "ran: sidecars changed: benchmark-D"
    assert not decisions[f"{M}en/overview"].run


def test_the_data_checksum_a_page_prints_moves_only_with_the_data_it_read(project: Path) -> None:
    # what render prints on a page and keys it by: a figure of D changes D's, never A's, so
    # A's page is not drawn again and still tells the truth
    record = _record_good_run(project)
    _edit_figure(project, ",1428,persons,", ",1429,persons,")
    _ingest(project)
    decisions = _decide(project, record)

    def printed(key: str) -> tuple[str, str]:
        return incremental.data_read(record["jobs"][key]), incremental.data_read({"inputs": decisions[key].inputs})

    before, after = printed(f"{M}fr/benchmark-A")
    assert before == after and len(before) == 64
    before, after = printed(f"{M}fr/benchmark-D")
    assert before != after
    assert incremental.data_read({}) == "" and incremental.data_read({"inputs": {"slice": None}}) == ""


def test_code_lock_or_notebook_changes_re_run_what_depends_on_them(project: Path) -> None:
    record = _record_good_run(project)
    decisions = _decide(project, record, code="other code")
    assert all(d.run for d in decisions.values())
    assert decisions[f"{M}fr/benchmark-A"].reason == "ran: code of pipelines/ changed"
    (project / "requirements.lock").write_text("another resolution\n")
    assert {d.reason for d in _decide(project, record).values()} == {"ran: lock file changed"}
    shutil.copy2(paths.ROOT / "requirements.lock", project / "requirements.lock")
    notebook = project / "notebooks" / "benchmark.ipynb"
    notebook.write_text(
        notebook.read_text(encoding="utf-8").replace("Benchmark report", "Benchmark  report", 1), encoding="utf-8"
    )
    decisions = _decide(project, record)
    assert {k for k, d in decisions.items() if d.run} == {k for k in decisions if "/benchmark-" in k}
    assert decisions[f"{M}en/benchmark-I"].reason == "ran: notebook changed"


def test_a_figure_that_moves_the_latest_date_re_runs_every_report(project: Path) -> None:
    record = _record_good_run(project)
    latest = incremental.Planner(_layout(project), "kernel", {"jobs": {}}).data.latest_date("s-2021-300")
    later = f"{int(latest[:4]) + 1}-01-15"
    with (project / FIGURE_FILE).open("a", encoding="utf-8") as handle:
        handle.write(f"ddr_integrated_cohort,ML,{later},{later},10,persons,maliactu-2021-ddr-422,secondary,test\n")
    _ingest(project)
    decisions = _decide(project, record)
    assert all(d.run for k, d in decisions.items() if k.startswith(M) and "overview" not in d.reason)
    assert not any(d.run for k, d in decisions.items() if not k.startswith(M))  # MONUSCO's date did not move
    assert "date of the report moved" in decisions[f"{M}fr/benchmark-A"].reason
    assert (
        decisions[f"{M}fr/benchmark-D"].reason
        == "ran: date of the report moved; data of benchmark s-2021-300/D changed"
    )


def test_a_boundary_file_re_runs_the_reports_that_draw_maps(project: Path) -> None:
    # poverty-wash, and the benchmark reports (any benchmark with figures by region gets maps)
    if not (project / "notebooks" / "poverty_wash.ipynb").exists():
        pytest.skip("no poverty_wash notebook")
    record = _record_good_run(project)
    (project / "data" / "raw" / "boundaries").mkdir()
    (project / "data" / "raw" / "boundaries" / "adm1.json").write_text('{"type": "FeatureCollection"}')
    (project / "data" / "raw" / "boundaries.yaml").write_text("file: boundaries/adm1.json\nkey: k\nkey_type: iso\n")
    decisions = _decide(project, record)
    benchmarks = {key for key in decisions if "/benchmark-" in key}
    assert benchmarks and _ran(decisions) == {f"{M}fr/poverty-wash", f"{M}en/poverty-wash"} | benchmarks
    assert decisions[f"{M}fr/poverty-wash"].reason == "ran: data of file boundaries.yaml changed"
    assert decisions[f"{M}en/benchmark-E"].reason == "ran: data of file boundaries.yaml changed"
    (project / "data" / "raw" / "boundaries" / "adm1.json").write_text('{"type": "FeatureCollection", "x": 1}')
    record["jobs"][f"{M}fr/poverty-wash"]["inputs"] = decisions[f"{M}fr/poverty-wash"].inputs
    assert _decide(project, record)[f"{M}fr/poverty-wash"].run  # the file the YAML names counts too


def test_forced_failed_or_missing_outputs_run_again(project: Path) -> None:
    record = _record_good_run(project)
    planner = incremental.Planner(_layout(project), "kernel", record, code="code")
    job = next(j for j in _plan(project) if j.key == f"{M}fr/benchmark-A")
    assert planner.decide(job, record["jobs"][job.key], force=True).reason == "ran: --force"
    assert (
        planner.decide(job, {**record["jobs"][job.key], "status": "failed"}, force=False).reason
        == "ran: its last run failed"
    )
    assert planner.decide(job, None, force=False).reason == "ran: no earlier run"
    written = {**record["jobs"][job.key], "output_sha256": store.sha256_file(job.output)}
    assert not planner.decide(job, written, force=False).run
    job.output.write_text('{"cells": [], "written by": "papermill, from Airflow"}')  # another tool's output
    assert (
        planner.decide(job, written, force=False).reason
        == "ran: its executed notebook was written by something else since (another tool's output)"
    )
    job.output.unlink()
    assert planner.decide(job, record["jobs"][job.key], force=False).reason == "ran: its executed notebook is missing"


def test_stale_validation_results_are_checked_once_by_the_runner(project: Path) -> None:
    """Without current results, each kernel would re-check (and import GX); the runner does it once."""
    layout = _layout(project)
    results = layout.processed / "validation.json"
    assert not results.exists()
    assert run.ensure_validation(layout) is True
    from pipelines.validate import quality

    assert quality.is_current(quality.read_stored(layout.processed), layout.processed)
    assert run.ensure_validation(layout) is False  # current now: nothing to do


def test_the_planners_default_date_is_the_reports_own(project: Path) -> None:
    # events count from the day they became known, in the cache key's date as in the reports
    from pipelines.analysis import views

    data = incremental.Planner(_layout(project), "kernel", {"jobs": {}}).data
    for roadmap in ("s-2021-300", "s-2021-807"):
        tables = views.Tables.load(project / "data" / "processed", roadmap)
        assert data.latest_date(roadmap) == tables.latest_date().isoformat(), roadmap
