"""Tens of megabytes of junk under a valid header, as a user's wrong export or a corrupted
download would bring, through the command line as a user runs it, with the peak memory of each
step read from the operating system.

A file whose rows are mostly refused is refused whole, in one line: its counts by rule and its
first rows, never a row-by-row listing. A file with many refused rows but more good ones is
built, and its quarantine keeps every data-quality page within the page budget ("and N more",
the full list as ``quarantine.csv``). Peak memory is held to declared bounds (`JUNK_PEAK_MIB`,
measured by ``make bench`` too: `pipelines.tools.bench.junk_file`), and ingest's does not grow
with the size of a file it refuses: it reads it in batches.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.core import paths
from pipelines.tools import synthetic
from pipelines.tools.bench import JUNK_PEAK_MIB, JUNK_ROWS, JUNK_VALIDATE_PEAK_MIB
from pipelines.tools.measure import run_measured
from pipelines.validate.pages import PAGE_BUDGET, QUARANTINE_CSV


@dataclass(frozen=True)
class Step:
    """A command's exit code, output and peak resident memory (MiB, its own and its children's)."""

    code: int
    output: str
    peak_mib: float


def pipelines(root: Path, *argv: str) -> Step:
    """``python -m pipelines ARGV`` in the project `root`, and its peak memory."""
    log = root / f"{argv[0]}.log"
    env = {**os.environ, "MINUSMA_ROOT": str(root)}
    code, peak = run_measured([sys.executable, "-m", "pipelines", *argv], root, env, log)
    step = Step(code, log.read_text(encoding="utf-8"), peak)
    print(f"{argv[0]}: exit code {step.code}, peak {step.peak_mib:.0f} MiB")  # shown by pytest -rP
    return step


def test_a_junk_file_of_tens_of_mb_is_refused_whole_in_one_line_within_the_memory_bound(tmp_path: Path) -> None:
    raw = tmp_path / "data" / "raw"
    shutil.copytree(paths.RAW, raw)
    junk = raw / "observations" / "junk.csv"
    synthetic.junk(JUNK_ROWS).write_csv(junk)
    assert junk.stat().st_size > 20 * 2**20
    done = pipelines(tmp_path, "ingest", "--raw", str(raw), "--out", str(tmp_path / "processed"))
    assert done.code == 2, done.output[-2000:]
    [line] = [x for x in done.output.splitlines() if "mostly-refused" in x]
    assert (
        f"data/raw/observations/junk.csv: value '{JUNK_ROWS} of {JUNK_ROWS} rows' breaks rule 'mostly-refused'" in line
    )
    assert f"by rule: known-indicator {JUNK_ROWS}; the first: line 2, column 'indicator_id': indicator '" in line
    assert line.count("; line ") == 4 and len(done.output) < 5_000  # five rows shown, not 150,000
    assert str(tmp_path) not in done.output and not (tmp_path / "processed").exists()
    assert done.peak_mib <= JUNK_PEAK_MIB, f"ingest peaked at {done.peak_mib:.0f} MiB"


def test_many_refused_rows_in_a_file_mostly_good_keep_every_quality_page_within_budget(tmp_path: Path) -> None:
    raw = synthetic.write(JUNK_ROWS + 1, tmp_path / "data" / "raw")
    refused = JUNK_ROWS // 2
    with (raw / "observations" / "synthetic.csv").open("ab") as out:
        synthetic.junk(refused).write_csv(out, include_header=False)
    processed, pages = tmp_path / "processed", tmp_path / "quality"
    ingested = pipelines(tmp_path, "ingest", "--raw", str(raw), "--out", str(processed))
    assert ingested.code == 0, ingested.output[-2000:]
    assert ingested.peak_mib <= JUNK_PEAK_MIB, f"ingest peaked at {ingested.peak_mib:.0f} MiB"
    checked = pipelines(
        tmp_path,
        "validate",
        "--processed",
        str(processed),
        "--expectations",
        str(paths.EXPECTATIONS),
        "--pages",
        str(pages),
    )
    assert checked.code == 0, checked.output[-2000:]  # rows set aside are a warning, not a failed check
    assert checked.peak_mib <= JUNK_VALIDATE_PEAK_MIB, f"validate peaked at {checked.peak_mib:.0f} MiB"
    sizes = {p.name: p.stat().st_size for p in pages.iterdir() if p.suffix == ".html"}
    assert sizes and max(sizes.values()) <= PAGE_BUDGET, sizes
    html = (pages / "observations.html").read_text(encoding="utf-8")
    left_out = re.search(r"Showing (\d+) of (\d+) rows: and (\d+) more", html)
    assert left_out and int(left_out[2]) == refused and int(left_out[1]) + int(left_out[3]) == refused
    assert f'<a href="{QUARANTINE_CSV}">' in html
    assert pl.read_csv(pages / QUARANTINE_CSV, infer_schema=False).height == refused  # every row, downloadable


#: How much more ingest may hold for a junk file four times as large (MiB): reading each file
#: whole cost about 8 MiB a MB (370 MiB at 28 MB, 1,724 MiB at 200 MB), some 480 MiB from 20 to
#: 80 MB; read in batches, 15 MiB was measured (273 -> 288 MiB).
GROWTH_MIB = 64


def test_ingests_peak_memory_does_not_grow_with_the_size_of_a_file_it_refuses(tmp_path: Path) -> None:
    peaks = []
    for rows in (110_000, 440_000):  # about 20 and 80 MB
        root = tmp_path / str(rows)
        raw = root / "data" / "raw"
        shutil.copytree(paths.RAW, raw)
        synthetic.junk(rows).write_csv(raw / "observations" / "junk.csv")
        done = pipelines(root, "ingest", "--raw", str(raw), "--out", str(root / "processed"))
        assert done.code == 2 and f"'{rows} of {rows} rows' breaks rule 'mostly-refused'" in done.output
        peaks.append(done.peak_mib)
        shutil.rmtree(raw)
    assert peaks[1] - peaks[0] <= GROWTH_MIB, f"ingest peaked at {peaks[0]:.0f} MiB, then {peaks[1]:.0f} MiB"
