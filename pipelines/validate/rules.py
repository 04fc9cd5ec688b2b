"""What is checked beyond the suite files: rules and helper columns derived from the data.

Three things cannot be written once in ``expectations/``:

* **Run-time parameters** (``{"$PARAMETER": "known_source_ids"}`` in a suite): the ids a
  value must be one of, and today's date. GX substitutes them at validation time, so the suite
  file stays static and readable while the sets follow the data.
* **Per-indicator rules**, one expectation per indicator, derived from the indicators table:
  a share (unit ``percent``) lies within 0-100, a count is never negative, a value lies within
  the indicator's declared bounds. Each uses a GX row condition ``indicator_id == <id>`` so that
  its result names the indicator and a benchmark's notebook can pick its own rules.
* **Helper columns**: GX Core has no grouped or ordered expectation for pandas (nothing like
  "non-decreasing within each group"). So the previous value of a cumulative series is computed
  here with a polars window (sort by period within indicator, region and source, shift by one)
  into ``_previous_value``; the suite then states the rule as an ordinary pair expectation,
  ``value >= _previous_value``, which GX evaluates row by row and reports by row. Likewise
  ``_milestone_key`` joins roadmap, benchmark and milestone id so "known milestone" is a set check.

Nothing here imports GX: rules are plain dicts in the suite-file shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import polars as pl

from pipelines.core import geo, schema
from pipelines.core.frames import aligned
from pipelines.validate import grouped as validation_grouped
from pipelines.validate.suites import SuiteError

#: Units whose values are counted things, never negative.
COUNT_UNITS: frozenset[str] = frozenset({"count", "persons", "households"})
#: Helper columns added before validation, per table (after the schema's columns).
HELPER_COLUMNS: dict[str, tuple[str, ...]] = {
    "observations": ("_previous_value", "_previous_file", "_previous_line", *validation_grouped.HELPER_COLUMNS),
    "milestone_events": ("_milestone_key",),
}
#: What names a milestone: ids are scoped by roadmap and benchmark.
MILESTONE_KEY: tuple[str, ...] = ("roadmap_id", "benchmark", "milestone_id")

#: polars dtype -> the pandas dtype name GX reports for it after `validation_gx.to_pandas`.
#: Dates become Python `date` objects (pandas object dtype): GX coerces date bounds from the
#: suite ("1990-01-01") to `date`, and only `date` values compare with them.
PANDAS_TYPE: dict[type[pl.DataType], str] = {
    pl.String: "str",
    pl.Float64: "float64",
    pl.Int64: "int64",
    pl.Int8: "int8",
    pl.Boolean: "bool",
    pl.Date: "object",
}


def expectation(
    kind: str, severity: str, rule: str, description: str, /, *, indicator_id: str | None = None, **kwargs: Any
) -> dict[str, Any]:
    """An expectation in the suite-file shape, with the meta every rule carries."""
    meta: dict[str, Any] = {"severity": severity, "rule": rule, "description": description}
    if indicator_id is not None:
        meta["indicator_id"] = indicator_id
    return {"type": kind, "kwargs": kwargs, "meta": meta}


def indicator_condition(indicator_id: str) -> dict[str, Any]:
    """A GX row condition selecting one indicator's rows (GX's serialised Condition form)."""
    return {"type": "comparison", "column": {"name": "indicator_id"}, "operator": "==", "parameter": indicator_id}


def _number(x: float) -> int | float:
    """5.0 -> 5, so descriptions read 'within [0, 100]'."""
    return int(x) if float(x).is_integer() else x


def indicator_rules(indicators: pl.DataFrame) -> list[dict[str, Any]]:
    """Per-indicator rules for the observations table, in indicator order.

    The bounds rule is left out when it says no more than the unit rule (a percent indicator
    bounded [0, 100], a count bounded [0, none]), so that one bad figure gives one message, and
    when the bounds are inverted (the indicators suite reports that, naming the indicator).
    """
    rules: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in indicators.sort("indicator_id", maintain_order=True).iter_rows(named=True):
        iid, unit = row["indicator_id"], row["unit"]
        if iid is None or iid in seen:  # a repeated id is the indicators suite's to report
            continue
        seen.add(iid)
        lower, upper = row["lower_bound"], row["upper_bound"]
        cond = indicator_condition(iid)
        implied: tuple[float | None, float | None] | None = None
        if unit == "percent":
            implied = (0.0, 100.0)
            rules.append(
                expectation(
                    "expect_column_values_to_be_between",
                    "error",
                    f"share-range:{iid}",
                    f"{iid}: a share in percent, value within [0, 100]",
                    indicator_id=iid,
                    column="value",
                    min_value=0,
                    max_value=100,
                    row_condition=cond,
                )
            )
        elif unit in COUNT_UNITS:
            implied = (0.0, None)
            rules.append(
                expectation(
                    "expect_column_values_to_be_between",
                    "error",
                    f"count-non-negative:{iid}",
                    f"{iid}: a count in {unit}, value not negative",
                    indicator_id=iid,
                    column="value",
                    min_value=0,
                    row_condition=cond,
                )
            )
        inverted = lower is not None and upper is not None and lower > upper  # reported by "bounds-order"
        if (lower, upper) != (None, None) and (lower, upper) != implied and not inverted:
            shown = ", ".join("none" if b is None else str(_number(b)) for b in (lower, upper))
            bounds = {k: _number(v) for k, v in (("min_value", lower), ("max_value", upper)) if v is not None}
            rules.append(
                expectation(
                    "expect_column_values_to_be_between",
                    "error",
                    f"bounds:{iid}",
                    f"{iid}: value within bounds [{shown}]",
                    indicator_id=iid,
                    column="value",
                    row_condition=cond,
                    **bounds,
                )
            )
    return rules


def schema_rules(table: str) -> list[dict[str, Any]]:
    """Column names and dtypes from `pipelines.core.schema`, the one place they are declared."""
    columns = list(schema.TABLES[table]) + list(HELPER_COLUMNS.get(table, {}))
    rules = [
        expectation(
            "expect_table_columns_to_match_ordered_list",
            "error",
            "columns",
            f"the columns of {table} as declared in pipelines/core/schema.py",
            column_list=columns,
        )
    ]
    for name, dtype in schema.TABLES[table].items():
        type_name = PANDAS_TYPE.get(type(dtype))
        if type_name is None:
            continue
        rules.append(
            expectation(
                "expect_column_values_to_be_of_type",
                "error",
                f"type:{name}",
                f"{name} has type {dtype} (pipelines/core/schema.py)",
                column=name,
                type_=type_name,
            )
        )
    return rules


def all_rules(table: str, suite: Mapping[str, Any], frames: Mapping[str, pl.DataFrame]) -> list[dict[str, Any]]:
    """Every rule checked on `table`, in report order: schema, the suite file, per indicator.

    Rule ids must stay unique (results are keyed by them): a suite rule named like a
    run-time one is refused rather than silently shadowed.
    """
    rules = schema_rules(table) + list(suite["expectations"])
    if table == "observations":
        rules += indicator_rules(frames["indicators"])
    seen: set[str] = set()
    for rule in rules:
        rule_id = rule["meta"]["rule"]
        if rule_id in seen:
            raise SuiteError(f"expectations/{table}.json: rule id '{rule_id}' is also used by a run-time rule")
        seen.add(rule_id)
    return rules


def parameters(frames: Mapping[str, pl.DataFrame], today: date) -> dict[str, Any]:
    """Values for the ``$PARAMETER`` placeholders of the suites."""

    def ids(table: str, column: str) -> list[str]:
        return sorted(frames[table][column].drop_nulls().unique().to_list())

    milestones = frames["milestones"]
    keys = milestones.select(pl.concat_str(*MILESTONE_KEY, separator="/")).to_series()
    roadmaps = frames.get("roadmaps")
    countries = [] if roadmaps is None or "country" not in roadmaps.columns else ids("roadmaps", "country")
    return {
        "known_geo_codes": sorted({code for c in countries for code in geo.geography(c).known_codes()}),
        "today": today,
        "known_indicator_ids": ids("indicators", "indicator_id"),
        "known_source_ids": ids("sources", "source_id"),
        "known_benchmarks": ids("benchmarks", "benchmark"),
        "known_milestones": sorted(keys.drop_nulls().unique().to_list()),
    }


def with_previous_value(observations: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Add ``_previous_value``/``_previous_file``/``_previous_line``, keeping row order.

    For rows of a cumulative indicator, the previous row is the one just before it in time
    (period_end, then period_start) with the same indicator_id, geo_code and source_id: a
    running total must not fall within one series, but two sources may disagree, and a region
    is not compared with the country. Other rows get nulls, which the rule ignores.
    """
    cumulative = indicators.filter(pl.col("cumulative").fill_null(False))["indicator_id"].to_list()
    group, shown = ["indicator_id", "geo_code", "source_id"], ("value", "file", "line")
    # only the rows of cumulative series, and only the columns that order and fill them, are
    # sorted (at 10⁷ rows, sorting the whole table twice took 9 s); the previous values are then
    # put back at their rows' positions
    previous = (
        observations.select(*group, "period_end", "period_start", *shown)
        .with_row_index("_row")
        .filter(pl.col("indicator_id").is_in(cumulative))
        .sort([*group, "period_end", "period_start", "_row"], nulls_last=True)
        .select("_row", *(pl.col(c).shift(1).over(group).alias(f"_previous_{c}") for c in shown))
    )
    at = previous["_row"]
    return observations.with_columns(
        pl.repeat(None, observations.height, dtype=observations.schema[c], eager=True)
        .alias(f"_previous_{c}")
        .scatter(at, previous[f"_previous_{c}"])
        for c in shown
    )


