"""Curated tables (observations, milestones, sources) as all-text polars frames that keep
each row's line number, checked against the columns their format declares.

Cells stay text here: typing happens in `pipelines.ingest.normalise`, which must see ``27,9`` or
``n/a`` as written to say what is wrong with it. A CSV and a spreadsheet's sheet
(`pipelines.ingest.spreadsheets`) go through the same header and row checks (`frame_from_rows`), so
both are refused with the same rules and messages.

A CSV may be separated by commas, semicolons or tabs: Excel saves "CSV" with a semicolon
wherever the decimal separator is a comma (French settings) and "Text (Tab delimited)" with
tabs, and never asks. The delimiter is detected from the header, never from the data, and a
header that matches none of them is refused naming the delimiter it was split at.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from pipelines.core.errors import DataError, Problem
from pipelines.ingest.rawio import RawText, read_csv_rows

#: The delimiters a curated CSV may use, by the name messages give them.
DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass(frozen=True)
class Table:
    """A curated CSV read as text, and the delimiter its header was split at."""

    frame: pl.DataFrame
    delimiter: str


def read_table(raw: RawText, required: Sequence[str], optional: Sequence[str] = ()) -> Table:
    """A curated CSV as text columns (required + optional, in that order) plus ``file``/``line``.

    An empty file, a missing required column, an unknown column, or a row with more or fewer
    fields than the header stops the read with an error that names the file and line (and,
    when the file is not plainly comma-separated, the delimiter it was split at).
    """
    first = _first_line(raw)
    delimiter = detect_delimiter(first, (*required, *optional))
    fast = _read_fast(raw, required, optional, delimiter)
    if fast is not None:
        return Table(fast, delimiter)
    rows = read_csv_rows(raw, delimiter)
    if not rows:
        raise DataError(Problem(raw.name, None, None, None, "empty-file", "the file has no header and no rows"))
    (header_at, header), body = rows[0], rows[1:]
    return Table(
        frame_from_rows(
            raw.name, header, body, required, optional, header_at=header_at, how=split_note(first, delimiter)
        ),
        delimiter,
    )


def detect_delimiter(header_line: str, columns: Sequence[str]) -> str:
    """The delimiter that splits `header_line` into the most of the format's `columns`; when
    none names any (a header in other words), the one the line holds most often; a comma on
    a tie."""
    known = set(columns)

    def score(delimiter: str) -> tuple[int, int]:
        try:
            fields = next(csv.reader([header_line], delimiter=delimiter), [])
        except csv.Error:  # a field past the csv module's limit: no column of ours
            fields = []
        return len(known & {f.strip().lstrip("\ufeff") for f in fields}), header_line.count(delimiter)

    return max(DELIMITERS, key=score)  # max keeps the first of equals: the comma


def split_note(header_line: str, delimiter: str) -> str:
    """How the header was split, for a message: empty for a plain comma-separated header, else
    e.g. "split at ';' (the header holds ';' 4 times, ',' none, tab none)"."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    if delimiter == "," and not any(n for d, n in counts.items() if d != ","):
        return ""

    def shown(d: str) -> str:
        return "tab" if d == "\t" else repr(d)

    seen = ", ".join(
        f"{shown(d)} {'none' if not n else f'{n} time' + ('s' if n > 1 else '')}"
        for d, n in sorted(counts.items(), key=lambda kv: kv[0] != delimiter)
    )
    return f"split at {shown(delimiter)}, as a {DELIMITERS[delimiter]}-separated file (the header holds {seen})"


