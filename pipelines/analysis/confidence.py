"""How much to trust a status: a grade (high, medium, low) and its reasons, from declared criteria.

The grade is about the evidence that decided the status (the deciding figure of a target
indicator; the events that set the counted milestones), never about the rule. Each criterion
below that the evidence meets lowers the grade by one step from *high*; two or more steps give
*low*. A status nothing decides (insufficient data) is *low*; a benchmark no longer assessed
(retired, transferred, not yet in force) has no grade.

The criteria (`CRITERIA`), in the order a reader sees them:

* ``secondary``: the deciding figure comes from a secondary source (press, aggregator), or is
  derived by arithmetic, not read in a primary text; for milestones, most of the events that set
  the counted levels do;
* ``old``: the deciding figure, or the latest counted event, is more than `MAX_AGE_DAYS` old at
  the report's date (once the status is judged at a deadline, at that deadline: the status is
  about that day);
* ``conflicting``: another source gives another value for the same figure and date (for a
  milestone: two events of the same day set different levels);
* ``undated``: the figure's date was inferred (``dated: inferred``), or its source is dated by a
  rule, not by a day found in it; for milestones, most of the counted events' sources are;
* ``single_source``: everything that decided rests on one source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from pipelines.analysis.indicators import IndicatorView
from pipelines.core.i18n import t

#: Each criterion's id, in the order the reasons are given.
CRITERIA: tuple[str, ...] = ("secondary", "old", "conflicting", "undated", "single_source")
#: The grades, best first.
GRADES: tuple[str, ...] = ("high", "medium", "low")
#: A deciding figure older than this at the report's date lowers the grade (two years).
MAX_AGE_DAYS = 730
#: Statuses that have no grade: nothing is assessed.
UNGRADED = frozenset({"not_yet_in_force", "not_assessed", "transferred", "retired"})


@dataclass(frozen=True)
class Confidence:
    """A grade and the criteria that lowered it (empty: none did); ``nothing`` when no figure
    or event decided the status."""

    grade: str | None
    criteria: tuple[str, ...] = ()
    nothing: bool = False

    def reasons(self, lang: str) -> str:
        """Why, in one phrase: the criteria met, or that none was."""
        if self.grade is None:
            return ""
        if self.nothing:
            return t("trust.nothing", lang)
        if not self.criteria:
            return t("trust.none_met", lang)
        return "; ".join(t(f"trust.{c}", lang) for c in self.criteria)

    def text(self, lang: str) -> str:
        """ "Confidence: medium (a secondary source; a single source)"."""
        if self.grade is None:
            return ""
        return t("trust.line", lang, grade=t(f"trust.grade.{self.grade}", lang), reasons=self.reasons(lang))


def grade(criteria: tuple[str, ...]) -> Confidence:
    """The grade the criteria met give: one step down from high for each, low at two or more."""
    met = tuple(c for c in CRITERIA if c in criteria)
    return Confidence(GRADES[min(len(met), 2)], met)


def _sources_flags(cited: list[str], sources: pl.DataFrame) -> set[str]:
    """The criteria the sources of `cited` (one id per deciding figure or event) meet: most
    of them secondary, most dated by a rule, one source for all."""
    kind = dict(zip(sources["source_id"], sources["kind"], strict=True))
    by_rule = dict(zip(sources["source_id"], sources["published_rule"].fill_null("") != "", strict=True))
    flags = set()
    if cited and 2 * sum(kind.get(s) != "primary" for s in cited) > len(cited):
        flags.add("secondary")
    if cited and 2 * sum(bool(by_rule.get(s)) for s in cited) > len(cited):
        flags.add("undated")
    if len(set(cited)) == 1:
        flags.add("single_source")
    return flags


def of_indicator(iv: IndicatorView, sources: pl.DataFrame, as_of: date) -> Confidence:
    """The confidence of a target indicator's status: its deciding figure's evidence, its age
    at ``as_of`` or, after the target's date, at that date."""
    deadline = iv.indicator.get("target_date")
    if deadline is not None and deadline < as_of:
        as_of = deadline
    decided = iv.assessment.decisive
    if decided is None:
        return Confidence("low", nothing=True)
    day = decided[0]
    same_day = iv.observations.filter(pl.col("period_end") == day)
    used = same_day.filter(pl.col("source_id").is_in(list(iv.sources_used))) if iv.sources_used else same_day
    rows = used if used.height else same_day
    flags = _sources_flags(rows["source_id"].to_list(), sources)
    if "confidence" in rows.columns and (rows["confidence"] == "derived").any():
        flags.add("secondary")
    if "date_inferred" in rows.columns and rows["date_inferred"].fill_null(False).any():
        flags.add("undated")
    if same_day["value"].n_unique() > 1:
        flags.add("conflicting")
    # one source for the whole series assessed, not only for the deciding day
    series_sources = set(iv.observations["source_id"].to_list())
    if len(series_sources) > 1:
        flags.discard("single_source")
    if (as_of - day).days > MAX_AGE_DAYS:
        flags.add("old")
    return grade(tuple(flags))


def of_milestones(
    counted: pl.DataFrame, events: pl.DataFrame, sources: pl.DataFrame, as_of: date, horizon: date | None = None
) -> Confidence:
    """The confidence of a status the milestones decided: the events that set each counted
    milestone's level (`counted`: `progress.MilestoneScore.rows`), against all events known."""
    deciding = counted.filter(pl.col("date").is_not_null())
    if deciding.is_empty():
        return Confidence("low", nothing=True)
    flags = _sources_flags(deciding["source_id"].to_list(), sources)
    clash = (
        events.join(deciding.select("milestone_id", "date"), on=["milestone_id", "date"])
        .group_by("milestone_id", "date")
        .agg(pl.col("status").n_unique().alias("levels"))
    )
    if clash.height and (clash["levels"] > 1).any():
        flags.add("conflicting")
    if horizon is not None and horizon < as_of:
        as_of = horizon
    latest: date = max(deciding["date"].to_list())
    if (as_of - latest).days > MAX_AGE_DAYS:
        flags.add("old")
    return grade(tuple(flags))
