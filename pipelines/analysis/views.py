"""What a report says about one benchmark at one date, assembled from the processed tables.

The notebooks tell the story; this module does the sums, so that the benchmark reports, the
overview and the tests all reach the same status from the same figures:

* **what is known** at the report's date (`Tables.as_known`): figures known by then, sources
  published by then, so a report never speaks of what came later;
* **the benchmark's status**: the least advanced of its milestones' status and its target
  indicators' statuses (each assessed by `pipelines.analysis.indicators`;
  `pipelines.core.statuses.least_advanced`), since a benchmark is only as far along as its
  weakest part, and a part with no figure keeps it from being achieved;
* **the scorecard** of the overview: one row per benchmark, as its report says it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypedDict

import polars as pl

from pipelines.analysis import confidence as confidence_mod
from pipelines.analysis import progress
from pipelines.analysis import reviews as reviews_mod
from pipelines.analysis.indicators import IndicatorView, assess, share_text
from pipelines.analysis.progress import KeyDate
from pipelines.core import schema, statuses, store
from pipelines.core.errors import UsageError
from pipelines.core.frames import rows_in, where
from pipelines.core.i18n import Wording, fmt_date, fmt_percent, has_text, t

#: The date a figure is known from: its ``known_from``, else its period's end (the ingest rule,
#: repeated for tables built by hand). A report on a date reads the figures known by then.
KNOWN = pl.coalesce("known_from", "period_end")

#: A report lists at most this many indicators (headline table, regional figures) and draws at
#: most `MAX_CHARTED` trends, so that its size stays bounded whatever the data (a benchmark
#: fed with thousands of subnational series would otherwise give a page of many megabytes).
#: The benchmark's status still counts every indicator; the report says how many are not
#: listed and links the CSV of the benchmark's data, which holds them all.
MAX_LISTED = 40
MAX_CHARTED = 24
MAX_MAPPED = 8
#: The processed tables a report reads: all of `schema.TABLES` but the quarantine, the rows
#: ingest set aside (the data-quality panels read those, `pipelines.validate.quality`).
TABLES = tuple(name for name in schema.TABLES if name != "quarantine")


def events_known(events: pl.DataFrame, sources: pl.DataFrame) -> pl.DataFrame:
    """The milestone events with the day each became known, ``known_from``: the later of its own
    date and its publication, the row's own ``published`` where an earlier report made it known,
    else its source's (an event of 19 December reported on 30 March is known from 30 March); its
    own date when neither is known. An event is shown, scored and counted in the history from
    that day (`Tables.as_known`), never from the day it happened."""
    if "known_from" in events.columns or "date" not in events.columns:
        return events  # already known, or a table with no events at all (no columns)
    own = pl.col("published") if "published" in events.columns else pl.lit(None, dtype=pl.Date)
    if not {"source_id", "published"} <= set(sources.columns) or "source_id" not in events.columns:
        return events.with_columns(known_from=pl.max_horizontal("date", own))
    published = sources.select("source_id", _published="published").unique("source_id", keep="first")
    return (
        events.join(published, on="source_id", how="left", maintain_order="left")
        .with_columns(known_from=pl.max_horizontal("date", pl.coalesce(own, "_published")))
        .drop("_published")
    )


def latest_known(observations: pl.DataFrame, events: pl.DataFrame) -> date | None:
    """The newest date the data speaks of, or on which a figure became known (a period's end,
    a figure's ``known_from``, a milestone event's date or ``known_from``): the default ``as_of``
    of a report, so that the default report holds every figure. The one rule; the run's cache
    key (`pipelines.run.slices`) asks it too. None when nothing is dated.

    Reviews do not move it: a review is a judgement of the data, not news of the world, and
    statuses depend on the report's date (a deadline passed, a figure grown too old), so a
    review dated later would change the very statuses it stands beside, and date every page by
    the day someone read it. A review dated after this date is still shown on the default
    report (`reviews.known_from`): it judged the same data."""
    candidates = [
        frame[column].max()
        for frame, column in (
            (observations, "period_end"),
            (observations, "known_from"),
            (events, "date"),
            (events, "known_from"),
        )
        if column in frame.columns and frame.height
    ]
    found = [d for d in candidates if isinstance(d, date)]
    return max(found) if found else None


@dataclass(frozen=True)
class Tables:
    """The processed tables a report reads: every roadmap's, or one roadmap's (`for_roadmap`).

    A report reads one roadmap's tables, so that nothing of another roadmap (its benchmark
    ``A``, its later figures moving the default date) can reach it.
    """

    roadmaps: pl.DataFrame
    key_dates: pl.DataFrame
    benchmarks: pl.DataFrame
    indicators: pl.DataFrame
    milestones: pl.DataFrame
    observations: pl.DataFrame
    events: pl.DataFrame
    sources: pl.DataFrame
    #: Reviewers' judgements (`pipelines.ingest.reviews`); each counts from its ``known_from``
    #: (`reviews.known_from`: its date, or its roadmap's latest data date when that is earlier).
    reviews: pl.DataFrame = field(default_factory=lambda: schema.empty("reviews"))

    def __post_init__(self) -> None:
        # every events table carries the day each event became known (`events_known`), every
        # reviews table the day each review counts from (`_reviews_known`)
        object.__setattr__(self, "events", events_known(self.events, self.sources))
        if "known_from" not in self.reviews.columns:
            object.__setattr__(self, "reviews", self._reviews_known())

    def _reviews_known(self) -> pl.DataFrame:
        """The reviews with ``known_from``, by each roadmap's own latest data date (computed
        here, on the whole data, before any `as_known` cut)."""
        parts = [
            reviews_mod.known_from(
                part,
                latest_known(
                    rows_in(
                        self.observations,
                        "indicator_id",
                        self.indicators.filter(pl.col("roadmap_id") == roadmap)["indicator_id"].to_list(),
                    ),
                    self.events.filter(pl.col("roadmap_id") == roadmap),
                ),
            )
            for (roadmap,), part in self.reviews.partition_by("roadmap_id", as_dict=True).items()
        ]
        return pl.concat(parts) if parts else reviews_mod.known_from(self.reviews, None)

    @classmethod
    def load(cls, processed_dir: str | Path, roadmap: str | None = None) -> Tables:
        """The processed tables; only `roadmap`'s records when it is given."""
        folder = Path(processed_dir)
        # reviews.parquet is absent from a folder ingested before reviews existed: no review
        frames = {
            name: store.read_table(name, folder)
            for name in TABLES
            if name != "reviews" or (folder / "reviews.parquet").exists()
        }
        tables = cls(
            frames["roadmaps"],
            frames["key_dates"],
            frames["benchmarks"],
            frames["indicators"],
            frames["milestones"],
            frames["observations"],
            frames["milestone_events"],
            frames["sources"],
            frames.get("reviews", schema.empty("reviews")),
        )
        return tables.for_roadmap(roadmap) if roadmap else tables

    def for_roadmap(self, roadmap_id: str) -> Tables:
        """One roadmap's records: its definition, key dates, benchmarks, indicators and
        milestones, the observations of its indicators and its milestone events. Sources stay
        whole (one source may serve two missions); reports list only those they cite."""
        known = sorted(self.roadmaps["roadmap_id"].to_list())
        if roadmap_id not in known:
            raise UsageError(f"unknown roadmap {roadmap_id!r}: the roadmaps are {', '.join(known) or 'none'}")
        mine = pl.col("roadmap_id") == roadmap_id
        indicators = self.indicators.filter(mine)
        return Tables(
            self.roadmaps.filter(mine),
            self.key_dates.filter(mine),
            self.benchmarks.filter(mine),
            indicators,
            self.milestones.filter(mine),
            rows_in(self.observations, "indicator_id", indicators["indicator_id"].to_list()),
            self.events.filter(mine),
            self.sources,
            self.reviews.filter(mine),
        )

    @property
    def roadmap(self) -> dict[str, Any]:
        """The roadmap these tables belong to (see `for_roadmap`)."""
        if self.roadmaps.height != 1:
            raise UsageError("these tables hold several roadmaps: pick one with for_roadmap()")
        return self.roadmaps.row(0, named=True)

    def roles(self, report_id: str) -> dict[str, tuple[str, ...]]:
        """The roadmap's indicators bound to each role of `report_id` (its file's ``reports:``,
        checked by ingest): a thematic report reads its series by role, never by id."""
        bound = json.loads(self.roadmap["reports"] or "{}").get(report_id, {})
        return {role: tuple(ids) for role, ids in bound.items()}

    def words(self, report_id: str) -> Wording:
        """`report_id`'s words for this roadmap: the catalogue's, but for those its file says in
        its own terms (``reports: <report>: words:``, checked by ingest)."""
        return Wording(json.loads(self.roadmap["report_words"] or "{}").get(report_id, {}))

    def marked_dates(self, as_of: date) -> tuple[KeyDate, ...]:
        """The roadmap's key dates known on `as_of` (a mandate's end is not marked before the
        decision that ended it), in date order."""
        rows = self.key_dates.filter(pl.col("known_from") <= as_of).sort(["date", "key_date_id"])
        return tuple(KeyDate(r["date"], r["label_fr"], r["label_en"]) for r in rows.iter_rows(named=True))

    def as_known(self, as_of: date) -> Tables:
        """What a reader could know on `as_of`: figures known by then (`known_from`, see
        `schema.OBSERVATIONS`), milestone events known by then (`events_known`: reported by a
        source published by then) and sources published by then (or undated); key dates count
        from their `known_from` (`marked_dates`). Reports assess these tables, so a figure or an
        event published after a report's date never reaches it, nor a later vintage of a series."""
        return replace(
            self,
            observations=where(self.observations, KNOWN <= as_of),
            events=where(self.events, pl.col("known_from") <= as_of),
            sources=self.sources_as_known(as_of),
        )

    def sources_as_known(self, as_of: date) -> pl.DataFrame:
        """The sources of `as_known`: published by `as_of`, or undated."""
        return where(self.sources, pl.col("published").is_null() | (pl.col("published") <= as_of))

    def latest_date(self) -> date:
        """The default ``as_of`` of every report (`latest_known`)."""
        found = latest_known(self.observations, self.events)
        if found is None:
            raise UsageError("the processed data holds no dated figure or event: nothing to assess")
        return found

    def resolve_as_of(self, as_of: str | date | None) -> date:
        """A report's date: the parameter when given (ISO), else the latest date in the data."""
        if as_of in (None, ""):
            return self.latest_date()
        if isinstance(as_of, datetime):
            return as_of.date()
        if isinstance(as_of, date):
            return as_of
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(as_of)):
                raise ValueError
            return date.fromisoformat(str(as_of))
        except ValueError:
            raise UsageError(f"as_of {as_of!r} is not a date written YYYY-MM-DD") from None

    def benchmark(self, letter: str) -> dict[str, Any]:
        rows = self.benchmarks.filter(pl.col("benchmark") == letter).to_dicts()
        if len(rows) > 1:
            raise UsageError(f"benchmark {letter!r} is declared by several roadmaps: pick one with for_roadmap()")
        if not rows:
            known = ", ".join(benchmark_order(self.benchmarks["benchmark"].to_list()))
            where = f"roadmap {self.roadmaps['roadmap_id'][0]}" if self.roadmaps.height == 1 else "the roadmaps"
            raise UsageError(f"unknown benchmark {letter!r}: {where} has {known}")
        return rows[0]

    def indicator(self, indicator_id: str) -> dict[str, Any]:
        rows = self.indicators.filter(pl.col("indicator_id") == indicator_id).to_dicts()
        if not rows:
            raise UsageError(f"unknown indicator {indicator_id!r}")
        return rows[0]


