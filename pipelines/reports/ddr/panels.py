"""What the DDR report displays: its rows in words, each figure with its source, and its
charts (the integrations against the 2,000 of §10, the funnel). The sums are
`pipelines.reports.ddr.sums`'s."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import altair as alt
import polars as pl

from pipelines.analysis.figures import period_text
from pipelines.analysis.projection import outcome_text, pace_text
from pipelines.core.i18n import fmt_count, fmt_date, fmt_percent, fmt_value, t
from pipelines.present import theme
from pipelines.present.citations import source_label, source_name
from pipelines.present.labels import fitted_axis
from pipelines.present.markup import Html, join
from pipelines.reports.ddr.sums import DdrReport


def headline_rows(report: DdrReport, lang: str) -> list[list[str]]:
    """Figure, value, date, where it comes from: cited figures first, then arithmetic on them."""
    na = t("not_available", lang)
    if report.latest is None:
        return [
            [report.indicator[f"name_{lang}"], na, "", ""],
            [
                t("ddr.target", lang),
                report.view.target_text(lang),
                "",
                source_name(report.sources, report.roadmap_source, lang),
            ],
        ]
    day, value = report.latest
    latest_row = (
        report.totals.filter(pl.col("period_end") == day)
        .sort(pl.col("source_id").is_in(report.view.sources_used), descending=True)
        .row(0, named=True)
    )
    when = period_text(latest_row["period_start"], latest_row["period_end"], lang)
    rows = [
        [
            t("ddr.published_total", lang),
            fmt_count(latest_row["value"], lang),
            when,
            _cited(latest_row, report.sources, lang),
        ]
    ]
    start = report.view.counted_from
    if start is not None:
        since = fmt_date(report.indicator["counts_since"], lang)
        rows.append(
            [
                t("ddr.counted", lang, since=since),
                fmt_count(value, lang),
                when,
                t(
                    "ddr.arithmetic",
                    lang,
                    formula=f"{fmt_count(latest_row['value'], lang)} − {fmt_count(start[1], lang)} "
                    f"({fmt_date(start[0], lang)})",
                ),
            ]
        )
    rows += [
        [
            t("ddr.target", lang),
            report.view.target_text(lang),
            "",
            source_name(report.sources, report.roadmap_source, lang),
        ],
        [
            t("ddr.share_of_target", lang),
            fmt_percent(100 * value / report.target, lang),
            when,
            t("ddr.arithmetic", lang, formula=f"{fmt_count(value, lang)} / {fmt_count(report.target, lang)}"),
        ],
        [
            t("ddr.remaining", lang),
            fmt_count(max(0.0, report.target - value), lang),
            when,
            t("ddr.arithmetic", lang, formula=f"{fmt_count(report.target, lang)} − {fmt_count(value, lang)}"),
        ],
    ]
    p = report.projection
    formula = ""
    if p.start is not None and p.latest is not None and p.start[0] < p.latest[0]:
        formula = t(
            "ddr.pace_formula",
            lang,
            start=f"{fmt_count(p.start[1], lang)} ({fmt_date(p.start[0], lang)})",
            latest=f"{fmt_count(p.latest[1], lang)} ({fmt_date(p.latest[0], lang)})",
            pace=pace_text(p, "persons", lang),
        )
    rows.append(
        [
            t("ddr.projected", lang, target=fmt_count(report.target, lang)),
            outcome_text(p, "persons", lang),
            "",
            t("ddr.arithmetic", lang, formula=formula) if formula else "",
        ]
    )
    if report.commitment is not None:
        c = report.commitment
        rows.append(
            [
                t("ddr.commitment", lang),
                fmt_count(c["value"], lang),
                period_text(c["period_start"], c["period_end"], lang),
                _cited(c, report.sources, lang),
            ]
        )
    return rows


def _cited(row: dict[str, Any], sources: pl.DataFrame, lang: str) -> Html:
    """A figure's source, as a reader names it (linked), and how it was read."""
    return join([source_name(sources, row["source_id"], lang), " (" + t(f"confidence.{row['confidence']}", lang) + ")"])


