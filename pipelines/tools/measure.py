"""How a figure of ``make bench`` is taken and printed: a command in a fresh process on a scratch
copy of the project, its wall time and peak memory read from the operating system, its target
and verdict, the machine it ran on, and the table the README carries.

Apart from `pipelines.tools.bench`, which says what is measured, so that the list of
measurements reads as a plan and this as the instrument.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from pipelines.core import paths
from pipelines.tools.verify import copy_inputs


@dataclass
class Measure:
    """One line of the table."""

    what: str
    seconds: float | None = None
    peak_mib: float | None = None
    note: str = ""
    code: int = 0
    target: str = ""
    verdict: str = ""

    def against(self, seconds: float | None = None, mib: float | None = None, why: str = "") -> Measure:
        """Set the target (time and/or peak memory) and the verdict: "met", or by how much it
        is missed and `why`."""
        goals, misses = [], []
        if seconds is not None:
            goals.append(f"≤ {seconds:g} s")
            if self.seconds is not None and self.seconds > seconds:
                misses.append(f"{self.seconds - seconds:.1f} s ({self.seconds / seconds:.1f}x)")
        if mib is not None:
            goals.append(f"≤ {mib / 1024:g} GiB")
            if self.peak_mib is not None and self.peak_mib > mib:
                misses.append(f"{(self.peak_mib - mib) / 1024:.1f} GiB ({self.peak_mib / mib:.1f}x)")
        self.target = ", ".join(goals)
        if self.code not in (0, 1) or self.seconds is None:
            self.verdict = "not measured"
        elif misses:
            self.verdict = f"missed by {' and '.join(misses)}" + (f": {why}" if why else "")
        else:
            self.verdict = "met"
        return self


#: Starts a command and writes its peak memory (KiB) into a file. A process's peak counts what it
#: held before it ran its program: the copy of the process that started it. Started from a
#: large process (pytest after a few hundred tests, near a gigabyte), every command would seem
#: that large, so commands are started from this small one.
LAUNCHER = """import os, subprocess, sys
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(argv: list[str], cwd: Path, env: dict[str, str], log: Path) -> tuple[int, float]:
    """Run `argv` with its output in `log`; its exit code and peak resident memory in MiB (its
    own and its children's), read from the operating system when it ends."""
    peak = log.with_suffix(".peak")
    with log.open("wb") as out:
        done = subprocess.run(
            [sys.executable, "-c", LAUNCHER, str(peak), *argv],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    kib = int(peak.read_text(encoding="utf-8"))
    peak.unlink()
    return done.returncode, kib / (2**20 if sys.platform == "darwin" else 1024)


class Scratch:
    """A copy of the project's inputs where commands run with ``MINUSMA_ROOT`` pointing at it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0
        copy_inputs(paths.ROOT, root)
        self.env = {
            **os.environ,
            "MINUSMA_ROOT": str(root),
            "PYTHONPATH": os.pathsep.join([str(root), *filter(None, [os.environ.get("PYTHONPATH")])]),
        }

    def measure(self, what: str, argv: list[str], note: str = "") -> Measure:
        """Run `argv` (a Python module or script) in a fresh process; its time and peak memory.

        What earlier commands wrote is flushed to disk first, outside the timing, so each
        command pays for its own writes only: ingest of 10⁷ rows right after 770 MB were
        written took 26.8 s, after a sync 18.9 s (the kernel writing the pages back in its
        system time, 22 s against 12 s), which made the same code's figures move by a third
        from a run of the 10⁷ rows alone to a whole bench."""
        self.count += 1
        log = self.root / ".bench" / "logs" / f"{self.count:02d}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        if hasattr(os, "sync"):
            os.sync()
        started = time.perf_counter()
        code, peak = run_measured([sys.executable, *argv], self.root, self.env, log)
        seconds = time.perf_counter() - started
        if code not in (0, 1):
            note = f"{note} (exit code {code}; log {log})".strip()
        print(f"[bench] {what}: {seconds:.1f} s, {peak:,.0f} MiB {note}".rstrip(), flush=True)
        return Measure(what, seconds, peak, note, code)

    def pipelines(self, what: str, *step: str, note: str = "") -> Measure:
        return self.measure(what, ["-m", "pipelines", *step], note)


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
        kib = int(
            next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1]
        )
        memory = f", {kib / 2**20:.0f} GiB memory"
    except (OSError, StopIteration, ValueError):
        pass
    return (
        f"{cpu or platform.machine()}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; load average before: "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )


def table(rows: list[Measure]) -> str:
    """The figures as one Markdown table (`write_block` puts it in docs/performance.md)."""
    lines = [
        "| measurement | time (s) | peak memory (MiB) | target | verdict | notes |",
        "| --- | ---: | ---: | --- | --- | --- |",
    ]
    for r in rows:
        seconds = f"{r.seconds:.1f}" if r.seconds is not None else ""
        peak = f"{r.peak_mib:,.0f}" if r.peak_mib is not None else ""
        lines.append(f"| {r.what} | {seconds} | {peak} | {r.target} | {r.verdict} | {r.note} |")
    return "\n".join(lines)


#: The lines of a docs page between which `make bench` writes its table (the rest of the page is
#: written by hand and never touched).
BLOCK_START = "<!-- bench:start (written by `make bench`; edits here are overwritten) -->"
BLOCK_END = "<!-- bench:end -->"


def write_block(page: Path, text: str) -> None:
    """Replace what lies between the page's two marker lines with `text`; the page must hold
    each marker once, in order (a page without them is refused, never appended to)."""
    content = page.read_text(encoding="utf-8")
    start, end = content.find(BLOCK_START), content.find(BLOCK_END)
    if start < 0 or end < start or content.count(BLOCK_START) != 1 or content.count(BLOCK_END) != 1:
        raise ValueError(f"{page}: needs the lines {BLOCK_START!r} and {BLOCK_END!r}, once each and in that order")
    head = content[: start + len(BLOCK_START)]
    page.write_text(f"{head}\n{text.strip()}\n{content[end:]}", encoding="utf-8")
