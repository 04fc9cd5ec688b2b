"""The one assessment of a roadmap at a date: a row per benchmark and per target indicator.

Every status a page shows is a row of this table: the benchmark reports, the overview, the
index, the history strip and the thematic reports all reach their statuses through the same
functions (`views.benchmark_view`, `views.benchmark_standing`, `indicators.assess`), and this
table is what those functions say, written down once per roadmap and date and published as
``reports/data/<roadmap>/assessments.csv`` so that a reader, or a test, can hold every page to
it. Each row says the status, the figure that decided it (value, date, source), the value the
rule counts and its share of the target, the rule, the sentence in both languages, and for a
benchmark the part that decided.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import polars as pl

from pipelines.analysis.confidence import Confidence
from pipelines.analysis.indicators import IndicatorView
from pipelines.analysis.reviews import Review
from pipelines.analysis.views import BenchmarkView, Tables, benchmark_order, benchmark_view
from pipelines.core import statuses
from pipelines.core.schema import Described

#: The columns of the assessment table, with what each holds (the published CSV's schema).
#: ``indicator_id`` is empty on a benchmark's own row.
COLUMNS: dict[str, tuple[pl.DataType, Described]] = {
    "roadmap_id": (pl.String(), Described("the roadmap", "la feuille de route")),
    "benchmark": (pl.String(), Described("the benchmark", "l'objectif de référence")),
    "indicator_id": (
        pl.String(),
        Described(
            "the target indicator; empty on the benchmark's own row",
            "l'indicateur à cible ; vide sur la ligne de l'objectif lui-même",
        ),
    ),
    "as_of": (
        pl.Date(),
        Described("the date assessed, as known on that day", "la date évaluée, telle que connue ce jour-là"),
    ),
    "status": (
        pl.String(),
        Described("the status id (pipelines/core/statuses.py)", "l'identifiant du statut (pipelines/core/statuses.py)"),
    ),
    "status_fr": (pl.String(), Described("the status in French", "le statut en français")),
    "status_en": (pl.String(), Described("the status in English", "le statut en anglais")),
    "deciding_part": (
        pl.String(),
        Described(
            "on a benchmark's row, the part that decided: 'milestones' or an indicator id",
            "sur la ligne d'un objectif, l'élément qui décide : « milestones » ou un indicateur",
        ),
    ),
    "deciding_value": (
        pl.Float64(),
        Described("the figure that decided, as published", "le chiffre qui décide, tel que publié"),
    ),
    "deciding_date": (pl.Date(), Described("the date that figure describes", "la date que décrit ce chiffre")),
    "deciding_source_id": (
        pl.String(),
        Described("the source of that figure (sources.csv)", "la source de ce chiffre (sources.csv)"),
    ),
    "baseline_value": (pl.Float64(), Described("the baseline the rule measures from", "la référence de la règle")),
    "baseline_date": (pl.Date(), Described("the baseline's date", "la date de la référence")),
    "target_value": (
        pl.Float64(),
        Described("the target (for milestones: the most points)", "la cible (pour des jalons : le maximum de points)"),
    ),
    "deadline": (
        pl.Date(),
        Described(
            "the target's date (for milestones: the benchmark's horizon)",
            "l'échéance (pour des jalons : l'horizon de l'objectif)",
        ),
    ),
    "counted_value": (
        pl.Float64(),
        Described(
            "what the rule counts of the deciding figure (additions since a date, or milestone points)",
            "ce que la règle compte du chiffre qui décide (ajouts depuis une date, ou points des jalons)",
        ),
    ),
    "share_of_target": (
        pl.Float64(),
        Described(
            "share of the distance from the baseline to the target covered, 0-1",
            "part du chemin de la référence à la cible parcourue, 0-1",
        ),
    ),
    "rule": (pl.String(), Described("the rule that applied (its reason code)", "la règle appliquée (son code)")),
    "sentence_fr": (pl.String(), Described("why, in French", "pourquoi, en français")),
    "sentence_en": (pl.String(), Described("why, in English", "pourquoi, en anglais")),
    "summary_fr": (
        pl.String(),
        Described(
            "on a benchmark's row, the plain summary its page opens with, in French",
            "sur la ligne d'un objectif, le résumé qui ouvre sa page, en français",
        ),
    ),
    "summary_en": (
        pl.String(),
        Described(
            "on a benchmark's row, the plain summary its page opens with, in English",
            "sur la ligne d'un objectif, le résumé qui ouvre sa page, en anglais",
        ),
    ),
    "confidence": (
        pl.String(),
        Described(
            "how much to trust the status: high, medium or low (empty: not assessed); "
            "see pipelines/analysis/confidence.py",
            "la confiance à accorder au statut : high, medium ou low (vide : sans "
            "évaluation) ; voir pipelines/analysis/confidence.py",
        ),
    ),
    "confidence_criteria": (
        pl.String(),
        Described(
            "the criteria that lowered it, space-separated (secondary, old, conflicting, undated, single_source)",
            "les critères qui l'abaissent, séparés par des espaces",
        ),
    ),
    "confidence_fr": (
        pl.String(),
        Described("why that confidence, in French", "pourquoi cette confiance, en français"),
    ),
    "confidence_en": (
        pl.String(),
        Described("why that confidence, in English", "pourquoi cette confiance, en anglais"),
    ),
    "review_state": (
        pl.String(),
        Described(
            "a reviewer's judgement known on as_of: agreed, changed, or stale (the "
            "computed status has changed since: to be reviewed again); empty: none",
            "le jugement d'un relecteur connu à as_of : agreed, changed, ou stale (le "
            "statut calculé a changé depuis : à revoir) ; vide : aucun",
        ),
    ),
    "reviewed_status": (
        pl.String(),
        Described(
            "the reviewer's status (the computed one when agreed; empty when "
            "stale); the computed status stays in 'status'",
            "le statut du relecteur (le calculé s'il est d'accord ; vide si à "
            "revoir) ; le statut calculé reste dans « status »",
        ),
    ),
    "reviewed_status_computed": (
        pl.String(),
        Described("the computed status the reviewer saw", "le statut calculé qu'a vu le relecteur"),
    ),
    "reviewer": (pl.String(), Described("who reviewed (name or role)", "qui a relu (nom ou fonction)")),
    "review_date": (
        pl.Date(),
        Described(
            "the review's date; it counts from that day, or from the roadmap's latest "
            "data date when made after it (it judged those data)",
            "la date de la revue ; elle compte à partir de ce jour, ou de la date des "
            "dernières données de la feuille de route si elle est postérieure",
        ),
    ),
    "review_reasons_fr": (pl.String(), Described("the reviewer's reasons, in French", "les motifs, en français")),
    "review_reasons_en": (pl.String(), Described("the reviewer's reasons, in English", "les motifs, en anglais")),
    "review_source_ids": (
        pl.String(),
        Described(
            "the sources of the review, space-separated (sources.csv)",
            "les sources de la revue, séparées par des espaces",
        ),
    ),
}
SCHEMA: dict[str, pl.DataType] = {name: dtype for name, (dtype, _) in COLUMNS.items()}


def assessments(tables: Tables, as_of: str | date | None) -> pl.DataFrame:
    """One roadmap's assessment at ``as_of`` (default: the latest date in its data): each
    benchmark's row, then its target indicators', in reading order. `tables` are one
    roadmap's (`Tables.for_roadmap`)."""
    day = tables.resolve_as_of(as_of)
    rows: list[dict[str, Any]] = []
    for letter in benchmark_order(tables.benchmarks["benchmark"].to_list()):
        view = benchmark_view(tables, letter, "en", day)
        rows.append(benchmark_row(view))
        rows += [indicator_row(view, v) for v in view.indicators if v.has_target]
    return pl.DataFrame(rows, schema=SCHEMA)


