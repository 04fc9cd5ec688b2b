"""The text panels of a report (header, headline figures, milestones, data quality, sources),
as escaped HTML built from a `BenchmarkView`.

Kept out of the notebooks so that every report shows the same panel the same way, and so
that the tests can check what a reader sees (an escaped note, a link only for http(s)).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import polars as pl

from pipelines import geo
from pipelines.html import Html, escape, join, link, table, tag
from pipelines.i18n import fmt_date, fmt_number, fmt_percent, fmt_value, t
from pipelines.views import BenchmarkView, IndicatorView

STYLE = Html("""<style>
.mr-badge{display:inline-block;padding:.15em .6em;border-radius:1em;font-weight:600;color:#fff}
.mr-achieved,.mr-on_track{background:#007a5e}.mr-needs_acceleration{background:#a86b00}
.mr-limited_progress{background:#b8460b}.mr-deterioration{background:#9c1f3c}
.mr-insufficient_data{background:#5b6470}
.mr-criterion{border-left:4px solid #0072b2;margin:0 0 1em;padding:.2em 1em;background:#f4f8fb}
table.data{border-collapse:collapse;margin:.5em 0 1em;font-size:.92em}
table.data th,table.data td{border-bottom:1px solid #d5dbe1;padding:.3em .6em;text-align:left;vertical-align:top}
table.data th{background:#eef2f5}.mr-note{color:#4a525a;font-size:.9em}
</style>""")


def badge(status: str, lang: str) -> Html:
    """A coloured status label; colour is never the only cue (the word is written)."""
    return Html(f'<span class="mr-badge mr-{escape(status)}">{escape(t(f"status.{status}", lang))}</span>')


def header(view: BenchmarkView) -> Html:
    """Title, the criterion as written in the roadmap, and the status at the report's date."""
    lang = view.lang
    status = t("status_at", lang, date=fmt_date(view.as_of, lang), status="")
    return join([
        STYLE,
        tag("h1", view.title),
        tag("p", t("criterion", lang, paragraph=view.benchmark["paragraph"]), css="mr-note"),
        Html(f'<blockquote class="mr-criterion">{escape(view.criterion)}</blockquote>'),
        Html(f"<p><strong>{escape(status.rstrip(' :'))}</strong> {badge(view.status, lang)}</p>"),
    ])


def headline(view: BenchmarkView) -> Html:
    """Latest figure against target, one row per indicator that has a figure or a target."""
    lang = view.lang
    rows = [[h["label"], h["value"], h["target"], h["status"]] for h in view.headline()]
    missing = [v.indicator[f"name_{lang}"] for v in view.indicators if v.assessment.latest is None
               and v.regional.is_empty() and not v.has_target]  # targeted ones are in the table
    if not rows and not missing:
        return Html("")
    parts: list[object] = [tag("h2", t("headline_figures", lang))]
    if rows:
        parts.append(table([t("indicator", lang), t("latest", lang), t("target", lang), t("status", lang)], rows))
    if missing:
        parts.append(tag("p", t("no_figures", lang, names="; ".join(missing)), css="mr-note"))
    return join(parts)


def assessment_note(iv: IndicatorView, sources: pl.DataFrame, lang: str) -> Html:
    """Which series was assessed, and why the status is what it is."""
    a = iv.assessment
    label = "; ".join(_source_label(sources, s) for s in iv.sources_used) or t("not_available", lang)
    reasons = "; ".join(t(f"reason.{code}", lang) for code in a.reason.split("+"))
    text = t("assessed_on", lang, source=label, reason=reasons)
    if a.current_status is not None or a.anticipated is not None:
        detail = t("assessment_detail", lang,
                   current=_ratio(a.current_status, lang), anticipated=_ratio(a.anticipated, lang))
        text = f"{text} {detail[0].upper()}{detail[1:]}."
    return tag("p", text, css="mr-note")


def _ratio(value: float | None, lang: str) -> str:
    return t("not_available", lang) if value is None else fmt_percent(100 * value, lang, digits=0)


def regional(iv: IndicatorView, lang: str) -> Html:
    """The latest figure per region (indicators published by region)."""
    if iv.regional.is_empty():
        return Html("")
    latest = iv.regional.sort("period_end").group_by(["geo_code", "source_id"], maintain_order=True).last()
    rows = [[geo.name(r["geo_code"]), fmt_value(r["value"], iv.indicator["unit"], lang), fmt_date(r["period_end"], lang),
             r["source_id"], r["note"] or ""] for r in latest.sort(["geo_code", "period_end"]).iter_rows(named=True)]
    return join([
        tag("h3", f"{iv.indicator[f'name_{lang}']} — {t('regional_figures', lang).lower()}"),
        table([t("region", lang), t("value", lang), t("date", lang), t("source", lang), t("note", lang)], rows),
    ])


def milestones_summary(view: BenchmarkView) -> Html:
    """The milestones heading and the benchmark's points (shown above the timeline)."""
    lang, score = view.lang, view.milestones
    if score.rows.is_empty():
        return Html("")
    summary = t("milestone_points", lang, points=score.points, max=score.max_points,
                score=fmt_number(score.score or 0.0, lang, digits=2))
    return join([tag("h2", t("milestones", lang)), tag("p", summary)])


def milestones(view: BenchmarkView) -> Html:
    """Each milestone's status at the report's date, with the event that set it."""
    lang = view.lang
    score = view.milestones
    if score.rows.is_empty():
        return Html("")
    rows = []
    for r in score.rows.iter_rows(named=True):
        status = t(f"milestone_status.{r['status']}", lang) if r["evidence"] else t("no_evidence", lang)
        rows.append([r[f"name_{lang}"], status, fmt_date(r["date"], lang) if r["date"] else "—",
                     r[f"description_{lang}"] or "", r["source_id"] or ""])
    return join([
        table([t("milestone", lang), t("status", lang), t("date", lang), t("description", lang), t("source", lang)], rows),
    ])


def quality(result: object, lang: str) -> Html:
    """The data-quality panel: pass/fail of the rules touching this report, failing rows."""
    origin = tag("p", t(f"quality_origin.{result.origin}", lang), css="mr-note")
    if result.errors == 0 and result.warnings == 0:
        return join([tag("h2", t("data_quality", lang).capitalize()), tag("p", t("quality_ok", lang)), origin])
    rows = [[r["severity"], r["description"], f"{r['file'] or ''} {r['line'] or ''}".strip(), r["value"] or "",
             r["detail"] or ""] for r in result.failures().head(50).iter_rows(named=True)]
    return join([
        tag("h2", t("data_quality", lang).capitalize()),
        tag("p", t("quality_failed", lang, errors=result.errors, warnings=result.warnings)),
        table([t("severity", lang), t("rule", lang), t("where", lang), t("value", lang), t("note", lang)], rows),
        origin,
    ])


def sources(frame: pl.DataFrame, lang: str, heading: bool = True) -> Html:
    """Every source the report cites, linked when its address is http(s)."""
    rows = [
        [r["source_id"], link(r["title"], r["url"]), r["publisher"] or "", r["symbol"] or "",
         r["paragraph"] or "", fmt_date(r["published"], lang) if isinstance(r["published"], date) else "",
         t(f"confidence.{r['kind']}", lang)]
        for r in frame.sort("source_id").iter_rows(named=True)
    ]
    parts: list[object] = [tag("h2", t("sources", lang).capitalize())] if heading else []
    parts.append(table(["id", t("title", lang), t("publisher", lang), t("symbol", lang), t("paragraph", lang),
                        t("published", lang), t("kind", lang)], rows))
    return join(parts)


def footer(as_of: date, build_date: str, lang: str) -> Html:
    built = fmt_date(date.fromisoformat(build_date), lang) if build_date else fmt_date(as_of, lang)
    return tag("p", t("footer", lang, as_of=fmt_date(as_of, lang), build_date=built), css="mr-note")


def _source_label(frame: pl.DataFrame, source_id: str) -> str:
    rows = frame.filter(pl.col("source_id") == source_id).to_dicts()
    if not rows:
        return source_id
    row = rows[0]
    return f"{row['title']}" + (f" ({row['symbol']})" if row["symbol"] else "")


def section(title: str, parts: Iterable[object]) -> Html:
    return join([tag("h2", title), *parts])


def scorecard(frame: pl.DataFrame, lang: str) -> Html:
    """The overview's table: each benchmark's status, score, latest figures and its report."""
    rows = [
        [r["benchmark"], _relative_link(r["title"], r["report"]), badge(r["status"], lang),
         "—" if r["score"] is None else fmt_number(r["score"], lang, digits=2), r["headline"]]
        for r in frame.iter_rows(named=True)
    ]
    return table([t("benchmark", lang), t("report", lang), t("status", lang), t("score", lang),
                  t("latest_figures", lang)], rows)


def _relative_link(label: str, href: str) -> Html:
    """A link to a sibling report file (a plain file name, nothing else is accepted)."""
    if not re.fullmatch(r"[a-z0-9-]+\.html", href):
        return escape(label)
    return Html(f'<a href="{escape(href)}">{escape(label)}</a>')
