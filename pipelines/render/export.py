"""The data behind the reports as CSV files a reader can open in Excel or LibreOffice.

Two things make a CSV safe and pleasant to open in a spreadsheet rather than merely valid:

* **Formula injection.** A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or
  ``@`` (or a TAB or CR, or those after leading spaces) as a formula. Titles and notes come
  from outside sources, so a title such as ``=HYPERLINK("http://evil","click")`` would become
  a live link in the reader's spreadsheet. Following OWASP's "CSV Injection" advice, every
  *text* cell that could start a formula gets a leading single quote, which spreadsheets show
  as text. Numbers, dates and booleans are written by this module, not taken from a source,
  so they are never quoted: a negative value stays a number a reader can sum.
* **Encoding and line ends.** Excel guesses a CSV's encoding unless it starts with a UTF-8
  byte-order mark (accented French titles would be garbled), and expects CRLF line ends.

Exports are byte-reproducible: rows are sorted by each table's key
(`validation_results.KEY_COLUMNS`), columns follow `pipelines.core.schema`, and every value is formatted
by one fixed rule, so a re-export of unchanged data gives the same files.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl

from pipelines.core import paths, schema, store
from pipelines.core.csvsafe import csv_chunks, xlsx_bytes
from pipelines.core.errors import UsageError
from pipelines.run import slices
from pipelines.validate.results import KEY_COLUMNS

#: Tables a reader wants, in the order they are written. Quarantine (rows ingest refused) is
#: a maintainer's tool, not data behind a report; benchmarks and milestones are definitions a
#: report already prints in full.
EXPORTED: tuple[str, ...] = ("observations", "milestone_events", "sources", "indicators")


def _order(frame: pl.DataFrame, table: str) -> pl.Series:
    """The rows' positions in export order: by the table's key, then by every other column, a
    total order, so even data that breaks the key rule exports in the same order every time.

    The rows are sorted by the key first: when no two neighbours then share it (valid data),
    that is the order, since the other columns would never be consulted (sorting ten million
    rows by all eighteen columns held 3 GiB of sort keys); otherwise they are sorted by every
    column. The rows are then written in this order a slice at a time (`csv_chunks`), never
    as a sorted copy of the whole table."""
    key = [c for c in KEY_COLUMNS[table] if c in frame.columns]  # the key results name rows by
    every = key + [c for c in frame.columns if c not in key]
    if not every:
        return pl.int_range(0, frame.height, eager=True)
    order = frame.select(pl.arg_sort_by(key or every, nulls_last=True, maintain_order=True)).to_series()
    if key and frame.height > 1:
        tied = pl.repeat(True, frame.height - 1, eager=True)
        for column in key:
            ordered = frame[column].gather(order)
            tied &= ordered.slice(1).eq_missing(ordered.slice(0, frame.height - 1))
        if tied.any():
            order = frame.select(pl.arg_sort_by(every, nulls_last=True, maintain_order=True)).to_series()
    return order


def export_tables(
    processed_dir: Path,
    out_dir: Path,
    roadmap: str | None = None,
    benchmark: str | None = None,
    data: slices.Data | None = None,
) -> dict[str, Path]:
    """Write ``<table>.csv`` for each table in `EXPORTED` into `out_dir`: every row, or only
    `roadmap`'s, or ``<table>-<benchmark>.csv`` with that benchmark's rows of `roadmap`;
    returns the paths by table.

    The provenance columns ``file`` and ``line`` are kept: they are project-relative
    (`paths.display`), leak nothing about the machine, and let a reader find the raw row.
    Files are written atomically (0644 under the usual umask). An unknown roadmap or
    benchmark is refused rather than exported as empty files. `data`: the tables as already
    read (`export_all` reads them once for every set).
    """
    return {
        name: file.path for name, file in _export(processed_dir, out_dir, roadmap, benchmark, data, None, None).items()
    }


def _export(
    processed_dir: Path,
    out_dir: Path,
    roadmap: str | None,
    benchmark: str | None,
    data: slices.Data | None,
    cut_from: Mapping[str, Written] | None,
    earlier: Earlier | None,
) -> dict[str, Written]:
    """`export_tables`, with each table's rows, sha256 and digest beside its file (for the sets
    cut from this one, and the build's record); `cut_from`: the set these rows were cut from;
    `earlier`: where to find a file an earlier export wrote from the same rows."""
    suffix = ""
    if benchmark is not None and roadmap is None:
        raise UsageError("a benchmark's export needs its roadmap", step="export")
    data = data or _read(processed_dir)
    if roadmap is None:
        frames = {name: data.table(name) for name in EXPORTED}
    else:
        roadmaps = sorted(data.table("roadmaps")["roadmap_id"].to_list())
        if roadmap not in roadmaps:
            raise UsageError(f"unknown roadmap {roadmap!r}; known: {', '.join(roadmaps) or 'none'}", step="export")
        frames = data.roadmap_rows(roadmap)
        if benchmark is not None:
            benchmarks = data.table("benchmarks").filter(pl.col("roadmap_id") == roadmap)
            known = sorted(benchmarks["benchmark"].drop_nulls().unique().to_list())
            if benchmark not in known:
                raise UsageError(
                    f"unknown benchmark {benchmark!r} of roadmap {roadmap}; known: {', '.join(known) or 'none'}",
                    step="export",
                )
            frames = data.benchmark_rows(roadmap, benchmark)  # its cache key's rows
            suffix = f"-{benchmark}"
    return {
        name: _write(
            frames[name], name, out_dir / f"{name}{suffix}.csv", (cut_from or {}).get(name), earlier, data.rows_digest
        )
        for name in EXPORTED
    }


class Written(NamedTuple):
    """One table's CSV as written."""

    rows: pl.DataFrame
    path: Path
    sha256: str
    #: The rows' digest (`slices.rows_digest`): the same digest and code give the same bytes.
    digest: str
    #: The same rows as a spreadsheet beside it (`xlsx_path`) and its sha256; none for rows
    #: that do not fit a sheet (`csvsafe.xlsx_bytes`).
    xlsx: Path | None = None
    xlsx_sha256: str = ""


