"""How each benchmark moved, and what changed between two dates: sums only, no words.

Evaluators ask two questions of a quarterly report: *how did each benchmark move since the
roadmap?* and *what is new since the last report?* Both are answered from the same tables and
the same rules as the reports, never by re-running notebooks:

* **Status history** (`status_history`): each benchmark's status and score, and each target
  indicator's status, at every quarter end from the roadmap's date to ``as_of`` (and at
  ``as_of`` itself), each *as known on that date* (`views.Tables.as_known`: a figure published
  after a quarter end counts only from the next one). The benchmark's standing comes from
  `views.benchmark_standing` and the indicators' from `indicators.assess`, the functions the
  reports use, so a history cell and the report of that date cannot disagree.
* **Changes** (`changes`): between ``since`` and ``as_of``, the figures that became known
  (added, or revising a figure known at ``since`` for the same period with another value, as a
  new vintage does), the milestone events dated in between, the statuses that moved, and the
  sources published in between. One frame, one row per change, so that a report, the changes
  page and the CSV download read the same rows.

Speed: one pass per quarter over one roadmap's tables (a few hundred rows), each indicator
filtered once; the bench (`make bench`) prints the figures.
"""

from __future__ import annotations

import bisect
import calendar
from collections.abc import Iterable
from datetime import date, timedelta

import polars as pl

from pipelines.analysis import progress
from pipelines.analysis import reviews as reviews_mod
from pipelines.analysis.indicators import IndicatorView, assess
from pipelines.analysis.views import KNOWN, Tables, benchmark_order, benchmark_standing, horizon_reached
from pipelines.core import geo

#: The columns of a status history, one row per benchmark (``indicator_id`` null) or target
#: indicator, per date. ``score`` is the benchmark's (milestone points over the maximum, or an
#: indicator's share of the distance); ``points``/``max_points`` what a milestone score counts.
HISTORY: dict[str, pl.DataType] = {
    "roadmap_id": pl.String(),
    "benchmark": pl.String(),
    "indicator_id": pl.String(),
    "date": pl.Date(),
    "status": pl.String(),
    "score": pl.Float64(),
    "points": pl.Int64(),
    "max_points": pl.Int64(),
    "reason": pl.String(),
    # the review known on that date (`pipelines.analysis.reviews`, never before it counts: its date,
    # or the roadmap's latest data date when later): agreed, changed or stale (the computed status
    # has moved since: to be reviewed again); the reviewed status beside the computed one (null:
    # none, or stale), the computed status the reviewer saw, who reviewed and when
    "review_state": pl.String(),
    "reviewed_status": pl.String(),
    "reviewed_status_computed": pl.String(),
    "reviewer": pl.String(),
    "review_date": pl.Date(),
}

#: The history's columns of the review known beside a status.
REVIEW_COLUMNS = ("review_state", "reviewed_status", "reviewed_status_computed", "reviewer", "review_date")

#: Kinds of change, in the order a reader meets them.
KINDS: tuple[str, ...] = ("status_changed", "reviewed", "event", "figure_revised", "figure_added", "source_added")

#: The columns of a change. ``date`` is when it happened or became known (a figure's
#: ``known_from``, an event's date, a source's publication, ``as_of`` for a status).
CHANGES = pl.Schema(
    {
        "roadmap_id": pl.String(),
        "kind": pl.String(),
        "benchmark": pl.String(),
        "indicator_id": pl.String(),
        "milestone_id": pl.String(),
        "geo_code": pl.String(),
        "period_start": pl.Date(),
        "period_end": pl.Date(),
        "date": pl.Date(),
        "old_value": pl.Float64(),
        "new_value": pl.Float64(),
        "old_source_id": pl.String(),
        "new_source_id": pl.String(),
        "old_status": pl.String(),
        "new_status": pl.String(),
    }
)


def quarter_end(day: date) -> date:
    """The last day of ``day``'s calendar quarter."""
    month = (day.month - 1) // 3 * 3 + 3
    return date(day.year, month, calendar.monthrange(day.year, month)[1])