def _bands(lang: str) -> dict[str, str]:
    """The Open SDG band edges of `pipelines.analysis.progress`, as a reader reads them."""
    return {
        "on_track": fmt_percent(100 * progress.ON_TRACK, lang, 0),
        "needs": fmt_percent(100 * progress.NEEDS_ACCELERATION, lang, 0),
    }


def _band_text(status: progress.Status, lang: str) -> str:
    """Why a share of points falls in its band: "at least 60%, under 95%: needs acceleration"."""
    edge = t(f"band.{status}", lang, **_bands(lang)) if has_text(f"band.{status}") else ""
    return f"{edge}, {t(f'status.{status}', lang)}" if edge else t(f"status.{status}", lang)


def milestone_rule(lang: str) -> str:
    """How milestones make a benchmark's status, from the scale and bands the code applies
    (`schema.MILESTONE_STATUS`, `progress.band`), so the words cannot drift from the sums."""
    scale = ", ".join(
        f"{t(f'milestone_status.{s}', lang)} {n}"
        for s, n in sorted(schema.MILESTONE_STATUS.items(), key=lambda kv: -kv[1])
    )
    return t("milestone_rule", lang, scale=scale, **_bands(lang))


def benchmark_order(ids: Sequence[str]) -> list[str]:
    """Benchmark ids as a reader counts them: ``2`` before ``10``, letters alphabetically."""
    return sorted(ids, key=lambda b: (0, int(b), "") if b.isdigit() else (1, 0, b))


