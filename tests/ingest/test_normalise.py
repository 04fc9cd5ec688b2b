"""How figures written by people become numbers and dates, and which forms are refused."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from pipelines.ingest.normalise import ValueProblem, numbers, parse_number, parse_period, periods, ratio_parts


@pytest.mark.parametrize(
    ("text", "value", "percent"),
    [
        ("27.9", 27.9, False),
        ("27,9", 27.9, False),
        ("27,9 %", 27.9, True),
        ("27,9\u202f%", 27.9, True),
        ("1 006", 1006.0, False),
        ("1\u00a0006", 1006.0, False),
        ("26000", 26000.0, False),
        ("1,234,567", 1234567.0, False),
        ("1.234.567", 1234567.0, False),
        ("1.234,5", 1234.5, False),
        ("-3,5", -3.5, False),
        ("4/25", 16.0, True),
        ("0.376", 0.376, False),
    ],
)
def test_accepted_number_forms(text: str, value: float, percent: bool) -> None:
    parsed = parse_number(text)
    assert parsed.value == pytest.approx(value)
    assert parsed.percent is percent


def test_seat_ratio_gives_the_share_in_percent() -> None:
    assert parse_number("41/147").value == pytest.approx(27.891156462585)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("1,006", "ambiguous-separator"),
        ("26,000", "ambiguous-separator"),
        ("n/a", "number"),
        ("", "required"),
        ("abc", "number"),
        ("3/0", "number"),
        ("nan", "number"),
        ("12%%", "number"),
        ("1e400", "number"),
        ("-1e400", "number"),
        ("1" + "0" * 400, "number"),
        ("1" + "0" * 400 + "/3", "number"),
    ],
)
def test_refused_number_forms_name_their_rule(text: str, rule: str) -> None:
    with pytest.raises(ValueProblem) as err:
        parse_number(text)
    assert err.value.rule == rule
    # the column reader refuses them the same way, with the row named
    values, _, problems = numbers(pl.Series("value", ["1.5", text]))
    assert values[1] is None and problems[1].rule == rule


def test_ambiguous_separator_message_offers_both_readings() -> None:
    with pytest.raises(ValueProblem, match=r"write 1006 or 1\.006"):
        parse_number("1,006")


@pytest.mark.parametrize(
    ("start", "end", "first", "last"),
    [
        ("2020", None, date(2020, 1, 1), date(2020, 12, 31)),
        ("2020-02", "", date(2020, 2, 1), date(2020, 2, 29)),
        ("2021-04-30", None, date(2021, 4, 30), date(2021, 4, 30)),
        ("2011", "2013", date(2011, 1, 1), date(2013, 12, 31)),
        ("2022-08-01", "2022-08-05", date(2022, 8, 1), date(2022, 8, 5)),
    ],
)
def test_periods(start: str, end: str | None, first: date, last: date) -> None:
    assert parse_period(start, end) == (first, last)


@pytest.mark.parametrize(
    ("start", "end", "rule"),
    [
        ("2021-13", None, "period_start"),
        ("2021-02-30", None, "period_start"),
        ("2022", "2021", "period-order"),
        ("", None, "required"),
        ("soon", None, "period_start"),
    ],
)
def test_bad_periods(start: str, end: str | None, rule: str) -> None:
    with pytest.raises(ValueProblem) as err:
        parse_period(start, end)
    assert err.value.rule == rule


def test_vectorised_parsers_agree_with_the_scalar_ones() -> None:
    values = pl.Series("value", ["1.5", "27,9 %", "1,006", "7"])
    parsed, pct, problems = numbers(values)
    assert parsed.to_list()[:2] == [1.5, 27.9] and parsed[3] == 7.0
    assert pct.to_list() == [False, True, False, False]
    assert set(problems) == {2} and problems[2].rule == "ambiguous-separator"
    starts, ends, problems = periods(pl.Series(["2020", "2021-04-30", "x"]), pl.Series([None, "", None]))
    assert starts.to_list()[:2] == [date(2020, 1, 1), date(2021, 4, 30)]
    assert ends.to_list()[:2] == [date(2020, 12, 31), date(2021, 4, 30)]
    assert set(problems) == {2}


def test_seat_ratios_are_split_into_their_parts_wherever_they_stand_in_a_column() -> None:
    cells = pl.Series("value", ["27.9", " 41 / 147 ", None, "3,5/10", "1/2/3", "n/a", "12/147"])
    numerators, denominators = ratio_parts(cells)
    assert numerators.to_list() == [None, 41.0, None, 3.5, None, None, 12.0]
    assert denominators.to_list() == [None, 147.0, None, 10.0, None, None, 147.0]
    assert (numerators.name, denominators.name) == ("numerator", "denominator")
    assert ratio_parts(pl.Series("value", ["1", "2"]))[0].to_list() == [None, None]
