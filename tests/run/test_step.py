"""The runner: parameters refused before any kernel starts (exit 3), notebooks executed on
several workers with the overview after the others, a failing notebook kept and marked failed
while the others finish (exit 1), kernels that fail to start retried once, cells that raise
not retried, unchanged reports not re-run, and executed notebooks free of timestamps and
absolute paths so that a rerun gives the same bytes."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path

import nbformat
import polars as pl
import pytest

from pipelines.cli import main
from pipelines.core import paths, store
from pipelines.core.errors import ExitCode, UsageError
from pipelines.run import checks, jobs, reproducible, schedule, sidecars, worker
from pipelines.run import step as run
from tests.support import FIXTURE_NOTEBOOKS, FixtureBuild, run_argv, write_processed

INJECTION = 'A"; import os; os.system("touch {marker}")  #'
#: The fixture roadmap (`tests.support.write_processed`): benchmarks A-I and the thematic fixture ddr.
PLANS = [
    jobs.RoadmapPlan(
        "test", tuple("ABCDEFGHI"), (("ddr", (("counted", ("test_counted",)),)),), (("test_counted", "D"),)
    )
]


def cli(argv: list[str]) -> int:
    """`pipelines.cli.main`, with argparse's own refusals (SystemExit) turned into their code."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def _refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], *options: str) -> str:
    """Run with `options`; assert exit code 3 and that nothing was built. Returns stderr."""
    build = tmp_path / "build"
    code = cli(run_argv(write_processed(tmp_path / "processed"), build, *options))
    assert code == ExitCode.USAGE
    assert not build.exists(), "a refused run must not start anything"
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--only", "Z"), "unknown benchmark or report Z"),
        (("--only", "A,not-a-report"), "unknown benchmark or report not-a-report"),
        (("--lang", "de"), "unknown language 'de'"),
        (("--as-of", "2024-13-01"), "is not a valid date"),
        (("--as-of", "1/6/2024"), "is not a date written YYYY-MM-DD"),
        (("--as-of", "2024-06-01T00:00"), "is not a date written YYYY-MM-DD"),
        (("--build-date", "yesterday"), "is not a date written YYYY-MM-DD"),
        (("--jobs", "0"), "must be 1 or more"),
        (("--kernel", "python3; rm -rf /"), "is not a plain name"),
    ],
)
def test_bad_parameters_are_refused_before_any_notebook_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: tuple[str, ...], message: str
) -> None:
    assert message in _refused(tmp_path, capsys, *options)


def test_a_date_in_the_future_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert "is in the future" in _refused(tmp_path, capsys, "--as-of", tomorrow)


