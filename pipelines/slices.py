"""What a report reads, reduced to hashes, so that a run re-executes only the reports whose
inputs changed.

A report reads a *slice* of the processed tables, declared in its `jobs.ReportSpec`:

* ``benchmark X``: X's rows of the benchmarks, indicators and milestones tables, the
  observations of X's indicators, X's milestone events, the sources these cite and the
  roadmap's own source, and the validation failures of that slice (what its data-quality
  panel shows);
* ``indicators P`` (a glob on indicator ids, for thematic reports): those indicators'
  definitions and observations, the sources they cite, the roadmap's source and their
  validation failures;
* ``file P`` (a glob under data/raw/, e.g. boundaries.yaml): the file's bytes, and those of
  the file a YAML file names under ``file:``;
* ``as_of``: the date the report speaks of, which by default is the latest date in *all*
  the data: a figure that moves it changes every report, and re-runs every report.

Each part is the sha256 of the rows written as CSV, without the ``file`` and ``line`` columns
(moving a row within its raw file changes no report). Rows are read with polars from the
processed tables, once per run, and only when the ingest manifest says the data changed since
the last run: a run with nothing new never opens a table here.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipelines import store

#: Columns that say where a row came from, not what a report shows.
PROVENANCE = ("file", "line")
TABLES = ("benchmarks", "indicators", "milestones", "observations", "milestone_events", "sources")


def _sha(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def _rows(frame: Any) -> str:
    """The rows of a frame as CSV (provenance columns left out)."""
    return frame.drop([c for c in PROVENANCE if c in frame.columns]).write_csv()


class Data:
    """The processed tables of one run, read on first use; every slice hash is computed once
    and shared by the jobs (fr and en) that read it."""

    def __init__(self, processed: Path, raw: Path) -> None:
        self.processed = processed
        self.raw = raw
        self._frames: dict[str, Any] = {}
        self._parts: dict[str, str] = {}
        self._quality: Any = False

    # --- tables -------------------------------------------------------------------------

    def table(self, name: str) -> Any:
        """A processed table, or an empty frame when ingest did not write it."""
        if name not in self._frames:
            import polars as pl

            path = self.processed / f"{name}.parquet"
            self._frames[name] = pl.read_parquet(path) if path.exists() else pl.DataFrame()
        return self._frames[name]

    def latest_date(self) -> str:
        """The default ``as_of`` of every report (`views.Tables.latest_date`): the newest
        observation period end or milestone event; "" without data."""
        found = []
        for name, column in (("observations", "period_end"), ("milestone_events", "date")):
            frame = self.table(name)
            if column in frame.columns and frame.height:
                value = frame[column].max()
                if value is not None:
                    found.append(str(value))
        return max(found) if found else ""

    def _filter(self, name: str, column: str, values: Iterable[str]) -> Any:
        import polars as pl

        frame = self.table(name)
        if column not in frame.columns:
            return frame
        return frame.filter(pl.col(column).is_in(sorted(set(values))))

    def _indicator_ids(self, *, benchmark: str | None = None, pattern: str | None = None) -> list[str]:
        frame = self.table("indicators")
        if "indicator_id" not in frame.columns:
            return []
        if benchmark is not None:
            return sorted(self._filter("indicators", "benchmark", [benchmark])["indicator_id"].drop_nulls().to_list())
        ids = frame["indicator_id"].drop_nulls().to_list()
        return sorted(i for i in ids if fnmatch.fnmatchcase(i, pattern or "*"))

    def _sources(self, *frames: Any) -> Any:
        """Sources cited by `frames`, plus the roadmap's own (its symbol is a roadmap id)."""
        cited: set[str] = set()
        for frame in frames:
            if "source_id" in frame.columns:
                cited |= set(frame["source_id"].drop_nulls().to_list())
        sources = self.table("sources")
        benchmarks = self.table("benchmarks")
        if "symbol" in sources.columns and "roadmap_id" in benchmarks.columns:
            roadmaps = set(benchmarks["roadmap_id"].drop_nulls().to_list())
            cited |= set(sources.filter(sources["symbol"].is_in(sorted(roadmaps)))["source_id"].to_list())
        return self._filter("sources", "source_id", cited)

    def benchmark_rows(self, letter: str) -> dict[str, Any]:
        """Benchmark `letter`'s rows of each table: its definitions, its indicators'
        observations, its milestone events, and the sources these cite plus the roadmap's.
        The one definition of a benchmark's data, for the cache key and for the CSV export."""
        ids = self._indicator_ids(benchmark=letter)
        rows = {name: self._filter(name, "benchmark", [letter]) for name in ("benchmarks", "indicators", "milestones")}
        rows["observations"] = self._filter("observations", "indicator_id", ids)
        rows["milestone_events"] = self._filter("milestone_events", "benchmark", [letter])
        rows["sources"] = self._sources(rows["observations"], rows["milestone_events"])
        return rows

    # --- parts ----------------------------------------------------------------------------

    def benchmark(self, letter: str) -> str:
        """The hash of benchmark `letter`'s slice."""
        key = f"benchmark {letter}"
        if key not in self._parts:
            rows = self.benchmark_rows(letter)
            ids = self._indicator_ids(benchmark=letter)
            observations, events = rows["observations"], rows["milestone_events"]
            pieces = [_rows(rows[name]) for name in ("benchmarks", "indicators", "milestones")]
            pieces += [_rows(observations), _rows(events), _rows(rows["sources"]),
                       self.quality(letter, ids, observations, events)]
            self._parts[key] = _sha("\x1e".join(pieces))
        return self._parts[key]

    def indicators(self, pattern: str) -> str:
        """The hash of the slice of the indicators whose id matches `pattern`."""
        key = f"indicators {pattern}"
        if key not in self._parts:
            ids = self._indicator_ids(pattern=pattern)
            observations = self._filter("observations", "indicator_id", ids)
            pieces = [_rows(self._filter("indicators", "indicator_id", ids)), _rows(observations),
                      _rows(self._sources(observations)), self.quality("", ids, observations)]
            self._parts[key] = _sha("\x1e".join(pieces))
        return self._parts[key]

    def definitions(self) -> str:
        """The hash of the benchmarks table: the rows of the overview's scorecard."""
        if "definitions" not in self._parts:
            self._parts["definitions"] = _sha(_rows(self.table("benchmarks")))
        return self._parts["definitions"]

    def files(self, pattern: str) -> str:
        """The hash of the raw files matching `pattern` (and of the file a YAML one names)."""
        found: dict[str, str] = {}
        for path in sorted(p for p in self.raw.glob(pattern) if p.is_file()):
            found[path.relative_to(self.raw).as_posix()] = store.sha256_file(path)
            named = _named_file(path, self.raw)
            if named is not None and named.is_file():
                found[f"{path.name} -> file"] = store.sha256_file(named)
        return _sha(json.dumps(found, sort_keys=True))

    def quality(self, letter: str, ids: list[str], *frames: Any) -> str:
        """The validation failures a report's data-quality panel shows for this slice."""
        report = self._stored_report()
        if report is None:
            return "no validation results"
        from pipelines import quality

        cited: set[str] = set()
        for frame in frames:
            if "source_id" in frame.columns:
                cited |= set(frame["source_id"].drop_nulls().to_list())
        restricted = quality.restrict_to(report, letter, tuple(ids), cited)
        failed = [[table, asdict(rule)] for table, result in sorted(restricted.tables.items())
                  for rule in result.failed]
        return _sha(json.dumps([restricted.errors, restricted.warnings, failed], sort_keys=True, default=str))

    def _stored_report(self) -> Any:
        if self._quality is False:
            from pipelines import quality

            self._quality = quality.read_stored(self.processed)
        return self._quality


def _named_file(path: Path, raw: Path) -> Path | None:
    """The file a small YAML declaration names (``file: ...``, relative to data/raw)."""
    if path.suffix not in (".yaml", ".yml") or path.stat().st_size > 1_000_000:
        return None
    import yaml

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    name = doc.get("file") if isinstance(doc, dict) else None
    if not isinstance(name, str) or not name:
        return None
    target = Path(name)
    return target if target.is_absolute() else raw / target


def parts(reads_benchmarks: Iterable[str], reads_indicators: Iterable[str], reads_files: Iterable[str],
          data: Data) -> dict[str, str]:
    """Every part of a report's slice, named as the run explains a re-run."""
    found: dict[str, str] = {}
    for letter in reads_benchmarks:
        found[f"benchmark {letter}"] = data.benchmark(letter)
    for pattern in reads_indicators:
        found[f"indicators {pattern}"] = data.indicators(pattern)
    for pattern in reads_files:
        found[f"file {pattern}"] = data.files(pattern)
    return found


def changed(before: Mapping[str, str] | None, after: Mapping[str, str]) -> list[str]:
    """The names of the parts that differ (or appeared, or went away)."""
    before = before or {}
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
