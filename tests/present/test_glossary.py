"""The glossary says every status and every term once, in each language, from the one vocabulary."""

from __future__ import annotations

from html import unescape

import pytest

from pipelines.core import statuses
from pipelines.core.i18n import t
from pipelines.reports.glossary import panels as glossary
from pipelines.reports.glossary.terms import TERMS


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_glossary_gives_every_status_its_badge_and_meaning(lang: str) -> None:
    page = unescape(str(glossary.status_table(lang)))
    for s in statuses.VOCABULARY:
        assert f'<span class="mr-badge mr-{s.id}">{s.label(lang)}</span>' in page
        assert s.meaning(lang) in page


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_glossary_defines_each_term_once(lang: str) -> None:
    page = unescape(str(glossary.terms_table(lang)))
    for term in TERMS:
        assert page.count(f"<strong>{t(f'glossary.{term}', lang)}</strong>") == 1
        assert t(f"glossary.{term}.text", lang) in page
    other = "en" if lang == "fr" else "fr"
    assert t("glossary.pace.text", other) not in page  # one language per page
