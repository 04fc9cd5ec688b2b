"""Turning figures as people write them into typed values, or saying exactly why not.

The same share reaches us as ``27.9``, ``27,9``, ``27,9 %``, ``0.279`` (with unit
``fraction``) or ``41/147`` seats; a count as ``1006``, ``1 006`` or ``1,006``. Each form is
parsed by one rule; a form that could mean two things (``1,006``: one thousand and six, or
one point zero zero six?) is refused rather than guessed.

Work is vectorised: plain numbers and ISO dates go through polars in one pass, and only the
cells polars cannot read are parsed one by one, so ten million clean rows cost little more
than a cast.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_PLAIN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_RATIO = re.compile(r"^(\d+(?:[.,]\d+)?)\s*/\s*(\d+(?:[.,]\d+)?)$")
_YEAR = re.compile(r"^-?\d{1,4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
#: Day 0 of the 1900 date system of Excel and LibreOffice (serial 1 is 1900-01-01, after
#: Lotus's phantom 29 February 1900 every later serial counts from here).
SERIAL_EPOCH = date(1899, 12, 30)
#: Serials from 10000 (1927-05-18: more digits than a year has) to 9999-12-31.
SERIALS = range(10_000, 2_958_466)


class ValueProblem(ValueError):
    """A cell that cannot be normalised; `rule` is the short name shown to users."""

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


@dataclass(frozen=True)
class Parsed:
    """A number read from a cell, and whether the cell itself said it is a percentage."""

    value: float
    percent: bool = False


def parse_number(text: str) -> Parsed:
    """Read one number as written in English or French conventions.

    Accepted: ``27.9``, ``27,9``, ``27,9 %``, ``1 006`` (any space as thousands separator),
    ``1,234,567``, ``1.234.567,5``, ``41/147`` (a share: 27.89 %). Refused with the rule
    ``ambiguous-separator``: a single comma followed by exactly three digits (``1,006``);
    with the rule ``number``: anything else, and a number too large for a float (``1e400``),
    which would otherwise become an infinite value no check or chart can handle.
    """
    parsed = _parse_number(text)
    if not math.isfinite(parsed.value):
        raise ValueProblem("number", f"'{text.strip()[:40]}' is too large to be a number")
    return parsed


def _parse_number(text: str) -> Parsed:
    raw = text.strip()
    if not raw:
        raise ValueProblem("required", "the value is empty")
    percent = raw.endswith("%")
    body = _SPACES.sub("", raw.removesuffix("%"))
    ratio = _RATIO.match(body)
    if ratio:
        if percent:
            raise ValueProblem("number", f"'{text}' mixes a ratio and a percent sign")
        num, den = (float(part.replace(",", ".")) for part in ratio.groups())
        if den == 0:
            raise ValueProblem("number", f"'{text}' divides by zero")
        return Parsed(100.0 * num / den, percent=True)
    if _PLAIN.match(body):
        return Parsed(float(body), percent)
    if _DECIMAL_COMMA.match(body):
        if re.fullmatch(r"[+-]?\d{1,3},\d{3}", body):
            raise ValueProblem(
                "ambiguous-separator",
                f"'{text}' could be a decimal comma or a thousands separator: "
                f"write {body.replace(',', '')} or {body.replace(',', '.')}",
            )
        return Parsed(float(body.replace(",", ".")), percent)
    if _THOUSANDS_COMMA.match(body):
        return Parsed(float(body.replace(",", "")), percent)
    if _THOUSANDS_DOT.match(body):
        # '1.234,5' or '1.234.567': dots group thousands. A lone '1.234' never gets here
        # (_PLAIN reads it as a decimal), as most sources write it.
        return Parsed(float(body.replace(".", "").replace(",", ".")), percent)
    raise ValueProblem("number", f"'{text}' is not a number")


def ratio_parts(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Numerator and denominator of cells written ``n/m`` (null elsewhere), so that a share
    given as seats keeps the body's size next to the percentage `parse_number` computes.
    Only the cells holding a "/" are read by the pattern (a literal search finds them: 10^7
    cells in 0.1 s, where the pattern took 1.5 s)."""
    text = values.cast(pl.String)
    at = text.str.contains("/", literal=True).fill_null(False).arg_true()
    compact = text.gather(at).str.replace_all(_SPACES.pattern, "")
    parts = compact.str.extract_groups(r"^(\d+(?:[.,]\d+)?)/(\d+(?:[.,]\d+)?)$")

    def number(field: str, name: str) -> pl.Series:
        found = parts.struct.field(field).str.replace(",", ".").cast(pl.Float64)
        return pl.repeat(None, len(text), dtype=pl.Float64, eager=True).alias(name).scatter(at, found)

    return number("1", "numerator"), number("2", "denominator")


