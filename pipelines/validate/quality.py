"""Data quality for one benchmark, as a notebook shows it in its data-quality panel.

`results_for("B", roadmap="s-2021-300")` returns the validation results cut down to benchmark
B of that roadmap: the observations of its indicators and the rules written for them, its
milestone events, its rows of the roadmap tables, the sources its figures cite, and the rows
of its files that ingest set aside (quarantine), so that a panel never says "every rule
passes" about a benchmark whose figures were refused before any rule could see them. It reads the stored
``data/processed/validation.json`` when that file describes the data on disk, and re-runs the
checks in-process when it does not (an analyst edited data or re-ran ingest since).

"Describes the data on disk" means: the stored data checksum is the manifest's, and every
table file still has the checksum the manifest lists (so a Parquet file rewritten by hand is
noticed too). Reading stored results never imports Great Expectations; only a re-run does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.core import paths, schema, store
from pipelines.core.errors import UsageError
from pipelines.validate.results import Failure, Report, RuleResult, restrict


@dataclass(frozen=True)
class BenchmarkQuality:
    """Validation results restricted to one benchmark."""

    benchmark: str
    #: "stored" (read from validation.json) or "recomputed" (checked again just now).
    origin: str
    indicator_ids: tuple[str, ...]
    report: Report
    #: Rows of this slice that ingest set aside, as rows of the quarantine table.
    quarantined: pl.DataFrame = field(default_factory=lambda: pl.DataFrame())

    @property
    def data_checksum(self) -> str | None:
        return self.report.data_checksum

    @property
    def errors(self) -> int:
        return self.report.errors

    @property
    def warnings(self) -> int:
        return self.report.warnings

    @property
    def success(self) -> bool:
        return self.report.success

    def messages(self) -> list[str]:
        """One line per failed rule, as ``pipelines validate`` prints them."""
        return self.report.messages()

    def failed_rules(self) -> list[tuple[str, RuleResult]]:
        """(table, rule) for every failed rule of the slice."""
        return [(t.table, r) for t in self.report.tables.values() for r in t.failed]

    def failures(self) -> pl.DataFrame:
        """The failing rows of the slice as a table, for display in a notebook."""
        rows = [
            {
                "table": table,
                "rule": r.rule,
                "severity": r.severity,
                "description": r.description,
                "file": f.file,
                "line": f.line,
                "column": f.column,
                "value": None if f.value is None else str(f.value),
                "detail": f.detail,
            }
            for table, r in self.failed_rules()
            for f in r.failures
        ]
        schema = {
            "table": pl.String,
            "rule": pl.String,
            "severity": pl.String,
            "description": pl.String,
            "file": pl.String,
            "line": pl.Int64,
            "column": pl.String,
            "value": pl.String,
            "detail": pl.String,
        }
        return pl.DataFrame(rows, schema=schema)


def read_stored(processed_dir: Path = paths.PROCESSED) -> Report | None:
    """The stored results, or None when validate has not run (or left an unreadable file)."""
    path = processed_dir / store.VALIDATION_RESULTS
    if not path.exists():
        return None
    try:
        return Report.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, KeyError, TypeError):
        return None


def is_current(stored: Report | None, processed_dir: Path = paths.PROCESSED) -> bool:
    """True when `stored` describes the tables now on disk."""
    if stored is None or not stored.data_checksum:
        return False
    manifest = store.read_manifest(processed_dir)
    if manifest.get("data_checksum") != stored.data_checksum:
        return False
    for name, digest in (manifest.get("outputs") or {}).items():
        path = processed_dir / name
        if not path.exists() or store.sha256_file(path) != digest:
            return False
    return True


def _slice_keys(benchmark: str, roadmap: str | None, processed_dir: Path) -> tuple[tuple[str, ...], set[str]]:
    """The benchmark's indicator ids and the source ids its observations and events cite."""
    benchmarks = store.read_table("benchmarks", processed_dir)
    if roadmap is not None:
        benchmarks = benchmarks.filter(pl.col("roadmap_id") == roadmap)
    known = sorted(benchmarks["benchmark"].drop_nulls().unique().to_list())
    if benchmark not in known:
        where = f"roadmap {roadmap}" if roadmap else "the roadmap files"
        raise UsageError(f"benchmark '{benchmark}' is not declared in {where}; known: {', '.join(known)}")
    owners = benchmarks.filter(pl.col("benchmark") == benchmark)["roadmap_id"].to_list()
    mine = (pl.col("benchmark") == benchmark) & pl.col("roadmap_id").is_in(owners)
    indicators = store.read_table("indicators", processed_dir)
    ids = tuple(sorted(indicators.filter(mine)["indicator_id"].drop_nulls().to_list()))
    cited = set(
        store.read_table("observations", processed_dir, columns=["indicator_id", "source_id"])
        .filter(pl.col("indicator_id").is_in(list(ids)))["source_id"]
        .drop_nulls()
        .unique()
        .to_list()
    )
    cited |= set(store.read_table("milestone_events", processed_dir).filter(mine)["source_id"].drop_nulls().to_list())
    return ids, cited


