"""The panels of the reports that are not about one benchmark (notebooks/women_quota.ipynb,
notebooks/ddr.ipynb, notebooks/poverty_wash.ipynb, notebooks/roadmap_figures.ipynb): a title
with the question the report answers, a status badge where the roadmap sets a criterion, and
titled tables of figures.

Apart from `panels` (a benchmark's view) because these take plain titles and rows, not a
`BenchmarkView`; they keep its look (`panels.STYLE`, the badge, the criterion's label).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import polars as pl

from pipelines.analysis.figures import period_text, value_text
from pipelines.core.i18n import fmt_date, t
from pipelines.present.citations import source_name
from pipelines.present.markup import Html, escape, join, table, tag
from pipelines.present.panels import STYLE, badge, criterion_label


def thematic_header(
    title: str,
    intro: str,
    status: str,
    as_of: date,
    lang: str,
    criterion: str | None = None,
    paragraph: int | None = None,
    symbol: str = "",
    confidence: str = "",
) -> Html:
    """Title, the question the report answers, the roadmap's criterion when there is one, and
    the status at the report's date (the badge of the benchmark reports)."""
    parts: list[object] = [STYLE, tag("h1", title), tag("p", intro)]
    if criterion:
        parts += [
            tag("p", criterion_label(symbol, paragraph, lang), css="mr-note"),
            Html(f'<blockquote class="mr-criterion">{escape(criterion)}</blockquote>'),
        ]
    status_text = t("status_at", lang, date=fmt_date(as_of, lang), status="").rstrip(" :")
    parts.append(Html(f"<p><strong>{escape(status_text)}</strong> {badge(status, lang)}</p>"))
    if confidence:  # how much to trust it, as the benchmark's report says (pipelines.analysis.confidence)
        parts.append(tag("p", confidence, css="mr-note mr-confidence"))
    return join(parts)


def report_intro(title: str, paragraphs: Iterable[str]) -> Html:
    """A thematic report's title and the paragraphs that say what it answers and how."""
    return join([STYLE, tag("h1", title), *(tag("p", p) for p in paragraphs)])


def figures_table(
    heading: str, headers: Iterable[object], rows: Iterable[Iterable[object]], note: str = "", level: str = "h2"
) -> Html:
    """A titled table of figures, with the note saying where they come from or how they
    were computed (every number of a report is cited or labelled arithmetic)."""
    parts: list[object] = [tag(level, heading)] if heading else []
    parts.append(table(list(headers), [list(r) for r in rows]))
    if note:
        parts.append(tag("p", note, css="mr-note"))
    return join(parts)


def side_by_side_rows(
    frame: pl.DataFrame, indicators: pl.DataFrame, sources: pl.DataFrame, lang: str
) -> list[list[str]]:
    """Rows of the side-by-side table: what, when, value, source (named, linked), agreement, note."""
    names = {r["indicator_id"]: r[f"name_{lang}"] for r in indicators.iter_rows(named=True)}
    units = {r["indicator_id"]: r["unit"] for r in indicators.iter_rows(named=True)}
    has_counts = "women" in frame.columns
    rows = []
    for r in frame.iter_rows(named=True):
        counts = (r["women"], r["seats"]) if has_counts else (None, None)
        rows.append(
            [
                names.get(r["indicator_id"], r["indicator_id"]),
                period_text(r["period_start"], r["period_end"], lang),
                value_text(r["value"], units.get(r["indicator_id"], ""), lang, *counts),
                source_name(sources, r["source_id"], lang),
                t(f"confidence.{r['confidence']}", lang),
                t("wq_ddr.agree" if r["agree"] else "wq_ddr.disagree", lang),
                r["note"] or "",
            ]
        )
    return rows
