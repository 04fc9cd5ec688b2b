"""One indicator at one date: which of its figures count, the assessment, and why.

* **which figure counts** when sources disagree on a date: the sources the roadmap file
  declares for the indicator, else primary sources first, then the source with most figures,
  then the source id, so the choice never depends on row order, and the report names the
  sources it used;
* **which date a figure counts from**: the end of its period (a yearly figure counts once its
  year is over, a dated event on its day), so nothing is known before it was published;
* **the status** by the rule the roadmap file declares for the indicator
  (`pipelines.analysis.progress`), with the sentences that say why.

Apart from the benchmark's view (`pipelines.analysis.views`) because the thematic reports
(women's representation, DDR) assess their indicators with these very functions, outside any
benchmark report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

import polars as pl

from pipelines.analysis import progress
from pipelines.core import geo
from pipelines.core.frames import min_date, where
from pipelines.core.i18n import fmt_date, fmt_percent, fmt_period, fmt_value, t


@dataclass(frozen=True)
class IndicatorView:
    """One indicator at ``as_of``: its national figures, the series assessed and the result."""

    indicator: dict[str, Any]
    observations: pl.DataFrame  # every national figure up to as_of, all sources
    regional: pl.DataFrame  # figures for regions (geo codes other than the country); see BenchmarkView.indicators
    sources_used: tuple[str, ...]  # the sources whose figures were assessed, preferred first
    assessment: progress.Assessment
    #: With ``counts: additions_since``, the figure known at that date which the assessed
    #: values are counted from (None: the stock counts, or no figure by then).
    counted_from: tuple[date, float] | None = None
    #: The series assessed, one point per date, as the rule counts it (what a pace is measured on).
    assessed: tuple[tuple[date, float], ...] = ()

    @property
    def has_target(self) -> bool:
        return self.indicator["target_value"] is not None

    def counted_rows(self) -> pl.DataFrame:
        """The rows of the series the rule counts, one per date, each from the source that
        decided it, with ``value`` as the rule counts it and ``published_value`` as its source
        wrote it (they differ with ``counts: additions_since``). Every page that sets a figure
        against the target reads these, never the published running total."""
        counted = dict(self.assessed)
        rows = _choose(
            self.observations.filter(
                ~pl.col("date_inferred").fill_null(False) & pl.col("period_end").is_in(list(counted))
            ),
            {s: i for i, s in enumerate(self.sources_used)},
        )
        return rows.with_columns(
            pl.col("value").alias("published_value"),
            pl.col("period_end").replace_strict(counted, return_dtype=pl.Float64).alias("value"),
        )

    def latest_text(self, lang: str) -> str:
        """The latest figure; after the target date, the figure that decided first, then the
        later one marked as after the deadline ("28.6% (2022, by the deadline); 30.7% (2024,
        after it)")."""
        a = self.assessment
        if a.latest is None:
            return t("not_available", lang)
        if self.counted_from is not None:
            total = self.counted_from[1] + a.latest[1]
            return t(
                "added_since",
                lang,
                value=fmt_value(a.latest[1], self.indicator["unit"], lang),
                since=fmt_date(self.indicator["counts_since"], lang),
                total=fmt_value(total, self.indicator["unit"], lang),
                date=self._when(a.latest[0], lang),
            )
        if a.after_deadline and a.decisive is not None:
            return t(
                "by_and_after_deadline",
                lang,
                decided=self._point_text(a.decisive, lang),
                later=self._point_text(a.latest, lang),
            )
        return f"{fmt_value(a.latest[1], self.indicator['unit'], lang)} ({self._when(a.latest[0], lang)})"

    def _when(self, end: date, lang: str) -> str:
        start = min_date(self.observations.filter(pl.col("period_end") == end)["period_start"])
        return fmt_period(start, end, lang) if start is not None else fmt_date(end, lang)

    def _point_text(self, point: tuple[date, float], lang: str) -> tuple[str, str]:
        return fmt_value(point[1], self.indicator["unit"], lang), self._when(point[0], lang)

    def point_text(self, point: tuple[date, float], lang: str) -> str:
        """A point as a reader reads it: "30.7% (2024)"."""
        value, when = self._point_text(point, lang)
        return f"{value} ({when})"

    def why(self, lang: str) -> str:
        """Why an indicator's status is what it is, in one or two plain sentences: the figure that
        decided, the target and its deadline, the baseline and the arithmetic, as the rule of
        `pipelines.analysis.progress` that applied (``28.6 % (2022), the last figure by the deadline of
        31 December 2022, does not meet the 30 % target: not achieved by the deadline; …``)."""
        a, ind = self.assessment, self.indicator
        unit = ind["unit"]

        def when(point: tuple[date, float] | None) -> str:
            return "" if point is None else self._when(point[0], lang)

        decided = a.decisive
        values = {
            "value": fmt_value(decided[1], unit, lang) if decided else "",
            "date": when(decided),
            "target": fmt_value(ind["target_value"], unit, lang) if ind["target_value"] is not None else "",
            "deadline": fmt_date(ind["target_date"], lang) if ind["target_date"] else "",
            "base": fmt_value(a.baseline[1], unit, lang) if a.baseline else "",
            "base_date": when(a.baseline) if a.baseline else "",
            "covered": share_text(a.current_status, lang),
            "pace": share_text(a.anticipated, lang),
            "since": fmt_date(ind["counts_since"], lang) if ind.get("counts_since") else "",
            "months": _months(a.years, lang),
            "min_months": _months(ind.get("min_pace_years"), lang),
            "max_months": _months(ind.get("max_age_years"), lang),
        }
        code = a.reason.split("+")[0]
        text = t(f"why.{code}", lang, **values)
        if a.after_deadline and a.latest is not None and code in ("deadline_passed", "met_by_deadline"):
            text += " " + t("why.after_deadline", lang, value=fmt_value(a.latest[1], unit, lang), date=when(a.latest))
        if self.counted_from is not None:
            start = self.counted_from
            text = (
                t(
                    "why.counted_from",
                    lang,
                    since=values["since"],
                    start=fmt_value(start[1], unit, lang),
                    start_date=when(start),
                )
                + " "
                + text
            )
        return text

    def rule(self, lang: str) -> str:
        """The rule the roadmap file declares for the indicator, with the roadmap's words behind
        it and, where the baseline is a given body's figure, which body ("" when none is declared)."""
        ind = self.indicator
        parts = []
        if ind.get(f"rule_{lang}"):
            parts.append(t("rule_declared", lang, rule=ind[f"rule_{lang}"].rstrip(".")) + ".")
        if ind.get("rule_quote_fr"):
            where = t("rule_paragraph", lang, paragraph=ind["rule_paragraph"]) if ind.get("rule_paragraph") else ""
            parts.append(t("rule_quote", lang, paragraph=where, quote=ind["rule_quote_fr"]))
        if ind.get(f"baseline_body_{lang}"):
            parts.append(t("baseline_body", lang, body=ind[f"baseline_body_{lang}"]))
        return " ".join(parts)

    def target_text(self, lang: str) -> str:
        ind = self.indicator
        if ind["target_value"] is None:
            return "—"
        text = fmt_value(ind["target_value"], ind["unit"], lang)
        return f"{text} ({fmt_date(ind['target_date'], lang)})" if ind["target_date"] else text


