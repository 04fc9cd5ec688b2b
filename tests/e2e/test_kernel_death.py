"""Kernels that die for real in the middle of `python -m pipelines run`.

No mocking: each test starts ``python -m pipelines run`` as a process on a copy of the fixture
notebooks plus a report (``ddr.ipynb``) whose cell kills its own kernel with SIGKILL, or waits
to be killed from outside, while it is running. Through environment variables the kernels
inherit, the test chooses how many attempts die (``KERNEL_DEATH_DEATHS``) and how
(``KERNEL_DEATH_HOW``); each attempt appends its kernel's process id to a tally file.

What a user relies on:

* a kernel that dies once is retried and the run exits 0 with a whole executed notebook,
  while the other reports of the run are unaffected;
* a kernel that dies on every attempt fails that report only (exit 1), the run says which
  report and that its kernel died (not that a cell raised), no half-written file is left, and
  the next run recovers;
* a kernel killed from outside is retried the same way;
* no kernel (nor any other process of the run) outlives the run.

Everything runs with MINUSMA_ROOT set to a scratch folder, so the tests never wait for (or
block) a build of the project itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from pipelines.core.errors import ExitCode
from pipelines.render.site import UNPUBLISHED
from tests.support import FIXTURE_NOTEBOOKS, ROOT, render_argv, write_processed

if TYPE_CHECKING:
    import psutil
else:
    psutil = pytest.importorskip("psutil")

pytestmark = pytest.mark.slow

KEY = "test/fr/ddr"  # the report whose kernel dies
RUN_TIMEOUT = 150  # seconds; a run of these fixtures takes 5-15 s

FATAL = """\
import os
import signal
import time
from pathlib import Path

# Set by tests/e2e/test_kernel_death.py; without it this cell does nothing.
folder = os.environ.get("KERNEL_DEATH_DIR", "")
attempt = 0
if folder:
    tally = Path(folder) / f"attempts-{lang}.txt"
    with tally.open("a") as handle:
        handle.write(f"{os.getpid()}\\n")
    attempt = len(tally.read_text().split())
    if attempt <= int(os.environ.get("KERNEL_DEATH_DEATHS", "1")):
        print(f"attempt {attempt}: working", flush=True)
        time.sleep(0.5)  # the output reaches the runner before the kernel goes
        if os.environ.get("KERNEL_DEATH_HOW") == "outside":
            ready = Path(folder) / f"ready-{lang}"
            ready.with_suffix(".tmp").write_text(str(os.getpid()))
            ready.with_suffix(".tmp").rename(ready)
            time.sleep(60)  # the test kills this kernel from outside
        else:
            os.kill(os.getpid(), signal.SIGKILL)
print(f"attempt {attempt}: survived")"""

AFTER = """\
from pipelines.run.sidecars import write_sidecar

