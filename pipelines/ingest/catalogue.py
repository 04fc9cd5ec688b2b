"""The roadmap definitions (``data/raw/roadmaps/*.yaml``) as three typed tables.

A roadmap is data, not code: its benchmarks, the indicators that measure them (unit,
direction, bounds, baseline, target) and the milestones that mark qualitative progress.
Another mission's roadmap is another YAML file. Mistakes in a definition are reported with
the file, the line and the key path (``benchmarks[3].indicators[0].unit``), because a wrong
unit or bound here silently changes every check downstream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from pipelines.core import schema
from pipelines.core.errors import DataError, Problem
from pipelines.core.ids import BENCHMARK_ID, ROADMAP_ID
from pipelines.core.paths import display
from pipelines.core.yamlsafe import read_yaml_text

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
    """Every roadmap's definition, key dates, benchmarks, indicators and milestones, as
    processed tables."""

    roadmaps: pl.DataFrame
    key_dates: pl.DataFrame
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


def _indicator_row(r: _Reader, node: Any, path: str, roadmap_id: str, benchmark: str | None,
                   min_pace_years: float | None) -> dict[str, Any]:
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


def _assessment(r: _Reader, node: dict[str, Any], path: str, has_target: bool,
                min_pace_years: float | None) -> dict[str, Any]:
    """``assessment: {rule_fr, rule_en, quote_fr, paragraph, series, counts, min_pace_years}`` as columns.

    A status is a claim about the world, so the rule behind it is data a reviewer can read
    and change, not code: in plain words (``rule_fr``/``rule_en``, shown beside the status),
    with the roadmap's words that justify it (``quote_fr``, ``paragraph``), which sources speak
    for the indicator (``series``, preferred first; figures of other sources are shown, never
    assessed) and what counts (``counts``: ``stock``, or ``{additions_since: DATE}``). An
    indicator with a target must declare its rule; one without may (to say why it has none).
    ``min_pace_years`` (the shortest span a pace is judged on) defaults to the roadmap's
    (`_roadmap_rules`).
    """
    block = node.get("assessment")
    where = f"{path}.assessment"
    if block is None:
        if has_target:
            r._fail(node, where, "assessment-rule",
                    "an indicator with a target must declare its assessment rule (rule_fr, rule_en, quote_fr): "
                    "every status says which rule it follows")
        return {"rule_fr": None, "rule_en": None, "rule_quote_fr": None, "rule_paragraph": None,
                "assess_series": None, "counts_since": None, "min_pace_years": min_pace_years}
    if not isinstance(block, dict):
        r._fail(node, where, "assessment-shape", "must be a mapping {rule_fr, rule_en, quote_fr, ...}", block)
    paragraph = block.get("paragraph")
    if paragraph is not None and (isinstance(paragraph, bool) or not isinstance(paragraph, int)):
        r._fail(block, f"{where}.paragraph", "type", "'paragraph' must be int (or left out)", paragraph)
    series = block.get("series")
    if series is not None and not (isinstance(series, list) and series
                                   and all(isinstance(s, str) and s.strip() and " " not in s for s in series)):
        r._fail(block, f"{where}.series", "series", "must be a non-empty list of source ids, preferred first", series)
    counts = block.get("counts", "stock")
    since = None
    if isinstance(counts, dict):
        unknown = sorted(k for k in counts if not k.startswith("__") and k != "additions_since")
        if unknown:
            r._fail(block, f"{where}.counts", "counts", f"unknown key {unknown[0]!r}: expected additions_since", counts)
        since = r.opt_date(counts, "additions_since", f"{where}.counts")
    elif counts != "stock":
        r._fail(block, f"{where}.counts", "counts",
                "must be 'stock' or a mapping {additions_since: YYYY-MM-DD}", counts)
    if isinstance(counts, dict) and since is None:
        r._fail(block, f"{where}.counts", "counts", "'additions_since' needs a date", counts)
    quote = r.req(block, "quote_fr", where) if has_target else block.get("quote_fr")
    return {"rule_fr": r.req(block, "rule_fr", where).strip(), "rule_en": r.req(block, "rule_en", where).strip(),
            "rule_quote_fr": quote, "rule_paragraph": paragraph,
            "assess_series": " ".join(series) if series else None, "counts_since": since,
            "min_pace_years": _min_pace_years(r, block, where, min_pace_years)}


def _min_pace_years(r: _Reader, node: dict[str, Any], path: str, default: float | None) -> float | None:
    """A positive number of years, or the default when the key is left out."""
    if node.get("min_pace_years") is None:
        return default
    value = r.opt_number(node, "min_pace_years", path)
    if value is None or value <= 0:
        r._fail(node, f"{path}.min_pace_years", "min-pace-years", "must be a positive number of years",
                node.get("min_pace_years"))
    return value


def _roadmap_rules(r: _Reader, doc: dict[str, Any]) -> float | None:
    """The roadmap-wide ``assessment: {min_pace_years}``: the rules every indicator follows
    unless its own ``assessment`` says otherwise. A roadmap that says progress will not be
    linear (S/2021/300 §28) should not have a quarter's jump extrapolated into "on track"."""
    block = doc.get("assessment")
    if block is None:
        return None
    if not isinstance(block, dict):
        r._fail(doc, "assessment", "assessment-shape", "must be a mapping {min_pace_years, ...}", block)
    unknown = sorted(k for k in block if not k.startswith("__") and k != "min_pace_years")
    if unknown:
        r._fail(block, "assessment", "assessment-shape", f"unknown key {unknown[0]!r}: expected min_pace_years",
                block)
    return _min_pace_years(r, block, "assessment", None)