#: Where an export finds a CSV an earlier one wrote: given the path it is to be written to and
#: the digest of its rows, that earlier file and its sha256, if it holds those rows' bytes.
Earlier = Callable[[Path, str], tuple[Path, str] | None]


def _write(
    frame: pl.DataFrame,
    table: str,
    path: Path,
    parent: Written | None,
    earlier: Earlier | None,
    digest_of: Callable[[pl.DataFrame], str],
) -> Written:
    """Write one table's CSV, hashed as it is written (at 10⁷ rows, reading 1.7 GB back to hash
    it took 1.5 s). Formatting is the cost (20 s for every row at 10⁷, against 2 s for a copy),
    so a CSV whose bytes are known already is copied, not sorted and formatted again: when it
    holds exactly the rows of the file it was cut from (one roadmap's data is every roadmap's,
    one benchmark's is its roadmap's), from that file; when an earlier export wrote the same
    rows to the same file (`earlier`: after one figure changed, 3 of the 72 files change), from
    that one. `digest_of`: the digest of a frame's rows (`slices.Data.rows_digest`)."""
    if parent is not None and (
        parent.rows is frame or (parent.rows.height == frame.height and parent.rows.equals(frame))
    ):
        store.copy_atomic(parent.path, path)
        if parent.xlsx is not None:
            store.copy_atomic(parent.xlsx, xlsx_path(path))
            return Written(frame, path, parent.sha256, parent.digest, xlsx_path(path), parent.xlsx_sha256)
        return Written(frame, path, parent.sha256, parent.digest)
    rows = digest_of(frame)
    found = earlier(path, rows) if earlier is not None else None
    found_xlsx = earlier(xlsx_path(path), rows) if earlier is not None else None
    if found is not None and found_xlsx is not None:
        store.copy_atomic(found[0], path)
        store.copy_atomic(found_xlsx[0], xlsx_path(path))
        return Written(frame, path, found[1], rows, xlsx_path(path), found_xlsx[1])
    digest = hashlib.sha256()
    order = _order(frame, table)
    store.write_bytes_atomic(path, csv_chunks(frame, order=order), digest=digest)
    return Written(frame, path, digest.hexdigest(), rows, *_write_xlsx(frame, path, order))


def xlsx_path(csv: Path) -> Path:
    """Where the spreadsheet of a CSV goes: beside it, of the same name."""
    return csv.with_suffix(".xlsx")


