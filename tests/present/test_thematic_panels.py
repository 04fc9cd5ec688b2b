"""A thematic report's header cites the criterion of its own roadmap, and quotes none when the
roadmap sets none."""

from __future__ import annotations

from datetime import date
from html import unescape

from pipelines.present import thematic_panels

AS_OF = date(2021, 3, 25)


def test_a_thematic_header_cites_its_roadmaps_symbol() -> None:
    html = thematic_panels.thematic_header(
        "DDR", "intro", "on_track", AS_OF, "fr", criterion="2 000 intégrés", paragraph=10, symbol="S/2021/300"
    )
    assert "Critère de référence (S/2021/300, § 10)" in unescape(html)
    assert "<blockquote" not in thematic_panels.thematic_header("T", "i", "not_assessed", AS_OF, "en")