def milestone_status(score: progress.MilestoneScore, judged_at_deadline: bool = False) -> progress.Status:
    """A milestone benchmark's status: insufficient data when no milestone has any evidence;
    at its horizon and after (``judged_at_deadline``, `score` counting the events dated by the
    horizon) achieved or not achieved by the deadline; before it, achieved when every milestone
    is full, deterioration as soon as one is reversed, otherwise the Open SDG band of its
    score."""
    rows = score.rows
    if rows.is_empty() or not rows["evidence"].any():
        return "insufficient_data"
    if judged_at_deadline:
        return statuses.DEADLINE[0] if score.score == 1.0 else statuses.DEADLINE[1]
    if score.score == 1.0:
        return "achieved"
    if (rows["status"] == "reversed").any():
        return "deterioration"
    return progress.band(score.score or 0.0)


def horizon_reached(bench: dict[str, Any], day: date) -> date | None:
    """The benchmark's horizon when ``day`` is on or after it (its milestones are then judged
    by it), else None."""
    horizon = bench.get("horizon")
    return horizon if horizon is not None and day >= horizon else None


class HeadlineRow(TypedDict):
    """One indicator's line of the headline table (`BenchmarkView.headline`), formatted."""

    indicator_id: str
    label: str
    value: str
    target: str
    status: str
    why: str
    rule: str
    assessed: bool  # False: no target, so the status is "not assessed"


