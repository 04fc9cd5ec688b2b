"""A small, valid set of processed tables, and a large synthetic one, built with the schema.

The validation tests break one rule at a time in a copy of `sample_frames()`, and
`validation_bench` times the checks on `synthetic_frames(rows)`; both need tables that pass
every rule to start from, built without running ingest (written by someone else, and slower).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.core import schema, store

OBS_FILE = "data/raw/observations/women.csv"
COUNT_FILE = "data/raw/observations/dds.csv"
EVENTS_FILE = "data/raw/milestones.csv"
SOURCES_FILE = "data/raw/sources.csv"
ROADMAP = "test"


def _frame(table: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    return schema.conform(
        pl.DataFrame(
            rows, schema={k: v for k, v in schema.TABLES[table].items() if any(k in r for r in rows)}, strict=False
        ),
        table,
    )


def _indicator(
    iid: str, benchmark: str | None, unit: str, lower: float | None, upper: float | None, cumulative: bool = False
) -> dict[str, Any]:
    return {
        "roadmap_id": ROADMAP,
        "benchmark": benchmark,
        "indicator_id": iid,
        "name_fr": iid,
        "name_en": iid,
        "unit": unit,
        "direction": "increase",
        "cumulative": cumulative,
        "baseline_value": None,
        "baseline_date": date(2021, 3, 25),
        "target_value": None,
        "target_date": date(2022, 12, 31),
        "lower_bound": lower,
        "upper_bound": upper,
    }


def roadmap_frames() -> dict[str, pl.DataFrame]:
    """One roadmap (of Mali) with two benchmarks (B: elections, C: DDR), three indicators,
    two milestones and a key date."""
    roadmaps = _frame(
        "roadmaps",
        [
            {
                "roadmap_id": ROADMAP,
                "symbol": "TEST/1",
                "published": date(2021, 3, 25),
                "source_id": "s-1",
                "acronym": "TEST",
                "mission_fr": "Mission d'essai",
                "mission_en": "Test mission",
                "country": "ML",
                "title_fr": "Feuille de route d'essai",
                "title_en": "Test roadmap",
                "reports": "{}",
                "report_words": "{}",
                "file": "data/raw/roadmaps/test.yaml",
            }
        ],
    )
    key_dates = _frame(
        "key_dates",
        [
            {
                "roadmap_id": ROADMAP,
                "key_date_id": "roadmap",
                "date": date(2021, 3, 25),
                "known_from": date(2021, 3, 25),
                "label_fr": "feuille de route",
                "label_en": "roadmap",
            }
        ],
    )
    benchmarks = _frame(
        "benchmarks",
        [
            {
                "roadmap_id": ROADMAP,
                "benchmark": b,
                "paragraph": p,
                "title_fr": t,
                "title_en": t,
                "text_fr": t,
                "text_en": t,
                "phase": "I",
                "horizon": date(2022, 12, 31),
                "kind": "mixed",
            }
            for b, p, t in (("B", 8, "Elections"), ("C", 9, "DDR"))
        ],
    )
    indicators = _frame(
        "indicators",
        [
            _indicator("women_share", "B", "percent", 0.0, 100.0),
            _indicator("combatants_integrated", "C", "persons", 0.0, None, cumulative=True),
            _indicator("prefects_present", "C", "count", 0.0, 8.0),
        ],
    )
    milestones = _frame(
        "milestones",
        [
            {
                "roadmap_id": ROADMAP,
                "benchmark": "B",
                "milestone_id": "B1",
                "name_fr": "Loi",
                "name_en": "Law",
                "due": date(2022, 12, 31),
            },
            {
                "roadmap_id": ROADMAP,
                "benchmark": "C",
                "milestone_id": "C1",
                "name_fr": "Camps",
                "name_en": "Camps",
                "due": None,
            },
        ],
    )
    return {
        "roadmaps": roadmaps,
        "key_dates": key_dates,
        "benchmarks": benchmarks,
        "indicators": indicators,
        "milestones": milestones,
    }


def sample_frames() -> dict[str, pl.DataFrame]:
    """Every processed table, small, passing every rule (errors and warnings)."""

    def obs(
        line: int,
        iid: str,
        geo: str,
        start: date,
        end: date,
        value: float,
        source: str = "s-1",
        file: str = OBS_FILE,
        note: str | None = None,
    ) -> dict[str, Any]:
        unit = {"women_share": "percent", "combatants_integrated": "persons", "prefects_present": "count"}[iid]
        return {
            "indicator_id": iid,
            "geo_code": geo,
            "period_start": start,
            "period_end": end,
            "value": value,
            "unit": unit,
            "source_id": source,
            "confidence": "primary",
            "note": note,
            "file": file,
            "line": line,
        }

    observations = _frame(
        "observations",
        [
            obs(2, "women_share", "ML", date(2020, 1, 1), date(2020, 12, 31), 27.9, note="4 of 25 members"),
            obs(3, "women_share", "ML", date(2021, 1, 1), date(2021, 12, 31), 28.6),
            obs(4, "women_share", "ML-9", date(2021, 1, 1), date(2021, 12, 31), 16.0, source="s-2"),
            obs(2, "combatants_integrated", "ML", date(2021, 1, 1), date(2021, 6, 30), 1000.0, file=COUNT_FILE),
            obs(3, "combatants_integrated", "ML", date(2021, 7, 1), date(2021, 12, 31), 1840.0, file=COUNT_FILE),
            obs(4, "combatants_integrated", "ML", date(2022, 1, 1), date(2022, 6, 30), 2000.0, file=COUNT_FILE),
            obs(5, "prefects_present", "ML-7", date(2022, 1, 1), date(2022, 1, 31), 6.0, file=COUNT_FILE),
        ],
    )
    events = _frame(
        "milestone_events",
        [
            {
                "roadmap_id": ROADMAP,
                "benchmark": "B",
                "milestone_id": "B1",
                "date": date(2022, 6, 24),
                "status": "full",
                "score": 3,
                "description_fr": "Loi adoptée",
                "description_en": "Law adopted",
                "source_id": "s-1",
                "confidence": "primary",
                "file": EVENTS_FILE,
                "line": 2,
            },
            {
                "roadmap_id": ROADMAP,
                "benchmark": "C",
                "milestone_id": "C1",
                "date": date(2021, 5, 1),
                "status": "minimal",
                "score": 1,
                "description_fr": "Début",
                "description_en": "Started",
                "source_id": "s-2",
                "confidence": "secondary",
                "file": EVENTS_FILE,
                "line": 3,
            },
        ],
    )
    sources = _frame(
        "sources",
        [
            {
                "source_id": "s-1",
                "title": "Report of the Secretary-General",
                "publisher": "UN",
                "symbol": "S/2021/519",
                "url": "https://undocs.org/S/2021/519",
                "published": date(2021, 6, 1),
                "paragraph": "12",
                "kind": "primary",
                "file": SOURCES_FILE,
                "line": 2,
            },
            {
                "source_id": "s-2",
                "title": "Press article",
                "publisher": "Press",
                "symbol": None,
                "url": "http://example.org/a",
                "published": date(2021, 7, 1),
                "paragraph": None,
                "kind": "secondary",
                "file": SOURCES_FILE,
                "line": 3,
            },
        ],
    )
    quarantine = _frame(
        "quarantine",
        [
            {
                "file": OBS_FILE,
                "line": 9,
                "column": "geo",
                "value": "Atlantis",
                "rule": "known-region",
                "reason": "'Atlantis' is not a region of Mali",
            },
        ],
    )
    return {
        **roadmap_frames(),
        "observations": observations,
        "milestone_events": events,
        "sources": sources,
        "quarantine": quarantine,
    }


def synthetic_frames(rows: int) -> dict[str, pl.DataFrame]:
    """`sample_frames()` with `rows` generated observations that pass every rule.

    Keys stay unique by spreading rows over 3 indicators x 12 regions x 25 sources x days from
    1995 (10⁷ rows end in 2025, before the era rules' today); the cumulative indicator grows
    with the date, so the monotonic rule is exercised, not skipped.
    """
    frames = sample_frames()
    indicators = ["women_share", "combatants_integrated", "prefects_present"]
    units = {"women_share": "percent", "combatants_integrated": "persons", "prefects_present": "count"}
    geos = ["ML", *[f"ML-{i}" for i in range(1, 11)], "ML-BKO"]
    sources = [f"s-{i}" for i in range(1, 26)]
    i = pl.int_range(0, rows, eager=True, dtype=pl.Int64)
    n_ind, n_geo = len(indicators), len(geos)
    day = (i // (n_ind * n_geo * len(sources))).cast(pl.Int32)
    frame = (
        pl.DataFrame(
            {
                "indicator_id": pl.Series(indicators).gather(i % n_ind),
                "geo_code": pl.Series(geos).gather((i // n_ind) % n_geo),
                "source_id": pl.Series(sources).gather((i // (n_ind * n_geo)) % len(sources)),
                "day": day,
                "line": i + 2,
            }
        )
        .with_columns(
            (pl.lit(date(1995, 1, 1)) + pl.duration(days=pl.col("day"))).cast(pl.Date).alias("period_start"),
        )
        .with_columns(
            pl.col("period_start").alias("period_end"),
            pl.when(pl.col("indicator_id") == "women_share")
            .then((pl.col("day") % 100).cast(pl.Float64))
            .when(pl.col("indicator_id") == "prefects_present")
            .then((pl.col("day") % 9).cast(pl.Float64))
            .otherwise(pl.col("day").cast(pl.Float64))
            .alias("value"),
            pl.col("indicator_id").replace_strict(units, return_dtype=pl.String).alias("unit"),
            pl.lit("primary").alias("confidence"),
            pl.lit(None, dtype=pl.String).alias("note"),
            pl.lit("data/raw/observations/synthetic.csv").alias("file"),
        )
        .drop("day")
    )
    extra_sources = [
        {
            "source_id": s,
            "title": f"Source {s}",
            "publisher": "UN",
            "symbol": None,
            "url": f"https://example.org/{s}",
            "published": date(2021, 1, 1),
            "paragraph": None,
            "kind": "primary",
            "file": SOURCES_FILE,
            "line": 10 + k,
        }
        for k, s in enumerate(sources)
        if s not in ("s-1", "s-2")
    ]
    frames["observations"] = schema.conform(frame, "observations")
    frames["sources"] = pl.concat([frames["sources"], _frame("sources", extra_sources)])
    return frames


def write_processed(frames: Mapping[str, pl.DataFrame], directory: Path) -> dict[str, Any]:
    """Write tables and manifest as ingest does (`store.write_tables`); returns the manifest."""
    tables = dict(frames)
    tables.setdefault("quarantine", schema.empty("quarantine"))
    store.write_tables(tables, {"inputs": {}, "counts": {k: v.height for k, v in tables.items()}}, directory)
    return store.read_manifest(directory)
