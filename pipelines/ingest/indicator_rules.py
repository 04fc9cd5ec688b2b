"""An indicator's definition in a roadmap file, and the assessment rule it declares, as the
columns of the indicators table.

Separate from `pipelines.ingest.catalogue` (the roadmap, its benchmarks, milestones and key
dates, and the checks across files): an indicator carries the most rules of a roadmap (unit,
bounds, qualifier, baseline, target, and how its status is assessed: the series that speak for
it, what counts, the shortest span a pace is judged on), and every check downstream reads them.
"""

from __future__ import annotations

from typing import Any

from pipelines.core import schema
from pipelines.ingest.roadmap_reader import Reader

QUALIFIERS = frozenset({"=", ">", ">=", "<", "<=", "~"})


def indicator_row(r: Reader, node: Any, path: str, roadmap_id: str, benchmark: str | None,
                  min_pace_years: float | None) -> dict[str, Any]:
    if not isinstance(node, dict):
        r.fail({}, path, "indicator-shape", "an indicator must be a mapping")
    unit = r.choice(node, "unit", path, schema.UNITS)
    bounds = node.get("bounds")
    if bounds is None:
        bounds = [0, 100] if unit == "percent" else [0, None]
    if not (isinstance(bounds, list) and len(bounds) == 2):
        r.fail(node, f"{path}.bounds", "bounds", "must be a list [lower, upper]", bounds)
    lower, upper = (None if b is None else float(b) for b in bounds)
    if lower is not None and upper is not None and lower > upper:
        r.fail(node, f"{path}.bounds", "bounds", "lower bound is above the upper bound", bounds)
    roadmap = node.get("roadmap") or {}
    if roadmap and roadmap.get("qualifier") not in QUALIFIERS | {None}:
        r.fail(roadmap, f"{path}.roadmap.qualifier", "qualifier", f"must be one of {sorted(QUALIFIERS)}",
                roadmap.get("qualifier"))
    baseline, target = node.get("baseline"), node.get("target")
    target_value = r.opt_number(target, "value", f"{path}.target")
    return {
        "roadmap_id": roadmap_id,
        "benchmark": benchmark,
        "_line": node["__lines__"].get("indicator_id"),
        "indicator_id": r.req(node, "indicator_id", path),
        "name_fr": r.req(node, "name_fr", path),
        "name_en": r.req(node, "name_en", path),
        "unit": unit,
        "direction": r.choice(node, "direction", path, schema.DIRECTIONS),
        "cumulative": bool(node.get("cumulative", False)),
        "baseline_value": r.opt_number(baseline, "value", f"{path}.baseline"),
        "baseline_date": r.opt_date(baseline, "date", f"{path}.baseline"),
        "target_value": target_value,
        "target_date": r.opt_date(target, "date", f"{path}.target"),
        "lower_bound": lower,
        "upper_bound": upper,
        "roadmap_paragraph": roadmap.get("paragraph"),
        "roadmap_value": r.opt_number(roadmap, "value", f"{path}.roadmap"),
        "roadmap_qualifier": roadmap.get("qualifier"),
        "roadmap_quote_fr": roadmap.get("quote_fr"),
        "baseline_body_since": r.opt_date(baseline, "body_since", f"{path}.baseline"),
        "baseline_body_fr": (baseline or {}).get("body_fr"),
        "baseline_body_en": (baseline or {}).get("body_en"),
        **_assessment(r, node, path, target_value is not None, min_pace_years),
    }



