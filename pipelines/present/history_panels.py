"""What a notebook shows of the status history and of the changes since a date.

The sums are `pipelines.analysis.history`'s; here they become words and a chart, in French or English,
every change with its source. The CSV of what a page shows travels inside the page (a
``data:text/csv`` link), so a reader offline downloads exactly the rows on screen.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import date

import altair as alt
import polars as pl

from pipelines.analysis import history
from pipelines.analysis.views import BenchmarkView, Tables, benchmark_order, benchmark_view
from pipelines.core import geo
from pipelines.core.csvsafe import csv_bytes
from pipelines.core.i18n import fmt_date, fmt_period, fmt_value, t
from pipelines.present import charts
from pipelines.present.citations import source_name
from pipelines.present.markup import Html, escape, join, link, table, tag

#: A page stays within its size budget (1.5 MB, see `pipelines.bench`) whatever the data: at
#: most this many changes of each kind are listed, at most this many strip rows drawn, and a
#: CSV is carried in the page only up to this many bytes (the downloads in reports/data hold
#: every figure, with the day it became known, for the rest).
MAX_CHANGES_LISTED = 40
MAX_STRIP_INDICATORS = 12
MAX_EMBEDDED_CSV = 256 * 1024


def csv_link(frame: pl.DataFrame, filename: str, label: str, lang: str) -> Html:
    """A link that downloads ``frame`` as a spreadsheet-safe CSV carried by the page itself, or,
    past `MAX_EMBEDDED_CSV`, a sentence saying where the rows are instead."""
    data = csv_bytes(frame)
    if len(data) > MAX_EMBEDDED_CSV:
        return Html(escape(t("csv_too_large", lang, rows=frame.height, size=f"{len(data) / 2**20:.1f}")))
    payload = base64.b64encode(data).decode("ascii")
    return Html(
        f'<a download="{escape(filename)}" href="data:text/csv;charset=utf-8;base64,{payload}">{escape(label)}</a>'
    )


def history_chart(tables: Tables, frame: pl.DataFrame, lang: str, benchmark: str | None = None) -> alt.LayerChart:
    """The overview's chart (every benchmark, one row each) or a benchmark report's strip (the
    benchmark, then each of its target indicators)."""
    if benchmark is None:
        letters = benchmark_order(tables.benchmarks["benchmark"].to_list())
        labels = {b: f"{t('benchmark', lang).capitalize()} {b}" for b in letters}
        title = t("history.title", lang)
    else:
        labels = {benchmark: f"{t('benchmark', lang).capitalize()} {benchmark}"}
        own = frame.filter((pl.col("benchmark") == benchmark) & pl.col("indicator_id").is_not_null())
        for indicator_id in list(dict.fromkeys(own["indicator_id"].to_list()))[:MAX_STRIP_INDICATORS]:
            labels[f"{benchmark}/{indicator_id}"] = tables.indicator(indicator_id)[f"name_{lang}"]
        title = t("history.strip_title", lang)
    return charts.history_chart(frame, labels, lang, title)


def history_note(frame: pl.DataFrame, roadmap_id: str, lang: str) -> Html:
    """How to read the history (and its reviewed cells, when it has any), and its CSV."""
    reviewed = frame["review_state"].is_not_null().any()
    return join(
        [
            tag(
                "p", t("history.note", lang) + (" " + t("history.review_note", lang) if reviewed else ""), css="mr-note"
            ),
            tag("p", csv_link(frame, f"{roadmap_id}-history.csv", t("history.csv", lang), lang), css="mr-note"),
        ]
    )


def since_section(
    tables: Tables,
    frame: pl.DataFrame,
    since: date,
    as_of: date,
    lang: str,
    *,
    heading: bool = True,
    filename: str = "changes.csv",
    statuses_only: bool = False,
) -> Html:
    """ "Since <date>": the statuses that moved (with why, as the report of ``as_of`` says it),
    the milestone events, the figures revised and added, the sources published; or "No change
    since <date>" ("no status changed" for a frame of status changes only, ``statuses_only``).
    ``frame`` is `history.changes` (already `history.scoped` to the report)."""
    parts: list[object] = [tag("h2", t("since.title", lang, date=fmt_date(since, lang)))] if heading else []
    if frame.is_empty():
        parts.append(
            tag(
                "p",
                t(
                    "since.no_status_change" if statuses_only else "since.none",
                    lang,
                    since=fmt_date(since, lang),
                    as_of=fmt_date(as_of, lang),
                ),
            )
        )
        return join(parts)
    parts.append(
        tag("p", t("since.intro", lang, since=fmt_date(since, lang), as_of=fmt_date(as_of, lang)), css="mr-note")
    )
    views: dict[str, BenchmarkView] = {}  # each benchmark's report of as_of, built once for its status changes
    for kind in history.KINDS:
        rows = frame.filter(pl.col("kind") == kind)
        if rows.is_empty():
            continue
        # under the section's own h2, or straight under the page's h1 when it has none (an ordered outline)
        parts.append(tag("h3" if heading else "h2", t(f"since.{kind}", lang, count=rows.height)))
        parts.append(
            table(
                [t("since.what", lang), t("since.change", lang), t("date", lang), t("source", lang)],
                [_row(tables, r, as_of, lang, views) for r in rows.head(MAX_CHANGES_LISTED).iter_rows(named=True)],
            )
        )
        if rows.height > MAX_CHANGES_LISTED:
            parts.append(tag("p", t("since.more", lang, count=rows.height - MAX_CHANGES_LISTED), css="mr-note"))
    parts.append(tag("p", csv_link(frame, filename, t("since.csv", lang), lang), css="mr-note"))
    return join(parts)


def since_for(
    tables: Tables,
    changes: pl.DataFrame,
    since: date,
    as_of: date,
    lang: str,
    *,
    benchmarks: Sequence[str] = (),
    indicators: Sequence[str] = (),
    statuses_only: bool = False,
    heading: bool = True,
) -> Html:
    """A report's "Since" section: `changes` (`history.changes` from ``since`` to ``as_of``,
    computed once by the report's context, which also shows them as a table) of its benchmarks
    or indicators; with ``statuses_only`` (the overview) the benchmarks' status changes, and a
    link to the page that lists every change."""
    if statuses_only:
        shown = changes.filter((pl.col("kind") == "status_changed") & pl.col("indicator_id").is_null())
        more = tag("p", link(t("since.all_changes", lang, count=changes.height), "changes.html"), css="mr-note")
        return join(
            [
                since_section(
                    tables,
                    shown,
                    since,
                    as_of,
                    lang,
                    filename="status-changes.csv",
                    statuses_only=True,
                    heading=heading,
                ),
                more,
            ]
        )
    return since_section(tables, history.scoped(changes, benchmarks, indicators), since, as_of, lang, heading=heading)


def _row(tables: Tables, r: dict, as_of: date, lang: str, views: dict[str, BenchmarkView]) -> Sequence[object]:
    """One change as a table row: what changed, how (and why, for a status), when, on what source."""
    sources = tables.sources
    kind = r["kind"]
    if kind == "status_changed":
        if r["benchmark"] not in views:
            views[r["benchmark"]] = benchmark_view(tables, r["benchmark"], lang, as_of)
        view = views[r["benchmark"]]
        if r["indicator_id"] is None:
            what, why = view.title, view.status_why()
        else:
            iv = next(v for v in view.indicators if v.indicator["indicator_id"] == r["indicator_id"])
            what, why = iv.indicator[f"name_{lang}"], iv.why(lang)
        change = f"{_status(r['old_status'], lang)} → {_status(r['new_status'], lang)}. {why}"
        return [what, change, fmt_date(r["date"], lang), ""]
    if kind == "reviewed":
        review = tables.reviews.filter(
            (pl.col("benchmark") == r["benchmark"])
            & (pl.col("review_date") == r["date"])
            & pl.col("indicator_id").eq_missing(pl.lit(r["indicator_id"], dtype=pl.String))
            & pl.col("milestone_id").eq_missing(pl.lit(r["milestone_id"], dtype=pl.String))
        )
        row = review.row(0, named=True)
        label = (lambda s: t(f"milestone_status.{s}", lang)) if r["milestone_id"] else (lambda s: _status(s, lang))
        what = " — ".join(x for x in (r["benchmark"], r["indicator_id"] or r["milestone_id"]) if x)
        change = (
            f"{t('review.heading', lang)}{' :' if lang == 'fr' else ':'} {label(r['old_status'])} → "
            f"{label(r['new_status'])} ({row['reviewer']}). {row[f'reasons_{lang}']}"
        )
        return [
            what,
            change,
            fmt_date(r["date"], lang),
            source_name(sources, r["new_source_id"], lang) if r["new_source_id"] else "",
        ]
    if kind == "event":
        milestone = tables.milestones.filter(
            (pl.col("benchmark") == r["benchmark"]) & (pl.col("milestone_id") == r["milestone_id"])
        ).row(0, named=True)
        event = tables.events.filter(
            (pl.col("benchmark") == r["benchmark"])
            & (pl.col("milestone_id") == r["milestone_id"])
            & (pl.col("date") == r["date"])
            & (pl.col("source_id") == r["new_source_id"])
        )
        described = event[f"description_{lang}"][0] if event.height and event[f"description_{lang}"][0] else ""
        old, new = (t(f"milestone_status.{r[key]}", lang) for key in ("old_status", "new_status"))
        change = f"{old} → {new}"
        return [
            f"{r['benchmark']} — {milestone[f'name_{lang}']}",
            f"{change}. {described}".rstrip(". ") + ".",
            fmt_date(r["date"], lang),
            source_name(sources, r["new_source_id"], lang),
        ]
    if kind in ("figure_added", "figure_revised"):
        indicator = tables.indicator(r["indicator_id"])
        unit = indicator["unit"]
        place = geo.name(r["geo_code"], lang=lang)
        what = f"{indicator[f'name_{lang}']} — {place}, {fmt_period(r['period_start'], r['period_end'], lang)}"
        if kind == "figure_revised":
            change = join(
                [
                    fmt_value(r["old_value"], unit, lang),
                    " (",
                    source_name(sources, r["old_source_id"], lang),
                    ") → ",
                    fmt_value(r["new_value"], unit, lang),
                ]
            )
        else:
            change = fmt_value(r["new_value"], unit, lang)
        return [what, change, fmt_date(r["date"], lang), source_name(sources, r["new_source_id"], lang)]
    return [
        t("since.source", lang),
        "",
        fmt_date(r["date"], lang) if r["date"] else "—",
        source_name(sources, r["new_source_id"], lang),
    ]


def _status(status: str | None, lang: str) -> str:
    return t(f"status.{status}", lang) if status else "—"
