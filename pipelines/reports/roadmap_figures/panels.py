"""The tables of notebooks/roadmap_figures.ipynb: the roadmap's figures against the data (`sums`),
each with its quote, its verdict and the matches that decide it.

Apart from the common `panels` because they show an audit of the roadmap's text, not a
benchmark; the audit's dot chart is `charts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from pipelines.core.i18n import fmt_date, fmt_period, fmt_value, t
from pipelines.present.citations import source_name
from pipelines.present.markup import Html, escape, join, table, tag

if TYPE_CHECKING:
    from pipelines.reports.roadmap_figures.sums import Audit, Match


def _match_cell(m: Match | None, unit: str, lang: str, sources: pl.DataFrame) -> Html:
    if m is None:
        return escape(t("not_available", lang))
    from pipelines.reports.roadmap_figures.sums import gap_text

    value = fmt_value(m.value, unit, lang)
    if m.counted:  # what the target's rule counts, as on every other page, not the published figure
        value = t("claims.counted_value", lang, value=value)
    gap = (
        f"{t('rf.gap', lang)} {gap_text(m.gap, unit, lang)}"
        f" · {t('claims.fits' if m.fits else 'claims.does_not_fit', lang)}"
    )
    return Html(
        f'<strong>{escape(value)}</strong><br><span class="mr-note">'
        f"{escape(fmt_period(m.period_start, m.period_end, lang))} · {source_name(sources, m.source_id, lang)}"
        f" · {escape(gap)}</span>"
    )


def claims_summary(audits: Sequence[Audit], lang: str) -> Html:
    """One line per kind of claim: how many got each verdict."""
    from pipelines.reports.roadmap_figures.sums import VERDICTS

    parts = []
    for kind in ("figure", "target"):
        mine = [a for a in audits if a.claim.kind == kind]
        if not mine:
            continue
        detail = "; ".join(
            f"{sum(a.verdict == v for a in mine)} {t(f'claims.verdict.{kind}.{v}', lang)}"
            for v in VERDICTS
            if any(a.verdict == v for a in mine)
        )
        parts.append(tag("p", t(f"rf.summary.{kind}", lang, count=len(mine), detail=detail)))
    return join(parts)


def claims_table(audits: Sequence[Audit], lang: str, roadmap_date: date, as_of: date, sources: pl.DataFrame) -> Html:
    """Each roadmap figure, its quote, its verdict and the figures that decide and explain it."""
    rows = []
    for a in audits:
        c = a.claim
        claim_cell = Html(
            f"<strong>{escape(c.figure_text(lang))}</strong> — {escape(c.name(lang))}<br>"
            f'<span class="mr-note">{escape(t("rf.quote", lang, quote=c.quote_fr))}</span>'
        )
        verdict = Html(
            f"<strong>{escape(a.verdict_text(lang))}</strong><br>"
            f'<span class="mr-note">{escape(t(f"claims.kind.{c.kind}", lang))}</span>'
        )
        rows.append(
            [
                f"§ {c.paragraph}",
                claim_cell,
                verdict,
                _match_cell(a.newest, c.unit, lang, sources),
                _match_cell(a.best_before, c.unit, lang, sources),
                _match_cell(a.best_any, c.unit, lang, sources),
            ]
        )
    when, upto = fmt_date(roadmap_date, lang), fmt_date(as_of, lang)
    return table(
        [
            "§",
            t("rf.col.claim", lang),
            t("claims.verdict", lang),
            t("rf.col.newest", lang, date=when),
            t("rf.col.best_before", lang, date=when),
            t("rf.col.best_any", lang, date=upto),
        ],
        rows,
    )


def related_table(
    audits: Sequence[Audit], indicators: pl.DataFrame, lang: str, roadmap_date: date, sources: pl.DataFrame
) -> Html:
    """Nearby series' best matches up to the roadmap's date (they never decide a verdict)."""
    names = {r["indicator_id"]: r[f"name_{lang}"] for r in indicators.iter_rows(named=True)}
    rows = []
    for a in audits:
        for m in a.related:
            name = names.get(m.indicator_id, m.indicator_id)
            label = t("rf.complement", lang, name=name) if m.complement else name
            rows.append(
                [
                    f"§ {a.claim.paragraph}",
                    f"{a.claim.figure_text(lang)} — {a.claim.name(lang)}",
                    label,
                    _match_cell(m, a.claim.unit, lang, sources),
                ]
            )
    if not rows:
        return Html("")
    return join(
        [
            tag("h2", t("rf.related_heading", lang)),
            tag("p", t("rf.related_note", lang), css="mr-note"),
            table(
                [
                    "§",
                    t("rf.col.claim", lang),
                    t("rf.col.related", lang),
                    t("rf.col.best_before", lang, date=fmt_date(roadmap_date, lang)),
                ],
                rows,
            ),
        ]
    )
