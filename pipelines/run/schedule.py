"""Which job runs when, and what the run record keeps of it: the main process of `run`.

* Incremental: a report runs again only when one of its inputs changed since its last good
  run: its notebook, its parameters, the code of `pipelines`, the lock file, the kernel, the
  date it speaks of, the slice of the data it reads (`pipelines.run.slices`), and for the overview
  the sidecars of the others (`pipelines.run.incremental` decides, and says why). Nothing is
  read but small files and the ingest manifest when the data did not change, and no worker is
  started when nothing has to run (`report` starts them ahead, while validate runs, only when
  ingest brought new data: `warm_up`).
* The overview of a language waits for the other reports of that language: it reads their
  sidecars.
* Great Expectations is never imported in a kernel: notebooks read the stored validation
  results when they describe the data on disk, and when they do not (validate did not run
  after ingest) the runner checks the data once, here, and stores the results first.
* ``build/run.json`` records every job as soon as it ends: status, why it ran, its inputs,
  error (naming the cell), duration, attempts. Timings live there only, never in a report or
  the manifest.
* A run of its own (``run --isolated``, each report task of the Airflow DAG) takes neither the
  project's lock nor the build folder's, only a lock of each of its reports, and writes
  nothing shared: its executed notebooks, sidecars, logs, and its entries of the record in
  ``build/records/<roadmap>/<lang>/<report>.json``, one file each. Reports of other tasks run
  at the same time. The next run that holds the build folder, or render, folds those files
  into ``build/run.json`` (`pipelines.run.records`).

Apart from the command line (`pipelines.run.step`) so that it prints nothing itself: it tells
a `Display` what happens to each job, and the command line decides how that looks.
"""

from __future__ import annotations

import ast
import json
import multiprocessing
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from pipelines.core import lock, paths, store
from pipelines.core.fingerprints import code_checksum
from pipelines.run import incremental, records
from pipelines.run import jobs as jobs_mod
from pipelines.run.jobs import Job, Layout
from pipelines.run.worker import execute, init_worker, warm

#: Longest a cell may run, in seconds, unless ``--cell-timeout`` says otherwise.
DEFAULT_CELL_TIMEOUT = 900
#: What `ensure_validation` says before it checks the data, which takes seconds.
CHECKING_ONCE = (
    "[run] the validation results do not describe the data on disk: checking it once here "
    "(`python -m pipelines validate` also writes the data-quality pages)"
)


class Display(Protocol):
    """What the scheduler tells about the jobs as they go; the command line's
    `pipelines.run.step.Progress` shows it (a live table, or one line per change)."""

    def set(self, key: str, state: str, info: Mapping[str, Any]) -> None:
        """Job `key` is now `state` (queued, running, done, failed); `info`: its reason, attempt or entry."""

    def note(self, text: str) -> None:
        """A sentence about the whole run, not one job."""

    def close(self) -> None:
        """The run is over (or stopped): the display shows its last state."""


def run_jobs(
    jobs: Sequence[Job],
    layout: Layout,
    *,
    workers: int,
    kernel: str = paths.KERNEL_NAME,
    force: bool = False,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
    start_timeout: int = 60,
    progress: Display,
    today: date | None = None,
    fresh_kernels: bool = False,
    isolated: bool = False,
) -> dict[str, dict[str, Any]]:
    """Execute `jobs` (dependencies first) on `workers` processes, each keeping its kernel from
    one notebook to the next (`pipelines.run.kernels`) unless `fresh_kernels`, telling
    `progress` what happens; returns and records, per job key, the entry written to ``run.json``.
    `isolated`: a run beside others (module doc): the locks of its reports only, a kernel of its
    own for each notebook, each entry in its own file of ``build/records`` (`records.fold`)."""
    layout.build.mkdir(parents=True, exist_ok=True)
    if isolated:
        with ExitStack() as held:
            for job in jobs:
                path = records.own(layout.build, job.key, ".lock")
                path.parent.mkdir(parents=True, exist_ok=True)
                held.enter_context(lock.held(path, "run", f"another run of {job.key} is under way"))
            ensure_validation(layout, today, note=progress.note)
            return _schedule(
                jobs, layout, workers, kernel, force, cell_timeout, start_timeout, progress, True, isolated=True
            )
    with lock.build_folder(layout.build, "run"):
        records.fold(layout.build)
        ensure_validation(layout, today, note=progress.note)
        return _schedule(jobs, layout, workers, kernel, force, cell_timeout, start_timeout, progress, fresh_kernels)


