"""``make bench`` (``python -m pipelines.tools.bench``): speed and memory of the build, in one table.

Everything runs in a scratch copy of the project (never in data/raw or the project's outputs),
each measurement in its own process, whose wall time and peak resident memory (its own and
its children's: workers, kernels) are read from the operating system when it ends:

* the report run: a cold full run on ``--jobs`` workers (28 notebooks), the same notebooks
  and parameters in a plain sequential papermill loop (what a script or Airflow task would
  do), a run with nothing changed, the whole ``report`` with nothing changed, and a run after
  one figure of benchmark D changed (then ingest and validate are timed too), with the
  reports that ran;
* the status history of every quarter of the shipped roadmaps and the changes of their last
  quarter, computed in one process (`pipelines.analysis.history`), and the same at a million rows;
* the data steps at scale: synthetic subnational monthly observations
  (`pipelines.tools.synthetic`) at each of ``--sizes`` rows through ingest and validate, then the
  report of the synthetic benchmark Z through run and render, with its HTML size against the
  1.5 MB budget.

Figures depend on the machine (printed above the table) and on what else runs on it.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pipelines.core import paths
from pipelines.tools.verify import copy_inputs

#: The figure changed for "one benchmark's data changed": the latest running total of DDR
#: integrations (benchmark D), which the headline of D's report shows.
CHANGED_FILE = "data/raw/observations/ddr.csv"
CHANGED_INDICATOR = "ddr_integrated_cumulative"
HTML_BUDGET = 1_500_000

#: The plain loop: papermill's Python API over the jobs, one after the other, as a script would.
LOOP = """import json, sys
import papermill as pm
for job in json.load(open(sys.argv[1])):
    pm.execute_notebook(job["notebook"], job["output"], parameters=job["parameters"], kernel_name=job["kernel"],
                        cwd=job["cwd"], progress_bar=False)
"""

#: The status history of every roadmap, then the changes of its last quarter, in one process;
#: prints the two compute times (imports and loading excluded: the targets are the sums').
HISTORY_TIMING = """import json, sys, time
from pipelines.analysis import history, views
tables = views.Tables.load(sys.argv[1])
ids = tables.roadmaps["roadmap_id"].to_list()
started = time.perf_counter()
for rid in ids:
    own = tables.for_roadmap(rid)
    history.status_history(own, own.latest_date())
middle = time.perf_counter()
for rid in ids:
    own = tables.for_roadmap(rid)
    day = own.latest_date()
    history.changes(own, history.default_since(day), day)
