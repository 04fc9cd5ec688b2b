"""The Airflow DAG of `python -m pipelines airflow-dag` in a real Airflow 3 (`make airflow`, its own
environment): a run of it writes the reports `make report` writes, byte for byte. The DAG file
itself, planned and checked without Airflow, is tests/tools/test_airflow_dag.py.

The real-Airflow tests build in scratch copies of the project (`verify.copy_inputs`, named by
MINUSMA_ROOT), never in the project's own data/ and reports/: one built by ``pipelines report``
as `make report` builds, one by ``airflow dags test``. Then the exit codes: a data error fails
ingest at once (no retry) and nothing after it runs; a failing notebook fails its report's
task once, and the overview and the render still run, as in `make report` (whose exit code 1
then fails the render).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.core import paths
from pipelines.run import checks, jobs
from pipelines.tools import verify
from pipelines.tools.airflow_local import LocalAirflow
from tests.support import ROOT as PROJECT
from tests.tools.test_airflow_dag import MONUSCO

AIRFLOW = PROJECT / ".airflow-venv" / "bin" / "airflow"


# --- a real Airflow ---------------------------------------------------------------------------------


class Airflow(LocalAirflow):
    """`airflow <args>` from .airflow-venv on its own home (dags folder, SQLite database), with
    the generated DAG of MONUSCO's reports and `dags test`."""

    def add_dag(self, root: Path, dag_id: str, *options: str) -> None:
        """The DAG of MONUSCO's reports, building in the project copy `root`, in the dags folder."""
        assert (
            main(
                [
                    "airflow-dag",
                    "--project-root",
                    str(root),
                    "--roadmap",
                    MONUSCO,
                    "--dag-id",
                    dag_id,
                    "--output",
                    str(self.dags / f"{dag_id}.py"),
                    *options,
                ]
            )
            == 0
        )

    def dags_test(self, dag_id: str) -> tuple[str, dict[str, str]]:
        """`airflow dags test <dag_id>`: its output, and the state of each task of the run it made."""
        done = self("dags", "test", dag_id, timeout=1500)
        runs = json.loads(self("dags", "list-runs", dag_id, "-o", "json").stdout)
        latest = max(runs, key=lambda r: r["run_after"])
        states = json.loads(self("tasks", "states-for-dag-run", dag_id, latest["run_id"], "-o", "json").stdout)
        return done.stdout + done.stderr, {t["task_id"]: t["state"] for t in states}


@pytest.fixture(scope="module")
def airflow(tmp_path_factory: pytest.TempPathFactory) -> Airflow:
    """A real Airflow 3, as `make airflow` installs it from its lock, on a fresh standalone home."""
    made = subprocess.run(
        ["make", "-C", str(PROJECT), "airflow"], capture_output=True, text=True, timeout=1800, check=False
    )
    if made.returncode != 0:
        message = f"`make airflow` could not create .airflow-venv: {made.stderr[-1500:]}"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must run the DAG in a real Airflow
        pytest.skip(message)
    home = tmp_path_factory.mktemp("airflow-home")
    (home / "dags").mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "MINUSMA_"))},
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "PYTHONWARNINGS": "ignore::UserWarning",
    }  # a missing graphviz is said on stdout, before any JSON
    airflow = Airflow(AIRFLOW, home, env)
    migrated = airflow("db", "migrate")
    assert migrated.returncode == 0, migrated.stdout[-2000:] + migrated.stderr[-2000:]
    return airflow


