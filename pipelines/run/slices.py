"""What a report reads, reduced to hashes, so that a run re-executes only the reports whose
inputs changed.

A report reads a *slice* of the processed tables, declared in its `jobs.ReportSpec`:

* ``benchmark R/X``: benchmark X of roadmap R: its rows of the benchmarks, indicators and
  milestones tables, the observations of its indicators, its milestone events, the sources
  these cite and the roadmap's own source, the roadmap's definition and key dates, and the
  validation failures and quarantined rows of that slice (what its data-quality panel shows);
* ``indicators R/P`` (a glob on the ids of roadmap R's indicators, for thematic reports):
  those indicators' definitions and observations, the sources they cite, the roadmap's
  source and definition, and their validation failures and quarantined rows;
* ``definitions R``: roadmap R's definition and benchmarks (the overview's scorecard);
* ``file P`` (a glob under data/raw/, e.g. boundaries.yaml): the file's bytes, and those of
  the file a YAML file names under ``file:``;
* ``as_of``: the date the report speaks of, which by default is the latest date in the
  roadmap's data: a figure that moves it re-runs that roadmap's reports, never another's.

Each part is a sha256 of the rows' polars hashes (two 64-bit hashes a row, with the columns'
names and types), without the ``file`` and ``line`` columns (moving a row within its raw file
changes no report). Row hashes are stable within one polars version, and the lock file is part
of every key; writing ten million rows as CSV text to hash them took 8 s, their hashes take 0.5 s. Rows are read with polars from the
processed tables, once per run, and only when the ingest manifest says the data changed since
the last run: a run with nothing new never opens a table here.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipelines.core import fingerprints, store

#: Columns that say where a row came from, not what a report shows.
PROVENANCE = ("file", "line")


def _sha(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def _rows(frame: Any) -> str:
    """The rows of a (small) frame as CSV, provenance columns left out: a roadmap's definition."""
    return frame.drop([c for c in PROVENANCE if c in frame.columns]).write_csv()


#: Seeds of the row hashes `_digest` takes of each frame: 128 bits a row.
_SEEDS = (0, 1)


def _digest(*pieces: Any) -> str:
    """The sha256 of `pieces`, each a text or a frame: a frame by its columns' names and types
    and two seeded row hashes of every row, provenance columns left out (see the module's
    docstring). A null and an empty text differ, as they do to a report."""
    digest = hashlib.sha256()
    for number, piece in enumerate(pieces):
        if number:
            digest.update(b"\x1e")
        if isinstance(piece, str):
            digest.update(piece.encode("utf-8"))
            continue
        _hash_frame(digest, piece.drop([c for c in PROVENANCE if c in piece.columns]))
    return digest.hexdigest()


def rows_digest(frame: Any) -> str:
    """The sha256 of every column of `frame`, provenance included, as `_digest` takes a frame:
    what a file that shows the rows with their raw file and line (a CSV download) depends on."""
    digest = hashlib.sha256()
    _hash_frame(digest, frame)
    return digest.hexdigest()


def _hash_frame(digest: Any, frame: Any) -> None:
    digest.update(repr([(name, str(dtype)) for name, dtype in frame.schema.items()]).encode("utf-8"))
    digest.update(str(frame.height).encode("ascii"))
    if frame.width:
        for seed in _SEEDS:
            digest.update(frame.hash_rows(seed=seed).to_numpy().tobytes())