def default_since(as_of: date) -> date:
    """The end of the quarter before ``as_of``'s (the previous quarterly report's date): 30
    September 2022 for 31 December 2022, 31 December 2025 for 22 January 2026."""
    return date(as_of.year, (as_of.month - 1) // 3 * 3 + 1, 1) - timedelta(days=1)


def resolve_since(since: str, as_of: date) -> date:
    """A report's ``since`` parameter: the date given (ISO), else `default_since`. Given with
    an explicit ``as_of`` it comes before it (`checks.check_since`); with the default ``as_of``
    (the latest date in the data) a later ``since``, a scheduler's last run on a night with no
    new data, rightly finds no change."""
    return date.fromisoformat(since) if since else default_since(as_of)


def history_dates(start: date, as_of: date) -> list[date]:
    """Every quarter end from ``start``'s quarter to ``as_of``, then ``as_of`` itself when it is
    not one: the history ends on the report's own date."""
    dates, day = [], quarter_end(start)
    while day <= as_of:
        dates.append(day)
        day = quarter_end(day + timedelta(days=1))
    if not dates or dates[-1] != as_of:
        dates.append(as_of)
    return dates


class _Assessor:
    """Each target indicator's assessment at a date, from the figures usable then, computed once
    per distinct situation: an assessment depends on the date only through which figures are
    known and dated by then and whether the target date has passed, so a quarter in which
    neither moved reuses the last one. Only national figures are assessed (`indicators.assess`), so
    only they are kept, split by indicator once: no assessment scans regional rows or the other
    indicators' (a million synthetic rows: seconds, not minutes). The views it returns hold
    the assessment and the national figures, not the regional ones a report would show."""

    def __init__(self, tables: Tables) -> None:
        usable = pl.max_horizontal(KNOWN, "period_end")
        parts = (
            tables.observations.filter(geo.NATIONAL)
            .with_columns(usable.alias("_usable"))
            .sort("_usable")
            .partition_by("indicator_id", as_dict=True)
        )
        self.parts = {iid: part.drop("_usable") for (iid,), part in parts.items()}
        self.usable = {iid: part["_usable"].to_list() for (iid,), part in parts.items()}
        self.none = tables.observations.clear()
        self.cache: dict[tuple[str, int, bool, date | None], IndicatorView] = {}

    def __call__(self, indicator: dict, day: date) -> IndicatorView:
        iid = indicator["indicator_id"]
        count = bisect.bisect_right(self.usable.get(iid, []), day)
        deadline = indicator["target_date"] is not None and day >= indicator["target_date"]
        # before the deadline a figure's age decides too (no recent data): such days are not pooled
        aged = None if deadline or indicator.get("max_age_years") is None else day
        key = (iid, count, deadline, aged)
        if key not in self.cache:
            self.cache[key] = assess(indicator, self.parts[iid].head(count) if count else self.none, day)
        return self.cache[key]


class _Scorer:
    """Each benchmark's milestone score at a date, computed once per distinct situation: a
    score depends on the date only through which of its events are known by then (`views.events_known`:
    dated and reported by then; events are sorted by that day), so a quarter
    in which none happened reuses the last one (a roadmap of 9 benchmarks over 20 quarters: 180
    scores asked, a few dozen computed). A benchmark's milestones and events are cut out once."""

    def __init__(self, tables: Tables) -> None:
        self.milestones = {
            letter: part for (letter,), part in tables.milestones.partition_by("benchmark", as_dict=True).items()
        }
        self.events = {
            letter: part for (letter,), part in tables.events.partition_by("benchmark", as_dict=True).items()
        }
        self.dates = {letter: sorted(part["known_from"].to_list()) for letter, part in self.events.items()}
        self.no_milestones, self.no_events = tables.milestones.clear(), tables.events.clear()
        self.cache: dict[tuple[str, int, date | None], progress.MilestoneScore] = {}

    def __call__(self, letter: str, day: date, at: date | None = None) -> progress.MilestoneScore:
        """The milestones as known on ``day``, scored on ``at`` (default ``day``; the horizon,
        once it is reached: the events dated by it, as known on ``day``, as `views.benchmark_view`
        counts them)."""
        key = (letter, bisect.bisect_right(self.dates.get(letter, []), day), at)
        if key not in self.cache:
            events = self.events.get(letter, self.no_events)
            self.cache[key] = progress.milestone_score(
                events.filter(pl.col("known_from") <= day), self.milestones.get(letter, self.no_milestones), at or day
            )
        return self.cache[key]


def _standing(
    roadmap: dict,
    bench: dict,
    indicators: list[dict],
    assessor: _Assessor,
    scorer: _Scorer,
    day: date,
    reviews: pl.DataFrame | None = None,
) -> list[dict]:
    """A benchmark's row and its target indicators' rows on ``day``, as known that day."""
    letter = bench["benchmark"]
    views = [assessor(ind, day) for ind in indicators if ind["target_value"] is not None]
    score = scorer(letter, day)
    horizon = horizon_reached(bench, day)
    by_deadline = scorer(letter, day, horizon) if horizon else None
    standing = benchmark_standing(bench, roadmap, score, by_deadline, views, day)
    counted = by_deadline or score
    scored = standing.deciding == "milestones"
    rows = [
        {
            "roadmap_id": roadmap["roadmap_id"],
            "benchmark": letter,
            "indicator_id": None,
            "date": day,
            "status": standing.status,
            "score": standing.score,
            "points": counted.points if scored else None,
            "max_points": counted.max_points if scored else None,
            "reason": standing.deciding,
            **_reviewed(reviews, letter, standing.status, day),
        }
    ]
    rows += [
        {
            "roadmap_id": roadmap["roadmap_id"],
            "benchmark": letter,
            "indicator_id": v.indicator["indicator_id"],
            "date": day,
            "status": v.assessment.status,
            "score": v.assessment.current_status,
            "points": None,
            "max_points": None,
            "reason": v.assessment.reason,
            **_reviewed(reviews, letter, v.assessment.status, day, v.indicator["indicator_id"]),
        }
        for v in views
    ]
    return rows


def _reviewed(
    reviews: pl.DataFrame | None, letter: str, status: str, day: date, indicator_id: str | None = None
) -> dict[str, object]:
    """The review of a status known on ``day``, as the history records it beside the status."""
    found = None if reviews is None else reviews_mod.find(reviews, letter, status, day, indicator_id=indicator_id)
    if found is None:
        return dict.fromkeys(REVIEW_COLUMNS)
    return {
        "review_state": found.state,
        "reviewed_status": found.status,
        "reviewed_status_computed": found.seen_status,
        "reviewer": found.reviewer,
        "review_date": found.review_date,
    }


def status_history(
    tables: Tables, as_of: date, dates: list[date] | None = None, benchmarks: Iterable[str] = ()
) -> pl.DataFrame:
    """One roadmap's status history (`HISTORY`) at ``dates`` (default: `history_dates` from the
    roadmap's date to ``as_of``), of ``benchmarks`` (default: all, in reading order), each as
    known on its date."""
    days = dates if dates is not None else history_dates(tables.roadmap["published"], as_of)
    letters = list(benchmarks) or benchmark_order(tables.benchmarks["benchmark"].to_list())
    assessor, scorer = _Assessor(tables), _Scorer(tables)
    benches = {letter: tables.benchmark(letter) for letter in letters}
    indicators = {letter: tables.indicators.filter(pl.col("benchmark") == letter).to_dicts() for letter in letters}
    rows: list[dict] = []
    for day in days:
        for letter in letters:
            rows += _standing(
                tables.roadmap, benches[letter], indicators[letter], assessor, scorer, day, tables.reviews
            )
    return pl.DataFrame(rows, schema=HISTORY)


def changes(tables: Tables, since: date, as_of: date) -> pl.DataFrame:
    """What changed in one roadmap's data between ``since`` (excluded) and ``as_of`` (`CHANGES`),
    each part as known on its date."""
    if since >= as_of:  # nothing the data holds is newer (see `resolve_since`)
        return pl.DataFrame(schema=CHANGES)
    after = tables.as_known(as_of)
    parts = [
        _status_changes(tables, since, as_of),
        _review_changes(tables, since, as_of),
        _event_changes(tables, since, as_of),
        _figure_changes(tables, since, after.observations),
        _source_changes(tables, tables.sources_as_known(since), after.sources),
    ]
    frame = pl.concat([p.select(list(CHANGES)).cast(CHANGES) for p in parts], how="vertical")
    order = {k: i for i, k in enumerate(KINDS)}
    return (
        frame.with_columns(pl.col("kind").replace_strict(order, return_dtype=pl.Int8).alias("_kind"))
        .sort(
            ["_kind", "benchmark", "indicator_id", "milestone_id", "date", "geo_code", "period_end", "new_source_id"],
            nulls_last=True,
        )
        .drop("_kind")
    )


def _empty(**columns: object) -> dict:
    return {c: columns.get(c) for c in CHANGES}


def _status_changes(tables: Tables, since: date, as_of: date) -> pl.DataFrame:
    """Benchmarks and target indicators whose status differs between the two dates."""
    both = status_history(tables, as_of, [since, as_of])
    old = both.filter(pl.col("date") == since).select("benchmark", "indicator_id", old_status="status")
    new = both.filter(pl.col("date") == as_of).select("benchmark", "indicator_id", new_status="status")
    moved = new.join(old, on=["benchmark", "indicator_id"], how="left", nulls_equal=True).filter(
        pl.col("old_status") != pl.col("new_status")
    )
    return pl.DataFrame(
        [
            _empty(roadmap_id=tables.roadmap["roadmap_id"], kind="status_changed", date=as_of, **r)
            for r in moved.iter_rows(named=True)
        ],
        schema=CHANGES,
    )


def _review_changes(tables: Tables, since: date, as_of: date) -> pl.DataFrame:
    """Reviews counted from after ``since`` up to ``as_of`` (`reviews.known_from`), each at its
    own date. ``old_status`` is the computed status the reviewer saw, ``new_status`` the
    reviewer's (the same when the reviewer agreed)."""
    found = tables.reviews.filter((pl.col("known_from") > since) & (pl.col("known_from") <= as_of))
    return pl.DataFrame(
        [
            _empty(
                roadmap_id=tables.roadmap["roadmap_id"],
                kind="reviewed",
                benchmark=r["benchmark"],
                indicator_id=r["indicator_id"],
                milestone_id=r["milestone_id"],
                date=r["review_date"],
                old_status=r["computed_status"],
                new_status=r["reviewed_status"] or r["computed_status"],
                new_source_id=(r["source_ids"] or "").split(" ")[0] or None,
            )
            for r in found.iter_rows(named=True)
        ],
        schema=CHANGES,
    )


def _event_changes(tables: Tables, since: date, as_of: date) -> pl.DataFrame:
    """Milestone events that became known after ``since`` up to ``as_of`` (`views.events_known`:
    an event of last quarter first reported in this one is news of this one), each with the
    milestone's status before it (that of the event before, or not initiated)."""
    events = (
        tables.events.with_row_index("_line")
        .sort(["benchmark", "milestone_id", "date", "_line"])
        .with_columns(
            pl.col("status").shift(1).over(["benchmark", "milestone_id"]).fill_null("not_initiated").alias("old_status")
        )
    )
    new = events.filter((pl.col("known_from") > since) & (pl.col("known_from") <= as_of))
    return pl.DataFrame(
        [
            _empty(
                roadmap_id=r["roadmap_id"],
                kind="event",
                benchmark=r["benchmark"],
                milestone_id=r["milestone_id"],
                date=r["date"],
                new_source_id=r["source_id"],
                old_status=r["old_status"],
                new_status=r["status"],
            )
            for r in new.iter_rows(named=True)
        ],
        schema=CHANGES,
    )


_PERIOD = ["indicator_id", "geo_code", "period_start", "period_end"]


def _figure_changes(tables: Tables, since: date, after: pl.DataFrame) -> pl.DataFrame:
    """Figures known at ``as_of`` (`after`) and not at ``since``: a revision when a figure for
    the same indicator, place and period was known at ``since`` with another value (the latest
    known one is the old value), an addition otherwise.

    The figures known at ``since`` are the rows of `after` known by then, so those not known
    then are the rows known later; only the earlier rows of their indicators, places and
    periods can be the same figure or its old value, and only those are read, by a lazy scan
    of `after`: the same changes as joining the two whole tables, without a copy of the
    earlier table (at 10⁷ rows, all of a report's changes took 21.6 s and +2.5 GiB, now 3.4 s).
    """
    key = [*_PERIOD, "source_id"]
    later = after.filter(KNOWN > since)
    if later.is_empty():
        return pl.DataFrame(schema=CHANGES)
    earlier = (
        after.lazy()
        .filter(KNOWN <= since)
        .join(later.select(_PERIOD).unique().lazy(), on=_PERIOD, how="semi", nulls_equal=True)
        .collect()
    )
    new = later.join(earlier.select(key), on=key, how="anti", nulls_equal=True)
    if new.is_empty():
        return pl.DataFrame(schema=CHANGES)
    old = (
        earlier.with_columns(KNOWN.alias("_known"))
        .sort(["_known", "source_id"])
        .group_by(_PERIOD, maintain_order=True)
        .last()
        .select(*_PERIOD, old_value="value", old_source_id="source_id")
    )
    benchmarks = tables.indicators.select("indicator_id", "benchmark")
    rows = (
        new.join(old, on=_PERIOD, how="left", nulls_equal=True)
        .join(benchmarks, on="indicator_id", how="left")
        .with_columns(
            kind=pl.when(pl.col("old_value").is_not_null() & (pl.col("old_value") != pl.col("value")))
            .then(pl.lit("figure_revised"))
            .otherwise(pl.lit("figure_added"))
        )
    )
    return rows.select(
        roadmap_id=pl.lit(tables.roadmap["roadmap_id"]),
        kind="kind",
        benchmark="benchmark",
        indicator_id="indicator_id",
        milestone_id=pl.lit(None, pl.String),
        geo_code="geo_code",
        period_start="period_start",
        period_end="period_end",
        date=KNOWN,
        old_value=pl.when(pl.col("kind") == "figure_revised").then("old_value"),
        new_value="value",
        old_source_id=pl.when(pl.col("kind") == "figure_revised").then("old_source_id"),
        new_source_id="source_id",
        old_status=pl.lit(None, pl.String),
        new_status=pl.lit(None, pl.String),
    )


def _source_changes(tables: Tables, before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """Sources published after ``since`` that this roadmap's figures or events cite."""
    cited = set(tables.observations["source_id"].unique().to_list()) | set(tables.events["source_id"].to_list())
    new = after.join(before.select("source_id"), on="source_id", how="anti").filter(
        pl.col("source_id").is_in(sorted(cited))
    )
    return pl.DataFrame(
        [
            _empty(
                roadmap_id=tables.roadmap["roadmap_id"],
                kind="source_added",
                date=r["published"],
                new_source_id=r["source_id"],
            )
            for r in new.iter_rows(named=True)
        ],
        schema=CHANGES,
    )


def scoped(frame: pl.DataFrame, benchmarks: Iterable[str] = (), indicators: Iterable[str] = ()) -> pl.DataFrame:
    """The changes a report shows: those of its benchmarks (their statuses, events and figures)
    or of its indicators, and the sources added that those changes cite."""
    benchmarks, indicators = list(benchmarks), list(indicators)
    own = frame.filter(
        (pl.col("kind") != "source_added")
        & (pl.col("benchmark").is_in(benchmarks) | pl.col("indicator_id").is_in(indicators))
    )
    if indicators and not benchmarks:  # a thematic report: its figures' status changes only
        own = own.filter((pl.col("kind") != "status_changed") | pl.col("indicator_id").is_not_null())
    cited = set(own["new_source_id"].drop_nulls().to_list())
    added = frame.filter((pl.col("kind") == "source_added") & pl.col("new_source_id").is_in(sorted(cited)))
    return pl.concat([own, added])
