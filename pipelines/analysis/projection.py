"""The pace: when a target would be reached if the pace observed went on.

The two-point pace of DESIGN §7 (from a start, by default the first figure, to the latest),
prolonged linearly or at a compound rate. It is arithmetic, not a forecast, and says "already
reached" or "never at this pace" rather than invent a date.

Separate from `pipelines.reports.women_quota.sums`: the women's quota and the DDR report
(`pipelines.reports.ddr.sums`) ask the same question of their figures, each with its own rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pipelines.analysis import progress
from pipelines.analysis.progress import Point
from pipelines.core.i18n import fmt_count, fmt_number, fmt_percent, t

#: Beyond this many years, a projected date says nothing a reader can use.
HORIZON_YEARS = 100.0

Method = Literal["linear", "compound"]
Outcome = Literal[
    "reached", "projected", "never", "beyond", "insufficient_data", "zero_base", "deadline_passed", "pace_window_short"
]


@dataclass(frozen=True)
class Projection:
    """When ``target`` would be reached if the pace from ``start`` to ``latest`` went on.

    ``pace`` is per year: units (linear) or a rate (compound, 0.05 = 5 %). ``when`` is set
    only for the outcome ``projected``.
    """

    method: Method
    outcome: Outcome
    start: Point | None = None
    latest: Point | None = None
    pace: float | None = None
    when: date | None = None

    @property
    def year(self) -> int | None:
        return None if self.when is None else self.when.year


def project(points: Sequence[Point], target: float, method: Method, start: Point | None = None) -> Projection:
    """Prolong the pace from ``start`` (default: the first point) to the latest point until
    ``target`` (an increase) is reached. Two points, as in `progress` (DESIGN §7): the
    question is "at the pace observed since then", not a fitted trend.

    Already at or above the target: ``reached``. A flat or falling pace: ``never``. More than
    `HORIZON_YEARS` away: ``beyond``. A compound pace from zero is undefined: ``zero_base``.
    """
    if method not in ("linear", "compound"):
        raise ValueError(f"method must be 'linear' or 'compound', not {method!r}")
    known = sorted(points)
    if not known:
        return Projection(method, "insufficient_data")
    latest = known[-1]
    begin = start if start is not None else known[0]
    if latest[1] >= target:
        return Projection(method, "reached", begin, latest)
    if begin[0] >= latest[0]:
        return Projection(method, "insufficient_data", begin, latest)
    years = progress.years_between(begin[0], latest[0])
    if method == "linear":
        pace = (latest[1] - begin[1]) / years
        if pace <= 0:
            return Projection(method, "never", begin, latest, pace)
        needed = (target - latest[1]) / pace
    else:
        if begin[1] <= 0:
            return Projection(method, "zero_base", begin, latest)
        if latest[1] <= 0:
            return Projection(method, "never", begin, latest, -1.0)
        pace = (latest[1] / begin[1]) ** (1 / years) - 1
        if pace <= 0:
            return Projection(method, "never", begin, latest, pace)
        needed = math.log(target / latest[1]) / math.log1p(pace)
    if needed > HORIZON_YEARS:
        return Projection(method, "beyond", begin, latest, pace)
    return Projection(method, "projected", begin, latest, pace, latest[0] + timedelta(days=round(needed * 365.25)))


def outcome_text(p: Projection, unit: str, lang: str) -> str:
    """A projection as a table cell: "2027 (+0.3 points a year)", "already reached", …"""
    if p.outcome == "projected":
        return f"{p.year} ({pace_text(p, unit, lang)})"
    if p.outcome == "beyond":
        assert p.latest is not None
        return t(
            "wq_ddr.outcome.beyond", lang, year=p.latest[0].year + int(HORIZON_YEARS), pace=pace_text(p, unit, lang)
        )
    if p.outcome == "never" and p.pace is not None:
        return f"{t('wq_ddr.outcome.never', lang)} ({pace_text(p, unit, lang)})"
    return t(f"wq_ddr.outcome.{p.outcome}", lang)


def pace_text(p: Projection, unit: str, lang: str) -> str:
    """The pace in words: points a year for a linear share, a rate for a compound pace,
    persons a year for a count."""
    if p.pace is None:
        return t("not_available", lang)
    sign = "+" if p.pace > 0 else ""
    if p.method == "compound":
        return t("wq_ddr.pace.rate", lang, value=sign + fmt_percent(100 * p.pace, lang))
    if unit == "percent":
        return t("wq_ddr.pace.points", lang, value=sign + fmt_number(p.pace, lang, digits=2))
    return t("wq_ddr.pace.units", lang, value=sign + fmt_count(p.pace, lang), unit=t(f"unit.{unit}", lang))
