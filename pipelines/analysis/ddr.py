"""Integration of ex-combatants into the Malian forces against the 2,000 of S/2021/300 §10.

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
  `pipelines.analysis.views.assess` exactly as in benchmark D's report;
* **the pace**: while the deadline is ahead, when 2,000 would be reached if the pace of the
  counted integrations went on, with the same two-point arithmetic as the women's quota
  (`pipelines.analysis.women.project`); once it has passed, no projection: the question is then
  whether the target was met by the deadline;
* **figures side by side** where several sources give the same figure (`women.side_by_side`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import altair as alt
import polars as pl

from pipelines.present import charts
from pipelines.analysis import progress, views
from pipelines.present.citations import source_name
from pipelines.core import geo
from pipelines.core.i18n import fmt_count, fmt_date, fmt_percent, fmt_value, t
from pipelines.present.markup import Html, join
from pipelines.analysis.progress import Point
from pipelines.analysis.women import Projection, chosen_rows, outcome_text, pace_text, period_text, project, side_by_side

BENCHMARK = "D"
CUMULATIVE = "ddr_integrated_cumulative"
COHORT = "ddr_integrated_cohort"
COMMITMENT = "ddr_integration_commitment"
#: The funnel, widest first: (stage, indicator measuring it or None where the roadmap file
#: declares none). No indicator counts those trained: the stage is shown empty.
STAGES: tuple[tuple[str, str | None], ...] = (
    ("registered", "ddr_registered_candidates"),
    ("listed", "ddr_listed_combatants"),
    ("integration_list", "ddr_accelerated_integration_list"),
    ("trained", None),
    ("integrated", CUMULATIVE),
)


@dataclass(frozen=True)
class Stage:
    """One stage of the funnel at the report's date: every figure cited, and the latest one
    of the series (None: no figure cited, the stage stays empty)."""

    key: str
    indicator_id: str | None
    figures: pl.DataFrame
    latest: dict[str, Any] | None


def funnel(observations: pl.DataFrame, known: Sequence[str], as_of: date) -> list[Stage]:
    """The stages with their national figures up to ``as_of``; ``known`` are the indicator ids
    of the roadmap (a stage whose indicator is not declared has no figure)."""
    stages = []
    for key, iid in STAGES:
        figures = observations.clear()
        if iid is not None and iid in known:
            figures = observations.filter((pl.col("indicator_id") == iid) & geo.NATIONAL
                                          & (pl.col("period_end") <= as_of)).sort(["period_end", "source_id"])
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
    return [TotalCheck(day, value, sum(v for d, v in cohorts if d <= day), sum(1 for d, _ in cohorts if d <= day))
            for day, value in sorted(totals)]


@dataclass(frozen=True)
class DdrReport:
    """Everything the DDR report shows, at one date."""

    as_of: date
    benchmark: dict[str, Any]
    view: views.IndicatorView  # the running total, assessed as benchmark D's report does
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
    key_dates: tuple[charts.KeyDate, ...] = ()  # the roadmap's key dates known at as_of

    @property
    def indicator(self) -> dict[str, Any]:
        return self.view.indicator

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
        items = [{"label": self.indicator[f"name_{lang}"], "value": self.view.latest_text(lang),
                  "target": self.view.target_text(lang)},
                 {"label": t("ddr.projected", lang, target=fmt_count(self.target, lang)),
                  "value": outcome_text(self.projection, "persons", lang), "target": "—"}]
        if self.commitment is not None:
            items.append({"label": t("ddr.commitment", lang), "value": self.commitment_text(lang), "target": "—"})
        return items

    def commitment_text(self, lang: str) -> str:
        c = self.commitment
        if c is None:
            return ""
        return f"{fmt_count(c['value'], lang)} ({period_text(c['period_start'], c['period_end'], lang)})"

    def sidecar(self, lang: str) -> dict[str, Any]:
        return {"title": t("ddr.title", lang), "status": self.status, "score": self.score,
                "headline": self.headline(lang), "as_of": self.as_of.isoformat(), "benchmark": BENCHMARK}


def ddr_report(tables: views.Tables, as_of: str | date | None) -> DdrReport:
    """Assemble the DDR report at ``as_of`` (default: the latest date in the data)."""
    day = tables.resolve_as_of(as_of)
    indicator = tables.indicator(CUMULATIVE)
    tables = tables.as_known(day)  # what a reader could know on that day
    known = tables.indicators["indicator_id"].to_list()
    figures = tables.observations.filter(pl.col("indicator_id").str.starts_with("ddr_")
                                         & geo.NATIONAL & (pl.col("period_end") <= day))
    view = views.assess(indicator, figures, day)
    cohorts = chosen_rows(figures.filter(pl.col("indicator_id") == COHORT))
    totals = chosen_rows(figures.filter(pl.col("indicator_id") == CUMULATIVE))
    projection = _projection(view, day)
    offers = chosen_rows(figures.filter(pl.col("indicator_id") == COMMITMENT))
    checks = check_totals(_points(cohorts), _points(totals))
    cited = set(figures["source_id"].to_list())
    roadmap = set(tables.roadmaps["source_id"].to_list())
    sources = tables.sources.filter(pl.col("source_id").is_in(sorted(cited | roadmap))).sort("source_id")
    return DdrReport(day, tables.benchmark(BENCHMARK), view, cohorts, totals, projection,
                     None if offers.is_empty() else offers.row(-1, named=True), funnel(figures, known, day), checks,
                     side_by_side(figures), figures, sources, min(roadmap, default=""), tables.marked_dates(day))


def _projection(view: views.IndicatorView, day: date) -> Projection:
    """The pace of what counts (the series `views.assess` assessed, by the declared rule),
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

