"""Speed and memory of the validation step on a synthetic observation table, for ``make bench``.

Measures separately what a user waits for once per process (importing GX and building its
context) and what grows with the data (preparing helper columns, converting to pandas, running
every suite, building results). Peak memory is the process's resident high-water mark, which
includes the pandas and Arrow buffers that Python's tracemalloc does not see; tracemalloc's
peak for the check is added on request because tracing slows the run down.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from datetime import date
from typing import Any

from pipelines.validate import sample as validation_sample
from pipelines.validate import suites as validation_suites


def _max_rss_mib() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024  # bytes on macOS, KiB on Linux


def bench_validate(rows: int, *, trace: bool = False) -> dict[str, Any]:
    """Validate `rows` synthetic observations (plus the small sample tables); timings and memory."""
    from pipelines.validate.step import check

    frames = validation_sample.synthetic_frames(rows)
    suites = validation_suites.load_suites()
    started = time.perf_counter()
    from pipelines.validate.gx import session

    session()
    setup = time.perf_counter() - started
    started = time.perf_counter()
    report, _ = check(frames, suites, today=date(2026, 1, 1), data_checksum=None)
    seconds = time.perf_counter() - started
    figures: dict[str, Any] = {
        "rows": rows,
        "gx_setup_seconds": round(setup, 3),
        "check_seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds) if seconds else None,
        "rules": sum(len(t.rules) for t in report.tables.values()),
        "errors": report.errors,
        "max_rss_mib": round(_max_rss_mib(), 1),
    }
    if trace:
        tracemalloc.start()
        check(frames, suites, today=date(2026, 1, 1), data_checksum=None)
        figures["tracemalloc_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    return figures


if __name__ == "__main__":  # python -m pipelines.validate.bench [rows …]
    for n in [int(a) for a in sys.argv[1:]] or [1_000, 100_000]:
        print(bench_validate(n))
