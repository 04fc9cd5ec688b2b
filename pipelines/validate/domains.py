"""A large table checked by what each rule reads: GX's results, in a fraction of its memory.

GX's pandas engine checks a table whole: a pandas copy of every column (text and dates as
Python objects), then for each rule a copy of the rows it keeps. At 10⁷ observations that is
7.7 GiB and 39 s, most of it copying columns no rule reads. But most rules read few columns:

* a **row rule** (not null, in a set, between bounds, a pair ``a >= b``, a type) fails at a row
  by the values of its own columns only. So GX checks the *distinct* combinations of the
  columns a group of rules reads (a few thousand where the table has millions of rows), and a
  combination that fails is traced back to every row that holds it: the same rows, the same
  counts, as the whole table gives. A rule with ``mostly`` or a row condition is not one: its
  verdict depends on the other rows.
* a **key rule** (compound or single-column uniqueness) fails at a row only where another row
  holds the same key. So GX checks the rows whose key's hash polars finds more than once
  (none, in a sound table: GX then sees the columns and no row), and finds among them the very
  rows it finds in the whole table: every copy of a repeated key is there, and a row GX would
  not name (a key it leaves out, all of it missing) it leaves out there too. Keys that pandas'
  ``duplicated`` holds equal (nulls, NaN, ``-0.0`` and ``0.0``) have one hash in polars; a
  test holds the two ways to the same rows. Each key value is given to GX as a number standing
  for it (equal values, equal numbers), so GX compares numbers, not Python strings; should
  millions of rows repeat, they go in parts cut by a hash of the key, so the copies of a key
  meet in one part. The rows GX names are then reported with their own values, as always. At
  10⁷ rows GX no longer reads every row's key: the key rule took 3.7 s, it takes 1.3 s.
* a **schema rule** (the table's columns) reads no row: GX checks the table with none.
* anything else is checked on the whole table, as before: a new kind of rule is never checked
  wrongly, only slowly.

Each part goes to GX with the positions of its rows in the table as pandas' index, so a failing
row is named by its row in the processed table, as before. Tables below `WHOLE_BELOW` rows are
checked whole: a GX batch costs about 20 ms, and the split only pays on large tables. A test
holds the two ways to the same outcomes, rule by rule, on tables that break every rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from pipelines.validate.results import Outcome, columns_of

#: Expectations decided row by row by the values of their own columns.
ROW_RULES: frozenset[str] = frozenset(
    {
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_null",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_not_be_in_set",
        "expect_column_values_to_be_between",
        "expect_column_values_to_be_of_type",
        "expect_column_values_to_be_in_type_list",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_not_match_regex",
        "expect_column_value_lengths_to_be_between",
        "expect_column_pair_values_a_to_be_greater_than_b",
        "expect_column_pair_values_to_be_equal",
    }
)
#: Expectations decided by rows that share a key: the columns they read are the key.
KEY_RULES: frozenset[str] = frozenset({"expect_compound_columns_to_be_unique", "expect_column_values_to_be_unique"})
#: Expectations that read the table's column names only.
SCHEMA_RULES: frozenset[str] = frozenset(
    {"expect_table_columns_to_match_ordered_list", "expect_table_columns_to_match_set"}
)
#: A table with fewer rows is checked whole, in one GX batch.
WHOLE_BELOW = 100_000
#: At most this many rows go to GX at once (its pandas copy is a few hundred MiB).
PART_ROWS = 1_000_000

#: How one part is checked: `Session.validate(name, frame, expectations, parameters, index=...)`.
Check = Callable[..., dict[str, Outcome]]


@dataclass(frozen=True)
class Group:
    """Rules checked together on the same columns, and how (`kind`: rows, keys, schema, whole)."""

    kind: str
    columns: tuple[str, ...]
    expectations: tuple[Mapping[str, Any], ...]


def kind(expectation: Mapping[str, Any], columns: Sequence[str]) -> str:
    """How a rule is checked on a large table with `columns` (see the module's docstring)."""
    kwargs = expectation["kwargs"]
    reads = columns_of(expectation)
    if "mostly" in kwargs or "row_condition" in kwargs or any(c not in columns for c in reads):
        return "whole"  # a missing column: GX's own error on the whole table says so, as before
    if expectation["type"] in ROW_RULES and reads:
        return "rows"
    if expectation["type"] in KEY_RULES and reads:
        return "keys"
    return "schema" if expectation["type"] in SCHEMA_RULES else "whole"


def groups(expectations: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> list[Group]:
    """The rules by how they are checked and the columns they read, in the order first met."""
    found: dict[tuple[str, tuple[str, ...]], list[Mapping[str, Any]]] = {}
    for e in expectations:
        how = kind(e, columns)
        reads = tuple(dict.fromkeys(columns_of(e))) if how in ("rows", "keys") else ()
        if how == "rows":
            reads = tuple(sorted(reads))  # a pair a >= b and b <= a read the same combinations
        found.setdefault((how, reads), []).append(e)
    return [Group(how, reads, tuple(rules)) for (how, reads), rules in found.items()]


def validate(
    check: Check,
    name: str,
    frame: pl.DataFrame,
    expectations: Sequence[Mapping[str, Any]],
    parameters: Mapping[str, Any],
) -> dict[str, Outcome]:
    """Outcomes by rule id, as GX gives them for the whole `frame`, checked group by group."""
    part_rows = PART_ROWS
    if frame.height < WHOLE_BELOW:
        return check(name, frame, expectations, parameters)
    outcomes: dict[str, Outcome] = {}
    found = groups(expectations, frame.columns)
    rows = [g for g in found if g.kind == "rows"]
    # every row group's distinct combinations in one query: polars finds them side by side on
    # every core (at 10⁷ rows, 21 groups: 5-6 s one after another, 1.3-1.9 s together)
    distinct = dict(
        zip(
            (g.columns for g in rows),
            pl.collect_all([frame.lazy().select(g.columns).unique() for g in rows]),
            strict=True,
        )
    )
    for group in found:
        rules = list(group.expectations)
        if group.kind == "rows":
            outcomes.update(_rows(check, name, frame, group, distinct.pop(group.columns), parameters, part_rows))
        elif group.kind == "keys":
            repeated = maybe_repeated(frame, group.columns)
            keys = _codes(frame.gather(repeated), group.columns)
            outcomes.update(
                _merge(
                    rules,
                    [
                        check(name, keys.gather(rows), rules, parameters, index=repeated.gather(rows))
                        for rows in _key_parts(keys, group.columns, part_rows)
                    ],
                )
            )
        elif group.kind == "schema":
            outcomes.update(check(name, frame.clear(), rules, parameters))
        else:
            outcomes.update(check(name, frame, rules, parameters))
    return outcomes


def _rows(
    check: Check,
    name: str,
    frame: pl.DataFrame,
    group: Group,
    distinct: pl.DataFrame,
    parameters: Mapping[str, Any],
    part_rows: int,
) -> dict[str, Outcome]:
    """Row rules on the `distinct` combinations of their columns (in any order: the outcomes
    are merged and traced back by value), failures traced back to rows."""
    values = frame.select(group.columns)
    rules = list(group.expectations)
    parts = [
        check(
            name,
            distinct.slice(start, part_rows),
            rules,
            parameters,
            index=pl.int_range(start, min(start + part_rows, distinct.height), eager=True),
        )
        for start in range(0, max(distinct.height, 1), part_rows)
    ]
    merged = _merge(rules, parts)
    traced = {}
    for rule, outcome in merged.items():
        if not outcome.indices:
            traced[rule] = outcome
            continue
        failing = distinct.gather(list(outcome.indices))
        rows = (
            values.with_row_index("_row")
            .join(failing, on=list(group.columns), how="semi", nulls_equal=True)["_row"]
            .sort()
            .to_list()
        )
        traced[rule] = Outcome(
            rule=rule,
            success=outcome.success,
            unexpected_count=len(rows),
            indices=tuple(rows),
            observed=outcome.observed,
            errors=outcome.errors,
        )
    return traced


def _codes(frame: pl.DataFrame, key: Sequence[str]) -> pl.DataFrame:
    """The key columns with each value replaced by a whole number standing for it (nulls stay
    null): equal values get equal numbers, so GX finds the same duplicate rows, and compares
    numbers rather than ten million Python strings and dates (a third of the time)."""

    def code(column: str) -> pl.Expr:
        dtype = frame.schema[column]
        if dtype == pl.String:
            return pl.col(column).cast(pl.Categorical).to_physical().cast(pl.Int64)
        if dtype.is_temporal() or dtype == pl.Boolean or dtype.is_integer():
            return pl.col(column).to_physical().cast(pl.Int64)
        return pl.col(column)  # floats and anything else: as they are

    return frame.select(code(c) for c in key)


def maybe_repeated(frame: pl.DataFrame, key: Sequence[str]) -> pl.Series:
    """The positions of the rows whose key's hash another row shares, in order: every row whose
    key repeats, and the rare row whose hash alone does (GX, which reads the keys themselves,
    clears it). The hashes are sorted, not counted in a table: at 10⁷ rows 1.1 s and 0.4 GiB
    against 2.4 s and 1.9 GiB for polars' `is_duplicated` on the key."""
    hashes = frame.select(pl.struct(key).hash(seed=0)).to_series()
    order = hashes.arg_sort()
    ordered = hashes.gather(order)
    shared = (ordered == ordered.shift(1)).fill_null(False) | (ordered == ordered.shift(-1)).fill_null(False)
    return order.filter(shared).sort()


def _key_parts(frame: pl.DataFrame, key: Sequence[str], part_rows: int) -> list[pl.Series]:
    """The rows of `frame` in parts of about `part_rows`, rows with the same key in one part."""
    count = -(-frame.height // part_rows)
    if count <= 1:
        return [pl.int_range(0, frame.height, eager=True)]
    part = frame.select(pl.struct(key).hash(seed=0) % count).to_series()
    return [rows for rows in (part.eq(p).arg_true() for p in range(count)) if rows.len()]


def _merge(rules: Sequence[Mapping[str, Any]], parts: Sequence[Mapping[str, Outcome]]) -> dict[str, Outcome]:
    """One outcome per rule from its outcomes in each part (no part: the rule passed on no rows)."""
    merged = {}
    for e in rules:
        rule = e["meta"]["rule"]
        mine = [p[rule] for p in parts if rule in p]
        indices = [i for o in mine for i in (o.indices or ())]
        merged[rule] = Outcome(
            rule=rule,
            success=all(o.success for o in mine),
            unexpected_count=sum(o.unexpected_count for o in mine),
            indices=tuple(sorted(indices)) if any(o.indices is not None for o in mine) else None,
            observed=next((o.observed for o in mine if o.observed is not None), None),
            errors=tuple(sorted({m for o in mine for m in o.errors})),
        )
    return merged