print(json.dumps({"history": middle - started, "changes": time.perf_counter() - middle, "roadmaps": len(ids)}))
"""
#: Issue 15's targets: the history of every quarter of both roadmaps, the changes between two
#: dates, and both at a million synthetic rows.
HISTORY_TARGET, CHANGES_TARGET, AT_SCALE_TARGET = 2.0, 1.0, 10.0


@dataclass
class Measure:
    """One line of the table."""

    what: str
    seconds: float | None = None
    peak_mib: float | None = None
    note: str = ""
    code: int = 0


class Scratch:
    """A copy of the project's inputs where commands run with ``MINUSMA_ROOT`` pointing at it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0
        copy_inputs(paths.ROOT, root)
        self.env = {**os.environ, "MINUSMA_ROOT": str(root),
                    "PYTHONPATH": os.pathsep.join([str(root), *filter(None, [os.environ.get("PYTHONPATH")])])}

    def measure(self, what: str, argv: list[str], note: str = "") -> Measure:
        """Run `argv` (a Python module or script) in a fresh process; its time and peak memory."""
        self.count += 1
        log = self.root / ".bench" / "logs" / f"{self.count:02d}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        with log.open("wb") as out:
            process = subprocess.Popen([sys.executable, *argv], cwd=self.root, env=self.env, stdout=out,
                                       stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        peak = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 1024)
        code = process.returncode
        if code not in (0, 1):
            note = f"{note} (exit code {code}; log {log})".strip()
        print(f"[bench] {what}: {seconds:.1f} s, {peak:,.0f} MiB {note}".rstrip(), flush=True)
        return Measure(what, seconds, peak, note, code)

    def pipelines(self, what: str, *step: str, note: str = "") -> Measure:
        return self.measure(what, ["-m", "pipelines", *step], note)

    def history(self, what: str, processed: Path, targets: tuple[float, float]) -> list[Measure]:
        """The status history and the changes (`HISTORY_TIMING`) on ``processed``, each against
        its target."""
        done = subprocess.run([sys.executable, "-c", HISTORY_TIMING, str(processed)], cwd=self.root, env=self.env,
                              capture_output=True, text=True)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            return [Measure(f"status history, {what}", note=f"failed (exit code {done.returncode})",
                            code=done.returncode)]
        found = json.loads(done.stdout.strip().splitlines()[-1])
        out = []
        for key, label, target in (("history", "status history, every quarter", targets[0]),
                                   ("changes", "changes since the last quarter end", targets[1])):
            seconds = found[key]
            verdict = "met" if seconds <= target else f"missed by {seconds - target:.1f} s"
            out.append(Measure(f"{label}, {what}", seconds,
                               note=f"{found['roadmaps']} roadmap(s), one process; target ≤ {target:g} s: {verdict}"))
            print(f"[bench] {out[-1].what}: {seconds:.2f} s", flush=True)
        return out


def change_one_figure(root: Path) -> str:
    """Add 1 to the latest value of `CHANGED_INDICATOR` in its raw file; what was changed."""
    path = root / CHANGED_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    latest = None
    for number, line in enumerate(lines[1:], start=1):
        row = dict(zip(header, next(csv.reader([line])), strict=False))
        if row.get("indicator_id") == CHANGED_INDICATOR and (latest is None or row["period_start"] >= latest[1]):
            latest = (number, row["period_start"])
    if latest is None:
        raise SystemExit(f"bench: no {CHANGED_INDICATOR} row in {CHANGED_FILE}")
    fields = next(csv.reader([lines[latest[0]]]))
    column = header.index("value")
    before = fields[column]
    fields[column] = str(int(float(before)) + 1)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(fields)
    lines[latest[0]] = buffer.getvalue()
    path.write_text("".join(lines), encoding="utf-8")
    return f"{CHANGED_INDICATOR} {latest[1]}: {before} -> {fields[column]}"


def split_csv(path: Path, max_bytes: int = 256 * 2**20) -> int:
    """Split a CSV into files of at most `max_bytes`, each with the header (ingest reads every
    ``observations/*.csv`` and refuses one over 512 MiB); streamed, line by line. The number
    of files."""
    if path.stat().st_size <= max_bytes:
        return 1
    count, size, out = 0, 0, None
    with path.open("rb") as source:
        header = source.readline()
        for line in source:
            if out is None or size + len(line) > max_bytes:
                if out is not None:
                    out.close()
                out = path.with_name(f"{path.stem}-{count:02d}.csv").open("wb")
                out.write(header)
                count, size = count + 1, len(header)
            out.write(line)
            size += len(line)
    if out is not None:
        out.close()
    path.unlink()
    return count


def loop_jobs(root: Path, build: Path, kernel: str) -> Path:
    """The jobs of a full run, as the runner plans them (same notebooks and parameters), for the
    plain loop; written to a JSON file, returned."""
    from pipelines.run import jobs as jobs_mod

    processed = root / "data" / "processed"
    layout = jobs_mod.Layout(root=root, notebooks=root / "notebooks", processed=processed, build=build)
    roadmaps = jobs_mod.known_roadmaps(processed)
    planned = jobs_mod.plan(layout, jobs_mod.registry(layout.notebooks, roadmaps), jobs_mod.LANGS, as_of="",
                            build_date={r.roadmap_id: jobs_mod.latest_data_date(processed, r.roadmap_id)
                                        for r in roadmaps})
    for job in planned:
        job.output.parent.mkdir(parents=True, exist_ok=True)
        if job.sidecar:
            job.sidecar.parent.mkdir(parents=True, exist_ok=True)
    listing = [{"notebook": str(j.notebook), "output": str(j.output), "parameters": dict(j.parameters),
                "kernel": kernel, "cwd": str(j.notebook.parent)} for j in planned]
    path = build / "jobs.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(listing), encoding="utf-8")
    return path


