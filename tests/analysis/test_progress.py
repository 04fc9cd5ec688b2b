"""The progress assessment of DESIGN §7 on worked examples.

Every expected number is worked out by hand in the comments. Years are days / 365.25, so a
four-year span with one leap day (1,461 days) is exactly 4 years.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TypedDict

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.analysis.progress import Direction, Method, assess_indicator, band, milestone_score
from pipelines.core import schema, statuses


class Target(TypedDict):
    """A target as `assess_indicator` takes it, passed as ``**target``."""

    target: float
    target_date: date
    direction: Direction
    method: Method


# Women's share of seats in the national assembly / CNT (WDI SG.GEN.PARL.ZS), dated at the
# end of the year each figure describes; target: 30 % (law 2015-052) by 2022-12-31.
WOMEN = [(date(2024, 12, 31), 30.66), (date(2019, 12, 31), 9.52), (date(2020, 12, 31), 27.89)]
WOMEN_TARGET: Target = {
    "target": 30.0,
    "target_date": date(2022, 12, 31),
    "direction": "increase",
    "method": "compound",
}

# Ex-combatants integrated through accelerated DDR: 1,006 (Sept. 2019), 1,428 (April 2021);
# target 2,000 by 2022-12-31; a count, hence the linear pace.
DDR = [(date(2019, 9, 30), 1006.0), (date(2021, 4, 30), 1428.0)]
DDR_TARGET: Target = {"target": 2000.0, "target_date": date(2022, 12, 31), "direction": "increase", "method": "linear"}


def test_women_share_before_any_second_figure_is_insufficient_data() -> None:
    result = assess_indicator(WOMEN, **WOMEN_TARGET, as_of=date(2020, 6, 30))
    assert result.status == "insufficient_data"
    assert result.reason == "too_few_points"
    assert result.latest == (date(2019, 12, 31), 9.52)
    assert result.current_status is None and result.anticipated is None


def test_women_share_at_the_roadmap_is_on_track() -> None:
    # as_of 2021-03-25: y0 = 9.52 (2019-12-31), yt = 27.89 (2020-12-31), 366 days = 1.00205 years;
    # target date 1,096 days after the baseline = 3.00068 years.
    # current status = (27.89 - 9.52) / (30 - 9.52) = 18.37 / 20.48 = 0.89697
    # observed CAGR = (27.89 / 9.52)^(1/1.00205) - 1 = 2.92962^0.99795 - 1 = 1.92318
    # required CAGR = (30 / 9.52)^(1/3.00068) - 1 = 3.15126^0.33326 - 1 = 0.46596
    # anticipated = 1.92318 / 0.46596 = 4.1273 -> >= 0.95: on track
    result = assess_indicator(WOMEN, **WOMEN_TARGET, as_of=date(2021, 3, 25))
    assert result.status == "on_track"
    assert result.reason == "pace_ratio"
    assert result.current_status == pytest.approx(0.89697, abs=1e-5)
    assert result.anticipated == pytest.approx(4.1273, abs=1e-4)
    assert result.years == pytest.approx(1.00205, abs=1e-5)
    assert result.baseline == (date(2019, 12, 31), 9.52)


def test_women_share_at_the_end_of_the_mandate_missed_the_deadline() -> None:
    # as_of 2023-06-30 is after the target date and 27.89 < 30: not achieved by the deadline,
    # whatever the pace had been (the share covered and the pace ratio are still reported).
    result = assess_indicator(WOMEN, **WOMEN_TARGET, as_of=date(2023, 6, 30))
    assert result.status == "not_achieved_by_deadline"
    assert result.reason == "deadline_passed"
    assert result.current_status == pytest.approx(0.89697, abs=1e-5)
    assert result.anticipated == pytest.approx(4.1273, abs=1e-4)


def test_after_the_deadline_a_later_figure_meeting_the_target_changes_nothing() -> None:
    # 30.66 (2024-12-31) meets 30 %, but the target date was 2022-12-31: the question is whether it
    # was met *by* then. The figure of the deadline is 27.89 (2020-12-31): not met, so not achieved
    # by the deadline; the 2024 figure is shown as "after the deadline".
    result = assess_indicator(WOMEN, **WOMEN_TARGET, as_of=date(2025, 1, 1))
    assert (result.status, result.reason) == ("not_achieved_by_deadline", "deadline_passed")
    assert result.decisive == (date(2020, 12, 31), 27.89)
    assert result.latest == (date(2024, 12, 31), 30.66) and result.after_deadline
    assert result.current_status == pytest.approx(0.89697, abs=1e-5)
    # met by the deadline: achieved, whatever came after
    met = assess_indicator([*WOMEN, (date(2022, 6, 30), 31.0)], **WOMEN_TARGET, as_of=date(2025, 1, 1))
    assert (met.status, met.reason, met.decisive) == (
        "achieved_by_deadline",
        "met_by_deadline",
        (date(2022, 6, 30), 31.0),
    )


def test_ddr_counts_need_acceleration_in_2021() -> None:
    # y0 = 1,006 (2019-09-30), yt = 1,428 (2021-04-30): 578 days = 1.58248 years.
    # observed slope = (1428 - 1006) / 1.58248 = 422 / 1.58248 = 266.67 a year
    # required slope = (2000 - 1006) / (1,188 days = 3.25257 years) = 994 / 3.25257 = 305.60 a year
    # anticipated = 266.67 / 305.60 = 0.87260 -> needs acceleration
    # current status = 422 / 994 = 0.42455
    result = assess_indicator(DDR, **DDR_TARGET, as_of=date(2021, 6, 1))
    assert result.status == "needs_acceleration"
    assert result.reason == "pace_ratio"
    assert result.method == "linear"
    assert result.anticipated == pytest.approx(0.87260, abs=1e-5)
    assert result.current_status == pytest.approx(0.42455, abs=1e-5)


def test_a_pace_over_less_than_the_declared_span_decides_nothing() -> None:
    # From 0 on 2021-03-25 to 422 on 2021-04-30 (36 days): the pace alone would read "on track"
    # (422 / 0.0986 years = 4,281 a year against 1,130 needed); under a half-year minimum it
    # is insufficient data, and the same figures judged a year later are banded again.
    cohort = [(date(2021, 4, 30), 422.0)]
    base = (date(2021, 3, 25), 0.0)
    free = assess_indicator(cohort, baseline=base, **DDR_TARGET, as_of=date(2021, 6, 30))
    assert free.status == "on_track"
    short = assess_indicator(cohort, baseline=base, **DDR_TARGET, as_of=date(2021, 6, 30), min_pace_years=0.5)
    assert (short.status, short.reason) == ("insufficient_data", "pace_window_short")
    later = [*cohort, (date(2022, 6, 16), 759.0)]
    banded = assess_indicator(later, baseline=base, **DDR_TARGET, as_of=date(2022, 6, 30), min_pace_years=0.5)
    assert (banded.status, banded.reason) == ("limited_progress", "pace_ratio")


def test_a_target_met_within_the_short_span_is_still_achieved() -> None:
    result = assess_indicator(
        [(date(2021, 4, 30), 2000.0)],
        baseline=(date(2021, 3, 25), 0.0),
        **DDR_TARGET,
        as_of=date(2021, 6, 30),
        min_pace_years=0.5,
    )
    assert result.status == "achieved"


def test_ddr_after_the_deadline_is_judged_on_the_distance_covered() -> None:
    # No new figure after 2022-12-31: 1,428 < 2,000, not achieved by the deadline, although the
    # pace alone (0.87260) would have read "needs acceleration"; the share covered is still given.
    result = assess_indicator(DDR, **DDR_TARGET, as_of=date(2023, 6, 30))
    assert result.status == "not_achieved_by_deadline"
    assert result.current_status == pytest.approx(0.42455, abs=1e-5)
    assert result.reason == "deadline_passed"
    assert result.anticipated == pytest.approx(0.87260, abs=1e-5)


def test_zero_base_under_compound_falls_back_to_linear() -> None:
    # Population centres with prefect and magistrates: 0 (2021-01-01) -> 3 (2022-01-01), target 8 by
    # 2023-01-01. (3/0)^(1/t) is undefined, so linear: observed 3 / (365/365.25) a year,
    # required 8 / (730/365.25) a year; ratio = (3/8) * (730/365) = 0.75 -> needs acceleration.
    result = assess_indicator(
        [(date(2021, 1, 1), 0.0), (date(2022, 1, 1), 3.0)],
        target=8.0,
        target_date=date(2023, 1, 1),
        direction="increase",
        method="compound",
        as_of=date(2022, 6, 30),
    )
    assert result.status == "needs_acceleration"
    assert result.method == "linear"
    assert result.reason == "pace_ratio+zero_base_linear"
    assert result.anticipated == pytest.approx(0.75)
    assert result.current_status == pytest.approx(3 / 8)


def test_lower_is_better_indicator() -> None:
    # A rate to bring down: 80 (2019-01-01) -> 70 (2021-01-01), 731 days = 2.00137 years;
    # target 50 by 2023-01-01 (1,461 days = 4 years).
    # observed CAGR = (70/80)^(1/2.00137) - 1 = 0.875^0.49966 - 1 = -0.064543
    # required CAGR = (50/80)^(1/4) - 1 = 0.625^0.25 - 1 = -0.110860
    # anticipated = -0.064543 / -0.110860 = 0.58220 -> below 0.60: limited progress
    # current status = (70 - 80) / (50 - 80) = 1/3
    points = [(date(2019, 1, 1), 80.0), (date(2021, 1, 1), 70.0)]
    target: Target = {"target": 50.0, "target_date": date(2023, 1, 1), "direction": "decrease", "method": "compound"}
    result = assess_indicator(points, **target, as_of=date(2021, 6, 1))
    assert result.status == "limited_progress"
    assert result.anticipated == pytest.approx(0.58220, abs=1e-5)
    assert result.current_status == pytest.approx(1 / 3)
    # 48 is below the target of 50: for a lower-is-better indicator that is achieved.
    achieved = assess_indicator([*points, (date(2022, 1, 1), 48.0)], **target, as_of=date(2022, 6, 1))
    assert achieved.status == "achieved"


def test_deterioration() -> None:
    # 20 (2020-01-01) -> 15 (2021-01-01), target 30 by 2024-01-01 (4 years):
    # observed CAGR = 0.75^(1/1.00205) - 1 = -0.24956; required = 1.5^(1/4) - 1 = 0.10668
    # anticipated = -2.3393 < 0 -> deterioration; current status = (15 - 20) / (30 - 20) = -0.5
    result = assess_indicator(
        [(date(2020, 1, 1), 20.0), (date(2021, 1, 1), 15.0)],
        target=30.0,
        target_date=date(2024, 1, 1),
        direction="increase",
        method="compound",
        as_of=date(2021, 1, 1),
    )
    assert result.status == "deterioration"
    assert result.anticipated == pytest.approx(-2.3393, abs=1e-4)
    assert result.current_status == pytest.approx(-0.5)


def test_one_point_only() -> None:
    below = assess_indicator([(date(2020, 12, 31), 27.89)], **WOMEN_TARGET, as_of=date(2021, 1, 1))
    assert (below.status, below.reason) == ("insufficient_data", "too_few_points")
    assert below.years == 0
    # A single figure that meets the target tells the state, which is all "achieved" needs.
    above = assess_indicator([(date(2022, 6, 30), 30.66)], **WOMEN_TARGET, as_of=date(2022, 7, 1))
    assert (above.status, above.reason) == ("achieved", "target_met")
    # ... unless it came after the deadline: nothing was known by then.
    late = assess_indicator([(date(2024, 12, 31), 30.66)], **WOMEN_TARGET, as_of=date(2025, 1, 1))
    assert (late.status, late.reason, late.decisive) == ("insufficient_data", "no_point_by_deadline", None)


def test_a_figure_from_before_the_roadmap_never_decides_alone() -> None:
    # Women candidates: 30.35 % at the 2020 election, before the roadmap of 25 March 2021, which
    # is the baseline; no election since. Meeting 30 % then says nothing of the roadmap's period.
    points = [(date(2020, 3, 29), 30.35)]
    result = assess_indicator(points, baseline=points[0], **WOMEN_TARGET, as_of=date(2022, 6, 30))
    assert (result.status, result.reason) == ("insufficient_data", "only_before_baseline")


def test_target_already_met_at_baseline() -> None:
    # 35 -> 36 against 30: nothing left to cover; current status and pace are undefined.
    kept = assess_indicator(
        [(date(2019, 1, 1), 35.0), (date(2020, 1, 1), 36.0)], **WOMEN_TARGET, as_of=date(2020, 6, 1)
    )
    assert (kept.status, kept.reason) == ("achieved", "target_met_at_baseline")
    assert kept.current_status is None and kept.anticipated is None
    # 35 -> 28: the target was met and is no longer.
    lost = assess_indicator(
        [(date(2019, 1, 1), 35.0), (date(2020, 1, 1), 28.0)], **WOMEN_TARGET, as_of=date(2020, 6, 1)
    )
    assert (lost.status, lost.reason) == ("deterioration", "target_lost_since_baseline")


def test_explicit_baseline_needs_a_later_point() -> None:
    result = assess_indicator(WOMEN, baseline=(date(2020, 12, 31), 27.89), **WOMEN_TARGET, as_of=date(2021, 3, 25))
    assert (result.status, result.reason) == ("insufficient_data", "only_before_baseline")
    # With a baseline of 0 combatants on 2018-12-31 (1,461 days = 4 years before 2022-12-31)
    # and 1,428 on 2021-04-30 (851 days = 2.32991 years):
    # observed 1428 / 2.32991 = 612.90 a year; required 2000 / 4 = 500 a year; ratio 1.2258.
    zero_based = assess_indicator(DDR, baseline=(date(2018, 12, 31), 0.0), **DDR_TARGET, as_of=date(2021, 6, 1))
    assert zero_based.status == "on_track"
    assert zero_based.anticipated == pytest.approx(1.2258, abs=1e-4)


def test_no_target_is_insufficient_data() -> None:
    result = assess_indicator(
        WOMEN, target=None, target_date=None, direction="increase", method="compound", as_of=date(2025, 1, 1)
    )
    assert (result.status, result.reason) == ("insufficient_data", "no_target")


def test_two_different_values_on_one_date_are_refused() -> None:
    with pytest.raises(ValueError, match="pick one source"):
        assess_indicator([*WOMEN, (date(2020, 12, 31), 28.57)], **WOMEN_TARGET, as_of=date(2025, 1, 1))


@pytest.mark.parametrize(
    ("ratio", "status"),
    [
        (0.95, "on_track"),
        (0.9499, "needs_acceleration"),
        (0.60, "needs_acceleration"),
        (0.5999, "limited_progress"),
        (0.0, "limited_progress"),
        (-0.0001, "deterioration"),
    ],
)
def test_band_edges(ratio: float, status: str) -> None:
    assert band(ratio) == status


def _events(rows: list[tuple[str, str, date, str]]) -> pl.DataFrame:
    frame = pl.DataFrame(
        [
            {
                "benchmark": b,
                "milestone_id": m,
                "date": d,
                "status": s,
                "score": schema.MILESTONE_STATUS[s],
                "description_fr": f"{m} {s}",
                "description_en": f"{m} {s}",
                "source_id": f"src-{m}",
            }
            for b, m, d, s in rows
        ],
        schema={k: v for k, v in schema.MILESTONE_EVENTS.items() if k not in ("confidence", "file", "line")},
    )
    return schema.conform(frame, "milestone_events")


MILESTONES = schema.conform(
    pl.DataFrame(
        {
            "roadmap_id": ["S/2021/300"] * 3,
            "benchmark": ["B"] * 3,
            "milestone_id": ["referendum", "electoral-law", "elections"],
            "name_fr": ["Référendum", "Loi électorale", "Élections"],
            "name_en": ["Referendum", "Electoral law", "Elections"],
        }
    ),
    "milestones",
)
EVENTS = _events(
    [
        ("B", "electoral-law", date(2022, 1, 15), "intermediate"),
        ("B", "electoral-law", date(2021, 6, 1), "minimal"),
        ("B", "electoral-law", date(2023, 2, 1), "full"),
        ("B", "referendum", date(2021, 9, 1), "intermediate"),
        ("B", "referendum", date(2022, 6, 1), "reversed"),
        ("A", "other", date(2021, 1, 1), "full"),  # another benchmark's milestone: not counted here
    ]
)


def test_milestone_score_with_a_reversal_and_a_milestone_without_events() -> None:
    # At 2022-12-31: referendum reversed (0), electoral law intermediate (2), elections without
    # any event (0, no evidence): 2 / (3 x 3) = 0.2222
    result = milestone_score(EVENTS, MILESTONES, date(2022, 12, 31))
    rows = {r["milestone_id"]: r for r in result.rows.to_dicts()}
    assert [r["milestone_id"] for r in result.rows.to_dicts()] == ["referendum", "electoral-law", "elections"]
    assert rows["referendum"]["status"] == "reversed" and rows["referendum"]["score"] == 0
    assert rows["referendum"]["evidence"] is True
    assert rows["electoral-law"]["status"] == "intermediate" and rows["electoral-law"]["date"] == date(2022, 1, 15)
    assert rows["elections"]["status"] == "not_initiated" and rows["elections"]["evidence"] is False
    assert rows["elections"]["source_id"] is None
    assert (result.points, result.max_points) == (2, 9)
    assert result.score == pytest.approx(2 / 9)


def test_milestone_score_moves_with_as_of() -> None:
    # 2021-07-01: electoral law minimal (1), referendum no event yet: 1/9.
    # 2023-06-30: electoral law full (3), referendum still reversed: 3/9.
    early = milestone_score(EVENTS, MILESTONES, date(2021, 7, 1))
    assert early.score == pytest.approx(1 / 9)
    assert early.rows.filter(pl.col("milestone_id") == "referendum")["evidence"].to_list() == [False]
    assert milestone_score(EVENTS, MILESTONES, date(2023, 6, 30)).score == pytest.approx(3 / 9)


def test_milestone_events_on_the_same_day_go_to_the_last_listed() -> None:
    events = _events([("B", "elections", date(2022, 3, 1), "full"), ("B", "elections", date(2022, 3, 1), "reversed")])
    rows = milestone_score(events, MILESTONES, date(2022, 12, 31)).rows
    assert rows.filter(pl.col("milestone_id") == "elections")["status"].to_list() == ["reversed"]


def test_milestone_unknown_status_and_no_milestones() -> None:
    bad = EVENTS.with_columns(status=pl.lit("done"))
    with pytest.raises(ValueError, match="unknown milestone status"):
        milestone_score(bad, MILESTONES, date(2022, 12, 31))
    empty = milestone_score(EVENTS, MILESTONES.clear(), date(2022, 12, 31))
    assert empty.score is None and empty.rows.height == 0


# --- the deadline and the age of a figure ------------------------------------------------------


def test_on_the_deadline_day_the_pace_no_longer_decides() -> None:
    # the cabinet's 21.4 % of June 2021 against 30 % by 31 December 2022: on that very day,
    # not achieved by the deadline, never "on track" from the pace of a figure 18 months old
    cabinet = [(date(2020, 10, 5), 16.0), (date(2021, 6, 11), 21.43)]
    target = Target(target=30.0, target_date=date(2022, 12, 31), direction="increase", method="compound")
    on_the_day = assess_indicator(cabinet, **target, as_of=date(2022, 12, 31), max_age_years=1)
    assert (on_the_day.status, on_the_day.reason) == ("not_achieved_by_deadline", "deadline_passed")
    # the day before, the figure is too old to judge a pace on: no recent data, not "on track"
    before = assess_indicator(cabinet, **target, as_of=date(2022, 12, 30), max_age_years=1)
    assert (before.status, before.reason) == ("no_recent_data", "figure_too_old")
    # a year after it was taken, it still could
    fresh = assess_indicator(cabinet, **target, as_of=date(2022, 6, 1), max_age_years=1)
    assert fresh.status == "on_track"


_DAYS = st.dates(min_value=date(2019, 1, 1), max_value=date(2027, 12, 31))


@given(
    points=st.lists(st.tuples(_DAYS, st.floats(0, 100)), min_size=1, max_size=8, unique_by=lambda p: p[0]),
    deadline=_DAYS,
    target=st.floats(1, 100),
    as_of=_DAYS,
    later=st.integers(0, 2000),
    direction=st.sampled_from(["increase", "decrease"]),
    max_age=st.none() | st.floats(0.25, 3),
)
def test_after_its_deadline_a_target_is_only_ever_in_a_deadline_status(
    points: list[tuple[date, float]],
    deadline: date,
    target: float,
    as_of: date,
    later: int,
    direction: Direction,
    max_age: float | None,
) -> None:
    rule = Target(target=target, target_date=deadline, direction=direction, method="linear")
    past = [max(as_of, deadline), max(as_of, deadline) + timedelta(days=later)]
    results = [assess_indicator(points, **rule, as_of=day, max_age_years=max_age) for day in past]
    for result in results:
        assert result.status in (*statuses.DEADLINE, "insufficient_data")
        assert result.status not in statuses.PACE
        if result.decisive is not None and result.decisive[0] > min(p[0] for p in points):
            assert result.status in statuses.DEADLINE  # a figure dated by the deadline decides
    # moving the date later past the deadline never changes the answer
    assert results[0].status == results[1].status