@pytest.mark.parametrize("option", ["--only", "--as-of", "--lang", "--build-date"])
def test_code_in_a_parameter_is_refused_before_execution(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    marker = tmp_path / "pwned"
    _refused(tmp_path, capsys, option, INJECTION.format(marker=marker))
    assert not marker.exists()


def test_folders_outside_the_project_need_allow_outside(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli(["run", "--notebooks", str(FIXTURE_NOTEBOOKS), "--build", str(tmp_path / "build")])
    assert code == ExitCode.USAGE
    assert "outside the project" in capsys.readouterr().err
    assert not (tmp_path / "build").exists()


def test_parameters_reach_papermill_only_as_checked_plain_strings() -> None:
    for bad in (
        {"benchmark": INJECTION.format(marker="/tmp/x")},
        {"benchmark": "A\nimport os"},
        {"benchmark": "A\\"},
        {"lang": 1},
        {"lang": ["fr"]},
        {"not an identifier": "x"},
    ):
        with pytest.raises(UsageError):
            checks.check_parameters(bad)
    layout = jobs.Layout(notebooks=FIXTURE_NOTEBOOKS)
    planned = jobs.plan(
        layout, jobs.registry(FIXTURE_NOTEBOOKS, PLANS), checks.LANGS, as_of="2024-06-30", build_date="2024-06-30"
    )
    assert all(type(v) is str for job in planned for v in job.parameters.values())


def test_benchmark_ids_come_from_the_processed_tables_roadmap_by_roadmap(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"roadmaps\.parquet does not exist: run `python -m pipelines ingest`"):
        jobs.known_roadmaps(tmp_path)
    pl.DataFrame({"roadmap_id": ["one", "two"], "reports": ['{"ddr": {"counted": ["one_ddr"]}}', None]}).write_parquet(
        tmp_path / "roadmaps.parquet"
    )
    pl.DataFrame(
        {"roadmap_id": ["one", "one", "one", "two", "two", "two"], "benchmark": ["B", "A", "10", "10", "2", "A"]}
    ).write_parquet(tmp_path / "benchmarks.parquet")
    pl.DataFrame({"roadmap_id": ["one"], "indicator_id": ["one_ddr"], "benchmark": ["B"]}).write_parquet(
        tmp_path / "indicators.parquet"
    )
    plans = jobs.known_roadmaps(tmp_path)
    assert plans == [
        jobs.RoadmapPlan("one", ("10", "A", "B"), (("ddr", (("counted", ("one_ddr",)),)),), (("one_ddr", "B"),)),
        jobs.RoadmapPlan("two", ("2", "10", "A")),
    ]
    specs = jobs.registry(FIXTURE_NOTEBOOKS, plans)
    assert [(s.roadmap, s.report_id) for s in jobs.check_only("b,overview", specs)] == [
        ("one", "benchmark-B"),
        ("one", "overview"),
        ("two", "overview"),
    ]
    assert [(s.roadmap, s.report_id) for s in jobs.check_only("2", specs)] == [("two", "benchmark-2")]
    with pytest.raises(UsageError, match="unknown benchmark or report C: benchmarks are one: 10,A,B; two: 2,10,A"):
        jobs.check_only("C", specs)


def test_build_date_defaults_to_as_of_then_to_the_latest_date_in_the_data(tmp_path: Path) -> None:
    processed = write_processed(tmp_path / "processed")
    pl.DataFrame(
        {
            "source_id": ["cited", "other", "uncited"],
            "published": [date(2024, 2, 29), date(2025, 1, 1), date(2026, 1, 1)],
        }
    ).write_parquet(processed / "sources.parquet")
    # an event of this roadmap citing "cited", one of another roadmap citing "other"
    pl.DataFrame(
        {
            "roadmap_id": ["test", "elsewhere"],
            "date": [date(2023, 6, 30), date(2024, 12, 31)],
            "source_id": ["cited", "other"],
        }
    ).write_parquet(processed / "milestone_events.parquet")
    parser = argparse.ArgumentParser()
    run.add_arguments(parser)

    def build_date(*options: str) -> str:
        args = parser.parse_args(run_argv(processed, tmp_path / "b", "--only", "A", "--lang", "fr", *options)[1:])
        return run.jobs_from_args(args)[1][0].parameters["build_date"]

    assert build_date() == "2024-02-29"  # the newest date of this roadmap's data, its sources' included
    assert build_date("--as-of", "2023-12-31") == "2023-12-31"
    assert build_date("--as-of", "2023-12-31", "--build-date", "2024-01-15") == "2024-01-15"


def test_registry_order_thematic_notebooks_only_when_present_overview_last() -> None:
    ids = [s.report_id for s in jobs.registry(FIXTURE_NOTEBOOKS, PLANS)]
    assert ids == [f"benchmark-{x}" for x in "ABCDEFGHI"] + ["ddr", "overview"]  # the fixtures have ddr.ipynb only
    planned = jobs.plan(
        jobs.Layout(notebooks=FIXTURE_NOTEBOOKS),
        [*jobs.registry(FIXTURE_NOTEBOOKS, PLANS)[:1], jobs.registry(FIXTURE_NOTEBOOKS, PLANS)[-1]],
        ("fr",),
        as_of="",
        build_date="",
    )
    benchmark, overview = planned
    assert overview.after == ("test/fr/benchmark-A",)
    assert "sidecars_dir" in overview.parameters and "sidecar_path" not in overview.parameters
    # Inside the project, the notebook sees relative paths (no absolute path in executed notebooks).
    sidecar = Path(benchmark.parameters["sidecar_path"])
    assert not sidecar.is_absolute()
    assert (
        FIXTURE_NOTEBOOKS / sidecar
    ).resolve() == paths.ROOT / "build" / "sidecars" / "test" / "fr" / "benchmark-A.json"
    assert (FIXTURE_NOTEBOOKS / benchmark.parameters["processed_dir"]).resolve() == paths.PROCESSED


def test_a_notebook_without_the_parameters_it_needs_fails_without_running(tmp_path: Path) -> None:
    nb = nbformat.read(FIXTURE_NOTEBOOKS / "benchmark.ipynb", as_version=4)
    nb.cells[1].source = 'lang = "fr"'
    nbformat.write(nb, tmp_path / "benchmark.ipynb")
    planned = jobs.plan(
        jobs.Layout(notebooks=tmp_path, build=tmp_path / "build"),
        jobs.registry(tmp_path, PLANS)[:1],
        ("fr",),
        as_of="",
        build_date="",
    )
    assert "declaring roadmap, benchmark" in jobs.check_contracts(planned)["test/fr/benchmark-A"]


def test_missing_notebooks_are_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"benchmark\.ipynb"):
        jobs.plan(jobs.Layout(notebooks=tmp_path), jobs.registry(tmp_path, PLANS), ("fr",), as_of="", build_date="")


def test_failure_kinds_tell_a_dead_kernel_from_a_cell_that_raised() -> None:
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    assert (
        worker.classify(PapermillExecutionError(3, 2, "1/0", "ZeroDivisionError", "division by zero", []))
        == "cell_error"
    )
    assert worker.classify(CellTimeoutError("Cell execution timed out")) == "cell_timeout"
    assert worker.classify(DeadKernelError("Kernel died")) == "kernel_died"
    assert worker.classify(RuntimeError("Kernel didn't respond in 60 seconds")) == "kernel_start"
    assert worker.classify(RuntimeError("Kernel died before replying to kernel_info")) == "kernel_start"
    assert worker.classify(ValueError("something else")) == "error"
    assert {"kernel_start", "kernel_died"} == worker.RETRYABLE


def test_a_kernel_that_never_ran_a_cell_is_a_start_failure_whatever_papermill_marked(tmp_path: Path) -> None:
    # papermill saves a failed run with every pending cell marked "completed": only the start
    # time and execution count tell whether the kernel received a cell
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    partial = tmp_path / "partial.ipynb"
    cells = [new_code_cell("x = 1", metadata={"papermill": {"status": "completed", "start_time": None}})]
    nbformat.write(new_notebook(cells=cells), partial)
    assert worker.classify(RuntimeError("an unexpected message"), partial) == "kernel_start"
    cells[0]["execution_count"] = 1
    nbformat.write(new_notebook(cells=cells), partial)
    assert worker.classify(RuntimeError("an unexpected message"), partial) == "error"


# --- the session build: A, ddr (fails) and overview, fr and en, on two workers ---------------------------


def test_a_failing_notebook_is_kept_marked_failed_and_the_others_still_run(fixture_build: FixtureBuild) -> None:
    assert fixture_build.run_code == ExitCode.NOTEBOOK_FAILED
    record = json.loads((fixture_build.build / "run.json").read_text())["jobs"]
    assert sorted(record) == [
        "test/en/benchmark-A",
        "test/en/ddr",
        "test/en/overview",
        "test/fr/benchmark-A",
        "test/fr/ddr",
        "test/fr/overview",
    ]
    for lang in checks.LANGS:
        failed = record[f"test/{lang}/ddr"]
        assert failed["status"] == "failed"
        assert failed["attempts"] == 1  # a cell that raised is not retried
        assert failed["error"]["kind"] == "cell_error"
        assert failed["error"]["cell"] == 4 and failed["error"]["cell_id"] == "boom"
        assert failed["error"]["ename"] == "ValueError"
        assert "cell 4" in failed["error"]["summary"] and "deliberate failure" in failed["error"]["summary"]
        kept = nbformat.read(fixture_build.build / "notebooks" / "test" / lang / "ddr.ipynb", as_version=4)
        errors = [o for c in kept.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert errors and errors[0].evalue == "deliberate failure in a fixture notebook"
        good = record[f"test/{lang}/benchmark-A"]
        assert good["status"] == "ok" and good["error"] is None and good["sidecar_written"]
        assert good["duration_s"] >= 0 and good["parameters"]["benchmark"] == "A"
        assert record[f"test/{lang}/overview"]["status"] == "ok"
    sidecar = json.loads((fixture_build.build / "sidecars" / "test" / "fr" / "benchmark-A.json").read_text())
    assert sidecar["status"] == "on_track" and sidecar["title"] == "Critère A"
    # The failed notebook's page says so; the others are rendered.
    assert fixture_build.render_code == ExitCode.NOTEBOOK_FAILED
    assert "deliberate failure" in (fixture_build.reports / "test" / "fr" / "ddr.html").read_text()
    assert '<figure class="chart"' in (fixture_build.reports / "test" / "fr" / "benchmark-A.html").read_text()


def test_a_chart_that_fails_only_when_shown_fails_its_report(tmp_path: Path) -> None:
    # The runner's kernels build charts without Altair's debug mode (`RUNNER_KERNEL`): a chart is
    # checked as a whole only when shown, where Altair prints the error and shows nothing, and
    # the cell passes. Papermill fails the report on that error output, before the sidecar.
    import shutil

    notebooks = tmp_path / "notebooks"
    shutil.copytree(FIXTURE_NOTEBOOKS, notebooks)
    nb = nbformat.read(notebooks / "benchmark.ipynb", as_version=4)
    bad = nbformat.v4.new_code_cell(
        'chart = alt.Chart(pl.DataFrame({"a": [1]})).mark_bar().encode(x="a:Q")\nchart["width"] = "wide"\nchart',
        id="wide",
    )
    nb.cells.insert(-1, bad)  # before the sidecar is written
    nbformat.write(nb, notebooks / "benchmark.ipynb")
    build = tmp_path / "build"
    argv = [
        "run",
        "--notebooks",
        str(notebooks),
        "--processed",
        str(write_processed(tmp_path / "processed")),
        "--build",
        str(build),
        "--allow-outside",
        "--only",
        "A",
        "--lang",
        "fr",
        "--jobs",
        "1",
    ]
    assert main(argv) == ExitCode.NOTEBOOK_FAILED
    entry = json.loads((build / "run.json").read_text())["jobs"]["test/fr/benchmark-A"]
    assert entry["status"] == "failed" and entry["attempts"] == 1
    error = entry["error"]
    assert error["kind"] == "cell_error" and error["cell_id"] == "wide" and error["ename"] == "SchemaValidationError"
    assert not entry["sidecar_written"] and not (build / "sidecars" / "test" / "fr" / "benchmark-A.json").exists()
    kept = nbformat.read(build / "notebooks" / "test" / "fr" / "benchmark-A.ipynb", as_version=4)
    assert any(o.output_type == "error" for c in kept.cells if c.get("id") == "wide" for o in c.outputs)


def test_the_overview_runs_after_the_reports_whose_sidecars_it_reads(fixture_build: FixtureBuild) -> None:
    for lang in checks.LANGS:
        nb = nbformat.read(fixture_build.build / "notebooks" / "test" / lang / "overview.ipynb", as_version=4)
        printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        assert "sidecars read: benchmark-A.json" in printed


def test_executed_notebooks_hold_no_timestamp_nor_project_path(fixture_build: FixtureBuild) -> None:
    for path in sorted((fixture_build.build / "notebooks").rglob("*.ipynb")):
        text = path.read_text()
        for volatile in ("start_time", "end_time", '"duration"', "iopub.", "shell.execute_reply"):
            assert volatile not in text, f"{path.name} holds {volatile}"
        assert str(paths.ROOT) not in text
        nb = json.loads(text)
        assert nb["metadata"]["papermill"]["input_path"].startswith("tests/fixtures/notebooks/")
        injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
        assert [c["id"] for c in injected] == ["injected-parameters"]


def test_unchanged_reports_are_reused_and_a_forced_rerun_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The code of `pipelines` is part of a report's inputs; pin it so that an edit made
    # elsewhere while the test runs does not count as a change.
    monkeypatch.setattr(schedule, "code_checksum", lambda package: "pinned")
    processed = write_processed(tmp_path / "processed")
    build = tmp_path / "build"
    argv = run_argv(processed, build, "--only", "A", "--lang", "fr", "--jobs", "1")
    executed = build / "notebooks" / "test" / "fr" / "benchmark-A.ipynb"
    assert main(argv) == ExitCode.OK
    first = executed.read_bytes()
    assert main(argv) == ExitCode.OK
    assert json.loads((build / "run.json").read_text())["jobs"]["test/fr/benchmark-A"]["reused"] is True
    assert main([*argv, "--force"]) == ExitCode.OK
    entry = json.loads((build / "run.json").read_text())["jobs"]["test/fr/benchmark-A"]
    assert entry["reused"] is False and entry["attempts"] == 1
    assert executed.read_bytes() == first
    # The entry says why the job ran and records its key (tests/run/test_incremental.py covers each part).
    assert entry["reason"] == "ran: --force"
    assert set(entry["inputs"]) >= {"notebook", "parameters", "code", "lock", "kernel", "as_of", "slice"}
    assert entry["inputs"]["code"] == "pinned"


def _kernel(folder: Path, name: str, script: str) -> None:
    """A kernel spec `name` under `folder` (a JUPYTER_PATH entry) launching `script`."""
    spec = folder / "kernels" / name
    spec.mkdir(parents=True)
    (spec / "launch.py").write_text(script)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, str(spec / "launch.py"), "{connection_file}"],
                "display_name": name,
                "language": "python",
            }
        )
    )


