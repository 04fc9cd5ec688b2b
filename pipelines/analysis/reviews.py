"""What a reviewer's judgement does to a status on a page: it stands beside it, never in its place.

A review (`pipelines.ingest.reviews`) names a target (a benchmark, a target indicator or a
milestone), the status the rule gave when the reviewer looked, and the reviewer's own status or
"agree", with reasons and sources. On a report as of a date:

* a review is known from its date (time travel): a report, or a history cell, dated before it
  does not show it. A review judges the data, not the world, so it neither moves a report's
  default date (`views.latest_known`) nor counts from later than the data it judged: one dated
  after the roadmap's latest data date (`known_from`) judged the very data of every report from
  that date on, and counts from that date, its own date printed beside it;
* of the reviews known, the latest of the target is the one shown;
* while the rule still gives the status the reviewer saw, the review is *agreed* or *changed*
  (the reviewed status is shown beside the computed one, with reviewer, date, reasons and
  sources); once the rule gives another status, the review is *stale*: shown as "to be reviewed
  again", its status never applied silently to a status it did not see.

The computed status stays the assessment's ``status``: a review never changes a figure nor the
rule's result, it is recorded beside them (``reviewed_status``, ``review_state``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from pipelines.core import statuses
from pipelines.core.i18n import fmt_date, t

#: What a review known on a date says of the status it reviewed (`Review.state`).
STATES = ("agreed", "changed", "stale")


@dataclass(frozen=True)
class Review:
    """The review of one target shown on a report, with what it says of today's computed status."""

    reviewer: str
    review_date: date
    #: The status (for a milestone, the level) the rule gave when the reviewer looked.
    seen_status: str
    #: The reviewer's status; None when the reviewer agreed.
    reviewed_status: str | None
    reasons_fr: str
    reasons_en: str
    source_ids: tuple[str, ...]
    #: The status the rule gives on the report's date.
    computed_status: str
    milestone: bool = False

    @property
    def state(self) -> str:
        """``stale`` once the rule's status is no longer the one reviewed; else ``agreed`` or
        ``changed``."""
        if self.computed_status != self.seen_status:
            return "stale"
        return "agreed" if self.reviewed_status is None else "changed"

    @property
    def status(self) -> str | None:
        """The reviewed status a page shows beside the computed one: the reviewer's, the computed
        one when the reviewer agreed, None when the review is stale (to be reviewed again)."""
        if self.state == "stale":
            return None
        return self.reviewed_status or self.seen_status

    def reasons(self, lang: str) -> str:
        return self.reasons_fr if lang == "fr" else self.reasons_en

    def label(self, status: str, lang: str) -> str:
        return t(f"milestone_status.{status}" if self.milestone else f"status.{status}", lang)

    def text(self, lang: str) -> str:
        """One sentence: who reviewed, when, what, and why; or that it is to be reviewed again."""
        who = t("review.by", lang, reviewer=self.reviewer, date=fmt_date(self.review_date, lang))
        if self.state == "stale":
            return t(
                "review.stale",
                lang,
                who=who,
                seen=self.label(self.seen_status, lang),
                now=self.label(self.computed_status, lang),
                reasons=self.reasons(lang),
            )
        return t(
            "review.agreed" if self.state == "agreed" else "review.changed",
            lang,
            who=who,
            status=self.label(self.status or self.seen_status, lang),
            seen=self.label(self.seen_status, lang),
            reasons=self.reasons(lang),
        )


def known_from(reviews: pl.DataFrame, latest: date | None) -> pl.DataFrame:
    """One roadmap's reviews with the day each counts from, ``known_from``: its own date, or the
    roadmap's latest data date (`latest`, `views.latest_known`) when it is later. After that day
    no figure nor event changes, so a review made later judged the data of every report dated
    from then on; counting it from its own date would hide it from the default report (dated
    by the data) or, if the default date followed the reviews, let a review move the date and
    so the statuses (a deadline passed, a figure grown old) it was meant to stand beside."""
    day = pl.col("review_date")
    return reviews.with_columns(known_from=day if latest is None else pl.min_horizontal(day, pl.lit(latest)))


def counted(reviews: pl.DataFrame) -> pl.Expr:
    """The day a review counts from: its ``known_from`` (`known_from`), or its date in a frame
    built without the roadmap's data (a bare table of reviews)."""
    return pl.col("known_from") if "known_from" in reviews.columns else pl.col("review_date")


def find(
    reviews: pl.DataFrame,
    benchmark: str,
    computed: str,
    as_of: date,
    *,
    indicator_id: str | None = None,
    milestone_id: str | None = None,
) -> Review | None:
    """The review of a target shown on a report as of ``as_of``: the latest dated by then, or
    None. `reviews` are one roadmap's; `computed` is the rule's status on ``as_of``."""
    mine = reviews.filter(
        (pl.col("benchmark") == benchmark)
        & (counted(reviews) <= as_of)
        & pl.col("indicator_id").eq_missing(pl.lit(indicator_id, dtype=pl.String))
        & pl.col("milestone_id").eq_missing(pl.lit(milestone_id, dtype=pl.String))
    )
    if mine.is_empty():
        return None
    row = mine.sort(["review_date", "line"]).row(-1, named=True)
    return Review(
        row["reviewer"],
        row["review_date"],
        row["computed_status"],
        row["reviewed_status"],
        row["reasons_fr"],
        row["reasons_en"],
        tuple((row["source_ids"] or "").split()),
        computed,
        milestone_id is not None,
    )


def cell_words(row: Mapping[str, Any], lang: str) -> str:
    """The review a status history row (`pipelines.analysis.history.HISTORY`) records beside its
    status, in words: who, when, which status; or that it is to be reviewed again. Empty when
    none. The chart's cells and the brief's strip say it the same way."""
    state = row.get("review_state")
    if not state:
        return ""
    who, when = row["reviewer"], fmt_date(row["review_date"], lang)
    if state == "stale":
        return t(
            "history.review_stale",
            lang,
            reviewer=who,
            date=when,
            seen=statuses.label(row["reviewed_status_computed"], lang),
        )
    return t("history.reviewed", lang, reviewer=who, date=when, status=statuses.label(row["reviewed_status"], lang))