def stage_rows(report: DdrReport, lang: str) -> list[list[str]]:
    """One row per stage: its latest figure, or "no figure cited", and every figure cited."""
    rows = []
    for s in report.stages:
        if s.latest is None:
            rows.append([report.words.t(f"ddr.stage.{s.key}", lang), t("ddr.stage_missing", lang), "", ""])
            continue
        every = join(
            [
                join(
                    [
                        f"{fmt_count(r['value'], lang)} ({period_text(r['period_start'], r['period_end'], lang)}, ",
                        source_name(report.sources, r["source_id"], lang),
                        ")",
                    ]
                )
                for r in s.figures.iter_rows(named=True)
            ],
            "; ",
        )
        rows.append(
            [
                report.words.t(f"ddr.stage.{s.key}", lang),
                fmt_count(s.latest["value"], lang),
                period_text(s.latest["period_start"], s.latest["period_end"], lang),
                every,
            ]
        )
    return rows


def check_text(report: DdrReport, lang: str) -> str:
    """Whether each running total is the sum of the cohorts cited up to its date."""
    if not report.checks:
        return t("ddr.check_none", lang)
    wrong = [c for c in report.checks if not c.agrees]
    if not wrong:
        return t("ddr.check_ok", lang, dates=", ".join(fmt_date(c.day, lang) for c in report.checks))
    return " ".join(
        t(
            "ddr.check_mismatch",
            lang,
            date=fmt_date(c.day, lang),
            published=fmt_count(c.published, lang),
            cohorts=fmt_count(c.cohorts, lang),
            count=c.count,
        )
        for c in wrong
    )


# --- charts ---------------------------------------------------------------------------------------


def _series_row(row: dict[str, Any], series: str, lang: str, sources: pl.DataFrame | None = None) -> dict[str, Any]:
    return {
        "date": row["period_end"].isoformat(),
        "value": row["value"],
        "series": series,
        "date_label": period_text(row["period_start"], row["period_end"], lang),
        "value_label": fmt_value(row["value"], "persons", lang),
        "source": source_label(sources, row["source_id"], lang),
        "note": row["note"] or "",
    }


def _time_axis(days: list[date], lang: str) -> tuple[alt.X, list[date]]:
    """A time axis over ``days`` with a margin on both sides, so a figure on the first or last
    date is not drawn on the axis; and the span it shows (where key-date labels must fit)."""
    shown = [min(days) - timedelta(days=120), max(days) + timedelta(days=60)]
    return alt.X(
        "date:T",
        title=t("axis.date", lang),
        scale=alt.Scale(type="utc", domain=[_utc(d) for d in shown]),
        axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}),
    ), shown


def _tooltip(lang: str) -> dict[str, Any]:
    """The tooltip and text alternative of a figure of the DDR charts (`theme.hover`)."""
    return theme.hover(
        [
            ("series", t("ddr.col.series", lang)),
            ("date_label", t("date", lang)),
            ("value_label", t("value", lang)),
            ("source", t("source", lang)),
            ("note", t("note", lang)),
        ],
        lang,
    )


