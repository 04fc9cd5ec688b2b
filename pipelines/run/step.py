"""Step 3, ``python -m pipelines run``: execute the report notebooks with papermill.

Each job (one report in one language, see `pipelines.run.jobs`) runs in a worker process of a
pool, several at once, on the kernel of the project environment that the worker keeps from one
notebook to the next, reset in between (`pipelines.run.kernels`; ``--fresh-kernels`` starts one
for each notebook). Exit code 1 when
any notebook failed; every other report is still executed. The run says, per report, why it
ran or was skipped ("ran: data of benchmark D changed", "skipped: unchanged"); ``--force`` runs
them all.

This module is the step's command line: its options, checked before anything runs, the display
of the jobs (`Progress`: a live table on a terminal, one line per change otherwise) and what it
prints at the end. The work is in modules of one job each:

* `pipelines.run.schedule`: which job runs when, which need not run again, and the record
  ``build/run.json``;
* `pipelines.run.worker`: one job in a pool process, and what went wrong when it failed;
* `pipelines.run.kernels`: the kernel a worker keeps between its jobs, reset to a fresh one's state;
* `pipelines.run.reproducible`: executed notebooks without timestamps, absolute paths or
  random ids, so the same inputs give the same bytes (and then the same HTML).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pipelines.core import paths
from pipelines.core.errors import ExitCode, UsageError
from pipelines.run import checks
from pipelines.run import jobs as jobs_mod
from pipelines.run.jobs import Job, Layout
from pipelines.run.schedule import DEFAULT_CELL_TIMEOUT, cool_down, run_jobs, warmed
from pipelines.run.schedule import warm_up as start_workers

#: `cool_down` is `report`'s, to stop the workers `warm_up` started when no run took them;
#: `warmed` the watch's, to say when its next build's workers are ready.
__all__ = [
    "Progress",
    "add_arguments",
    "check_dates",
    "cool_down",
    "jobs_from_args",
    "main",
    "positive",
    "warm_up",
    "warmed",
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m pipelines run``."""
    parser.description = (
        "Execute the report notebooks with papermill, several at once, into build/notebooks/<roadmap>/<lang>/. "
        "Exit code 1 when a notebook failed (the others still run), 3 on a bad option."
    )
    parser.add_argument(
        "--roadmap",
        default=None,
        metavar="ID[,ID]",
        help="roadmap id(s) of data/raw/roadmaps/, e.g. s-2021-300 (default: every roadmap)",
    )
    parser.add_argument(
        "--only",
        default=None,
        metavar="LIST",
        help="comma-separated benchmark ids and/or report ids, e.g. A,D,overview",
    )
    parser.add_argument("--lang", default=None, help="fr or en (default: both)")
    parser.add_argument(
        "--as-of",
        dest="as_of",
        default=None,
        metavar="YYYY-MM-DD",
        help="assess at this date (default: the latest data)",
    )
    parser.add_argument(
        "--since",
        default=None,
        metavar="YYYY-MM-DD",
        help="list what changed after this date in every report (default: the quarter end before --as-of)",
    )
    parser.add_argument(
        "--build-date",
        dest="build_date",
        default=None,
        metavar="YYYY-MM-DD",
        help="date printed in the reports (default: --as-of, else the latest date in the data; "
        "never the clock, so a rebuild gives the same bytes)",
    )
    parser.add_argument(
        "--jobs",
        type=positive,
        default=os.cpu_count() or 1,
        metavar="N",
        help="notebooks run at once (default: number of cores)",
    )
    parser.add_argument("--force", action="store_true", help="re-run reports whose inputs are unchanged")
    parser.add_argument("--notebooks", type=Path, default=paths.NOTEBOOKS, help="folder of the notebooks")
    parser.add_argument("--processed", type=Path, default=paths.PROCESSED, help="folder of the processed tables")
    parser.add_argument(
        "--build",
        type=Path,
        default=paths.ROOT / "build",
        help="where executed notebooks, sidecars, logs and run.json go (default: build)",
    )
    parser.add_argument("--allow-outside", action="store_true", help="accept folders outside the project")
    parser.add_argument("--kernel", default=paths.KERNEL_NAME, help=f"Jupyter kernel (default: {paths.KERNEL_NAME})")
    parser.add_argument(
        "--cell-timeout",
        type=positive,
        default=DEFAULT_CELL_TIMEOUT,
        metavar="SECONDS",
        help=f"longest a cell may run (default: {DEFAULT_CELL_TIMEOUT})",
    )
    parser.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start a kernel for every notebook (default: each worker keeps its kernel from one "
        "notebook to the next, reset in between: about 1 s a notebook faster)",
    )
    parser.add_argument(
        "--start-timeout",
        type=positive,
        default=60,
        metavar="SECONDS",
        help="longest a kernel may take to start (default: 60)",
    )
    parser.add_argument(
        "--isolated",
        action="store_true",
        help="run beside other runs of the same project, as each report task of the Airflow DAG "
        "does: no project lock, only one per report; each report's entry of the record goes "
        "to build/records/ (folded into build/run.json by the next run or render), each "
        "notebook on a kernel of its own. Give each run other reports (--only, --lang)",
    )
    parser.add_argument("--today", default=None, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)