def deploy(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A scratch copy of the project's inputs (data/raw, notebooks, code, lock), nothing built."""
    root = tmp_path_factory.mktemp(name)
    verify.copy_inputs(PROJECT, root)
    return root


def commands(log: str) -> list[str]:
    """The `python -m pipelines` commands the tasks ran, in order."""
    return [
        line.split(" -m pipelines ", 1)[1].split("'", 1)[0]
        for line in log.splitlines()
        if "Running command:" in line and " -m pipelines " in line
    ]


@pytest.fixture(scope="module")
def by_make_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MONUSCO's reports as `make report` builds them (`pipelines report`), in a scratch copy."""
    root = deploy(tmp_path_factory, "make-report")
    done = subprocess.run(
        [sys.executable, "-m", "pipelines", "report", "--roadmap", MONUSCO],
        cwd=root,
        env={**os.environ, "MINUSMA_ROOT": str(root)},
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return root


@pytest.fixture(scope="module")
def by_airflow(airflow: Airflow, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, str]]:
    """The same reports built by the generated DAG in Airflow: the copy, the log, the task states."""
    root = deploy(tmp_path_factory, "airflow-deployment")
    airflow.add_dag(root, "minusma_roadmap_reports")
    errors = airflow("dags", "list-import-errors", "-o", "json")
    assert errors.returncode == 0 and json.loads(errors.stdout) == [], errors.stdout + errors.stderr
    log, states = airflow.dags_test("minusma_roadmap_reports")
    return root, log, states


@pytest.fixture(scope="module")
def monusco_reports(real_processed: Path) -> list[str]:
    """MONUSCO's reports, as the registry has them (the overview last)."""
    roadmaps = jobs.check_roadmaps(MONUSCO, jobs.known_roadmaps(real_processed))
    return [s.report_id for s in jobs.registry(paths.NOTEBOOKS, roadmaps)]


@pytest.mark.slow
def test_the_dag_runs_in_airflow_one_task_per_report_and_writes_what_make_report_writes(
    by_airflow: tuple[Path, str, dict[str, str]], by_make_report: Path, monusco_reports: list[str]
) -> None:
    root, log, states = by_airflow
    assert "state=success" in log and set(states.values()) == {"success"}, states
    assert set(states) == {"ingest", "validate", "render"} | {
        f"{MONUSCO}.{lang}.{r}" for lang in checks.LANGS for r in monusco_reports
    }
    ran = commands(log)
    assert ran[:2] == ["ingest", "validate"] and ran[-1] == f"render --roadmap {MONUSCO}"
    assert len(ran) == 3 + 2 * len(monusco_reports)  # each report and language its own task, once
    for lang in checks.LANGS:  # each overview after its language's reports
        overview = ran.index(f"run --roadmap {MONUSCO} --only overview --lang {lang} --jobs 1 --isolated")
        assert all(
            ran.index(f"run --roadmap {MONUSCO} --only {r} --lang {lang} --jobs 1 --isolated") < overview
            for r in monusco_reports
            if r != "overview"
        )
    # every output identical: tables, validation results, executed notebooks, sidecars, pages, CSV, manifest
    assert verify.compare(by_make_report, root) == []
    assert len(verify.outputs(root)) > 100
    pages = {p.relative_to(by_make_report / "reports") for p in (by_make_report / "reports").rglob("*") if p.is_file()}
    assert pages == {p.relative_to(root / "reports") for p in (root / "reports").rglob("*") if p.is_file()}


@pytest.mark.slow
def test_a_failing_notebook_fails_its_tasks_once_and_the_render_still_runs(
    airflow: Airflow, by_airflow: tuple[Path, str, dict[str, str]], monusco_reports: list[str], tmp_path: Path
) -> None:
    root = tmp_path / "built"  # a copy of the deployment the DAG built: the reports that did not change skip
    shutil.copytree(by_airflow[0], root, symlinks=True)
    airflow.add_dag(root, "broken_notebook")
    notebook = root / "notebooks" / "overview.ipynb"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "broken",
            "metadata": {},
            "outputs": [],
            "source": ["raise RuntimeError('broken on purpose')"],
        }
    )
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    log, states = airflow.dags_test("broken_notebook")
    assert "state=failed" in log
    overviews = {f"{MONUSCO}.{lang}.overview" for lang in checks.LANGS}
    assert {t for t, s in states.items() if s == "failed"} == overviews | {"render"}, states
    assert {s for t, s in states.items() if t not in overviews | {"render"}} == {"success"}
    ran = commands(log)
    assert ran.count(f"render --roadmap {MONUSCO}") == 1 and len(ran) == 3 + 2 * len(monusco_reports)  # no retry
    assert "skipped: unchanged" in log  # the benchmarks' reports did not run again
    assert "exited with 1: a notebook or a page failed" in log
    assert "raised RuntimeError: broken on purpose" in log  # run says which cell
    assert f"[render] {MONUSCO}/en/overview failed" in log  # render drew the failure page


