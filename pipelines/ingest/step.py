"""Step 1, ``python -m pipelines ingest``: every raw file into typed Parquet tables.

Reads the roadmap definitions, the curated observations, milestone events and sources, and the
declared extracts (WDI, OWID, DDF, HXL), normalises them (regions to ISO 3166, French decimal
commas, shares written as fractions or seat counts, dates and years) and writes
``data/processed/``. A row that cannot be normalised is never dropped: it goes to the
quarantine table with its file, line, column, value and reason, and is listed on screen.
``--strict`` turns any quarantined row into a failure (exit code 2).

This module finds the inputs, reads them, writes the tables and the manifest, and is the
step's command line. The rules a curated table's rows must meet, and the quarantine of those
that do not, are in `pipelines.ingest.curated`; the roadmap files in
`pipelines.ingest.catalogue`; the extracts in `pipelines.ingest.loaders`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.core import geo, paths, schema, store, uptodate
from pipelines.core.errors import DataError, ExitCode, Problem, row_word
from pipelines.ingest import catalogue as catalogue_mod
from pipelines.ingest import rawio, spreadsheets, tabular
from pipelines.ingest import reviews as reviews_mod
from pipelines.ingest.curated import (
    Quarantine,
    check_milestones,
    check_observations,
    milestones_table,
    normalise_sources,
    observations_table,
    with_known_from,
)

OBSERVATION_REQUIRED = ("indicator_id", "geo", "period_start", "value", "source_id")
OBSERVATION_OPTIONAL = ("period_end", "unit", "confidence", "note", "published", "dated")
MILESTONE_REQUIRED = ("benchmark", "milestone_id", "date", "status", "source_id")
#: ``roadmap_id`` may be left out while a (benchmark, milestone_id) names one roadmap's milestone.
MILESTONE_OPTIONAL = ("roadmap_id", "description_fr", "description_en", "confidence", "published")
SOURCE_REQUIRED = ("source_id", "title", "url", "kind")
#: Every source is dated: ``published`` (with ``published_basis``) or ``published_rule``; the columns
#: are optional so that a file may carry only one of them.
SOURCE_OPTIONAL = ("publisher", "symbol", "published", "published_basis", "published_rule", "paragraph")
#: The tables a user writes, each by the name of the spreadsheet sheet that may hold it
#: (`pipelines.ingest.spreadsheets`): (required columns, optional columns).
FORMATS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "observations": (OBSERVATION_REQUIRED, OBSERVATION_OPTIONAL),
    "milestone_events": (MILESTONE_REQUIRED, MILESTONE_OPTIONAL),
    "sources": (SOURCE_REQUIRED, SOURCE_OPTIONAL),
}


@dataclass(frozen=True)
class Inputs:
    """The raw files of one project, found by convention under data/raw/."""

    roadmaps: list[Path]
    geographies: list[Path]
    observations: list[Path]
    milestones: list[Path]
    sources: list[Path]
    extracts: list[Path]
    #: Reviews, one file per roadmap: ``reviews/<roadmap_id>.csv`` (`pipelines.ingest.reviews`).
    reviews: list[Path]
    #: Spreadsheets (.xlsx, .ods) in data/raw/ or data/raw/observations/: their sheets say
    #: which tables they hold.
    workbooks: list[Path]

    @classmethod
    def discover(cls, raw: Path) -> Inputs:
        def files(pattern: str) -> list[Path]:
            """The files matching `pattern`; a link out of data/raw, even a dangling one, is refused."""
            found = sorted(raw.glob(pattern))
            for path in found:
                rawio.refuse_link_out(path, raw)
            return [p for p in found if p.is_file()]

        def csvs(stem: str) -> list[Path]:
            """`stem`.csv, plain or compressed as rawio reads it (.csv.gz, .csv.zip), in one order."""
            return sorted({p for ext in (".csv", ".csv.gz", ".csv.zip") for p in files(stem + ext)})

        return cls(
            roadmaps=files("roadmaps/*.yaml") + files("roadmaps/*.yml"),
            geographies=files(f"{geo.FOLDER}/*.yaml"),
            observations=csvs("observations/*"),
            milestones=csvs("milestones*"),
            sources=csvs("sources*"),
            extracts=files("extracts/*.yaml") + files("extracts/*.yml"),
            reviews=csvs(f"{reviews_mod.FOLDER}/*"),
            workbooks=sorted(
                p for folder in ("*", "observations/*") for p in files(folder) if spreadsheets.is_workbook(p)
            ),
        )

    def all_files(self) -> list[Path]:
        """Every input whose bytes the outputs depend on, extracts' data files included."""
        found = [
            *self.roadmaps,
            *self.geographies,
            *self.observations,
            *self.milestones,
            *self.sources,
            *self.extracts,
            *self.reviews,
            *self.workbooks,
        ]
        if self.extracts:
            from pipelines.ingest.loaders.declaration import read_declaration

            found += [read_declaration(p).file for p in self.extracts]
        return sorted(set(found))