def _months(years: float | None, lang: str) -> str:
    """A span in whole months, as a reader counts it ("" when unknown)."""
    if years is None:
        return ""
    n = round(12 * years)
    return t("span.month" if n == 1 else "span.months", lang, n=n)


def share_text(value: float | None, lang: str, digits: int = 1) -> str:
    """A share of the way (0-1) as a reader reads it, "62.5 %"; "not available" when unknown."""
    return t("not_available", lang) if value is None else fmt_percent(100 * value, lang, digits=digits)


def rank_sources(observations: pl.DataFrame, declared: Sequence[str] = ()) -> list[str]:
    """Sources in order of preference: those the roadmap file declares for the indicator, in
    its order (``assessment.series``); else primary first, then most figures, then id."""
    if observations.is_empty():
        return []
    if declared:
        present = set(observations["source_id"].to_list())
        return [s for s in declared if s in present]
    ranked = (
        observations.group_by("source_id")
        .agg((pl.col("confidence") == "primary").any().alias("primary"), pl.len().alias("n"))
        .sort(["primary", "n", "source_id"], descending=[True, True, False])
    )
    return ranked["source_id"].to_list()


def build_series(
    observations: pl.DataFrame, declared: Sequence[str] = ()
) -> tuple[list[tuple[date, float]], list[str]]:
    """One value per date from the national figures of the sources that speak for the
    indicator (`rank_sources`): where they disagree on a date, the preferred one's value.
    Returns the points and the sources used."""
    order = {source: i for i, source in enumerate(rank_sources(observations, declared))}
    chosen = _choose(observations, order)
    points = list(zip(chosen["period_end"].to_list(), chosen["value"].to_list(), strict=True))
    used = sorted(set(chosen["source_id"].to_list()), key=order.__getitem__)
    return points, used