@dataclass(frozen=True)
class BenchmarkView:
    """Everything a benchmark report shows, at one date, in one language."""

    roadmap: dict[str, Any]
    benchmark: dict[str, Any]
    lang: str
    as_of: date
    #: Every indicator's assessment and national figures; regional figures only for those the
    #: report details (`listed`): a table and a map show them, and a benchmark of 2,000
    #: indicators held every region's rows a second time (1.8 GiB at 10^7 rows).
    indicators: list[IndicatorView]
    milestones: progress.MilestoneScore
    events: pl.DataFrame
    sources: pl.DataFrame
    status: progress.Status
    score: float | None
    milestone_band: progress.Status | None = field(default=None)
    key_dates: tuple[KeyDate, ...] = ()
    #: What decided the status: "milestones", an indicator id, or None (nothing known).
    deciding: str | None = None
    #: At and after the horizon, the milestones as they stood on it (what the status counts).
    milestones_by_deadline: progress.MilestoneScore | None = None
    #: The reviews of this benchmark and its parts known on ``as_of`` (`pipelines.analysis.reviews`).
    reviews: pl.DataFrame = field(default_factory=lambda: schema.empty("reviews"))
    #: Each milestone's rubric as the roadmap file declares it: {milestone_id: {lang: JSON}}
    #: (None where the milestone has none).
    rubrics: dict[str, dict[str, str | None]] = field(default_factory=dict)

    def rubric(self, milestone_id: str) -> list[tuple[str, str]]:
        """What each level means for a milestone, in the report's language, in the scale's
        order; empty when the roadmap file gives no rubric."""
        text = self.rubrics.get(milestone_id, {}).get(self.lang)
        return list(json.loads(text).items()) if text else []

    def review(self) -> reviews_mod.Review | None:
        """The review of the benchmark's status shown beside it, if any."""
        return reviews_mod.find(self.reviews, self.letter, self.status, self.as_of)

    def indicator_review(self, iv: IndicatorView) -> reviews_mod.Review | None:
        """The review of a target indicator's status shown beside it, if any."""
        return reviews_mod.find(
            self.reviews, self.letter, iv.assessment.status, self.as_of, indicator_id=iv.indicator["indicator_id"]
        )

    def milestone_review(self, milestone_id: str, level: str | None) -> reviews_mod.Review | None:
        """The review of a milestone's level shown beside it, if any."""
        return reviews_mod.find(
            self.reviews, self.letter, level or "not_initiated", self.as_of, milestone_id=milestone_id
        )

    def confidence(self) -> confidence_mod.Confidence:
        """How much to trust the benchmark's status: that of the part that decided it."""
        if self.status in confidence_mod.UNGRADED:
            return confidence_mod.Confidence(None)
        if self.deciding == "milestones":
            return confidence_mod.of_milestones(
                self.counted_milestones.rows,
                self.events,
                self.sources,
                self.as_of,
                self.benchmark.get("horizon") if self.milestones_by_deadline else None,
            )
        deciding = next((v for v in self.indicators if v.indicator["indicator_id"] == self.deciding), None)
        if deciding is None:
            return confidence_mod.Confidence("low", nothing=True)
        return self.indicator_confidence(deciding)

    def indicator_confidence(self, iv: IndicatorView) -> confidence_mod.Confidence:
        """How much to trust a target indicator's status."""
        return confidence_mod.of_indicator(iv, self.sources, self.as_of)

    @property
    def letter(self) -> str:
        return self.benchmark["benchmark"]

    @property
    def counted_milestones(self) -> progress.MilestoneScore:
        """The milestones as the status counts them: at the horizon once it is reached."""
        return self.milestones_by_deadline or self.milestones

    @property
    def retired(self) -> bool:
        """True when the benchmark was retired or transferred on or before ``as_of``."""
        day = self.benchmark.get("retired_on")
        return day is not None and day <= self.as_of

    def retired_text(self) -> str:
        """One sentence: since when, how, to whom, on what source ("" while it is current)."""
        if not self.retired:
            return ""
        b = self.benchmark
        to = b.get(f"retired_to_{self.lang}")
        found = self.sources.filter(pl.col("source_id") == b["retired_source_id"]).to_dicts()
        source = (
            " — ".join(v for v in (found[0].get("publisher"), found[0].get("title")) if v)
            if found
            else b["retired_source_id"]
        )  # named as a reader knows it; the id only if it is not cited
        return t(
            f"retired.{b['retired_as']}_to" if to else f"retired.{b['retired_as']}",
            self.lang,
            date=fmt_date(b["retired_on"], self.lang),
            to=to or "",
            source=source,
        )

    @property
    def title(self) -> str:
        return f"{t('benchmark', self.lang).capitalize()} {self.letter} — {self.benchmark[f'title_{self.lang}']}"

    @property
    def criterion(self) -> str:
        """The criterion's wording, or, where it was not found, the note saying so."""
        return self.benchmark[f"text_{self.lang}"] or self.benchmark[f"text_note_{self.lang}"] or ""

    @property
    def has_wording(self) -> bool:
        return bool(self.benchmark[f"text_{self.lang}"])

    def listed(self) -> list[IndicatorView]:
        """The indicators the report details, in roadmap order: all of them up to `MAX_LISTED`,
        else those with a target first (they decide the status), then the others in order."""
        return [self.indicators[i] for i in listed_positions([v.has_target for v in self.indicators])]

    @property
    def unlisted(self) -> int:
        """How many indicators the report does not detail (see `listed`)."""
        return len(self.indicators) - len(self.listed())

    def charted(self) -> list[IndicatorView]:
        """Listed indicators with national figures at two dates or more, at most `MAX_CHARTED`: a
        trend needs two points (one figure is a number, said as such: `single`)."""
        return [v for v in self.listed() if v.observations["period_end"].n_unique() >= 2][:MAX_CHARTED]

    def single(self) -> list[IndicatorView]:
        """Listed indicators with a national figure at one date only: shown as a number with its
        date and source, never as a chart of one point."""
        return [v for v in self.listed() if v.observations["period_end"].n_unique() == 1]

    def mapped(self) -> list[IndicatorView]:
        """Listed indicators with figures by region (a map each, when boundaries are
        configured), at most `MAX_MAPPED`: a map carries its shapes, ~10-60 KB."""
        return [v for v in self.listed() if not v.regional.is_empty()][:MAX_MAPPED]

    def headline(self) -> list[HeadlineRow]:
        """Latest figure against target for every indicator that has data, formatted, each
        with why its status is what it is and the rule the roadmap file declares for it."""
        return [
            {
                "indicator_id": v.indicator["indicator_id"],
                "label": v.indicator[f"name_{self.lang}"],
                "value": v.latest_text(self.lang),
                "target": v.target_text(self.lang),
                "status": t(f"status.{v.assessment.status}" if v.has_target else "status_no_target", self.lang),
                "why": v.why(self.lang),
                "rule": v.rule(self.lang),
                "assessed": v.has_target,
            }
            for v in self.listed()
            if v.assessment.latest is not None or v.has_target
        ]

    def status_why(self) -> str:
        """Which part decided the benchmark's status, in one sentence: the benchmark is only as
        far along as its least advanced part (`statuses.least_advanced`), so the sentence names
        that part and says why it stands where it does."""
        lang = self.lang
        if self.retired:
            return self.retired_text()
        if self.status == "not_yet_in_force":
            day = in_force(self.benchmark, self.roadmap)
            return t(
                "why.not_yet_in_force" if day == self.roadmap["published"] else "why.benchmark_not_yet_in_force",
                lang,
                date=fmt_date(day, lang),
            )
        parts = self.part_whys()
        if self.deciding is None or self.deciding not in parts:
            return t("why.benchmark_none", lang)
        text = parts[self.deciding]
        if len(parts) == 1:
            return text[0].upper() + text[1:]
        return t("why.benchmark", lang, count=len(parts), part=text)

    def summary(self) -> str:
        """The benchmark in two plain sentences a reader takes in first: where its deciding part
        stands (the figure as the rule counts it and the target, or the milestone points), and
        that this part sets the status. Written from the same fields as the assessment row; the
        rule's arithmetic stays in `status_why`."""
        lang = self.lang
        if self.retired or self.status == "not_yet_in_force" or self.deciding is None:
            return self.status_why()
        status = statuses.label(self.status, lang)
        if self.deciding == "milestones":
            counted = self.counted_milestones
            horizon = self.benchmark.get("horizon")
            where = t(
                "summary.milestones_by" if self.milestones_by_deadline is not None else "summary.milestones",
                lang,
                points=counted.points,
                max=counted.max_points,
                deadline=fmt_date(horizon, lang) if horizon else "",
            )
        else:
            iv = next(v for v in self.indicators if v.indicator["indicator_id"] == self.deciding)
            where = t(
                "summary.indicator" if iv.assessment.latest is not None else "summary.indicator_none",
                lang,
                name=iv.indicator[f"name_{lang}"],
                value=iv.latest_text(lang),
                target=iv.target_text(lang),
                share=share_text(iv.assessment.current_status, lang),
            )
        parts = len(self.part_whys())
        decides = (
            t("summary.decides", lang, count=parts, status=status)
            if parts > 1
            else t("summary.decides_one", lang, status=status)
        )
        return f"{where} {decides}"

    def part_whys(self) -> dict[str, str]:
        """Each part of the benchmark (its milestones, each target indicator) and why it stands
        where it does, keyed as `deciding`."""
        lang = self.lang
        parts: dict[str, str] = {}
        if self.milestone_band is not None:
            parts["milestones"] = self.milestones_why()
        parts.update(
            {
                v.indicator["indicator_id"]: f"{v.indicator[f'name_{lang}']} — {v.why(lang)}"
                for v in self.indicators
                if v.has_target
            }
        )
        return parts

    def milestones_why(self) -> str:
        """Why the milestones stand where they do: points, reversals, and at the horizon the
        points reached by it."""
        lang, band = self.lang, self.milestone_band
        assert band is not None
        counted = self.milestones_by_deadline or self.milestones
        if self.milestones_by_deadline is not None and band in statuses.DEADLINE:
            return t(
                "why.benchmark_milestones_deadline",
                lang,
                points=counted.points,
                max=counted.max_points,
                deadline=fmt_date(self.benchmark["horizon"], lang),
                now=self.milestones.points,
                status=t(f"status.{band}", lang),
            )
        reversed_ = int((counted.rows["status"] == "reversed").sum())
        return t(
            "why.benchmark_reversed" if reversed_ else "why.benchmark_milestones",
            lang,
            points=counted.points,
            max=counted.max_points,
            count=reversed_,
            share=share_text(counted.score, lang, 0),
            band=_band_text(band, lang),
        )

    def sidecar(self) -> dict[str, Any]:
        """The JSON the overview and the index read (see `pipelines.run.sidecars.write_sidecar`)."""
        return {
            "title": self.title,
            "status": self.status,
            "score": self.score,
            "headline": self.headline(),
            "roadmap": self.roadmap["roadmap_id"],
            "benchmark": self.letter,
            "as_of": self.as_of.isoformat(),
            "retired": self.retired_text(),
            "why": self.status_why(),
            "summary": self.summary(),
            "milestones": {"points": self.counted_milestones.points, "max_points": self.counted_milestones.max_points},
            # what the score counts: the deciding part's, the milestones' points or an indicator's share of the way
            "score_basis": None
            if self.score is None
            else ("milestones" if self.deciding == "milestones" else "indicator"),
            "deciding": self.deciding,
            "evidence": int(self.milestones.rows["evidence"].sum()) if self.milestones.rows.height else 0,
            "review": _review_json(self.review(), self.lang),
            "confidence": {"grade": self.confidence().grade, "reasons": self.confidence().reasons(self.lang)},
        }


