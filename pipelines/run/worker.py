"""One job in a pool process: a notebook executed by papermill, and what went wrong when it
failed.

Processes, not threads: papermill changes the working directory, which is global to a
process. Each job runs with the notebooks folder as working directory, so the notebooks'
default relative paths work the same as in JupyterLab, and with file descriptors 1 and 2
pointed at its log, so the kernel's warnings never cross the progress display. Kernels start
lean: imports nothing here uses are deferred (`pipelines.run.lazyimports`), charts skip their
JupyterLab preview and Altair's check of each part as it is built (`RUNNER_KERNEL`), and the
worker keeps its kernel for its next notebook (`pipelines.run.kernels`) when the task names a
log for it; otherwise a finished kernel is stopped at once rather than asked to shut down.

A kernel that fails to start or dies is retried once (`RETRYABLE`); a cell that raised is not
(it would raise again). The failed notebook is kept, error included, where the good one would
be, with the cell that was running marked when the kernel died or timed out.

Apart from the scheduler (`pipelines.run.schedule`) because all of this runs in another
process: it receives a picklable task and returns a picklable outcome, nothing else.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipelines.core import store
from pipelines.present.renderer import RUNNER_KERNEL
from pipelines.run import kernels, lazyimports
from pipelines.run.reproducible import ERROR_MARKER_TAG, clean_notebook

#: Failures worth a second attempt: the kernel, not the notebook, went wrong.
RETRYABLE = frozenset({"kernel_start", "kernel_died"})
#: Messages jupyter_client/nbclient raise (as RuntimeError/TimeoutError) when a kernel does not come up.
_START_MESSAGES = (
    "Kernel didn't respond",
    "Kernel died before replying",
    "didn't respond to heartbeats",
    "Timeout waiting for reply",
    "Kernel info received message content",
)
#: Where this process tells the scheduler (job key, state, attempt); set by `init_worker`.
_EVENTS: Any = None


def init_worker(events: Any) -> None:
    """Pool initializer: keep the event queue, send papermill's log lines to stderr (which
    `execute` points at the job's log file), keep rich/tqdm progress bars out of it. Kernels
    inherit the environment: charts skip what only JupyterLab needs (`RUNNER_KERNEL`)."""
    global _EVENTS
    _EVENTS = events
    lazyimports.install()
    os.environ[RUNNER_KERNEL] = "1"
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(levelname)s %(message)s", force=True
    )


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


def warm(task: dict[str, Any]) -> None:
    """Get this worker ready for its first notebook while the build's checks still run: import
    papermill here (with the runner's engine), start the kept kernel and import in it the
    modules the notebooks import (`kernels.warm`). `task`: `execute`'s fields for the kernel,
    with ``modules``, and ``spares``: how many kernels to start, each for one notebook only
    (none: one kernel, kept from one notebook to the next)."""
    importlib.import_module("pipelines.run.engine")  # papermill with it: now, not in the first notebook's time

    kernels.warm(
        task["kernel"],
        [lazyimports.KERNEL_ARGUMENT],
        task["cwd"],
        task["start_timeout"],
        Path(task["kernel_log"]),
        task["modules"],
        task.get("spares", 0),
    )


def execute(task: dict[str, Any]) -> dict[str, Any]:
    """Run one notebook (twice at most, when its kernel failed); keep it, cleaned, in any case."""
    import papermill as pm

    from pipelines.run import engine  # papermill's, imported with it: not at the CLI's start

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
                km = (
                    kernels.lease(
                        task["kernel"],
                        [lazyimports.KERNEL_ARGUMENT],
                        task["cwd"],
                        task["start_timeout"],
                        Path(task["kernel_log"]),
                    )
                    if task.get("kernel_log")
                    else None
                )
                pm.execute_notebook(
                    task["notebook"],
                    str(partial),
                    parameters=task["parameters"],
                    engine_name=engine.register(),
                    km=km,
                    kernel_name=task["kernel"],
                    language="python",
                    cwd=task["cwd"],
                    progress_bar=False,
                    log_output=False,
                    start_timeout=task["start_timeout"],
                    execution_timeout=task["cell_timeout"],
                    record_timing=False,
                    extra_arguments=[lazyimports.KERNEL_ARGUMENT],
                    shutdown_kernel="immediate",
                )
                kind, error = None, None
                break
            except Exception as exc:  # noqa: BLE001 - every failure is recorded, none stops the others
                kind, error = classify(exc, partial), exc
                print(f"attempt {attempt}: {kind}: {type(exc).__name__}: {exc}", file=sys.stderr)
                if kind not in RETRYABLE:
                    break
            finally:
                kernels.release(keep=error is None)
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
        return {
            "status": "ok",
            "attempts": attempt,
            "duration": duration,
            "retries": retries,
            "sidecar_written": bool(sidecar and sidecar.exists()),
            "output_sha256": store.sha256_file(output) if output.exists() else None,
        }
    return {
        "status": "failed",
        "attempts": attempt,
        "duration": duration,
        "sidecar_written": False,
        "retries": retries,
        "error": _error_summary(kind or "error", error, details),
    }


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
    return (
        bool(cell.get("metadata", {}).get("papermill", {}).get("start_time")) or cell.get("execution_count") is not None
    )


def _any_cell_started(nb: Any) -> bool:
    return any(_started(c) for c in nb.cells if c.get("cell_type") == "code")


#: What a notebook says in the cell that was running when its run ended without a Python error.
_INTERRUPTED = {
    "kernel_died": "the kernel died while running this cell",
    "cell_timeout": "this cell ran longer than --cell-timeout and was stopped",
}


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
    cell.setdefault("outputs", []).append(
        new_output("error", ename=type(exc).__name__, evalue=text, traceback=[f"{type(exc).__name__}: {text}"])
    )
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
                return {
                    "cell": number,
                    "cell_id": cell.get("id"),
                    "execution_count": cell.get("execution_count"),
                    "ename": out.get("ename", ""),
                    "evalue": out.get("evalue", ""),
                    "source": lines[0][:120] if lines else "",
                }
    return None


def _error_summary(kind: str, exc: BaseException, cell: dict[str, Any] | None) -> dict[str, Any]:
    if kind == "cell_error" and cell is not None:
        summary = (
            f"cell {cell['cell']} (In [{cell['execution_count']}], `{cell['source']}`) raised "
            f"{cell['ename']}: {cell['evalue']}"
        )
        return {"kind": kind, **cell, "summary": summary[:500]}
    text = str(exc).strip().splitlines()
    message = text[0][:200] if text else ""
    summary = {
        "cell_timeout": "a cell ran longer than --cell-timeout",
        "kernel_start": "the kernel did not start",
        "kernel_died": "the kernel died",
        "no_kernel": "no such kernel",
    }.get(kind, type(exc).__name__)
    if cell is not None:  # the cell that was running (see `mark_interrupted_cell`)
        summary += f" in cell {cell['cell']} (In [{cell['execution_count']}], `{cell['source']}`)"
    return {"kind": kind, "summary": f"{summary} ({type(exc).__name__}: {message})"[:500]}


def _load(path: Path) -> Any:
    import nbformat

    return nbformat.read(path, as_version=4)


def _dumps(nb: Any) -> bytes:
    import nbformat

    return (nbformat.writes(nb) + "\n").encode("utf-8")
