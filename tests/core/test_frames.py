"""`rows_in`: a selection of rows that is the table itself when it keeps them all; a Date
column's first and last dates, typed."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from pipelines.core.frames import aligned, max_date, min_date, rows_in, where


def test_a_selection_keeping_every_row_is_the_table_itself_not_a_copy() -> None:
    frame = pl.DataFrame({"id": ["a", "b", "a"], "value": [1.0, 2.0, 3.0]})
    assert rows_in(frame, "id", ["a", "b", "c"]) is frame


def test_a_selection_keeps_the_matching_rows_in_order_and_never_a_null() -> None:
    frame = pl.DataFrame({"id": ["a", None, "b", "a"], "value": [1.0, 2.0, 3.0, 4.0]})
    assert rows_in(frame, "id", ["a"]).to_dict(as_series=False) == {"id": ["a", "a"], "value": [1.0, 4.0]}
    assert rows_in(frame, "id", ["a", "b"])["value"].to_list() == [1.0, 3.0, 4.0]  # the null row is dropped
    assert rows_in(frame, "id", []).height == 0


def test_a_condition_keeps_its_rows_and_drops_those_where_it_is_null() -> None:
    frame = pl.DataFrame({"known": [1, None, 3]})
    assert where(frame, pl.col("known") <= 3)["known"].to_list() == [1, 3]
    assert where(frame, pl.col("known").is_null() | (pl.col("known") <= 3)) is frame


def test_aligned_cuts_every_column_into_the_first_ones_chunks_and_keeps_the_values() -> None:
    # a table read in row groups, with a helper column computed in one piece
    table = pl.concat([pl.DataFrame({"id": ["a", "b"]}), pl.DataFrame({"id": ["c"]})], rechunk=False)
    frame = table.with_columns(pl.Series("helper", [1.0, None, 3.0]))
    assert frame.n_chunks("all") == [2, 1]
    cut = aligned(frame)
    assert cut.n_chunks("all") == [2, 2] and cut.equals(frame) and cut.columns == frame.columns
    assert aligned(pl.DataFrame()).width == 0


def test_a_date_columns_first_and_last_dates_skip_nulls_and_are_none_when_it_has_none() -> None:
    days = pl.Series("period_start", [date(2021, 6, 30), None, date(2019, 1, 1)], dtype=pl.Date)
    assert (min_date(days), max_date(days)) == (date(2019, 1, 1), date(2021, 6, 30))
    assert min_date(days.clear()) is None and max_date(pl.Series("d", [None], dtype=pl.Date)) is None


def test_a_column_that_holds_no_dates_is_refused_naming_it() -> None:
    with pytest.raises(TypeError, match="column 'value' holds Float64, not dates"):
        min_date(pl.Series("value", [1.5]))
