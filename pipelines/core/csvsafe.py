"""Spreadsheet-safe CSV text: the one rule by which every CSV of the project is written (the
downloads `pipelines.render.export` writes, the CSVs the history panels carry in their pages).

A text cell that a spreadsheet would read as a formula gets a leading single quote (OWASP's
"CSV Injection" advice); numbers, dates and booleans are written by one fixed rule; UTF-8 with
BOM and CRLF line ends, so that Excel reads accents and lines right. See `pipelines.render.export`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from decimal import Decimal

import polars as pl

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
            columns.append(
                pl.when(text.str.contains("e", literal=True))
                .then(col.map_elements(_number, return_dtype=pl.String, skip_nulls=True))
                .otherwise(text)
                .alias(name)
            )
        elif dtype == pl.Boolean or dtype.is_integer() or dtype.is_temporal() or dtype == pl.Decimal:
            columns.append(col.cast(pl.String))
        else:  # String, and anything unexpected: treated as text, so neutralised
            text = col.cast(pl.String)
            columns.append(pl.when(text.str.contains(DANGEROUS)).then(pl.lit("'") + text).otherwise(text).alias(name))
    return frame.select(columns).rename({c: neutralise(c) for c in frame.columns})


#: Rows written at a time by `csv_chunks`: a slice's text, not ten million rows', in memory.
CHUNK_ROWS = 500_000


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """`frame` as a spreadsheet-safe CSV: UTF-8 with BOM (Excel guesses the encoding
    otherwise), commas, CRLF line ends, fields quoted only when needed, so quotes, commas and
    line breaks inside a cell read back intact. The same frame always gives the same bytes."""
    return b"".join(csv_chunks(frame))


def csv_chunks(frame: pl.DataFrame, rows: int = CHUNK_ROWS, order: pl.Series | None = None) -> Iterator[bytes]:
    """`csv_bytes` in pieces of `rows` rows (the header and byte-order mark with the first):
    each cell is written on its own, so the pieces join into the same bytes. With `order`
    (row positions), the rows in that order: `csv_bytes(frame[order])`, without that copy."""
    for offset in range(0, max(frame.height, 1), rows):
        piece = frame.slice(offset, rows) if order is None else frame[order.slice(offset, rows)]
        # into bytes: written as a str, polars decodes its UTF-8 to hand it over, and it was
        # encoded back (1.7 GB twice at 10^7 rows)
        out = io.BytesIO()
        _as_text(piece).write_csv(
            out, quote_style="necessary", line_terminator="\r\n", include_bom=offset == 0, include_header=offset == 0
        )
        yield out.getvalue()


#: The most rows a worksheet holds below its header (Excel's and LibreOffice's limit, 2**20).
XLSX_MAX_ROWS = 1_048_575
#: The date a spreadsheet file says it was created: fixed, so the same rows give the same bytes.
XLSX_CREATED = (2021, 1, 1)


def xlsx_bytes(frame: pl.DataFrame, order: pl.Series | None = None, sheet: str = "data") -> bytes | None:
    """`frame` as a spreadsheet (.xlsx) of one sheet, each cell typed: numbers as numbers (a
    reader's spreadsheet shows them with its own decimal mark and sums them), dates as dates
    (shown ISO), booleans as booleans, text as text (a text cell is never read as a formula, so
    it needs no leading ``'``), nulls empty. The same rows give the same bytes. None when the
    rows do not fit one sheet (`XLSX_MAX_ROWS`): the CSV alone holds them."""
    import datetime as dt
    import io
    import math

    import xlsxwriter

    if frame.height > XLSX_MAX_ROWS:
        return None
    rows = frame if order is None else frame[order]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties({"created": dt.datetime(*XLSX_CREATED)})
    bold, day = book.add_format({"bold": True}), book.add_format({"num_format": "yyyy-mm-dd"})
    out = book.add_worksheet(sheet)
    out.write_row(0, 0, frame.columns, bold)
    out.freeze_panes(1, 0)
    for r, values in enumerate(rows.iter_rows(), start=1):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, bool):
                out.write_boolean(r, c, value)
            elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                out.write_datetime(r, c, dt.datetime.combine(value, dt.time()), day)
            elif isinstance(value, int | float) and math.isfinite(value):
                out.write_number(r, c, value)
            else:
                out.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()
