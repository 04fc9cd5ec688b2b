"""The pace of `pipelines.analysis.projection`: when a target would be reached at the pace
observed between two figures, linearly or at a compound rate, and how each outcome reads."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.analysis import projection
from pipelines.analysis.projection import Projection, project

D = date


def test_linear_and_compound_years_from_two_points() -> None:
    points = [(D(2020, 1, 1), 20.0), (D(2022, 1, 1), 24.0)]
    linear = project(points, 30.0, "linear")
    assert linear.outcome == "projected"
    assert linear.pace == pytest.approx(4 / (731 / 365.25))
    assert linear.year == 2025  # 6 more points at about 2 a year
    compound = project(points, 30.0, "compound")
    assert compound.pace == pytest.approx((24 / 20) ** (365.25 / 731) - 1)
    assert compound.year == 2024  # ln(30/24) / ln(1.0954) = 2.45 years after 2022


def test_a_met_target_is_already_reached_even_with_one_figure() -> None:
    assert project([(D(2024, 12, 31), 30.66)], 30.0, "linear").outcome == "reached"
    assert project([(D(2020, 1, 1), 31.0), (D(2021, 1, 1), 30.0)], 30.0, "compound").outcome == "reached"


@pytest.mark.parametrize("method", ["linear", "compound"])
def test_a_flat_or_falling_pace_never_reaches_the_target(method: str) -> None:
    flat = project([(D(2020, 1, 1), 20.0), (D(2022, 1, 1), 20.0)], 30.0, method)  # type: ignore[arg-type]
    falling = project([(D(2018, 9, 30), 34.4), (D(2021, 6, 11), 21.4)], 30.0, method)  # type: ignore[arg-type]
    assert (flat.outcome, flat.when) == ("never", None)
    assert falling.outcome == "never" and falling.pace is not None and falling.pace < 0


def test_one_figure_below_the_target_gives_no_pace() -> None:
    p = project([(D(2023, 1, 27), 20.8)], 30.0, "linear")
    assert p.outcome == "insufficient_data" and p.year is None
    assert project([], 30.0, "linear").outcome == "insufficient_data"


def test_compound_pace_from_zero_is_undefined_linear_is_not() -> None:
    points = [(D(2019, 1, 1), 0.0), (D(2021, 1, 1), 10.0)]
    assert project(points, 30.0, "compound").outcome == "zero_base"
    assert project(points, 30.0, "linear").year == 2025


def test_a_century_away_is_beyond_the_horizon() -> None:
    p = project([(D(2000, 1, 1), 10.0), (D(2020, 1, 1), 10.2)], 30.0, "linear")
    assert p.outcome == "beyond" and p.when is None


def test_the_pace_runs_from_the_start_given() -> None:
    points = [(D(2018, 1, 1), 30.0), (D(2020, 1, 1), 10.0), (D(2022, 1, 1), 20.0)]
    assert project(points, 25.0, "linear").outcome == "never"  # from 30 % in 2018
    assert project(points, 25.0, "linear", start=points[1]).year == 2023  # from 10 % in 2020


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="linear"):
        project([(D(2020, 1, 1), 1.0)], 2.0, "quadratic")  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_outcomes_read_in_the_report_language(lang: str) -> None:
    texts = {
        o: projection.outcome_text(Projection("linear", o), "percent", lang)
        for o in ("reached", "never", "insufficient_data", "zero_base")
    }
    assert texts["reached"] == {"fr": "déjà atteint", "en": "already reached"}[lang]
    assert texts["never"] == {"fr": "jamais à ce rythme", "en": "never at this pace"}[lang]
    projected = project([(D(2020, 1, 1), 20.0), (D(2022, 1, 1), 24.0)], 30.0, "linear")
    assert projection.outcome_text(projected, "percent", lang).startswith("2025 (+2")
