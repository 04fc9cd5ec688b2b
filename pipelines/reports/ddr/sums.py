"""Integration of ex-combatants against a roadmap's target (MINUSMA: the 2,000 of S/2021/300 §10).

The arithmetic behind the ``ddr`` report, tested here rather than in a notebook:

* **cohorts and the running total** as cited, with a check that each published running
  total is the sum of the cohorts cited up to its date (the running totals are themselves
  sums written by hand, ``confidence: derived``: a cohort added without its total shows);
* **the funnel** registered → listed → on the integration list → trained → integrated: each
  stage's latest cited figure, and a stage nobody cites (today "trained") stays empty. The
  stages come from different dates and sources, so the report never derives one from another;
* **the commitment** of August 2022 (26,000 to integrate into the forces *and other State
  services*): a reference the chart annotates, not the roadmap's target;
* **what counts** towards the 2,000: the rule the roadmap file declares (``counts:
  additions_since``: integrations after the roadmap's date, the "en outre" of §10), applied by
  `pipelines.analysis.indicators.assess` exactly as in benchmark D's report;
* **the pace**: while the deadline is ahead, when 2,000 would be reached if the pace of the
  counted integrations went on, with the same two-point arithmetic as the women's quota
  (`pipelines.analysis.projection.project`); once it has passed, no projection: the question
  is then whether the target was met by the deadline;
* **figures side by side** where several sources give the same figure (`figures.side_by_side`).

Its series are read by role (`pipelines/reports/ddr/report.yaml`): ``counted`` is the series the
benchmark's rule counts, and its benchmark is the report's; the roadmap's file binds the roles.
The report's rows in words and its charts are `pipelines.reports.ddr.panels`'.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from pipelines.analysis import progress, views
from pipelines.analysis.figures import period_text, side_by_side
from pipelines.analysis.indicators import IndicatorView, assess, chosen_rows
from pipelines.analysis.progress import KeyDate, Point
from pipelines.analysis.projection import Projection, outcome_text, project
from pipelines.core import geo
from pipelines.core.i18n import Wording, fmt_count, t

#: The report's id: its roles are bound to a roadmap's indicators in that roadmap's file.
REPORT = "ddr"
#: The funnel, widest first: (stage, the role measuring it, None where the report has no role
#: for it). No role counts those trained: the stage is shown empty, as is a stage whose role
#: the roadmap's file leaves unbound.
STAGES: tuple[tuple[str, str | None], ...] = (
    ("registered", "registered"),
    ("listed", "listed"),
    ("integration_list", "integration_list"),
    ("trained", None),
    ("integrated", "counted"),
)


@dataclass(frozen=True)
class Stage:
    """One stage of the funnel at the report's date: every figure cited, and the latest one
    of the series (None: no figure cited, the stage stays empty)."""

    key: str
    indicator_id: str | None
    figures: pl.DataFrame
    latest: dict[str, Any] | None


def funnel(observations: pl.DataFrame, roles: Mapping[str, Sequence[str]], as_of: date) -> list[Stage]:
    """The stages with their national figures up to ``as_of``; ``roles`` are the roadmap's
    bindings (a stage whose role is unbound has no figure)."""
    stages = []
    for key, role in STAGES:
        figures = observations.clear()
        iid = roles[role][0] if role is not None and role in roles else None
        if iid is not None:
            figures = observations.filter(
                (pl.col("indicator_id") == iid) & geo.NATIONAL & (pl.col("period_end") <= as_of)
            ).sort(["period_end", "source_id"])
        chosen = chosen_rows(figures)
        stages.append(Stage(key, iid, figures, None if chosen.is_empty() else chosen.row(-1, named=True)))
    return stages


@dataclass(frozen=True)
class TotalCheck:
    """A published running total against the sum of the cohorts cited up to its date."""

    day: date
    published: float
    cohorts: float
    count: int  # how many cohorts the sum adds

    @property
    def agrees(self) -> bool:
        return abs(self.published - self.cohorts) < 0.5


def check_totals(cohorts: Sequence[Point], totals: Sequence[Point]) -> list[TotalCheck]:
    """Each running total beside the sum of the cohorts dated on or before it."""
    return [
        TotalCheck(day, value, sum(v for d, v in cohorts if d <= day), sum(1 for d, _ in cohorts if d <= day))
        for day, value in sorted(totals)
    ]


@dataclass(frozen=True)
class DdrReport:
    """Everything the DDR report shows, at one date."""

    as_of: date
    benchmark: dict[str, Any]
    view: IndicatorView  # the running total, assessed as benchmark D's report does
    cohorts: pl.DataFrame  # the cohort series (one row per date, preferred source)
    totals: pl.DataFrame  # the running-total series
    projection: Projection
    commitment: dict[str, Any] | None  # the latest commitment known at as_of
    stages: list[Stage]
    checks: list[TotalCheck]
    conflicts: pl.DataFrame
    figures: pl.DataFrame  # every national DDR figure up to as_of
    sources: pl.DataFrame
    roadmap_source: str  # the source id of the roadmap, which sets the target
    key_dates: tuple[KeyDate, ...] = ()  # the roadmap's key dates known at as_of
    #: The report's words for this roadmap: its rule, its forces and its programme's stages.
    words: Wording = field(default_factory=Wording)

    @property
    def indicator(self) -> dict[str, Any]:
        return self.view.indicator

    def confidence_text(self, lang: str) -> str:
        """How much to trust the status, and why (`pipelines.analysis.confidence`), as
        benchmark D's report says it of the same running total."""
        from pipelines.analysis.confidence import of_indicator

        return of_indicator(self.view, self.sources, self.as_of).text(lang)

    @property
    def target(self) -> float:
        return float(self.indicator["target_value"])

    @property
    def latest(self) -> Point | None:
        return self.view.assessment.latest

    @property
    def status(self) -> progress.Status:
        return self.view.assessment.status

    @property
    def score(self) -> float | None:
        """The running total's current status (as benchmark D's), clipped to 0-1."""
        current = self.view.assessment.current_status
        return None if current is None else min(1.0, max(0.0, current))

    def headline(self, lang: str) -> list[dict[str, str]]:
        """The running total against the target, the projected year and the commitment."""
        items = [
            {
                "label": self.indicator[f"name_{lang}"],
                "value": self.view.latest_text(lang),
                "target": self.view.target_text(lang),
            },
            {
                "label": t("ddr.projected", lang, target=fmt_count(self.target, lang)),
                "value": outcome_text(self.projection, "persons", lang),
                "target": "—",
            },
        ]
        if self.commitment is not None:
            items.append({"label": t("ddr.commitment", lang), "value": self.commitment_text(lang), "target": "—"})
        return items

    def commitment_text(self, lang: str) -> str:
        c = self.commitment
        if c is None:
            return ""
        return f"{fmt_count(c['value'], lang)} ({period_text(c['period_start'], c['period_end'], lang)})"

    def sidecar(self, lang: str) -> dict[str, Any]:
        return {
            "title": self.words.t("ddr.title", lang),
            "status": self.status,
            "score": self.score,
            "headline": self.headline(lang),
            "as_of": self.as_of.isoformat(),
            "benchmark": self.benchmark["benchmark"],
        }


