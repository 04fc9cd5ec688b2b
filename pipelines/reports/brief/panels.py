"""The one-page brief of a roadmap: what an evaluator reads in thirty seconds, on a phone or on
one printed A4 page. Every benchmark's status and its plain summary (the assessment's own
sentences), a strip of its status at the last quarter ends, the statuses that changed since
the previous quarter end, and the date and sources in a line. Nothing is computed here: the
rows are `views.scorecard`'s, the strip `history.status_history`'s and the changes
`history.changes`'; this module only lays them out, compactly."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import polars as pl

from pipelines.analysis import reviews
from pipelines.core import statuses
from pipelines.core.i18n import fmt_date, t
from pipelines.present.markup import Html, escape, join, table, tag
from pipelines.present.panels import badge, relative_link

#: Quarter ends (and the report's date) the strip shows: a year of movement at a glance.
STRIP_COLUMNS = 5

#: The brief's own layout: small type and no page margins of its own, so that every roadmap's
#: benchmarks fit one A4 page when printed (a test prints each in both languages).
STYLE = Html(
    "<style>.mr-brief{border-collapse:collapse;width:100%;font-size:.92em}"
    ".mr-brief td,.mr-brief th{border-bottom:1px solid #d5d9de;padding:.3em .4em;vertical-align:top;text-align:left}"
    ".mr-brief td:first-child{white-space:nowrap;font-weight:600}"
    ".mr-strip{display:inline-flex;gap:2px;margin-top:.25em}"
    ".mr-strip span{display:inline-block;width:1.1em;height:.8em;border-radius:2px;box-sizing:border-box}"
    # a reviewed status is framed, dashed when it is to be reviewed again (as in the history chart)
    ".mr-strip span.mr-reviewed{border:2px solid #ffd400;box-shadow:0 0 0 1px #111}"
    ".mr-strip span.mr-review-again{border:2px dashed #ffd400;box-shadow:0 0 0 1px #111}"
    ".mr-brief-line{font-size:.85em;color:#4a525a}"
    # on paper, small type and tight rows: every roadmap's benchmarks on one A4 page
    "@media print{.mr-brief{font-size:7.5pt}.mr-brief td,.mr-brief th{padding:.15em .3em}"
    ".mr-brief-line{font-size:7.5pt}h1{font-size:13pt;margin:.1em 0}h2{font-size:10pt;margin:.3em 0 .1em}"
    ".mr-brief .mr-badge{font-size:7pt}body>footer{display:none}.mr-strip span{height:.6em}}</style>"
)


def intro(text: str, history: pl.DataFrame, lang: str) -> Html:
    """The brief's opening line (`text`), and how to read a framed strip cell when one is drawn."""
    framed = history["review_state"].is_not_null().any()
    return tag("p", text + (" " + t("brief.framed", lang) if framed else ""), css="mr-brief-line")


def strip(history: pl.DataFrame, letter: str, lang: str) -> Html:
    """A benchmark's status at the last `STRIP_COLUMNS` dates of `history`, as small coloured
    cells, each with its date and status written for a reader who cannot see colours."""
    rows = (
        history.filter((pl.col("benchmark") == letter) & pl.col("indicator_id").is_null())
        .sort("date")
        .tail(STRIP_COLUMNS)
    )
    cells = []
    for r in rows.iter_rows(named=True):
        words = t("status_at", lang, date=fmt_date(r["date"], lang), status=statuses.label(r["status"], lang))
        review = reviews.cell_words(r, lang)
        words += f"; {review}" if review else ""
        framed = {"stale": " mr-review-again", None: ""}.get(r["review_state"], " mr-reviewed")
        cells.append(
            f'<span class="mr-{escape(r["status"])}{framed}" title="{escape(words)}" role="img" '
            f'aria-label="{escape(words)}"></span>'
        )
    return Html(f'<span class="mr-strip">{"".join(cells)}</span>') if cells else Html("")


def judgement(row: dict[str, Any], lang: str) -> Html:
    """How much to trust the status (its grade; the reasons are on the page) and whether a
    reviewer signed it, in one short line."""
    parts = []
    if row.get("confidence_grade"):
        parts.append(t("brief.confidence", lang, grade=t(f"trust.grade.{row['confidence_grade']}", lang)))
    state = row.get("review_state")
    if state == "stale":
        parts.append(t("review.mark_stale", lang))
    elif state == "agreed":
        parts.append(t("brief.review_agreed", lang))
    elif state == "changed":
        parts.append(t("brief.review_changed", lang, status=statuses.label(row["review_status"], lang)))
    return tag("span", " · ".join(parts), css="mr-brief-line") if parts else Html("")


def brief_table(scores: pl.DataFrame, history: pl.DataFrame, lang: str) -> Html:
    """One row per benchmark: its letter and link, its status, strip, confidence and review,
    its plain summary (stacked on a phone: `mr-stack`)."""
    rows = [
        [
            relative_link(r["benchmark"], r["report"]),
            join(
                [
                    badge(r["status"], lang),
                    Html("<br>"),
                    strip(history, r["benchmark"], lang),
                    Html("<br>"),
                    judgement(r, lang),
                ]
            ),
            r["summary"] or "",
        ]
        for r in scores.iter_rows(named=True)
    ]
    return table([t("benchmark", lang), t("status", lang), t("brief.why", lang)], rows, css="mr-brief mr-stack")


def changed(changes: pl.DataFrame, since: date, lang: str) -> Html:
    """The benchmarks whose status changed since ``since``, one line each, or that none did."""
    moved = changes.filter((pl.col("kind") == "status_changed") & pl.col("indicator_id").is_null()).sort("benchmark")
    if moved.is_empty():
        return tag("p", t("brief.no_change", lang, since=fmt_date(since, lang)), css="mr-brief-line")
    items = [
        tag(
            "li",
            t(
                "brief.change",
                lang,
                benchmark=r["benchmark"],
                old=statuses.label(r["old_status"], lang) if r["old_status"] else t("brief.no_status", lang),
                new=statuses.label(r["new_status"], lang),
            ),
        )
        for r in moved.iter_rows(named=True)
    ]
    return join(
        [
            tag("p", t("brief.changed", lang, since=fmt_date(since, lang)), css="mr-brief-line"),
            Html(f'<ul class="mr-brief-line">{"".join(str(i) for i in items)}</ul>'),
        ]
    )


def sources_line(symbol: str, published: date, cited: Sequence[str], day: date, lang: str) -> Html:
    """Date and sources in one line: the roadmap, how many sources the figures and events rest
    on, where the full list is."""
    return tag(
        "p",
        t(
            "brief.sources",
            lang,
            symbol=symbol,
            published=fmt_date(published, lang),
            count=len(cited),
            date=fmt_date(day, lang),
        ),
        css="mr-brief-line",
    )
