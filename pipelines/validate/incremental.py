"""After a few rows of a table changed: check those rows, keep what the last check found on the others.

A full check (GX on every row, `pipelines.validate.domains`) is the reference; this gives its
outcomes, rule by rule, without importing GX when the changed rows need no GX. The last check
records, beside validation.json (`ROWS`, vouched for by its sha256 in ``validate.tables.json``),
a 128-bit hash of each row of every table of at most `MAX_ROWS` rows *as checked* (helper
columns included: ``_previous_value`` carries a figure's dependence on the one before it in its
series, so changing a figure also makes the next figure of the series a changed row), and, for
each rule GX checked, the hashes of its failing rows.

When a table's rules, their parameters, its columns and the code are those of the last check
(`pipelines.validate.step.rules_key`) but its rows are not, each rule is decided as follows:

* **row rules** (a value not null, in a set, between bounds, ``a >= b``, matching a pattern)
  fail at a row by that row's own values: a row the last check saw (the same hash) keeps its
  verdict, and only the new rows are checked, in Python by `_failing` for the kinds and options
  it knows (the comparisons GX's pandas engine makes: nulls and NaN skipped, bounds inclusive
  unless strict, a date bound given as text read as a date, a pattern searched as pandas'
  ``str.contains`` does), by GX (imported then) for any other;
* **key rules** (uniqueness) are table-wide: checked on the whole table with polars. A row whose
  key's hash no other row shares cannot repeat a key, so with no such row the rule passes, as GX
  finds; otherwise GX checks those rows, as `domains` does;
* **schema rules** (the column list, a column's type) are decided by the columns and their
  types, which are part of the rules key: a rule that passed last time passes;
* anything else falls back to a full check of the table: a rule with ``mostly`` or a row
  condition, a rule on a missing column, a rule that failed to compute or a schema rule that
  failed last time, more than `MAX_CHANGED` new rows, a table with no row record.

A test checks one changed row both ways, a valid and an invalid change, and compares the bytes
of validation.json and the pages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import polars as pl

from pipelines.validate import domains
from pipelines.validate.results import Outcome, TableResult, columns_of

#: Where the last check's row hashes and failing rows are kept, beside validation.json (Arrow IPC:
#: not ``.parquet``, which ingest takes for a table of its own and does not carry over).
ROWS = "validate.rows.arrow"
#: Tables with more rows keep no row record (16 bytes a row): they are checked whole.
MAX_ROWS = 1_000_000
#: More new rows than this and the table is checked whole (by then GX's fixed cost is paid back).
MAX_CHANGED = 10_000
#: Rules decided by the table's columns and their types only.
SCHEMA_DECIDED: frozenset[str] = frozenset({*domains.SCHEMA_RULES, "expect_column_values_to_be_of_type"})
#: The record's columns: the table, the rule (null for a row of the table), the row's hash.
RECORD_SCHEMA: dict[str, pl.DataType] = {
    "table": pl.String(),
    "rule": pl.String(),
    "h0": pl.UInt64(),
    "h1": pl.UInt64(),
}

#: How rows are checked by GX when Python cannot: `Session.validate(name, frame, rules, parameters, index=...)`.
Check = Callable[..., dict[str, Outcome]]


def row_hashes(prepared: pl.DataFrame) -> pl.DataFrame:
    """Two 64-bit hashes of every row, with different seeds (a new row mistaken for a checked
    one would need both to collide)."""
    return pl.DataFrame({"h0": prepared.hash_rows(seed=0), "h1": prepared.hash_rows(seed=0x9E3779B97F4A7C15)})


def record(table: str, hashes: pl.DataFrame | None, outcomes: Mapping[str, Outcome]) -> pl.DataFrame:
    """The row record of one checked table: its rows' hashes, and each rule's failing rows (by
    rule id: a full and an incremental check write the same bytes); none without hashes (a
    table over `MAX_ROWS` rows is not hashed)."""
    if hashes is None:
        return pl.DataFrame(schema=RECORD_SCHEMA)
    parts = [hashes.with_columns(pl.lit(table).alias("table"), pl.lit(None, dtype=pl.String).alias("rule"))]
    for rule, outcome in sorted(outcomes.items()):
        if outcome.indices:
            parts.append(
                hashes[sorted(set(outcome.indices))].with_columns(
                    pl.lit(table).alias("table"), pl.lit(rule).alias("rule")
                )
            )
    return pl.concat([p.select(list(RECORD_SCHEMA)) for p in parts])


def record_bytes(rows: pl.DataFrame) -> bytes:
    """The row record as written: the same rows give the same bytes (one record batch, however
    the rows were put together)."""
    import io

    buffer = io.BytesIO()
    rows.rechunk().write_ipc(buffer, compression="zstd")
    return buffer.getvalue()


def outcomes(
    table: str,
    prepared: pl.DataFrame,
    hashes: pl.DataFrame,
    rules: Sequence[Mapping[str, Any]],
    parameters: Mapping[str, Any],
    last: TableResult,
    last_rows: pl.DataFrame,
    check: Callable[[], Check],
) -> tuple[dict[str, Outcome], int] | None:
    """Every rule's outcome on `prepared`, as a full check gives it, and how many rows were new;
    None when the table must be checked whole (see the module's docstring). `last` and
    `last_rows` are the last check's results and row record of this table, made with the same
    rules; `check` gives GX's check, imported on first call."""
    seen = last_rows.filter(pl.col("rule").is_null())
    if (seen.is_empty() and last.rows) or any(r.errors for r in last.rules):
        return None
    passed = {r.rule: r.success for r in last.rules}
    kinds = {e["meta"]["rule"]: _kind(e, prepared.columns) for e in rules}
    if "whole" in kinds.values() or any(k == "schema" and not passed.get(rule, False) for rule, k in kinds.items()):
        return None
    indexed = hashes.with_row_index("_row")
    new = indexed.join(seen.select("h0", "h1").unique(), on=["h0", "h1"], how="anti")["_row"].sort()
    if new.len() > MAX_CHANGED:
        return None
    rows = prepared[new.to_list()] if new.len() else prepared.clear()
    found: dict[str, Outcome] = {}
    by_gx: list[Mapping[str, Any]] = []

    def kept(rule: str) -> list[int]:
        """The rows the last check found failing `rule`, where they are now."""
        failing = last_rows.filter(pl.col("rule") == rule).select("h0", "h1").unique()
        return indexed.join(failing, on=["h0", "h1"], how="semi")["_row"].to_list()

    for e in rules:
        rule = e["meta"]["rule"]
        if kinds[rule] == "schema":
            found[rule] = Outcome(rule=rule, success=True)
        elif kinds[rule] == "keys":
            found[rule] = _keys(table, prepared, e, parameters, check)
        else:
            fails = _failing(e, rows, parameters)
            if fails is None:
                by_gx.append(e)
                continue
            found[rule] = _outcome(rule, [*kept(rule), *new.filter(pl.Series(fails, dtype=pl.Boolean)).to_list()])
    if by_gx:
        if new.len():
            checked = check()(table, rows, by_gx, parameters, index=new)
        else:
            checked = {e["meta"]["rule"]: Outcome(rule=e["meta"]["rule"], success=True, indices=()) for e in by_gx}
        for e in by_gx:
            rule, outcome = e["meta"]["rule"], checked[e["meta"]["rule"]]
            if outcome.errors or outcome.observed is not None:
                return None
            found[rule] = _outcome(rule, [*kept(rule), *(outcome.indices or ())])
    return found, new.len()


def _kind(expectation: Mapping[str, Any], columns: Sequence[str]) -> str:
    """rows, keys, schema (decided by the columns), or whole (a full check)."""
    kwargs = expectation["kwargs"]
    if (
        expectation["type"] in SCHEMA_DECIDED
        and "mostly" not in kwargs
        and "row_condition" not in kwargs
        and all(c in columns for c in columns_of(expectation))
    ):
        return "schema"
    return domains.kind(expectation, columns)


def _outcome(rule: str, failing: Sequence[int]) -> Outcome:
    rows = tuple(sorted(set(failing)))
    return Outcome(rule=rule, success=not rows, unexpected_count=len(rows), indices=rows)


def _keys(
    table: str,
    prepared: pl.DataFrame,
    expectation: Mapping[str, Any],
    parameters: Mapping[str, Any],
    check: Callable[[], Check],
) -> Outcome:
    """A uniqueness rule on the whole table: passed when no key's hash repeats; otherwise GX
    checks the rows whose hash does (every copy of a repeated key is among them)."""
    rule, key = expectation["meta"]["rule"], list(dict.fromkeys(columns_of(expectation)))
    repeated = domains.maybe_repeated(prepared, key)
    if repeated.is_empty():
        return Outcome(rule=rule, success=True, indices=())
    return check()(table, prepared.select(key)[repeated.to_list()], [expectation], parameters, index=repeated)[rule]


#: Options each row rule may carry and still be decided by `_failing` (others go to GX).
_KNOWN_OPTIONS: dict[str, frozenset[str]] = {
    "expect_column_values_to_not_be_null": frozenset({"column"}),
    "expect_column_values_to_be_in_set": frozenset({"column", "value_set"}),
    "expect_column_values_to_be_between": frozenset({"column", "min_value", "max_value", "strict_min", "strict_max"}),
    "expect_column_pair_values_a_to_be_greater_than_b": frozenset(
        {"column_A", "column_B", "or_equal", "ignore_row_if"}
    ),
    "expect_column_values_to_match_regex": frozenset({"column", "regex"}),
}


class _Unknown(Exception):
    """A value or option `_failing` does not decide as GX does: GX decides it."""


def _failing(expectation: Mapping[str, Any], rows: pl.DataFrame, parameters: Mapping[str, Any]) -> list[bool] | None:
    """Whether each of `rows` fails a row rule, compared as GX's pandas engine compares; None
    when the rule, an option or a value is not one this decides (then GX does)."""
    kind, kwargs = expectation["type"], expectation["kwargs"]
    if kind not in _KNOWN_OPTIONS or not set(kwargs) <= _KNOWN_OPTIONS[kind]:
        return None
    values = {c: rows[c].to_list() for c in columns_of(expectation)}
    try:
        if kind == "expect_column_values_to_not_be_null":
            return [_missing(v) for v in values[kwargs["column"]]]
        if kind == "expect_column_pair_values_a_to_be_greater_than_b":
            if kwargs.get("ignore_row_if") != "either_value_is_missing":
                return None
            a, b, equal = kwargs["column_A"], kwargs["column_B"], bool(kwargs.get("or_equal"))
            return [
                False if _missing(x) or _missing(y) else not (_greater(x, y) or (equal and _same(x, y)))
                for x, y in zip(values[a], values[b], strict=True)
            ]
        column = values[kwargs["column"]]
        if kind == "expect_column_values_to_be_in_set":
            allowed = _resolve(kwargs["value_set"], parameters)
            if not isinstance(allowed, list) or not allowed or not all(isinstance(x, str) for x in allowed):
                return None
            return [False if _missing(v) else _text(v) not in set(allowed) for v in column]
        if kind == "expect_column_values_to_match_regex":
            pattern = re.compile(kwargs["regex"])
            return [False if _missing(v) else pattern.search(_text(v)) is None for v in column]
        return _between(column, kwargs, parameters)
    except _Unknown:
        return None


def _between(column: Sequence[Any], kwargs: Mapping[str, Any], parameters: Mapping[str, Any]) -> list[bool] | None:
    low, high = (_resolve(kwargs.get(k), parameters) for k in ("min_value", "max_value"))
    if low is None and high is None:
        return None
    out = []
    for v in column:
        if _missing(v):
            out.append(False)
            continue
        lo, hi = (None if b is None else _bound(b, v) for b in (low, high))
        if lo is not None and hi is not None and _greater(lo, hi):
            return None  # GX refuses the rule itself
        below = lo is not None and (not _greater(v, lo) if kwargs.get("strict_min") else _greater(lo, v))
        above = hi is not None and (not _greater(hi, v) if kwargs.get("strict_max") else _greater(v, hi))
        out.append(below or above)
    return out


def _resolve(value: Any, parameters: Mapping[str, Any]) -> Any:
    """A kwarg with its ``{"$PARAMETER": name}`` replaced by the parameter's value."""
    if isinstance(value, Mapping) and "$PARAMETER" in value:
        if value["$PARAMETER"] not in parameters:
            raise _Unknown
        return parameters[value["$PARAMETER"]]
    return value


def _missing(value: Any) -> bool:
    """Null as pandas' ``isnull`` sees a cell: None, or a float NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _bound(bound: Any, value: Any) -> Any:
    """A bound comparable with `value`: a number with a number, a date (or ISO text) with a date."""
    if _number(bound) and _number(value):
        return bound
    if type(value) is date:
        if type(bound) is date:
            return bound
        if isinstance(bound, str):
            try:
                return date.fromisoformat(bound)
            except ValueError:
                raise _Unknown from None
    raise _Unknown


def _greater(x: Any, y: Any) -> bool:
    """x > y for two numbers or two dates; anything else is GX's to compare."""
    if (_number(x) and _number(y)) or (type(x) is date and type(y) is date):
        return bool(x > y)
    raise _Unknown


def _same(x: Any, y: Any) -> bool:
    _greater(x, y)  # the same types only
    return bool(x == y)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Unknown
    return value
