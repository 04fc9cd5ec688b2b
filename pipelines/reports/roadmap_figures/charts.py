"""The chart of the roadmap-figures report: per figure the roadmap quotes, the published
figures nearest to it as a ratio to it. The verdicts are `pipelines.reports.roadmap_figures.sums`'."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import altair as alt
import polars as pl

from pipelines.core.i18n import fmt_date, fmt_number, fmt_period, fmt_value, t
from pipelines.present.citations import source_label
from pipelines.present.labels import fitted_axis
from pipelines.present.theme import INK, MUTED, OKABE_ITO, finish, hover, inline_data
from pipelines.reports.roadmap_figures.sums import Audit, Match, gap_text

#: Pixels per claim in the dot chart (three points, offset, per claim).
ROW_HEIGHT = 36
#: The figures drawn per claim, in legend order, with their shapes.
ROLES: tuple[tuple[str, str], ...] = (("newest", "circle"), ("best_before", "square"), ("best_any", "diamond"))


def role_label(role: str, lang: str, roadmap_date: date) -> str:
    """ "newest on 25 March 2021", "best match up to 25 March 2021", "best match, any date"."""
    return t(f"claims.role.{role}", lang, date=fmt_date(roadmap_date, lang))


def chart_rows(
    audits: Sequence[Audit], lang: str, roadmap_date: date, sources: pl.DataFrame | None = None
) -> list[dict[str, Any]]:
    """One row per claim and role: the figure as a ratio to the roadmap's figure."""
    rows = []
    for a in audits:
        unit = a.claim.unit
        for role, _ in ROLES:
            m: Match | None = getattr(a, role)
            if m is None or m.ratio is None:
                continue
            rows.append(
                {
                    "claim": a.claim.label(lang),
                    "role": role_label(role, lang, roadmap_date),
                    "ratio": m.ratio,
                    "fit": t("claims.fits" if m.fits else "claims.does_not_fit", lang),
                    "figure": a.claim.figure_text(lang),
                    "value": fmt_value(m.value, unit, lang),
                    "ratio_label": fmt_number(m.ratio, lang, digits=2),
                    "period": fmt_period(m.period_start, m.period_end, lang),
                    "source": source_label(sources, m.source_id, lang),
                    "gap": gap_text(m.gap, unit, lang),
                    "verdict": a.verdict_text(lang),
                }
            )
    return rows


def dot_chart(
    audits: Sequence[Audit], lang: str, roadmap_date: date, sources: pl.DataFrame | None = None
) -> alt.LayerChart:
    """Per claim, the newest figure at the roadmap's date, the best match up to then and at
    any date, as value ÷ roadmap figure (1 = the roadmap's figure); claims without data say so.
    Each figure's source is named as a reader recognises it (`citations.source_label`) when
    ``sources`` is given."""
    rows = chart_rows(audits, lang, roadmap_date, sources)
    labels = [a.claim.label(lang) for a in audits]
    roles = [role_label(r, lang, roadmap_date) for r, _ in ROLES]
    fit_labels = [t("claims.fits", lang), t("claims.does_not_fit", lang)]
    top = max([1.2, *(r["ratio"] for r in rows)])
    x = alt.X(
        "ratio:Q",
        title=t("claims.axis_ratio", lang),
        scale=alt.Scale(domain=[0, top], nice=False),
        axis=alt.Axis(format=".1f", tickCount=7),
    )
    y = alt.Y("claim:N", title=None, sort=labels, scale=alt.Scale(domain=labels), axis=fitted_axis(labels, 300))
    tips = hover(
        [
            ("claim", t("claims.claim", lang)),
            ("role", t("claims.figure_role", lang)),
            ("value", t("value", lang)),
            ("period", t("date", lang)),
            ("source", t("source", lang)),
            ("gap", t("claims.gap", lang)),
            ("ratio_label", t("claims.ratio", lang)),
            ("fit", t("claims.fit", lang)),
            ("verdict", t("claims.verdict", lang)),
        ],
        lang,
    )
    layers: list[alt.Chart] = [
        alt.Chart(inline_data([{"ratio": 1.0}])).mark_rule(strokeDash=[6, 4], color=INK).encode(x=x),
        alt.Chart(inline_data(rows))
        .mark_point(size=80, opacity=0.9, filled=True)
        .encode(
            x=x,
            y=y,
            yOffset=alt.YOffset("role:N", scale=alt.Scale(domain=roles)),
            shape=alt.Shape(
                "role:N",
                title=t("claims.figure_role", lang),
                legend=alt.Legend(columns=1),
                scale=alt.Scale(domain=roles, range=[s for _, s in ROLES]),
            ),
            color=alt.Color(
                "fit:N",
                title=t("claims.fit", lang),
                legend=alt.Legend(columns=1),
                scale=alt.Scale(domain=fit_labels, range=[OKABE_ITO[2], OKABE_ITO[3]]),
            ),
            **tips,
        ),
    ]
    empty = [
        {"claim": a.claim.label(lang), "label": a.verdict_text(lang)}
        for a in audits
        if a.newest is None and a.best_any is None
    ]
    if empty:
        layers.append(
            alt.Chart(inline_data(empty))
            .mark_text(align="left", dx=4, fontStyle="italic", color=MUTED)
            .encode(x=alt.XValue(0), y=y, text=alt.Text("label:N"))
        )
    return finish(
        alt.layer(*layers),
        lang,
        t("claims.chart_title", lang),
        ROW_HEIGHT * max(len(audits), 1),
        shows=t("claims.chart_shows", lang),
    )
