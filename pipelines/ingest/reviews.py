"""Reviews as data: a reviewer's judgement recorded beside the rule's, one file per roadmap.

``data/raw/reviews/<roadmap_id>.csv`` (a spreadsheet saves it as it is) holds one row per review
of a benchmark's status, of a target indicator's status or of a milestone's level:

``benchmark, indicator_id, milestone_id, review_date, reviewer, computed_status,
reviewed_status, reasons_fr, reasons_en, source_ids``

* the target: a benchmark alone, or with one ``indicator_id`` (an indicator with a target) or
  one ``milestone_id`` (never both);
* ``computed_status``: the status the rule gave when the reviewer looked (a status id of
  `pipelines.core.statuses`; for a milestone, a level: ``not_initiated`` … ``reversed``);
* ``reviewed_status``: the reviewer's, from the same vocabulary, or ``agree``;
* ``source_ids``: the sources the reasons rest on, separated by spaces or ``;``, each a row of
  a ``sources*.csv``.

A review is refused whole (the ingest stops), naming the file, line, column, value and rule:
a judgement is never set aside silently, nor applied to a target it does not name. What a
review does on a page (shown from its date, "to be reviewed again" once the computed status
has moved) is `pipelines.analysis.reviews`'; a review never changes a figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.core import schema, statuses
from pipelines.core.errors import DataError, Problem
from pipelines.ingest import catalogue as catalogue_mod
from pipelines.ingest import normalise

#: The folder, under data/raw/, of the review files.
FOLDER = "reviews"
REQUIRED = (
    "benchmark",
    "review_date",
    "reviewer",
    "computed_status",
    "reviewed_status",
    "reasons_fr",
    "reasons_en",
    "source_ids",
)
OPTIONAL = ("indicator_id", "milestone_id")
#: What a reviewer writes to agree with the rule.
AGREE = "agree"


def vocabulary(milestone: bool) -> tuple[str, ...]:
    """The statuses a review of that kind of target may name: the one status vocabulary, or
    for a milestone the levels of the Peace Accords Matrix scale."""
    return tuple(schema.MILESTONE_STATUS) if milestone else statuses.IDS


def split_sources(text: str | None) -> list[str]:
    """The source ids of a ``source_ids`` cell."""
    return [s for s in re.split(r"[\s;,]+", text or "") if s]


def normalise_reviews(
    frames: Iterable[pl.DataFrame], cat: catalogue_mod.Catalogue, sources: pl.DataFrame
) -> pl.DataFrame:
    """Every review row, typed and checked against the roadmaps and the sources; the first
    row that breaks a rule stops the ingest with its file, line, column, value and rule."""
    known_sources = set(sources["source_id"].to_list())
    roadmaps = set(cat.roadmaps["roadmap_id"].to_list())
    benchmarks = set(zip(cat.benchmarks["roadmap_id"], cat.benchmarks["benchmark"], strict=True))
    indicators = {
        (r["roadmap_id"], r["benchmark"], r["indicator_id"]): r["target_value"] is not None
        for r in cat.indicators.iter_rows(named=True)
    }
    milestones = set(
        zip(cat.milestones["roadmap_id"], cat.milestones["benchmark"], cat.milestones["milestone_id"], strict=True)
    )
    rows: list[dict[str, object]] = []
    seen: dict[tuple[object, ...], tuple[str, int]] = {}
    for frame in frames:
        for raw in frame.iter_rows(named=True):
            rows.append(_review(raw, roadmaps, benchmarks, indicators, milestones, known_sources, cat))
            row: dict[str, Any] = rows[-1]
            key = tuple(row[c] for c in ("roadmap_id", "benchmark", "indicator_id", "milestone_id", "review_date"))
            if key in seen:
                file, line = seen[key]
                raise DataError(
                    Problem(
                        str(row["file"]),
                        int(row["line"]),
                        "review_date",
                        str(row["review_date"]),
                        "unique-key",
                        f"a second review of the same target on the same day: "
                        f"duplicate of {file} line {line}; keep one row per target and date",
                    )
                )
            seen[key] = (str(row["file"]), int(row["line"]))
    if not rows:
        return schema.empty("reviews")
    return schema.conform(pl.DataFrame(rows, schema=schema.REVIEWS), "reviews").sort(
        ["roadmap_id", "benchmark", "indicator_id", "milestone_id", "review_date"], nulls_last=False
    )


def _review(
    raw: dict[str, str | None],
    roadmaps: set[str],
    benchmarks: set[tuple[str, str]],
    indicators: dict[tuple[str, str, str], bool],
    milestones: set[tuple[str, str, str]],
    known_sources: set[str],
    cat: catalogue_mod.Catalogue,
) -> dict[str, object]:
    file, line = str(raw["file"]), int(raw["line"] or 0)
    cell = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in raw.items()}

    def refuse(column: str | None, rule: str, reason: str) -> DataError:
        return DataError(Problem(file, line, column, None if column is None else cell.get(column), rule, reason))

    roadmap = Path(file.split(", sheet ")[0]).name.split(".")[0]
    if roadmap not in roadmaps:
        raise DataError(
            Problem(
                file,
                None,
                None,
                roadmap,
                "known-roadmap",
                f"a review file is named after its roadmap: '{roadmap}' is not declared in "
                f"data/raw/roadmaps/ (known: {', '.join(sorted(roadmaps))})",
            )
        )
    for column in REQUIRED:
        if not cell.get(column):
            raise refuse(column, "required", f"{column} is empty")
    benchmark = str(cell["benchmark"])
    if (roadmap, benchmark) not in benchmarks:
        raise refuse(
            "benchmark",
            "known-benchmark",
            f"benchmark '{benchmark}' is not declared in roadmap '{roadmap}' ({cat.where(roadmap)})",
        )
    indicator, milestone = cell.get("indicator_id"), cell.get("milestone_id")
    if indicator and milestone:
        raise refuse(
            "milestone_id",
            "one-target",
            "a review names one target: a benchmark, one of its indicators or one of its milestones, "
            "not an indicator and a milestone",
        )
    if indicator:
        if (roadmap, benchmark, indicator) not in indicators:
            raise refuse(
                "indicator_id",
                "known-indicator",
                f"indicator '{indicator}' is not declared under benchmark '{benchmark}' of roadmap "
                f"'{roadmap}' ({cat.where(roadmap, benchmark)})",
            )
        if not indicators[(roadmap, benchmark, indicator)]:
            raise refuse(
                "indicator_id",
                "assessed-target",
                f"indicator '{indicator}' has no target, so no status to review: review its benchmark",
            )
    if milestone and (roadmap, benchmark, milestone) not in milestones:
        raise refuse(
            "milestone_id",
            "known-milestone",
            f"milestone '{milestone}' is not declared under benchmark '{benchmark}' of roadmap "
            f"'{roadmap}' ({cat.where(roadmap, benchmark)})",
        )
    try:
        day = normalise.parse_date(str(cell["review_date"]), "review_date")
    except normalise.ValueProblem as exc:
        raise refuse("review_date", exc.rule, exc.reason) from None
    allowed = vocabulary(bool(milestone))
    what = "a milestone level" if milestone else "a status id (pipelines/core/statuses.py)"
    computed = str(cell["computed_status"]).lower()
    if computed not in allowed:
        raise refuse(
            "computed_status",
            "status",
            f"computed_status '{cell['computed_status']}' must be {what}: {', '.join(allowed)}",
        )
    reviewed = str(cell["reviewed_status"]).lower()
    if reviewed != AGREE and reviewed not in allowed:
        raise refuse(
            "reviewed_status",
            "status",
            f"reviewed_status '{cell['reviewed_status']}' must be '{AGREE}' or {what}: {', '.join(allowed)}",
        )
    cited = split_sources(cell["source_ids"])
    unknown = [s for s in cited if s not in known_sources]
    if unknown:
        raise refuse("source_ids", "known-source", f"source '{unknown[0]}' is not declared in any sources*.csv")
    return {
        "roadmap_id": roadmap,
        "benchmark": benchmark,
        "indicator_id": indicator,
        "milestone_id": milestone,
        "review_date": day,
        "reviewer": cell["reviewer"],
        "computed_status": computed,
        "reviewed_status": None if reviewed == AGREE else reviewed,
        "reasons_fr": cell["reasons_fr"],
        "reasons_en": cell["reasons_en"],
        "source_ids": " ".join(cited),
        "file": file,
        "line": line,
    }