def restrict_to(
    report: Report, benchmark: str, indicator_ids: tuple[str, ...], cited: set[str], roadmap: str | None = None
) -> Report:
    """`report` cut down to a benchmark (of `roadmap`, when given): its rows, and its
    per-indicator rules only."""
    ids = set(indicator_ids)

    def in_benchmark(f: Failure) -> bool:
        return f.key.get("benchmark") == benchmark and roadmap in (None, f.key.get("roadmap_id"))

    keep: dict[str, Any] = {
        "observations": lambda f: f.key.get("indicator_id") in ids,
        "milestone_events": in_benchmark,
        "benchmarks": in_benchmark,
        "milestones": in_benchmark,
        "indicators": lambda f: f.key.get("indicator_id") in ids or in_benchmark(f),
        "sources": lambda f: f.key.get("source_id") in cited,
        "rule": lambda table, r: r.indicator_id is None or r.indicator_id in ids,
    }
    return restrict(report, keep)


def quarantined_rows(
    processed_dir: Path, indicator_ids: tuple[str, ...], benchmark: str | None = None, roadmap: str | None = None
) -> pl.DataFrame:
    """The quarantined rows about these indicators, or about this benchmark's milestones."""
    path = processed_dir / "quarantine.parquet"
    if not path.exists():
        return schema.empty("quarantine")
    frame = store.read_table("quarantine", processed_dir)
    about = pl.col("indicator_id").is_in(list(indicator_ids))
    if benchmark is not None:
        mine = pl.col("benchmark") == benchmark
        if roadmap is not None:  # a row that named no roadmap may be this one's
            mine = mine & (pl.col("roadmap_id").is_null() | (pl.col("roadmap_id") == roadmap))
        about = about | mine
    return frame.filter(about.fill_null(False))


def results_for(
    benchmark: str,
    processed_dir: str | Path = paths.PROCESSED,
    expectations_dir: str | Path = paths.EXPECTATIONS,
    today: date | None = None,
    roadmap: str | None = None,
) -> BenchmarkQuality:
    """Validation results for one benchmark's slice: stored when current, else re-checked.

    `roadmap` picks the benchmark when two roadmaps have one of that id. A re-check is not
    written back: ``python -m pipelines validate`` owns validation.json. Paths may be given as
    text, as a notebook's parameters are.
    """
    processed_dir, expectations_dir = Path(processed_dir), Path(expectations_dir)
    stored = read_stored(processed_dir)
    if stored is not None and is_current(stored, processed_dir):
        report, origin = stored, "stored"
    else:
        from pipelines.validate.step import validate_dir  # GX is imported inside, on this path only

        report, _ = validate_dir(processed_dir, expectations_dir, today)
        origin = "recomputed"
    ids, cited = _slice_keys(benchmark, roadmap, processed_dir)
    return BenchmarkQuality(
        benchmark=benchmark,
        origin=origin,
        indicator_ids=ids,
        report=restrict_to(report, benchmark, ids, cited, roadmap),
        quarantined=quarantined_rows(processed_dir, ids, benchmark, roadmap),
    )
