"""Figures as the thematic reports cite them: several sources' figures for the same moment side
by side (where they disagree, every figure is shown and the one the series kept is named), and a
figure or its period written as it was published.

Shared by the women's representation and the DDR reports (`pipelines/reports/`), which ask the
same questions of their counts.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from pipelines.core.i18n import Precision, fmt_count, fmt_date, fmt_period, fmt_value, period_precision

#: Periods at most this long (in days) that overlap are taken to describe the same moment
#: (a composition dated to its day by one source and to its month by another).
SAME_MOMENT_DAYS = 31


def side_by_side(observations: pl.DataFrame, max_days: int = SAME_MOMENT_DAYS) -> pl.DataFrame:
    """Figures that describe the same thing at the same moment, from more than one source.

    Same moment: the same indicator and period, or two short periods (at most ``max_days``)
    that overlap. Adds ``group`` (numbered in date order) and ``agree`` (all values equal,
    to rounding); keeps only groups citing two sources or more, sorted by group then source.
    """
    extra = {"group": pl.Int64, "agree": pl.Boolean}
    if observations.is_empty():
        return observations.with_columns(*(pl.lit(None, dtype=d).alias(n) for n, d in extra.items()))
    frame = observations.sort(["indicator_id", "period_start", "period_end", "source_id"])
    groups: list[int] = []
    group, current = -1, None  # current: (indicator, start, end, short?) of the open group
    for row in frame.select("indicator_id", "period_start", "period_end").iter_rows(named=True):
        start, end = row["period_start"], row["period_end"]
        short = (end - start).days < max_days
        same = (
            current is not None
            and current[0] == row["indicator_id"]
            and ((current[1], current[2]) == (start, end) or (short and current[3] and start <= current[2]))
        )
        if same:
            assert current is not None
            current = (current[0], current[1], max(current[2], end), current[3])
        else:
            group += 1
            current = (row["indicator_id"], start, end, short)
        groups.append(group)
    frame = frame.with_columns(pl.Series("group", groups, dtype=pl.Int64))
    spread = frame.group_by("group").agg(
        pl.col("source_id").n_unique().alias("_sources"),
        ((pl.col("value").max() - pl.col("value").min()).abs() <= 1e-6 * pl.col("value").abs().max().clip(1.0)).alias(
            "agree"
        ),
    )
    kept = frame.join(spread, on="group").filter(pl.col("_sources") >= 2).drop("_sources")
    order = {g: i for i, g in enumerate(kept["group"].unique(maintain_order=True).to_list())}
    return kept.with_columns(pl.col("group").replace_strict(order, return_dtype=pl.Int64)).sort(["group", "source_id"])


def value_text(value: float, unit: str, lang: str, women: int | None = None, seats: int | None = None) -> str:
    """A figure as cited: "27.9% (41/147)" when the counts were written, else the value."""
    text = fmt_value(value, unit, lang)
    if women is not None and seats is not None:
        text += f" ({fmt_count(women, lang)}/{fmt_count(seats, lang)})"
    return text


def period_text(start: date, end: date | None, lang: str) -> str:
    """A figure's period as published: "2020", "December 2020", "19 April 2020", or a span
    "1–5 August 2022", "2015 – October 2020" (`fmt_period` alone shows only its start)."""
    if end is None or end == start or period_precision(start, end) != "day":
        return fmt_period(start, end, lang)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{fmt_date(end, lang)}"
    month_end = (end + timedelta(days=1)).day == 1
    first: Precision = "year" if (start.month, start.day) == (1, 1) else "month" if start.day == 1 else "day"
    last: Precision = (
        "year"
        if first == "year" and (end.month, end.day) == (12, 31)
        else "month"
        if month_end and first != "day"
        else "day"
    )
    return f"{fmt_date(start, lang, first)} – {fmt_date(end, lang, last)}"