@dataclass(frozen=True)
class Roadmap:
    """One roadmap file's rows, each carrying its line in the file (``_line``) until `load`
    has checked them against the other files."""

    roadmap: dict[str, Any]
    key_dates: list[dict[str, Any]]
    benchmarks: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    milestones: list[dict[str, Any]]


def _benchmark_id(r: _Reader, node: dict[str, Any], path: str) -> str:
    """The benchmark's id as text: a YAML integer (``benchmark: 1``) is accepted as ``"1"``."""
    value = r.req(node, "benchmark", path, (str, int))
    text = str(value).strip()
    if isinstance(value, bool) or not BENCHMARK_ID.fullmatch(text):
        r._fail(node, f"{path}.benchmark", "benchmark-id",
                "a benchmark id is 1-12 letters, digits, '-' or '_' (e.g. A, 1, J01)", value)
    return text


def _retired(r: _Reader, node: dict[str, Any], path: str) -> dict[str, Any]:
    """``retired: {date, as: transferred|retired, to_fr, to_en, source_id}`` as columns."""
    retired = node.get("retired")
    if retired is None:
        return {"retired_on": None, "retired_as": None, "retired_to_fr": None, "retired_to_en": None,
                "retired_source_id": None}
    if not isinstance(retired, dict):
        r._fail(node, f"{path}.retired", "retired", "must be a mapping {date, as, to_fr, to_en, source_id}")
    day = r.opt_date(retired, "date", f"{path}.retired")
    if day is None:
        r._fail(retired, f"{path}.retired.date", "required", "'date' is required here: from when it holds")
    return {"retired_on": day, "retired_as": r.choice(retired, "as", f"{path}.retired", schema.RETIREMENTS),
            "retired_to_fr": retired.get("to_fr"), "retired_to_en": retired.get("to_en"),
            "retired_source_id": r.req(retired, "source_id", f"{path}.retired")}


def _text(r: _Reader, node: dict[str, Any], path: str, lang: str) -> tuple[str | None, str | None]:
    """The benchmark's wording in `lang`, or None with a note saying where it was sought: a
    wording not found is never invented, and the report must say why it is missing."""
    text, note = node.get(f"text_{lang}"), node.get(f"text_note_{lang}")
    if text is not None and not isinstance(text, str):
        r._fail(node, f"{path}.text_{lang}", "type", f"'text_{lang}' must be str", text)
    if not text and not note:
        r._fail(node, f"{path}.text_{lang}", "required",
                f"'text_{lang}' is required, or 'text_note_{lang}' saying why the wording is not given")
    return (text.strip() if text else None), note