def _review_json(review: reviews_mod.Review | None, lang: str) -> dict[str, Any] | None:
    """A review as the overview and the index read it from a sidecar."""
    if review is None:
        return None
    return {
        "state": review.state,
        "status": review.status,
        "reviewer": review.reviewer,
        "date": review.review_date.isoformat(),
        "text": review.text(lang),
    }


def listed_positions(has_target: Sequence[bool]) -> list[int]:
    """The positions of the indicators a benchmark report details (`BenchmarkView.listed`), from
    whether each has a target: all up to `MAX_LISTED`, else those with a target first."""
    if len(has_target) <= MAX_LISTED:
        return list(range(len(has_target)))
    ranked = sorted(range(len(has_target)), key=lambda i: (not has_target[i], i))
    return sorted(ranked[:MAX_LISTED])


def benchmark_view(tables: Tables, letter: str, lang: str, as_of: str | date | None) -> BenchmarkView:
    """Assemble one benchmark's report at ``as_of`` (default: the latest date in the data).

    `tables` are one roadmap's (`Tables.for_roadmap`). A benchmark retired or transferred by
    ``as_of`` is no longer assessed ("not assessed", with the reason in its header): its
    figures are still shown, but the mission is no longer measured against it."""
    t("benchmark", lang)  # refuses an unknown language before any work
    roadmap = tables.roadmap
    day = tables.resolve_as_of(as_of)
    tables = tables.as_known(day)
    bench = tables.benchmark(letter)
    indicators = tables.indicators.filter(pl.col("benchmark") == letter).to_dicts()
    # Each indicator assessed on its own rows, split once: not a scan of every row per indicator
    # (a benchmark of 2,000 indicators and ten million rows: seconds, not minutes).
    # Each indicator's rows are gathered by their positions when it is assessed, so that only
    # one indicator's copy is held at a time (a partition of the table was a second whole copy).
    rows = rows_in(tables.observations, "indicator_id", [ind["indicator_id"] for ind in indicators])
    at = rows.select("indicator_id").with_row_index("_row").group_by("indicator_id").agg("_row")
    positions = dict(zip(at["indicator_id"].to_list(), at["_row"], strict=True))
    none = tables.observations.clear()
    detailed = set(listed_positions([ind["target_value"] is not None for ind in indicators]))
    milestones = tables.milestones.filter(pl.col("benchmark") == letter)
    events = tables.events.filter((pl.col("benchmark") == letter) & (pl.col("date") <= day))
    cited = set(events["source_id"].to_list())
    views = []
    for n, ind in enumerate(indicators):
        view = assess(ind, rows[positions[ind["indicator_id"]]] if ind["indicator_id"] in positions else none, day)
        cited.update(*(part["source_id"].unique().to_list() for part in (view.observations, view.regional)))
        views.append(view if n in detailed else replace(view, regional=view.regional.clear()))
    score = progress.milestone_score(events, milestones, day)
    horizon = horizon_reached(bench, day)
    by_deadline = progress.milestone_score(events, milestones, horizon) if horizon and score.rows.height else None
    standing = benchmark_standing(bench, roadmap, score, by_deadline, views, day)
    if bench["retired_on"] is not None and bench["retired_on"] <= day:
        cited.add(bench["retired_source_id"])
    reviews = tables.reviews.filter((pl.col("benchmark") == letter) & (pl.col("known_from") <= day))
    for cited_by_review in reviews["source_ids"].to_list():
        cited.update((cited_by_review or "").split())
    sources = tables.sources.filter(pl.col("source_id").is_in(sorted(cited))).sort("source_id")
    return BenchmarkView(
        roadmap,
        bench,
        lang,
        day,
        views,
        score,
        events.sort(["milestone_id", "date"]),
        sources,
        standing.status,
        standing.score,
        standing.milestone_band,
        tables.marked_dates(day),
        standing.deciding,
        by_deadline,
        reviews,
        {
            m["milestone_id"]: {"fr": m.get("rubric_fr"), "en": m.get("rubric_en")}
            for m in milestones.iter_rows(named=True)
        },
    )


