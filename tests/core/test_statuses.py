"""The one status vocabulary: every status has both labels, a meaning and a readable colour."""

from __future__ import annotations

from pipelines.core import statuses
from pipelines.core.i18n import LANGS, t
from pipelines.present import panels, theme


def test_every_status_has_both_labels_a_meaning_and_a_colour_that_reads_at_wcag_aa() -> None:
    for s in statuses.VOCABULARY:
        for lang in LANGS:
            assert s.label(lang) == t(f"status.{s.id}", lang) == statuses.label(s.id, lang), (s.id, lang)
            assert s.meaning(lang) == t(f"status_meaning.{s.id}", lang) and s.meaning(lang).endswith("."), (s.id, lang)
        assert statuses.contrast(statuses.INK_ON_COLOUR, s.colour) >= 4.5, s.id


def test_badges_and_charts_take_one_colour_per_status_from_the_vocabulary() -> None:
    for s in statuses.VOCABULARY:
        assert f".mr-{s.id}{{background:{s.colour}}}" in panels.STYLE
        assert theme.STATUS_COLOURS[s.id] == s.colour
    assert 'mr-not_achieved_by_deadline">not achieved by the deadline<' in panels.badge(
        "not_achieved_by_deadline", "en"
    )


def test_the_vocabulary_can_say_not_achieved_and_why_nothing_is_judged() -> None:
    assert set(statuses.DEADLINE) == {"achieved_by_deadline", "not_achieved_by_deadline"}
    assert {"no_recent_data", "insufficient_data", "not_yet_in_force"} <= set(statuses.IDS)
    # the deadline's "not achieved" is the least advanced of all: it decides a benchmark
    assert statuses.least_advanced(list(statuses.ASSESSED)) == "not_achieved_by_deadline"