FLAKY = """import os, sys
marker = os.path.join(os.path.dirname(__file__), "started-once")
if not os.path.exists(marker):
    open(marker, "w").close()
    sys.exit(1)  # the first start dies before answering
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", sys.argv[1]])
"""


def test_a_kernel_that_fails_to_start_is_retried_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    _kernel(tmp_path / "jupyter", "flaky", FLAKY)
    _kernel(tmp_path / "jupyter", "broken", "import sys\nsys.exit(1)\n")
    processed = write_processed(tmp_path / "processed")
    build = tmp_path / "build"
    base = run_argv(processed, build, "--only", "overview", "--lang", "fr", "--start-timeout", "20")
    assert main([*base, "--kernel", "flaky"]) == ExitCode.OK
    entry = json.loads((build / "run.json").read_text())["jobs"]["test/fr/overview"]
    assert entry["status"] == "ok" and entry["attempts"] == 2
    assert main([*base, "--kernel", "broken"]) == ExitCode.NOTEBOOK_FAILED
    entry = json.loads((build / "run.json").read_text())["jobs"]["test/fr/overview"]
    assert entry["status"] == "failed" and entry["attempts"] == 2
    assert entry["error"]["kind"] == "kernel_start"


def test_cleaning_gives_stable_ids_to_old_notebooks_and_altair_html(tmp_path: Path) -> None:
    """A source in nbformat 4.4 has no cell ids (nbformat invents random ones on each read) and
    Altair's html renderer draws a random element id per chart: both become counters."""
    source = tmp_path / "old.ipynb"
    source.write_text(
        json.dumps(
            {
                "cells": [
                    {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": "x = 1"}
                ],
                "metadata": {},
                "nbformat": 4,
                "nbformat_minor": 4,
            }
        )
    )
    executed = nbformat.read(source, as_version=4)
    html = (
        '<div id="altair-viz-0123456789abcdef0123456789abcdef"></div><script>#altair-viz-'
        "0123456789abcdef0123456789abcdef</script>"
    )
    executed.cells[0].outputs = [nbformat.v4.new_output("display_data", data={"text/html": html})]
    executed.cells.insert(0, nbformat.v4.new_code_cell(metadata={"tags": ["injected-parameters"]}))
    cleaned = reproducible.clean_notebook(executed, tmp_path, source, tmp_path / "out.ipynb")
    assert [c.id for c in cleaned.cells] == ["injected-parameters", "cell-1"]
    assert cleaned.cells[1].outputs[0].data["text/html"].count("altair-viz-1") == 2
    assert cleaned.metadata.get("papermill", {}) == {} or "start_time" not in cleaned.metadata["papermill"]


def test_sidecars_are_checked_written_sorted_and_skipped_without_a_path(tmp_path: Path) -> None:
    sidecars.write_sidecar("", title="t", status="on_track")  # an analyst running by hand: nothing written
    path = tmp_path / "s" / "benchmark-A.json"
    sidecars.write_sidecar(
        str(path),
        title="Critère A",
        status="achieved",
        score=1.0,
        headline=[{"label": "x", "value": "1"}],
        benchmark="A",
    )
    assert list(json.loads(path.read_text())) == ["benchmark", "headline", "score", "status", "title"]
    sidecar = store.read_sidecar(path)
    assert sidecar is not None and sidecar["status"] == "achieved"
    assert store.read_sidecar(tmp_path / "missing.json") is None
    with pytest.raises(ValueError, match="status"):
        sidecars.write_sidecar(str(path), title="t", status="ok")