def ensure_validation(layout: Layout, today: date | None = None, note: Callable[[str], None] | None = None) -> bool:
    """Make the stored validation results describe the tables on disk, so that no kernel
    re-checks (and imports Great Expectations, seconds each): when they do not, check the
    data once here and store the results (validate's data-quality pages are not written),
    after telling `note` why the run waits (`CHECKING_ONCE`). True when a check ran. Nothing
    happens without processed tables."""
    from pipelines.validate import quality
    from pipelines.validate import suites as validation_suites

    processed = layout.processed
    if not all((processed / f"{t}.parquet").exists() for t in validation_suites.SUITE_TABLES):
        return False
    if quality.is_current(quality.read_stored(processed), processed):
        return False
    from pipelines.validate.step import validate_dir

    if note is not None:
        note(CHECKING_ONCE)
    report, _ = validate_dir(processed, layout.root / "expectations", today)
    store.write_json_atomic(processed / store.VALIDATION_RESULTS, report.to_dict())
    return True


def _schedule(
    jobs: Sequence[Job],
    layout: Layout,
    workers: int,
    kernel: str,
    force: bool,
    cell_timeout: int,
    start_timeout: int,
    progress: Display,
    fresh_kernels: bool,
    isolated: bool = False,
) -> dict[str, dict[str, Any]]:
    record = records.read(layout.run_record)
    if isolated:  # the entries of earlier isolated runs not folded yet are the latest
        record["jobs"].update({key: held["entry"] for _, key, held in records.pending(layout.build)})
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
        if pool is None:  # started on the first job that has to run (or warmed): none on a no-change run
            warmed = None if isolated else _take_warm(workers, kernel, fresh_kernels)
            if warmed is not None:
                pool, events = warmed
            else:
                if not isolated:  # the kept kernels' log is this run's (an isolated run keeps none)
                    _kernel_log(layout).unlink(missing_ok=True)
                events = context.Queue()
                pool = ProcessPoolExecutor(
                    max_workers=max(1, min(workers, len(pending) + 1)),
                    mp_context=context,
                    initializer=init_worker,
                    initargs=(events,),
                )
        progress.set(job.key, "queued", {"reason": decision.reason})
        task = _task(job, layout, kernel, cell_timeout, start_timeout, fresh_kernels)
        running[pool.submit(execute, task)] = (job, decision)

    def finish(job: Job, entry: dict[str, Any], *, save: bool = True) -> None:
        """Record `entry`; saved at once when a notebook ran (the record survives a crash),
        or with the rest of its pass when it only restates a kept run: the record of 46 jobs
        is 120 kB of indented JSON, and saving it once per kept job was most of the planning
        of a run where one figure changed."""
        results[job.key] = entry
        record["jobs"][job.key] = entry
        record["kernel"] = kernel
        if isolated:  # its own file, at once: nothing shared is written
            store.write_json_atomic(
                records.own(layout.build, job.key, ".json"), {"key": job.key, "entry": entry, "kernel": kernel}
            )
        elif save:
            store.write_json_atomic(layout.run_record, record)
        progress.set(job.key, "done" if entry["status"] == "ok" else "failed", entry)

    kept = False  # kept runs recorded in this pass, not yet saved
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
                    finish(
                        job,
                        _entry(
                            job,
                            layout,
                            decision,
                            status="failed",
                            attempts=0,
                            duration=0.0,
                            error={"kind": "contract", "summary": contract[key]},
                        ),
                    )
                elif not decision.run:
                    assert previous is not None
                    finish(
                        job,
                        {
                            **previous,
                            "reused": True,
                            "reason": decision.reason,
                            "inputs": decision.inputs,
                            "basis": decision.basis,
                            "fingerprint": decision.fingerprint,
                        },
                        save=False,
                    )
                    kept = True
                else:
                    submit(job, decision)
            if kept and not isolated:
                store.write_json_atomic(layout.run_record, record)
                kept = False
            if not running:
                continue
            done, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
            _drain(events, progress)
            for future in done:
                job, decision = running.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # noqa: BLE001 - a worker process died (BrokenProcessPool) or could not pickle
                    outcome = {
                        "status": "failed",
                        "attempts": 1,
                        "duration": 0.0,
                        "sidecar_written": False,
                        "error": {"kind": "worker", "summary": f"{type(exc).__name__}: {exc}"},
                    }
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


