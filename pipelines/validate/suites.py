"""The expectation suites in ``expectations/``: read, checked and written in one canonical form.

The suites are reviewed like code, so a file must only change when a rule changes. GX adds an
``id`` (a fresh UUID) to the suite and to every expectation, a ``severity``, ``notes: null`` and
its own version in ``meta`` each time it saves; none of that is in our files. We read and write
suites as plain JSON here (no GX import: reading them is cheap and `pipelines.validate.quality` needs the
rule list without paying for GX) and hand them to GX only when validating.

Every expectation carries ``meta: {severity, rule, description}``: `severity` decides the exit
code (`error` fails the step, `warning` is printed), `rule` is a short id unique within the
suite and used in results, `description` is the plain-English line the user reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pipelines.core import paths
from pipelines.core.errors import PipelineError

#: The processed tables that have a suite, in the order they are validated and reported.
SUITE_TABLES: tuple[str, ...] = (
    "observations",
    "milestone_events",
    "sources",
    "benchmarks",
    "indicators",
    "milestones",
)
SEVERITIES: tuple[str, ...] = ("error", "warning")
#: Keys GX adds to suites and expectations that churn or say nothing a reviewer needs.
_GX_ADDED = frozenset({"id", "notes", "severity", "rendered_content", "batch_id"})
_EXPECTATION_ORDER = ("type", "kwargs", "meta")
_META_ORDER = ("severity", "rule", "description")


class SuiteError(PipelineError):
    """A suite file that cannot be used: broken JSON, a missing meta field, a repeated rule."""


def suite_path(table: str, directory: Path = paths.EXPECTATIONS) -> Path:
    """Where the suite of `table` lives."""
    return directory / f"{table}.json"


def check_expectation(expectation: Mapping[str, Any], where: str) -> None:
    """Refuse an expectation without the meta that results and messages rely on."""
    if not isinstance(expectation.get("type"), str) or not isinstance(expectation.get("kwargs"), dict):
        raise SuiteError(f"{where}: an expectation needs a 'type' and a 'kwargs' mapping")
    meta = expectation.get("meta")
    if not isinstance(meta, dict):
        raise SuiteError(f"{where}: meta with severity, rule and description is required")
    if meta.get("severity") not in SEVERITIES:
        raise SuiteError(f"{where}: meta.severity must be one of {', '.join(SEVERITIES)}, not {meta.get('severity')!r}")
    for key in ("rule", "description"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise SuiteError(f"{where}: meta.{key} must be a non-empty text")


def check_suite(suite: Mapping[str, Any], where: str) -> None:
    """A suite must name itself and give each rule a unique id (results are keyed by it)."""
    if not isinstance(suite.get("name"), str):
        raise SuiteError(f"{where}: the suite needs a 'name'")
    expectations = suite.get("expectations")
    if not isinstance(expectations, list):
        raise SuiteError(f"{where}: 'expectations' must be a list")
    seen: set[str] = set()
    for i, expectation in enumerate(expectations):
        check_expectation(expectation, f"{where} expectations[{i}]")
        rule = expectation["meta"]["rule"]
        if rule in seen:
            raise SuiteError(f"{where}: rule '{rule}' appears twice; rule ids must be unique in a suite")
        seen.add(rule)


def load_suite(table: str, directory: Path = paths.EXPECTATIONS) -> dict[str, Any]:
    """The suite of one table as plain JSON data, checked."""
    path = suite_path(table, directory)
    where = paths.display(path)
    if not path.exists():
        raise SuiteError(f"{where} does not exist: every processed table needs a suite")
    try:
        suite = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SuiteError(f"{where}: not valid JSON ({exc})") from exc
    check_suite(suite, where)
    return suite


def load_suites(
    directory: Path = paths.EXPECTATIONS, tables: Iterable[str] = SUITE_TABLES
) -> dict[str, dict[str, Any]]:
    """Every table's suite, by table name."""
    return {table: load_suite(table, directory) for table in tables}


def _ordered(mapping: Mapping[str, Any], first: Iterable[str]) -> dict[str, Any]:
    """Keys in `first` in that order, then the others sorted: stable and readable."""
    head = [k for k in first if k in mapping]
    return {k: mapping[k] for k in [*head, *sorted(k for k in mapping if k not in head)]}


def _sorted_deep(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_deep(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_deep(v) for v in value]
    return value


def canonical_expectation(expectation: Mapping[str, Any]) -> dict[str, Any]:
    """One expectation without what GX adds, keys in reading order (type, kwargs, meta)."""
    kept = {k: v for k, v in expectation.items() if k not in _GX_ADDED}
    kept["kwargs"] = _sorted_deep({k: v for k, v in kept.get("kwargs", {}).items() if k not in _GX_ADDED})
    kept["meta"] = _ordered(_sorted_deep(kept.get("meta", {})), _META_ORDER)
    return _ordered(kept, _EXPECTATION_ORDER)


def canonical_suite(suite: Mapping[str, Any]) -> dict[str, Any]:
    """A suite as we keep it in git: no ids, no GX version stamp, stable key order.

    Works on a suite we read and on ``ExpectationSuite.to_json_dict()``, so a suite edited with
    GX's Python API can be saved back with only the rule changes showing in the diff.
    """
    meta = {k: v for k, v in (suite.get("meta") or {}).items() if k != "great_expectations_version"}
    out: dict[str, Any] = {"name": suite["name"]}
    if meta:
        out["meta"] = _sorted_deep(meta)
    out["expectations"] = [canonical_expectation(e) for e in suite.get("expectations", [])]
    return out


def dumps_suite(suite: Mapping[str, Any]) -> str:
    """The exact text of a suite file (2-space indent, UTF-8 kept readable, final newline)."""
    return json.dumps(canonical_suite(suite), indent=2, ensure_ascii=False) + "\n"


def save_suite(suite: Mapping[str, Any], table: str, directory: Path = paths.EXPECTATIONS) -> Path:
    """Write a suite in canonical form (checked first, so a bad suite never lands in git)."""
    canonical = canonical_suite(suite)
    check_suite(canonical, table)
    path = suite_path(table, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps_suite(canonical), encoding="utf-8")
    return path