def ran(root: Path) -> list[str]:
    """The reports the last run executed (not skipped)."""
    record = json.loads((root / "build" / "run.json").read_text(encoding="utf-8"))["jobs"]
    return sorted(k for k, e in record.items() if not e.get("reused"))


def _short(keys: list[str]) -> str:
    ids = sorted({k.split("/", 1)[1] for k in keys})
    langs = sorted({k.split("/", 1)[0] for k in keys})
    return f"{', '.join(ids)} ({'+'.join(langs)})" if ids else "none"


def report_runs(scratch: Scratch, workers: int, with_loop: bool) -> list[Measure]:
    """Cold run, plain loop, no-change run and report, one benchmark changed."""
    rows = [scratch.pipelines("ingest (data/raw)", "ingest"), scratch.pipelines("validate (data/raw)", "validate")]
    cold = scratch.pipelines(f"run, cold, {workers} workers", "run", "--jobs", str(workers))
    cold.note = f"{len(ran(scratch.root))} notebooks"
    rows.append(cold)
    rows.append(scratch.pipelines("render, cold", "render", note="every page drawn"))
    loop = None
    if with_loop:
        listing = loop_jobs(scratch.root, scratch.root / ".bench" / "loop", paths.KERNEL_NAME)
        count = len(json.loads(listing.read_text()))
        loop = scratch.measure("plain papermill loop, sequential", ["-c", LOOP, str(listing)],
                               f"{count} notebooks, same parameters")
        rows.append(loop)
    nochange = scratch.pipelines("run, no change", "run", "--jobs", str(workers))
    nochange.note = f"{len(ran(scratch.root))} notebooks ran"
    rows.append(nochange)
    rows.append(scratch.pipelines("render, no change", "render", note="pages kept"))
    rows.append(scratch.pipelines("report, no change (ingest to render)", "report", "--jobs", str(workers)))
    what = change_one_figure(scratch.root)
    rows.append(scratch.pipelines("ingest after one figure of D changed", "ingest", note=what))
    rows.append(scratch.pipelines("validate after the change", "validate"))
    one = scratch.pipelines("run after one figure of D changed", "run", "--jobs", str(workers))
    one.note = f"ran {_short(ran(scratch.root))}"
    rows.append(one)
    rows.append(scratch.pipelines("render after one figure of D changed", "render",
                                  note="only the changed charts drawn (the others kept by their spec's hash)"))
    rows += scratch.history("shipped roadmaps", scratch.root / "data" / "processed", (HISTORY_TARGET, CHANGES_TARGET))
    if loop is not None and cold.seconds and loop.seconds:
        rows.append(Measure("ratio: plain loop / cold run", note=f"{loop.seconds / cold.seconds:.1f}x"))
    if cold.seconds and nochange.seconds:
        rows.append(Measure("ratio: cold run / no-change run", note=f"{cold.seconds / nochange.seconds:.0f}x"))
    if cold.seconds and one.seconds:
        rows.append(Measure("ratio: cold run / one-benchmark run", note=f"{cold.seconds / one.seconds:.1f}x"))
    return rows


