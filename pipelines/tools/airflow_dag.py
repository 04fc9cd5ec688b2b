"""``python -m pipelines airflow-dag``: write an Airflow DAG that builds the reports, one task per
report and language.

The DAG is planned here, from the project's own registry (`pipelines.jobs`: which reports each
roadmap has, and that an overview waits for the other reports of its language), and written
as a plain Python file that imports Airflow and the standard library only: Airflow parses it in
its own environment, which has neither our package nor its dependencies. What the tasks need
of the project (its folder, its Python) is written into the file as constants.

Each task calls our command line (`BashOperator`) rather than papermill (`PapermillOperator`):
papermill alone would skip what `pipelines run` adds around a notebook, namely the incremental
skip of an unchanged report, the retry of a dead kernel, the cleaning that makes an executed
notebook byte-identical from one run to the next, the sidecars and ``build/run.json`` that
`render` and the overview read, and the lock. So the DAG writes the reports ``make report``
writes, byte for byte, and a scheduled run with nothing new costs seconds.

Report tasks run in parallel, up to ``--parallel`` at once (the DAG's ``max_active_tasks``):
each calls ``run --isolated``, which takes no project-wide lock, only its report's, and writes
only that report's outputs (executed notebook, sidecar, log, and its entry of the record under
``build/records/``); ingest, validate and render keep the project's lock, and render folds the
report tasks' entries into ``build/run.json`` (`pipelines.run.records`). The outputs are the same
bytes at any ``--parallel``.

The plan comes from ``data/raw`` as ingest reads it now (not from the last build's tables), so
a DAG is never generated from stale data; generate it again when a roadmap gains or loses a
benchmark or a thematic report. Same options and inputs, same bytes.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipelines.core import paths, store
from pipelines.core.errors import ExitCode, UsageError

DEFAULT_DAG_ID = "minusma_roadmap_reports"
#: Nightly at 02:00, as the README's cron line.
DEFAULT_SCHEDULE = "0 2 * * *"
#: The --build-date each `run` task passes, by --build-date-from: none (the latest date the data
#: knows, as `make report`), or the day the DAG run was due (always set in Airflow 3, unlike the
#: logical date of a manual run).
BUILD_DATES = {"data": "", "run": "{{ dag_run.run_after | ds }}"}
#: Airflow's rule for a DAG id (airflow.utils.helpers.KEY_REGEX), at most 250 characters.
_DAG_ID = re.compile(r"[\w.-]{1,250}")
#: What may not appear in a path written into the DAG: quotes and backslashes (Python and bash
#: literals), braces (Airflow renders the bash command as a Jinja template), control characters.
_UNSAFE_PATH = re.compile(r"[\"'\\{}\x00-\x1f\x7f]")
TEMPLATE = Path(__file__).parent / "templates" / "airflow_dag.py.j2"


@dataclass(frozen=True)
class Task:
    """One `run` task of the DAG: a report of a roadmap in a language, and the reports of the
    same roadmap and language it waits for."""

    roadmap: str
    lang: str
    report: str
    after: tuple[str, ...]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m pipelines airflow-dag``."""
    parser.description = (
        "Write an Airflow (3.x) DAG file that builds the reports: ingest, validate, one task per report and "
        "language (each overview after the other reports of its language), then render, each task calling "
        "`python -m pipelines` in the project. Exit codes 1, 2 and 3 fail a task without retry; a killed "
        "process is retried once. Copy or write the file into Airflow's dags folder."
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="FILE",
        help="where to write the DAG file, e.g. $AIRFLOW_HOME/dags/minusma_roadmap.py (default: standard output)",
    )
    parser.add_argument(
        "--project-root",
        dest="project_root",
        type=Path,
        default=paths.ROOT,
        metavar="DIR",
        help="the project folder the tasks build in, as MINUSMA_ROOT: its data/raw and notebooks "
        "are planned from, its data/, build/ and reports/ written (default: this project, "
        f"{paths.ROOT})",
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        metavar="PATH",
        help="the Python the tasks run, the project's environment with the notebooks' kernel "
        f"(default: the one running this command, {sys.executable})",
    )
    parser.add_argument(
        "--roadmap",
        default=None,
        metavar="ID[,ID]",
        help="only these roadmaps' reports (default: every roadmap of data/raw)",
    )
    parser.add_argument(
        "--schedule",
        default=DEFAULT_SCHEDULE,
        help=f"Airflow schedule: a cron line or a preset such as @daily; 'none' for runs "
        f"triggered by hand only (default: {DEFAULT_SCHEDULE!r}, nightly at 02:00)",
    )
    parser.add_argument("--dag-id", dest="dag_id", default=DEFAULT_DAG_ID, help=f"default: {DEFAULT_DAG_ID}")
    parser.add_argument(
        "--parallel",
        type=_count,
        default=1,
        metavar="N",
        help="report tasks at once (the DAG's max_active_tasks; default: 1). Each report task "
        "takes no project-wide lock, so N workers of a parallel executor build N reports at "
        "once; the outputs are the same bytes",
    )
    parser.add_argument(
        "--only",
        default=None,
        metavar="LIST",
        help="only these reports (benchmark or report ids, as `run --only`; default: all)",
    )
    parser.add_argument("--lang", default=None, help="fr or en (default: both)")
    parser.add_argument(
        "--build-date-from",
        dest="build_date_from",
        choices=tuple(BUILD_DATES),
        default="data",
        help="the build date the reports print: 'data', the latest date the data knows, as "
        "`make report` (default); 'run', the day the DAG run was due",
    )


