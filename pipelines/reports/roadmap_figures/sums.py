"""The roadmap's own figures set against the data: which ones the public series reproduce.

S/2021/300 quotes figures (78 % multidimensional poverty, 53 % rural, "more than 4 million"
without improved water...) and sets figures (the 30 % quota, 2,000 integrated combatants).
Each indicator with a ``roadmap`` block in the roadmap file is one *claim*; this module says,
from the processed observations alone, whether the data reproduces it and which figure
(year, source, hence vintage) matches it best. The rules, written once here so that the
report and the tests agree:

* **What a figure must do** (`Claim.fits`): ``=`` equal once rounded to the precision the
  roadmap wrote (78 % stands for 77.5–78.5; 275 actions for exactly 275); ``>`` strictly
  above; ``>=``/``<``/``<=`` as written; ``~`` within ±5 % of it (`APPROX_TOLERANCE`, "quelque
  100 000" reads 95,000–105,000). A *target* (the roadmap's figure is also the indicator's
  target: a quota, a goal) is met when passed in the direction of progress, so ``=`` there
  reads "at least" (or "at most" for a decreasing indicator), with the same rounding.
* **A target counted by a rule** (``counts: additions_since`` in the roadmap file) is set
  against the series that rule counts (`IndicatorView.counted_rows`), the same value its
  assessment and every page read, never against the published running total.
* **Which figures count at the roadmap's date**: national figures whose period ended by 25
  March 2021 (as in `pipelines.analysis.views`: a yearly figure counts once its year is over).
* **Verdict**: *reproduced* when the newest such figure fits; *reproduced by an older figure*
  when only an older vintage's own latest figure fits (each source is a vintage: OPHI's 2016
  round says 77.7 % for 2013 while the 2022 rounds say 66–68 % for 2018); *not reproduced*
  otherwise; *not measured by then* when all figures are later; *no data* when there is none.
  A figure from any year that fits, but is not its source's latest (JMP 2021's 69.1 % for
  2011), is the *best match* but does not reproduce a statement about the present.
* **Best match** (up to the roadmap's date, and at any date up to the report's): the figure
  that fits, closest to the claim; if none fits, the closest one. Ties go to the newest, then
  to the preferred source (`indicators.rank_sources`).
* **Related measures** (the roadmap file's ``related`` and ``related_complement`` beside a
  figure, `Claim.related`) are shown beside a claim, never used for its verdict: a nearby
  measure (people without a *basic* water service for the claim about an *improved* source) or
  scope (rural MPI for the national 78 %), or a complement computed as 100 − x and labelled as
  arithmetic.

Nothing is estimated: a claim without a series says "no data".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import polars as pl

from pipelines.analysis.indicators import assess, rank_sources
from pipelines.core import geo
from pipelines.core.i18n import fmt_number, fmt_percent, fmt_period, fmt_value, t

#: Relative tolerance of a "~" (about) figure: ±5 %.
APPROX_TOLERANCE = 0.05
Verdict = Literal["reproduced", "reproduced_older", "not_reproduced", "no_data_before", "no_data"]
VERDICTS: tuple[Verdict, ...] = ("reproduced", "reproduced_older", "not_reproduced", "no_data_before", "no_data")
Kind = Literal["figure", "target"]
SYMBOLS: dict[str, str] = {"=": "", ">": "> ", ">=": "≥ ", "<": "< ", "<=": "≤ ", "~": "≈ "}


@dataclass(frozen=True)
class Related:
    """A series shown beside a claim: another scope or measure, or its complement (100 − x)."""

    indicator_id: str
    complement: bool = False


@dataclass(frozen=True)
class Claim:
    """One figure of the roadmap, as its indicator's ``roadmap`` block records it."""

    indicator_id: str
    name_fr: str
    name_en: str
    unit: str
    direction: str
    paragraph: int
    value: float
    qualifier: str
    quote_fr: str
    kind: Kind
    related: tuple[Related, ...] = ()

    @classmethod
    def from_indicator(cls, row: Mapping[str, Any]) -> Claim:
        target = row.get("target_value")
        kind: Kind = "target" if target is not None and target == row["roadmap_value"] else "figure"
        related = tuple(Related(iid) for iid in (row.get("roadmap_related") or "").split()) + tuple(
            Related(iid, complement=True) for iid in (row.get("roadmap_related_complement") or "").split()
        )
        return cls(
            row["indicator_id"],
            row["name_fr"],
            row["name_en"],
            row["unit"],
            row["direction"],
            int(row["roadmap_paragraph"]),
            float(row["roadmap_value"]),
            row["roadmap_qualifier"] or "=",
            row["roadmap_quote_fr"] or "",
            kind,
            related,
        )

    @property
    def decimals(self) -> int:
        """Decimals the roadmap wrote (78 -> 0, 27.9 -> 1): the precision of "="."""
        exponent = Decimal(repr(self.value)).normalize().as_tuple().exponent
        return max(0, -int(exponent))

    @property
    def half_unit(self) -> float:
        return 0.5 * 10**-self.decimals

    def name(self, lang: str) -> str:
        return self.name_fr if lang == "fr" else self.name_en

    def fits(self, x: float) -> bool:
        """Whether a figure says what the roadmap says (see the module docstring)."""
        v, q = self.value, self.qualifier
        if self.kind == "target" and q in ("=", "~"):
            slack = self.half_unit if q == "=" else APPROX_TOLERANCE * abs(v)
            return x >= v - slack if self.direction == "increase" else x <= v + slack
        if q == "=":
            return v - self.half_unit <= x < v + self.half_unit
        if q == "~":
            return abs(x - v) <= APPROX_TOLERANCE * abs(v)
        return {">": x > v, ">=": x >= v, "<": x < v, "<=": x <= v}[q]

    def figure_text(self, lang: str) -> str:
        """The roadmap's figure as written, with its qualifier: "78 %", "> 4,000,000", "≈ 100,000"."""
        if self.unit == "percent":
            text = fmt_percent(self.value, lang, digits=self.decimals)
        else:
            text = fmt_value(self.value, self.unit, lang)
        return SYMBOLS.get(self.qualifier, self.qualifier + " ") + text

    def label(self, lang: str) -> str:
        """A short row label: paragraph, figure and indicator."""
        return f"§ {self.paragraph} · {self.figure_text(lang)} · {self.name(lang)}"


