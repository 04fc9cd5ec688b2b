"""``python -m pipelines messages``: the message catalogues made from the code (``make messages``).

Every word a report shows lives in one gettext catalogue per language,
``pipelines/locale/<lang>/LC_MESSAGES/reports.po``, whose message ids are the keys the code
passes to `pipelines.core.i18n.t`. This command extracts those keys with Babel over
``pipelines/`` and ``notebooks/`` into the template ``pipelines/locale/reports.pot`` and brings
each language's catalogue in line with it (``pybabel extract`` then ``pybabel update``, through
Babel's Python API): a new key arrives with an empty text to translate, a key the code no longer
uses leaves. ``--check`` writes nothing and fails when a file is not what the code asks for
(`tests/core/test_i18n.py` runs the same comparison).

Babel's own Python extractor reads tokens: it joins the two keys of ``t("a" if x else "b")``
into one and takes ``t["rows"]`` for a call, so the keys are read here from the syntax tree
(`extract_python`, `extract_notebook`), through Babel's extraction interface. A key built at run time,
``t(f"status.{status}")``, cannot be read from the code: each such f-string is declared in
`DYNAMIC` with the ids it takes, and an undeclared one is an error naming its file and line.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po

from pipelines.analysis import confidence, progress
from pipelines.core import declarations, i18n, paths, schema, statuses
from pipelines.core.errors import UsageError
from pipelines.reports.glossary.terms import TERMS as GLOSSARY_TERMS
from pipelines.reports.poverty_wash.groups import GROUPS as POVERTY_WASH_GROUPS

#: Where the keys are read: folders of the project and the files read in each.
SOURCES: tuple[tuple[str, str], ...] = (("pipelines", "**/*.py"), ("notebooks", "*.ipynb"))
#: The project named in the catalogues' headers.
PROJECT = "minusma-roadmap"


@dataclass(frozen=True)
class Family:
    """Keys the code builds at run time from an f-string (``pattern`` with ``{}`` where the
    f-string has a field): the ids it takes (one value per field, joined by dots), and a note
    for the translator (a ``#.`` comment)."""

    pattern: str
    ids: tuple[str, ...]
    note: str

    def expanded(self) -> list[str]:
        return [self.pattern.format(*i.split(".", self.pattern.count("{}") - 1)) for i in self.ids]


def _sorted(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(values))


#: Every f-string key of the code, with the ids it takes (a code's own vocabulary where it has one).
DYNAMIC: tuple[Family, ...] = (
    Family("status.{}", statuses.IDS, "A status's label (pipelines.core.statuses), on badges, in legends and tables."),
    Family("status_meaning.{}", statuses.IDS, "What a status means, in one sentence: the glossary, a badge's tooltip."),
    Family(
        "milestone_status.{}",
        tuple(schema.MILESTONE_STATUS),
        "A milestone's level (schema.MILESTONE_STATUS), on the Peace Accords Matrix scale.",
    ),
    Family("reason.{}", progress.REASONS, "Why a status is what it is (pipelines.analysis.progress.REASONS)."),
    Family(
        "why.{}",
        tuple(r for r in progress.REASONS if r != "zero_base_linear"),
        "Why a status is what it is, in plain words: one per rule of pipelines.analysis.progress, with the "
        "figures, the target and the arithmetic (zero_base_linear never decides first, so it has no sentence).",
    ),
    Family("confidence.{}", _sorted(schema.CONFIDENCE), "How a figure was obtained (schema.CONFIDENCE)."),
    Family("unit.{}", _sorted(schema.UNITS), "An axis title by the indicator's unit (schema.UNITS)."),
    Family("retired.{}", _sorted(schema.RETIREMENTS), "A benchmark no longer assessed, and since when."),
    Family("retired.{}_to", _sorted(schema.RETIREMENTS), "A benchmark no longer assessed: since when, and to whom."),
    Family("trust.{}", confidence.CRITERIA, "One reason a benchmark's confidence is lowered."),
    Family("trust.grade.{}", confidence.GRADES, "A benchmark's confidence grade."),
    Family(
        "band.{}",
        ("achieved", "insufficient_data", "limited_progress", "needs_acceleration", "on_track"),
        "The edge of a pace band, said before the status (statuses without a band have none).",
    ),
    Family(
        "setaside.{}",
        (
            "ambiguous-roadmap",
            "ambiguous-separator",
            "cell-error",
            "confidence",
            "csv-syntax",
            "dated",
            "encoding",
            "formula-value",
            "kind",
            "known-benchmark",
            "known-indicator",
            "known-key",
            "known-milestone",
            "known-region",
            "known-roadmap",
            "known-source",
            "link-outside",
            "merged-cell",
            "mostly-refused",
            "number",
            "period",
            "period-order",
            "published-rule",
            "required",
            "row-width",
            "source-dated",
            "status",
            "unique",
            "unique-key",
            "unit",
        ),
        "Why ingest set a row aside, one line per rule, on the French quality page (the English page "
        "and the quarantine table give ingest's own English detail); a rule without a line reads "
        "setaside.other.",
    ),
    Family("quality_origin.{}", ("recomputed", "stored"), "Where a quality page's results come from."),
    Family(
        "since.{}",
        ("event", "figure_added", "figure_revised", "reviewed", "source_added", "status_changed"),
        'A heading of the "Since" section, by the kind of change (pipelines.analysis.history).',
    ),
    Family(
        "glossary.{}",
        GLOSSARY_TERMS,
        "A glossary term (pipelines/reports/glossary/panels.py): each term once, in plain words.",
    ),
    Family(
        "glossary.{}.text",
        GLOSSARY_TERMS,
        "What a glossary term means, in plain words.",
    ),
    Family(
        "wq_ddr.outcome.{}",
        ("beyond", "deadline_passed", "insufficient_data", "never", "pace_window_short", "reached", "zero_base"),
        "When a target would be reached at the pace observed (pipelines.analysis.projection).",
    ),
    Family(
        "wq.body.{}",
        declarations.declared()["women-quota"].role_names,
        "A body whose share of women the women's representation report follows.",
    ),
    Family(
        "wq.window.{}",
        ("baseline", "baseline_is_latest", "series", "single"),
        "The span a pace of women's representation is measured over.",
    ),
    Family(
        "ddr.stage.{}",
        ("integrated", "integration_list", "listed", "registered", "trained"),
        "A stage of disarmament, demobilisation and reintegration.",
    ),
    Family("ddr.series.{}", ("cohort", "cumulative"), "A series of the DDR chart."),
    Family(
        "claims.role.{}",
        ("best_any", "best_before", "newest"),
        "Which figure of the data a roadmap's figure is compared with.",
    ),
    Family("claims.kind.{}", ("figure", "target"), "A roadmap's number: a figure it reports, or a target it sets."),
    Family(
        "claims.verdict.{}.{}",
        tuple(
            f"{kind}.{verdict}"
            for kind in ("figure", "target")
            for verdict in ("no_data", "no_data_before", "not_reproduced", "reproduced", "reproduced_older")
        ),
        "Whether the data reproduce a roadmap's figure or target.",
    ),
    Family("rf.summary.{}", ("figure", "target"), "The count of a roadmap's figures or targets, with the verdicts."),
    Family("pw.set.{}", ("all", "poverty", "rural", "wash"), "An indicator set of the poverty and WASH report."),
    Family("pw.group.{}", POVERTY_WASH_GROUPS, "A group of indicators of the poverty and WASH report."),
)


@dataclass(frozen=True)
class Found:
    """What extraction read: each key with where it is used, and each f-string key's places."""

    keys: dict[str, list[tuple[str, int]]]
    patterns: dict[str, list[tuple[str, int]]]


def _is_t(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "t") or (isinstance(node, ast.Attribute) and node.attr == "t")


def _pattern(node: ast.JoinedStr) -> str:
    """An f-string key as a pattern: its text, ``{}`` for each field."""
    return "".join(str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values)


def _keys_in(source: str, filename: str) -> Iterator[tuple[int, str]]:
    """Each key of a ``t(...)`` call in ``source``: literal (``"target"``, or either branch of
    ``"a" if x else "b"``), or an f-string's pattern (it contains ``{}``). Any other first
    argument is an error: extraction could not know its keys."""
    for node in ast.walk(ast.parse(source, filename)):
        if not (isinstance(node, ast.Call) and _is_t(node.func) and node.args):
            continue
        first = node.args[0]
        for arg in (first.body, first.orelse) if isinstance(first, ast.IfExp) else (first,):
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield node.lineno, arg.value
            elif isinstance(arg, ast.JoinedStr):
                yield node.lineno, _pattern(arg)
            else:
                raise UsageError(
                    f"{filename}:{node.lineno}: t({ast.unparse(arg)}, ...): a key must be written in the call, as a "
                    f"string, an f-string declared in pipelines/tools/messages.py (DYNAMIC) or 'a' if ... else 'b'"
                )


def extract_python(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method for a Python module: the keys of its ``t(...)`` calls."""
    for lineno, key in _keys_in(fileobj.read().decode("utf-8"), options.get("filename", "<python>")):
        yield lineno, "t", key, []


def _notebook_lines(raw: str) -> list[int]:
    """The line of the file where each cell's ``"source"`` starts (notebooks are saved one source line a line)."""
    return [n for n, line in enumerate(raw.splitlines(), start=1) if line.lstrip().startswith('"source": ')]


def extract_notebook(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method for a notebook: the keys of its code cells, each located at its
    line in the .ipynb file (a cell's IPython magics are blanked, they are not Python)."""
    raw = fileobj.read().decode("utf-8")
    cells = json.loads(raw)["cells"]
    starts = _notebook_lines(raw)
    for cell, start in zip(cells, starts if len(starts) == len(cells) else [0] * len(cells), strict=True):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
        for lineno, key in _keys_in(code, options.get("filename", "<notebook>")):
            yield (start + lineno if start else 0), "t", key, []


#: Babel's extraction method for each kind of file (typed loosely: Babel's own type of a method is private).
_METHODS: dict[str, Any] = {"**/*.py": extract_python, "*.ipynb": extract_notebook}


def read_code(root: Path) -> Found:
    """Every key the code under ``root`` uses, with its places, through Babel's extraction."""
    keys: dict[str, list[tuple[str, int]]] = {}
    patterns: dict[str, list[tuple[str, int]]] = {}
    for folder, glob in SOURCES:
        for path in sorted((root / folder).glob(glob)):
            if "__pycache__" in path.parts:
                continue
            where = path.relative_to(root).as_posix()
            with path.open("rb") as handle:
                for lineno, key, _comments, _context in extract(
                    _METHODS[glob], handle, keywords={"t": None}, options={"filename": where}
                ):
                    key = str(key)  # one message per call: the key
                    (patterns if "{}" in key else keys).setdefault(key, []).append((where, lineno))
    return Found(keys, patterns)


def template(found: Found) -> Catalog:
    """The template: every key the code uses, where it is used, and the note of a declared
    family; an f-string key left undeclared, or a declaration no code uses, is an error."""
    declared = {family.pattern: family for family in DYNAMIC}
    undeclared = [
        f'{where}:{line}: t(f"{pattern.replace("{}", "{…}")}", ...)'
        for pattern, places in sorted(found.patterns.items())
        if pattern not in declared
        for where, line in places
    ]
    unused = sorted(set(declared) - set(found.patterns))
    if undeclared or unused:
        raise UsageError(
            "pipelines/tools/messages.py (DYNAMIC) does not say which keys the code builds: "
            + "; ".join([*(f"undeclared {u}" for u in undeclared), *(f"declared, built nowhere: {u}" for u in unused)])
        )
    catalog = Catalog(
        project=PROJECT, domain=i18n.DOMAIN, header_comment=HEADER.format(what="Template of"), fuzzy=False
    )
    for key, places in found.keys.items():
        catalog.add(key, locations=places)
    for family in DYNAMIC:
        for key in family.expanded():
            catalog.add(key, locations=found.patterns[family.pattern], auto_comments=[family.note])
    return catalog


#: The first lines of each file (Babel fills the language's name).
HEADER = (
    "# {what} the words of the reports, one message a key of pipelines.core.i18n.t.\n"
    "# Made by `make messages` from the code: translate the msgstr lines only (docs/translating.md)."
)


def _po_bytes(catalog: Catalog) -> bytes:
    """A catalogue as its file holds it: sorted by key, the places a key is used named by file
    only (a line number would go stale with every edit above it)."""
    out = io.BytesIO()
    write_po(
        out, catalog, width=100, sort_output=True, ignore_obsolete=True, include_previous=False, include_lineno=False
    )
    return out.getvalue()


def _read(path: Path, locale: str | None = None) -> Catalog | None:
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=i18n.DOMAIN)


def wanted(root: Path) -> dict[Path, Catalog]:
    """Each catalogue file as the code asks for it: the template, and each language's
    catalogue updated from it (its texts kept, new keys untranslated, unused keys dropped)."""
    pot = template(read_code(root))
    files: dict[Path, Catalog] = {root / i18n.TEMPLATE.relative_to(paths.ROOT): pot}
    for lang in i18n.LANGS:
        path = root / i18n.catalogue_path(lang).relative_to(paths.ROOT)
        catalog = _read(path, i18n.BABEL_LOCALES[lang]) or Catalog(
            locale=i18n.BABEL_LOCALES[lang],
            project=PROJECT,
            domain=i18n.DOMAIN,
            header_comment=HEADER.format(what=f"{lang}:"),
        )
        catalog.update(pot, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        files[path] = catalog
    return files


def _entries(catalog: Catalog) -> list[tuple[Any, ...]]:
    """What a catalogue says, its header and layout aside (a translator's tool may wrap lines
    its own way, and wraps long notes): each key with its text, flags, places (by file) and notes."""
    return sorted(
        (
            str(m.id),
            m.string or "",
            sorted(m.flags),
            sorted({where for where, _ in m.locations}),
            " ".join(m.auto_comments),
        )
        for m in catalog
        if m.id
    )


def stale(files: dict[Path, Catalog]) -> list[Path]:
    """The files that do not say what the code asks for (an obsolete ``#~`` entry included)."""
    return [
        path
        for path, catalog in files.items()
        if (stored := _read(path)) is None or stored.obsolete or _entries(stored) != _entries(catalog)
    ]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m pipelines messages``."""
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 when a catalogue is not what the code asks for"
    )


def main(args: argparse.Namespace) -> int:
    files = wanted(paths.ROOT)
    changed = stale(files)
    if args.check:
        for path in changed:
            print(f"[messages] {paths.display(path)} is out of date: run `make messages`")
        if not changed:
            print("[messages] the catalogues are up to date with the code")
        return 1 if changed else 0
    now = datetime.now(UTC)
    for path in changed:
        files[path].revision_date = now
        if path.suffix == ".pot":
            files[path].creation_date = now
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_po_bytes(files[path]))
        print(f"[messages] wrote {paths.display(path)}")
    untranslated = {
        lang: [str(m.id) for m in files[i18n.catalogue_path(lang)] if m.id and not m.string] for lang in i18n.LANGS
    }
    for lang, keys in untranslated.items():
        if keys:
            print(
                f"[messages] {len(keys)} message(s) to translate in {paths.display(i18n.catalogue_path(lang))}: "
                + ", ".join(keys)
            )
    if not changed:
        print("[messages] the catalogues are up to date with the code")
    return 0
