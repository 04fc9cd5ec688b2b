"""Women's representation against a roadmap's target for the share of women in each body it
follows (for MINUSMA, the 30 % quota of law 2015-052 that S/2021/300 recalls in §3 and §17 d)).

The arithmetic behind the ``women-quota`` report, kept here so that it is tested and every
figure the report shows is either a cited observation or a sum written down once:

* **the gap** between a body's share of women and the quota, in percentage points, and in
  seats where the body's size is known: only where a source wrote the figure as ``n/m``
  (women/seats), which ingest keeps as ``numerator``/``denominator``. Otherwise the seat
  gap is "not available": a body's size is never inferred from a share;
* **the year the quota would be reached** if the observed pace went on: the two-point pace of
  DESIGN §7 (from the figure known on the roadmap date, or from the first figure, to the
  latest), prolonged linearly or at a compound rate. It is arithmetic, not a forecast, and
  says "already reached" or "never at this pace" rather than invent a date;
* **figures side by side** where sources disagree on the same body at the same time, so
  the report shows every figure and which one the series kept.

The pace is `pipelines.analysis.projection`'s and the figures side by side
`pipelines.analysis.figures`'; the DDR report asks the same two questions of its counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any, Literal

import polars as pl

from pipelines.analysis import progress, views
from pipelines.analysis.figures import period_text, side_by_side, value_text
from pipelines.analysis.indicators import (
    IndicatorView,
    assess,
    baseline_point,
    build_series,
    chosen_rows,
    declared_series,
    rank_sources,
)
from pipelines.analysis.progress import Point
from pipelines.analysis.projection import Projection, project
from pipelines.core import geo, statuses
from pipelines.core.errors import UsageError
from pipelines.core.i18n import Wording, fmt_percent, t

#: The report's id: its roles (the bodies, `pipelines/reports/women_quota/report.yaml`) are
#: bound to a roadmap's indicators in that roadmap's file, one indicator per body.
REPORT = "women-quota"
ALL = "all"

#: Where a pace is measured from: the figure known on the roadmap's date, the first figure, or
#: nowhere (a single figure).
Window = Literal["baseline", "series", "single"]


def bodies_of(tables: views.Tables) -> dict[str, str]:
    """Each body the roadmap's file binds (its ``reports: women-quota:`` roles), in the file's
    order, and the indicator measuring it."""
    bodies = {}
    for body, ids in tables.roles(REPORT).items():
        if len(ids) != 1:
            raise UsageError(
                f"{tables.roadmap['file']}: reports.{REPORT}.{body} binds {len(ids)} indicators; "
                "a body's share is one series: bind one indicator"
            )
        bodies[body] = ids[0]
    return bodies


def select_bodies(body: str, bodies: dict[str, str]) -> list[str]:
    """The bodies a report covers: all of them in report order, or the one asked for."""
    if body == ALL:
        return list(bodies)
    if body not in bodies:
        raise UsageError(f"unknown body {body!r}: use {ALL} or one of {', '.join(bodies)}")
    return [body]


def quota_of(indicators: pl.DataFrame, ids: list[str]) -> float:
    """The quota, read from the roadmap's targets of the women's indicators (MINUSMA's 30 %)
    rather than written here, so that the report's figure is the roadmap file's. Several
    different targets would make "the quota" ambiguous: refused."""
    found = indicators.filter(pl.col("indicator_id").is_in(ids))["target_value"]
    values = sorted(set(found.drop_nulls().to_list()))
    if len(values) != 1:
        raise ValueError(f"the women's indicators should share one target (the 30 % quota), found {values}")
    return float(values[0])


# --- seat counts --------------------------------------------------------------------------


def seat_counts(observations: pl.DataFrame) -> pl.DataFrame:
    """``observations`` with Int64 columns ``women`` and ``seats``: the counts ingest kept for a
    share written ``n/m`` (whole numbers, women ≤ seats), null otherwise: never guessed."""
    whole = (
        pl.col("numerator").is_not_null()
        & pl.col("denominator").is_not_null()
        & (pl.col("numerator") % 1 == 0)
        & (pl.col("denominator") % 1 == 0)
        & (pl.col("denominator") > 0)
        & (pl.col("numerator") <= pl.col("denominator"))
    )
    return observations.with_columns(
        pl.when(whole).then(pl.col("numerator")).cast(pl.Int64).alias("women"),
        pl.when(whole).then(pl.col("denominator")).cast(pl.Int64).alias("seats"),
    )


# --- the gap to the quota -------------------------------------------------------------------


def seats_needed(seats: int, quota: float) -> int:
    """Women's seats needed for ``quota`` percent of ``seats``: the share rounded up to a whole
    seat, in exact arithmetic (30 % of 147 is 44.1: 45 seats, not 44)."""
    return math.ceil(Fraction(str(quota)) * seats / 100)


@dataclass(frozen=True)
class Gap:
    """How far a share is from the quota; seat figures only when the counts were cited."""

    share: float
    quota: float
    women: int | None = None
    seats: int | None = None

    @property
    def reached(self) -> bool:
        return self.share >= self.quota

    @property
    def points(self) -> float:
        """Percentage points missing (0 when reached)."""
        return max(0.0, self.quota - self.share)

    @property
    def seats_needed(self) -> int | None:
        return None if self.seats is None else seats_needed(self.seats, self.quota)

    @property
    def shortfall(self) -> float | None:
        """Seats missing before rounding (44.1 − 41 = 3.1), 0 when reached."""
        if self.seats is None or self.women is None:
            return None
        return max(0.0, float(Fraction(str(self.quota)) * self.seats / 100) - self.women)

    @property
    def women_to_add(self) -> int | None:
        """More women needed at the body's size (members replaced, not seats added)."""
        needed = self.seats_needed
        return None if needed is None or self.women is None else max(0, needed - self.women)


# --- one body, and the whole report -----------------------------------------------------------


@dataclass(frozen=True)
class BodyReport:
    """One body at ``as_of``: its figures, the series assessed, the latest figure and its gap,
    and the projected years."""

    body: str
    view: IndicatorView
    figures: pl.DataFrame  # national figures up to as_of, all sources, with women/seats
    latest: dict[str, Any] | None  # the series' latest row, with the counts a source wrote for it
    gap: Gap | None
    windows: list[tuple[Window, Projection, Projection]] = field(default_factory=list)

    @property
    def indicator(self) -> dict[str, Any]:
        return self.view.indicator

    @property
    def has_target(self) -> bool:
        return self.view.has_target


def latest_with_counts(figures: pl.DataFrame) -> dict[str, Any] | None:
    """The series' latest row; when its source gave no counts but another source wrote the
    same share as ``n/m`` for a date within the same period (the IPU's October 2022 42/147
    inside the WDI's 2022), those counts, and that source as ``counts_source``."""
    chosen = chosen_rows(figures)
    if chosen.is_empty():
        return None
    row = dict(chosen.row(-1, named=True))
    row["counts_source"] = row["source_id"] if row["seats"] is not None else None
    if row["seats"] is None:
        order = {s: i for i, s in enumerate(rank_sources(figures))}
        inside = (pl.col("period_start") >= row["period_start"]) & (pl.col("period_end") <= row["period_end"])
        same = [
            r
            for r in figures.filter(inside & pl.col("seats").is_not_null()).iter_rows(named=True)
            if math.isclose(r["value"], row["value"], rel_tol=1e-9)
        ]
        if same:
            best = min(same, key=lambda r: order[r["source_id"]])
            row.update(women=best["women"], seats=best["seats"], counts_source=best["source_id"])
    return row


def body_report(body: str, indicator: dict[str, Any], figures: pl.DataFrame, as_of: date, quota: float) -> BodyReport:
    """Assess one body at ``as_of`` from its national figures (with counts, see `seat_counts`)."""
    own = figures.filter(
        (pl.col("indicator_id") == indicator["indicator_id"]) & geo.NATIONAL & (pl.col("period_end") <= as_of)
    ).sort(["period_end", "source_id"])
    view = assess(indicator, own.drop("women", "seats"), as_of)
    # after the deadline, the gap is the one at the figure that decided: was the quota met *by* it?
    decided = view.assessment.decisive if view.assessment.after_deadline else None
    latest = latest_with_counts(own if decided is None else own.filter(pl.col("period_end") <= decided[0]))
    gap = None if latest is None else Gap(latest["value"], quota, latest["women"], latest["seats"])
    # the pace is prolonged on the figures the status is assessed on (the declared series, dated,
    # of the body sitting since the baseline); the whole-series window reaches back through the
    # earlier bodies of that series, still dated only: an undated snapshot never sets a pace
    points = list(view.assessed)
    history, _ = build_series(own.filter(~pl.col("date_inferred").fill_null(False)), declared_series(indicator))
    starts: list[tuple[Window, Point, list[Point]]] = []
    if view.assessment.judged_at_deadline:
        pass  # the deadline rule: after it, whether the quota was met by then, never when it would be
    elif len(points) == 1:
        starts = [("single", points[0], points)]
    elif points:
        baseline = baseline_point(indicator, points)
        starts = [] if baseline is None else [("baseline", baseline, points)]
        if history and history[0] != baseline and history[0][0] < points[-1][0]:
            starts.append(("series", history[0], [p for p in history if p[0] <= points[-1][0]]))
    windows = [(w, project(over, quota, "linear", s), project(over, quota, "compound", s)) for w, s, over in starts]
    return BodyReport(body, view, own, latest, gap, windows)


@dataclass(frozen=True)
class QuotaReport:
    """Everything the women-quota report shows, at one date."""

    as_of: date
    quota: float
    bodies: list[BodyReport]
    conflicts: pl.DataFrame
    sources: pl.DataFrame
    #: The report's words for this roadmap: the quota's law and the bodies in its own terms.
    words: Wording

    def body_name(self, body: str, lang: str) -> str:
        """A body as the roadmap's country names it (or the catalogue's generic name)."""
        return self.words.t(f"wq.body.{body}", lang)

    @property
    def status(self) -> progress.Status:
        """The least advanced of the bodies that have a roadmap target, as a benchmark's."""
        return statuses.least_advanced([b.view.assessment.status for b in self.bodies if b.has_target])

    def confidence_text(self, lang: str) -> str:
        """How much to trust the status: that of the body whose status decides it (the least
        advanced), as its benchmark's report says it."""
        from pipelines.analysis.confidence import of_indicator

        deciding = [b for b in self.bodies if b.has_target and b.view.assessment.status == self.status]
        if not deciding:
            return ""
        # of bodies at that status, the one least far along decides, as in `views.benchmark_standing`
        least = min(
            deciding,
            key=lambda b: (
                float("inf") if b.view.assessment.current_status is None else b.view.assessment.current_status
            ),
        )
        return of_indicator(least.view, self.sources, self.as_of).text(lang)

    @property
    def score(self) -> float | None:
        """For a one-body report, its current status clipped to 0-1; None for several bodies
        (no one number sums them up)."""
        if len(self.bodies) != 1 or self.bodies[0].view.assessment.current_status is None:
            return None
        return min(1.0, max(0.0, self.bodies[0].view.assessment.current_status))

    def headline(self, lang: str) -> list[dict[str, str]]:
        """Latest share of each body against the quota, formatted for the sidecar."""
        items = []
        for b in self.bodies:
            value = (
                t("not_available", lang)
                if b.latest is None
                else (
                    f"{value_text(b.latest['value'], 'percent', lang, b.latest['women'], b.latest['seats'])}"
                    f" ({period_text(b.latest['period_start'], b.latest['period_end'], lang)})"
                )
            )
            items.append({"label": self.body_name(b.body, lang), "value": value, "target": self.quota_text(lang)})
        return items

    def quota_text(self, lang: str) -> str:
        return self.words.t("wq.quota_value", lang, value=fmt_percent(self.quota, lang, digits=0))

    def sidecar(self, lang: str, body: str) -> dict[str, Any]:
        return {
            "title": self.words.t("wq.title", lang),
            "status": self.status,
            "score": self.score,
            "headline": self.headline(lang),
            "as_of": self.as_of.isoformat(),
            "body": body,
        }


def quota_report(tables: views.Tables, body: str, as_of: str | date | None) -> QuotaReport:
    """Assemble the report for ``body`` (``all`` or one of the roadmap's bodies) at ``as_of``."""
    measured = bodies_of(tables)
    chosen = select_bodies(body, measured)
    day = tables.resolve_as_of(as_of)
    tables = tables.as_known(day)  # what a reader could know on that day
    quota = quota_of(tables.indicators, list(measured.values()))
    ids = [measured[b] for b in chosen]
    national = tables.observations.filter(
        pl.col("indicator_id").is_in(ids) & geo.NATIONAL & (pl.col("period_end") <= day)
    )
    figures = seat_counts(national)
    bodies = [body_report(b, tables.indicator(measured[b]), figures, day, quota) for b in chosen]
    cited = set(figures["source_id"].to_list())
    roadmap = set(tables.roadmaps["source_id"].to_list())
    sources = tables.sources.filter(pl.col("source_id").is_in(sorted(cited | roadmap))).sort("source_id")
    order = {iid: i for i, iid in enumerate(ids)}
    conflicts = side_by_side(figures)
    if conflicts.height:
        conflicts = (
            conflicts.with_columns(pl.col("indicator_id").replace_strict(order, return_dtype=pl.Int64).alias("_order"))
            .sort(["_order", "group", "source_id"])
            .drop("_order")
        )
    return QuotaReport(day, quota, bodies, conflicts, sources, tables.words(REPORT))
