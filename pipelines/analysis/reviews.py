"""What a reviewer's judgement does to a status on a page: it stands beside it, never in its place.

A review (`pipelines.ingest.reviews`) names a target (a benchmark, a target indicator or a
milestone), the status the rule gave when the reviewer looked, and the reviewer's own status or
"agree", with reasons and sources. On a report as of a date:

* a review dated after that date is not known yet and not shown (time travel);
* of the reviews known, the latest of the target is the one shown;
* while the rule still gives the status the reviewer saw, the review is *agreed* or *changed*
  (the reviewed status is shown beside the computed one, with reviewer, date, reasons and
  sources); once the rule gives another status, the review is *stale*: shown as "to be reviewed
  again", its status never applied silently to a status it did not see.

The computed status stays the assessment's ``status``: a review never changes a figure nor the
rule's result, it is recorded beside them (``reviewed_status``, ``review_state``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

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
            return t("review.stale", lang, who=who, seen=self.label(self.seen_status, lang),
                     now=self.label(self.computed_status, lang), reasons=self.reasons(lang))
        return t("review.agreed" if self.state == "agreed" else "review.changed", lang, who=who, status=self.label(self.status or self.seen_status, lang),
                 seen=self.label(self.seen_status, lang), reasons=self.reasons(lang))


def find(reviews: pl.DataFrame, benchmark: str, computed: str, as_of: date, *, indicator_id: str | None = None,
         milestone_id: str | None = None) -> Review | None:
    """The review of a target shown on a report as of ``as_of``: the latest dated by then, or
    None. `reviews` are one roadmap's; `computed` is the rule's status on ``as_of``."""
    mine = reviews.filter((pl.col("benchmark") == benchmark) & (pl.col("review_date") <= as_of)
                          & pl.col("indicator_id").eq_missing(pl.lit(indicator_id, dtype=pl.String))
                          & pl.col("milestone_id").eq_missing(pl.lit(milestone_id, dtype=pl.String)))
    if mine.is_empty():
        return None
    row = mine.sort(["review_date", "line"]).row(-1, named=True)
    return Review(row["reviewer"], row["review_date"], row["computed_status"], row["reviewed_status"],
                  row["reasons_fr"], row["reasons_en"], tuple((row["source_ids"] or "").split()), computed,
                  milestone_id is not None)
