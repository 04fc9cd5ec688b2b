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
                  rules: dict[str, float | None]) -> dict[str, Any]:
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
        **_assessment(r, node, path, target_value is not None, rules),
    }



def _assessment(r: Reader, node: dict[str, Any], path: str, has_target: bool,
                rules: dict[str, float | None]) -> dict[str, Any]:
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
            r.fail(node, where, "assessment-rule",
                    "an indicator with a target must declare its assessment rule (rule_fr, rule_en, quote_fr): "
                    "every status says which rule it follows")
        return {"rule_fr": None, "rule_en": None, "rule_quote_fr": None, "rule_paragraph": None,
                "assess_series": None, "counts_since": None, **rules}
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
            **{key: _years(r, block, where, key, default) for key, default in rules.items()}}



#: The rules a roadmap sets for all its indicators, each overridable in an indicator's own
#: ``assessment`` block: a positive number of years, or left out (no limit).
RULE_KEYS: tuple[str, ...] = ("min_pace_years", "max_age_years")


def _years(r: Reader, node: dict[str, Any], path: str, key: str, default: float | None) -> float | None:
    """A positive number of years, or the default when the key is left out."""
    if node.get(key) is None:
        return default
    value = r.opt_number(node, key, path)
    if value is None or value <= 0:
        r.fail(node, f"{path}.{key}", key.replace("_", "-"), "must be a positive number of years", node.get(key))
    return value


def roadmap_rules(r: Reader, doc: dict[str, Any]) -> dict[str, float | None]:
    """The roadmap-wide ``assessment: {min_pace_years, max_age_years}``: the rules every
    indicator follows unless its own ``assessment`` says otherwise. A roadmap that says progress
    will not be linear (S/2021/300 §28) should not have a quarter's jump extrapolated into "on
    track"; nor should a pace be judged from a figure a year and a half old."""
    block = doc.get("assessment")
    if block is None:
        return dict.fromkeys(RULE_KEYS)
    if not isinstance(block, dict):
        r.fail(doc, "assessment", "assessment-shape", f"must be a mapping {{{', '.join(RULE_KEYS)}}}", block)
    unknown = sorted(k for k in block if not k.startswith("__") and k not in RULE_KEYS)
    if unknown:
        r.fail(block, "assessment", "assessment-shape",
               f"unknown key {unknown[0]!r}: expected one of {', '.join(RULE_KEYS)}", block)
    return {key: _years(r, block, "assessment", key, None) for key in RULE_KEYS}
