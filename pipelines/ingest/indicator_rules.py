"""An indicator's definition in a roadmap file, and the assessment rule it declares, as the
columns of the indicators table.

Separate from `pipelines.ingest.catalogue` (the roadmap, its benchmarks, milestones and key
dates, and the checks across files): an indicator carries the most rules of a roadmap (unit,
bounds, qualifier, baseline, target, and how its status is assessed: the series that speak for
it, what counts, the shortest span a pace is judged on), and every check downstream reads them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pipelines.ingest.roadmap_reader import Reader, as_date, as_number


def indicator_row(
    r: Reader, node: dict[str, Any], path: str, roadmap_id: str, benchmark: str | None, rules: dict[str, float | None]
) -> dict[str, Any]:
    """One indicator of a roadmap file (of the schema's shape) as a row of the indicators table."""
    unit = node["unit"]
    bounds = node.get("bounds")
    if bounds is None:
        bounds = [0, 100] if unit == "percent" else [0, None]
    lower, upper = (as_number(b) for b in bounds)
    if lower is not None and upper is not None and lower > upper:
        r.fail(node, f"{path}.bounds", "bounds", "lower bound is above the upper bound", bounds)
    roadmap, baseline, target = (node.get(key) or {} for key in ("roadmap", "baseline", "target"))
    target_value = as_number(target.get("value"))
    return {
        "roadmap_id": roadmap_id,
        "benchmark": benchmark,
        "_line": node["__lines__"].get("indicator_id"),
        "indicator_id": node["indicator_id"],
        "name_fr": node["name_fr"],
        "name_en": node["name_en"],
        "unit": unit,
        "direction": node["direction"],
        "cumulative": node.get("cumulative", False),
        "baseline_value": as_number(baseline.get("value")),
        "baseline_date": as_date(baseline.get("date")),
        "target_value": target_value,
        "target_date": as_date(target.get("date")),
        "lower_bound": lower,
        "upper_bound": upper,
        "roadmap_paragraph": roadmap.get("paragraph"),
        "roadmap_value": as_number(roadmap.get("value")),
        "roadmap_qualifier": roadmap.get("qualifier"),
        "roadmap_quote_fr": roadmap.get("quote_fr"),
        "roadmap_related": " ".join(roadmap.get("related") or []) or None,
        "roadmap_related_complement": " ".join(roadmap.get("related_complement") or []) or None,
        "baseline_body_since": as_date(baseline.get("body_since")),
        "baseline_body_fr": baseline.get("body_fr"),
        "baseline_body_en": baseline.get("body_en"),
        **_assessment(r, node, path, target_value is not None, rules),
    }


def _assessment(
    r: Reader, node: dict[str, Any], path: str, has_target: bool, rules: dict[str, float | None]
) -> dict[str, Any]:
    """``assessment: {rule_fr, rule_en, quote_fr, paragraph, series, counts, min_pace_years,
    max_age_years}`` as columns.

    A status is a claim about the world, so the rule behind it is data a reviewer can read
    and change, not code: in plain words (``rule_fr``/``rule_en``, shown beside the status),
    with the roadmap's words that justify it (``quote_fr``, ``paragraph``), which sources speak
    for the indicator (``series``, preferred first; figures of other sources are shown, never
    assessed) and what counts (``counts``: ``stock``, or ``{additions_since: DATE}``). An
    indicator with a target must declare its rule; one without may (to say why it has none).
    ``min_pace_years`` (the shortest span a pace is judged on) and ``max_age_years`` (the
    oldest a deciding figure may be before the deadline) default to the roadmap's
    (`roadmap_rules`).
    """
    block = node.get("assessment")
    where = f"{path}.assessment"
    if block is None:
        if has_target:
            r.fail(
                node,
                where,
                "assessment-rule",
                "an indicator with a target must declare its assessment rule (rule_fr, rule_en, quote_fr): "
                "every status says which rule it follows",
            )
        return {
            "rule_fr": None,
            "rule_en": None,
            "rule_quote_fr": None,
            "rule_paragraph": None,
            "assess_series": None,
            "counts_since": None,
            **rules,
        }
    if has_target and block.get("quote_fr") is None:
        r.fail(
            block,
            f"{where}.quote_fr",
            "required",
            "'quote_fr' is required here: the roadmap's words behind the rule of an indicator with a target",
        )
    counts, series = block.get("counts"), block.get("series")
    return {
        "rule_fr": block["rule_fr"].strip(),
        "rule_en": block["rule_en"].strip(),
        "rule_quote_fr": block.get("quote_fr"),
        "rule_paragraph": block.get("paragraph"),
        "assess_series": " ".join(series) if series else None,
        "counts_since": date.fromisoformat(counts["additions_since"]) if isinstance(counts, dict) else None,
        **{key: _years(block, key, default) for key, default in rules.items()},
    }


#: The rules a roadmap sets for all its indicators, each overridable in an indicator's own
#: ``assessment`` block: a positive number of years, or left out (no limit).
RULE_KEYS: tuple[str, ...] = ("min_pace_years", "max_age_years")


def _years(node: dict[str, Any], key: str, default: float | None) -> float | None:
    """A positive number of years (the schema's ``min-pace-years``, ``max-age-years``), or the
    default when the key is left out."""
    value = as_number(node.get(key))
    return default if value is None else value


def roadmap_rules(doc: dict[str, Any]) -> dict[str, float | None]:
    """The roadmap-wide ``assessment: {min_pace_years, max_age_years}``: the rules every
    indicator follows unless its own ``assessment`` says otherwise. A roadmap that says progress
    will not be linear (S/2021/300 §28) should not have a quarter's jump extrapolated into "on
    track"; nor should a pace be judged from a figure a year and a half old."""
    block = doc.get("assessment") or {}
    return {key: _years(block, key, None) for key in RULE_KEYS}