def integration_chart(report: DdrReport, lang: str) -> alt.LayerChart:
    """What the rule of §10 counts, against the 2,000 and their deadline: the counted series
    (from zero on the day counting starts), the observed pace prolonged to the target where the
    status judges a pace (dotted, labelled arithmetic), and the roadmap's key dates. The
    published running totals are another series, drawn apart (`published_chart`): set against
    the 2,000 they would read as progress the rule does not count.

    Built with `pipelines.present.theme`, so it shares the other charts' theme, locale and row guard.
    """
    series = report.words.t("ddr.series.counted", lang)
    start = report.view.counted_from
    since = report.indicator.get("counts_since")
    line = [_series_row(r, series, lang, report.sources) for r in report.view.counted_rows().iter_rows(named=True)]
    if start is not None and since is not None:
        line.insert(
            0,
            {
                "date": since.isoformat(),
                "value": 0.0,
                "series": series,
                "date_label": fmt_date(since, lang),
                "value_label": fmt_count(0, lang),
                "source": t("confidence.derived", lang),
                "note": t("ddr.counting_starts", lang, total=fmt_count(start[1], lang)),
            },
        )
    days = [date.fromisoformat(r["date"]) for r in line] + [k.day for k in report.key_dates]
    days.append(report.indicator["target_date"])
    p = report.projection
    projected = p.outcome == "projected" and p.latest is not None and p.when is not None
    if projected and p.when is not None:
        days.append(p.when)
    (x, shown), tooltip = _time_axis(days, lang), _tooltip(lang)
    y = alt.Y("value:Q", title=t("unit.persons", lang), scale=alt.Scale(domain=[0, report.target * 1.08]))
    drawn = [series] + ([t("ddr.series.projection", lang)] if projected else [])
    colour = alt.Color(
        "series:N", title=None, scale=alt.Scale(domain=drawn, range=[theme.OKABE_ITO[0], theme.MUTED][: len(drawn)])
    )
    layers: list[alt.Chart] = [
        alt.Chart(theme.inline_data(line)).mark_line(point=True).encode(x=x, y=y, color=colour, **tooltip)
    ]
    if projected and p.latest is not None and p.when is not None:
        label, note = t("ddr.series.projection", lang), pace_text(p, "persons", lang)
        ends = [
            {
                "date": p.latest[0].isoformat(),
                "value": p.latest[1],
                "series": label,
                "date_label": fmt_date(p.latest[0], lang),
                "value_label": fmt_count(p.latest[1], lang),
                "source": t("confidence.derived", lang),
                "note": note,
            },
            {
                "date": p.when.isoformat(),
                "value": report.target,
                "series": label,
                "date_label": str(p.year),
                "value_label": fmt_count(report.target, lang),
                "source": t("confidence.derived", lang),
                "note": note,
            },
        ]
        layers.append(
            alt.Chart(theme.inline_data(ends)).mark_line(strokeDash=[2, 3]).encode(x=x, y=y, color=colour, **tooltip)
        )
    deadline = report.indicator["target_date"]
    target = alt.Chart(
        theme.inline_data(
            [
                {
                    "target": report.target,
                    "date": deadline.isoformat(),
                    "label": t(
                        "ddr.target_label", lang, value=fmt_count(report.target, lang), date=fmt_date(deadline, lang)
                    ),
                }
            ]
        )
    )
    layers += [
        target.mark_rule(strokeDash=[6, 4], strokeWidth=1.5).encode(y=alt.Y("target:Q")),
        target.mark_text(align="left", baseline="bottom", dx=4, dy=-3).encode(
            x=alt.XValue(0), y=alt.Y("target:Q"), text=alt.Text("label:N")
        ),
        target.mark_point(shape="diamond", size=80, filled=True, color=theme.INK).encode(
            x=alt.X("date:T"), y=alt.Y("target:Q")
        ),
    ]
    layers += theme.key_date_layers(report.key_dates, lang, span=shown)
    return theme.finish(
        alt.layer(*layers),
        lang,
        t("as_of", lang, date=fmt_date(report.as_of, lang)),
        320,
        shows=report.words.t("ddr.integration_shows", lang, target=fmt_count(report.target, lang)),
    )


