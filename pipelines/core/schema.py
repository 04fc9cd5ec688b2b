"""The shape of every table the pipeline writes, in one place.

Each processed table has a fixed column order and polars dtype, so that Parquet bytes are
reproducible, validation suites can name columns with confidence, and notebooks never guess.
Provenance columns (`file`, `line`) ride along with every data row: a failed check or a
chart tooltip can always point back to the raw file and line a figure came from.
"""

from __future__ import annotations

import polars as pl

#: Columns of a raw observation row as every reader hands it to normalisation: all text,
#: exactly as written in the file, plus where it was read. Readers (curated CSV, WDI, OWID,
#: HXL) produce this; `pipelines.normalise` types it.
RAW_OBSERVATION_COLUMNS: tuple[str, ...] = (
    "indicator_id",
    "geo",
    "period_start",
    "period_end",
    "value",
    "unit",
    "source_id",
    "confidence",
    "note",
    "published",
    "dated",
)
#: Provenance added by readers: the file (path relative to the project, or as given), the
#: 1-based line in that file, and for wide formats the column the value came from.
PROVENANCE_COLUMNS: tuple[str, ...] = ("file", "line", "column")

OBSERVATIONS: dict[str, pl.DataType] = {
    "indicator_id": pl.String(),
    "geo_code": pl.String(),
    "period_start": pl.Date(),
    "period_end": pl.Date(),
    "value": pl.Float64(),
    # A share written as counts (``41/147``) keeps them: women and seats, integrated and
    # planned… A body's size is known only where a source wrote it; null everywhere else.
    "numerator": pl.Float64(),
    "denominator": pl.Float64(),
    "unit": pl.String(),
    "source_id": pl.String(),
    "confidence": pl.String(),
    "note": pl.String(),
    # Two times for every figure (as ALFRED keeps a real-time period beside each value): the
    # period it describes (above) and the day it became known. `published` is the row's own
    # date where the file gives one (a living page, a database release); `known_from` is that,
    # else its source's publication date, else the end of its period, and `known_rule` says
    # which ("published", "source", "period_end"), so that no report uses a figure before a
    # reader could have had it, nor an undated one without saying so.
    "published": pl.Date(),
    "known_from": pl.Date(),
    "known_rule": pl.String(),
    # True where the source gives no date for the figure and the period was inferred (an
    # undated snapshot placed by other evidence; raw column ``dated: inferred``): such a
    # figure is shown, never assessed (`pipelines.views.assess`).
    "date_inferred": pl.Boolean(),
    "file": pl.String(),
    "line": pl.Int64(),
}

#: `OBSERVATIONS.known_rule`, from the most to the least direct evidence of the date.
KNOWN_RULES: tuple[str, ...] = ("published", "source", "period_end")

MILESTONE_EVENTS: dict[str, pl.DataType] = {
    "roadmap_id": pl.String(),
    "benchmark": pl.String(),
    "milestone_id": pl.String(),
    "date": pl.Date(),
    "status": pl.String(),
    "score": pl.Int8(),
    "description_fr": pl.String(),
    "description_en": pl.String(),
    "source_id": pl.String(),
    "confidence": pl.String(),
    "file": pl.String(),
    "line": pl.Int64(),
}

SOURCES: dict[str, pl.DataType] = {
    "source_id": pl.String(),
    "title": pl.String(),
    "publisher": pl.String(),
    "symbol": pl.String(),
    "url": pl.String(),
    "published": pl.Date(),
    "paragraph": pl.String(),
    "kind": pl.String(),
    "file": pl.String(),
    "line": pl.Int64(),
}

#: One row per roadmap file: what used to be written in code for Mali (mission, country,
#: document, titles) is data, so another mission's roadmap needs no code change.
ROADMAPS: dict[str, pl.DataType] = {
    "roadmap_id": pl.String(),
    "symbol": pl.String(),
    "published": pl.Date(),
    "source_id": pl.String(),
    "acronym": pl.String(),
    "mission_fr": pl.String(),
    "mission_en": pl.String(),
    "country": pl.String(),
    "title_fr": pl.String(),
    "title_en": pl.String(),
    # The thematic reports (ids of `pipelines.jobs.THEMATIC`) this roadmap is analysed in,
    # comma-separated: the women's quota and DDR reports are MINUSMA's, not every mission's.
    "reports": pl.String(),
    "file": pl.String(),
}

#: Dates a roadmap's charts mark (the roadmap itself, the end of a mandate...), each with the
#: date from which it was known: a report as of an earlier date does not show it.
KEY_DATES: dict[str, pl.DataType] = {
    "roadmap_id": pl.String(),
    "key_date_id": pl.String(),
    "date": pl.Date(),
    "known_from": pl.Date(),
    "label_fr": pl.String(),
    "label_en": pl.String(),
}

