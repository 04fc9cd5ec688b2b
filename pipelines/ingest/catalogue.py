"""The roadmap definitions (``data/raw/roadmaps/*.yaml``) as three typed tables.

A roadmap is data, not code: its benchmarks, the indicators that measure them (unit,
direction, bounds, baseline, target) and the milestones that mark qualitative progress.
Another mission's roadmap is another YAML file. Mistakes in a definition are reported with
the file, the line and the key path (``benchmarks[3].indicators[0].unit``), because a wrong
unit or bound here silently changes every check downstream.

Here: the roadmap, its key dates, benchmarks and milestones, each file's rows and the checks
across files (`load`). How a value is read and refused is `pipelines.ingest.roadmap_reader`'s;
an indicator's definition and assessment rule are `pipelines.ingest.indicator_rules`'.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.core import schema
from pipelines.core.errors import DataError, Problem
from pipelines.core.ids import BENCHMARK_ID, ROADMAP_ID
from pipelines.ingest import indicator_rules
from pipelines.ingest.roadmap_reader import Reader

BENCHMARK_KINDS = frozenset({"milestones", "indicators", "mixed"})


@dataclass(frozen=True)
class Catalogue:
    """Every roadmap's definition, key dates, benchmarks, indicators and milestones, as
    processed tables."""

    roadmaps: pl.DataFrame
    key_dates: pl.DataFrame
    benchmarks: pl.DataFrame
    indicators: pl.DataFrame
    milestones: pl.DataFrame
    #: Where each roadmap file declares its benchmarks, for messages that send the user there:
    #: (roadmap_id, benchmark) -> the line of its ``benchmark:`` key, and (roadmap_id, None) ->
    #: the line of the ``benchmarks:`` list, where an undeclared one would go.
    lines: dict[tuple[str, str | None], int | None]

    def where(self, roadmap_id: str, benchmark: str | None = None) -> str:
        """``data/raw/roadmaps/x.yaml line 12``: where `benchmark` (or the roadmap's list of
        benchmarks) is declared."""
        file = self.roadmaps.filter(pl.col("roadmap_id") == roadmap_id)["file"].item()
        line = self.lines.get((roadmap_id, benchmark))
        return f"{file} line {line}" if line else file

    def indicator(self, indicator_id: str) -> dict[str, Any] | None:
        """One indicator's definition as a dict, or None when it is not declared."""
        rows = self.indicators.filter(pl.col("indicator_id") == indicator_id).to_dicts()
        return rows[0] if rows else None


@dataclass(frozen=True)
class Roadmap:
    """One roadmap file's rows, each carrying its line in the file (``_line``) until `load`
    has checked them against the other files."""

    roadmap: dict[str, Any]
    key_dates: list[dict[str, Any]]
    benchmarks: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    milestones: list[dict[str, Any]]
    #: The line of the file's ``benchmarks:`` list.
    benchmarks_line: int | None


def _benchmark_id(r: Reader, node: dict[str, Any], path: str) -> str:
    """The benchmark's id as text: a YAML integer (``benchmark: 1``) is accepted as ``"1"``."""
    value = r.req(node, "benchmark", path, (str, int))
    text = str(value).strip()
    if isinstance(value, bool) or not BENCHMARK_ID.fullmatch(text):
        r.fail(node, f"{path}.benchmark", "benchmark-id",
                "a benchmark id is 1-12 letters, digits, '-' or '_' (e.g. A, 1, J01)", value)
    return text


def _retired(r: Reader, node: dict[str, Any], path: str) -> dict[str, Any]:
    """``retired: {date, as: transferred|retired, to_fr, to_en, source_id}`` as columns."""
    retired = node.get("retired")
    if retired is None:
        return {"retired_on": None, "retired_as": None, "retired_to_fr": None, "retired_to_en": None,
                "retired_source_id": None}
    if not isinstance(retired, dict):
        r.fail(node, f"{path}.retired", "retired", "must be a mapping {date, as, to_fr, to_en, source_id}")
    day = r.opt_date(retired, "date", f"{path}.retired")
    if day is None:
        r.fail(retired, f"{path}.retired.date", "required", "'date' is required here: from when it holds")
    return {"retired_on": day, "retired_as": r.choice(retired, "as", f"{path}.retired", schema.RETIREMENTS),
            "retired_to_fr": retired.get("to_fr"), "retired_to_en": retired.get("to_en"),
            "retired_source_id": r.req(retired, "source_id", f"{path}.retired")}