def _write_xlsx(frame: pl.DataFrame, csv: Path, order: pl.Series | None = None) -> tuple[Path | None, str]:
    """Write the spreadsheet of `csv`'s rows beside it (`csvsafe.xlsx_bytes`); its path and
    sha256, or (None, "") when the rows do not fit a sheet."""
    data = xlsx_bytes(frame, order)
    if data is None:
        return None, ""
    path = xlsx_path(csv)
    digest = hashlib.sha256()
    store.write_bytes_atomic(path, [data], digest=digest)
    return path, digest.hexdigest()


def _read(processed_dir: Path) -> slices.Data:
    """The processed tables, selected exactly as the reports' slices are; a clear error for a
    table ingest did not write (`store.read_table`'s), rather than an empty export."""
    for name in (*EXPORTED, "roadmaps", "benchmarks"):
        if not (processed_dir / f"{name}.parquet").exists():
            store.read_table(name, processed_dir)
    return slices.Data(processed_dir, paths.RAW)


# --- the data package -------------------------------------------------------------------------

#: Written beside the CSVs: a Frictionless (Tabular) Data Package describing every one of them.
PACKAGE = "datapackage.json"
#: The licence we give the compilation (README, "The data behind the reports"): each figure
#: stays under the terms of its own source, listed in sources.csv.
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International (the compilation; each figure remains under "
    "the terms of its source, see sources.csv)",
}
#: What a reader of the files needs to know first, in English and French.
DESCRIPTION = (
    "The data behind the reports on the benchmarks of UN peace operations' roadmaps, as the reports read it: every "
    "table of all roadmaps, and under each roadmap's folder its tables and each benchmark's rows. UTF-8 with a "
    "byte-order mark, CRLF line ends, ISO dates, a dot for decimals, empty for unknown. A text cell that a spreadsheet "
    "would run as a formula (starting with =, +, -, @, after spaces too) is written with a leading ': drop it to read "
    "the text as published. Beside each CSV, a spreadsheet of the same name (.xlsx) holds the same rows with typed "
    "numbers and dates, so that a spreadsheet in any language reads numbers as numbers (and needs no leading ').",
    "Les données des rapports sur les critères des feuilles de route des opérations de paix de l'ONU, telles que les "
    "rapports les lisent : chaque table de toutes les feuilles de route et, dans le dossier de chacune, ses tables et "
    "les lignes de chaque critère. UTF-8 avec marque d'ordre des octets, fins de ligne CRLF, dates ISO, point "
    "décimal, vide pour inconnu. Une cellule de texte qu'un tableur exécuterait comme une formule (commençant par =, "
    "+, -, @, même après des espaces) est écrite précédée d'une ' : l'enlever pour lire le texte tel que publié. À côté de chaque CSV, un classeur du même nom (.xlsx) contient les "
    "mêmes lignes, nombres et dates typés : un tableur en français y lit les nombres comme des nombres (sans ').",
)
#: What each exported table is, in English and French (resource titles).
TITLES: dict[str, tuple[str, str]] = {
    "observations": ("Figures", "Chiffres"),
    "milestone_events": ("Milestone events", "Événements des jalons"),
    "sources": ("Sources", "Sources"),
    "indicators": ("Indicators", "Indicateurs"),
}
#: The foreign keys the exported tables hold, column -> table whose key it names. Each is an
#: error rule of the suites (observations: known-indicator, known-source; milestone_events:
#: known-source), and a CSV set is published only after a validation that passed, so every
#: published set satisfies them; each slice exports the sources and indicators its rows cite.
FOREIGN_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "observations": (("indicator_id", "indicators"), ("source_id", "sources")),
    "milestone_events": (("source_id", "sources"),),
}
#: Table Schema type of each polars dtype of `pipelines.core.schema` (written by `csvsafe._as_text`).
_TYPES: dict[type[pl.DataType], str] = {
    pl.String: "string",
    pl.Float64: "number",
    pl.Int8: "integer",
    pl.Int64: "integer",
    pl.Date: "date",
    pl.Boolean: "boolean",
}