BENCHMARKS: dict[str, pl.DataType] = {
    "roadmap_id": pl.String(),
    "benchmark": pl.String(),
    "paragraph": pl.Int64(),
    "title_fr": pl.String(),
    "title_en": pl.String(),
    "text_fr": pl.String(),
    "text_en": pl.String(),
    "phase": pl.String(),
    "horizon": pl.Date(),
    "kind": pl.String(),
    # The text of a benchmark may be unknown (not found in the sources read): then the note
    # says where it was sought, and a report says so instead of inventing a wording.
    "text_note_fr": pl.String(),
    "text_note_en": pl.String(),
    # A benchmark retired or transferred (to another actor) from a date on: reports from
    # that date say so, and the scorecard no longer counts it.
    "retired_on": pl.Date(),
    "retired_as": pl.String(),
    "retired_to_fr": pl.String(),
    "retired_to_en": pl.String(),
    "retired_source_id": pl.String(),
}

INDICATORS: dict[str, pl.DataType] = {
    "roadmap_id": pl.String(),
    "benchmark": pl.String(),
    "indicator_id": pl.String(),
    "name_fr": pl.String(),
    "name_en": pl.String(),
    "unit": pl.String(),
    "direction": pl.String(),
    "cumulative": pl.Boolean(),
    "baseline_value": pl.Float64(),
    "baseline_date": pl.Date(),
    "target_value": pl.Float64(),
    "target_date": pl.Date(),
    "lower_bound": pl.Float64(),
    "upper_bound": pl.Float64(),
    "roadmap_paragraph": pl.Int64(),
    "roadmap_value": pl.Float64(),
    "roadmap_qualifier": pl.String(),
    "roadmap_quote_fr": pl.String(),
    # The declared assessment rule (roadmap file, ``baseline`` and ``assessment``; see
    # `pipelines.catalogue._assessment`): the body whose figure is the baseline, the rule in
    # plain words with the roadmap's words behind it, the sources assessed (space-separated,
    # preferred first; null: all, ranked) and, for ``counts: additions_since``, the date.
    "baseline_body_since": pl.Date(),
    "baseline_body_fr": pl.String(),
    "baseline_body_en": pl.String(),
    "rule_fr": pl.String(),
    "rule_en": pl.String(),
    "rule_quote_fr": pl.String(),
    "rule_paragraph": pl.Int64(),
    "assess_series": pl.String(),
    "counts_since": pl.Date(),
    # The shortest span (years) a pace is judged on before the target date (roadmap-wide
    # ``assessment.min_pace_years``, or the indicator's own); null: any span.
    "min_pace_years": pl.Float64(),
}

MILESTONES: dict[str, pl.DataType] = {
    "roadmap_id": pl.String(),
    "benchmark": pl.String(),
    "milestone_id": pl.String(),
    "name_fr": pl.String(),
    "name_en": pl.String(),
    "due": pl.Date(),
}

QUARANTINE: dict[str, pl.DataType] = {
    "file": pl.String(),
    "line": pl.Int64(),
    "column": pl.String(),
    "value": pl.String(),
    "rule": pl.String(),
    "reason": pl.String(),
    # What the row was about, as written (null when the file did not say): a benchmark report
    # finds its own quarantined rows by these, so it never says "no figure was found" about
    # figures that were supplied and set aside.
    "roadmap_id": pl.String(),
    "benchmark": pl.String(),
    "indicator_id": pl.String(),
}

#: Every processed table, by the file stem it is written under in data/processed/.
TABLES: dict[str, dict[str, pl.DataType]] = {
    "observations": OBSERVATIONS,
    "milestone_events": MILESTONE_EVENTS,
    "sources": SOURCES,
    "roadmaps": ROADMAPS,
    "key_dates": KEY_DATES,
    "benchmarks": BENCHMARKS,
    "indicators": INDICATORS,
    "milestones": MILESTONES,
    "quarantine": QUARANTINE,
}

#: Units an indicator may be declared in. Shares are stored in percent (0-100).
UNITS: frozenset[str] = frozenset({"percent", "count", "persons", "households", "fcfa_bn", "ratio"})
#: Direction of good progress.
DIRECTIONS: frozenset[str] = frozenset({"increase", "decrease"})
#: Confidence of a figure, as tagged in the reference notes: [V-P] primary, [V-S] secondary,
#: [D] derived by arithmetic from cited figures.
CONFIDENCE: frozenset[str] = frozenset({"primary", "secondary", "derived"})
#: How a benchmark leaves a roadmap before its end (`BENCHMARKS.retired_as`).
RETIREMENTS: frozenset[str] = frozenset({"transferred", "retired"})
#: Milestone status on the Peace Accords Matrix scale, with the score each one counts for.
MILESTONE_STATUS: dict[str, int] = {
    "not_initiated": 0,
    "minimal": 1,
    "intermediate": 2,
    "full": 3,
    "reversed": 0,
}


def empty(table: str) -> pl.DataFrame:
    """An empty frame of a processed table, with its columns and dtypes."""
    return pl.DataFrame(schema=TABLES[table])


def conform(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """Order and cast a frame's columns to the table's schema (extra columns are an error)."""
    schema = TABLES[table]
    extra = set(frame.columns) - set(schema)
    if extra:
        raise ValueError(f"{table}: unexpected columns {sorted(extra)}")
    return frame.select(
        [
            (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in schema.items()
        ]
    )