@dataclass(frozen=True)
class Result:
    """What one ingest produced."""

    tables: dict[str, pl.DataFrame]
    quarantine: pl.DataFrame
    checksums: dict[str, str]
    encodings: dict[str, str]
    #: What a reader of the log should know about how files were read (a semicolon-separated
    #: CSV, a hidden sheet read like the others), one sentence each.
    notes: tuple[str, ...] = ()


def ingest(raw_dir: Path = paths.RAW, checksums: dict[str, str] | None = None) -> Result:
    """Read and normalise every input under `raw_dir`; no file is written. The inputs are
    checksummed for the manifest in a thread beside the reading (hashlib and file reads let
    other threads run: at 10⁷ rows, 770 MB hashed while polars normalises), unless the caller
    already did (`checksums`, as `main` has when it looked for a change: hashing them twice
    cost 1.4 s at 10⁷ rows)."""
    inputs = Inputs.discover(raw_dir)
    if not inputs.roadmaps:
        raise DataError(
            Problem(
                paths.display(raw_dir / "roadmaps"),
                None,
                None,
                None,
                "required-file",
                "no roadmap definition (*.yaml) found",
            )
        )
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="checksums") as hashing:
        # checksums given (as a copy) come out of a future too: one way to read them either way
        hashed = hashing.submit(input_checksums, inputs) if checksums is None else hashing.submit(dict, checksums)
        tables, quarantine, encodings, notes = _read(inputs, raw_dir)
        return Result(
            tables=tables, quarantine=quarantine, checksums=hashed.result(), encodings=encodings, notes=tuple(notes)
        )


