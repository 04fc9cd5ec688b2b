"""The roadmap definitions (``data/raw/roadmaps/*.yaml``) as three typed tables.

A roadmap is data, not code: its benchmarks, the indicators that measure them (unit,
direction, bounds, baseline, target) and the milestones that mark qualitative progress.
Another mission's roadmap is another YAML file. Mistakes in a definition are reported with
the file, the line and the key path (``benchmarks[3].indicators[0].unit``), because a wrong
unit or bound here silently changes every check downstream.

Here: the roadmap, its key dates, benchmarks and milestones, each file's rows and the checks
the file's JSON Schema cannot make, within a file and across files (`load`). The shape of a
file (keys, types, dates, sets of values, id patterns) is ``schemas/roadmap.schema.json``'s,
checked when `pipelines.ingest.roadmap_reader` reads the file, so a value read here is of the
shape the schema declares; an indicator's definition and assessment rule are
`pipelines.ingest.indicator_rules`'.
"""

from __future__ import annotations

import fnmatch
import json
import string
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.core import declarations, schema
from pipelines.core.errors import DataError, Problem
from pipelines.core.i18n import LANGS, messages
from pipelines.ingest import indicator_rules
from pipelines.ingest.roadmap_reader import Reader, as_date


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


def _retired(node: dict[str, Any]) -> dict[str, Any]:
    """``retired: {date, as: transferred|retired, to_fr, to_en, source_id}`` as columns."""
    retired = node.get("retired")
    if retired is None:
        return {
            "retired_on": None,
            "retired_as": None,
            "retired_to_fr": None,
            "retired_to_en": None,
            "retired_source_id": None,
        }
    return {
        "retired_on": date.fromisoformat(retired["date"]),
        "retired_as": retired["as"],
        "retired_to_fr": retired.get("to_fr"),
        "retired_to_en": retired.get("to_en"),
        "retired_source_id": retired["source_id"],
    }


def _benchmark_sets(r: Reader, doc: dict[str, Any], benchmarks: list[dict[str, Any]], published: date) -> None:
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
    rows = {b["benchmark"]: b for b in benchmarks}
    entered: dict[str, date] = {}
    previous: tuple[date, set[str]] | None = None
    for k, node in enumerate(sets):
        path = f"benchmark_sets[{k}]"
        day = date.fromisoformat(node["from"])
        if previous is None and day < published:
            r.fail(
                node,
                f"{path}.from",
                "benchmark-sets",
                f"the first set cannot apply before the roadmap ({published})",
                day,
            )
        if previous is not None and day <= previous[0]:
            r.fail(node, f"{path}.from", "benchmark-sets", f"sets are in date order: after {previous[0]}", day)
        listed = [str(b) for b in node["benchmarks"]]
        dropped = {str(b): how for how in sorted(schema.RETIREMENTS) for b in (node.get(how) or [])}
        for b in [*listed, *dropped]:
            if b not in rows:
                r.fail(
                    node,
                    f"{path}.benchmarks",
                    "known-benchmark",
                    f"benchmark '{b}' is not declared under benchmarks: of this file",
                    b,
                )
        for b in listed:
            entered.setdefault(b, day)
        if previous is not None:
            gone = previous[1] - set(listed)
            if gone != set(dropped):
                r.fail(
                    node,
                    f"{path}.benchmarks",
                    "benchmark-sets",
                    "a benchmark leaving the set is named under 'transferred' or 'retired', and only those: "
                    f"left {sorted(gone)}, named {sorted(dropped)}",
                )
            for b, how in dropped.items():
                if rows[b]["retired_on"] is not None:
                    r.fail(
                        node,
                        f"{path}.{how}",
                        "benchmark-sets",
                        f"benchmark '{b}' also carries its own 'retired:': declare it once",
                        b,
                    )
                rows[b].update(
                    {
                        "retired_on": day,
                        "retired_as": how,
                        "retired_to_fr": node.get("to_fr"),
                        "retired_to_en": node.get("to_en"),
                        "retired_source_id": node["source_id"],
                    }
                )
        elif dropped:
            r.fail(node, f"{path}.benchmarks", "benchmark-sets", "the first set cannot drop a benchmark")
        previous = (day, set(listed))
    missing = sorted(set(rows) - set(entered))
    if missing:
        r.fail(doc, "benchmark_sets", "benchmark-sets", f"benchmarks in no set: {', '.join(missing)}")
    first = date.fromisoformat(sets[0]["from"])
    for b, day in entered.items():
        rows[b]["in_force_from"] = None if day == first else day