write_sidecar(sidecar_path, title="DDR", status="on_track", score=0.5)
print("reached the end")"""


def _dying_notebook() -> nbformat.NotebookNode:
    """A thematic report (``ddr``) whose ``fatal`` cell kills its kernel when told to."""
    parameters = 'roadmap = ""\nlang = "fr"\nas_of = ""\nsince = ""\nprocessed_dir = "../data/processed"\nsidecar_path = ""\nbuild_date = ""'
    return new_notebook(
        cells=[
            new_markdown_cell("# Fixture report whose kernel dies", id="intro"),
            new_code_cell(parameters, id="parameters", metadata={"tags": ["parameters"]}),
            new_code_cell('print("before the fatal cell")', id="before"),
            new_code_cell(FATAL, id="fatal"),
            new_code_cell(AFTER, id="after"),
        ],
        metadata={
            "kernelspec": {"display_name": "MINUSMA roadmap (.venv)", "language": "python", "name": "minusma-roadmap"},
            "language_info": {"name": "python"},
        },
    )


@dataclass
class Project:
    """A scratch project: the fixture benchmark and overview notebooks, the dying ``ddr``, a
    processed folder with only a manifest, and the build folder."""

    base: Path

    @classmethod
    def make(cls, base: Path) -> Project:
        notebooks = base / "notebooks"
        notebooks.mkdir(parents=True)
        for name in ("benchmark.ipynb", "overview.ipynb"):
            shutil.copy(FIXTURE_NOTEBOOKS / name, notebooks / name)
        nbformat.write(_dying_notebook(), notebooks / "ddr.ipynb")
        write_processed(base / "processed")
        return cls(base)

    @property
    def build(self) -> Path:
        return self.base / "build"

    def record(self) -> dict:
        return json.loads((self.build / "run.json").read_text(encoding="utf-8"))["jobs"]


@dataclass
class Finished:
    """One `python -m pipelines run` as seen from outside."""

    code: int
    out: str
    err: str
    deaths: Path  # the folder of the tally (one kernel pid per attempt of the dying cell)
    seen: dict[int, psutil.Process] = field(default_factory=dict)  # every descendant seen
    kernels: set[int] = field(default_factory=set)  # those running ipykernel
    survivors: list[str] = field(default_factory=list)  # descendants alive after the run
    # The build as this run left it (a later run of the same project changes it):
    record: dict = field(default_factory=dict)  # run.json's jobs
    outputs: dict[str, bytes] = field(default_factory=dict)  # executed notebooks, by report
    sidecars: list[str] = field(default_factory=list)
    logs: dict[str, str] = field(default_factory=dict)  # the jobs' logs, by report
    leftovers: list[str] = field(default_factory=list)  # see `_leftovers`

    def attempts(self) -> list[int]:
        """The kernel pid of each attempt of the dying cell."""
        tally = self.deaths / "attempts-fr.txt"
        return [int(pid) for pid in tally.read_text().split()] if tally.exists() else []


def _descendants(parent: psutil.Process) -> list[psutil.Process]:
    try:
        return parent.children(recursive=True)
    except psutil.Error:  # the run itself has just ended
        return []


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _run(
    project: Project,
    *options: str,
    deaths: int,
    how: str = "self",
    while_running: Callable[[Finished], None] | None = None,
) -> Finished:
    """Run the fixture reports in French on two workers; watch the run's process tree until it
    ends, then check that none of its descendants is left alive."""
    runs = sorted(project.base.glob("deaths-*"))
    folder = project.base / f"deaths-{len(runs) + 1}"
    folder.mkdir()
    env = {
        **os.environ,
        "MINUSMA_ROOT": str(project.base),
        "MINUSMA_LOCK_TIMEOUT": "5",
        "KERNEL_DEATH_DIR": str(folder),
        "KERNEL_DEATH_DEATHS": str(deaths),
        "KERNEL_DEATH_HOW": how,
    }
    argv = [
        sys.executable,
        "-m",
        "pipelines",
        "run",
        "--notebooks",
        str(project.base / "notebooks"),
        "--processed",
        str(project.base / "processed"),
        "--build",
        str(project.build),
        "--allow-outside",
        "--lang",
        "fr",
        "--jobs",
        "2",
        *options,
    ]
    out, err = folder / "stdout.txt", folder / "stderr.txt"
    with out.open("w") as stdout, err.open("w") as stderr:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=stdout, stderr=stderr, text=True)
    finished = Finished(code=-1, out="", err="", deaths=folder)
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + RUN_TIMEOUT
    try:
        while proc.poll() is None:
            _watch(parent, finished)
            if while_running is not None:
                while_running(finished)
            if time.monotonic() > deadline:
                pytest.fail(f"the run did not end within {RUN_TIMEOUT} s")
            time.sleep(0.05)
    finally:
        if proc.poll() is None:  # only on a failure of the test: stop what it started
            for process in [parent, *_descendants(parent)]:
                with contextlib.suppress(psutil.Error):
                    process.kill()
        proc.wait(timeout=30)
        finished.code = proc.returncode
        finished.out, finished.err = out.read_text(), err.read_text()
        # Workers and the resource tracker end with the run; give them a few seconds.
        gone_by = time.monotonic() + 10
        while any(_alive(p) for p in finished.seen.values()) and time.monotonic() < gone_by:
            time.sleep(0.1)
        for pid, process in sorted(finished.seen.items()):
            if _alive(process):
                kind = "kernel" if pid in finished.kernels else "process"
                finished.survivors.append(f"{kind} {pid}: {' '.join(_cmdline(process))}")
                process.kill()
    if (project.build / "run.json").exists():
        finished.record = project.record()
    finished.outputs = {
        p.stem: p.read_bytes() for p in sorted((project.build / "notebooks" / "test" / "fr").glob("*.ipynb"))
    }
    finished.sidecars = sorted(p.name for p in (project.build / "sidecars" / "test" / "fr").glob("*.json"))
    finished.logs = {p.stem: p.read_text() for p in sorted((project.build / "logs" / "test" / "fr").glob("*.log"))}
    finished.leftovers = _leftovers(project)
    return finished


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


def _watch(parent: psutil.Process, finished: Finished) -> None:
    """Add the run's current descendants to `finished`; tell kernels by their command line
    (read again on every look: a process seen between fork and exec still shows its parent's)."""
    for child in _descendants(parent):
        finished.seen.setdefault(child.pid, child)
    for pid, process in finished.seen.items():
        if pid not in finished.kernels and any("ipykernel" in part for part in _cmdline(process)):
            finished.kernels.add(pid)


def _code_cells(data: bytes) -> list[nbformat.NotebookNode]:
    """The code cells of an executed notebook, which must be a whole, valid notebook."""
    nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    nbformat.validate(nb)
    return [c for c in nb.cells if c.cell_type == "code"]


def _printed(cells: list[nbformat.NotebookNode]) -> str:
    return "".join(o.get("text", "") for c in cells for o in c.outputs if o.output_type == "stream")


def _errors(cells: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
    return [o for c in cells for o in c.outputs if o.output_type == "error"]


def _leftovers(project: Project) -> list[str]:
    """Half-written files: papermill's partial notebooks and atomic writes that did not finish."""
    return sorted(p.name for p in project.build.rglob("*") if p.name.endswith((".partial.ipynb", ".tmp")))


def _assert_whole_after_retry(run: Finished) -> None:
    """ddr's notebook is its second attempt's, run to the end; nothing half-written is left."""
    cells = {c.id: c for c in _code_cells(run.outputs["ddr"])}
    assert all(c.execution_count is not None for c in cells.values())
    assert not _errors(list(cells.values()))
    assert _printed([cells["fatal"]]) == "attempt 2: survived\n"  # nothing left from the dead attempt
    assert _printed([cells["after"]]) == "reached the end\n"
    assert "ddr.json" in run.sidecars
    entry = run.record[KEY]
    assert entry["status"] == "ok" and entry["error"] is None and entry["attempts"] == 2
    assert entry["sidecar_written"] is True
    assert entry["log"] == "build/logs/test/fr/ddr.log" and "attempt 1: kernel_died" in run.logs["ddr"]  # why twice
    assert not run.leftovers


# --- a kernel that kills itself on the first attempt only --------------------------------------------


@pytest.fixture(scope="module")
def retried_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Finished]:
    project = Project.make(tmp_path_factory.mktemp("retried-once"))
    return project, _run(project, "--only", "A,ddr,overview", deaths=1)


def test_a_kernel_killed_mid_cell_is_retried_and_the_run_succeeds(retried_once: tuple[Project, Finished]) -> None:
    _, run = retried_once
    assert run.code == ExitCode.OK, run.err
    # A real kernel of this run died: the first attempt's, SIGKILLed in the cell; a new one took over.
    first, second = run.attempts()
    assert first != second and {first, second} <= run.kernels
    _assert_whole_after_retry(run)
    # The other reports of the run did not notice: one attempt each, and the overview read
    # the sidecar the retried report wrote.
    for other in ("test/fr/benchmark-A", "test/fr/overview"):
        assert run.record[other]["status"] == "ok" and run.record[other]["attempts"] == 1
    assert "sidecars read: benchmark-A.json, ddr.json\n" in _printed(_code_cells(run.outputs["overview"]))
    assert " failed: " not in run.err and "0 failed" in run.out
    # No kernel, worker or helper of the run outlives it.
    assert not run.survivors, run.survivors


def test_run_json_says_why_a_report_needed_a_second_attempt(retried_once: tuple[Project, Finished]) -> None:
    _, run = retried_once
    entry = run.record[KEY]
    assert entry["status"] == "ok" and entry["attempts"] == 2
    assert "kernel_died" in json.dumps(entry)


# --- a kernel that dies on every attempt ----------------------------------------------------------------


@dataclass
class DiesEveryTime:
    project: Project
    good: Finished  # a first run where the kernel survives
    failed: Finished  # then a forced run where the kernel of ddr dies on both attempts
    render: subprocess.CompletedProcess[str]  # render of what that run left
    recovered: Finished  # then a plain run, the kernel surviving again


@pytest.fixture(scope="module")
def dies_every_time(tmp_path_factory: pytest.TempPathFactory) -> DiesEveryTime:
    project = Project.make(tmp_path_factory.mktemp("dies-every-time"))
    only = ("--only", "A,ddr,overview")
    good = _run(project, *only, deaths=0)
    failed = _run(project, *only, "--force", deaths=99)
    render = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipelines",
            *render_argv(project.build, project.base / "reports", project.base / "processed"),
        ],
        cwd=ROOT,
        env={**os.environ, "MINUSMA_ROOT": str(project.base)},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    recovered = _run(project, *only, deaths=0)
    return DiesEveryTime(project, good, failed, render, recovered)