def _base(view: BenchmarkView, indicator_id: str | None, status: str) -> dict[str, Any]:
    return {
        "roadmap_id": view.roadmap["roadmap_id"],
        "benchmark": view.letter,
        "indicator_id": indicator_id,
        "as_of": view.as_of,
        "status": status,
        "status_fr": statuses.label(status, "fr"),
        "status_en": statuses.label(status, "en"),
    }


def benchmark_row(view: BenchmarkView) -> dict[str, Any]:
    """A benchmark's row: its status, the part that decided and that part's figures."""
    row = dict.fromkeys(COLUMNS) | _base(view, None, view.status)
    row |= {
        "deciding_part": view.deciding,
        "share_of_target": view.score,
        "sentence_fr": replace(view, lang="fr").status_why(),
        "sentence_en": view.status_why(),
        "summary_fr": replace(view, lang="fr").summary(),
        "summary_en": view.summary(),
    }
    row |= judged(view.confidence(), view.review())
    if view.deciding == "milestones":
        counted = view.counted_milestones
        row |= {
            "counted_value": float(counted.points),
            "target_value": float(counted.max_points),
            "deadline": view.benchmark.get("horizon"),
            "rule": "milestones",
        }
    elif view.deciding is not None:
        deciding = next(v for v in view.indicators if v.indicator["indicator_id"] == view.deciding)
        part = indicator_row(view, deciding)
        row |= {
            k: part[k]
            for k in (
                "deciding_value",
                "deciding_date",
                "deciding_source_id",
                "baseline_value",
                "baseline_date",
                "target_value",
                "deadline",
                "counted_value",
                "rule",
            )
        }
    return row