def chosen_rows(observations: pl.DataFrame, declared: Sequence[str] = ()) -> pl.DataFrame:
    """The rows behind `build_series`: one per period end, the preferred source's, with
    every column kept (so a report can say which source each point of the series is from)."""
    return _choose(observations, {source: i for i, source in enumerate(rank_sources(observations, declared))})


def _choose(observations: pl.DataFrame, order: dict[str, int]) -> pl.DataFrame:
    """Per period end, the row of the first source in `order` (sources not in it are left out):
    the one rule by which a series picks among sources that disagree on a date."""
    if not order:
        return observations.clear()
    return (
        observations.filter(pl.col("source_id").is_in(list(order)))
        .with_columns(pl.col("source_id").replace_strict(order, return_dtype=pl.Int64).alias("_rank"))
        .sort(["period_end", "_rank", "period_start"])
        .group_by("period_end", maintain_order=True)
        .first()
        .drop("_rank")
        .select(observations.columns)
    )


def declared_series(indicator: dict[str, Any]) -> tuple[str, ...]:
    """The sources the roadmap file says speak for the indicator, preferred first (empty: all)."""
    return tuple((indicator.get("assess_series") or "").split())


def assess(indicator: dict[str, Any], observations: pl.DataFrame, as_of: date) -> IndicatorView:
    """Assess one indicator on its national figures known at ``as_of``, by the rule the
    roadmap file declares for it (`pipelines.ingest.indicator_rules._assessment`):

    * only the declared sources' figures are assessed (all, ranked, when none is declared),
      and never a figure whose date was inferred (``date_inferred``): it is shown, not used;
    * figures of a body that sat before the one in office at the baseline
      (``baseline.body_since``) are shown, not assessed: the baseline is that body's figure;
    * with ``counts: {additions_since: D}`` what counts is the rise since the latest figure
      known at D (`IndicatorView.counted_from`), measured from zero on that day.
    """
    own = where(observations, pl.col("indicator_id") == indicator["indicator_id"])
    known = where(own, pl.col("period_end") <= as_of)
    national = known.filter(geo.NATIONAL).sort(["period_end", "source_id"])
    regional = known.filter(~geo.NATIONAL).sort(["geo_code", "period_end", "source_id"])
    dated = national.filter(~pl.col("date_inferred").fill_null(False))
    points, used = build_series(dated, declared_series(indicator))
    body_since = indicator.get("baseline_body_since")
    if body_since is not None:
        points = [p for p in points if p[0] >= body_since]
    baseline = baseline_point(indicator, points)
    start = None
    since = indicator.get("counts_since")
    if since is not None:
        before = [p for p in points if p[0] <= since]
        start = before[-1] if before else None
        points = [] if start is None else [(d, v - start[1]) for d, v in points if d > since]
        baseline = None if start is None else (since, 0.0)
    method: Literal["compound", "linear"] = "compound" if indicator["unit"] in ("percent", "ratio") else "linear"
    assessment = progress.assess_indicator(
        points,
        baseline=baseline,
        target=indicator["target_value"],
        target_date=indicator["target_date"],
        direction=indicator["direction"],
        method=method,
        as_of=as_of,
        min_pace_years=indicator.get("min_pace_years"),
        max_age_years=indicator.get("max_age_years"),
    )
    if since is not None and start is None and indicator["target_value"] is not None:
        assessment = replace(assessment, reason="no_start_figure")
    return IndicatorView(indicator, national, regional, tuple(used), assessment, start, tuple(points))


def baseline_point(indicator: dict[str, Any], points: Sequence[tuple[date, float]]) -> tuple[date, float] | None:
    """The baseline: the declared value, else the latest figure known on the baseline date
    (the roadmap's own date: progress is measured from where things stood when it was
    written), else None, and the assessment starts from the earliest figure."""
    day, value = indicator["baseline_date"], indicator["baseline_value"]
    if value is not None and day is not None:
        return (day, value)
    if day is None:
        return None
    before = [p for p in points if p[0] <= day]
    return before[-1] if before else None
