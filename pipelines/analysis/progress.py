"""Where an indicator or a milestone benchmark stands at a date (DESIGN §7).

Pure functions, no I/O: the scorecard, every benchmark report and the tests compute the same
status from the same figures. An indicator is assessed as in Open SDG's progress measure:
the observed annual pace since the baseline is compared with the pace required to reach the
target by its date, and the ratio is banded. A milestone benchmark scores
Σ status / (3 × milestones) on the Peace Accords Matrix scale.

Choices the reports rely on (each one a place where a reader could ask "why this status?"):

* **Achieved first.** Before the target date, a value that meets the target in the right
  direction is ``achieved``, even with a single observation: it is a statement about the
  state, not the pace, so one figure is enough, provided it is later than the baseline (the
  roadmap's date).
* **Figures from before the roadmap never decide alone.** When the only figures are on or
  before the baseline, the status is insufficient data, whatever they show
  (``only_before_baseline``): a roadmap asks what happens after it is written.
* **Before the target date** the status bands the *anticipated* progress (pace ratio), from a
  figure no older than the roadmap file's ``max_age_years``: an older one gives *no recent
  data* (``figure_too_old``), since a pace is never judged from a figure a year and a half old.
* **On and after the target date** (``as_of >= target_date``) the question is whether the
  target was met *by* the deadline, and only two answers are possible once a figure dated by
  then is known: ``achieved_by_deadline`` or ``not_achieved_by_deadline``, decided by the
  latest figure dated on or before the target date (`Assessment.decisive`); later figures are
  shown as "after the deadline" and change nothing. No pace is judged any more (the share of
  the distance covered is still given, as a fact); no figure by the deadline is insufficient
  data (``no_point_by_deadline``). The same rule for every indicator.
* **A target already met at the baseline** has no distance to cover: current status and
  anticipated progress are undefined (None); the status is ``achieved`` while the latest
  value still meets it and ``deterioration`` once it no longer does (after the deadline: the
  two deadline statuses).
* **A pace needs time to show.** Before the target date, a pace measured over less than the
  roadmap file's ``min_pace_years`` (from the baseline to the decisive figure) decides
  nothing: the status is insufficient data (``pace_window_short``). Four weeks of a count
  that moves in cohorts would otherwise extrapolate one cohort into "on track". A target
  already met is still ``achieved``: that is a state, not a pace.
* **Compound pace needs a positive base.** A zero base (e.g. a count that starts at nothing)
  falls back to the linear pace, and the reason says so (``zero_base_linear``).
* **One value per date.** Two different values at the same date (two sources that disagree)
  are refused: the caller picks the source; a status must not depend on row order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

import polars as pl

from pipelines.core.schema import MILESTONE_STATUS
from pipelines.core.statuses import DEADLINE

Direction = Literal["increase", "decrease"]
Method = Literal["compound", "linear"]
#: A status id of the one vocabulary, `pipelines.core.statuses`.
Status = str
#: An observation or a baseline: when, and how much.
Point = tuple[date, float]
#: Lower bounds of the Open SDG bands, applied to a pace ratio or to a current status.
ON_TRACK = 0.95
NEEDS_ACCELERATION = 0.60

#: Codes an `Assessment.reason` is made of (joined with "+"), each with a translation in
#: `pipelines.core.i18n` under ``reason.<code>``.
REASONS: tuple[str, ...] = (
    "no_target",  # the indicator has no target value
    "too_few_points",  # fewer than two observations on/before as_of
    "target_met",  # the latest value meets the target
    "target_met_at_baseline",  # ... and the baseline already did
    "target_lost_since_baseline",  # the baseline met the target, the latest value no longer does
    "pace_ratio",  # banded on anticipated progress (target date ahead)
    "deadline_passed",  # target date reached on as_of, not met by it: not achieved by the deadline
    "met_by_deadline",  # target date reached on as_of, met by then: achieved by the deadline
    "no_point_by_deadline",  # target date reached on as_of, no figure dated by then
    "figure_too_old",  # target date ahead, the deciding figure older than the declared maximum age
    "only_before_baseline",  # every figure is dated on/before the baseline (the roadmap's date)
    "no_target_date",  # banded on current status (no target date to measure pace to)
    "zero_base_linear",  # compound pace impossible from a zero base: linear pace used
    "no_start_figure",  # additions since a date are counted, but no figure was known on that date
    "pace_window_short",  # the pace would be measured over less than the declared minimum span
)

_DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Assessment:
    """An indicator's standing at ``as_of``.

    ``current_status`` is (yt − y0)/(y* − y0) with yt the decisive figure; ``anticipated`` is
    observed annual pace over required annual pace; ``years`` runs from the baseline to the
    decisive point; ``method`` is
    the pace actually used (``linear`` after a zero-base fallback); ``reason`` is one or more
    codes of `REASONS` joined by "+", the first saying what decided the status.
    """

    status: Status
    current_status: float | None
    anticipated: float | None
    latest: Point | None
    baseline: Point | None
    years: float | None
    method: Method
    reason: str
    #: The figure that decided the status: the latest one, or after the target date the
    #: latest one dated by it (None when no figure decided).
    decisive: Point | None = None

    @property
    def judged_at_deadline(self) -> bool:
        """True when the target date is reached on ``as_of``: the status says whether the target
        was met *by* it, and nothing is prolonged toward it any more."""
        return self.status in DEADLINE or self.reason.split("+")[0] == "no_point_by_deadline"

    @property
    def after_deadline(self) -> bool:
        """True when the latest figure came after the one that decided (the target date passed)."""
        return self.decisive is not None and self.latest is not None and self.latest[0] > self.decisive[0]


def band(ratio: float) -> Status:
    """Open SDG band of a pace ratio or current status (≥ 0.95, ≥ 0.60, ≥ 0, < 0)."""
    if ratio >= ON_TRACK:
        return "on_track"
    if ratio >= NEEDS_ACCELERATION:
        return "needs_acceleration"
    if ratio >= 0:
        return "limited_progress"
    return "deterioration"


def years_between(start: date, end: date) -> float:
    """Years from start to end, as days / 365.25, so that paces are per calendar year."""
    return (end - start).days / _DAYS_PER_YEAR


def meets(value: float, target: float, direction: Direction) -> bool:
    """Whether a value meets the target in the direction of good progress."""
    return value >= target if direction == "increase" else value <= target


def assess_indicator(
    points: Iterable[Point],
    *,
    baseline: Point | None = None,
    target: float | None,
    target_date: date | None,
    direction: Direction,
    method: Method,
    as_of: date,
    min_pace_years: float | None = None,
    max_age_years: float | None = None,
) -> Assessment:
    """Assess an indicator at ``as_of`` from its observations (see the module's choices).

    ``points`` may come in any order; only those dated on or before ``as_of`` count.
    ``min_pace_years`` is the shortest span a pace is judged on, ``max_age_years`` the oldest a
    deciding figure may be before the deadline (None: no limit). ``baseline`` defaults to the
    earliest of them. ``method`` is ``compound`` for rates and shares, ``linear`` for counts
    that start from zero.
    """
    if direction not in ("increase", "decrease"):
        raise ValueError(f"direction must be 'increase' or 'decrease', not {direction!r}")
    if method not in ("compound", "linear"):
        raise ValueError(f"method must be 'compound' or 'linear', not {method!r}")
    known = _points_until(points, as_of)
    latest = known[-1] if known else None
    base = baseline if baseline is not None else (known[0] if known else None)
    deadline_passed = target_date is not None and as_of >= target_date
    by_deadline = [p for p in known if target_date is None or p[0] <= target_date] if deadline_passed else known
    decisive = by_deadline[-1] if by_deadline else None

    def result(
        status: Status,
        reason: str,
        current: float | None = None,
        anticipated: float | None = None,
        used: Method = method,
        decided: Point | None = None,
    ) -> Assessment:
        years = years_between(base[0], decided[0]) if base and decided and decided[0] >= base[0] else None
        return Assessment(status, current, anticipated, latest, base, years, used, reason, decided)

    def met_or_not(met: bool) -> Status:
        """Whether a target is met: on and after its date, one of the two deadline statuses."""
        if deadline_passed:
            return "achieved_by_deadline" if met else "not_achieved_by_deadline"
        return "achieved" if met else "deterioration"

    if target is None:
        return result("insufficient_data", "no_target")
    if latest is None or base is None:
        return result("insufficient_data", "too_few_points")
    if decisive is None:
        return result("insufficient_data", "no_point_by_deadline")
    if decisive[0] <= base[0]:  # no time has passed: the state is known, the pace is not
        if baseline is not None:  # every figure predates (or is) the roadmap's baseline
            return result("insufficient_data", "only_before_baseline", decided=decisive)
        if meets(decisive[1], target, direction):
            return result(met_or_not(True), "met_by_deadline" if deadline_passed else "target_met", decided=decisive)
        return result("insufficient_data", "too_few_points", decided=decisive)
    if not deadline_passed and max_age_years is not None and years_between(decisive[0], as_of) > max_age_years:
        return result("no_recent_data", "figure_too_old", decided=decisive)
    if meets(base[1], target, direction):  # no distance to cover: only keeping the target counts
        met = meets(decisive[1], target, direction)
        return result(
            met_or_not(met), "target_met_at_baseline" if met else "target_lost_since_baseline", decided=decisive
        )

    used, notes = method, []
    if method == "compound" and base[1] == 0:
        used, notes = "linear", ["zero_base_linear"]
    current = (decisive[1] - base[1]) / (target - base[1])
    anticipated = _pace_ratio(base, decisive, target, target_date, used)
    status: Status
    if meets(decisive[1], target, direction):
        status, decision = met_or_not(True), "met_by_deadline" if deadline_passed else "target_met"
    elif deadline_passed:
        status, decision = "not_achieved_by_deadline", "deadline_passed"
    elif target_date is None:
        status, decision = band(current), "no_target_date"
    elif min_pace_years is not None and years_between(base[0], decisive[0]) < min_pace_years:
        status, decision = "insufficient_data", "pace_window_short"
    else:
        assert anticipated is not None  # target_date > as_of >= latest > baseline
        status, decision = band(anticipated), "pace_ratio"
    return result(status, "+".join([decision, *notes]), current, anticipated, used, decisive)


def _points_until(points: Iterable[Point], as_of: date) -> list[Point]:
    """The points dated on/before as_of, by date; refuses two different values on one date."""
    by_date: dict[date, float] = {}
    for when, value in points:
        if when > as_of:
            continue
        value = float(value)
        if math.isnan(value):
            raise ValueError(f"the value at {when} is NaN: drop missing figures instead of passing them")
        if when in by_date and by_date[when] != value:
            raise ValueError(f"two values on {when} ({by_date[when]} and {value}): pick one source before assessing")
        by_date[when] = value
    return sorted(by_date.items())


def _pace_ratio(base: Point, latest: Point, target: float, target_date: date | None, method: Method) -> float | None:
    """Observed annual pace / required annual pace; None when no time remains from the base
    to the target date (the required pace is then undefined)."""
    if target_date is None or target_date <= base[0]:
        return None
    observed_years = years_between(base[0], latest[0])
    required_years = years_between(base[0], target_date)
    if method == "linear":
        return ((latest[1] - base[1]) / observed_years) / ((target - base[1]) / required_years)
    if min(base[1], latest[1], target) < 0:
        raise ValueError("the compound pace is for rates and shares, which cannot be negative")
    observed = (latest[1] / base[1]) ** (1 / observed_years) - 1
    required = (target / base[1]) ** (1 / required_years) - 1
    return observed / required


@dataclass(frozen=True)
class MilestoneScore:
    """Milestones' status at ``as_of`` and the benchmark's score.

    ``rows`` has one row per milestone, in the order given: benchmark, milestone_id,
    name_fr, name_en, due, status, score, date, description_fr, description_en, source_id,
    evidence. ``evidence`` is False when no event was recorded on/before ``as_of``: the
    status is then ``not_initiated`` by default, and a report must say "no evidence found"
    rather than imply the milestone was checked. ``score`` is points / max_points, None when
    there are no milestones.
    """

    rows: pl.DataFrame
    points: int
    max_points: int
    score: float | None
    as_of: date


_MAX_STATUS_SCORE = max(MILESTONE_STATUS.values())


def milestone_score(events: pl.DataFrame, milestones: pl.DataFrame, as_of: date) -> MilestoneScore:
    """Score milestones at ``as_of``: each one's status is that of its latest event on/before
    that date (ties on a date go to the event listed last); reversed counts 0.

    ``events`` and ``milestones`` have the columns of `schema.MILESTONE_EVENTS` and
    `schema.MILESTONES` (extra columns are ignored). Events of milestones not listed are
    ignored, so that a benchmark's score counts its own milestones only.
    """
    unknown = sorted(set(events["status"].unique().to_list()) - set(MILESTONE_STATUS))
    if unknown:
        raise ValueError(f"unknown milestone status {unknown}; expected one of {list(MILESTONE_STATUS)}")
    key = ["benchmark", "milestone_id"]
    latest = (
        events.filter(pl.col("date") <= as_of)
        .with_row_index("_order")
        .sort(["date", "_order"])
        .group_by(key, maintain_order=True)
        .last()
        .select([*key, "date", "status", "description_fr", "description_en", "source_id"])
    )
    rows = (
        milestones.select([*key, "name_fr", "name_en", "due"])
        .join(latest, on=key, how="left", maintain_order="left")
        .with_columns(
            evidence=pl.col("status").is_not_null(),
            status=pl.col("status").fill_null("not_initiated"),
        )
        .with_columns(score=pl.col("status").replace_strict(MILESTONE_STATUS, return_dtype=pl.Int8))
        .select(
            [
                *key,
                "name_fr",
                "name_en",
                "due",
                "status",
                "score",
                "date",
                "description_fr",
                "description_en",
                "source_id",
                "evidence",
            ]
        )
    )
    points = int(rows["score"].sum())
    max_points = _MAX_STATUS_SCORE * rows.height
    return MilestoneScore(rows, points, max_points, points / max_points if max_points else None, as_of)


@dataclass(frozen=True)
class KeyDate:
    """A date drawn as a vertical rule on time axes, labelled in French and English.
    Key dates are data of each roadmap (`views.Tables.key_dates`), shown once known."""

    day: date
    label_fr: str
    label_en: str

    def label(self, lang: str) -> str:
        return self.label_fr if lang == "fr" else self.label_en
