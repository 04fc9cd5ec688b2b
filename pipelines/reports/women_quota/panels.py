"""What the women's-quota report displays: the gap and projection tables in words, each
figure with its source, figures side by side, and the quota chart. The sums are
`pipelines.reports.women_quota.sums`'s."""

from __future__ import annotations

import math
from fractions import Fraction

import altair as alt
import polars as pl

from pipelines.analysis.figures import period_text, value_text
from pipelines.analysis.indicators import chosen_rows
from pipelines.analysis.progress import Point
from pipelines.analysis.projection import outcome_text
from pipelines.core.i18n import fmt_count, fmt_date, fmt_number, fmt_percent, t
from pipelines.present import theme
from pipelines.present.citations import source_name
from pipelines.present.labels import fitted_axis
from pipelines.present.markup import join
from pipelines.reports.women_quota.sums import QuotaReport


def gap_rows(report: QuotaReport, lang: str) -> list[list[str]]:
    """One row per body: latest share (and counts) and its date, source, roadmap target, gap in
    points and in seats; after the deadline, the share that decided (the last one by the
    deadline), the later one named beside it."""
    na = t("not_available", lang)
    rows = []
    for b in report.bodies:
        target = b.view.target_text(lang) if b.has_target else report.words.t("wq.no_target", lang)
        if b.latest is None or b.gap is None:
            rows.append([report.body_name(b.body, lang), na, "", target, na, na, na])
            continue
        g, latest = b.gap, b.latest
        source = source_name(report.sources, latest["source_id"], lang)
        if latest["counts_source"] not in (None, latest["source_id"]):
            counts = source_name(report.sources, latest["counts_source"], lang)
            source = join([source, f"; {t('wq.counts_from', lang)} ", counts])
        points = t("wq.reached", lang) if g.reached else t("wq.points", lang, value=fmt_number(g.points, lang))
        if g.seats_needed is None or g.seats is None:
            needed, add = na, na
        else:
            needed = t(
                "wq.seats_needed",
                lang,
                needed=fmt_count(g.seats_needed, lang),
                seats=fmt_count(g.seats, lang),
                exact=fmt_number(float(Fraction(str(g.quota)) * g.seats / 100), lang),
            )
            add = (
                t("wq.reached", lang)
                if g.reached
                else t(
                    "wq.women_to_add",
                    lang,
                    count=fmt_count(g.women_to_add or 0, lang),
                    shortfall=fmt_number(g.shortfall or 0.0, lang),
                )
            )
        if not b.has_target:  # the rule assesses nothing here: no "reached", no gap to close
            points = needed = add = t("status_no_target", lang)
        when = period_text(latest["period_start"], latest["period_end"], lang)
        share = f"{value_text(g.share, 'percent', lang, g.women, g.seats)}, {when}"
        a = b.view.assessment
        if a.after_deadline and a.latest is not None:
            share = t("wq.by_deadline", lang, share=share, later=b.view.point_text(a.latest, lang))
        rows.append([report.body_name(b.body, lang), share, source, target, points, needed, add])
    return rows


def projection_rows(report: QuotaReport, lang: str) -> list[list[str]]:
    """One row per body and window: where the pace is measured from, linear and compound."""
    rows = []
    for b in report.bodies:
        if not b.has_target:  # nothing is projected toward a quota the rule does not assess
            rows.append([report.body_name(b.body, lang), "—", t("status_no_target", lang), ""])
            continue
        if not b.windows:
            outcome = "deadline_passed" if b.view.assessment.judged_at_deadline else "insufficient_data"
            rows.append([report.body_name(b.body, lang), "—", t(f"wq_ddr.outcome.{outcome}", lang), ""])
            continue
        series = chosen_rows(b.figures)
        for window, linear, compound in b.windows:
            assert linear.start is not None and linear.latest is not None
            key = "baseline_is_latest" if window == "baseline" and linear.start == linear.latest else window
            span = t(
                f"wq.window.{key}",
                lang,
                start=_point_text(linear.start, series, lang),
                latest=_point_text(linear.latest, series, lang),
            )
            rows.append(
                [
                    report.body_name(b.body, lang),
                    span,
                    outcome_text(linear, "percent", lang),
                    outcome_text(compound, "percent", lang),
                ]
            )
    return rows


def _point_text(point: Point, series: pl.DataFrame, lang: str) -> str:
    """A point of the series as its figure was published: "27.9% (2020)", not "31 December 2020"."""
    rows = series.filter(pl.col("period_end") == point[0])
    when = period_text(rows["period_start"][0], point[0], lang) if rows.height else fmt_date(point[0], lang)
    return f"{fmt_percent(point[1], lang)} ({when})"


def quota_chart(report: QuotaReport, lang: str) -> alt.LayerChart:
    """Each body's latest share as a bar against the quota (dashed rule), labelled with the
    figure as cited; a body without a figure reads "not available" instead of a bar.

    Built with `pipelines.present.theme`, so it shares the other charts' theme, locale and row guard.
    """
    names = [report.body_name(b.body, lang) for b in report.bodies]
    rows = [
        {
            "body": report.body_name(b.body, lang),
            "share": None if b.gap is None else b.gap.share,
            "at": 0.0 if b.gap is None else b.gap.share,
            "label": t("not_available", lang)
            if b.gap is None
            else value_text(b.gap.share, "percent", lang, b.gap.women, b.gap.seats),
            "date_label": ""
            if b.latest is None
            else period_text(b.latest["period_start"], b.latest["period_end"], lang),
            "source": "" if b.latest is None else b.latest["source_id"],
        }
        for b in report.bodies
    ]
    top = max([report.quota, *(b.gap.share for b in report.bodies if b.gap is not None)])
    scale = alt.Scale(domain=[0, math.ceil(top / 10) * 10 + 10], nice=False)
    x_title = t("wq.axis.share", lang)
    y = alt.Y("body:N", title=None, sort=names, scale=alt.Scale(domain=names), axis=fitted_axis(names, 300))
    tips = theme.hover(
        [
            ("body", t("wq.col.body", lang)),
            ("label", t("value", lang)),
            ("date_label", t("date", lang)),
            ("source", t("source", lang)),
        ],
        lang,
    )
    base = alt.Chart(theme.inline_data(rows))
    quota = alt.Chart(theme.inline_data([{"quota": report.quota, "label": report.quota_text(lang)}]))
    layers = [
        base.mark_bar(height={"band": 0.6}, color=theme.OKABE_ITO[0]).encode(
            x=alt.X("share:Q", title=x_title, scale=scale), y=y, **tips
        ),
        base.mark_text(align="left", dx=4).encode(
            x=alt.X("at:Q", title=x_title, scale=scale), y=y, text=alt.Text("label:N")
        ),
        quota.mark_rule(strokeDash=[6, 4], strokeWidth=1.5).encode(x=alt.X("quota:Q", title=x_title, scale=scale)),
        quota.mark_text(align="left", baseline="bottom", dx=4, dy=-2).encode(
            x=alt.X("quota:Q", title=x_title, scale=scale), y=alt.YValue(0), text=alt.Text("label:N")
        ),
    ]
    return theme.finish(
        alt.layer(*layers),
        lang,
        t("as_of", lang, date=fmt_date(report.as_of, lang)),
        {"step": 34},
        shows=t("wq.chart_shows", lang),
    )