class Data:
    """The processed tables of one run, read on first use; every slice hash is computed once
    and shared by the jobs (fr and en) that read it."""

    def __init__(self, processed: Path, raw: Path) -> None:
        self.processed = processed
        self.raw = raw
        self._frames: dict[str, Any] = {}
        self._parts: dict[str, str] = {}
        self._quality: Any = False
        self._outputs: dict[str, str] | None = None  # the ingest manifest's checksum of each table's file
        # the small selections every job asks for again (46 jobs, two roadmaps): one polars
        # query each instead of one per job, half a second of a run's planning; never the
        # observations, whose selections can be the size of the table
        self._small: dict[tuple[str | None, ...], Any] = {}

    # --- tables -------------------------------------------------------------------------

    def table(self, name: str) -> Any:
        """A processed table, or an empty frame when ingest did not write it."""
        if name not in self._frames:
            import polars as pl

            path = self.processed / f"{name}.parquet"
            self._frames[name] = pl.read_parquet(path) if path.exists() else pl.DataFrame()
        return self._frames[name]

    def rows_digest(self, frame: Any) -> str:
        """`rows_digest` of `frame`, or for a whole table as read, the sha256 ingest recorded of
        its file: the same file holds the same rows (at 10⁷ rows the row hashes take 0.9 s)."""
        for name, table in self._frames.items():
            if table is frame:
                if self._outputs is None:
                    self._outputs = store.read_manifest(self.processed).get("outputs", {})
                if self._outputs.get(f"{name}.parquet"):
                    return f"file {self._outputs[f'{name}.parquet']}"
        return rows_digest(frame)

    def latest_date(self, roadmap: str) -> str:
        """The default ``as_of`` of a roadmap's reports, by the reports' own rule
        (`pipelines.analysis.views.latest_known`); "" without data."""

        def latest() -> str:
            from pipelines.analysis.views import events_known, latest_known

            events = self._filter("milestone_events", "roadmap_id", [roadmap])
            # events count from the day they became known, as in the reports' tables
            found = latest_known(
                self._filter("observations", "indicator_id", self._indicator_ids(roadmap)),
                events_known(events, self._sources(roadmap, events)),
            )
            return "" if found is None else found.isoformat()

        return self._kept(("latest", roadmap), latest)

    def _kept(self, key: tuple[str | None, ...], compute: Callable[[], Any]) -> Any:
        """`compute()`, once per `key` in this run."""
        if key not in self._small:
            self._small[key] = compute()
        return self._small[key]

    def _filter(self, name: str, column: str, values: Iterable[str]) -> Any:
        from pipelines.core.frames import rows_in  # polars: only when a table is read

        frame = self.table(name)
        return frame if column not in frame.columns else rows_in(frame, column, values)

    def _mine(self, name: str, roadmap: str, benchmark: str | None = None) -> Any:
        """`name`'s rows of `roadmap` (and of one of its benchmarks): a table of definitions
        or events, never the observations (which have no roadmap column), so kept."""

        def mine() -> Any:
            import polars as pl

            frame = self._filter(name, "roadmap_id", [roadmap])
            if benchmark is not None and "benchmark" in frame.columns:
                frame = frame.filter(pl.col("benchmark") == benchmark)
            return frame

        return self._kept(("mine", name, roadmap, benchmark), mine)

    def _indicator_ids(self, roadmap: str, *, benchmark: str | None = None, pattern: str | None = None) -> list[str]:
        def ids() -> list[str]:
            frame = self._mine("indicators", roadmap, benchmark)
            found = frame["indicator_id"].drop_nulls().to_list() if "indicator_id" in frame.columns else []
            return sorted(i for i in found if fnmatch.fnmatchcase(i, pattern or "*"))

        return list(self._kept(("ids", roadmap, benchmark, pattern), ids))

    def _sources(self, roadmap: str, *frames: Any) -> Any:
        """Sources cited by `frames`, plus the roadmap's own."""
        cited: set[str] = set()
        for frame in (*frames, self._mine("roadmaps", roadmap)):
            if "source_id" in frame.columns:
                cited |= set(frame["source_id"].drop_nulls().unique().to_list())
        if "retired_source_id" in (benchmarks := self._mine("benchmarks", roadmap)).columns:
            cited |= set(benchmarks["retired_source_id"].drop_nulls().to_list())
        return self._filter("sources", "source_id", cited)

    def benchmark_rows(self, roadmap: str, benchmark: str) -> dict[str, Any]:
        """Benchmark `benchmark` of `roadmap`: its rows of each table (its definitions, its
        indicators' observations, its milestone events, and the sources these cite plus the
        roadmap's). The one definition of a benchmark's data, for the cache key and for the
        CSV export."""
        ids = self._indicator_ids(roadmap, benchmark=benchmark)
        rows = {name: self._mine(name, roadmap, benchmark) for name in ("benchmarks", "indicators", "milestones")}
        rows["observations"] = self._filter("observations", "indicator_id", ids)
        rows["milestone_events"] = self._mine("milestone_events", roadmap, benchmark)
        rows["sources"] = self._sources(roadmap, rows["observations"], rows["milestone_events"])
        return rows

    def roadmap_rows(self, roadmap: str) -> dict[str, Any]:
        """Every row of `roadmap`, table by table, as `benchmark_rows` gives one benchmark's."""
        ids = self._indicator_ids(roadmap)
        rows = {name: self._mine(name, roadmap) for name in ("benchmarks", "indicators", "milestones")}
        rows["observations"] = self._filter("observations", "indicator_id", ids)
        rows["milestone_events"] = self._mine("milestone_events", roadmap)
        rows["sources"] = self._sources(roadmap, rows["observations"], rows["milestone_events"])
        return rows

    def roadmap_checksum(self, roadmap: str) -> str:
        """The sha256 of every row of `roadmap` (definition, key dates and `roadmap_rows`)."""
        rows = self.roadmap_rows(roadmap)
        return _digest(self._roadmap_part(roadmap), *(rows[n] for n in sorted(rows)), self._mine("reviews", roadmap))

    def _roadmap_part(self, roadmap: str) -> str:
        """The roadmap's definition and key dates: titles, symbol and the dates charts mark."""
        return "\x1e".join(_rows(self._mine(name, roadmap)) for name in ("roadmaps", "key_dates"))

    # --- parts ----------------------------------------------------------------------------

    def benchmark(self, roadmap: str, benchmark: str) -> str:
        """The hash of benchmark `benchmark`'s slice of `roadmap`."""
        key = f"benchmark {roadmap}/{benchmark}"
        if key not in self._parts:
            rows = self.benchmark_rows(roadmap, benchmark)
            ids = self._indicator_ids(roadmap, benchmark=benchmark)
            observations, events = rows["observations"], rows["milestone_events"]
            self._parts[key] = _digest(
                self._roadmap_part(roadmap),
                *(rows[name] for name in ("benchmarks", "indicators", "milestones")),
                observations,
                events,
                rows["sources"],
                self._mine("reviews", roadmap, benchmark),
                self.quality(roadmap, benchmark, ids, observations, events),
            )
        return self._parts[key]

    def indicators(self, roadmap: str, pattern: str) -> str:
        """The hash of the slice of `roadmap`'s indicators whose id matches `pattern`."""
        key = f"indicators {roadmap}/{pattern}"
        if key not in self._parts:
            ids = self._indicator_ids(roadmap, pattern=pattern)
            observations = self._filter("observations", "indicator_id", ids)
            self._parts[key] = _digest(
                self._roadmap_part(roadmap),
                self._filter("indicators", "indicator_id", ids),
                observations,
                self._sources(roadmap, observations),
                self.quality(roadmap, "", ids, observations),
            )
        return self._parts[key]

    def definitions(self, roadmap: str) -> str:
        """The hash of the roadmap's definition and benchmarks: the rows of its scorecard."""
        key = f"definitions {roadmap}"
        if key not in self._parts:
            self._parts[key] = _digest(self._roadmap_part(roadmap), self._mine("benchmarks", roadmap))
        return self._parts[key]

    def files(self, pattern: str) -> str:
        """The hash of the raw files matching `pattern` (and of the file a YAML one names)."""
        found: dict[str, str] = {}
        for path in sorted(p for p in self.raw.glob(pattern) if p.is_file()):
            found[path.relative_to(self.raw).as_posix()] = store.sha256_file(path)
            named = _named_file(path, self.raw)
            if named is not None and named.is_file():
                found[f"{path.name} -> file"] = store.sha256_file(named)
        return fingerprints.of(found)

    def quality(self, roadmap: str, benchmark: str, ids: list[str], *frames: Any) -> str:
        """The validation failures and quarantined rows a report's data-quality panel shows
        for this slice."""
        report = self._stored_report()
        if report is None:
            return "no validation results"
        from pipelines.validate import quality

        cited: set[str] = set()
        for frame in frames:
            if "source_id" in frame.columns:
                cited |= set(frame["source_id"].drop_nulls().unique().to_list())
        restricted = quality.restrict_to(report, benchmark, tuple(ids), cited, roadmap)
        failed = [
            [table, asdict(rule)] for table, result in sorted(restricted.tables.items()) for rule in result.failed
        ]
        held = quality.quarantined_rows(self.processed, tuple(ids), benchmark or None, roadmap)
        return _sha(
            json.dumps([restricted.errors, restricted.warnings, failed], sort_keys=True, default=str) + held.write_csv()
        )

    def _stored_report(self) -> Any:
        if self._quality is False:
            from pipelines.validate import quality

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


def changed(before: Mapping[str, str] | None, after: Mapping[str, str]) -> list[str]:
    """The names of the parts that differ (or appeared, or went away)."""
    before = before or {}
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