def _read(inputs: Inputs, raw_dir: Path) -> tuple[dict[str, pl.DataFrame], pl.DataFrame, dict[str, str], list[str]]:
    """Every table, normalised; the quarantine; each file's encoding; notes for the log.

    Every file is opened (its header, encoding and line ends checked) before any row is
    checked, so the first problem found is the same whichever way a file is read; a big CSV's
    rows are then read and checked a batch at a time (`tabular.read_batches`): what ingest
    holds is the rows it keeps, never a whole file of rows it refuses."""
    with Quarantine() as quarantine:
        encodings: dict[str, str] = {}
        notes: list[str] = []
        cat = catalogue_mod.load(inputs.roadmaps)

        raw_obs: list[Iterable[pl.DataFrame]] = [
            _batches(p, *FORMATS["observations"], encodings, notes) for p in inputs.observations
        ]
        raw_obs += [[_from_extract(p, encodings)] for p in inputs.extracts]
        raw_events: list[Iterable[pl.DataFrame]] = [
            _batches(p, *FORMATS["milestone_events"], encodings, notes) for p in inputs.milestones
        ]
        raw_sources: list[Iterable[pl.DataFrame]] = [
            _batches(p, *FORMATS["sources"], encodings, notes) for p in inputs.sources
        ]
        sheets = {"observations": raw_obs, "milestone_events": raw_events, "sources": raw_sources}
        for path in inputs.workbooks:
            workbook = spreadsheets.read_workbook(path, FORMATS)
            for sheet in workbook.sheets:
                sheets[sheet.table].append([sheet.frame])
                for problem, cells in sheet.refused:
                    quarantine.add(problem, cells)
            notes.extend(workbook.notes)
        read: dict[str, int] = {}
        observations = observations_table(
            _checked(
                sheets.pop("observations"),
                schema.RAW_OBSERVATION_COLUMNS,
                lambda raw: check_observations(raw, cat, quarantine, raw_dir),
                read,
            )
        )
        events = milestones_table(
            _checked(
                sheets.pop("milestone_events"),
                (*MILESTONE_REQUIRED, *MILESTONE_OPTIONAL),
                lambda raw: check_milestones(raw, cat, quarantine),
                read,
            )
        )
        # sources are checked whole: a source id is unique across every row of every file
        sources = normalise_sources(
            pl.concat(_checked(sheets.pop("sources"), (*SOURCE_REQUIRED, *SOURCE_OPTIONAL), lambda raw: raw, read)),
            quarantine,
        )
        _declared_sources_exist(cat, sources)
        observations = with_known_from(observations, sources)
        reviews = reviews_mod.normalise_reviews(
            (read_csv(p, reviews_mod.REQUIRED, reviews_mod.OPTIONAL, encodings, notes) for p in inputs.reviews),
            cat,
            sources,
        )
        tables = {
            "roadmaps": cat.roadmaps,
            "key_dates": cat.key_dates,
            "observations": observations,
            "milestone_events": events,
            "sources": sources,
            "benchmarks": cat.benchmarks,
            "indicators": cat.indicators,
            "milestones": cat.milestones,
            "reviews": reviews,
        }
        _refuse_mostly_refused(quarantine.rows(), read)
        q = quarantine.frame()
        tables["quarantine"] = q
        return tables, q, encodings, notes


#: A file with at least this many rows, more than half of them refused, is refused whole.
MOSTLY_REFUSED_MIN_ROWS = 20
#: How many of a refused file's rows its summary shows.
SUMMARY_ROWS = 5


def _checked(
    files: list[Iterable[pl.DataFrame]],
    columns: Iterable[str],
    check: Callable[[pl.DataFrame], pl.DataFrame],
    read: dict[str, int],
) -> list[pl.DataFrame]:
    """The rows `check` keeps of every file (or sheet, or extract), each file's frames shaped
    to `columns` and checked one after the other as they are read; the rows each file gave are
    counted in `read`, by its name as the quarantine writes it."""
    wanted = list(columns)
    kept = []
    while files:  # each file let go once checked: at 10^7 rows a raw copy held through the checks is gigabytes
        for frame in files.pop(0):
            for file, n in frame.group_by("file").len().iter_rows():
                read[str(file)] = read.get(str(file), 0) + n
            kept.append(check(_shaped(frame, wanted)))
    return kept or [check(_shaped(None, wanted))]


def _refuse_mostly_refused(quarantine: pl.LazyFrame, read: dict[str, int]) -> None:
    """A file whose rows are mostly refused is not data with a few mistakes but the wrong file
    (junk under a valid header, another table, a shifted delimiter): building on its few
    readable rows and listing the rest row by row would publish pages of noise. It is refused
    whole, with a summary: its counts by rule and its first refused rows, read from the rows
    set aside (`Quarantine.rows`) a piece at a time."""
    per_file = quarantine.group_by("file").len().collect(engine="streaming")
    for file, refused in per_file.sort("file").iter_rows():
        total = read.get(file, 0)
        if total < MOSTLY_REFUSED_MIN_ROWS or refused * 2 <= total:
            continue
        rows = quarantine.filter(pl.col("file") == file)
        rules = rows.group_by("rule").len().sort(["len", "rule"], descending=[True, False]).collect(engine="streaming")
        first = rows.sort(["line", "column"], nulls_last=True).head(SUMMARY_ROWS).collect(engine="streaming")
        raise DataError(
            Problem(
                file,
                None,
                None,
                f"{refused} of {total} rows",
                "mostly-refused",
                "more than half of the file's rows are refused, so the file is refused whole (is it the file you "
                "meant?); by rule: "
                + ", ".join(f"{rule} {n}" for rule, n in rules.iter_rows())
                + "; the first: "
                + "; ".join(
                    f"{row_word(file)} {r['line']}, column '{r['column']}': {r['reason']}"
                    for r in first.iter_rows(named=True)
                ),
            )
        )