def published_chart(report: DdrReport, lang: str) -> alt.LayerChart | None:
    """The figures as published, apart from what the rule counts: each cohort cited (bars), the
    published running totals (line) and the latest commitment as a dated vertical rule (its
    26,000 would crush the scale, so it is a label, not a level). No target line: these totals
    include integrations the rule of §10 does not count. None when nothing is published."""
    labels = {k: t(f"ddr.series.{k}", lang) for k in ("cohort", "cumulative")}
    bars = [_series_row(r, labels["cohort"], lang, report.sources) for r in report.cohorts.iter_rows(named=True)]
    line = [_series_row(r, labels["cumulative"], lang, report.sources) for r in report.totals.iter_rows(named=True)]
    if not bars and not line:
        return None
    days = [date.fromisoformat(r["date"]) for r in bars + line]
    if report.commitment is not None:
        days.append(report.commitment["period_end"])
    (x, _), tooltip = _time_axis(days, lang), _tooltip(lang)
    y = alt.Y("value:Q", title=t("unit.persons", lang))
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=list(labels.values()), range=[theme.OKABE_ITO[1], theme.OKABE_ITO[4]]),
    )
    layers: list[alt.Chart] = [
        alt.Chart(theme.inline_data(bars)).mark_bar(size=10).encode(x=x, y=y, color=colour, **tooltip),
        alt.Chart(theme.inline_data(line)).mark_line(point=True).encode(x=x, y=y, color=colour, **tooltip),
    ]
    if report.commitment is not None:
        c = report.commitment
        note = alt.Chart(
            theme.inline_data(
                [
                    {
                        "date": c["period_end"].isoformat(),
                        "label": t(
                            "ddr.commitment_label",
                            lang,
                            value=fmt_count(c["value"], lang),
                            date=period_text(c["period_start"], c["period_end"], lang),
                        ),
                    }
                ]
            )
        )
        layers += [
            note.mark_rule(strokeDash=[4, 2], color=theme.OKABE_ITO[3]).encode(x=alt.X("date:T")),
            note.mark_text(angle=270, align="left", baseline="bottom", dx=4, dy=-3, color=theme.OKABE_ITO[3]).encode(
                x=alt.X("date:T"), y=alt.YValue("height"), text=alt.Text("label:N")
            ),
        ]
    return theme.finish(
        alt.layer(*layers), lang, t("ddr.published_title", lang), 260, shows=t("ddr.published_shows", lang)
    )


def _utc(day: date) -> alt.DateTime:
    """A date as a Vega-Lite DateTime at UTC midnight, like the ISO dates of the rows."""
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def funnel_chart(report: DdrReport, lang: str) -> alt.LayerChart:
    """Each stage's latest figure as a bar, widest stage first, labelled with its value and
    date; a stage without a cited figure reads "no figure cited" and has no bar."""
    names = [report.words.t(f"ddr.stage.{s.key}", lang) for s in report.stages]
    rows = [
        {
            "stage": report.words.t(f"ddr.stage.{s.key}", lang),
            "value": None if s.latest is None else s.latest["value"],
            "at": 0.0 if s.latest is None else s.latest["value"],
            "label": t("ddr.stage_missing", lang)
            if s.latest is None
            else f"{fmt_count(s.latest['value'], lang)} "
            f"({period_text(s.latest['period_start'], s.latest['period_end'], lang)})",
            "source": "" if s.latest is None else source_label(report.sources, s.latest["source_id"], lang),
        }
        for s in report.stages
    ]
    top = max(
        [s.latest["value"] for s in report.stages if s.latest is not None and s.latest["value"] is not None] or [1.0]
    )
    scale = alt.Scale(domain=[0, top * 1.9], nice=False)  # room for the labels right of the widest bar
    title = t("unit.persons", lang)
    y = alt.Y("stage:N", title=None, sort=names, scale=alt.Scale(domain=names), axis=fitted_axis(names))
    base = alt.Chart(theme.inline_data(rows))
    tips = theme.hover(
        [("stage", t("ddr.col.stage", lang)), ("label", t("value", lang)), ("source", t("source", lang))], lang
    )
    layers = [
        base.mark_bar(height={"band": 0.6}, color=theme.OKABE_ITO[0]).encode(
            x=alt.X("value:Q", title=title, scale=scale), y=y, **tips
        ),
        base.mark_text(align="left", dx=4).encode(
            x=alt.X("at:Q", title=title, scale=scale), y=y, text=alt.Text("label:N")
        ),
    ]
    return theme.finish(
        alt.layer(*layers),
        lang,
        t("as_of", lang, date=fmt_date(report.as_of, lang)),
        {"step": 34},
        shows=t("ddr.funnel_shows", lang),
    )
