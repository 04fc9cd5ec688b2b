"""The text panels of a benchmark report (header, headline figures, milestones, sources), as
escaped HTML built from a `BenchmarkView`, and the pieces every report shares: the notebooks'
styles, the status badge, the sources table, notes, the footer, the overview's scorecard.

Kept out of the notebooks so that every report shows the same panel the same way, and so
that the tests can check what a reader sees (an escaped note, a link only for http(s)). The
panels of the other reports, built on these, are `thematic_panels` and `history_panels` and
each report's own in its folder (`pipelines/reports/<name>/panels.py`); the data-quality panels
every report shows are in `quality_panels`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

import polars as pl

from pipelines.analysis.confidence import Confidence
from pipelines.analysis.indicators import IndicatorView
from pipelines.analysis.reviews import Review
from pipelines.analysis.views import MAX_LISTED, BenchmarkView, milestone_rule
from pipelines.core import geo, statuses
from pipelines.core.i18n import describe_score, fmt_date, fmt_percent, fmt_period, fmt_value, t
from pipelines.present.citations import source_label, source_name
from pipelines.present.markup import Html, escape, folded, join, table, tag

#: The notebooks' own styles, emitted once at the top of every notebook's output. Table cells
#: are selected under ``:root`` so that they outrank JupyterLab's right-aligned
#: ``:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td`` (two classes): text reads left-aligned
#: in Lab as in the reports.
STYLE = Html(
    """<style>
"""
    + statuses.badge_css()
    + """
