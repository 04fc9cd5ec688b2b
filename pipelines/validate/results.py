"""Validation results as our own small, stable data: what `validation.json` holds.

GX's result objects carry run ids, timestamps, batch ids and numpy values; none of that may
reach a file that must be byte-identical on a rerun, and notebooks reading results must not
import GX. So each GX outcome is turned into a `RuleResult` naming the failing rows by the
``file`` and ``line`` of the raw input (or, for the roadmap tables, which have no provenance
columns, by their key), with the value as the user wrote it, capped at `MAX_FAILURES` rows per
rule (the total is kept in ``unexpected_count``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from typing import Any

import polars as pl

from pipelines.core.errors import row_word
from pipelines.validate.suites import SUITE_TABLES

#: Failing rows kept per rule in results and pages; the count is always exact.
MAX_FAILURES = 200
#: Columns identifying a row of each table in results (its key, plus what ties it to a benchmark).
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "observations": ("indicator_id", "geo_code", "period_start", "period_end", "source_id"),
    "milestone_events": ("roadmap_id", "benchmark", "milestone_id", "date", "source_id"),
    "sources": ("source_id",),
    "benchmarks": ("roadmap_id", "benchmark"),
    "indicators": ("indicator_id", "roadmap_id", "benchmark"),
    "milestones": ("roadmap_id", "benchmark", "milestone_id"),
}
#: Columns shown beside a failing row so a reviewer can judge it without opening the file.
CONTEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "observations": ("value", "unit", "note"),
    "milestone_events": ("status", "description_en"),
    "sources": ("title", "url"),
    "benchmarks": ("title_en",),
    "indicators": ("name_en", "unit"),
    "milestones": ("name_en",),
}


#: The column shown to a user for a rule on a helper column (`pipelines.validate.rules.HELPER_COLUMNS`):
#: the column of the raw file the helper was computed from.
SHOWN_COLUMN: dict[str, str] = {"_previous_value": "value", "_milestone_key": "milestone_id"}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Expectations whose failing rows are duplicates of each other: each row names the others.
_UNIQUENESS = frozenset({"expect_compound_columns_to_be_unique", "expect_column_values_to_be_unique"})


@dataclass(frozen=True)
class Outcome:
    """What the GX adapter reports for one expectation, before rows are looked up."""

    rule: str
    success: bool
    unexpected_count: int = 0
    indices: tuple[int, ...] | None = None
    observed: Any = None
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Failure:
    """One failing row: where it came from and what it holds."""

    file: str | None
    line: int | None
    column: str
    value: Any
    key: dict[str, Any] = field(default_factory=dict)
    detail: str | None = None
    context: dict[str, Any] = field(default_factory=dict)

    def where(self) -> str:
        """'data/raw/x.csv line 12' (a sheet's 'row 12'), or the row's key when the table has no provenance."""
        if self.file:
            return f"{self.file} {row_word(self.file)} {self.line}" if self.line is not None else self.file
        if self.key:
            return ", ".join(f"{k} {show(v)}" for k, v in self.key.items())
        return "the table"

    def _named_by_key(self) -> bool:
        if isinstance(self.value, list):
            return self.value == [self.key.get(c, object()) for c in self.column.split(", ")]
        return self.key.get(self.column, object()) == self.value

    def text(self) -> str:
        """'data/raw/x.csv line 12, value 130.0 (below …)'; a sheet's cell as ingest names it,
        "data/raw/x.xlsx, sheet 'observations', row 2, column 'value': 130.0 (…)", since a
        spreadsheet user looks for a column, not a field name."""
        label = "key" if isinstance(self.value, list) else self.column
        if self.file and self.line is not None and row_word(self.file) == "row" and label != "key":
            shown = f"{self.file}, row {self.line}, column '{self.column}': {show(self.value)}"
        elif not self.file and self._named_by_key():
            shown = self.where()  # the key already shows the value
        else:
            shown = f"{self.where()}, {label} {show(self.value)}"
        return f"{shown} ({self.detail})" if self.detail else shown


@dataclass(frozen=True)
class RuleResult:
    """One rule's outcome on one table."""

    rule: str
    severity: str
    description: str
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int = 0
    failures: tuple[Failure, ...] = ()
    errors: tuple[str, ...] = ()
    observed: Any = None
    indicator_id: str | None = None

    @property
    def evaluated(self) -> bool:
        """False when GX could not compute the rule (missing column, type clash)."""
        return not self.errors

    @property
    def observed_text(self) -> str:
        """What a table-level rule found (a dtype, missing columns), as plain text."""
        return self.observed if isinstance(self.observed, str) else show(self.observed)

    def message(self, table: str) -> str:
        """The one line printed for a failed rule."""
        head = f"{self.severity.upper()} {table}: {self.description}"
        if self.errors:
            return f"{head} — could not be checked: {'; '.join(self.errors)}"
        if self.failures:
            more = self.unexpected_count - 1
            tail = f" (and {more} more row{'s' if more != 1 else ''})" if more > 0 else ""
            return f"{head} — {self.failures[0].text()}{tail}"
        if self.observed is not None:
            return f"{head} — {self.observed_text}"
        return head


@dataclass(frozen=True)
class TableResult:
    """Every rule's outcome on one table."""

    table: str
    rows: int
    rules: tuple[RuleResult, ...]

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.rules if not r.success)

    def count(self, severity: str) -> int:
        """How many rules of this severity failed."""
        return sum(1 for r in self.failed if r.severity == severity)