@dataclass(frozen=True)
class Match:
    """One national figure read against a claim."""

    indicator_id: str
    source_id: str
    confidence: str
    period_start: date
    period_end: date
    value: float
    gap: float  # value − claim, in the claim's unit
    ratio: float | None  # value ÷ claim
    fits: bool
    complement: bool = False  # value is 100 − a published share (arithmetic)
    counted: bool = False  # value is what the target's rule counts, not the figure as published

    def text(self, unit: str, lang: str) -> str:
        """ "77.7 % (2013, ophi-2016-owid; gap −0.3 pt)"; a counted value says so."""
        when = fmt_period(self.period_start, self.period_end, lang)
        return t(
            "claims.match_counted" if self.counted else "claims.match",
            lang,
            value=fmt_value(self.value, unit, lang),
            period=when,
            source=self.source_id,
            gap=gap_text(self.gap, unit, lang),
        )


def gap_text(gap: float, unit: str, lang: str) -> str:
    """A signed gap: "−0.3 pt" for shares (percentage points), "−994" for counts."""
    sign = "+" if gap > 0 else ("−" if gap < 0 else "±")
    if unit == "percent":
        return f"{sign}{fmt_number(abs(gap), lang, digits=1)}\u00a0{t('claims.points', lang)}"
    return f"{sign}{fmt_value(abs(gap), unit, lang)}"


@dataclass(frozen=True)
class Audit:
    """A claim, its verdict and the figures that decide and explain it."""

    claim: Claim
    verdict: Verdict
    newest: Match | None  # the newest figure up to the roadmap's date (the one that fits, if any)
    best_before: Match | None  # best match up to the roadmap's date
    best_any: Match | None  # best match at any date up to the report's date
    related: tuple[Match, ...]  # best match up to the roadmap's date of each related series and source

    @property
    def cited(self) -> tuple[str, ...]:
        """The sources of every figure the audit shows (for the report's sources table)."""
        shown = [self.newest, self.best_before, self.best_any, *self.related]
        return tuple(sorted({m.source_id for m in shown if m is not None}))

    def verdict_text(self, lang: str) -> str:
        return t(f"claims.verdict.{self.claim.kind}.{self.verdict}", lang)


def claims(indicators: pl.DataFrame) -> list[Claim]:
    """Every indicator with a roadmap figure, in the roadmap's order (paragraph, then file order)."""
    rows = indicators.with_row_index("_order").filter(pl.col("roadmap_value").is_not_null())
    return [Claim.from_indicator(r) for r in rows.sort(["roadmap_paragraph", "_order"]).iter_rows(named=True)]


def _matches(claim: Claim, frame: pl.DataFrame, complement: bool = False, counted: bool = False) -> list[Match]:
    out = []
    for r in frame.iter_rows(named=True):
        value = 100.0 - r["value"] if complement else r["value"]
        out.append(
            Match(
                r["indicator_id"],
                r["source_id"],
                r["confidence"],
                r["period_start"],
                r["period_end"],
                value,
                value - claim.value,
                value / claim.value if claim.value else None,
                claim.fits(value),
                complement,
                counted,
            )
        )
    return out


def best(matches: Sequence[Match], preference: Sequence[str] = ()) -> Match | None:
    """The figure that fits, closest to the claim; else the closest. Ties: newest, then the
    preferred source, then the source id."""
    if not matches:
        return None
    order = {s: i for i, s in enumerate(preference)}
    return min(
        matches,
        key=lambda m: (
            not m.fits,
            abs(m.gap),
            -m.period_end.toordinal(),
            order.get(m.source_id, len(order)),
            m.source_id,
        ),
    )