def export_all(
    processed_dir: Path,
    out_dir: Path,
    earlier: Callable[[str, str], tuple[Path, str] | None] | None = None,
    assessed: Mapping[str, date] | None = None,
) -> dict[Path, tuple[str, str]]:
    """Every CSV set the reports link to, and the data package describing them, in `out_dir`:
    each table of all roadmaps, and under ``<roadmap>/`` that roadmap's tables and each of its
    benchmarks' rows, and for each roadmap of `assessed` its assessment on that date
    (``assessments.csv``, the statuses every page of the build shows). Returns each file
    written, in order, with its sha256 and the digest of its rows ("" for the package and the
    assessments). `earlier`: given a CSV's path relative to `out_dir` and its rows' digest, a
    file an earlier export wrote from those rows, and its sha256, to copy."""
    data = _read(processed_dir)  # each table read once, for every set
    roadmaps, benchmarks = data.table("roadmaps"), data.table("benchmarks")

    def found(path: Path, rows: str) -> tuple[Path, str] | None:
        return earlier(path.relative_to(out_dir).as_posix(), rows) if earlier is not None else None

    every = _export(processed_dir, out_dir, None, None, data, None, found)
    sets: list[tuple[str | None, str | None, dict[str, Written]]] = [(None, None, every)]
    for roadmap in sorted(roadmaps["roadmap_id"].to_list()):
        mine = _export(processed_dir, out_dir / roadmap, roadmap, None, data, every, found)
        sets.append((roadmap, None, mine))
        ids = benchmarks.filter(pl.col("roadmap_id") == roadmap)["benchmark"].drop_nulls().unique().sort()
        sets += [
            (roadmap, b, _export(processed_dir, out_dir / roadmap, roadmap, b, data, mine, found))
            for b in ids.to_list()
        ]
    written = {file.path: (file.sha256, file.digest) for *_, files in sets for file in files.values()}
    written |= {
        file.xlsx: (file.xlsx_sha256, file.digest) for *_, files in sets for file in files.values() if file.xlsx
    }
    statuses = {
        roadmap: _write_assessments(processed_dir, out_dir / roadmap / ASSESSMENTS, roadmap, day)
        for roadmap, day in sorted((assessed or {}).items())
    }  # each CSV, then its spreadsheet
    package = out_dir / PACKAGE
    listed = [
        (roadmap, benchmark, {name: file.path for name, file in files.items()}) for roadmap, benchmark, files in sets
    ]
    store.write_json_atomic(
        package,
        datapackage(
            listed,
            out_dir,
            data.table("sources"),
            roadmaps,
            assessments=[next(iter(files)) for files in statuses.values()],
        ),
    )
    return (
        written
        | {path: (sha, "") for files in statuses.values() for path, sha in files.items()}
        | {package: (store.sha256_file(package), "")}
    )


#: Each roadmap's assessment at the build's date, beside its tables (`pipelines.analysis.assessment`).
ASSESSMENTS = "assessments.csv"


def _write_assessments(processed_dir: Path, path: Path, roadmap: str, day: date) -> dict[Path, str]:
    """Write one roadmap's assessment table at ``day``, and its spreadsheet beside it; the
    sha256 of each file written, the CSV first."""
    from pipelines.analysis.assessment import assessments
    from pipelines.analysis.views import Tables

    frame = assessments(Tables.load(processed_dir, roadmap), day)
    digest = hashlib.sha256()
    store.write_bytes_atomic(path, csv_chunks(frame), digest=digest)
    sheet, sha = _write_xlsx(frame, path)
    return {path: digest.hexdigest()} | ({sheet: sha} if sheet else {})