def with_milestone_key(events: pl.DataFrame) -> pl.DataFrame:
    """Add ``_milestone_key`` = roadmap_id/benchmark/milestone_id (null when one is missing):
    a milestone is known only under its own roadmap's benchmark."""
    return events.with_columns(pl.concat_str(*MILESTONE_KEY, separator="/").alias("_milestone_key"))


def prepare(table: str, frames: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """The frame GX validates: the table as read, plus its helper columns at the end.

    Row positions are kept, so a failing row index from GX is a row of the processed table.
    The helper columns are cut into the table's chunks (`frames.aligned`), so that no later
    step copies the table to align them.
    """
    frame = frames[table]
    try:
        if table == "observations":
            with_previous = aligned(with_previous_value(frame, frames["indicators"]))
            return aligned(validation_grouped.with_bounds(with_previous, indicator_rules(frames["indicators"])))
        if table == "milestone_events":
            return with_milestone_key(frame)
    except (pl.exceptions.ColumnNotFoundError, pl.exceptions.InvalidOperationError, pl.exceptions.SchemaError):
        # A table that lost a column: the "columns" rule reports it; the helpers stay empty so
        # that every other rule still runs (or is reported as not evaluated).
        return frame.with_columns(pl.lit(None).alias(name) for name in HELPER_COLUMNS[table])
    return frame