@dataclass(frozen=True)
class Standing:
    """A benchmark's status at a date and what decided it (`benchmark_standing`)."""

    status: str
    #: The milestones' own status (None: the benchmark has no milestones).
    milestone_band: str | None
    #: The deciding part's score: its milestone points over the maximum, or the deciding
    #: indicator's share of the distance to its target (None when unknown).
    score: float | None
    #: "milestones", the deciding indicator's id, or None when nothing decided.
    deciding: str | None


def in_force(bench: dict[str, Any], roadmap: dict[str, Any]) -> date:
    """The day a benchmark is in force from: the roadmap's adoption, or the date of the later
    set of its `benchmark_sets:` that added it (`BENCHMARKS.in_force_from`)."""
    return max(roadmap["published"], bench.get("in_force_from") or roadmap["published"])


def benchmark_standing(
    bench: dict[str, Any],
    roadmap: dict[str, Any],
    score: progress.MilestoneScore,
    by_deadline: progress.MilestoneScore | None,
    views: Sequence[IndicatorView],
    day: date,
) -> Standing:
    """A benchmark's status at ``day``: the least advanced of its parts (its milestones, judged
    by the events dated by its horizon once that is reached, ``by_deadline``; each target
    indicator, one with no figure counting as insufficient data). Before the roadmap's adoption
    it is not yet in force; retired or transferred by then, it takes that word instead. The one
    rule the reports, the overview, the assessment table and the status history share."""
    counted = by_deadline or score
    band = milestone_status(counted, by_deadline is not None) if counted.rows.height else None
    # each part: its status and its own score (milestone points, an indicator's share of the way)
    parts: dict[str, tuple[str, float | None]] = {"milestones": (band, counted.score)} if band else {}
    parts.update(
        {v.indicator["indicator_id"]: (v.assessment.status, v.assessment.current_status) for v in views if v.has_target}
    )
    status = statuses.least_advanced([s for s, _ in parts.values()])
    # of the parts at that status, the one least far along decides (the milestones on a tie)
    tied = [(part, value) for part, (s, value) in parts.items() if s == status]
    deciding, value = min(tied, key=lambda pv: math.inf if pv[1] is None else pv[1]) if tied else (None, None)
    if status == "insufficient_data" and all(s == status for s, _ in parts.values()):
        deciding, value = None, None  # nothing is known of any part
    if day < in_force(bench, roadmap):
        status, deciding, value = "not_yet_in_force", None, None
    elif bench["retired_on"] is not None and bench["retired_on"] <= day:
        status = bench["retired_as"]
    return Standing(status, band, value, deciding)