def scale(scratch: Scratch, rows_count: int) -> list[Measure]:
    """Ingest, validate, run and render the synthetic benchmark Z at `rows_count` rows."""
    label = f"{rows_count:.0e}".replace("e+0", "e")
    base = scratch.root / ".bench" / label
    raw, processed, build, reports = base / "raw", base / "processed", base / "build", base / "reports"
    generated = scratch.measure(f"generate {rows_count:,} synthetic rows", ["-m", "pipelines.tools.synthetic",
                                                                             str(rows_count), str(raw)])
    out = [generated]
    if generated.code:
        return out
    parts = split_csv(raw / "observations" / "synthetic.csv")
    if parts > 1:
        generated.note = f"split into {parts} files (ingest refuses a file over 512 MiB)"
    out.append(scratch.pipelines(f"ingest {label} rows", "ingest", "--raw", str(raw), "--out", str(processed)))
    if 10**5 < rows_count <= 10**6:  # issue 15's size: both sums at a million rows
        out += scratch.history(f"{label} rows", processed, (AT_SCALE_TARGET, AT_SCALE_TARGET))
    out.append(scratch.pipelines(f"validate {label} rows", "validate", "--processed", str(processed),
                                 "--pages", str(build / "quality")))
    out.append(scratch.pipelines(f"run report Z, {label} rows", "run", "--processed", str(processed), "--only", "Z",
                                 "--lang", "en", "--build", str(build)))
    rendered = scratch.pipelines(f"render report Z, {label} rows", "render", "--build", str(build), "--reports",
                                 str(reports), "--processed", str(processed), "--lang", "en")
    page = reports / "synthetic" / "en" / "benchmark-Z.html"
    if page.exists():
        size = page.stat().st_size
        rendered.note = f"HTML {size / 1e6:.2f} MB ({'within' if size <= HTML_BUDGET else 'OVER'} the 1.5 MB budget)"
    out.append(rendered)
    shutil.rmtree(raw, ignore_errors=True)  # the CSV is the bulk of the disk used
    return out


def machine() -> str:
    """The machine the figures come from."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    memory = ""
    try:
        kib = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        memory = f", {kib / 2**20:.0f} GiB memory"
    except (OSError, StopIteration, ValueError):
        pass
    return (f"{cpu or platform.machine()}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; load average before: "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def table(rows: list[Measure]) -> str:
    """The figures as one Markdown table (pasted as is into the README)."""
    lines = ["| measurement | time (s) | peak memory (MiB) | notes |", "| --- | ---: | ---: | --- |"]
    for r in rows:
        seconds = f"{r.seconds:.1f}" if r.seconds is not None else ""
        peak = f"{r.peak_mib:,.0f}" if r.peak_mib is not None else ""
        lines.append(f"| {r.what} | {seconds} | {peak} | {r.note} |")
    return "\n".join(lines)


def parse_sizes(text: str) -> list[int]:
    try:
        return [int(float(x)) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give row counts separated by commas, e.g. 1e4,1e6") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[10_000, 1_000_000, 10_000_000],
                        help="synthetic row counts for ingest and validate (default: 1e4,1e6,1e7; '' for none)")
    parser.add_argument("--jobs", type=int, default=2, help="workers of the runner (default: 2)")
    parser.add_argument("--no-runs", action="store_true", help="skip the report runs (only the data at scale)")
    parser.add_argument("--no-loop", action="store_true", help="skip the plain papermill loop (about 4 minutes)")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="work in DIR (created, must not exist) and keep it; default: a temporary folder")
    args = parser.parse_args(argv)
    if args.keep is not None:
        args.keep.mkdir(parents=True)
        root, scratch_dir = args.keep.resolve(), None
    else:
        scratch_dir = tempfile.TemporaryDirectory(prefix="minusma-bench-")
        root = Path(scratch_dir.name)
    header = f"machine: {machine()}"
    print(header, flush=True)
    rows: list[Measure] = []
    try:
        scratch = Scratch(root)
        if not args.no_runs:
            rows += report_runs(scratch, args.jobs, with_loop=not args.no_loop)
        for size in args.sizes:
            rows += scale(scratch, size)
    finally:
        if scratch_dir is not None:
            scratch_dir.cleanup()
    print()
    print(table(rows))
    return 0 if all(r.code in (0, 1) for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