def headline_rows(report: DdrReport, lang: str) -> list[list[str]]:
    """Figure, value, date, where it comes from: cited figures first, then arithmetic on them."""
    na = t("not_available", lang)
    if report.latest is None:
        return [[report.indicator[f"name_{lang}"], na, "", ""],
                [t("ddr.target", lang), report.view.target_text(lang), "", source_name(report.sources, report.roadmap_source)]]
    day, value = report.latest
    latest_row = report.totals.filter(pl.col("period_end") == day).sort(
        pl.col("source_id").is_in(report.view.sources_used), descending=True).row(0, named=True)
    when = period_text(latest_row["period_start"], latest_row["period_end"], lang)
    rows = [[t("ddr.published_total", lang), fmt_count(latest_row["value"], lang), when,
             _cited(latest_row, report.sources, lang)]]
    start = report.view.counted_from
    if start is not None:
        since = fmt_date(report.indicator["counts_since"], lang)
        rows.append([t("ddr.counted", lang, since=since), fmt_count(value, lang), when, t(
            "ddr.arithmetic", lang, formula=f"{fmt_count(latest_row['value'], lang)} − {fmt_count(start[1], lang)} "
                                            f"({fmt_date(start[0], lang)})")])
    rows += [
        [t("ddr.target", lang), report.view.target_text(lang), "", source_name(report.sources, report.roadmap_source)],
        [t("ddr.share_of_target", lang), fmt_percent(100 * value / report.target, lang), when,
         t("ddr.arithmetic", lang, formula=f"{fmt_count(value, lang)} / {fmt_count(report.target, lang)}")],
        [t("ddr.remaining", lang), fmt_count(max(0.0, report.target - value), lang), when,
         t("ddr.arithmetic", lang, formula=f"{fmt_count(report.target, lang)} − {fmt_count(value, lang)}")],
    ]
    p = report.projection
    formula = ""
    if p.start is not None and p.latest is not None and p.start[0] < p.latest[0]:
        formula = t("ddr.pace_formula", lang, start=f"{fmt_count(p.start[1], lang)} ({fmt_date(p.start[0], lang)})",
                    latest=f"{fmt_count(p.latest[1], lang)} ({fmt_date(p.latest[0], lang)})",
                    pace=pace_text(p, "persons", lang))
    rows.append([t("ddr.projected", lang, target=fmt_count(report.target, lang)),
                 outcome_text(p, "persons", lang), "", t("ddr.arithmetic", lang, formula=formula) if formula else ""])
    if report.commitment is not None:
        c = report.commitment
        rows.append([t("ddr.commitment", lang), fmt_count(c["value"], lang),
                     period_text(c["period_start"], c["period_end"], lang),
                     _cited(c, report.sources, lang)])
    return rows