def test_a_kernel_that_dies_on_every_attempt_fails_that_report_only(dies_every_time: DiesEveryTime) -> None:
    case = dies_every_time
    assert case.good.code == ExitCode.OK, case.good.err
    assert set(case.good.outputs) == {"benchmark-A", "ddr", "overview"}
    run = case.failed
    assert run.code == ExitCode.NOTEBOOK_FAILED, run.err
    # Two real kernels, both killed in the cell; no third attempt.
    assert len(run.attempts()) == 2 and set(run.attempts()) <= run.kernels
    # The message names the report and says its kernel died, not that a cell raised.
    failures = [line for line in run.err.splitlines() if line.startswith("[run] ") and " failed: " in line]
    assert len(failures) == 1, run.err
    assert failures[0].startswith(f"[run] {KEY} failed: the kernel died")
    assert "raised" not in failures[0]
    assert "3 notebook(s)" in run.out and "2 ran" in run.out and "1 failed" in run.out
    # run.json says the same.
    entry = run.record[KEY]
    assert entry["status"] == "failed" and entry["attempts"] == 2
    assert entry["error"]["kind"] == "kernel_died"
    assert entry["error"]["summary"].startswith("the kernel died")
    assert "attempt 1: kernel_died" in run.logs["ddr"] and "attempt 2: kernel_died" in run.logs["ddr"]
    # The other reports still ran and succeeded; benchmark A gives the same bytes as before.
    for other in ("test/fr/benchmark-A", "test/fr/overview"):
        assert run.record[other]["status"] == "ok" and run.record[other]["attempts"] == 1
    assert run.outputs["benchmark-A"] == case.good.outputs["benchmark-A"]
    # Nothing half-written: no partial notebook nor unfinished atomic write, and what stands at
    # ddr's place is a whole notebook. No stale sidecar of ddr is left for the overview to read.
    assert not run.leftovers
    _code_cells(run.outputs["ddr"])
    assert run.sidecars == ["benchmark-A.json"]
    assert "sidecars read: benchmark-A.json\n" in _printed(_code_cells(run.outputs["overview"]))
    # The rendered page of ddr says that its kernel died; it never shows stale content, and,
    # a report having failed, is held back with the others rather than published.
    assert case.render.returncode == ExitCode.NOTEBOOK_FAILED, case.render.stderr
    assert f"[render] {KEY} failed: the kernel died" in case.render.stderr
    assert "the kernel died" in (case.project.build / UNPUBLISHED / "test" / "fr" / "ddr.html").read_text()
    assert not (case.project.base / "reports" / "test").exists()
    assert not run.survivors, run.survivors


