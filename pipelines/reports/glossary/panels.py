"""The glossary: each term a report uses, said once in plain words, in French and English. The
statuses come from the one vocabulary (`pipelines.core.statuses`: label, meaning, colour), the
other terms from the string table (``glossary.<term>``), so a page and its glossary cannot
drift apart."""

from __future__ import annotations

from pipelines.core import statuses
from pipelines.core.i18n import t
from pipelines.present.markup import Html, escape, table
from pipelines.present.panels import badge
from pipelines.reports.glossary.terms import TERMS


def status_table(lang: str) -> Html:
    """Every status: its badge (its colour and its words) and what it means."""
    rows = [[badge(s.id, lang), s.meaning(lang)] for s in statuses.VOCABULARY]
    return table([t("status", lang), t("glossary.means", lang)], rows, css="data mr-stack")  # stacked on a phone


def terms_table(lang: str) -> Html:
    """Every other term and its plain definition."""
    rows = [
        [Html(f"<strong>{escape(t(f'glossary.{k}', lang))}</strong>"), t(f"glossary.{k}.text", lang)] for k in TERMS
    ]
    return table([t("glossary.term", lang), t("glossary.means", lang)], rows, css="data mr-stack")
