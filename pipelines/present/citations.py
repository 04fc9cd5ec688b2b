"""How a source is named where a reader meets it: one home, so that every table of every
report names a source the same way, and never by its id alone.

A reader recognises a source by who published it, what it is called and when, and wants to
open it: ``World Bank — World Development Indicators, SG.GEN.PARL.ZS… (2025)``, linked. The id
(``wdi-ddf-2025-sg-gen-parl-zs``) is for the data files and the sources table of each report.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from pipelines.core.i18n import t
from pipelines.present.markup import Html, escape, link

#: Titles longer than this are cut (with "…") in a table cell; the sources table has them whole.
SHORT_TITLE = 70


def source_name(sources: pl.DataFrame | None, source_id: str | None, lang: str | None = None) -> Html:
    """A source as a reader recognises it, linked: publisher, short title, year; the id only
    when the source is not in `sources`. A source dated by its declared rule (no publication
    day was found) says so beside its year, in `lang`."""
    rows = [] if sources is None or not source_id else sources.filter(pl.col("source_id") == source_id).to_dicts()
    if not rows:
        return escape(source_id or "")
    r = rows[0]
    title = r["title"].strip("[]")
    short = title if len(title) <= SHORT_TITLE else title[:SHORT_TITLE - 3].rstrip() + "…"
    year = f" ({r['published'].year})" if isinstance(r["published"], date) else ""
    if year and r.get("published_rule") and lang:
        year = f" ({r['published'].year}, {t('dated_by_rule', lang)})"
    label = f"{r['publisher']} — {short}{year}" if r["publisher"] else f"{short}{year}"
    return link(label, r["url"])