def _key_dates(r: _Reader, doc: dict[str, Any], roadmap_id: str) -> list[dict[str, Any]]:
    rows = []
    for j, node in enumerate(doc.get("key_dates") or []):
        path = f"key_dates[{j}]"
        if not isinstance(node, dict):
            r._fail(doc, path, "key-date-shape", "a key date must be a mapping")
        day = r.opt_date(node, "date", path)
        if day is None:
            r._fail(node, f"{path}.date", "required", "'date' is required here")
        known = r.opt_date(node, "known_from", path)
        if known is None:
            r._fail(node, f"{path}.known_from", "required",
                    "'known_from' is required here: the date from which the key date was known")
        rows.append({"roadmap_id": roadmap_id, "key_date_id": r.req(node, "key_date_id", path), "date": day,
                     "known_from": known, "label_fr": r.req(node, "label_fr", path),
                     "label_en": r.req(node, "label_en", path), "_line": node.get("__line__")})
    return rows


def _reports(r: _Reader, doc: dict[str, Any]) -> str:
    """``reports: [women-quota, ddr]``: the thematic reports built for this roadmap."""
    value = doc.get("reports") or []
    if not isinstance(value, list) or not all(isinstance(x, str) and re.fullmatch(r"[a-z][a-z0-9-]{0,40}", x)
                                              for x in value):
        r._fail(doc, "reports", "reports", "must be a list of report ids, e.g. [women-quota, ddr]", value)
    return ",".join(value)


def read_roadmap(path: Path) -> Roadmap:
    """One roadmap file -> its rows (roadmap, key dates, benchmarks, indicators, milestones)."""
    import pycountry

    r = _Reader(path)
    doc = r.doc
    roadmap_id = r.req(doc, "roadmap_id", "")
    if not ROADMAP_ID.fullmatch(roadmap_id):
        r._fail(doc, "roadmap_id", "roadmap-id",
                "a roadmap id is 1-40 lower-case letters, digits or '-' (it names report folders), e.g. s-2021-300",
                roadmap_id)
    country = r.req(doc, "country", "")
    if not re.fullmatch(r"[A-Z]{2}", country) or pycountry.countries.get(alpha_2=country) is None:
        r._fail(doc, "country", "country", "must be an ISO 3166-1 alpha-2 code, e.g. ML", country)
    mission = r.req(doc, "mission", "", dict)
    published = r.opt_date(doc, "published", "")
    roadmap = {
        "roadmap_id": roadmap_id, "symbol": r.req(doc, "symbol", ""), "published": published,
        "source_id": r.req(doc, "source_id", ""), "acronym": r.req(mission, "acronym", "mission"),
        "mission_fr": r.req(mission, "name_fr", "mission"), "mission_en": r.req(mission, "name_en", "mission"),
        "country": country, "title_fr": r.req(doc, "title_fr", "").strip(),
        "title_en": r.req(doc, "title_en", "").strip(), "reports": _reports(r, doc), "file": r.name, "_line": doc["__lines__"].get("roadmap_id"),
    }
    if published is None:
        r._fail(doc, "published", "required", "'published' is required here: the document's date")
    benchmarks, indicators, milestones = [], [], []
    min_pace_years = _roadmap_rules(r, doc)
    for i, b in enumerate(r.req(doc, "benchmarks", "", list)):
        path_b = f"benchmarks[{i}]"
        if not isinstance(b, dict):
            r._fail(doc, path_b, "benchmark-shape", "a benchmark must be a mapping")
        bench = _benchmark_id(r, b, path_b)
        paragraph = b.get("paragraph")
        if paragraph is not None and (isinstance(paragraph, bool) or not isinstance(paragraph, int)):
            r._fail(b, f"{path_b}.paragraph", "type", "'paragraph' must be int (or left out)", paragraph)
        text_fr, note_fr = _text(r, b, path_b, "fr")
        text_en, note_en = _text(r, b, path_b, "en")
        benchmarks.append({
            "roadmap_id": roadmap_id,
            "benchmark": bench,
            "paragraph": paragraph,
            "title_fr": r.req(b, "title_fr", path_b),
            "title_en": r.req(b, "title_en", path_b),
            "text_fr": text_fr,
            "text_en": text_en,
            "phase": str(r.req(b, "phase", path_b, (str, int))),
            "horizon": r.opt_date(b, "horizon", path_b),
            "kind": r.choice(b, "kind", path_b, BENCHMARK_KINDS),
            "text_note_fr": note_fr,
            "text_note_en": note_en,
            **_retired(r, b, path_b),
            "_line": b["__lines__"].get("benchmark"),
        })
        for j, ind in enumerate(b.get("indicators") or []):
            indicators.append(_indicator_row(r, ind, f"{path_b}.indicators[{j}]", roadmap_id, bench, min_pace_years))
        for j, m in enumerate(b.get("milestones") or []):
            path_m = f"{path_b}.milestones[{j}]"
            if not isinstance(m, dict):
                r._fail(b, path_m, "milestone-shape", "a milestone must be a mapping")
            milestones.append({
                "roadmap_id": roadmap_id,
                "benchmark": bench,
                "milestone_id": r.req(m, "milestone_id", path_m),
                "name_fr": r.req(m, "name_fr", path_m),
                "name_en": r.req(m, "name_en", path_m),
                "due": r.opt_date(m, "due", path_m),
                "_line": m["__lines__"].get("milestone_id"),
            })
    for j, ind in enumerate(doc.get("indicators") or []):
        indicators.append(_indicator_row(r, ind, f"indicators[{j}]", roadmap_id, None, min_pace_years))
    _unique(r, indicators, ("indicator_id",), "indicator_id")
    _unique(r, milestones, ("benchmark", "milestone_id"), "milestone_id")
    _unique(r, benchmarks, ("benchmark",), "benchmark")
    return Roadmap(roadmap, _key_dates(r, doc, roadmap_id), benchmarks, indicators, milestones)


