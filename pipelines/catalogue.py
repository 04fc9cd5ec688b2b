"""The roadmap definitions (``data/raw/roadmaps/*.yaml``) as three typed tables.

A roadmap is data, not code: its benchmarks, the indicators that measure them (unit,
direction, bounds, baseline, target) and the milestones that mark qualitative progress.
Another mission's roadmap is another YAML file. Mistakes in a definition are reported with
the file, the line and the key path (``benchmarks[3].indicators[0].unit``), because a wrong
unit or bound here silently changes every check downstream.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from pipelines import schema
from pipelines.errors import DataError, Problem
from pipelines.paths import display
from pipelines.yamlsafe import read_yaml_text

BENCHMARK_KINDS = frozenset({"milestones", "indicators", "mixed"})
QUALIFIERS = frozenset({"=", ">", ">=", "<", "<=", "~"})


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that remembers where each mapping and key stands in the file
    (``__line__`` and ``__lines__``), so that errors can name the line to edit."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class Catalogue:
    """Every roadmap's benchmarks, indicators and milestones, as processed tables."""

    benchmarks: pl.DataFrame
    indicators: pl.DataFrame
    milestones: pl.DataFrame

    def indicator(self, indicator_id: str) -> dict[str, Any] | None:
        """One indicator's definition as a dict, or None when it is not declared."""
        rows = self.indicators.filter(pl.col("indicator_id") == indicator_id).to_dicts()
        return rows[0] if rows else None