def _text(node: dict[str, Any], lang: str) -> tuple[str | None, str | None]:
    """The benchmark's wording in `lang`, or None with a note saying where it was sought: a
    wording not found is never invented, and the report must say why it is missing (the
    schema requires the note where the wording is empty)."""
    text = node.get(f"text_{lang}")
    return (text.strip() if text else None), node.get(f"text_note_{lang}")


def _rubric(milestone: dict[str, Any]) -> dict[str, str | None]:
    """A milestone's optional ``rubric``: what each level means for it, in both languages,
    as ``{level: {fr: ..., en: ...}}`` with levels of `schema.MILESTONE_STATUS`; stored as one
    JSON text per language (``rubric_fr``, ``rubric_en``), in the scale's order."""
    rubric = milestone.get("rubric")
    if rubric is None:
        return {"rubric_fr": None, "rubric_en": None}
    levels = [level for level in schema.MILESTONE_STATUS if level in rubric]
    return {
        f"rubric_{lang}": json.dumps({level: rubric[level][lang] for level in levels}, ensure_ascii=False)
        for lang in LANGS
    }


def _key_dates(doc: dict[str, Any], roadmap_id: str) -> list[dict[str, Any]]:
    return [
        {
            "roadmap_id": roadmap_id,
            "key_date_id": node["key_date_id"],
            "date": date.fromisoformat(node["date"]),
            "known_from": date.fromisoformat(node["known_from"]),
            "label_fr": node["label_fr"],
            "label_en": node["label_en"],
            "_line": node["__line__"],
        }
        for node in doc.get("key_dates") or []
    ]


def read_roadmap(path: Path) -> Roadmap:
    """One roadmap file -> its rows (roadmap, key dates, benchmarks, indicators, milestones)."""
    import pycountry

    r = Reader(path)
    doc = r.doc
    country = doc["country"]
    if pycountry.countries.get(alpha_2=country) is None:
        r.fail(doc, "country", "country", "must be an ISO 3166-1 alpha-2 code, e.g. ML", country)
    roadmap_id, mission, published = doc["roadmap_id"], doc["mission"], date.fromisoformat(doc["published"])
    roadmap = {
        "roadmap_id": roadmap_id,
        "symbol": doc["symbol"],
        "published": published,
        "source_id": doc["source_id"],
        "acronym": mission["acronym"],
        "mission_fr": mission["name_fr"],
        "mission_en": mission["name_en"],
        "country": country,
        "title_fr": doc["title_fr"].strip(),
        "title_en": doc["title_en"].strip(),
        "file": r.name,
        "_line": doc["__lines__"].get("roadmap_id"),
    }
    benchmarks, indicators, milestones = [], [], []
    rules = indicator_rules.roadmap_rules(doc)
    for i, b in enumerate(doc["benchmarks"]):
        path_b = f"benchmarks[{i}]"
        bench = str(b["benchmark"])  # a YAML integer (``benchmark: 1``) is the id "1"
        text_fr, note_fr = _text(b, "fr")
        text_en, note_en = _text(b, "en")
        benchmarks.append(
            {
                "roadmap_id": roadmap_id,
                "benchmark": bench,
                "paragraph": b.get("paragraph"),
                "title_fr": b["title_fr"],
                "title_en": b["title_en"],
                "text_fr": text_fr,
                "text_en": text_en,
                "phase": str(b["phase"]),
                "horizon": as_date(b.get("horizon")),
                "kind": b["kind"],
                "text_note_fr": note_fr,
                "text_note_en": note_en,
                **_retired(b),
                "in_force_from": None,
                "_line": b["__lines__"].get("benchmark"),
            }
        )
        for j, ind in enumerate(b.get("indicators") or []):
            indicators.append(
                indicator_rules.indicator_row(r, ind, f"{path_b}.indicators[{j}]", roadmap_id, bench, rules)
            )
        for m in b.get("milestones") or []:
            milestones.append(
                {
                    "roadmap_id": roadmap_id,
                    "benchmark": bench,
                    "milestone_id": m["milestone_id"],
                    "name_fr": m["name_fr"],
                    "name_en": m["name_en"],
                    "due": as_date(m.get("due")),
                    **_rubric(m),
                    "_line": m["__lines__"].get("milestone_id"),
                }
            )
    for j, ind in enumerate(doc.get("indicators") or []):
        indicators.append(indicator_rules.indicator_row(r, ind, f"indicators[{j}]", roadmap_id, None, rules))
    _unique(r, indicators, ("indicator_id",), "indicator_id")
    _unique(r, milestones, ("benchmark", "milestone_id"), "milestone_id")
    _unique(r, benchmarks, ("benchmark",), "benchmark")
    _benchmark_sets(r, doc, benchmarks, published)
    declared_ids = {row["indicator_id"] for row in indicators}
    roadmap["reports"], roadmap["report_words"] = _reports(r, doc, declared_ids)
    _related(r, doc, declared_ids)
    return Roadmap(
        roadmap, _key_dates(doc, roadmap_id), benchmarks, indicators, milestones, doc["__lines__"].get("benchmarks")
    )


