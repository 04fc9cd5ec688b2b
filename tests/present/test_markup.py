"""Text from the data is escaped everywhere, and only http(s) addresses become links."""

from __future__ import annotations

import pytest

from pipelines.present.markup import Html, escape, link, safe_url, table


def test_script_in_text_is_escaped() -> None:
    assert escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<script>" not in table(["title"], [["<script>alert(1)</script>"]])


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:x",
        "file:///etc/passwd",
        "//evil.example/x",
        "https://",
        'https://x.org/"onmouseover=alert(1)',
        None,
        "",
    ],
)
def test_non_http_urls_are_never_links(url: str | None) -> None:
    assert safe_url(url) is None
    assert "<a" not in link("source", url)


def test_http_links_are_kept_and_escaped() -> None:
    html = link("S/2021/300 <fr>", "https://undocs.org/fr/S/2021/300?a=1&b=2")
    assert html == (
        '<a href="https://undocs.org/fr/S/2021/300?a=1&amp;b=2" rel="noopener noreferrer">S/2021/300 &lt;fr&gt;</a>'
    )


def test_prebuilt_html_passes_through_tables() -> None:
    assert "<a href" in table(["source"], [[link("x", "https://example.org")]])
    assert isinstance(escape(Html("<b>ok</b>")), Html)