class _Reader:
    """Walks one roadmap file, collecting rows and raising precise errors."""

    def __init__(self, path: Path) -> None:
        self.name = display(path)
        text = read_yaml_text(path)
        try:
            self.doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise DataError(
                Problem(self.name, mark.line + 1 if mark else None, None, None, "yaml-syntax", str(exc))
            ) from exc
        if not isinstance(self.doc, dict):
            self._fail(self.doc, "", "roadmap-shape", "a roadmap file must be a mapping with a 'benchmarks' list")

    def _fail(self, node: Any, key: str, rule: str, reason: str, value: Any = None) -> None:
        line = None
        if isinstance(node, dict):
            leaf = key.rsplit(".", 1)[-1]
            line = node.get("__lines__", {}).get(leaf, node.get("__line__"))
        raise DataError(Problem(self.name, line, key or None, None if value is None else str(value), rule, reason))

    def req(self, node: dict[str, Any], key: str, path: str, kind: type | tuple[type, ...] = str) -> Any:
        if key not in node or node[key] is None:
            self._fail(node, f"{path}.{key}".lstrip("."), "required", f"'{key}' is required here")
        value = node[key]
        if not isinstance(value, kind):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            self._fail(node, f"{path}.{key}".lstrip("."), "type", f"'{key}' must be {names}", value)
        return value

    def opt_date(self, node: dict[str, Any] | None, key: str, path: str) -> date | None:
        if not node or node.get(key) is None:
            return None
        value = node[key]
        if not isinstance(value, date):
            self._fail(node, f"{path}.{key}", "date", "must be an ISO date (YYYY-MM-DD)", value)
        return value

    def opt_number(self, node: dict[str, Any] | None, key: str, path: str) -> float | None:
        if not node or node.get(key) is None:
            return None
        value = node[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._fail(node, f"{path}.{key}", "number", "must be a number", value)
        return float(value)

    def choice(self, node: dict[str, Any], key: str, path: str, allowed: frozenset[str]) -> str:
        value = self.req(node, key, path)
        if value not in allowed:
            self._fail(node, f"{path}.{key}", key, f"must be one of {sorted(allowed)}", value)
        return value


def _indicator_row(r: _Reader, node: Any, path: str, roadmap_id: str, benchmark: str | None) -> dict[str, Any]:
    if not isinstance(node, dict):
        r._fail({}, path, "indicator-shape", "an indicator must be a mapping")
    unit = r.choice(node, "unit", path, schema.UNITS)
    bounds = node.get("bounds")
    if bounds is None:
        bounds = [0, 100] if unit == "percent" else [0, None]
    if not (isinstance(bounds, list) and len(bounds) == 2):
        r._fail(node, f"{path}.bounds", "bounds", "must be a list [lower, upper]", bounds)
    lower, upper = (None if b is None else float(b) for b in bounds)
    if lower is not None and upper is not None and lower > upper:
        r._fail(node, f"{path}.bounds", "bounds", "lower bound is above the upper bound", bounds)
    roadmap = node.get("roadmap") or {}
    if roadmap and roadmap.get("qualifier") not in QUALIFIERS | {None}:
        r._fail(roadmap, f"{path}.roadmap.qualifier", "qualifier", f"must be one of {sorted(QUALIFIERS)}",
                roadmap.get("qualifier"))
    baseline, target = node.get("baseline"), node.get("target")
    return {
        "roadmap_id": roadmap_id,
        "benchmark": benchmark,
        "indicator_id": r.req(node, "indicator_id", path),
        "name_fr": r.req(node, "name_fr", path),
        "name_en": r.req(node, "name_en", path),
        "unit": unit,
        "direction": r.choice(node, "direction", path, schema.DIRECTIONS),
        "cumulative": bool(node.get("cumulative", False)),
        "baseline_value": r.opt_number(baseline, "value", f"{path}.baseline"),
        "baseline_date": r.opt_date(baseline, "date", f"{path}.baseline"),
        "target_value": r.opt_number(target, "value", f"{path}.target"),
        "target_date": r.opt_date(target, "date", f"{path}.target"),
        "lower_bound": lower,
        "upper_bound": upper,
        "roadmap_paragraph": roadmap.get("paragraph"),
        "roadmap_value": r.opt_number(roadmap, "value", f"{path}.roadmap"),
        "roadmap_qualifier": roadmap.get("qualifier"),
        "roadmap_quote_fr": roadmap.get("quote_fr"),
    }


def read_roadmap(path: Path) -> tuple[list[dict], list[dict], list[dict]]:
    """One roadmap file -> (benchmark rows, indicator rows, milestone rows)."""
    r = _Reader(path)
    doc = r.doc
    roadmap_id = r.req(doc, "roadmap_id", "")
    benchmarks, indicators, milestones = [], [], []
    for i, b in enumerate(r.req(doc, "benchmarks", "", list)):
        path_b = f"benchmarks[{i}]"
        if not isinstance(b, dict):
            r._fail(doc, path_b, "benchmark-shape", "a benchmark must be a mapping")
        letter = r.req(b, "benchmark", path_b)
        benchmarks.append({
            "roadmap_id": roadmap_id,
            "benchmark": letter,
            "paragraph": r.req(b, "paragraph", path_b, int),
            "title_fr": r.req(b, "title_fr", path_b),
            "title_en": r.req(b, "title_en", path_b),
            "text_fr": r.req(b, "text_fr", path_b).strip(),
            "text_en": r.req(b, "text_en", path_b).strip(),
            "phase": str(r.req(b, "phase", path_b, (str, int))),
            "horizon": r.opt_date(b, "horizon", path_b),
            "kind": r.choice(b, "kind", path_b, BENCHMARK_KINDS),
        })
        for j, ind in enumerate(b.get("indicators") or []):
            indicators.append(_indicator_row(r, ind, f"{path_b}.indicators[{j}]", roadmap_id, letter))
        for j, m in enumerate(b.get("milestones") or []):
            path_m = f"{path_b}.milestones[{j}]"
            milestones.append({
                "roadmap_id": roadmap_id,
                "benchmark": letter,
                "milestone_id": r.req(m, "milestone_id", path_m),
                "name_fr": r.req(m, "name_fr", path_m),
                "name_en": r.req(m, "name_en", path_m),
                "due": r.opt_date(m, "due", path_m),
            })
    for j, ind in enumerate(doc.get("indicators") or []):
        indicators.append(_indicator_row(r, ind, f"indicators[{j}]", roadmap_id, None))
    _unique(r, indicators, ("indicator_id",), "indicator_id")
    _unique(r, milestones, ("benchmark", "milestone_id"), "milestone_id")
    _unique(r, benchmarks, ("benchmark",), "benchmark")
    return benchmarks, indicators, milestones


def _unique(r: _Reader, rows: list[dict], key: tuple[str, ...], column: str) -> None:
    seen: set[tuple] = set()
    for row in rows:
        k = tuple(row[c] for c in key)
        if k in seen:
            r._fail({}, column, "unique", f"{column} '{row[column]}' is declared twice", row[column])
        seen.add(k)


def load(roadmap_files: list[Path]) -> Catalogue:
    """Read every roadmap file into one catalogue; an indicator id must be unique across all."""
    benchmarks, indicators, milestones = [], [], []
    owner: dict[str, str] = {}
    for path in roadmap_files:
        b, i, m = read_roadmap(path)
        for row in i:
            if row["indicator_id"] in owner:
                raise DataError(Problem(display(path), None, "indicator_id", row["indicator_id"], "unique",
                                        f"already declared in {owner[row['indicator_id']]}"))
            owner[row["indicator_id"]] = display(path)
        benchmarks += b
        indicators += i
        milestones += m
    return Catalogue(
        benchmarks=_frame(benchmarks, "benchmarks", ["roadmap_id", "benchmark"]),
        indicators=_frame(indicators, "indicators", ["roadmap_id", "indicator_id"]),
        milestones=_frame(milestones, "milestones", ["roadmap_id", "benchmark", "milestone_id"]),
    )


def _frame(rows: list[dict], table: str, order: list[str]) -> pl.DataFrame:
    if not rows:
        return schema.empty(table)
    frame = pl.DataFrame(rows, schema=schema.TABLES[table], strict=False)
    return frame.sort(order)
