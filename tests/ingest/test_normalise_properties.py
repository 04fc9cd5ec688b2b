"""Periods read column-wise (`normalise.periods`, which ingest uses for millions of rows) give
what the one-cell reader (`normalise.parse_period`) gives: the same days, or a problem under the
same rule, for any start and end an analyst's file may hold."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.ingest import normalise

_YEARS = st.integers(min_value=0, max_value=10_000).map(lambda y: f"{y:04d}" if y < 10_000 else str(y))
_CELLS = st.one_of(
    _YEARS,
    st.tuples(_YEARS, st.integers(0, 13)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    st.tuples(_YEARS, st.integers(0, 13), st.integers(0, 32)).map(lambda t: f"{t[0]}-{t[1]:02d}-{t[2]:02d}"),
    st.sampled_from(["", " ", "2020-1", "-2020", "+2020", "2020/01", "T2 2021", "２０２０", "2021-02-29"]),
    st.text(max_size=12),
).map(lambda cell: cell if not cell.strip() or cell[0] != " " else f"  {cell} ")


def _one(start: str, end: str) -> tuple[object, object]:
    try:
        return normalise.parse_period(start, end)
    except normalise.ValueProblem as exc:
        return "problem", exc.rule


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_CELLS, _CELLS), min_size=1, max_size=30))
def test_column_wise_periods_read_as_each_cell_does(cells: list[tuple[str, str]]) -> None:
    starts, ends = pl.Series([s for s, _ in cells], dtype=pl.String), pl.Series([e for _, e in cells], dtype=pl.String)
    first, last, problems = normalise.periods(starts, ends)
    for i, (start, end) in enumerate(cells):
        got = ("problem", problems[i].rule) if i in problems else (first[i], last[i])
        assert got == _one(start, end), (start, end)