.mr-criterion{border-left:4px solid #0072b2;margin:0 0 1em;padding:.2em 1em;background:#f4f8fb}
table.data{border-collapse:collapse;margin:.5em 0 1em;font-size:.92em}
:root table.data th,:root table.data td{border-bottom:1px solid #d5dbe1;padding:.3em .6em;text-align:left;vertical-align:top}
table.data th{background:#eef2f5}.mr-note{color:#4a525a;font-size:.9em}.mr-summary{font-size:1.05em;max-width:48em}.mr-how summary{cursor:pointer;color:#1d4f91}.mr-why{margin:.2em 0 0;color:#4a525a;font-size:.85em}
</style>"""
)


def badge(status: str, lang: str) -> Html:
    """A coloured status label; colour is never the only cue (the word is written)."""
    return Html(f'<span class="mr-badge mr-{escape(status)}">{escape(t(f"status.{status}", lang))}</span>')


def header(view: BenchmarkView) -> Html:
    """Title, the criterion as written in the roadmap, and the status at the report's date."""
    lang = view.lang
    status = t("status_at", lang, date=fmt_date(view.as_of, lang), status="")
    summary, why = view.summary(), view.status_why()
    return join(
        [
            STYLE,
            tag("h1", view.title),
            tag("p", criterion_label(view.roadmap["symbol"], view.benchmark["paragraph"], lang), css="mr-note"),
            Html(f'<blockquote class="mr-criterion">{escape(view.criterion)}</blockquote>')
            if view.has_wording
            else tag("p", view.criterion, css="mr-criterion mr-note"),
            Html(
                f"<p><strong>{escape(status.rstrip(' :'))}</strong> {badge(view.status, lang)}"
                f"{reviewed_beside(view.review(), lang)}</p>"
            ),
            tag("p", summary, css="mr-summary"),
            *([folded(t("by_the_rule", lang), tag("p", why, css="mr-note"))] if why != summary else []),
            confidence_line(view.confidence(), lang),
            review_note(view.review(), view.sources, lang),
        ]
    )


def reviewed_beside(review: Review | None, lang: str) -> Html:
    """Beside a computed status: the reviewed one (a badge of the one vocabulary), or "to be
    reviewed again" when the rule's status has moved since the review."""
    if review is None:
        return Html("")
    if review.status is None:
        return Html(f' · <strong class="mr-review-stale">{escape(t("review.mark_stale", lang))}</strong>')
    return Html(f" · <strong>{escape(t('review.heading', lang))}</strong> {badge(review.status, lang)}")


def confidence_line(confidence: Confidence, lang: str) -> Html:
    """How much to trust a status, and why (`pipelines.analysis.confidence`)."""
    text = confidence.text(lang)
    return tag("p", text, css=f"mr-note mr-confidence mr-confidence-{confidence.grade}") if text else Html("")


def review_note(review: Review | None, sources: pl.DataFrame, lang: str) -> Html:
    """A review in full: who, when, what, why, and its sources named."""
    if review is None:
        return Html("")
    named = "; ".join(_source_label(sources, s) for s in review.source_ids)
    return join(
        [
            tag("p", review.text(lang), css="mr-note mr-review"),
            tag("p", t("review.sources", lang, sources=named), css="mr-note mr-review"),
        ]
    )


def criterion_label(symbol: str, paragraph: int | None, lang: str) -> str:
    """'Benchmark criterion (S/2021/300, para. 8)', or without a paragraph when the roadmap
    numbers none."""
    if paragraph is None:
        return t("criterion_no_paragraph", lang, symbol=symbol)
    return t("criterion", lang, symbol=symbol, paragraph=paragraph)


def headline(view: BenchmarkView, quarantined: pl.DataFrame | None = None, *, heading: bool = True) -> Html:
    """Latest figure against target, one row per indicator that has a figure or a target
    (``heading=False`` where the notebook's narrative gives the section its heading).

    An indicator with no figure reads "no published figure was found" only when none was
    supplied: where its rows were set aside at ingest (`quarantined`), it says so instead."""
    lang = view.lang
    items = view.headline()
    rows = [[h["label"], h["value"], h["target"], h["status"]] for h in items]
    held = (
        set()
        if quarantined is None or quarantined.is_empty()
        else set(quarantined["indicator_id"].drop_nulls().to_list())
    )
    empty = [v for v in view.listed() if v.assessment.latest is None and v.regional.is_empty()]
    refused = [v.indicator[f"name_{lang}"] for v in empty if v.indicator["indicator_id"] in held]
    missing = [
        v.indicator[f"name_{lang}"] for v in empty if not v.has_target and v.indicator["indicator_id"] not in held
    ]  # targeted ones are in the table
    if not rows and not missing and not refused:
        return Html("")
    parts: list[object] = [tag("h2", t("headline_figures", lang))] if heading else []
    if rows:
        parts.append(table([t("indicator", lang), t("latest", lang), t("target", lang), t("status", lang)], rows))
        # why each status is what it is, below the table so that it stays narrow on a phone (an
        # indicator without a target already reads "no target: not assessed" in the table)
        assessed = [h for h in items if h["assessed"]]
        judged = {v.indicator["indicator_id"]: v for v in view.listed() if v.has_target}
        if assessed:
            parts.append(
                Html(
                    '<ul class="mr-why">'
                    + "".join(
                        f"<li><strong>{escape(h['label'])}</strong> — {escape(h['why'])}"
                        f"{_judged(view, judged.get(h['indicator_id']))}</li>"
                        for h in assessed
                    )
                    + "</ul>"
                )
            )
    if refused:
        parts.append(tag("p", t("quarantined_figures", lang, names="; ".join(refused)), css="mr-note"))
    if missing:
        parts.append(tag("p", t("no_figures", lang, names="; ".join(missing)), css="mr-note"))
    if view.unlisted:
        link = data_link(t("benchmark_data", lang), "observations", view.roadmap["roadmap_id"], view.letter)
        parts.append(
            Html(f'<p class="mr-note">{escape(t("unlisted", lang, count=view.unlisted, most=MAX_LISTED))} {link}.</p>')
        )
    return join(parts)


def _judged(view: BenchmarkView, iv: IndicatorView | None) -> str:
    """A target indicator's confidence and review, after why its status is what it is."""
    if iv is None:
        return ""
    lang, review = view.lang, view.indicator_review(iv)
    text = f" {escape(view.indicator_confidence(iv).text(lang))}."
    if review is not None:
        text += f"{reviewed_beside(review, lang)} {escape(review.text(lang))}"
    return text


def assessment_note(iv: IndicatorView, sources: pl.DataFrame, lang: str) -> Html:
    """Which series was assessed, why the status is what it is (`IndicatorView.why`) and the
    rule the roadmap file declares for it (`IndicatorView.rule`): the arithmetic behind the
    plain sentences, one click away (a `<details>` a reader opens, printed open on paper)."""
    a = iv.assessment
    label = "; ".join(_source_label(sources, s) for s in iv.sources_used) or t("not_available", lang)
    reasons = "; ".join(t(f"reason.{code}", lang) for code in a.reason.split("+"))
    text = f"{t('assessed_on', lang, source=label, reason=reasons)} {iv.why(lang)}"
    undated = iv.observations.filter(pl.col("known_rule") == "period_end").height
    if undated:  # said beside the figures, never applied silently (see schema.OBSERVATIONS)
        text = f"{text} {t('undated_rule.one' if undated == 1 else 'undated_rule', lang, count=undated)}"
    inferred = iv.observations.filter(pl.col("date_inferred").fill_null(False)).height
    if inferred:
        text = f"{text} {t('date_inferred_rule.one' if inferred == 1 else 'date_inferred_rule', lang, count=inferred)}"
    rule = iv.rule(lang)
    return folded(
        t("how_computed", lang),
        tag("p", text, css="mr-note"),
        tag("p", rule, css="mr-note mr-rule") if rule else Html(""),
    )


def regional(iv: IndicatorView, lang: str, sources: pl.DataFrame | None = None) -> Html:
    """The latest figure per region (indicators published by region), each with its source."""
    if iv.regional.is_empty():
        return Html("")
    latest = iv.regional.sort("period_end").group_by(["geo_code", "source_id"], maintain_order=True).last()
    rows = [
        [
            geo.name(r["geo_code"], lang=lang),
            fmt_value(r["value"], iv.indicator["unit"], lang),
            fmt_date(r["period_end"], lang),
            source_name(sources, r["source_id"], lang),
            r["note"] or "",
        ]
        for r in latest.sort(["geo_code", "period_end"]).iter_rows(named=True)
    ]
    return join(
        [
            tag("h3", f"{iv.indicator[f'name_{lang}']} — {t('regional_figures', lang).lower()}"),
            table([t("region", lang), t("value", lang), t("date", lang), t("source", lang), t("note", lang)], rows),
        ]
    )


def milestones_summary(view: BenchmarkView, *, heading: bool = True) -> Html:
    """The milestones heading and the benchmark's points (shown above the timeline); a
    benchmark without milestones says so when the notebook's narrative heads the section."""
    lang, score = view.lang, view.milestones
    if score.rows.is_empty():
        return Html("") if heading else tag("p", t("no_milestones", lang), css="mr-note")
    summary = t(
        "milestone_points",
        lang,
        points=score.points,
        max=score.max_points,
        share=fmt_percent(100 * (score.score or 0.0), lang, 0),
    )
    return join(
        [
            *([tag("h2", t("milestones", lang))] if heading else []),
            tag("p", summary),
            tag("p", milestone_rule(lang), css="mr-note mr-rule"),
        ]
    )


def milestones(view: BenchmarkView) -> Html:
    """Each milestone's status at the report's date, with the event that set it."""
    lang = view.lang
    score = view.milestones
    if score.rows.is_empty():
        return Html("")
    rows = []
    for r in score.rows.iter_rows(named=True):
        status = t(f"milestone_status.{r['status']}", lang) if r["evidence"] else t("no_evidence", lang)
        review = view.milestone_review(r["milestone_id"], r["status"] if r["evidence"] else None)
        described = r[f"description_{lang}"] or ""
        if review is not None:  # beside the level the events give, never in its place
            status = f"{status} · " + (
                t("review.mark_stale", lang)
                if review.status is None
                else f"{t('review.heading', lang)} : {review.label(review.status, lang)}"
                if lang == "fr"
                else f"{t('review.heading', lang)}: {review.label(review.status, lang)}"
            )
            described = f"{described} {review.text(lang)}".strip()
        rows.append(
            [
                _with_rubric(r, view),
                status,
                fmt_date(r["date"], lang) if r["date"] else "—",
                described,
                source_name(view.sources, r["source_id"], lang),
            ]
        )
    return join(
        [
            table(
                [t("milestone", lang), t("status", lang), t("date", lang), t("description", lang), t("source", lang)],
                rows,
            ),
        ]
    )


def _with_rubric(row: dict, view: BenchmarkView) -> str:
    """A milestone's name, followed by what each level means for it where the roadmap file
    says so (its rubric)."""
    rubric = view.rubric(row["milestone_id"])
    if not rubric:
        return row[f"name_{view.lang}"]
    levels = t("inline.separator", view.lang).join(
        t("inline.field", view.lang, name=t(f"milestone_status.{level}", view.lang)) + text for level, text in rubric
    )
    return f"{row[f'name_{view.lang}']} — {t('rubric', view.lang)} {levels}"


def sources(frame: pl.DataFrame, lang: str, heading: bool = True) -> Html:
    """Every source the report cites, named and linked as a reader recognises it
    (`citations.source_name`), with its day of publication, or the day its declared rule gives
    and the rule, where no day was found."""
    rows = [
        [
            source_name(frame, r["source_id"], lang),
            r["symbol"] or "",
            r["paragraph"] or "",
            _published(r, lang),
            t(f"confidence.{r['kind']}", lang),
        ]
        for r in frame.sort("source_id").iter_rows(named=True)
    ]
    parts: list[object] = [tag("h2", t("sources", lang).capitalize())] if heading else []
    parts.append(
        table([t("source", lang), t("symbol", lang), t("paragraph", lang), t("published", lang), t("kind", lang)], rows)
    )
    return join(parts)


def _published(row: dict, lang: str) -> str:
    """A source's day of publication; a day given by its declared rule says so, with the rule."""
    if not isinstance(row["published"], date):
        return ""
    day = fmt_date(row["published"], lang)
    rule = row.get("published_rule")
    return t("published_by_rule", lang, date=day, rule=rule) if rule else day


def footer(as_of: date, build_date: str, lang: str) -> Html:
    built = fmt_date(date.fromisoformat(build_date), lang) if build_date else fmt_date(as_of, lang)
    return tag("p", t("footer", lang, as_of=fmt_date(as_of, lang), build_date=built), css="mr-note")


def _source_label(frame: pl.DataFrame, source_id: str) -> str:
    rows = frame.filter(pl.col("source_id") == source_id).to_dicts()
    if not rows:
        return source_id
    row = rows[0]
    return f"{row['title']}" + (f" ({row['symbol']})" if row["symbol"] else "")


def _rule_details(row: dict[str, Any], lang: str) -> Html:
    """The rule's arithmetic behind a scorecard row's plain summary, one click away."""
    why = row.get("why") or ""
    if not why or why == row.get("summary"):
        return Html("")
    return folded(t("by_the_rule", lang), why, css="mr-why")


def scorecard(frame: pl.DataFrame, lang: str) -> Html:
    """The overview's table: each benchmark's status and why, score, latest figures and its report."""
    rows = [
        [
            r["benchmark"],
            relative_link(r["title"], r["report"]),
            join(
                [
                    badge(r["status"], lang),
                    Html(_review_mark(r.get("review_state"), r.get("review_status"), lang)),
                    tag("p", r.get("summary") or "", css="mr-why"),
                    tag("p", r.get("confidence") or "", css="mr-why mr-confidence")
                    if r.get("confidence")
                    else Html(""),
                    _rule_details(r, lang),
                ]
            ),
            describe_score(r["score"], r.get("score_basis"), r.get("points"), r.get("max_points"), lang),
            r["headline"],
        ]
        for r in frame.iter_rows(named=True)
    ]
    return table(
        [
            t("benchmark", lang),
            t("report", lang),
            t("status", lang),
            t("score_header", lang),
            t("latest_figures", lang),
        ],
        rows,
    )  # the score's unit said once, in its header


def _review_mark(state: str | None, status: str | None, lang: str) -> str:
    """The overview's mark of a reviewed status: the reviewed badge, or "to be reviewed again"."""
    if not state:
        return ""
    if state == "stale" or status is None:
        return f' <strong class="mr-review-stale">{escape(t("review.mark_stale", lang))}</strong>'
    return f" · {escape(t('review.mark', lang))} {badge(status, lang)}"


def relative_link(label: str, href: str) -> Html:
    """A link to a sibling report file (a plain file name, nothing else is accepted)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+\.html", href):  # benchmark-A.html, benchmark-10.html
        return escape(label)
    return Html(f'<a href="{escape(href)}">{escape(label)}</a>')


def data_link(label: str, table_name: str, roadmap: str, benchmark: str | None = None) -> Html:
    """A link from a report in reports/<roadmap>/<lang>/ to a CSV that render writes in
    reports/data/<roadmap>/ (`render.DOWNLOADS`, `pipelines.render.export`); names are checked so no
    data can shape the address."""
    name = table_name if benchmark is None else f"{table_name}-{benchmark}"
    if not re.fullmatch(r"[a-z_]+(-[A-Za-z0-9_-]+)?", name) or not re.fullmatch(r"[a-z0-9-]+", roadmap):
        return escape(label)
    return Html(f'<a href="../../data/{escape(roadmap)}/{escape(name)}.csv">{escape(label)}</a>')


def single_figures(views: Iterable[IndicatorView], sources: pl.DataFrame, lang: str) -> Html:
    """Indicators with one dated figure: the figure, its date and source, in words (a chart of
    one point would draw a dot across the years and say nothing of a trend)."""
    items = []
    for iv in views:
        rows = iv.observations.sort("source_id")
        cited = "; ".join(source_label(sources, s, lang) for s in rows["source_id"].unique(maintain_order=True))
        value = fmt_value(rows["value"][0], iv.indicator["unit"], lang)
        when = fmt_period(rows["period_start"][0], rows["period_end"][0], lang)
        items.append(t("single_figure", lang, name=iv.indicator[f"name_{lang}"], value=value, date=when, source=cited))
    return notes(items)


def notes(lines: Iterable[str]) -> Html:
    """Short notes as a list (a map's caption, the method's rules)."""
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return Html(f'<ul class="mr-note">{items}</ul>') if items else Html("")