def _unique(r: _Reader, rows: list[dict], key: tuple[str, ...], column: str) -> None:
    """Within one file: the second declaration of a key is refused, naming the first's line."""
    seen: dict[tuple, Any] = {}
    for row in rows:
        k = tuple(row[c] for c in key)
        if k in seen:
            raise DataError(Problem(r.name, row.get("_line"), column, str(row[column]), "unique",
                                    f"{column} '{row[column]}' is declared twice: first at line {seen[k]}"))
        seen[k] = row.get("_line")


def load(roadmap_files: list[Path]) -> Catalogue:
    """Read every roadmap file into one catalogue.

    Benchmark and milestone ids are scoped by their roadmap: two roadmaps may both have a
    benchmark ``A``. Indicator ids are global: an observation row names only its indicator,
    so the indicator must say which roadmap (and country) the figure belongs to. A roadmap id
    declared by two files, or an indicator id declared by two roadmaps, is refused with both
    places named, never merged.
    """
    parts = [read_roadmap(path) for path in roadmap_files]
    _no_clash([(p.roadmap, p.roadmap["file"]) for p in parts], "roadmap_id", "roadmap")
    _no_clash([(row, p.roadmap["file"]) for p in parts for row in p.indicators], "indicator_id", "indicator")

    def rows(name: str) -> list[dict[str, Any]]:
        return [{k: v for k, v in row.items() if k != "_line"} for p in parts for row in getattr(p, name)]

    return Catalogue(
        roadmaps=_frame([{k: v for k, v in p.roadmap.items() if k != "_line"} for p in parts], "roadmaps",
                        ["roadmap_id"]),
        key_dates=_frame(rows("key_dates"), "key_dates", ["roadmap_id", "date", "key_date_id"]),
        benchmarks=_frame(rows("benchmarks"), "benchmarks", ["roadmap_id", "benchmark"]),
        indicators=_frame(rows("indicators"), "indicators", ["roadmap_id", "indicator_id"]),
        milestones=_frame(rows("milestones"), "milestones", ["roadmap_id", "benchmark", "milestone_id"]),
    )


def _no_clash(rows: list[tuple[dict[str, Any], str]], column: str, what: str) -> None:
    """Across files: a key declared in two places is an error naming both (file and line)."""
    seen: dict[str, tuple[str, Any]] = {}
    for row, file in rows:
        value = row[column]
        if value in seen:
            first_file, first_line = seen[value]
            at = f"{first_file} line {first_line}" if first_line else first_file
            raise DataError(Problem(file, row.get("_line"), column, str(value), "unique",
                                    f"{what} '{value}' is already declared in {at}; {what} ids must be unique "
                                    "across roadmap files (rename one)"))
        seen[value] = (file, row.get("_line"))


def _frame(rows: list[dict], table: str, order: list[str]) -> pl.DataFrame:
    if not rows:
        return schema.empty(table)
    frame = pl.DataFrame(rows, schema=schema.TABLES[table], strict=False)
    return frame.sort(order)