def _batches(
    path: Path, required: Iterable[str], optional: Iterable[str], encodings: dict[str, str], notes: list[str]
) -> Iterator[pl.DataFrame]:
    """One curated CSV as text frames, a batch of rows at a time; its encoding, and a delimiter
    other than the comma, are recorded for the log."""
    batches = tabular.read_batches(path, tuple(required), tuple(optional))
    encodings[paths.display(path)] = batches.encoding
    if batches.delimiter != ",":
        notes.append(f"{paths.display(path)} was read as {tabular.DELIMITERS[batches.delimiter]}-separated")
    return batches.frames


def read_csv(
    path: Path, required: Iterable[str], optional: Iterable[str], encodings: dict[str, str], notes: list[str]
) -> pl.DataFrame:
    """One curated CSV as a text frame, whole (`_batches`)."""
    return pl.concat(_batches(path, required, optional, encodings, notes))


def _declared_sources_exist(cat: catalogue_mod.Catalogue, sources: pl.DataFrame) -> None:
    """Every source a roadmap file names in an indicator's ``assessment.series`` is a known
    source: a misspelt id would otherwise silently leave the indicator with no series."""
    known = set(sources["source_id"].to_list())
    files = dict(zip(cat.roadmaps["roadmap_id"], cat.roadmaps["file"], strict=True))
    for row in cat.indicators.filter(pl.col("assess_series").is_not_null()).iter_rows(named=True):
        for source in row["assess_series"].split():
            if source not in known:
                raise DataError(
                    Problem(
                        files[row["roadmap_id"]],
                        None,
                        "assessment.series",
                        source,
                        "known-source",
                        f"indicator {row['indicator_id']}: source '{source}' is not in the "
                        "sources files (data/raw/sources*.csv)",
                    )
                )


def _from_extract(declaration: Path, encodings: dict[str, str]) -> pl.DataFrame:
    from pipelines.ingest.loaders import load_extract

    loaded = load_extract(declaration)
    encodings[loaded.frame["file"][0] if loaded.frame.height else paths.display(declaration)] = loaded.encoding
    return loaded.frame.drop("column", strict=False)


def _shaped(frame: pl.DataFrame | None, columns: list[str]) -> pl.DataFrame:
    """A raw frame in `columns` (text, a column it lacks empty), ``file`` and ``line``; no frame:
    an empty one."""
    if frame is None:
        return pl.DataFrame(schema={**{c: pl.String for c in columns}, "file": pl.Categorical, "line": pl.Int64})
    # the file's name repeats on every row: categorical while ingest works (4 bytes a row, not
    # its name's length), a string again in the table it writes (`schema.conform`)
    return frame.select(
        [(pl.col(c) if c in frame.columns else pl.lit(None, dtype=pl.String).alias(c)) for c in columns]
        + [pl.col("file").cast(pl.Categorical), pl.col("line").cast(pl.Int64)]
    )


def input_checksums(inputs: Inputs) -> dict[str, str]:
    """sha256 of every input, by its path as shown to the user (the manifest's "inputs")."""
    return {paths.display(p): store.sha256_file(p) for p in inputs.all_files()}


@dataclass(frozen=True)
class Previous:
    """What the last ingest into a folder left: its manifest when it was made from these very
    inputs by this very code and its tables are as it wrote them (else None), and the inputs'
    checksums when they had to be computed to know (else None: no earlier ingest to compare)."""

    manifest: dict[str, Any] | None
    checksums: dict[str, str] | None