def test_the_next_run_after_a_dead_kernel_recovers(dies_every_time: DiesEveryTime) -> None:
    case = dies_every_time
    run = case.recovered
    assert run.code == ExitCode.OK, run.err
    assert run.record[KEY]["status"] == "ok" and run.record[KEY]["reason"] == "ran: its last run failed"
    assert run.record["test/fr/benchmark-A"]["reused"] is True  # unchanged, not re-run
    assert run.record["test/fr/overview"]["status"] == "ok" and run.record["test/fr/overview"]["reused"] is False
    assert run.outputs == case.good.outputs  # back to the bytes of the good run
    assert run.sidecars == ["benchmark-A.json", "ddr.json"]
    assert not run.leftovers
    assert not run.survivors, run.survivors


def test_a_dead_kernel_leaves_the_previous_notebook_or_one_that_says_it_died(dies_every_time: DiesEveryTime) -> None:
    case = dies_every_time
    kept = case.failed.outputs["ddr"]
    says_so = [o for o in _errors(_code_cells(kept)) if "kernel died" in json.dumps(o).lower()]
    assert kept == case.good.outputs["ddr"] or says_so


# --- a kernel killed from outside ----------------------------------------------------------------------


def test_a_kernel_killed_from_outside_is_retried_and_leaves_no_process_behind(tmp_path: Path) -> None:
    project = Project.make(tmp_path)
    killed: list[int] = []

    def kill_the_kernel(run: Finished) -> None:
        ready = run.deaths / "ready-fr"  # the dying cell is running and says in which kernel
        if killed or not ready.exists():
            return
        pid = int(ready.read_text())
        if pid not in run.kernels:  # must be found among the run's descendants, running ipykernel
            return
        run.seen[pid].send_signal(signal.SIGKILL)
        killed.append(pid)

    run = _run(project, "--only", "A,ddr", deaths=1, how="outside", while_running=kill_the_kernel)
    assert killed, f"the dying cell never ran in a kernel found among the run's descendants: {sorted(run.kernels)}"
    assert run.code == ExitCode.OK, run.err
    first, second = run.attempts()
    assert killed == [first] and second != first and second in run.kernels
    _assert_whole_after_retry(run)
    assert run.record["test/fr/benchmark-A"]["status"] == "ok" and run.record["test/fr/benchmark-A"]["attempts"] == 1
    # Every kernel (and worker) of the run is gone once it has ended: benchmark A's, ddr's two.
    assert len(run.kernels) >= 3
    assert not run.survivors, run.survivors