def frame_from_rows(
    name: str,
    header: Sequence[str],
    rows: Sequence[tuple[int, Sequence[str]]],
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    header_at: int = 1,
    how: str = "",
) -> pl.DataFrame:
    """Check a header against a format and build the text frame of its rows (+ ``file``/``line``).

    `name` is what messages call the file (a sheet's is ``x.xlsx, sheet 'observations'``),
    `header_at` is the header's line (or row), `rows` are (line or row number, fields) pairs and
    `how` says how the header was split, added to the messages about it.
    """
    note = f"; {how}" if how else ""
    columns = [c.strip().lstrip("\ufeff") for c in header]
    missing = [c for c in required if c not in columns]
    if missing:
        raise DataError(
            Problem(
                name,
                header_at,
                missing[0],
                None,
                "required-column",
                f"the header lacks {', '.join(repr(m) for m in missing)}; it has {columns}{note}",
            )
        )
    known = set(required) | set(optional)
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise DataError(
            Problem(
                name,
                header_at,
                unknown[0],
                None,
                "unknown-column",
                f"column {unknown[0]!r} is not part of this format; expected {list(required) + list(optional)}{note}",
            )
        )
    duplicated = [c for c in columns if columns.count(c) > 1]
    if duplicated:
        raise DataError(
            Problem(
                name,
                header_at,
                duplicated[0],
                None,
                "unique-column",
                f"column {duplicated[0]!r} appears twice in the header",
            )
        )
    data: dict[str, list] = {c: [] for c in (*required, *optional)}
    lines: list[int] = []
    width = len(columns)
    for line, fields in rows:
        if len(fields) != width:
            raise DataError(
                Problem(
                    name,
                    line,
                    None,
                    None,
                    "row-width",
                    f"the row has {len(fields)} fields, the header has {width}{note}",
                )
            )
        record = dict(zip(columns, fields, strict=True))
        for c in data:
            data[c].append(record.get(c))
        lines.append(line)
    frame = pl.DataFrame({c: pl.Series(c, v, dtype=pl.String) for c, v in data.items()})
    return frame.with_columns(
        pl.lit(name, dtype=pl.String).alias("file"),
        pl.Series("line", lines, dtype=pl.Int64),
    )


def _first_line(raw: RawText) -> str:
    """The first line that holds anything (blank lines before a header are skipped, as
    `read_csv_rows` skips them). Read from the text's start, a longer start each time, never
    the whole file at once (a 256 MB file: 0.25 s to copy into a reader for its header)."""
    size = 1 << 16
    while True:
        head = raw.head(size)
        whole = len(head) == len(raw)
        for line in io.StringIO(head, newline=None):
            if not whole and not line.endswith("\n"):
                break  # the line runs past this start: read a longer one
            if line.strip():
                return line.rstrip("\r\n")
        if whole:
            return ""
        size *= 16


#: Files larger than this are read by polars' CSV reader when every record is one line.
FAST_PATH_BYTES = 4 * 1024 * 1024


def _read_fast(raw: RawText, required: Sequence[str], optional: Sequence[str], delimiter: str) -> pl.DataFrame | None:
    """polars' reader for big files, when line numbers can be known exactly and every row is
    one the csv module would read: no blank line nor row of empty cells, no field spanning
    lines (the count of newlines equals the count of records). Else None, and the csv module
    reads the file row by row. It reads the file's own bytes when they are UTF-8
    (`RawText.utf8`), the text encoded otherwise; in UTF-8 no byte of a character written in
    several is a newline, so lines are counted on the bytes."""
    if len(raw) < FAST_PATH_BYTES:
        return None
    data = raw.utf8 if raw.utf8 is not None else raw.text.encode("utf-8")
    if b"\r" in data and b"\r" in data.replace(b"\r\n", b""):  # a copy only where it has a CR
        return None
    first_line = data[: data.find(b"\n") + 1 or len(data)].decode("utf-8")
    header = next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])
    columns = [c.strip().lstrip("\ufeff") for c in header]
    known = set(required) | set(optional)
    if set(required) - set(columns) or set(columns) - known or len(set(columns)) != len(columns):
        return None  # the slow path names the problem precisely
    try:
        # one chunk a column: polars reads a 256 MB file in about a hundred, and every later
        # step of ingest paid for them (a column added beside them cost 0.4 s and 480 MB of
        # fresh memory). Joining a text column's chunks copies no text; at 10^7 rows ingest
        # took 21.7 s before, 16.6 s after, the same tables to the byte.
        frame = pl.read_csv(
            data, infer_schema=False, has_header=True, new_columns=columns, raise_if_empty=True, separator=delimiter
        ).rechunk()
    except pl.exceptions.PolarsError:
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines != frame.height + 1:
        return None
    # A blank line, like a row of empty cells, is a row of nulls to polars, which the csv module
    # skips: such a file is read its way (a look for the nulls, not a search of the file's
    # bytes for a blank line: 0.4 s per 256 MB).
    if frame.select(pl.all_horizontal(pl.all().is_null()).any()).item():
        return None
    frame = frame.with_columns(pl.col(c).cast(pl.String) for c in columns)
    for c in (*required, *optional):
        if c not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(c))
    return frame.select(*required, *optional).with_columns(
        pl.lit(raw.name, dtype=pl.String).alias("file"),
        (pl.int_range(frame.height, dtype=pl.Int64) + 2).alias("line"),
    )