def _previous(raw_dir: Path, out_dir: Path) -> Previous:
    """The last ingest into `out_dir`, compared with `raw_dir` as it is now. A folder with no
    manifest or key of ingest's is not up to date whatever the inputs hold, so they are not
    hashed for it (the reading hashes them, in a thread)."""
    manifest = store.read_manifest(out_dir)
    if not manifest or not uptodate.stamp(out_dir, "ingest").is_file():
        return Previous(None, None)
    checksums = input_checksums(Inputs.discover(raw_dir))
    outputs = {out_dir / name: sha for name, sha in manifest.get("outputs", {}).items()}
    if uptodate.current(out_dir, "ingest", uptodate.key(inputs=checksums), {**outputs, out_dir / store.MANIFEST: None}):
        return Previous(manifest, checksums)
    return Previous(None, checksums)


def write(result: Result, directory: Path = paths.PROCESSED) -> dict[str, str]:
    """Write the tables atomically, then the manifest naming inputs and outputs."""
    counts = {name: frame.height for name, frame in result.tables.items()}
    manifest = {"inputs": result.checksums, "counts": counts, "encodings": result.encodings}
    return store.write_tables(result.tables, manifest, directory)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m pipelines ingest``."""
    parser.add_argument("--raw", type=Path, default=paths.RAW, help="folder of raw inputs (default: data/raw)")
    parser.add_argument("--out", type=Path, default=paths.PROCESSED, help="output folder (default: data/processed)")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit code 2) when any row is quarantined, after writing the outputs",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="read data/raw again even when no input, nor the code, changed since the last ingest",
    )


def main(args: argparse.Namespace) -> int:
    """Run ingest, print what was written and what was set aside."""
    from rich.console import Console

    console = Console(stderr=True, highlight=False)
    last = _previous(args.raw, args.out)
    previous = last.manifest
    if previous is not None and not args.force:
        quarantined = int(previous.get("counts", {}).get("quarantine", 0))
        console.print(
            f"[ingest] {paths.display(args.raw)} unchanged since the last ingest ({len(previous['inputs'])} "
            f"inputs, same checksums, same code): {paths.display(args.out)} is up to date; --force to read "
            f"again" + (f"; {quarantined} row(s) stay quarantined" if quarantined else ""),
            markup=False,
        )
        if quarantined and args.strict:
            console.print("[bold red]ingest --strict: failing because rows were quarantined[/]")
            return ExitCode.DATA_INVALID
        return ExitCode.OK
    console.print(f"[ingest] reading {paths.display(args.raw)}", markup=False)
    reading = getattr(args, "on_reading", None)
    if reading is not None:  # `report`: the data changed, so validate follows; it may start ahead
        reading()
    with console.status("ingest: reading data/raw …"):
        result = ingest(args.raw, last.checksums)
        write(result, args.out)
    uptodate.record(args.out, "ingest", uptodate.key(inputs=result.checksums))  # what was read, to the byte
    for name in sorted(result.tables):
        console.print(f"  wrote {paths.display(args.out / (name + '.parquet'))}  ({result.tables[name].height} rows)")
    console.print(f"  wrote {paths.display(args.out / store.MANIFEST)}  ({len(result.checksums)} inputs checksummed)")
    for name, enc in sorted(result.encodings.items()):
        if enc not in ("utf-8", "utf-8-sig"):
            console.print(f"  note: {name} was read as {enc}")
    for note in result.notes:
        console.print(f"  note: {note}", markup=False, soft_wrap=True)
    q = result.quarantine
    if q.height:
        console.print(f"[bold yellow]ingest: {q.height} row(s) quarantined[/] (data/processed/quarantine.parquet):")
        for row in q.head(50).iter_rows(named=True):
            console.print(
                "  - "
                + str(Problem(row["file"], row["line"], row["column"], row["value"], row["rule"], row["reason"])),
                markup=False,
                soft_wrap=True,
            )
        if q.height > 50:
            console.print(f"  … and {q.height - 50} more")
        if args.strict:
            console.print("[bold red]ingest --strict: failing because rows were quarantined[/]")
            return ExitCode.DATA_INVALID
    return ExitCode.OK