def indicator_row(view: BenchmarkView, iv: IndicatorView) -> dict[str, Any]:
    """A target indicator's row: the figure that decided, as published and as counted."""
    a, ind = iv.assessment, iv.indicator
    decided = a.decisive
    published = decided[1] + iv.counted_from[1] if decided and iv.counted_from else (decided[1] if decided else None)
    return (
        dict.fromkeys(COLUMNS)
        | _base(view, ind["indicator_id"], a.status)
        | {
            "deciding_value": published,
            "deciding_date": decided[0] if decided else None,
            "deciding_source_id": deciding_source(iv, decided[0]) if decided else None,
            "baseline_value": a.baseline[1] if a.baseline else None,
            "baseline_date": a.baseline[0] if a.baseline else None,
            "target_value": ind["target_value"],
            "deadline": ind["target_date"],
            "counted_value": decided[1] if decided else None,
            "share_of_target": a.current_status,
            "rule": a.reason,
            "sentence_fr": iv.why("fr"),
            "sentence_en": iv.why("en"),
        }
        | judged(view.indicator_confidence(iv), view.indicator_review(iv))
    )


def judged(confidence: Confidence, review: Review | None) -> dict[str, Any]:
    """A row's confidence and the review known beside its status (`pipelines.analysis.reviews`):
    recorded next to the computed status, which they never replace."""
    row: dict[str, Any] = {
        "confidence": confidence.grade,
        "confidence_criteria": " ".join(confidence.criteria) or None,
        "confidence_fr": confidence.reasons("fr") or None,
        "confidence_en": confidence.reasons("en") or None,
    }
    if review is not None:
        row |= {
            "review_state": review.state,
            "reviewed_status": review.status,
            "reviewed_status_computed": review.seen_status,
            "reviewer": review.reviewer,
            "review_date": review.review_date,
            "review_reasons_fr": review.reasons_fr,
            "review_reasons_en": review.reasons_en,
            "review_source_ids": " ".join(review.source_ids),
        }
    return row


def deciding_source(iv: IndicatorView, day: date) -> str | None:
    """The source of the figure dated ``day`` that the assessment used: the preferred one of
    those it assessed (`IndicatorView.sources_used`)."""
    cited = set(iv.observations.filter(pl.col("period_end") == day)["source_id"].to_list())
    return next((s for s in iv.sources_used if s in cited), None)
