"""The one status vocabulary: every status a report can give a target or a benchmark, as data.

Each status has an id (what the tables, sidecars and downloads hold), a colour and the place it
takes when the parts of a benchmark are combined; its label and its one-line meaning (the
glossary, a badge's tooltip) are words, in each language's catalogue under ``status.<id>`` and
``status_meaning.<id>`` (`pipelines.core.i18n`). Badges, charts, maps, the history, the index, the
sidecars and the downloads take labels and colours from here; the badges' CSS is generated
from it (`badge_css`), and every colour carries white text at WCAG AA contrast (a test checks).

Three families:

* **judged**: the rule said something about the world at the report's date: before a
  target's date, the latest figure meets it (*achieved*) or the pace bands of Open SDG; on
  and after it, *achieved by the deadline* or *not achieved by the deadline*;
* **unknown**: the rule could not judge (*insufficient data*, *no recent data*);
* **not assessed**: nothing is measured against a target (*not yet in force* before the
  roadmap or benchmark exists, a context report, a benchmark retired or transferred).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipelines.core.i18n import t

Family = Literal["judged", "unknown", "not_assessed"]


@dataclass(frozen=True)
class StatusDef:
    """One status. ``rank`` orders a benchmark's parts: the highest rank is the least advanced
    part, which decides the benchmark (`least_advanced`)."""

    id: str
    colour: str
    family: Family
    rank: int

    def label(self, lang: str) -> str:
        return t(f"status.{self.id}", lang)

    def meaning(self, lang: str) -> str:
        return t(f"status_meaning.{self.id}", lang)


#: Every status, in the order a legend or a glossary lists them: judged best first, then the
#: unknowns, then what is not assessed.
VOCABULARY: tuple[StatusDef, ...] = (
    StatusDef("achieved_by_deadline", "#005C45", "judged", 0),
    StatusDef("achieved", "#007A5E", "judged", 1),
    StatusDef("on_track", "#00609E", "judged", 2),
    StatusDef("needs_acceleration", "#8A5A00", "judged", 5),
    StatusDef("limited_progress", "#A04A00", "judged", 6),
    StatusDef("deterioration", "#9C1F3C", "judged", 7),
    StatusDef("not_achieved_by_deadline", "#6E1030", "judged", 8),
    StatusDef("no_recent_data", "#6A5A80", "unknown", 3),
    StatusDef("insufficient_data", "#5B6470", "unknown", 4),
    StatusDef("not_yet_in_force", "#3F6B7A", "not_assessed", -1),
    StatusDef("not_assessed", "#4A4A4A", "not_assessed", -1),
    StatusDef("transferred", "#4A4A4A", "not_assessed", -1),
    StatusDef("retired", "#4A4A4A", "not_assessed", -1),
)

BY_ID: dict[str, StatusDef] = {s.id: s for s in VOCABULARY}
#: Every status id, in `VOCABULARY`'s order.
IDS: tuple[str, ...] = tuple(BY_ID)
#: The statuses a target's rule can give (a benchmark's parts).
ASSESSED: tuple[str, ...] = tuple(s.id for s in VOCABULARY if s.family != "not_assessed")
#: The two statuses a target can have on and after its date, once a figure dated by it is known.
DEADLINE: tuple[str, str] = ("achieved_by_deadline", "not_achieved_by_deadline")
#: The pace bands, which only a target whose date is still ahead can have.
PACE: tuple[str, ...] = ("on_track", "needs_acceleration", "limited_progress", "deterioration")
#: Text on every badge and chart mark of a status colour.
INK_ON_COLOUR = "#FFFFFF"


def label(status: str, lang: str) -> str:
    """A status as a reader reads it, in ``lang``."""
    return BY_ID[status].label(lang)


def colour(status: str) -> str:
    return BY_ID[status].colour


def least_advanced(statuses: list[str] | tuple[str, ...]) -> str:
    """The part that decides a benchmark: the least advanced status of its parts. An unknown
    part (no figure, no recent figure) stops a benchmark from being achieved or on track, but a
    part known to lag says more than one not known at all. No part: insufficient data."""
    if not statuses:
        return "insufficient_data"
    return max(statuses, key=lambda s: BY_ID[s].rank)


def badge_css() -> str:
    """The badges' CSS, one rule per status, from the vocabulary's colours."""
    rules = [f".mr-{s.id}{{background:{s.colour}}}" for s in VOCABULARY]
    # a label is never cut nor broken inside a word (on a phone, its column widens and scrolls)
    return (
        f".mr-badge{{display:inline-block;padding:.15em .6em;border-radius:1em;font-weight:600;"
        f"white-space:nowrap;color:{INK_ON_COLOUR}}}" + "".join(rules)
    )


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""

    def luminance(colour_: str) -> float:
        channels = [int(colour_.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