def _count(text: str) -> int:
    from pipelines.run.step import positive

    return positive(text)


def tasks(
    project_root: Path, roadmap: str | None, only: str | None = None, lang: str | None = None
) -> tuple[list[str], list[Task]]:
    """The roadmaps and the `run` tasks of a DAG for `project_root`, planned by `pipelines.jobs`
    from the tables ingest makes of its data/raw now. Each task's ``--only`` is checked to
    select its report alone (a benchmark id and a report id could otherwise meet)."""
    from pipelines.ingest import step as ingest
    from pipelines.run import checks, jobs

    tables = ingest.ingest(project_root / "data" / "raw").tables
    roadmaps = jobs.check_roadmaps(
        roadmap, jobs.roadmap_plans(tables["roadmaps"], tables["benchmarks"], tables["indicators"])
    )
    layout = jobs.Layout(
        root=project_root,
        notebooks=project_root / "notebooks",
        processed=project_root / "data" / "processed",
        build=project_root / "build",
    )
    specs = jobs.registry(layout.notebooks, roadmaps)
    for spec in specs:
        selected = jobs.check_only(spec.report_id, [s for s in specs if s.roadmap == spec.roadmap])
        if selected != [spec]:
            raise UsageError(
                f"--only {spec.report_id} would select {[s.report_id for s in selected]} of "
                f"{spec.roadmap}, not that report alone",
                step="airflow-dag",
            )
    chosen = jobs.check_only(only, specs) if only else specs
    planned = jobs.plan(layout, chosen, checks.check_langs(lang), as_of="", build_date="")
    return [r.roadmap_id for r in roadmaps], [
        Task(j.roadmap, j.lang, j.report_id, tuple(key.rsplit("/", 1)[1] for key in j.after)) for j in planned
    ]


def render_dag(
    *,
    project_root: Path,
    python: str,
    roadmaps: Sequence[str],
    planned: Sequence[Task],
    dag_id: str,
    schedule: str | None,
    build_date: str,
    command: str,
    parallel: int = 1,
) -> str:
    """The text of the DAG file."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE.parent)),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["py"] = repr  # strings, None and tuples of them: Python literals the DAG reads back
    return env.get_template(TEMPLATE.name).render(
        project=str(project_root),
        python=python,
        roadmaps=tuple(roadmaps),
        dag_id=dag_id,
        schedule=schedule,
        build_date=build_date,
        command=command,
        parallel=parallel,
        reports=[(t.roadmap, t.lang, t.report, t.after) for t in planned],
    )


def _written_path(text: str, what: str) -> str:
    """An absolute path that can be written into the DAG's Python, bash and Jinja as it is."""
    if not os.path.isabs(text):
        raise UsageError(
            f"{what} {text} must be an absolute path: Airflow runs the tasks from another folder", step="airflow-dag"
        )
    if _UNSAFE_PATH.search(text):
        raise UsageError(f"{what} {text!r} holds a quote, backslash, brace or control character", step="airflow-dag")
    return text


def main(args: argparse.Namespace) -> int:
    """Plan the DAG, write it (atomically: Airflow may parse the folder at any moment)."""
    root = Path(os.path.abspath(args.project_root))
    _written_path(str(root), "--project-root")
    python = _written_path(os.path.abspath(args.python), "--python")
    if not (root / "data" / "raw").is_dir() or not (root / "notebooks").is_dir():
        raise UsageError(
            f"--project-root {root} holds no data/raw and notebooks: not a project folder", step="airflow-dag"
        )
    if not _DAG_ID.fullmatch(args.dag_id):
        raise UsageError(
            f"--dag-id {args.dag_id!r}: Airflow takes letters, digits, '_', '.' and '-' only", step="airflow-dag"
        )
    try:
        roadmaps, planned = tasks(root, args.roadmap, args.only, args.lang)
    except UsageError as exc:
        exc.step = exc.step or "airflow-dag"
        raise
    schedule = None if args.schedule.strip().lower() == "none" else args.schedule.strip()
    command = shlex.join(
        [
            python,
            "-m",
            "pipelines",
            "airflow-dag",
            "--project-root",
            str(root),
            "--python",
            python,
            *(["--roadmap", args.roadmap] if args.roadmap else []),
            *(["--only", args.only] if args.only else []),
            *(["--lang", args.lang] if args.lang else []),
            *(["--parallel", str(args.parallel)] if args.parallel != 1 else []),
            "--schedule",
            args.schedule,
            "--dag-id",
            args.dag_id,
            "--build-date-from",
            args.build_date_from,
        ]
    )
    text = render_dag(
        project_root=root,
        python=python,
        roadmaps=roadmaps,
        planned=planned,
        dag_id=args.dag_id,
        schedule=schedule,
        build_date=BUILD_DATES[args.build_date_from],
        command=command,
        parallel=args.parallel,
    )
    if args.output is None:
        sys.stdout.write(text)
        return ExitCode.OK
    store.write_bytes_atomic(args.output, text.encode("utf-8"))
    print(
        f"[airflow-dag] wrote {paths.display(args.output)}: DAG {args.dag_id!r}, {len(planned)} report task(s) "
        f"of {', '.join(roadmaps)}; put it in Airflow's dags folder",
        file=sys.stderr,
    )
    return ExitCode.OK