def _reports(r: Reader, doc: dict[str, Any], indicator_ids: set[str]) -> tuple[str, str]:
    """``reports:``: the reports this roadmap lists, each with the roadmap's indicators bound to
    the roles its folder declares (`pipelines.core.declarations`), and the words the roadmap
    says in its own terms; as JSON (report -> role -> ids, in the file's order; report -> key
    -> {fr, en}). A report, role, indicator or word no one declares is refused here, with the
    line to edit, rather than building a report that silently shows nothing or a generic word."""
    node = doc.get("reports") or {}
    known = declarations.declared()
    listed = ", ".join(sorted(k for k, d in known.items() if d.built_for == "listed"))
    bound: dict[str, dict[str, list[str]]] = {}
    said: dict[str, dict[str, dict[str, str]]] = {}
    for report_id, roles in ((k, v) for k, v in node.items() if not k.startswith("__")):
        found = known.get(report_id)
        if found is None or found.built_for != "listed":
            r.fail(
                node,
                f"reports.{report_id}",
                "report",
                f"no report folder (pipelines/reports/*/report.yaml) declares "
                f"'{report_id}' as a report a roadmap lists; those are {listed}",
                report_id,
            )
        roles = roles or {}
        own = bound[report_id] = {}
        for role, ids in ((k, v) for k, v in roles.items() if not k.startswith("__")):
            where = f"reports.{report_id}.{role}"
            if role == declarations.WORDS:
                said[report_id] = _words(r, ids, where, found)
                continue
            if role not in found.role_names:
                r.fail(
                    roles,
                    where,
                    "role",
                    f"'{report_id}' has no role '{role}'; its roles are {', '.join(found.role_names) or 'none'}",
                    role,
                )
            own[role] = [ids] if isinstance(ids, str) else list(ids)
            for iid in own[role]:
                if iid not in indicator_ids:
                    r.fail(roles, where, "indicator", f"'{iid}' is not an indicator of this roadmap", iid)
        missing = [x for x in found.required if x not in own]
        if missing or (found.roles and not own):
            r.fail(
                node,
                f"reports.{report_id}",
                "required-role",
                f"'{report_id}' needs its role(s) {', '.join(missing or found.role_names)} bound to this "
                "roadmap's indicators",
                report_id,
            )
    return json.dumps(bound, ensure_ascii=False), json.dumps(said, ensure_ascii=False)


