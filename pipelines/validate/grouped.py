"""Per-indicator range rules checked in one pass over the table, reported per indicator.

Each indicator has its own range rules (``share-range:<id>``, ``count-non-negative:<id>``,
``bounds:<id>``; see `validation_rules.indicator_rules`), so that a benchmark's notebook can
pick its own results and a message names the indicator. Giving GX one expectation per
indicator with a row condition makes GX filter the whole table once per rule: cost grows with
rows × indicators, which at ten million rows and two thousand indicators never finishes.

So the rules of one family are checked together: the bounds of every indicator are written
into helper columns (``_share_range_min`` …) by a join on ``indicator_id``, GX checks
``value >= _<family>_min`` and ``_<family>_max >= value`` once each over all rows (rows of
indicators without such a bound are ignored), and the failing rows are handed back to the
indicator they belong to. The results, messages and pages are the same as with one GX run per
indicator; only the work is linear.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from pipelines.validate.results import Outcome

#: Rule families checked in one pass, by rule-id prefix; each has a min and a max helper column.
FAMILIES: tuple[str, ...] = ("share-range", "count-non-negative", "bounds")


def columns(family: str) -> tuple[str, str]:
    """The helper columns holding a family's lower and upper bound per row."""
    stem = "_" + family.replace("-", "_")
    return f"{stem}_min", f"{stem}_max"


#: Every helper column this module adds, in order (the "columns" rule lists them).
HELPER_COLUMNS: tuple[str, ...] = tuple(c for f in FAMILIES for c in columns(f))


def family(expectation: Mapping[str, Any]) -> str | None:
    """The family of a per-indicator range rule, or None for any other rule."""
    prefix = expectation["meta"]["rule"].split(":", 1)[0]
    if prefix in FAMILIES and expectation["meta"].get("indicator_id") is not None:
        return prefix
    return None


def split(expectations: Sequence[Mapping[str, Any]]) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """(rules GX checks one by one, per-indicator range rules checked by family)."""
    grouped = [e for e in expectations if family(e) is not None]
    return [e for e in expectations if family(e) is None], grouped


def with_bounds(frame: pl.DataFrame, grouped: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """Add every family's bound columns (Float64, null where no rule applies), keeping row order."""
    out = frame
    for name in FAMILIES:
        low, high = columns(name)
        bounds = {
            e["meta"]["indicator_id"]: (e["kwargs"].get("min_value"), e["kwargs"].get("max_value"))
            for e in grouped
            if family(e) == name
        }
        if "indicator_id" in out.columns and out.schema["indicator_id"] == pl.String:
            # a lookup by indicator on the one column, added as series: a join, or an expression
            # over the whole frame (whose helper columns are chunked unlike the rest), copied
            # the table each time, 2 GiB at 10⁷ rows
            ids, indicator = list(bounds), out.get_column("indicator_id")
            out = out.with_columns(
                indicator.replace_strict(
                    ids,
                    pl.Series([b[side] for b in bounds.values()], dtype=pl.Float64),
                    default=None,
                    return_dtype=pl.Float64,
                ).alias(column)
                for side, column in ((0, low), (1, high))
            )
        else:  # a table that lost its indicator column: the "columns" and type rules report it
            out = out.with_columns(
                pl.lit(None, dtype=pl.Float64).alias(low), pl.lit(None, dtype=pl.Float64).alias(high)
            )
    return out


def _rule(name: str, side: str) -> str:
    return f"{name}:all-indicators:{side}"


def expectations(grouped: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The GX expectations checking each family's bounds over all rows (two per family at most)."""
    out: list[dict[str, Any]] = []
    for name in FAMILIES:
        members = [e for e in grouped if family(e) == name]
        low, high = columns(name)
        for side, a, b, key in (("min", "value", low, "min_value"), ("max", high, "value", "max_value")):
            if any(e["kwargs"].get(key) is not None for e in members):
                out.append(
                    {
                        "type": "expect_column_pair_values_a_to_be_greater_than_b",
                        "kwargs": {
                            "column_A": a,
                            "column_B": b,
                            "or_equal": True,
                            "ignore_row_if": "either_value_is_missing",
                        },
                        "meta": {
                            "severity": "error",
                            "rule": _rule(name, side),
                            "description": f"{name}: every indicator's {side} bound",
                        },
                    }
                )
    return out


def distribute(
    grouped: Sequence[Mapping[str, Any]], outcomes: Mapping[str, Outcome], frame: pl.DataFrame
) -> dict[str, Outcome]:
    """Each per-indicator rule's outcome, from the family outcomes GX returned.

    A family GX could not compute makes every rule of that family "could not be checked";
    otherwise a rule fails exactly when rows of its indicator failed either side.
    """
    ids = frame["indicator_id"] if "indicator_id" in frame.columns else None
    result: dict[str, Outcome] = {}
    for name in FAMILIES:
        sides = [outcomes[r] for r in (_rule(name, "min"), _rule(name, "max")) if r in outcomes]
        errors = tuple(sorted({m for o in sides for m in o.errors}))
        failing: dict[str, set[int]] = {}
        rows = sorted({i for o in sides for i in (o.indices or ())})
        if rows and ids is not None:
            for i, iid in zip(rows, ids.gather(rows).to_list(), strict=True):
                failing.setdefault(iid, set()).add(i)
        for e in grouped:
            if family(e) != name:
                continue
            rule, mine = e["meta"]["rule"], sorted(failing.get(e["meta"]["indicator_id"], ()))
            result[rule] = Outcome(
                rule=rule,
                success=not mine and not errors,
                unexpected_count=len(mine),
                indices=tuple(mine),
                errors=errors,
            )
    return result