def _cited(row: dict[str, Any], sources: pl.DataFrame, lang: str) -> Html:
    """A figure's source, as a reader names it (linked), and how it was read."""
    return join([source_name(sources, row["source_id"]), f" ({t('confidence.' + row['confidence'], lang)})"])


def stage_rows(report: DdrReport, lang: str) -> list[list[str]]:
    """One row per stage: its latest figure, or "no figure cited", and every figure cited."""
    rows = []
    for s in report.stages:
        if s.latest is None:
            rows.append([t(f"ddr.stage.{s.key}", lang), t("ddr.stage_missing", lang), "", ""])
            continue
        every = join([join([f"{fmt_count(r['value'], lang)} ({period_text(r['period_start'], r['period_end'], lang)}, ",
                            source_name(report.sources, r["source_id"]), ")"])
                      for r in s.figures.iter_rows(named=True)], "; ")
        rows.append([t(f"ddr.stage.{s.key}", lang), fmt_count(s.latest["value"], lang),
                     period_text(s.latest["period_start"], s.latest["period_end"], lang), every])
    return rows


def check_text(report: DdrReport, lang: str) -> str:
    """Whether each running total is the sum of the cohorts cited up to its date."""
    if not report.checks:
        return t("ddr.check_none", lang)
    wrong = [c for c in report.checks if not c.agrees]
    if not wrong:
        return t("ddr.check_ok", lang, dates=", ".join(fmt_date(c.day, lang) for c in report.checks))
    return " ".join(t("ddr.check_mismatch", lang, date=fmt_date(c.day, lang), published=fmt_count(c.published, lang),
                      cohorts=fmt_count(c.cohorts, lang), count=c.count) for c in wrong)


# --- charts ---------------------------------------------------------------------------------------

def _series_row(row: dict[str, Any], series: str, lang: str) -> dict[str, Any]:
    return {"date": row["period_end"].isoformat(), "value": row["value"], "series": series,
            "date_label": period_text(row["period_start"], row["period_end"], lang),
            "value_label": fmt_value(row["value"], "persons", lang), "source": row["source_id"],
            "note": row["note"] or ""}


def integration_chart(report: DdrReport, lang: str) -> alt.LayerChart:
    """Cohorts (bars) and the running total (line) against the target (dashed rule), the
    observed pace prolonged to the target (dotted, labelled arithmetic), the latest
    commitment as a dated vertical rule (its 26,000 would crush a 2,000 scale, so it is a
    label, not a level), and the roadmap's key dates.

    Built with the helpers of `pipelines.present.charts` so it shares their theme, locale and row guard.
    """
    labels = {k: t(f"ddr.series.{k}", lang) for k in ("cohort", "cumulative", "projection")}
    bars = [_series_row(r, labels["cohort"], lang) for r in report.cohorts.iter_rows(named=True)]
    line = [_series_row(r, labels["cumulative"], lang) for r in report.totals.iter_rows(named=True)]
    # A domain with a margin on both sides, so a cohort on the first date is not drawn on the axis.
    days = [date.fromisoformat(r["date"]) for r in bars + line] + [k.day for k in report.key_dates]
    if report.projection.when is not None:
        days.append(report.projection.when)
    domain = [_utc(min(days) - timedelta(days=120)), _utc(max(days) + timedelta(days=60))]
    x = alt.X("date:T", title=t("axis.date", lang), scale=alt.Scale(type="utc", domain=domain),
              axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}))
    y = alt.Y("value:Q", title=t("unit.persons", lang))
    colour = alt.Color("series:N", title=None, scale=alt.Scale(
        domain=list(labels.values()), range=[charts.OKABE_ITO[1], charts.OKABE_ITO[0], charts.MUTED]))
    tooltip = [alt.Tooltip("series:N", title=t("ddr.col.series", lang)),
               alt.Tooltip("date_label:N", title=t("date", lang)), alt.Tooltip("value_label:N", title=t("value", lang)),
               alt.Tooltip("source:N", title=t("source", lang)), alt.Tooltip("note:N", title=t("note", lang))]
    layers: list[alt.Chart] = [
        alt.Chart(charts.inline_data(bars)).mark_bar(size=10).encode(x=x, y=y, color=colour, tooltip=tooltip),
        alt.Chart(charts.inline_data(line)).mark_line(point=True).encode(x=x, y=y, color=colour, tooltip=tooltip),
    ]
    p = report.projection
    if p.outcome == "projected" and p.latest is not None and p.when is not None:
        ends = [{"date": p.latest[0].isoformat(), "value": p.latest[1], "series": labels["projection"],
                 "date_label": fmt_date(p.latest[0], lang), "value_label": fmt_count(p.latest[1], lang),
                 "source": t("confidence.derived", lang), "note": pace_text(p, "persons", lang)},
                {"date": p.when.isoformat(), "value": report.target, "series": labels["projection"],
                 "date_label": str(p.year), "value_label": fmt_count(report.target, lang),
                 "source": t("confidence.derived", lang), "note": pace_text(p, "persons", lang)}]
        layers.append(alt.Chart(charts.inline_data(ends)).mark_line(strokeDash=[2, 3]).encode(
            x=x, y=y, color=colour, tooltip=tooltip))
    target = alt.Chart(charts.inline_data([{"target": report.target, "label": t(
        "target_value", lang, value=fmt_count(report.target, lang))}]))
    layers += [target.mark_rule(strokeDash=[6, 4], strokeWidth=1.5).encode(y="target:Q"),
               target.mark_text(align="left", baseline="bottom", dx=4, dy=-3).encode(
                   x=alt.value(0), y="target:Q", text="label:N")]
    if report.commitment is not None:
        c = report.commitment
        note = alt.Chart(charts.inline_data([{"date": c["period_end"].isoformat(), "label": t(
            "ddr.commitment_label", lang, value=fmt_count(c["value"], lang),
            date=period_text(c["period_start"], c["period_end"], lang))}]))
        layers += [note.mark_rule(strokeDash=[4, 2], color=charts.OKABE_ITO[3]).encode(x=charts._utc_x("date", None)),
                   note.mark_text(angle=270, align="left", baseline="bottom", dx=4, dy=-3,
                                  color=charts.OKABE_ITO[3]).encode(x=charts._utc_x("date", None),
                                                                    y=alt.value("height"), text="label:N")]
    layers += charts._key_date_layers(report.key_dates, lang)
    return charts.finish(alt.layer(*layers), lang, t("as_of", lang, date=fmt_date(report.as_of, lang)), 320)


