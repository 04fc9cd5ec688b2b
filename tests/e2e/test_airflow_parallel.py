"""The DAG of `python -m pipelines airflow-dag --parallel 2` on a real parallel executor:
Airflow 3's LocalExecutor on a private PostgreSQL cluster (`pipelines.tools.airflow_local`;
``.ci/run`` installs Debian's ``postgresql``). Two report tasks run at the same time (their
intervals overlap: neither waits for a project-wide lock) and the build writes what `make
report` writes, byte for byte. Kept short: two reports of one roadmap in one language."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.tools import airflow_local, verify
from tests.support import ROOT as PROJECT
from tests.tools.test_airflow_dag import MONUSCO

AIRFLOW = PROJECT / ".airflow-venv" / "bin" / "airflow"
#: Five benchmarks of MONUSCO in French: report tasks of a few seconds each, enough of them that
#: two run at once even when the scheduler's loop starts the first alone (two tasks alone could
#: end up one after the other, each finished before the scheduler's next pass).
SUBSET = ("--roadmap", MONUSCO, "--only", "POC,SSR,DDR,ELEC,WDR", "--lang", "fr")


def deploy(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    root.mkdir()
    verify.copy_inputs(PROJECT, root)
    return root


@pytest.mark.slow
def test_report_tasks_run_at_once_on_the_local_executor_and_write_what_make_report_writes(tmp_path: Path) -> None:
    made = subprocess.run(
        ["make", "-C", str(PROJECT), "airflow"], capture_output=True, text=True, timeout=1800, check=False
    )
    if made.returncode != 0 or not AIRFLOW.exists():
        message = f"`make airflow` could not create .airflow-venv: {made.stderr[-1500:]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    by_report = deploy(tmp_path, "make-report")
    done = subprocess.run(
        [sys.executable, "-m", "pipelines", "report", *SUBSET],
        cwd=by_report,
        env={**os.environ, "MINUSMA_ROOT": str(by_report)},
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    by_dag = deploy(tmp_path, "dag")
    try:
        with airflow_local.local_airflow(AIRFLOW, parallelism=2) as airflow:
            assert (
                main(
                    [
                        "airflow-dag",
                        "--project-root",
                        str(by_dag),
                        *SUBSET,
                        "--parallel",
                        "2",
                        "--schedule",
                        "none",
                        "--dag-id",
                        "parallel",
                        "--output",
                        str(airflow.dags / "parallel.py"),
                    ]
                )
                == 0
            )
            state, tasks = airflow.run_dag("parallel")
            logs = {p.name: p.read_text(errors="replace")[-1500:] for p in airflow.home.glob("*.log")}
    except airflow_local.Unavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))  # CI installs PostgreSQL (.ci/run)
        pytest.skip(str(exc))
    assert state == "success" and {t.state for t in tasks} == {"success"}, (tasks, logs)
    reports = [t for t in tasks if t.task_id.startswith(f"{MONUSCO}.fr.")]
    assert len(reports) == 5
    assert airflow_local.overlapping(reports) == 2, reports  # both report tasks ran at the same time
    assert verify.compare(by_report, by_dag) == []
    assert len(verify.outputs(by_dag)) > 10
    assert not list((by_dag / "build" / "records").glob("*/*/*.json"))  # render folded them into run.json