def positive(text: str) -> int:
    """A count of 1 or more, as an option's type (``--jobs``, the timeouts): argparse turns the
    refusal into a usage error naming the option."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return value


def check_dates(args: argparse.Namespace) -> tuple[str, str, str]:
    """``--as-of``, ``--since`` and ``--build-date``, checked; apart so that `report` refuses a
    wrong date before its first step rather than after ingest and validate."""
    today = date.fromisoformat(checks.check_date(args.today, "--today", date.max)) if args.today else date.today()
    as_of = checks.check_date(args.as_of, "--as-of", today)
    since = checks.check_since(args.since, as_of, today)
    return as_of, since, checks.check_date(args.build_date, "--build-date", today)


def jobs_from_args(args: argparse.Namespace) -> tuple[Layout, list[Job]]:
    """Every check on the options, then the jobs; `UsageError` before anything runs."""
    as_of, since, build_date = check_dates(args)
    root = paths.ROOT
    layout = Layout(
        root=root,
        notebooks=checks.check_path(args.notebooks, "--notebooks", root, args.allow_outside),
        processed=checks.check_path(args.processed, "--processed", root, args.allow_outside),
        build=checks.check_path(args.build, "--build", root, args.allow_outside),
    )
    langs = checks.check_langs(args.lang)
    given = build_date or as_of
    checks.check_kernel(args.kernel)
    roadmaps = jobs_mod.check_roadmaps(args.roadmap, jobs_mod.known_roadmaps(layout.processed))
    specs = jobs_mod.check_only(args.only, jobs_mod.registry(layout.notebooks, roadmaps))
    build_dates = {r.roadmap_id: given or jobs_mod.latest_data_date(layout.processed, r.roadmap_id) for r in roadmaps}
    return layout, jobs_mod.plan(layout, specs, langs, as_of=as_of, build_date=build_dates, since=since)


def warm_up(args: argparse.Namespace, spares: int = 0) -> None:
    """Start the workers and kernels of the run these `args` ask for, ahead of it
    (`schedule.warm_up`; `report` does, while validate runs; the watch mode, with `spares`
    kernels in each worker, between builds). Nothing when there is nothing to run, every
    notebook is to have a kernel of its own, or the arguments are wrong (the run itself says
    what is wrong with them)."""
    try:
        layout, jobs = jobs_from_args(args)
    except UsageError:
        return
    if jobs and not args.fresh_kernels and not getattr(args, "isolated", False):
        start_workers(
            jobs, layout, workers=args.jobs, kernel=args.kernel, start_timeout=args.start_timeout, spares=spares
        )


def main(args: argparse.Namespace) -> int:
    """Check everything, run the jobs, print what failed; 1 when anything failed."""
    try:
        layout, jobs = jobs_from_args(args)
    except UsageError as exc:
        exc.step = exc.step or "run"
        raise
    if not jobs:
        print("[run] nothing to run")
        return ExitCode.OK
    started = time.perf_counter()
    today = date.fromisoformat(args.today) if args.today else None
    results = run_jobs(
        jobs,
        layout,
        workers=args.jobs,
        kernel=args.kernel,
        force=args.force,
        cell_timeout=args.cell_timeout,
        start_timeout=args.start_timeout,
        progress=Progress(jobs),
        today=today,
        fresh_kernels=args.fresh_kernels,
        isolated=args.isolated,
    )
    failed = {k: r for k, r in results.items() if r["status"] != "ok"}
    reused = sum(1 for r in results.values() if r.get("reused"))
    print(
        f"[run] {len(results)} notebook(s) in {time.perf_counter() - started:.1f} s: "
        f"{len(results) - len(failed) - reused} ran, {reused} skipped (unchanged), {len(failed)} failed; "
        f"record in {paths.display(layout.build / 'records' if args.isolated else layout.run_record)}"
    )
    for key, result in sorted(failed.items()):
        print(
            f"[run] {key} failed: {result['error']['summary']}; notebook kept in {result['output']}, "
            f"log in {result['log']}",
            file=sys.stderr,
        )
    return int(ExitCode.NOTEBOOK_FAILED if failed else ExitCode.OK)


class Progress:
    """Each notebook's state (queued, running, done, failed, unchanged) and why it ran or was
    skipped: a live table on a terminal, one line per change otherwise (CI logs)."""

    def __init__(
        self, jobs: Sequence[Job], console: Any = None, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        from rich.console import Console

        self.console = console or Console(stderr=True)
        self.clock = clock
        self.states: dict[str, str] = {job.key: "waiting" for job in jobs}
        self.details: dict[str, str] = {}
        self.reasons: dict[str, str] = {}
        self.live: Any = None
        self.opened = False

    def open(self) -> None:
        if self.opened:
            return
        self.opened = True
        if self.console.is_terminal:
            from rich.live import Live

            self.live = Live(self._table(), console=self.console, refresh_per_second=4, transient=False)
            self.live.__enter__()

    def close(self) -> None:
        if self.live is not None:
            self.live.update(self._table())
            self.live.__exit__(None, None, None)
            self.live = None

    def __enter__(self) -> Progress:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def note(self, text: str) -> None:
        """A sentence about the whole run (`schedule.Display`), on a line of its own: the
        scheduler notes only before the first job is queued, when no table is drawn yet."""
        print(text, file=sys.stderr, flush=True)

    def set(self, key: str, state: str, info: Mapping[str, Any]) -> None:
        self.open()
        if info.get("reason"):
            self.reasons[key] = str(info["reason"])
        if state == "done" and info.get("reused"):
            state = "unchanged"
        self.states[key] = state
        if state == "running" and info.get("attempts", 1) > 1:
            detail = f"attempt {info['attempts']}"
        elif state in ("done", "failed"):
            detail = f"{info.get('duration_s', 0):.1f} s" if state == "failed" or not info.get("reused") else ""
            if state == "failed" and info.get("error"):
                detail += f"  {info['error']['summary'][:100]}"
        else:
            detail = ""
        self.details[key] = detail
        if self.live is not None:
            self.live.update(self._table())
        else:
            line = {
                "queued": self.reasons.get(key, "queued"),
                "unchanged": self.reasons.get(key, "skipped: unchanged"),
            }.get(state, f"{state} {detail}")
            self.console.print(f"[run] {key}: {line}".rstrip(), highlight=False, soft_wrap=True)

    def _table(self) -> Any:
        from rich.table import Table

        styles = {
            "waiting": "dim",
            "queued": "dim",
            "running": "cyan",
            "done": "green",
            "unchanged": "green",
            "failed": "bold red",
        }
        table = Table(title="pipelines run", show_edge=False)
        for column in ("report", "state", "why", "detail"):
            table.add_column(column)
        for key, state in self.states.items():
            table.add_row(
                key, f"[{styles.get(state, '')}]{state}[/]", self.reasons.get(key, ""), self.details.get(key, "")
            )
        return table
