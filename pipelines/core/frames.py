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

import polars as pl


def where(frame: pl.DataFrame, condition: pl.Expr) -> pl.DataFrame:
    """The rows of `frame` where `condition` holds (not where it is null, as ``filter``):
    `frame` itself when that is every row."""
    keep = frame.select(condition.fill_null(False)).to_series()
    return frame if keep.all() else frame.filter(keep)


def rows_in(frame: pl.DataFrame, column: str, values: Iterable[object]) -> pl.DataFrame:
    """The rows of `frame` whose `column` is one of `values` (a null is none of them)."""
    return where(frame, pl.col(column).is_in(sorted(set(values), key=str)))