def _words(r: Reader, node: dict[str, Any], where: str, report: declarations.Declaration) -> dict[str, dict[str, str]]:
    """A report's words in the roadmap's own terms: each key one the report declares (a
    ``*`` in a declared key stands for any role), in every language, with no ``{field}`` the
    catalogue's text does not fill (the page would fail when the report runs)."""
    words: dict[str, dict[str, str]] = {}
    for key, texts in ((k, v) for k, v in node.items() if not k.startswith("__")):
        if not any(fnmatch.fnmatchcase(key, declared) for declared in report.word_keys):
            r.fail(
                node,
                f"{where}.{key}",
                "word",
                f"'{report.report_id}' lets a roadmap say {', '.join(report.word_keys) or 'no word'} in its own "
                "terms, not this key",
                key,
                leaf=key,
            )
        words[key] = {}
        for lang in LANGS:
            text = texts.get(lang)
            if not isinstance(text, str) or not text.strip():
                r.fail(texts, f"{where}.{key}.{lang}", "required", f"the text in '{lang}' is missing", text)
            catalogue = messages(lang).get(key)
            if catalogue is None:
                r.fail(texts, f"{where}.{key}.{lang}", "word", "the catalogues have no such key to replace", key)
            extra = sorted(_fields(text) - _fields(catalogue))
            if extra:
                r.fail(
                    texts,
                    f"{where}.{key}.{lang}",
                    "word-field",
                    f"{{{extra[0]}}} is not filled by the report; the catalogue's text has "
                    f"{', '.join(sorted(_fields(catalogue))) or 'no field'}",
                    text,
                )
            words[key][lang] = text
    return words


def _fields(text: str) -> set[str]:
    """The ``{name}`` fields of a text, as `str.format` reads them."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _related(r: Reader, doc: dict[str, Any], indicator_ids: set[str]) -> None:
    """A roadmap figure's ``related``/``related_complement`` name indicators of the same file."""
    nodes = [ind for b in doc["benchmarks"] for ind in b.get("indicators") or []] + list(doc.get("indicators") or [])
    for ind in nodes:
        block = ind.get("roadmap") or {}
        for key in ("related", "related_complement"):
            for iid in block.get(key) or []:
                if iid not in indicator_ids:
                    r.fail(
                        block,
                        f"{ind['indicator_id']}.roadmap.{key}",
                        "indicator",
                        f"'{iid}' is not an indicator of this roadmap",
                        iid,
                    )


def _unique(r: Reader, rows: list[dict], key: tuple[str, ...], column: str) -> None:
    """Within one file: the second declaration of a key is refused, naming the first's line."""
    seen: dict[tuple, Any] = {}
    for row in rows:
        k = tuple(row[c] for c in key)
        if k in seen:
            raise DataError(
                Problem(
                    r.name,
                    row.get("_line"),
                    column,
                    str(row[column]),
                    "unique",
                    f"{column} '{row[column]}' is declared twice: first at line {seen[k]}",
                )
            )
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
        roadmaps=_frame(
            [{k: v for k, v in p.roadmap.items() if k != "_line"} for p in parts], "roadmaps", ["roadmap_id"]
        ),
        key_dates=_frame(rows("key_dates"), "key_dates", ["roadmap_id", "date", "key_date_id"]),
        benchmarks=_frame(rows("benchmarks"), "benchmarks", ["roadmap_id", "benchmark"]),
        indicators=_frame(rows("indicators"), "indicators", ["roadmap_id", "indicator_id"]),
        milestones=_frame(rows("milestones"), "milestones", ["roadmap_id", "benchmark", "milestone_id"]),
        lines={
            **{(p.roadmap["roadmap_id"], None): p.benchmarks_line for p in parts},
            **{(row["roadmap_id"], row["benchmark"]): row["_line"] for p in parts for row in p.benchmarks},
        },
    )


def _no_clash(rows: list[tuple[dict[str, Any], str]], column: str, what: str) -> None:
    """Across files: a key declared in two places is an error naming both (file and line)."""
    seen: dict[str, tuple[str, Any]] = {}
    for row, file in rows:
        value = row[column]
        if value in seen:
            first_file, first_line = seen[value]
            at = f"{first_file} line {first_line}" if first_line else first_file
            raise DataError(
                Problem(
                    file,
                    row.get("_line"),
                    column,
                    str(value),
                    "unique",
                    f"{what} '{value}' is already declared in {at}; {what} ids must be unique "
                    "across roadmap files (rename one)",
                )
            )
        seen[value] = (file, row.get("_line"))


def _frame(rows: list[dict], table: str, order: list[str]) -> pl.DataFrame:
    if not rows:
        return schema.empty(table)
    frame = pl.DataFrame(rows, schema=schema.TABLES[table], strict=False)
    return frame.sort(order)
