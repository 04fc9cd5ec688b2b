"""Curated CSV files (observations, milestones, sources) as all-text polars frames that keep
each row's line number, checked against the columns their format declares.

Cells stay text here: typing happens in `pipelines.normalise`, which must see ``27,9`` or
``n/a`` as written to say what is wrong with it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import polars as pl

from pipelines.core.errors import DataError, Problem
from pipelines.rawio import RawText, read_csv_rows


def read_table(
    raw: RawText, required: Sequence[str], optional: Sequence[str] = ()
) -> pl.DataFrame:
    """A curated CSV as text columns (required + optional, in that order) plus ``file``/``line``.

    An empty file, a missing required column, an unknown column, or a row with more or fewer
    fields than the header stops the read with an error that names the file and line.
    """
    fast = _read_fast(raw, required, optional)
    if fast is not None:
        return fast
    header, rows = _parse(raw)
    columns = [c.strip().lstrip("\ufeff") for c in header]
    missing = [c for c in required if c not in columns]
    if missing:
        raise DataError(Problem(raw.name, 1, missing[0], None, "required-column",
                                f"the header lacks {', '.join(repr(m) for m in missing)}; it has {columns}"))
    known = set(required) | set(optional)
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise DataError(Problem(raw.name, 1, unknown[0], None, "unknown-column",
                                f"column {unknown[0]!r} is not part of this format; expected {list(required) + list(optional)}"))
    duplicated = [c for c in columns if columns.count(c) > 1]
    if duplicated:
        raise DataError(Problem(raw.name, 1, duplicated[0], None, "unique-column",
                                f"column {duplicated[0]!r} appears twice in the header"))
    data: dict[str, list] = {c: [] for c in (*required, *optional)}
    lines: list[int] = []
    width = len(columns)
    for line, fields in rows:
        if len(fields) != width:
            raise DataError(Problem(raw.name, line, None, None, "row-width",
                                    f"the row has {len(fields)} fields, the header has {width}"))
        record = dict(zip(columns, fields, strict=True))
        for c in data:
            data[c].append(record.get(c))
        lines.append(line)
    frame = pl.DataFrame({c: pl.Series(c, v, dtype=pl.String) for c, v in data.items()})
    return frame.with_columns(
        pl.lit(raw.name, dtype=pl.String).alias("file"),
        pl.Series("line", lines, dtype=pl.Int64),
    )


#: Files larger than this are read by polars' CSV reader when every record is one line.
FAST_PATH_BYTES = 4 * 1024 * 1024


def _read_fast(raw: RawText, required: Sequence[str], optional: Sequence[str]) -> pl.DataFrame | None:
    """polars' reader for big files, when line numbers can be known exactly: no blank line,
    no field spanning lines (the count of newlines equals the count of records). Else None,
    and the csv module reads the file row by row."""
    text = raw.text
    if len(text) < FAST_PATH_BYTES or "\n\n" in text or "\r\n\r\n" in text or "\r" in text.replace("\r\n", ""):
        return None
    first_line = text[: text.find("\n") + 1 or len(text)]
    header = next(csv.reader(io.StringIO(first_line)), [])
    columns = [c.strip().lstrip("\ufeff") for c in header]
    known = set(required) | set(optional)
    if set(required) - set(columns) or set(columns) - known or len(set(columns)) != len(columns):
        return None  # the slow path names the problem precisely
    try:
        frame = pl.read_csv(io.BytesIO(text.encode("utf-8")), infer_schema=False, has_header=True,
                            new_columns=columns, raise_if_empty=True)
    except pl.exceptions.PolarsError:
        return None
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines != frame.height + 1:
        return None
    frame = frame.with_columns(pl.col(c).cast(pl.String) for c in columns)
    for c in (*required, *optional):
        if c not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(c))
    return frame.select(*required, *optional).with_columns(
        pl.lit(raw.name, dtype=pl.String).alias("file"),
        (pl.int_range(frame.height, dtype=pl.Int64) + 2).alias("line"),
    )


def _parse(raw: RawText) -> tuple[list[str], list[tuple[int, list[str]]]]:
    rows = read_csv_rows(raw)
    if not rows:
        raise DataError(Problem(raw.name, None, None, None, "empty-file", "the file has no header and no rows"))
    (_, header), body = rows[0], rows[1:]
    return header, body
