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

import re
from decimal import Decimal
from pathlib import Path

import polars as pl

from pipelines import slices
from pipelines.core import paths, store
from pipelines.core.errors import UsageError
from pipelines.validation_results import KEY_COLUMNS

#: Tables a reader wants, in the order they are written. Quarantine (rows ingest refused) is
#: a maintainer's tool, not data behind a report; benchmarks and milestones are definitions a
#: report already prints in full.
EXPORTED: tuple[str, ...] = ("observations", "milestone_events", "sources", "indicators")


#: A cell a spreadsheet would read as a formula (OWASP): its first character, or its first
#: after leading whitespace (spreadsheets skip the spaces and still evaluate), is one of
#: ``= + - @``, TAB, CR, or a full-width ``＝ ＋ － ＠`` that some spreadsheets normalise.
DANGEROUS_FIRST: frozenset[str] = frozenset("=+-@\t\r＝＋－＠")
#: One pattern for `neutralise` (Python's re) and for whole columns (polars), so both agree.
DANGEROUS = r"^\s*[=+\-@\t\r＝＋－＠]"
_DANGEROUS = re.compile(DANGEROUS)


def neutralise(text: str) -> str:
    """`text`, with a leading ``'`` if a spreadsheet would otherwise read it as a formula.

    Anything else, including ``e-mail`` or ``41/147``, is returned unchanged, so ordinary
    text is never altered.
    """
    return "'" + text if _DANGEROUS.match(text) else text


def _number(value: float) -> str:
    """The shortest decimal that reads back as the same float, in positional notation: a
    reader sees ``0.00001``, never ``1e-05``. Used for the few values polars would write in
    scientific notation."""
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Every column as the text of its cells, by one fixed rule per dtype, done by polars on
    whole columns (an export of ten million rows takes seconds, not minutes):

    * text is neutralised (`DANGEROUS`); numbers, dates and booleans are written by us, not
      taken from a source, so they are never quoted: a negative value stays a number;
    * whole floats have no fraction (``1840``, and ``0`` for a negative zero), others the
      shortest decimal that reads back as the same float, never in scientific notation;
    * dates ISO 8601, booleans ``true``/``false``, nulls empty.
    """
    columns = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype.is_float():
            whole = col.is_finite() & (col == col.round(0)) & (col.abs() < 1e15)
            text = pl.when(whole).then(col.cast(pl.Int64).cast(pl.String)).otherwise(col.cast(pl.String))
            columns.append(pl.when(text.str.contains("e", literal=True))
                           .then(col.map_elements(_number, return_dtype=pl.String, skip_nulls=True))
                           .otherwise(text).alias(name))
        elif dtype == pl.Boolean or dtype.is_integer() or dtype.is_temporal() or dtype == pl.Decimal:
            columns.append(col.cast(pl.String))
        else:  # String, and anything unexpected: treated as text, so neutralised
            text = col.cast(pl.String)
            columns.append(pl.when(text.str.contains(DANGEROUS)).then(pl.lit("'") + text).otherwise(text).alias(name))
    return frame.select(columns).rename({c: neutralise(c) for c in frame.columns})


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """`frame` as a spreadsheet-safe CSV: UTF-8 with BOM (Excel guesses the encoding
    otherwise), commas, CRLF line ends, fields quoted only when needed, so quotes, commas and
    line breaks inside a cell read back intact. The same frame always gives the same bytes."""
    return _as_text(frame).write_csv(quote_style="necessary", line_terminator="\r\n", include_bom=True).encode("utf-8")


def _sorted(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """Rows by the table's key, then by every other column: a total order, so even data that
    breaks the key rule exports in the same order every time."""
    key = [c for c in KEY_COLUMNS[table] if c in frame.columns]  # the key results name rows by
    rest = [c for c in frame.columns if c not in key]
    by = key + rest
    return frame.sort(by, nulls_last=True, maintain_order=True) if by else frame


def export_tables(processed_dir: Path, out_dir: Path, roadmap: str | None = None,
                  benchmark: str | None = None) -> dict[str, Path]:
    """Write ``<table>.csv`` for each table in `EXPORTED` into `out_dir`: every row, or only
    `roadmap`'s, or ``<table>-<benchmark>.csv`` with that benchmark's rows of `roadmap`;
    returns the paths by table.

    The provenance columns ``file`` and ``line`` are kept: they are project-relative
    (`paths.display`), leak nothing about the machine, and let a reader find the raw row.
    Files are written atomically (0644 under the usual umask). An unknown roadmap or
    benchmark is refused rather than exported as empty files.
    """
    frames = {name: store.read_table(name, processed_dir) for name in EXPORTED}
    suffix = ""
    if benchmark is not None and roadmap is None:
        raise UsageError("a benchmark's export needs its roadmap", step="export")
    if roadmap is not None:
        roadmaps = sorted(store.read_table("roadmaps", processed_dir)["roadmap_id"].to_list())
        if roadmap not in roadmaps:
            raise UsageError(f"unknown roadmap {roadmap!r}; known: {', '.join(roadmaps) or 'none'}", step="export")
        data = slices.Data(processed_dir, paths.RAW)  # selected exactly as the reports' slices are
        frames = data.roadmap_rows(roadmap)
    if benchmark is not None:
        benchmarks = store.read_table("benchmarks", processed_dir).filter(pl.col("roadmap_id") == roadmap)
        known = sorted(benchmarks["benchmark"].drop_nulls().unique().to_list())
        if benchmark not in known:
            raise UsageError(f"unknown benchmark {benchmark!r} of roadmap {roadmap}; known: {', '.join(known) or 'none'}",
                             step="export")
        frames = data.benchmark_rows(roadmap, benchmark)  # its cache key's rows
        suffix = f"-{benchmark}"
    written: dict[str, Path] = {}
    for name in EXPORTED:
        path = out_dir / f"{name}{suffix}.csv"
        store.write_bytes_atomic(path, csv_bytes(_sorted(frames[name], name)))
        written[name] = path
    return written