def _utc(day: date) -> alt.DateTime:
    """A date as a Vega-Lite DateTime at UTC midnight, like the ISO dates of the rows."""
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def funnel_chart(report: DdrReport, lang: str) -> alt.LayerChart:
    """Each stage's latest figure as a bar, widest stage first, labelled with its value and
    date; a stage without a cited figure reads "no figure cited" and has no bar."""
    names = [t(f"ddr.stage.{s.key}", lang) for s in report.stages]
    rows = [{"stage": t(f"ddr.stage.{s.key}", lang),
             "value": None if s.latest is None else s.latest["value"],
             "at": 0.0 if s.latest is None else s.latest["value"],
             "label": t("ddr.stage_missing", lang) if s.latest is None else
             f"{fmt_count(s.latest['value'], lang)} "
             f"({period_text(s.latest['period_start'], s.latest['period_end'], lang)})",
             "source": "" if s.latest is None else s.latest["source_id"]} for s in report.stages]
    top = max([r["value"] for r in rows if r["value"] is not None] or [1.0])
    scale = alt.Scale(domain=[0, top * 1.9], nice=False)  # room for the labels right of the widest bar
    title = t("unit.persons", lang)
    y = alt.Y("stage:N", title=None, sort=names, scale=alt.Scale(domain=names))
    base = alt.Chart(charts.inline_data(rows))
    tooltip = [alt.Tooltip("stage:N", title=t("ddr.col.stage", lang)), alt.Tooltip("label:N", title=t("value", lang)),
               alt.Tooltip("source:N", title=t("source", lang))]
    layers = [
        base.mark_bar(height={"band": 0.6}, color=charts.OKABE_ITO[0]).encode(
            x=alt.X("value:Q", title=title, scale=scale), y=y, tooltip=tooltip),
        base.mark_text(align="left", dx=4).encode(x=alt.X("at:Q", title=title, scale=scale), y=y, text="label:N"),
    ]
    return charts.finish(alt.layer(*layers), lang, t("as_of", lang, date=fmt_date(report.as_of, lang)), {"step": 34})
