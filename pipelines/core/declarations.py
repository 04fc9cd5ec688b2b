"""The reports the pipeline can build, as each report's folder declares them.

A report is a folder under ``pipelines/reports/``: its declaration (``report.yaml``), its sums
and its panels; its notebook lives with the others in ``notebooks/``, where an analyst opens
them. The declaration says which notebook runs it, for which roadmaps (``built_for``: ``every``
roadmap, or those whose file lists it under ``reports:``), what it reads (the run re-executes
it only when that changed, `pipelines.run.slices`), and the *roles* a roadmap binds to its own
indicators. A thematic report reads its series by role, never by a roadmap's indicator ids, so
that one folder serves every roadmap whose file assigns the roles. Its *words* are the
catalogue keys a roadmap's file may say in its own terms, in both languages (the law a quota
comes from, a body as the country names it): the catalogue's text is the report's generic
wording, the roadmap's replaces it for that roadmap's pages only.

Read here, in ``core``, because two steps need it: ingest refuses a roadmap that names a report
or role no folder declares (with the file and line), and the run's registry builds the reports.
Adding a report is adding a folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml

from pipelines.core.errors import DataError, Problem
from pipelines.core.paths import display
from pipelines.core.yamlsafe import SAFE_LOADER, read_yaml_text

#: Where the report folders are: beside the package's code, whatever MINUSMA_ROOT says.
FOLDER = Path(__file__).resolve().parents[1] / "reports"
#: What a report reads of a roadmap: every benchmark or indicator, none, or those of its roles.
Reads = Literal["every", "none", "roles"]
_READS: tuple[str, ...] = ("every", "none", "roles")
_KEYS = {"id", "notebook", "built_for", "order", "kind", "reads", "roles", "required", "words"}
#: The key of a roadmap's binding that holds its words, so no role may take the name.
WORDS = "words"


@dataclass(frozen=True)
class Declaration:
    """One report's ``report.yaml``."""

    report_id: str
    notebook: str
    built_for: Literal["every", "listed"]
    kind: Literal["thematic", "overview"]
    benchmarks: Reads
    indicators: Reads
    files: tuple[str, ...] = ()
    roles: tuple[tuple[str, str], ...] = ()
    required: tuple[str, ...] = ()
    words: tuple[tuple[str, str], ...] = ()
    order: int = 0

    @property
    def role_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.roles)

    @property
    def word_keys(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.words)


def _refuse(path: Path, key: str, value: object, rule: str, why: str) -> DataError:
    return DataError(Problem(display(path), None, key, repr(value), rule, why))


def read(path: Path) -> Declaration:
    """One declaration, every key checked: a typo must not silently build nothing."""
    doc = yaml.load(read_yaml_text(path), Loader=SAFE_LOADER)
    if not isinstance(doc, dict):
        raise _refuse(path, "", doc, "declaration-shape", "a report declaration is a mapping of keys")
    unknown = sorted(set(doc) - _KEYS)
    if unknown:
        raise _refuse(path, unknown[0], doc[unknown[0]], "unknown-key", f"the keys are {', '.join(sorted(_KEYS))}")
    reads = doc.get("reads") or {}
    for key in ("benchmarks", "indicators"):
        if reads.get(key) not in _READS:
            raise _refuse(path, f"reads.{key}", reads.get(key), "reads", f"one of {', '.join(_READS)}")
    roles = doc.get("roles") or {}
    required = tuple(doc.get("required") or ())
    if not set(required) <= set(roles):
        raise _refuse(path, "required", list(required), "required", "a required role must be one of `roles`")
    if WORDS in roles:
        raise _refuse(path, f"roles.{WORDS}", WORDS, "roles", f"`{WORDS}` names a roadmap's own words, not a role")
    words = doc.get("words") or {}
    if not isinstance(words, dict):
        raise _refuse(path, "words", words, "words", "a mapping of catalogue key -> what a roadmap says there")
    if doc.get("built_for") not in ("every", "listed"):
        raise _refuse(path, "built_for", doc.get("built_for"), "built_for", "`every` roadmap, or those that list it")
    if (reads["benchmarks"] == "roles" or reads["indicators"] == "roles") and not roles:
        raise _refuse(path, "roles", roles, "roles", "a report that reads by role declares its roles")
    if doc.get("kind", "thematic") not in ("thematic", "overview"):
        raise _refuse(path, "kind", doc.get("kind"), "kind", "`thematic` (the default) or `overview`")
    return Declaration(
        report_id=str(doc["id"]),
        notebook=str(doc["notebook"]),
        built_for=doc["built_for"],
        kind=doc.get("kind", "thematic"),
        benchmarks=reads["benchmarks"],
        indicators=reads["indicators"],
        files=tuple(reads.get("files") or ()),
        roles=tuple((str(k), str(v)) for k, v in roles.items()),
        required=required,
        words=tuple((str(k), str(v)) for k, v in words.items()),
        order=int(doc.get("order", 0)),
    )


@cache
def declared(folder: Path = FOLDER) -> dict[str, Declaration]:
    """Every report a folder declares, by id; two folders declaring one id are refused."""
    found: dict[str, Declaration] = {}
    for path in sorted(folder.glob("*/report.yaml")):
        report = read(path)
        if report.report_id in found:
            raise _refuse(path, "id", report.report_id, "duplicate-id", "another report folder declares this id")
        found[report.report_id] = report
    return found