def parse_period(start: str, end: str | None) -> tuple[date, date]:
    """A period from its start and optional end, each an ISO date, ``YYYY-MM`` or a year.

    A year alone means the whole year and a month the whole month, so ``2020`` becomes
    2020-01-01 … 2020-12-31: figures published for a year and for a date within it can then
    be told apart and sorted together.
    """
    first, _ = _bounds(start, "period_start")
    if end is None or not end.strip():
        _, last = _bounds(start, "period_start")
    else:
        _, last = _bounds(end, "period_end")
    if last < first:
        raise ValueProblem("period-order", f"the period ends ({last}) before it starts ({first})")
    return first, last


def parse_date(text: str, column: str = "date") -> date:
    """One ISO date (``2023-06-18``); a year or month alone is refused for a dated event.

    A whole number of five or more digits is what a spreadsheet stores for a date whose cell lost its
    date format (a copy of values, a CSV export): it is refused, never converted, since it
    counts days from 1899-12-30 or, in the 1904 date system of old Mac workbooks, from
    1904-01-01. The message gives the 1900 reading so the fix is one look away.
    """
    raw = text.strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    reason = f"'{text}' is not an ISO date (YYYY-MM-DD)"
    if re.fullmatch(r"\d{5,7}", raw, re.ASCII) and int(raw) in SERIALS:
        day = SERIAL_EPOCH + timedelta(days=int(raw))
        reason += (
            f"; it looks like a spreadsheet's date serial ({day.isoformat()} as Excel and LibreOffice count "
            "by default): format the cell as a date, or write the date"
        )
    raise ValueProblem(column, reason)


#: A source's declared dating rule: ``<anchor>[ + <n> days|months]: <why>``, the anchor an ISO
#: date, a ``YYYY-MM`` month or a year (its last day), e.g. ``2020-05: the month the page shows``
#: or ``2022-08-05 + 1 months: reports the meeting of 1-5 August 2022``.
_RULE = re.compile(
    r"(?P<anchor>\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:\s*\+\s*(?P<n>\d+)\s*(?P<unit>days?|months?))?"
    r"\s*:\s*(?P<why>\S.*)",
    re.S,
)
RULE_FORM = "'<date, YYYY-MM or year>[ + <n> days|months]: <why>', e.g. '2020-05: the month the page shows'"