def _benchmark_sets(r: Reader, doc: dict[str, Any], benchmarks: list[dict[str, Any]], published: date | None) -> None:
    """``benchmark_sets:``, the roadmap's benchmarks versioned by date: each set lists the
    benchmarks in force ``from`` its date, and names those it drops as ``transferred`` (or
    ``retired``) with ``to_fr``, ``to_en`` and the ``source_id`` that first records it. A
    benchmark enters from the first set that lists it (before it: not yet in force) and leaves
    at the set that drops it (the columns ``retired:`` would give, which it may then not carry
    too). Every benchmark is in some set, every listed one is declared, the sets are in date
    order, the first from the roadmap's date on, and a benchmark dropped is named as such."""
    sets = doc.get("benchmark_sets")
    if sets is None:
        return
    if not isinstance(sets, list) or not sets:
        r.fail(doc, "benchmark_sets", "benchmark-sets", "must be a list of {from, benchmarks, …}")
    rows = {b["benchmark"]: b for b in benchmarks}
    entered: dict[str, date] = {}
    previous: tuple[date, set[str]] | None = None
    for k, node in enumerate(sets):
        path = f"benchmark_sets[{k}]"
        if not isinstance(node, dict):
            r.fail(doc, path, "benchmark-sets", "a benchmark set must be a mapping {from, benchmarks, …}")
        day = r.opt_date(node, "from", path)
        if day is None:
            r.fail(node, f"{path}.from", "required", "'from' is required here: the date the set applies from")
        if previous is None and published is not None and day < published:
            r.fail(node, f"{path}.from", "benchmark-sets", f"the first set cannot apply before the roadmap ({published})",
                   day)
        if previous is not None and day <= previous[0]:
            r.fail(node, f"{path}.from", "benchmark-sets", f"sets are in date order: after {previous[0]}", day)
        listed = [str(b) for b in r.req(node, "benchmarks", path, list)]
        dropped = {str(b): how for how in sorted(schema.RETIREMENTS) for b in (node.get(how) or [])}
        for b in [*listed, *dropped]:
            if b not in rows:
                r.fail(node, f"{path}.benchmarks", "known-benchmark",
                       f"benchmark '{b}' is not declared under benchmarks: of this file", b)
        for b in listed:
            entered.setdefault(b, day)
        if previous is not None:
            gone = previous[1] - set(listed)
            if gone != set(dropped):
                r.fail(node, f"{path}.benchmarks", "benchmark-sets",
                       "a benchmark leaving the set is named under 'transferred' or 'retired', and only those: "
                       f"left {sorted(gone)}, named {sorted(dropped)}")
            for b, how in dropped.items():
                if rows[b]["retired_on"] is not None:
                    r.fail(node, f"{path}.{how}", "benchmark-sets",
                           f"benchmark '{b}' also carries its own 'retired:': declare it once", b)
                rows[b].update({"retired_on": day, "retired_as": how, "retired_to_fr": node.get("to_fr"),
                                "retired_to_en": node.get("to_en"),
                                "retired_source_id": r.req(node, "source_id", path)})
        elif dropped:
            r.fail(node, f"{path}.benchmarks", "benchmark-sets", "the first set cannot drop a benchmark")
        previous = (day, set(listed))
    missing = sorted(set(rows) - set(entered))
    if missing:
        r.fail(doc, "benchmark_sets", "benchmark-sets", f"benchmarks in no set: {', '.join(missing)}")
    first = sets[0]["from"]
    for b, day in entered.items():
        rows[b]["in_force_from"] = None if day == first else day


def _text(r: Reader, node: dict[str, Any], path: str, lang: str) -> tuple[str | None, str | None]:
    """The benchmark's wording in `lang`, or None with a note saying where it was sought: a
    wording not found is never invented, and the report must say why it is missing."""
    text, note = node.get(f"text_{lang}"), node.get(f"text_note_{lang}")
    if text is not None and not isinstance(text, str):
        r.fail(node, f"{path}.text_{lang}", "type", f"'text_{lang}' must be str", text)
    if not text and not note:
        r.fail(node, f"{path}.text_{lang}", "required",
                f"'text_{lang}' is required, or 'text_note_{lang}' saying why the wording is not given")
    return (text.strip() if text else None), note


def _rubric(r: Reader, milestone: dict[str, Any], path: str) -> dict[str, str | None]:
    """A milestone's optional ``rubric``: what each level means for it, in both languages,
    as ``{level: {fr: ..., en: ...}}`` with levels of `schema.MILESTONE_STATUS`; stored as one
    JSON text per language (``rubric_fr``, ``rubric_en``), in the scale's order."""
    rubric = milestone.get("rubric")
    if rubric is None:
        return {"rubric_fr": None, "rubric_en": None}
    if not isinstance(rubric, dict):
        r.fail(milestone, f"{path}.rubric", "rubric-shape", "a rubric maps levels to {fr: ..., en: ...}")
    texts: dict[str, dict[str, str]] = {"fr": {}, "en": {}}
    for level in [k for k in rubric if k not in ("__lines__", "__line__")]:
        if level not in schema.MILESTONE_STATUS:
            r.fail(rubric, f"{path}.rubric.{level}", "rubric-level",
                   f"'{level}' is not a milestone level: one of {', '.join(schema.MILESTONE_STATUS)}", level)
        for lang in ("fr", "en"):
            texts[lang][level] = r.req(rubric[level], lang, f"{path}.rubric.{level}") \
                if isinstance(rubric[level], dict) else r.fail(rubric, f"{path}.rubric.{level}", "rubric-shape",
                                                               "each level gives {fr: ..., en: ...}")
    order = list(schema.MILESTONE_STATUS)
    return {f"rubric_{lang}": json.dumps({k: texts[lang][k] for k in sorted(texts[lang], key=order.index)},
                                         ensure_ascii=False) for lang in ("fr", "en")}


