"""Step 3, ``python -m pipelines run``: execute the report notebooks with papermill.

Each job (one report in one language, see `pipelines.run.jobs`) runs in a worker process of a
pool, on its own fresh kernel of the project environment, with the notebooks folder as working
directory so the notebooks' default relative paths work the same as in JupyterLab. Processes,
not threads: papermill changes the working directory, which is global to a process.

* Incremental: a report runs again only when one of its inputs changed since its last good
  run: its notebook, its parameters, the code of `pipelines`, the lock file, the kernel, the
  date it speaks of, the slice of the data it reads (`pipelines.run.slices`), and for the overview
  the sidecars of the others. The run says, per report, why it ran or was skipped
  ("ran: data of benchmark D changed", "skipped: unchanged"); ``--force`` runs them all.
  Nothing is read but small files and the ingest manifest when the data did not change, and
  no worker is started when nothing has to run.
* The overview of a language waits for the other reports of that language: it reads their
  sidecars.
* Great Expectations is never imported in a kernel: notebooks read the stored validation
  results when they describe the data on disk, and when they do not (validate did not run
  after ingest) the runner checks the data once, here, and stores the results first.
* Kernels start lean: ``rfc3987_syntax`` is deferred (`pipelines.run.lazyimports`), charts skip
  their JupyterLab preview (`pipelines.present.renderer.NOTEBOOK_SVG`: render draws them anyway) and a
  finished kernel is stopped at once rather than asked to shut down.
* A kernel that fails to start or dies is retried once; a cell that raised is not (it would
  raise again). The failed notebook is kept, error included, where the good one would be.
* Executed notebooks lose papermill's and nbclient's timestamps and absolute paths, so the
  same inputs give the same bytes (and then the same HTML).
* ``build/run.json`` records every job: status, why it ran, its inputs, error (naming the
  cell), duration, attempts. Timings live there only, never in a report or the manifest.

Exit code 1 when any notebook failed; every other report is still executed.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from pipelines.run import incremental, lazyimports
from pipelines.run import jobs as jobs_mod
from pipelines.core import paths, store
from pipelines.core.errors import ExitCode, UsageError
from pipelines.run.jobs import Job, Layout

#: Failures worth a second attempt: the kernel, not the notebook, went wrong.
RETRYABLE = frozenset({"kernel_start", "kernel_died"})
#: Messages jupyter_client/nbclient raise (as RuntimeError/TimeoutError) when a kernel does not come up.
_START_MESSAGES = ("Kernel didn't respond", "Kernel died before replying", "didn't respond to heartbeats",
                   "Timeout waiting for reply", "Kernel info received message content")
_VOLATILE = ("start_time", "end_time", "duration")
ERROR_MARKER_TAG = "papermill-error-cell-tag"  # papermill.execute.ERROR_MARKER_TAG
DEFAULT_CELL_TIMEOUT = 900
#: Environment variable read by `pipelines.present.renderer.use_report_renderer` (see there).
NOTEBOOK_SVG = "MINUSMA_NOTEBOOK_SVG"


# --- command line --------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m pipelines run``."""
    parser.description = (
        "Execute the report notebooks with papermill, several at once, into build/notebooks/<roadmap>/<lang>/. "
        "Exit code 1 when a notebook failed (the others still run), 3 on a bad option."
    )
    parser.add_argument("--roadmap", default=None, metavar="ID[,ID]",
                        help="roadmap id(s) of data/raw/roadmaps/, e.g. s-2021-300 (default: every roadmap)")
    parser.add_argument("--only", default=None, metavar="LIST",
                        help="comma-separated benchmark ids and/or report ids, e.g. A,D,overview")
    parser.add_argument("--lang", default=None, help="fr or en (default: both)")
    parser.add_argument("--as-of", dest="as_of", default=None, metavar="YYYY-MM-DD",
                        help="assess at this date (default: the latest data)")
    parser.add_argument("--since", default=None, metavar="YYYY-MM-DD",
                        help="list what changed after this date in every report (default: the quarter end "
                             "before --as-of)")
    parser.add_argument("--build-date", dest="build_date", default=None, metavar="YYYY-MM-DD",
                        help="date printed in the reports (default: --as-of, else the latest date in the data; "
                             "never the clock, so a rebuild gives the same bytes)")
    parser.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
                        help="notebooks run at once (default: number of cores)")
    parser.add_argument("--force", action="store_true", help="re-run reports whose inputs are unchanged")
    parser.add_argument("--notebooks", type=Path, default=paths.NOTEBOOKS, help="folder of the notebooks")
    parser.add_argument("--processed", type=Path, default=paths.PROCESSED, help="folder of the processed tables")
    parser.add_argument("--build", type=Path, default=paths.ROOT / "build",
                        help="where executed notebooks, sidecars, logs and run.json go (default: build)")
    parser.add_argument("--allow-outside", action="store_true", help="accept folders outside the project")
    parser.add_argument("--kernel", default=paths.KERNEL_NAME, help=f"Jupyter kernel (default: {paths.KERNEL_NAME})")
    parser.add_argument("--cell-timeout", type=_positive, default=DEFAULT_CELL_TIMEOUT, metavar="SECONDS",
                        help=f"longest a cell may run (default: {DEFAULT_CELL_TIMEOUT})")
    parser.add_argument("--start-timeout", type=_positive, default=60, metavar="SECONDS",
                        help="longest a kernel may take to start (default: 60)")
    parser.add_argument("--today", default=None, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return value


def jobs_from_args(args: argparse.Namespace) -> tuple[Layout, list[Job]]:
    """Every check on the options, then the jobs; `UsageError` before anything runs."""
    today = date.fromisoformat(jobs_mod.check_date(args.today, "--today", date.max)) if args.today else date.today()
    root = paths.ROOT
    layout = Layout(
        root=root,
        notebooks=jobs_mod.check_path(args.notebooks, "--notebooks", root, args.allow_outside),
        processed=jobs_mod.check_path(args.processed, "--processed", root, args.allow_outside),
        build=jobs_mod.check_path(args.build, "--build", root, args.allow_outside),
    )
    langs = jobs_mod.check_langs(args.lang)
    as_of = jobs_mod.check_date(args.as_of, "--as-of", today)
    since = jobs_mod.check_since(args.since, as_of, today)
    given = jobs_mod.check_date(args.build_date, "--build-date", today) or as_of
    jobs_mod.check_kernel(args.kernel)
    roadmaps = jobs_mod.check_roadmaps(args.roadmap, jobs_mod.known_roadmaps(layout.processed))
    specs = jobs_mod.check_only(args.only, jobs_mod.registry(layout.notebooks, roadmaps))
    build_dates = {r.roadmap_id: given or jobs_mod.latest_data_date(layout.processed, r.roadmap_id) for r in roadmaps}
    return layout, jobs_mod.plan(layout, specs, langs, as_of=as_of, build_date=build_dates, since=since)


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
    lazyimports.install()
    today = date.fromisoformat(args.today) if args.today else None
    results = run_jobs(jobs, layout, workers=args.jobs, kernel=args.kernel, force=args.force,
                       cell_timeout=args.cell_timeout, start_timeout=args.start_timeout, today=today)
    failed = {k: r for k, r in results.items() if r["status"] != "ok"}
    reused = sum(1 for r in results.values() if r.get("reused"))
    print(f"[run] {len(results)} notebook(s) in {time.perf_counter() - started:.1f} s: "
          f"{len(results) - len(failed) - reused} ran, {reused} skipped (unchanged), {len(failed)} failed; "
          f"record in {paths.display(layout.run_record)}")
    for key, result in sorted(failed.items()):
        print(f"[run] {key} failed: {result['error']['summary']}; notebook kept in {result['output']}, "
              f"log in {result['log']}", file=sys.stderr)
    return int(ExitCode.NOTEBOOK_FAILED if failed else ExitCode.OK)


# --- scheduling (main process) ---------------------------------------------------------------

def run_jobs(jobs: Sequence[Job], layout: Layout, *, workers: int, kernel: str = paths.KERNEL_NAME,
             force: bool = False, cell_timeout: int = DEFAULT_CELL_TIMEOUT, start_timeout: int = 60,
             progress: Progress | None = None, today: date | None = None) -> dict[str, dict[str, Any]]:
    """Execute `jobs` (dependencies first) on `workers` processes; returns and records, per
    job key, the entry written to ``run.json``."""
    from filelock import FileLock, Timeout

    layout.build.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(layout.build / ".lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise UsageError(f"another run or render is using {paths.display(layout.build)}", step="run") from None
    try:
        ensure_validation(layout, today)
        return _schedule(jobs, layout, workers, kernel, force, cell_timeout, start_timeout,
                         progress or Progress(jobs))
    finally:
        lock.release()


def ensure_validation(layout: Layout, today: date | None = None) -> bool:
    """Make the stored validation results describe the tables on disk, so that no kernel
    re-checks (and imports Great Expectations, seconds each): when they do not, check the
    data once here and store the results (validate's data-quality pages are not written).
    True when a check ran. Nothing happens without processed tables."""
    from pipelines.validate import quality, suites as validation_suites

    processed = layout.processed
    if not all((processed / f"{t}.parquet").exists() for t in validation_suites.SUITE_TABLES):
        return False
    if quality.is_current(quality.read_stored(processed), processed):
        return False
    from pipelines.validate.step import validate_dir

    print("[run] the validation results do not describe the data on disk: checking it once here "
          "(`python -m pipelines validate` also writes the data-quality pages)", file=sys.stderr, flush=True)
    report, _ = validate_dir(processed, layout.root / "expectations", today)
    store.write_json_atomic(processed / store.VALIDATION_RESULTS, report.to_dict())
    return True


def _schedule(jobs: Sequence[Job], layout: Layout, workers: int, kernel: str, force: bool, cell_timeout: int,
              start_timeout: int, progress: Progress) -> dict[str, dict[str, Any]]:
    record = read_record(layout.run_record)
    contract = jobs_mod.check_contracts(jobs)
    planner = incremental.Planner(layout, kernel, record, code=code_checksum(layout.root / "pipelines"))
    pending = {job.key: job for job in jobs}
    running: dict[Future[dict[str, Any]], tuple[Job, incremental.Decision]] = {}
    results: dict[str, dict[str, Any]] = {}
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads (rich, the pool)
    events: Any = None
    pool: ProcessPoolExecutor | None = None

    def submit(job: Job, decision: incremental.Decision) -> None:
        nonlocal pool, events
        if pool is None:  # started on the first job that has to run: none on a no-change run
            events = context.Queue()
            pool = ProcessPoolExecutor(max_workers=max(1, min(workers, len(pending) + 1)), mp_context=context,
                                       initializer=_init_worker, initargs=(events,))
        progress.set(job.key, "queued", {"reason": decision.reason})
        running[pool.submit(_execute, _task(job, layout, kernel, cell_timeout, start_timeout))] = (job, decision)

    def finish(job: Job, entry: dict[str, Any]) -> None:
        results[job.key] = entry
        record["jobs"][job.key] = entry
        record["kernel"] = kernel
        store.write_json_atomic(layout.run_record, record)
        progress.set(job.key, "done" if entry["status"] == "ok" else "failed", entry)

    try:
        while pending or running:
            busy = set(pending) | {j.key for j, _ in running.values()}
            for key, job in list(pending.items()):
                if any(dep in busy and dep != key for dep in job.after):
                    continue
                del pending[key]
                previous = record["jobs"].get(key)
                decision = planner.decide(job, previous, force=force)
                if key in contract:
                    finish(job, _entry(job, layout, decision, status="failed", attempts=0, duration=0.0,
                                       error={"kind": "contract", "summary": contract[key]}))
                elif not decision.run:
                    assert previous is not None
                    finish(job, {**previous, "reused": True, "reason": decision.reason, "inputs": decision.inputs,
                                 "basis": decision.basis, "fingerprint": decision.fingerprint})
                else:
                    submit(job, decision)
            if not running:
                continue
            done, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
            _drain(events, progress)
            for future in done:
                job, decision = running.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # a worker process died (BrokenProcessPool) or could not pickle
                    outcome = {"status": "failed", "attempts": 1, "duration": 0.0, "sidecar_written": False,
                               "error": {"kind": "worker", "summary": f"{type(exc).__name__}: {exc}"}}
                finish(job, _entry(job, layout, decision, **outcome))
        _drain(events, progress)
    except BaseException:
        if pool is not None:  # on Ctrl-C, drop queued jobs; running ones end with their worker
            pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        progress.close()
    if pool is not None:
        pool.shutdown(wait=True)
    return results


def _drain(events: Any, progress: Progress) -> None:
    while events is not None:
        try:
            key, state, attempt = events.get_nowait()
        except Exception:  # queue.Empty
            return
        progress.set(key, state, {"attempts": attempt})


def _task(job: Job, layout: Layout, kernel: str, cell_timeout: int, start_timeout: int) -> dict[str, Any]:
    return {"key": job.key, "notebook": str(job.notebook), "output": str(job.output),
            "sidecar": str(job.sidecar) if job.sidecar else None, "parameters": dict(job.parameters),
            "cwd": str(job.notebook.parent), "kernel": kernel, "cell_timeout": cell_timeout,
            "start_timeout": start_timeout, "log": str(_log_path(job, layout)), "root": str(layout.root)}


def _log_path(job: Job, layout: Layout) -> Path:
    return layout.build / "logs" / job.roadmap / job.lang / f"{job.report_id}.log"


def _entry(job: Job, layout: Layout, decision: incremental.Decision, *, status: str, attempts: int,
           duration: float, error: dict[str, Any] | None = None, sidecar_written: bool = False,
           retries: list[dict[str, Any]] | None = None, output_sha256: str | None = None) -> dict[str, Any]:
    """One job's line in run.json: paths shown relative to the project; `retries` says why
    each attempt before the last one failed (a report that needed two kernels says so)."""
    root = layout.root
    return {
        "report_id": job.report_id, "lang": job.lang, "kind": job.kind, "roadmap": job.roadmap,
        "notebook": paths.display(job.notebook, root), "output": paths.display(job.output, root),
        "sidecar": paths.display(job.sidecar, root) if job.sidecar else None,
        "log": paths.display(_log_path(job, layout), root),
        "parameters": dict(job.parameters), "status": status, "error": error,
        "duration_s": round(duration, 1), "attempts": attempts, "retries": retries or [],
        "fingerprint": decision.fingerprint,
        "reason": decision.reason, "inputs": decision.inputs, "basis": decision.basis,
        "reused": False, "sidecar_written": sidecar_written,
        # what the runner wrote: a notebook another tool later wrote there is never taken for its own
        "output_sha256": output_sha256,
        "reads": {"benchmarks": list(job.reads_benchmarks), "indicators": list(job.reads_indicators),
                  "files": list(job.reads_files)},
    }


def read_record(path: Path) -> dict[str, Any]:
    """The run record (``{"jobs": {key: entry}, "kernel": ...}``); empty when absent or corrupt."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    if not isinstance(record, dict) or not isinstance(record.get("jobs"), dict):
        record = {"jobs": {}}
    return record


#: Kept here so that tests can pin the code hash (`incremental.code_checksum`).
code_checksum = incremental.code_checksum
data_checksum = incremental.data_checksum


# --- the worker (one job in a pool process) ---------------------------------------------------------

_EVENTS: Any = None


def _init_worker(events: Any) -> None:
    """Pool initializer: keep the event queue, send papermill's log lines to stderr (which
    `_execute` points at the job's log file), keep rich/tqdm progress bars out of it. Kernels
    inherit the environment: charts skip their JupyterLab preview (render draws them)."""
    global _EVENTS
    _EVENTS = events
    lazyimports.install()
    os.environ[NOTEBOOK_SVG] = "0"
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(levelname)s %(message)s",
                        force=True)


def _emit(key: str, state: str, attempt: int) -> None:
    if _EVENTS is not None:
        _EVENTS.put((key, state, attempt))


@contextmanager
def _redirect_output(log: Path) -> Iterator[None]:
    """Point file descriptors 1 and 2 at the job's log: the kernel papermill starts inherits
    them, so its warnings land in ``build/logs/<lang>/<report>.log``, not over the progress display."""
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with log.open("wb") as handle:
        os.dup2(handle.fileno(), 1)
        os.dup2(handle.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def _execute(task: dict[str, Any]) -> dict[str, Any]:
    """Run one notebook (twice at most, when its kernel failed); keep it, cleaned, in any case."""
    import papermill as pm

    output = Path(task["output"])
    partial = output.with_name(f".{output.stem}.partial.ipynb")
    sidecar = Path(task["sidecar"]) if task["sidecar"] else None
    started = time.perf_counter()
    kind, error = None, None
    attempt = 0
    retries: list[dict[str, Any]] = []
    with _redirect_output(Path(task["log"])):
        for attempt in (1, 2):
            _emit(task["key"], "running", attempt)
            if error is not None:  # the previous attempt's kernel failed: say so in run.json
                retries.append({"attempt": attempt - 1, **_error_summary(kind or "error", error, None)})
            partial.unlink(missing_ok=True)
            if sidecar is not None:
                sidecar.unlink(missing_ok=True)  # never let a stale sidecar pass for this run's
            output.parent.mkdir(parents=True, exist_ok=True)
            try:
                pm.execute_notebook(task["notebook"], str(partial), parameters=task["parameters"],
                                    kernel_name=task["kernel"], language="python", cwd=task["cwd"],
                                    progress_bar=False, log_output=False, start_timeout=task["start_timeout"],
                                    execution_timeout=task["cell_timeout"], record_timing=False,
                                    extra_arguments=[lazyimports.KERNEL_ARGUMENT], shutdown_kernel="immediate")
                kind, error = None, None
                break
            except Exception as exc:  # noqa: BLE001 - every failure is recorded, none stops the others
                kind, error = classify(exc, partial), exc
                print(f"attempt {attempt}: {kind}: {type(exc).__name__}: {exc}", file=sys.stderr)
                if kind not in RETRYABLE:
                    break
    duration = time.perf_counter() - started
    details = None
    if partial.exists():
        nb = _load(partial)
        if error is not None and first_error(nb) is None:
            mark_interrupted_cell(nb, kind or "error", error)
        nb = clean_notebook(nb, Path(task["root"]), Path(task["notebook"]), output)
        details = first_error(nb)
        store.write_bytes_atomic(output, _dumps(nb))
        partial.unlink()
    if error is None:
        return {"status": "ok", "attempts": attempt, "duration": duration, "retries": retries,
                "sidecar_written": bool(sidecar and sidecar.exists()),
                "output_sha256": store.sha256_file(output) if output.exists() else None}
    return {"status": "failed", "attempts": attempt, "duration": duration, "sidecar_written": False,
            "retries": retries, "error": _error_summary(kind or "error", error, details)}


def classify(exc: BaseException, partial: Path | None = None) -> str:
    """What went wrong: ``cell_error`` (a cell raised), ``cell_timeout``, ``kernel_start``
    (the kernel never answered), ``kernel_died`` (it died while running), ``no_kernel``, or
    ``error``. Only the two kernel kinds are retried."""
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return "cell_error"
    if isinstance(exc, CellTimeoutError):
        return "cell_timeout"
    if isinstance(exc, DeadKernelError):
        return "kernel_died"
    if isinstance(exc, NoSuchKernel):
        return "no_kernel"
    if isinstance(exc, (RuntimeError, TimeoutError)):
        if any(text in str(exc) for text in _START_MESSAGES):
            return "kernel_start"
        if partial is not None and partial.exists() and not _any_cell_started(_load(partial)):
            return "kernel_start"
    return "error"


def _started(cell: Any) -> bool:
    """Whether the kernel began this cell. Papermill's status is no help once it has saved a
    failed run (it marks every pending cell "completed"); its start time and the execution
    count are set only for cells the kernel actually received."""
    return bool(cell.get("metadata", {}).get("papermill", {}).get("start_time")) \
        or cell.get("execution_count") is not None


def _any_cell_started(nb: Any) -> bool:
    return any(_started(c) for c in nb.cells if c.get("cell_type") == "code")


#: What a notebook says in the cell that was running when its run ended without a Python error.
_INTERRUPTED = {"kernel_died": "the kernel died while running this cell",
                "cell_timeout": "this cell ran longer than --cell-timeout and was stopped"}


def mark_interrupted_cell(nb: Any, kind: str, exc: BaseException) -> None:
    """Put an error in the cell that was running when the kernel died (or timed out).

    Papermill saves such a notebook with no error output and every cell marked completed, so
    the kept notebook would look like a clean run that simply stopped early; and without the
    cell, the message could not say where the run ended. The last cell the kernel started is
    the one that was running."""
    started = [c for c in nb.cells if c.get("cell_type") == "code" and _started(c)]
    if not started:
        return
    from nbformat.v4 import new_output

    cell = started[-1]
    text = _INTERRUPTED.get(kind, f"the run ended in this cell ({type(exc).__name__})")
    cell.setdefault("outputs", []).append(new_output("error", ename=type(exc).__name__, evalue=text,
                                                     traceback=[f"{type(exc).__name__}: {text}"]))
    cell.setdefault("metadata", {}).setdefault("papermill", {})["status"] = "failed"
    nb.metadata.setdefault("papermill", {})["exception"] = True


def first_error(nb: Any) -> dict[str, Any] | None:
    """The first cell that raised, numbered as in the source notebook (papermill's injected
    parameters cell and error banners are not counted), with its first line of code."""
    number = 0
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags or ERROR_MARKER_TAG in tags:
            continue
        number += 1
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                lines = [line for line in cell.source.splitlines() if line.strip()]
                return {"cell": number, "cell_id": cell.get("id"), "execution_count": cell.get("execution_count"),
                        "ename": out.get("ename", ""), "evalue": out.get("evalue", ""),
                        "source": lines[0][:120] if lines else ""}
    return None


def _error_summary(kind: str, exc: BaseException, cell: dict[str, Any] | None) -> dict[str, Any]:
    if kind == "cell_error" and cell is not None:
        summary = (f"cell {cell['cell']} (In [{cell['execution_count']}], `{cell['source']}`) raised "
                   f"{cell['ename']}: {cell['evalue']}")
        return {"kind": kind, **cell, "summary": summary[:500]}
    text = str(exc).strip().splitlines()
    message = text[0][:200] if text else ""
    summary = {"cell_timeout": "a cell ran longer than --cell-timeout", "kernel_start": "the kernel did not start",
               "kernel_died": "the kernel died", "no_kernel": "no such kernel"}.get(kind, type(exc).__name__)
    if cell is not None:  # the cell that was running (see `mark_interrupted_cell`)
        summary += f" in cell {cell['cell']} (In [{cell['execution_count']}], `{cell['source']}`)"
    return {"kind": kind, "summary": f"{summary} ({type(exc).__name__}: {message})"[:500]}


# --- executed notebooks, made reproducible ------------------------------------------------------------

def _load(path: Path) -> Any:
    import nbformat

    return nbformat.read(path, as_version=4)


def _dumps(nb: Any) -> bytes:
    import nbformat

    return (nbformat.writes(nb) + "\n").encode("utf-8")


_KERNEL_FILE = re.compile(r"[^\s\"'()<>\x1b]*/ipykernel_\d+/")


def scrub(text: str, root: Path) -> str:
    """Warnings and tracebacks name files by absolute path, and cells by a temporary folder
    holding the kernel's process id: keep the project-relative path and the cell's hash only."""
    return _KERNEL_FILE.sub("ipykernel/", text.replace(f"{root.as_posix()}/", ""))


_ALTAIR_ID = re.compile(r"altair-viz-[0-9a-f]{32}")


def _source_ids(source: Path) -> list[str | None]:
    """Cell ids as written in the source notebook; None where it has none (nbformat < 4.5,
    for which nbformat makes up random ids on every read)."""
    try:
        cells = json.loads(source.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return []
    return [c.get("id") if isinstance(c, dict) else None for c in cells]


def clean_notebook(nb: Any, root: Path, source: Path, output: Path) -> Any:
    """Drop what changes from one run to the next: papermill's start/end times and durations
    (notebook and cells), nbclient's per-cell timings, widget state, absolute paths (in
    papermill's metadata, warnings and tracebacks), random cell ids (those papermill gives the
    cells it inserts, those nbformat makes up for notebooks older than 4.5) and the random
    element ids of Altair's html renderer."""
    meta = nb.metadata.get("papermill")
    if meta is not None:
        for key in _VOLATILE:
            meta.pop(key, None)
        meta["input_path"] = paths.display(source, root)
        meta["output_path"] = paths.display(output, root)
    nb.metadata.pop("widgets", None)
    ids = _source_ids(source)
    charts: dict[str, str] = {}
    number = 0
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                out["text"] = scrub(out.get("text", ""), root)
            elif out.get("output_type") == "error":
                out["traceback"] = [scrub(line, root) for line in out.get("traceback", [])]
            elif "text/html" in out.get("data", {}):  # Altair's html renderer: a random id per chart
                html = out["data"]["text/html"]
                html = "".join(html) if isinstance(html, list) else html
                out["data"]["text/html"] = _ALTAIR_ID.sub(
                    lambda m: charts.setdefault(m.group(0), f"altair-viz-{len(charts) + 1}"), html)
        cell.metadata.pop("execution", None)
        for key in _VOLATILE:
            cell.metadata.get("papermill", {}).pop(key, None)
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"
        elif ERROR_MARKER_TAG in tags:
            cell["id"] = f"papermill-error-{index}"
        else:
            cell["id"] = (ids[number] if number < len(ids) else None) or f"cell-{number + 1}"
            number += 1
    return nb


# --- progress display ----------------------------------------------------------------------------------

class Progress:
    """Each notebook's state (queued, running, done, failed, unchanged) and why it ran or was
    skipped: a live table on a terminal, one line per change otherwise (CI logs)."""

    def __init__(self, jobs: Sequence[Job], console: Any = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
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
            line = {"queued": self.reasons.get(key, "queued"),
                    "unchanged": self.reasons.get(key, "skipped: unchanged")}.get(state, f"{state} {detail}")
            self.console.print(f"[run] {key}: {line}".rstrip(), highlight=False, soft_wrap=True)

    def _table(self) -> Any:
        from rich.table import Table

        styles = {"waiting": "dim", "queued": "dim", "running": "cyan", "done": "green", "unchanged": "green",
                  "failed": "bold red"}
        table = Table(title="pipelines run", show_edge=False)
        for column in ("report", "state", "why", "detail"):
            table.add_column(column)
        for key, state in self.states.items():
            table.add_row(key, f"[{styles.get(state, '')}]{state}[/]", self.reasons.get(key, ""),
                          self.details.get(key, ""))
        return table