def ddr_report(tables: views.Tables, as_of: str | date | None) -> DdrReport:
    """Assemble the DDR report at ``as_of`` (default: the latest date in the data)."""
    day = tables.resolve_as_of(as_of)
    roles = tables.roles(REPORT)
    indicator = tables.indicator(roles["counted"][0])
    tables = tables.as_known(day)  # what a reader could know on that day
    figures = tables.observations.filter(
        pl.col("indicator_id").is_in([i for ids in roles.values() for i in ids])
        & geo.NATIONAL
        & (pl.col("period_end") <= day)
    )
    view = assess(indicator, figures, day)

    def series(role: str) -> pl.DataFrame:
        return chosen_rows(figures.filter(pl.col("indicator_id").is_in(roles.get(role, ()))))

    cohorts, totals, offers = series("cohort"), series("counted"), series("commitment")
    projection = _projection(view, day)
    checks = check_totals(_points(cohorts), _points(totals))
    cited = set(figures["source_id"].to_list())
    roadmap = set(tables.roadmaps["source_id"].to_list())
    sources = tables.sources.filter(pl.col("source_id").is_in(sorted(cited | roadmap))).sort("source_id")
    return DdrReport(
        day,
        tables.benchmark(indicator["benchmark"]),
        view,
        cohorts,
        totals,
        projection,
        None if offers.is_empty() else offers.row(-1, named=True),
        funnel(figures, roles, day),
        checks,
        side_by_side(figures),
        figures,
        sources,
        min(roadmap, default=""),
        tables.marked_dates(day),
        tables.words(REPORT),
    )


def _projection(view: IndicatorView, day: date) -> Projection:
    """The pace of what counts (the series `assess` assessed, by the declared rule),
    prolonged to the target from its baseline; none once the deadline has passed, nor while
    the span is too short for the assessment to judge a pace (the same rule, one home)."""
    ind = view.indicator
    if ind["target_date"] is not None and day > ind["target_date"]:
        return Projection("linear", "deadline_passed")
    if view.assessment.reason.startswith("pace_window_short"):
        return Projection("linear", "pace_window_short", view.assessment.baseline, view.assessment.latest)
    return project(view.assessed, float(ind["target_value"]), "linear", view.assessment.baseline)


def _points(rows: pl.DataFrame) -> list[Point]:
    return list(zip(rows["period_end"].to_list(), rows["value"].to_list(), strict=True))


# --- table rows -------------------------------------------------------------------------------