def _assessment(r: Reader, node: dict[str, Any], path: str, has_target: bool,
                min_pace_years: float | None) -> dict[str, Any]:
    """``assessment: {rule_fr, rule_en, quote_fr, paragraph, series, counts, min_pace_years}`` as columns.

    A status is a claim about the world, so the rule behind it is data a reviewer can read
    and change, not code: in plain words (``rule_fr``/``rule_en``, shown beside the status),
    with the roadmap's words that justify it (``quote_fr``, ``paragraph``), which sources speak
    for the indicator (``series``, preferred first; figures of other sources are shown, never
    assessed) and what counts (``counts``: ``stock``, or ``{additions_since: DATE}``). An
    indicator with a target must declare its rule; one without may (to say why it has none).
    ``min_pace_years`` (the shortest span a pace is judged on) defaults to the roadmap's
    (`roadmap_rules`).
    """
    block = node.get("assessment")
    where = f"{path}.assessment"
    if block is None:
        if has_target:
            r.fail(node, where, "assessment-rule",
                    "an indicator with a target must declare its assessment rule (rule_fr, rule_en, quote_fr): "
                    "every status says which rule it follows")
        return {"rule_fr": None, "rule_en": None, "rule_quote_fr": None, "rule_paragraph": None,
                "assess_series": None, "counts_since": None, "min_pace_years": min_pace_years}
    if not isinstance(block, dict):
        r.fail(node, where, "assessment-shape", "must be a mapping {rule_fr, rule_en, quote_fr, ...}", block)
    paragraph = block.get("paragraph")
    if paragraph is not None and (isinstance(paragraph, bool) or not isinstance(paragraph, int)):
        r.fail(block, f"{where}.paragraph", "type", "'paragraph' must be int (or left out)", paragraph)
    series = block.get("series")
    if series is not None and not (isinstance(series, list) and series
                                   and all(isinstance(s, str) and s.strip() and " " not in s for s in series)):
        r.fail(block, f"{where}.series", "series", "must be a non-empty list of source ids, preferred first", series)
    counts = block.get("counts", "stock")
    since = None
    if isinstance(counts, dict):
        unknown = sorted(k for k in counts if not k.startswith("__") and k != "additions_since")
        if unknown:
            r.fail(block, f"{where}.counts", "counts", f"unknown key {unknown[0]!r}: expected additions_since", counts)
        since = r.opt_date(counts, "additions_since", f"{where}.counts")
    elif counts != "stock":
        r.fail(block, f"{where}.counts", "counts",
                "must be 'stock' or a mapping {additions_since: YYYY-MM-DD}", counts)
    if isinstance(counts, dict) and since is None:
        r.fail(block, f"{where}.counts", "counts", "'additions_since' needs a date", counts)
    quote = r.req(block, "quote_fr", where) if has_target else block.get("quote_fr")
    return {"rule_fr": r.req(block, "rule_fr", where).strip(), "rule_en": r.req(block, "rule_en", where).strip(),
            "rule_quote_fr": quote, "rule_paragraph": paragraph,
            "assess_series": " ".join(series) if series else None, "counts_since": since,
            "min_pace_years": _min_pace_years(r, block, where, min_pace_years)}



def _min_pace_years(r: Reader, node: dict[str, Any], path: str, default: float | None) -> float | None:
    """A positive number of years, or the default when the key is left out."""
    if node.get("min_pace_years") is None:
        return default
    value = r.opt_number(node, "min_pace_years", path)
    if value is None or value <= 0:
        r.fail(node, f"{path}.min_pace_years", "min-pace-years", "must be a positive number of years",
                node.get("min_pace_years"))
    return value



def roadmap_rules(r: Reader, doc: dict[str, Any]) -> float | None:
    """The roadmap-wide ``assessment: {min_pace_years}``: the rules every indicator follows
    unless its own ``assessment`` says otherwise. A roadmap that says progress will not be
    linear (S/2021/300 §28) should not have a quarter's jump extrapolated into "on track"."""
    block = doc.get("assessment")
    if block is None:
        return None
    if not isinstance(block, dict):
        r.fail(doc, "assessment", "assessment-shape", "must be a mapping {min_pace_years, ...}", block)
    unknown = sorted(k for k in block if not k.startswith("__") and k != "min_pace_years")
    if unknown:
        r.fail(block, "assessment", "assessment-shape", f"unknown key {unknown[0]!r}: expected min_pace_years",
                block)
    return _min_pace_years(r, block, "assessment", None)