def published_by_rule(text: str) -> date:
    """The day a reader could know a source from its declared rule (`RULE_FORM`): the last day
    of the anchor (a year's 31 December, a month's last day, or the date itself), plus the
    offset. The rule is declared where no publication date was found; it never stands for one."""
    found = _RULE.fullmatch(text.strip())
    if not found:
        raise ValueProblem("published-rule", f"'{text}' is not a dating rule: write {RULE_FORM}")
    _, day = _bounds(found["anchor"], "published_rule")
    n = int(found["n"] or 0)
    if found["unit"] and found["unit"].startswith("day"):
        return day + timedelta(days=n)
    months = day.year * 12 + day.month - 1 + n
    year, month = divmod(months, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    # a month's last day stays the last day of the month it lands in (31 May + 1 month = 30 June)
    return date(year, month, last if day.day == calendar.monthrange(day.year, day.month)[1] else min(day.day, last))


def _bounds(text: str, column: str) -> tuple[date, date]:
    raw = text.strip()
    if not raw:
        raise ValueProblem("required", f"{column} is empty")
    if _YEAR.match(raw):
        year = int(raw)
        if not 1 <= year <= 9999:
            raise ValueProblem(column, f"year {raw} is outside the calendar this tool handles (1–9999)")
        return date(year, 1, 1), date(year, 12, 31)
    month = _MONTH.match(raw)
    if month:
        year, mon = int(month.group(1)), int(month.group(2))
        if not 1 <= mon <= 12:
            raise ValueProblem(column, f"'{text}' has no month {mon}")
        if year < 1:
            raise ValueProblem(column, f"year {month.group(1)} is outside the calendar this tool handles (1–9999)")
        return date(year, mon, 1), date(year, mon, calendar.monthrange(year, mon)[1])
    day = parse_date(raw, column)
    return day, day


def _spans(text: pl.Series) -> tuple[pl.Series, pl.Series]:
    """The first and last day of each ISO date, ``YYYY-MM`` month or four-digit year of
    `text`, as `_bounds` gives them; null where polars cannot read the cell (left to `_bounds`).
    Each distinct cell is read once and its days looked up for every row: a column of periods
    repeats a few hundred dates (10^7 rows: 1 s -> 0.3 s)."""
    distinct = text.unique()
    first, last = _distinct_spans(distinct)
    at = text.replace_strict(distinct, pl.int_range(len(distinct), eager=True), default=None, return_dtype=pl.UInt32)
    return first.gather(at), last.gather(at)


def _distinct_spans(text: pl.Series) -> tuple[pl.Series, pl.Series]:
    frame = pl.DataFrame({"t": text}).select(
        pl.col("t").str.to_date("%Y-%m-%d", strict=False).alias("day"),
        pl.when(pl.col("t").str.contains(r"^\d{4}-\d{2}$"))
        .then(pl.col("t") + "-01")
        .str.to_date("%Y-%m-%d", strict=False)
        .alias("month"),
        pl.when(pl.col("t").str.contains(r"^\d{4}$"))
        .then(pl.col("t") + "-01-01")
        .str.to_date("%Y-%m-%d", strict=False)
        .alias("year"),
    )
    spans = frame.select(
        pl.coalesce("day", "month", "year").alias("first"),
        pl.coalesce("day", pl.col("month").dt.month_end(), pl.col("year").dt.offset_by("1y").dt.offset_by("-1d")).alias(
            "last"
        ),
    ).with_columns(pl.when(pl.col("first").dt.year() >= 1).then(pl.col(c)).alias(c) for c in ("first", "last"))
    return spans["first"], spans["last"]  # year 0 (which Python's dates lack) is left to `_bounds`


def numbers(values: pl.Series) -> tuple[pl.Series, pl.Series, dict[int, ValueProblem]]:
    """Vectorised `parse_number`: (values, percent-sign flags, problems by row index).

    Rows with a problem get a null value and appear in the returned dict.
    """
    text = values.cast(pl.String).str.strip_chars()
    fast = text.cast(pl.Float64, strict=False)
    flags = pl.repeat(False, len(values), dtype=pl.Boolean, eager=True).alias(values.name)  # not a list of 10⁷ Falses
    slow_idx = (fast.is_null() | fast.is_infinite() | text.str.contains(r"(?i)nan|inf")).arg_true().to_list()
    if not slow_idx:
        return fast, flags, {}
    out = fast.to_list()
    pct = flags.to_list()
    problems: dict[int, ValueProblem] = {}
    raw = text.to_list()
    for i in slow_idx:
        cell = raw[i]
        try:
            parsed = parse_number(cell or "")
            out[i], pct[i] = parsed.value, parsed.percent
        except ValueProblem as exc:
            out[i] = None
            problems[i] = exc
    return (
        pl.Series(values.name, out, dtype=pl.Float64),
        pl.Series(values.name, pct, dtype=pl.Boolean),
        problems,
    )


def periods(starts: pl.Series, ends: pl.Series) -> tuple[pl.Series, pl.Series, dict[int, ValueProblem]]:
    """Vectorised `parse_period`: (start dates, end dates, problems by row index).

    ISO dates, ``YYYY-MM`` months and four-digit years are read by polars, column-wise (monthly
    series run to millions of rows); only the rows it cannot read go through `parse_period`,
    one by one, for the exact rule and message of each problem."""
    start_text = starts.cast(pl.String).str.strip_chars()
    end_text = ends.cast(pl.String).str.strip_chars().fill_null("")
    first, last = _spans(start_text)
    end_first, end_last = _spans(end_text)
    fast_start = first
    fast_end = pl.select(pl.when(end_text == "").then(last).otherwise(end_last)).to_series()
    ok = (
        fast_start.is_not_null()
        & fast_end.is_not_null()
        & (fast_end >= fast_start)
        & ((end_text == "") | end_first.is_not_null())
    )
    slow_idx = (~ok).arg_true().to_list()
    if not slow_idx:
        return fast_start.alias("period_start"), fast_end.alias("period_end"), {}
    s_out, e_out = fast_start.to_list(), fast_end.to_list()
    s_raw, e_raw = start_text.to_list(), end_text.to_list()
    problems: dict[int, ValueProblem] = {}
    for i in slow_idx:
        try:
            s_out[i], e_out[i] = parse_period(s_raw[i] or "", e_raw[i])
        except ValueProblem as exc:
            s_out[i] = e_out[i] = None
            problems[i] = exc
    return (
        pl.Series("period_start", s_out, dtype=pl.Date),
        pl.Series("period_end", e_out, dtype=pl.Date),
        problems,
    )