@dataclass(frozen=True)
class Report:
    """The results of one validation run, as stored in ``validation.json``."""

    data_checksum: str | None
    tables: dict[str, TableResult]
    gx_version: str | None = None

    @property
    def errors(self) -> int:
        return sum(t.count("error") for t in self.tables.values())

    @property
    def warnings(self) -> int:
        return sum(t.count("warning") for t in self.tables.values())

    @property
    def success(self) -> bool:
        """True when no error-severity rule failed (warnings do not fail the step)."""
        return self.errors == 0

    def messages(self) -> list[str]:
        """One line per failed rule, errors first, then in table and rule order."""
        lines = [
            (r.severity != "error", i, r.message(t.table))
            for i, (t, r) in enumerate((t, r) for t in self.tables.values() for r in t.failed)
        ]
        return [text for _, _, text in sorted(lines)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; key order is left to the writer (sorted keys)."""
        return {
            "data_checksum": self.data_checksum,
            "gx_version": self.gx_version,
            "summary": {
                "errors": self.errors,
                "warnings": self.warnings,
                "success": self.success,
                "rules": sum(len(t.rules) for t in self.tables.values()),
            },
            "tables": {
                name: {"rows": t.rows, "success": t.count("error") == 0, "rules": [_rule_dict(r) for r in t.rules]}
                for name, t in self.tables.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """Read back what `to_dict` wrote."""
        tables = {}
        order = list(SUITE_TABLES)
        stored = data.get("tables", {})
        # JSON keys are sorted on disk; tables are reported in pipeline order
        for name in sorted(stored, key=lambda n: (order.index(n) if n in order else len(order), n)):
            t = stored[name]
            rules = tuple(
                RuleResult(
                    **{
                        **{
                            k: v
                            for k, v in r.items()
                            if k not in ("failures", "errors", "failure_count_shown", "evaluated")
                        },
                        "failures": tuple(Failure(**f) for f in r.get("failures", [])),
                        "errors": tuple(r.get("errors", [])),
                    }
                )
                for r in t["rules"]
            )
            tables[name] = TableResult(table=name, rows=t["rows"], rules=rules)
        return cls(data_checksum=data.get("data_checksum"), tables=tables, gx_version=data.get("gx_version"))


def _rule_dict(rule: RuleResult) -> dict[str, Any]:
    data = asdict(rule)
    data["failures"] = [asdict(f) for f in rule.failures]
    data["errors"] = list(rule.errors)
    data["evaluated"] = rule.evaluated
    data["failure_count_shown"] = len(rule.failures)
    return data


def jsonable(value: Any) -> Any:
    """A cell value as JSON can hold it, the same on every run (dates ISO, NaN as text)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return jsonable(item())
    return str(value)


def show(value: Any) -> str:
    """A value as the user reads it in a message: 130.0, 's-1', 2031-01-01, empty."""
    if value is None:
        return "empty"
    if isinstance(value, str):
        return value if _ISO_DATE.match(value) else repr(value)
    if isinstance(value, list):
        return "(" + ", ".join(show(v) for v in value) + ")"
    return str(value)


def columns_of(expectation: Mapping[str, Any]) -> list[str]:
    """The columns a rule reads, as its kwargs name them (none for a table-level rule)."""
    kwargs = expectation["kwargs"]
    if "column" in kwargs:
        return [kwargs["column"]]
    if "column_list" in kwargs:
        return list(kwargs["column_list"])
    if "column_A" in kwargs:
        return [kwargs["column_A"], kwargs["column_B"]]
    return []


def _rule_column(expectation: Mapping[str, Any]) -> str | None:
    """The column a rule is about, as a user names it (a pair rule is about its first column)."""
    columns = columns_of(expectation)
    if "column_A" in expectation["kwargs"]:
        columns = columns[:1]
    return ", ".join(SHOWN_COLUMN.get(c, c) for c in columns) or None


def _detail(expectation: Mapping[str, Any], row: Mapping[str, Any]) -> tuple[str, Any, str | None]:
    """The column shown for a failing row, its value, and what it was compared with."""
    kwargs = expectation["kwargs"]
    columns = columns_of(expectation)
    if kwargs.get("column_B") == "_previous_value":
        prev = f"{row.get('_previous_file')} line {row.get('_previous_line')}"
        return "value", row.get("value"), f"below the previous value {show(row.get('_previous_value'))} at {prev}"
    if "column_B" in kwargs:
        a, b = kwargs["column_A"], kwargs["column_B"]
        return a, row.get(a), f"{b} is {show(jsonable(row.get(b)))}"
    if len(columns) == 1:
        col = columns[0]
        shown = SHOWN_COLUMN.get(col, col)
        typed = row.get("value_text") if shown == "value" else None
        if typed and typed != show(row.get("value")):  # what the author typed, then what it was read as
            return shown, typed, f"read as {show(row.get('value'))}"
        return shown, row.get(shown), None
    return ", ".join(columns), [row.get(c) for c in columns], None


def _duplicate_lines(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> dict[int, str]:
    """For each duplicated row, 'same key as <file> line <n>' naming the other rows."""
    groups: dict[tuple, list[int]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(tuple(jsonable(row.get(c)) for c in columns), []).append(i)
    out = {}
    for members in groups.values():
        for i in members:
            others = [
                f"{rows[j]['file']} {row_word(rows[j]['file'])} {rows[j].get('line')}"
                for j in members
                if j != i and rows[j].get("file")
            ]
            if others:
                out[i] = "same key as " + "; ".join(others)
    return out


def failures_for(
    table: str, expectation: Mapping[str, Any], indices: Iterable[int], frame: pl.DataFrame, limit: int = MAX_FAILURES
) -> tuple[Failure, ...]:
    """Look failing row positions up in the validated frame (positions = pandas index)."""
    columns = columns_of(expectation)
    keys = [c for c in KEY_COLUMNS.get(table, ()) if c in frame.columns]
    context = [c for c in CONTEXT_COLUMNS.get(table, ()) if c in frame.columns]
    wanted = sorted(set(indices))[:limit]
    if not wanted:
        return ()
    rows = frame[wanted].to_dicts()
    duplicates = _duplicate_lines(columns, rows) if expectation["type"] in _UNIQUENESS else {}
    out = []
    for i, row in enumerate(rows):
        column, value, detail = _detail(expectation, row)
        if i in duplicates:
            detail = duplicates[i]
        out.append(
            Failure(
                file=row.get("file"),
                line=row.get("line"),
                column=column,
                value=jsonable(value),
                key={k: jsonable(row.get(k)) for k in keys},
                detail=detail,
                context={k: jsonable(row.get(k)) for k in context},
            )
        )
    return tuple(sorted(out, key=lambda f: (f.file or "", f.line or 0, str(f.key))))


def _column_difference(expected: Sequence[str], found: Sequence[str]) -> str:
    """'missing note; unexpected extra' rather than two long column lists."""
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("unexpected " + ", ".join(extra))
    return "; ".join(parts) or "the columns in another order: " + ", ".join(found)


def rule_result(table: str, expectation: Mapping[str, Any], outcome: Outcome, frame: pl.DataFrame) -> RuleResult:
    """Combine a rule's definition, GX's outcome and the rows it names."""
    meta = expectation["meta"]
    columns = columns_of(expectation)
    failures: tuple[Failure, ...] = ()
    count = outcome.unexpected_count
    if outcome.indices:
        failures = failures_for(table, expectation, outcome.indices, frame)
        count = max(count, len(set(outcome.indices)))
    absent = [c for c in columns if c not in frame.columns]
    if absent and outcome.errors:  # GX's own words here can be "list index out of range"
        outcome = replace(outcome, errors=tuple(f"column {c} is missing" for c in absent))
    observed = None if outcome.success else jsonable(outcome.observed)
    if expectation["type"] == "expect_table_columns_to_match_ordered_list" and isinstance(observed, list):
        observed = _column_difference(expectation["kwargs"]["column_list"], observed)
    elif expectation["type"] == "expect_column_values_to_be_of_type" and isinstance(observed, str):
        observed = f"found {observed}"
    return RuleResult(
        rule=meta["rule"],
        severity=meta["severity"],
        description=meta["description"],
        expectation=expectation["type"],
        column=_rule_column(expectation),
        success=outcome.success and not outcome.errors,
        unexpected_count=count,
        failures=failures,
        errors=outcome.errors,
        observed=observed,
        indicator_id=meta.get("indicator_id"),
    )


def restrict(report: Report, keep: Mapping[str, Any]) -> Report:
    """A report cut down to the rows for which ``keep[table](failure) -> bool`` and the rules
    for which ``keep['rule'](table, rule)``; a rule with no kept failing row counts as passed
    (unless GX could not evaluate it, which concerns every slice)."""
    tables = {}
    for name, t in report.tables.items():
        if name not in keep:
            continue
        row_ok = keep[name]
        rules = []
        for r in t.rules:
            if "rule" in keep and not keep["rule"](name, r):
                continue
            if r.errors or r.success or not r.failures:
                rules.append(r)
                continue
            kept = tuple(f for f in r.failures if row_ok(f))
            rules.append(replace(r, failures=kept, unexpected_count=len(kept), success=not kept))
        tables[name] = TableResult(table=name, rows=t.rows, rules=tuple(rules))
    return Report(data_checksum=report.data_checksum, tables=tables, gx_version=report.gx_version)
