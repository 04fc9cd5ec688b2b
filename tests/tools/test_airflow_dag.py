"""The Airflow DAG of `python -m pipelines airflow-dag` (`pipelines.tools.airflow_dag`), without
Airflow: planned from the report registry, a file Airflow parses without our package, and
refused before anything is written when it could not run. A run of it in a real Airflow 3 is
tests/e2e/test_airflow.py."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

import pytest

from pipelines.cli import main
from pipelines.core import paths
from pipelines.run import checks, jobs
from pipelines.tools.airflow_dag import BUILD_DATES

#: MONUSCO's roadmap, the smaller: its benchmarks and overview (14 reports in two languages).
MONUSCO = "s-2021-807"


def generate(tmp_path: Path, *options: str) -> tuple[str, dict[str, Any]]:
    """The DAG text for `options`, and its module-level constants as Airflow would read them."""
    out = tmp_path / "dag.py"
    assert main(["airflow-dag", "--output", str(out), *options]) == 0
    text = out.read_text(encoding="utf-8")
    constants = {
        target.id: ast.literal_eval(node.value)
        for node in ast.parse(text).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.isupper()
    }
    return text, constants


def test_one_task_per_report_and_language_of_the_registry_with_each_overview_after_its_reports(
    tmp_path: Path, real_processed: Path
) -> None:
    _, dag = generate(tmp_path)
    roadmaps = jobs.known_roadmaps(real_processed)
    specs = jobs.registry(paths.NOTEBOOKS, roadmaps)
    assert dag["ROADMAPS"] == tuple(r.roadmap_id for r in roadmaps)
    expected = {(s.roadmap, lang, s.report_id) for s in specs for lang in checks.LANGS}
    reports = dag["REPORTS"]
    assert {(r, lang, x) for r, lang, x, _ in reports} == expected and len(reports) == len(expected)
    for roadmap, lang, report, after in reports:
        others = {s.report_id for s in specs if s.roadmap == roadmap and s.kind != "overview"}
        assert set(after) == (others if report == "overview" else set()), (roadmap, lang, report)
    order = [(r, lang, x) for r, lang, x, _ in reports]
    assert all(order.index((r, lang, a)) < order.index((r, lang, x)) for r, lang, x, after in reports for a in after)


def test_the_file_imports_airflow_and_the_standard_library_only_and_its_bytes_depend_on_the_options(
    tmp_path: Path,
) -> None:
    text, dag = generate(tmp_path, "--roadmap", MONUSCO, "--schedule", "none", "--dag-id", "nightly.reports")
    modules = {
        ((node.module or "") if isinstance(node, ast.ImportFrom) else alias.name).partition(".")[0]
        for node in ast.walk(ast.parse(text))
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert modules - set(sys.stdlib_module_names) == {"airflow"}, modules
    assert (dag["PROJECT"], dag["PYTHON"], dag["BUILD_DATE"]) == (str(paths.ROOT), sys.executable, "")
    assert "schedule=None," in text and "dag_id='nightly.reports'," in text
    assert generate(tmp_path, "--roadmap", MONUSCO, "--schedule", "none", "--dag-id", "nightly.reports")[0] == text
    compile(text, "dag.py", "exec")
    # the README's advice to a scheduler: print the day of the run
    assert generate(tmp_path, "--roadmap", MONUSCO, "--build-date-from", "run")[1]["BUILD_DATE"] == BUILD_DATES["run"]


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (("--roadmap", "s-1999-1"), "unknown roadmap s-1999-1"),
        (("--dag-id", "my dag"), "--dag-id 'my dag'"),
        (("--python", "/opt/{{ python }}/bin/python"), "brace"),
        (("--project-root", "/nowhere"), "not a project folder"),
    ],
)
def test_what_the_dag_could_not_run_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: tuple[str, ...], says: str
) -> None:
    assert main(["airflow-dag", "--output", str(tmp_path / "dag.py"), *options]) == 3
    assert says in capsys.readouterr().err and not (tmp_path / "dag.py").exists()
