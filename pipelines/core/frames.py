"""Row selections that give back the table itself when they keep every row.

polars' ``filter`` copies the rows it keeps, even all of them. A report reads one roadmap's
rows, as known on its date; when a roadmap holds every row of the table (one mission, or the
synthetic ten million rows of benchmark Z) and the report speaks of the latest date, each such
selection was a whole copy of the observations: 1.2 GiB apiece at 10⁷ rows. Giving back the
same frame costs nothing, and lets a caller see at once that a selection is its whole table
(`pipelines.render.export`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import polars as pl


def where(frame: pl.DataFrame, condition: pl.Expr) -> pl.DataFrame:
    """The rows of `frame` where `condition` holds (not where it is null, as ``filter``):
    `frame` itself when that is every row."""
    keep = frame.select(condition.fill_null(False)).to_series()
    return frame if keep.all() else frame.filter(keep)


def rows_in(frame: pl.DataFrame, column: str, values: Iterable[object]) -> pl.DataFrame:
    """The rows of `frame` whose `column` is one of `values` (a null is none of them)."""
    return where(frame, pl.col(column).is_in(sorted(set(values), key=str)))


def aligned(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with every column cut into the chunks of its first (slices: nothing copied).

    A table read from Parquet comes in chunks (one per row group); a column computed from it
    often comes in one. polars aligns the chunks of every column before most operations on
    such a frame, by copying them all: at 10⁷ rows each row hash, selection or lookup on the
    frame with its helper columns copied 1.7 GiB."""
    if not frame.width:
        return frame
    lengths = frame.get_columns()[0].chunk_lengths()
    starts = [sum(lengths[:i]) for i in range(len(lengths))]

    def cut(column: pl.Series) -> pl.Series:
        if column.chunk_lengths() == lengths:
            return column
        return pl.concat(
            [column.slice(start, length) for start, length in zip(starts, lengths, strict=True)], rechunk=False
        )

    return pl.DataFrame([cut(c) for c in frame.get_columns()])


def min_date(column: pl.Series) -> date | None:
    """The earliest date of a Date column, None when it holds none (empty, or only nulls)."""
    return _date(column.min(), column)


def max_date(column: pl.Series) -> date | None:
    """The latest date of a Date column, None when it holds none (empty, or only nulls)."""
    return _date(column.max(), column)


def _date(value: object, column: pl.Series) -> date | None:
    """A column's aggregate as a date: polars types ``min``/``max`` as any value a cell may hold."""
    if value is None or isinstance(value, date):
        return value
    raise TypeError(f"column {column.name!r} holds {column.dtype}, not dates")