@dataclass
class _Warm:
    """Workers started ahead of their run (`warm_up`), and what they were started for."""

    pool: ProcessPoolExecutor
    events: Any
    workers: int
    kernel: str
    started: list[Future[None]]


#: The pool `warm_up` started, until a run takes it or `cool_down` stops it.
_WARM: _Warm | None = None


def warm_up(
    jobs: Sequence[Job], layout: Layout, *, workers: int, kernel: str, start_timeout: int = 60, spares: int = 0
) -> None:
    """Start the workers of the run to come now, each with its kept kernel and the modules the
    notebooks of `jobs` import, for the next `run_jobs` with the same workers and kernel to
    take. `report` calls it when ingest brought new data, before validate: after one figure
    changed, a worker's start, its kernel's and the first notebook's imports were about a
    second of the run's few, while validate keeps one core busy importing Great Expectations.
    `spares`: each worker starts that many kernels instead, and gives each notebook one never
    used before (`pipelines.run.kernels`; the watch mode warms its next build so). Workers
    already warmed for the same workers and kernel are kept as they are. Stopped by
    `cool_down` when no run takes it (nothing had to run, or a check failed)."""
    global _WARM
    if _WARM is not None and (_WARM.workers, _WARM.kernel) == (workers, kernel):
        return
    cool_down()
    context = multiprocessing.get_context("spawn")
    _kernel_log(layout).unlink(missing_ok=True)  # the kept kernels' log is this run's
    events = context.Queue()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init_worker, initargs=(events,))
    task = {
        "kernel": kernel,
        "cwd": str(layout.notebooks),
        "start_timeout": start_timeout,
        "kernel_log": str(_kernel_log(layout)),
        "modules": sorted(notebook_imports({j.notebook for j in jobs})),
        "spares": spares,
    }
    # one each: a warm-up lasts seconds, so each goes to a worker of its own
    started = [pool.submit(warm, task) for _ in range(workers)]
    _WARM = _Warm(pool, events, workers, kernel, started)


def warmed() -> bool:
    """Whether the workers `warm_up` started are ready (or there are none to wait for)."""
    warm = _WARM
    return warm is None or all(future.done() for future in warm.started)


def _take_warm(workers: int, kernel: str, fresh_kernels: bool) -> tuple[ProcessPoolExecutor, Any] | None:
    """The warmed pool and its event queue, if it was started for these workers and kernel."""
    global _WARM
    if (
        _WARM is None
        or fresh_kernels
        or (_WARM.workers, _WARM.kernel) != (workers, kernel)
        or getattr(_WARM.pool, "_broken", False)  # a worker died while it waited (the watch's wait for hours)
    ):
        cool_down()
        return None
    warmed, _WARM = _WARM, None
    return warmed.pool, warmed.events