def _key_dates(r: Reader, doc: dict[str, Any], roadmap_id: str) -> list[dict[str, Any]]:
    rows = []
    for j, node in enumerate(doc.get("key_dates") or []):
        path = f"key_dates[{j}]"
        if not isinstance(node, dict):
            r.fail(doc, path, "key-date-shape", "a key date must be a mapping")
        day = r.opt_date(node, "date", path)
        if day is None:
            r.fail(node, f"{path}.date", "required", "'date' is required here")
        known = r.opt_date(node, "known_from", path)
        if known is None:
            r.fail(node, f"{path}.known_from", "required",
                    "'known_from' is required here: the date from which the key date was known")
        rows.append({"roadmap_id": roadmap_id, "key_date_id": r.req(node, "key_date_id", path), "date": day,
                     "known_from": known, "label_fr": r.req(node, "label_fr", path),
                     "label_en": r.req(node, "label_en", path), "_line": node.get("__line__")})
    return rows


def _reports(r: Reader, doc: dict[str, Any]) -> str:
    """``reports: [women-quota, ddr]``: the thematic reports built for this roadmap."""
    value = doc.get("reports") or []
    if not isinstance(value, list) or not all(isinstance(x, str) and re.fullmatch(r"[a-z][a-z0-9-]{0,40}", x)
                                              for x in value):
        r.fail(doc, "reports", "reports", "must be a list of report ids, e.g. [women-quota, ddr]", value)
    return ",".join(value)


def read_roadmap(path: Path) -> Roadmap:
    """One roadmap file -> its rows (roadmap, key dates, benchmarks, indicators, milestones)."""
    import pycountry

    r = Reader(path)
    doc = r.doc
    roadmap_id = r.req(doc, "roadmap_id", "")
    if not ROADMAP_ID.fullmatch(roadmap_id):
        r.fail(doc, "roadmap_id", "roadmap-id",
                "a roadmap id is 1-40 lower-case letters, digits or '-' (it names report folders), e.g. s-2021-300",
                roadmap_id)
    country = r.req(doc, "country", "")
    if not re.fullmatch(r"[A-Z]{2}", country) or pycountry.countries.get(alpha_2=country) is None:
        r.fail(doc, "country", "country", "must be an ISO 3166-1 alpha-2 code, e.g. ML", country)
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
        r.fail(doc, "published", "required", "'published' is required here: the document's date")
    benchmarks, indicators, milestones = [], [], []
    rules = indicator_rules.roadmap_rules(r, doc)
    for i, b in enumerate(r.req(doc, "benchmarks", "", list)):
        path_b = f"benchmarks[{i}]"
        if not isinstance(b, dict):
            r.fail(doc, path_b, "benchmark-shape", "a benchmark must be a mapping")
        bench = _benchmark_id(r, b, path_b)
        paragraph = b.get("paragraph")
        if paragraph is not None and (isinstance(paragraph, bool) or not isinstance(paragraph, int)):
            r.fail(b, f"{path_b}.paragraph", "type", "'paragraph' must be int (or left out)", paragraph)
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
            "in_force_from": None,
            "_line": b["__lines__"].get("benchmark"),
        })
        for j, ind in enumerate(b.get("indicators") or []):
            indicators.append(indicator_rules.indicator_row(r, ind, f"{path_b}.indicators[{j}]", roadmap_id, bench,
                                                            rules))
        for j, m in enumerate(b.get("milestones") or []):
            path_m = f"{path_b}.milestones[{j}]"
            if not isinstance(m, dict):
                r.fail(b, path_m, "milestone-shape", "a milestone must be a mapping")
            milestones.append({
                "roadmap_id": roadmap_id,
                "benchmark": bench,
                "milestone_id": r.req(m, "milestone_id", path_m),
                "name_fr": r.req(m, "name_fr", path_m),
                "name_en": r.req(m, "name_en", path_m),
                "due": r.opt_date(m, "due", path_m),
                **_rubric(r, m, path_m),
                "_line": m["__lines__"].get("milestone_id"),
            })
    for j, ind in enumerate(doc.get("indicators") or []):
        indicators.append(indicator_rules.indicator_row(r, ind, f"indicators[{j}]", roadmap_id, None, rules))
    _unique(r, indicators, ("indicator_id",), "indicator_id")
    _unique(r, milestones, ("benchmark", "milestone_id"), "milestone_id")
    _unique(r, benchmarks, ("benchmark",), "benchmark")
    _benchmark_sets(r, doc, benchmarks, published)
    return Roadmap(roadmap, _key_dates(r, doc, roadmap_id), benchmarks, indicators, milestones,
                   doc["__lines__"].get("benchmarks"))


def _unique(r: Reader, rows: list[dict], key: tuple[str, ...], column: str) -> None:
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
        lines={**{(p.roadmap["roadmap_id"], None): p.benchmarks_line for p in parts},
               **{(row["roadmap_id"], row["benchmark"]): row["_line"] for p in parts for row in p.benchmarks}},
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
