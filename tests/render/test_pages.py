"""A page's frame: its links to the same report in every other language the build makes."""

from __future__ import annotations

import pytest

from pipelines.render import pages
from pipelines.run import checks

ENTRY = {"lang": "fr", "report_id": "ddr", "roadmap": "s-2021-300", "parameters": {}}


def test_a_page_links_to_its_report_in_the_other_language_else_to_that_languages_index() -> None:
    built = pages.report_context(ENTRY, {"s-2021-300/en/ddr"}, "abc")
    assert built["others"] == [{"href": "../en/ddr.html", "lang": "en", "label": "English"}]
    missing = pages.report_context(ENTRY, set(), "abc")
    assert [o["href"] for o in missing["others"]] == ["../en/index.html"]


def test_with_a_third_language_a_page_links_to_each_other_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "LANGS", ("fr", "en", "es"))
    words = {lang: pages.ui(lang) for lang in ("fr", "en")}
    monkeypatch.setattr(pages, "ui", lambda lang: words.get(lang) or {**words["en"], "language": "Español"})
    context = pages.report_context(ENTRY, {"s-2021-300/es/ddr"}, "abc")
    assert [(o["lang"], o["href"]) for o in context["others"]] == [("en", "../en/index.html"), ("es", "../es/ddr.html")]
    html = pages.render_index("fr", [], ["en", "es"], quality=False, data_checksum="abc")
    assert 'hreflang="en"' in html and 'hreflang="es"' in html