def cool_down() -> None:
    """Stop the warmed workers no run took: each stops its kernel as it leaves."""
    global _WARM
    if _WARM is not None:
        warmed, _WARM = _WARM, None
        warmed.pool.shutdown(wait=True, cancel_futures=True)


def notebook_imports(notebooks: Iterable[Path]) -> set[str]:
    """The modules the code cells of `notebooks` import at their top level, and for ``from m
    import n`` also ``m.n`` (which may be a submodule); cells that are not plain Python
    (IPython magics) are left out."""
    found: set[str] = set()
    for notebook in notebooks:
        for cell in json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            try:
                tree = ast.parse(source if isinstance(source, str) else "".join(source))
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.Import):
                    found |= {alias.name for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _drain(events: Any, progress: Display) -> None:
    while events is not None:
        try:
            key, state, attempt = events.get_nowait()
        except Exception:  # noqa: BLE001 - queue.Empty; the progress display never stops a build
            return
        progress.set(key, state, {"attempts": attempt})


def _task(
    job: Job, layout: Layout, kernel: str, cell_timeout: int, start_timeout: int, fresh_kernels: bool
) -> dict[str, Any]:
    """What a worker needs to run `job`; ``kernel_log`` (where a kept kernel writes its own
    messages) asks it to keep its kernel for the next job, None for a kernel of the job's own."""
    return {
        "key": job.key,
        "notebook": str(job.notebook),
        "output": str(job.output),
        "sidecar": str(job.sidecar) if job.sidecar else None,
        "parameters": dict(job.parameters),
        "cwd": str(job.notebook.parent),
        "kernel": kernel,
        "cell_timeout": cell_timeout,
        "start_timeout": start_timeout,
        "log": str(_log_path(job, layout)),
        "root": str(layout.root),
        "kernel_log": None if fresh_kernels else str(_kernel_log(layout)),
    }


def _log_path(job: Job, layout: Layout) -> Path:
    return layout.build / "logs" / job.roadmap / job.lang / f"{job.report_id}.log"


def _kernel_log(layout: Layout) -> Path:
    """Where the kernels the workers keep write their own messages (a notebook's outputs stay
    in the notebook): one log for the run, since a kernel outlives the report it started for."""
    return layout.build / "logs" / "kernels.log"


def _entry(
    job: Job,
    layout: Layout,
    decision: incremental.Decision,
    *,
    status: str,
    attempts: int,
    duration: float,
    error: dict[str, Any] | None = None,
    sidecar_written: bool = False,
    retries: list[dict[str, Any]] | None = None,
    output_sha256: str | None = None,
) -> dict[str, Any]:
    """One job's line in run.json: paths shown relative to the project; `retries` says why
    each attempt before the last one failed (a report that needed two kernels says so)."""
    root = layout.root
    return {
        "report_id": job.report_id,
        "lang": job.lang,
        "kind": job.kind,
        "roadmap": job.roadmap,
        "notebook": paths.display(job.notebook, root),
        "output": paths.display(job.output, root),
        "sidecar": paths.display(job.sidecar, root) if job.sidecar else None,
        "log": paths.display(_log_path(job, layout), root),
        "parameters": dict(job.parameters),
        "status": status,
        "error": error,
        "duration_s": round(duration, 1),
        "attempts": attempts,
        "retries": retries or [],
        "fingerprint": decision.fingerprint,
        "reason": decision.reason,
        "inputs": decision.inputs,
        "basis": decision.basis,
        "reused": False,
        "sidecar_written": sidecar_written,
        # what the runner wrote: a notebook another tool later wrote there is never taken for its own
        "output_sha256": output_sha256,
        "reads": {
            "benchmarks": list(job.reads_benchmarks),
            "indicators": list(job.reads_indicators),
            "files": list(job.reads_files),
        },
    }


#: The record's reader, where it always was.
read_record = records.read