@pytest.mark.slow
def test_a_data_error_fails_ingest_without_retry_and_nothing_after_it_runs(
    airflow: Airflow, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = deploy(tmp_path_factory, "broken-data")
    airflow.add_dag(root, "broken_data")
    (root / "data" / "raw" / "observations" / "monusco.csv").write_text("nothing,here\n1,2\n", encoding="utf-8")
    log, states = airflow.dags_test("broken_data")
    assert states.pop("ingest") == "failed" and set(states.values()) == {"upstream_failed"}, states
    assert commands(log) == ["ingest"]  # exit code 2: not tried again
    assert "exited with 2: the data failed validation" in log and "breaks rule 'required-column'" in log
    assert not (root / "reports").exists() or not any((root / "reports").iterdir())


@pytest.mark.slow
def test_with_build_date_from_run_the_reports_print_the_day_the_run_was_due(
    airflow: Airflow, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = deploy(tmp_path_factory, "dated")
    airflow.add_dag(root, "dated", "--build-date-from", "run")
    shown = airflow("tasks", "render", "dated", f"{MONUSCO}.fr.benchmark-POC", "2026-11-30")
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert (
        f"run --roadmap {MONUSCO} --only benchmark-POC --lang fr --jobs 1 --build-date 2026-11-30 --isolated"
        in shown.stdout.replace("'", "")
    )


def readme_papermill_operator(root: Path, outputs: Path) -> str:
    """The `PapermillOperator` example of docs/pipeline.md as written, in a DAG, with its /srv paths made
    this checkout's and a scratch folder's."""
    readme = (PROJECT / "docs" / "pipeline.md").read_text(encoding="utf-8")
    [example] = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "PapermillOperator(" in b]
    example = example.replace("/srv/minusma-roadmap", str(root)).replace("/srv/airflow-outputs", str(outputs))
    return (
        "import pendulum\nfrom airflow.sdk import DAG\n\n"
        'with DAG("readme_papermill", schedule=None, start_date=pendulum.datetime(2022, 1, 1, tz="UTC")):\n'
        + textwrap.indent(example, "    ")
    )


@pytest.mark.slow
def test_the_readme_papermill_operator_runs_in_airflow(airflow: Airflow, deployed: Path, tmp_path: Path) -> None:
    # as the README says: the project's kernel seen through JUPYTER_PATH, the data of the deployed copy
    worker = replace(
        airflow,
        env={
            **airflow.env,
            "JUPYTER_PATH": str(PROJECT / ".venv" / "share" / "jupyter"),
            "MINUSMA_ROOT": str(deployed),
        },
    )
    (tmp_path / "minusma-roadmap").mkdir()
    (worker.dags / "readme_papermill.py").write_text(readme_papermill_operator(PROJECT, tmp_path), encoding="utf-8")
    errors = worker("dags", "list-import-errors", "-o", "json")
    assert errors.returncode == 0 and json.loads(errors.stdout) == [], errors.stdout + errors.stderr
    done = worker("dags", "test", "readme_papermill", "2022-12-31", timeout=900)
    log = done.stdout + done.stderr
    assert done.returncode == 0 and "state=success" in log, log[-3000:]
    executed = tmp_path / "minusma-roadmap" / "benchmark-D-fr-2022-12-31.ipynb"
    assert "Critère D" in executed.read_text(encoding="utf-8")