def datapackage(
    sets: list[tuple[str | None, str | None, dict[str, Path]]],
    folder: Path,
    sources: pl.DataFrame,
    roadmaps: pl.DataFrame,
    assessments: Sequence[Path] = (),
) -> dict[str, Any]:
    """The Frictionless Tabular Data Package (v1) of the CSV `sets` under `folder`: one
    resource per CSV, its Table Schema made from `pipelines.core.schema` (types, descriptions
    in English and French, units), the table's key as primary key, and foreign keys to the
    sources and indicators of the same set. No date nor path of the machine: the same data
    gives the same bytes.

    Descriptions: ``description`` in English, the property every Frictionless tool shows, and
    ``description_fr`` beside it (a Table Schema may carry extra properties); a per-language
    object in ``description`` would break the tools that expect text.
    """
    documents = roadmaps.sort("roadmap_id").join(sources, on="source_id", how="left")
    return {
        "profile": "tabular-data-package",
        "name": "un-peace-operation-roadmaps",
        "title": "UN peace-operation roadmaps: the figures, milestone events, indicators and sources behind the reports",
        "title_fr": "Feuilles de route des opérations de paix de l'ONU : chiffres, événements des jalons, indicateurs "
        "et sources des rapports",
        "licenses": [LICENSE],
        "description": DESCRIPTION[0],
        "description_fr": DESCRIPTION[1],
        "sources": [
            {"title": f"{row['symbol']}: {row['title']}", "path": row["url"]}
            for row in documents.iter_rows(named=True)
            if row["url"]
        ]
        + [{"title": "Every document a figure or an event cites, with its link (sources.csv)", "path": "sources.csv"}],
        "resources": [
            _resource(name, path.relative_to(folder).as_posix(), _scope(roadmap, benchmark), files)
            for roadmap, benchmark, files in sets
            for name, path in files.items()
        ]
        + [_assessment_resource(path.relative_to(folder).as_posix()) for path in assessments],
    }


def _scope(roadmap: str | None, benchmark: str | None) -> tuple[str, str]:
    if roadmap is None:
        return "every roadmap", "toutes les feuilles de route"
    if benchmark is None:
        return f"roadmap {roadmap}", f"feuille de route {roadmap}"
    return f"benchmark {benchmark} of roadmap {roadmap}", f"critère {benchmark} de la feuille de route {roadmap}"


def resource_name(path: str) -> str:
    """A resource name from a CSV's path in the package (``s-2021-300/observations-D.csv`` ->
    ``s-2021-300-observations-d``): the spec allows lower-case letters, digits, ``-._`` only."""
    return re.sub(r"[^a-z0-9._-]", "_", path.removesuffix(".csv").replace("/", "-").lower())


def _fields(columns: Mapping[str, tuple[pl.DataType, schema.Described]]) -> list[dict[str, Any]]:
    """Table Schema fields: each column's type, its meaning in English and French, its unit."""
    return [
        {"name": column, "type": _TYPES[type(dtype)], "description": about.en, "description_fr": about.fr}
        | ({"unit": about.unit} if about.unit else {})
        for column, (dtype, about) in columns.items()
    ]


def _assessment_resource(path: str) -> dict[str, Any]:
    """A roadmap's ``assessments.csv``: one row per benchmark and per target indicator."""
    from pipelines.analysis.assessment import COLUMNS

    roadmap = path.split("/")[0]
    return _csv_resource(
        resource_name(path),
        path,
        (f"Assessment, roadmap {roadmap}", f"Évaluation, feuille de route {roadmap}"),
        {"fields": _fields(COLUMNS), "missingValues": [""]},
    )


def _resource(table: str, path: str, scope: tuple[str, str], files: dict[str, Path]) -> dict[str, Any]:
    siblings = {name: resource_name(Path(path).with_name(p.name).as_posix()) for name, p in files.items()}
    columns = schema.DESCRIPTIONS[table]
    fields = _fields({column: (dtype, columns[column]) for column, dtype in schema.TABLES[table].items()})
    en, fr = TITLES[table]
    return _csv_resource(
        siblings[table],
        path,
        (f"{en}, {scope[0]}", f"{fr}, {scope[1]}"),
        {
            "fields": fields,
            "primaryKey": list(KEY_COLUMNS[table]),
            "missingValues": [""],
        }
        | (
            {
                "foreignKeys": [
                    {"fields": [column], "reference": {"resource": siblings[target], "fields": [column]}}
                    for column, target in FOREIGN_KEYS[table]
                ]
            }
            if table in FOREIGN_KEYS
            else {}
        ),
    )


def _csv_resource(name: str, path: str, titles: tuple[str, str], table_schema: dict[str, Any]) -> dict[str, Any]:
    """A CSV resource as every export writes it (`csvsafe`): its dialect and encoding."""
    return {
        "profile": "tabular-data-resource",
        "name": name,
        "path": path,
        "title": titles[0],
        "title_fr": titles[1],
        "format": "csv",
        "mediatype": "text/csv",
        # UTF-8 with a byte-order mark: "utf-8" is the IANA name every reader knows (frictionless
        # and readr skip the mark); Python's own name for it, "utf-8-sig", is refused by R's frictionless.
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True},
        "schema": table_schema,
    }
