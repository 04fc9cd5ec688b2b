"""How a source is named where a reader meets it: one home, so that every table of every
report names a source the same way, and never by its id alone.

A reader recognises a source by who published it, what it is called and when, and wants to
open it: ``World Bank — World Development Indicators, SG.GEN.PARL.ZS… (2025)``, linked. The id
(``wdi-ddf-2025-sg-gen-parl-zs``) is for the data files and the sources table of each report.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from pipelines.core.i18n import t
from pipelines.present.markup import Html, escape, link

#: Titles longer than this are cut (with "…") in a table cell; the sources table has them whole.
SHORT_TITLE = 70


def label(row: dict[str, Any], lang: str | None = None) -> str:
    """A source row as plain text, where a link cannot be drawn (a chart's legend or tooltip):
    publisher, short title, year, and in `lang` whether the year comes from a declared rule."""
    title = (row.get("title") or row["source_id"]).strip("[]")
    short = title if len(title) <= SHORT_TITLE else title[: SHORT_TITLE - 3].rstrip() + "…"
    published = row.get("published")
    year = f" ({published.year})" if isinstance(published, date) else ""
    if isinstance(published, date) and row.get("published_rule") and lang:
        year = f" ({published.year}, {t('dated_by_rule', lang)})"
    return f"{row['publisher']} — {short}{year}" if row.get("publisher") else f"{short}{year}"


def source_label(sources: pl.DataFrame | None, source_id: str | None, lang: str | None = None) -> str:
    """`label` of the source `source_id`; the id only when the source is not in `sources`."""
    rows = [] if sources is None or not source_id else sources.filter(pl.col("source_id") == source_id).to_dicts()
    return label(rows[0], lang) if rows else (source_id or "")


def source_labels(sources: pl.DataFrame | None, lang: str | None = None) -> dict[str, str]:
    """Every source's `label`, by id, each distinct: two sources that would read alike (two
    releases of one series the same year) are told apart by their ids."""
    if sources is None:
        return {}
    found = {r["source_id"]: label(r, lang) for r in sources.unique("source_id", keep="first").iter_rows(named=True)}
    seen: dict[str, int] = {}
    for text in found.values():
        seen[text] = seen.get(text, 0) + 1
    return {sid: text if seen[text] == 1 else f"{text} [{sid}]" for sid, text in found.items()}


def source_name(sources: pl.DataFrame | None, source_id: str | None, lang: str | None = None) -> Html:
    """A source as a reader recognises it, linked: publisher, short title, year; the id only
    when the source is not in `sources`. A source dated by its declared rule (no publication
    day was found) says so beside its year, in `lang`."""
    rows = [] if sources is None or not source_id else sources.filter(pl.col("source_id") == source_id).to_dicts()
    if not rows:
        return escape(source_id or "")
    return link(label(rows[0], lang), rows[0]["url"])