def scorecard(tables: Tables, lang: str, as_of: str | date | None, sidecars_dir: str | Path = "") -> pl.DataFrame:
    """One row per benchmark: status, score and headline figures, for the overview.

    Read from the benchmark reports' sidecars when a run wrote them (the overview then shows
    exactly what each report says), computed here when the overview runs on its own.
    """
    day = tables.resolve_as_of(as_of)
    rows = []
    for letter in benchmark_order(tables.benchmarks["benchmark"].to_list()):
        found = store.read_sidecar(Path(sidecars_dir) / f"benchmark-{letter}.json") if sidecars_dir else None
        if found is None or found.get("as_of") != day.isoformat():
            found = benchmark_view(tables, letter, lang, day).sidecar()
        rows.append(
            {
                "benchmark": letter,
                "title": found["title"],
                "status": found["status"],
                "score": found["score"],
                "headline": found.get("retired") or _short_headline(found["headline"], lang),
                "report": f"benchmark-{letter}.html",
                "score_basis": found.get("score_basis"),
                "why": found.get("why") or "",
                "summary": found.get("summary") or found.get("why") or "",
                "points": (found.get("milestones") or {}).get("points"),
                "max_points": (found.get("milestones") or {}).get("max_points"),
                "review_state": (found.get("review") or {}).get("state"),
                "review_status": (found.get("review") or {}).get("status"),
                "confidence": _confidence_text(found.get("confidence"), lang),
                "confidence_grade": (found.get("confidence") or {}).get("grade"),
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "benchmark": pl.String,
            "title": pl.String,
            "status": pl.String,
            "score": pl.Float64,
            "headline": pl.String,
            "report": pl.String,
            "score_basis": pl.String,
            "why": pl.String,
            "summary": pl.String,
            "points": pl.Int64,
            "max_points": pl.Int64,
            "review_state": pl.String,
            "review_status": pl.String,
            "confidence": pl.String,
            "confidence_grade": pl.String,
        },
    )


def _confidence_text(found: dict[str, Any] | None, lang: str) -> str | None:
    """A sidecar's confidence as the overview prints it ("Confidence: medium (a single source)")."""
    if not found or not found.get("grade"):
        return None
    return t("trust.line", lang, grade=t(f"trust.grade.{found['grade']}", lang), reasons=found["reasons"])


def _short_headline(items: Sequence[dict[str, str]], lang: str, most: int = 3) -> str:
    """A scorecard cell: indicators with a target first, at most `most` of them, each "label: value"
    as the page's language writes it ("label : valeur" in French)."""
    ranked = sorted(items, key=lambda h: h.get("target", "—") == "—")
    text = t("inline.separator", lang).join(
        t("inline.field", lang, name=h["label"]) + h["value"] for h in ranked[:most]
    )
    return text + (" …" if len(ranked) > most else "")