def _national(observations: pl.DataFrame, indicator_id: str, as_of: date | None) -> pl.DataFrame:
    frame = observations.filter((pl.col("indicator_id") == indicator_id) & geo.NATIONAL & pl.col("value").is_not_null())
    if as_of is not None:
        frame = frame.filter(pl.col("period_end") <= as_of)
    return frame.sort(["period_end", "source_id", "period_start"])


def audit(
    claim: Claim,
    observations: pl.DataFrame,
    as_of: date | None = None,
    *,
    roadmap_date: date,
    indicator: Mapping[str, Any] | None = None,
) -> Audit:
    """Set one claim against the national figures known up to ``as_of`` (default: all); a
    target whose ``indicator`` counts by a rule, against the series that rule counts."""
    own = _national(observations, claim.indicator_id, as_of)
    preference = rank_sources(own)
    counted = claim.kind == "target" and indicator is not None and indicator.get("counts_since") is not None
    if counted and indicator is not None and own.height:
        day: date = as_of or max(own["period_end"].to_list())
        own = assess(dict(indicator), own, day).counted_rows()
    every = _matches(claim, own, counted=counted)
    before = [m for m in every if m.period_end <= roadmap_date]
    cutoff = roadmap_date if as_of is None else min(roadmap_date, as_of)
    related = _related(claim, observations, cutoff, set(own["source_id"].to_list()))
    if not every:
        return Audit(claim, "no_data", None, None, None, related)
    if not before:
        return Audit(claim, "no_data_before", None, None, best(every, preference), related)
    newest_day = max(m.period_end for m in before)
    newest = best([m for m in before if m.period_end == newest_day], preference)
    assert newest is not None
    last_day = {m.source_id: m.period_end for m in sorted(before, key=lambda m: m.period_end)}
    latest_per_source = [m for m in before if m.period_end == last_day[m.source_id]]
    if newest.fits:
        verdict: Verdict = "reproduced"
    elif any(m.fits for m in latest_per_source):
        verdict = "reproduced_older"
    else:
        verdict = "not_reproduced"
    return Audit(claim, verdict, newest, best(before, preference), best(every, preference), related)


def _related(claim: Claim, observations: pl.DataFrame, roadmap_date: date, own_sources: set[str]) -> tuple[Match, ...]:
    """Per related series and source, its best match up to the roadmap's date. A complement
    is computed only from sources that do not publish the claim's own measure (where they
    do, 100 − x would repeat their figure)."""
    found: list[Match] = []
    for rel in claim.related:
        frame = _national(observations, rel.indicator_id, roadmap_date)
        if rel.complement:
            frame = frame.filter(~pl.col("source_id").is_in(sorted(own_sources)))
        for source in sorted(set(frame["source_id"].to_list())):
            m = best(_matches(claim, frame.filter(pl.col("source_id") == source), rel.complement))
            if m is not None:
                found.append(m)
    return tuple(found)


def audit_all(
    indicators: pl.DataFrame, observations: pl.DataFrame, as_of: date | None = None, *, roadmap_date: date
) -> list[Audit]:
    """Every claim of the roadmap(s) in ``indicators``, audited."""
    rows = {r["indicator_id"]: r for r in indicators.iter_rows(named=True)}
    return [
        audit(c, observations, as_of, roadmap_date=roadmap_date, indicator=rows[c.indicator_id])
        for c in claims(indicators)
    ]


def counts(audits: Sequence[Audit]) -> dict[str, int]:
    """How many claims got each verdict, by kind ("figure.reproduced": 3, ...)."""
    found: dict[str, int] = {}
    for a in audits:
        key = f"{a.claim.kind}.{a.verdict}"
        found[key] = found.get(key, 0) + 1
    return dict(sorted(found.items()))


def frame(audits: Sequence[Audit]) -> pl.DataFrame:
    """One row per claim with its verdict and matches, unformatted (for tests and analysts)."""
    rows = []
    for a in audits:
        row: dict[str, Any] = {
            "indicator_id": a.claim.indicator_id,
            "paragraph": a.claim.paragraph,
            "claim": a.claim.value,
            "qualifier": a.claim.qualifier,
            "kind": a.claim.kind,
            "verdict": a.verdict,
        }
        for role in ("newest", "best_before", "best_any"):
            m: Match | None = getattr(a, role)
            row |= {
                f"{role}_value": None if m is None else m.value,
                f"{role}_period_end": None if m is None else m.period_end,
                f"{role}_source": None if m is None else m.source_id,
                f"{role}_gap": None if m is None else m.gap,
                f"{role}_fits": None if m is None else m.fits,
            }
        rows.append(row)
    return pl.DataFrame(rows, infer_schema_length=None)
