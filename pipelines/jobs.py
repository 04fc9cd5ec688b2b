"""The reports the pipeline builds, and every check on their parameters.

A *job* is one report in one language: a notebook, the parameters papermill injects into its
``parameters`` cell, and where its executed notebook and JSON sidecar go. All checks happen
here, before any kernel starts, so a typo on the command line costs nothing and never leaves
half a build (exit code 3, `UsageError`).

Parameters reach papermill only as plain ``str`` values that passed a check: letters from the
benchmarks table, ``fr``/``en``, ISO dates and project paths. Papermill writes them as quoted
Python literals; the checks make sure no value could close the quote and run code anyway.

Sidecars are the one channel from a notebook to the others (the overview, the index): a small
JSON object written by `write_sidecar`, read by `read_sidecar`. No step scrapes outputs.
"""

from __future__ import annotations

import ast
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pipelines import paths
from pipelines.errors import UsageError

LANGS: tuple[str, ...] = ("fr", "en")
#: The benchmarks of S/2021/300, used when ingest has not written the benchmarks table yet.
DEFAULT_LETTERS: tuple[str, ...] = tuple("ABCDEFGHI")
Kind = Literal["benchmark", "thematic", "overview"]
#: In ``reads_benchmarks``: every benchmark of the data.
EVERY = "*"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LETTER = re.compile(r"[A-Z]")
_REPORT_ID = re.compile(r"[a-z][a-z0-9-]{0,40}")
_KERNEL = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: Characters no parameter value may hold: quotes, backslash and control characters could only
#: serve to break out of the string literal papermill writes.
_UNSAFE = re.compile(r"[\"'\\\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ReportSpec:
    """One entry of the registry: a report id and the notebook that produces it.

    ``reads_benchmarks``/``reads_indicators`` (glob patterns on indicator ids) declare which
    slice of the data the report depends on, and ``reads_files`` the raw files it reads
    itself (globs under data/raw; a YAML file's ``file:`` counts too): a run re-executes a
    report only when its slice changed (`pipelines.slices`). A notebook that reads more than
    it declares may be left stale by an incremental run; ``run --force`` and
    ``pipelines verify`` (a cold rebuild, compared byte for byte) are the safety nets.
    """

    report_id: str
    notebook: str
    kind: Kind
    benchmark: str | None = None
    reads_benchmarks: tuple[str, ...] = ()
    reads_indicators: tuple[str, ...] = ()
    reads_files: tuple[str, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        """Parameters the notebook must declare, or it would silently ignore what we pass."""
        return ("benchmark", "lang") if self.kind == "benchmark" else ("lang",)


#: Thematic deep dives: registered only when their notebook exists (they come later).
THEMATIC: tuple[ReportSpec, ...] = (
    ReportSpec("women-quota", "women_quota.ipynb", "thematic", reads_benchmarks=("B", "H"),
               reads_indicators=("women_*", "csa_women_share", "constitution_commission_women_share")),
    ReportSpec("ddr", "ddr.ipynb", "thematic", reads_benchmarks=("D",), reads_indicators=("ddr_*",)),
    ReportSpec("poverty-wash", "poverty_wash.ipynb", "thematic",
               reads_indicators=("mpi_*", "*poverty*", "water_*", "sanitation_*", "*rural*", "population_*"),
               reads_files=("boundaries.yaml",)),
    ReportSpec("roadmap-figures", "roadmap_figures.ipynb", "thematic", reads_benchmarks=(EVERY,),
               reads_indicators=("*",)),
)
#: The overview reads the sidecars of the other reports; it computes a benchmark's row from the
#: tables only when that benchmark's sidecar is missing (see `pipelines.run`).
OVERVIEW = ReportSpec("overview", "overview.ipynb", "overview", reads_benchmarks=(EVERY,))


def registry(notebooks_dir: Path, letters: Sequence[str] = DEFAULT_LETTERS) -> list[ReportSpec]:
    """Every report in build order: benchmarks, thematic notebooks that exist, the overview.
    ``reads_benchmarks=("*",)`` becomes the benchmarks of the data."""
    specs = [ReportSpec(f"benchmark-{x}", "benchmark.ipynb", "benchmark", benchmark=x, reads_benchmarks=(x,),
                        reads_files=("boundaries.yaml",))
             for x in letters]
    specs += [spec for spec in THEMATIC if (notebooks_dir / spec.notebook).exists()]
    specs.append(OVERVIEW)
    return [replace(s, reads_benchmarks=tuple(letters)) if s.reads_benchmarks == (EVERY,) else s for s in specs]


@dataclass(frozen=True)
class Job:
    """One report in one language, ready for papermill. Paths are absolute; the parameters
    hold paths relative to the notebooks folder (the kernel's working directory)."""

    report_id: str
    lang: str
    kind: Kind
    notebook: Path
    output: Path
    sidecar: Path | None
    parameters: Mapping[str, str]
    required: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    reads_benchmarks: tuple[str, ...] = ()
    reads_indicators: tuple[str, ...] = ()
    reads_files: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """``<lang>/<report_id>``: unique within a build, used in run.json and the manifest."""
        return f"{self.lang}/{self.report_id}"


@dataclass(frozen=True)
class Layout:
    """Where a build reads and writes; each folder is checked to lie inside the project."""

    root: Path = paths.ROOT
    notebooks: Path = paths.NOTEBOOKS
    processed: Path = paths.PROCESSED
    build: Path = paths.ROOT / "build"

    def notebooks_out(self, lang: str) -> Path:
        return self.build / "notebooks" / lang

    def sidecars(self, lang: str) -> Path:
        return self.build / "sidecars" / lang

    @property
    def run_record(self) -> Path:
        return self.build / "run.json"


# --- checks ------------------------------------------------------------------------------

def check_langs(value: str | None) -> tuple[str, ...]:
    """``None`` means both languages, in the fixed order fr, en."""
    if value is None:
        return LANGS
    if value not in LANGS:
        raise UsageError(f"unknown language {value!r}: use fr or en")
    return (value,)


def check_date(value: str | None, what: str, today: date) -> str:
    """An ISO date (YYYY-MM-DD), a real day, not after `today`; ``None``/"" stays ""."""
    if not value:
        return ""
    if not _ISO_DATE.fullmatch(value):
        raise UsageError(f"{what} {value!r} is not a date written YYYY-MM-DD")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{what} {value!r} is not a valid date") from None
    if day > today:
        raise UsageError(f"{what} {value} is in the future (today is {today.isoformat()})")
    return value


def check_kernel(name: str) -> str:
    if not _KERNEL.fullmatch(name):
        raise UsageError(f"kernel name {name!r} is not a plain name")
    return name


def check_path(path: Path, what: str, root: Path, allow_outside: bool) -> Path:
    """The absolute path; outside the project only with ``--allow-outside``."""
    resolved = (root / path).resolve() if not path.is_absolute() else path.resolve()
    if not allow_outside and not resolved.is_relative_to(root.resolve()):
        raise UsageError(f"{what} {path} is outside the project {root}; pass --allow-outside to use it")
    if _UNSAFE.search(str(resolved)):
        raise UsageError(f"{what} {path} holds a quote, backslash or control character")
    return resolved


def known_letters(processed_dir: Path) -> tuple[str, ...]:
    """Benchmark letters of the processed benchmarks table, or A-I when it is absent."""
    table = processed_dir / "benchmarks.parquet"
    if not table.exists():
        return DEFAULT_LETTERS
    import polars as pl

    letters = pl.read_parquet(table, columns=["benchmark"])["benchmark"].drop_nulls().unique().to_list()
    good = sorted(x for x in letters if _LETTER.fullmatch(x))
    return tuple(good) or DEFAULT_LETTERS


def latest_data_date(processed_dir: Path) -> str:
    """The latest date the data speaks of (newest source, milestone event or observation
    period end), as the reproducible default build date; "" when there is no data."""
    import polars as pl

    found: list[date] = []
    for table, column in (("sources", "published"), ("milestone_events", "date"), ("observations", "period_end")):
        path = processed_dir / f"{table}.parquet"
        if path.exists():
            value = pl.read_parquet(path, columns=[column])[column].max()
            if isinstance(value, date):
                found.append(value)
    return max(found).isoformat() if found else ""


def check_only(value: str | None, specs: Sequence[ReportSpec], letters: Sequence[str]) -> list[ReportSpec]:
    """``--only A,D,overview``: letters name benchmark reports, other tokens report ids."""
    if not value:
        return list(specs)
    by_id = {spec.report_id: spec for spec in specs}
    wanted: set[str] = set()
    for token in (t.strip() for t in value.split(",")):
        if not token:
            continue
        if len(token) == 1 and token.upper() in letters:
            wanted.add(f"benchmark-{token.upper()}")
        elif token in by_id:
            wanted.add(token)
        else:
            shown = token if _REPORT_ID.fullmatch(token) or len(token) == 1 else repr(token)
            raise UsageError(
                f"unknown benchmark or report {shown}: benchmarks are {','.join(letters)}; "
                f"reports are {', '.join(s.report_id for s in specs if s.kind != 'benchmark')}")
    return [spec for spec in specs if spec.report_id in wanted]


def check_parameters(parameters: Mapping[str, Any]) -> dict[str, str]:
    """The last gate before papermill: every value a plain str with nothing that could end the
    string literal papermill writes (quotes, backslash, control characters)."""
    clean: dict[str, str] = {}
    for name, value in parameters.items():
        if not name.isidentifier() or type(value) is not str:
            raise UsageError(f"parameter {name!r} must be a plain string, got {type(value).__name__}")
        if _UNSAFE.search(value):
            raise UsageError(f"parameter {name}={value!r} holds a quote, backslash or control character")
        clean[name] = value
    return clean


def declared_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters`` (empty when none).

    Read as plain JSON: nbformat would import jsonschema, seconds that a run with nothing to
    do must not pay."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return set()
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict):
            continue
        tags = (cell.get("metadata") or {}).get("tags") or []
        if cell.get("cell_type") == "code" and "parameters" in tags:
            source = cell.get("source", "")
            try:
                tree = ast.parse("".join(source) if isinstance(source, list) else str(source))
            except SyntaxError:
                return set()
            names: set[str] = set()
            for node in tree.body:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
                    if isinstance(node, ast.AnnAssign) else []
                names.update(t.id for t in targets if isinstance(t, ast.Name))
            return names
    return set()


# --- planning ------------------------------------------------------------------------------

def _relative(target: Path, start: Path, root: Path) -> str:
    """A path as the notebook sees it: relative to its folder when inside the project, so
    executed notebooks hold no absolute path; absolute otherwise (``--allow-outside``)."""
    if target.is_relative_to(root) and start.is_relative_to(root):
        return Path(os.path.relpath(target, start)).as_posix()
    return target.as_posix()


def plan(layout: Layout, specs: Iterable[ReportSpec], langs: Sequence[str], *, as_of: str,
         build_date: str) -> list[Job]:
    """The jobs for these reports and languages, all parameters checked.

    Every job of a language but the overview runs first; the overview waits for them since it
    reads their sidecars. A selected notebook that does not exist is a usage error.
    """
    specs = list(specs)
    missing = sorted({s.notebook for s in specs if not (layout.notebooks / s.notebook).exists()})
    if missing:
        raise UsageError(f"notebook(s) not found in {paths.display(layout.notebooks)}: {', '.join(missing)}")
    root, cwd = layout.root.resolve(), layout.notebooks.resolve()
    jobs: list[Job] = []
    for lang in langs:
        others = tuple(f"{lang}/{s.report_id}" for s in specs if s.kind != "overview")
        for spec in specs:
            sidecar = layout.sidecars(lang).resolve() / f"{spec.report_id}.json"
            params: dict[str, str] = {"lang": lang, "as_of": as_of,
                                      "processed_dir": _relative(layout.processed.resolve(), cwd, root),
                                      "build_date": build_date}
            if spec.kind == "benchmark":
                params = {"benchmark": spec.benchmark or "", **params}
            if spec.kind == "overview":
                params["sidecars_dir"] = _relative(layout.sidecars(lang).resolve(), cwd, root)
            else:
                params["sidecar_path"] = _relative(sidecar, cwd, root)
            jobs.append(Job(
                report_id=spec.report_id, lang=lang, kind=spec.kind, notebook=cwd / spec.notebook,
                output=layout.notebooks_out(lang).resolve() / f"{spec.report_id}.ipynb",
                sidecar=None if spec.kind == "overview" else sidecar,
                parameters=check_parameters(params), required=spec.required,
                after=others if spec.kind == "overview" else (),
                reads_benchmarks=spec.reads_benchmarks, reads_indicators=spec.reads_indicators,
                reads_files=spec.reads_files,
            ))
    return jobs


def check_contracts(jobs: Iterable[Job]) -> dict[str, str]:
    """Per job key, what its notebook fails to declare (a benchmark notebook without a
    ``benchmark`` parameter would render B nine times); empty when all is well."""
    cache: dict[Path, set[str]] = {}
    problems: dict[str, str] = {}
    for job in jobs:
        declared = cache.setdefault(job.notebook, declared_parameters(job.notebook))
        missing = [name for name in job.required if name not in declared]
        if missing:
            problems[job.key] = (f"{job.notebook.name} has no cell tagged 'parameters' declaring "
                                 f"{', '.join(missing)}")
    return problems


# --- sidecars --------------------------------------------------------------------------------

#: "not_assessed" is for reports that measure nothing against a target (context, audit of the
#: roadmap's figures): the index must not read "insufficient data" for them.
SIDECAR_STATUSES: frozenset[str] = frozenset({"achieved", "on_track", "needs_acceleration", "limited_progress",
                                               "deterioration", "insufficient_data", "not_assessed"})


def write_sidecar(path: str | os.PathLike[str], *, title: str, status: str, score: float | None = None,
                  headline: Sequence[Mapping[str, Any]] = (), **extra: Any) -> None:
    """Write a notebook's results for the overview and the index; a no-op when ``path`` is ""
    (an analyst running the notebook by hand).

    ``status`` is a progress band of `pipelines.progress.STATUSES`; ``score`` is 0-1 (a
    milestone score or an indicator's current status) or None; ``headline`` lists figures as
    ``{"label": ..., "value": ..., "target": ...}`` already formatted for the language.
    Extra keys are kept. Keys are sorted, so the same results give the same bytes.
    """
    if not path:
        return
    if status not in SIDECAR_STATUSES:
        raise ValueError(f"sidecar status {status!r} is not one of {sorted(SIDECAR_STATUSES)}")
    if score is not None and not isinstance(score, (int, float)):
        raise ValueError(f"sidecar score must be a number or None, got {score!r}")
    from pipelines import store

    payload = {**extra, "title": title, "status": status, "score": score,
               "headline": [dict(item) for item in headline]}
    store.write_json_atomic(Path(path), payload)


def read_sidecar(path: Path | None) -> dict[str, Any] | None:
    """A sidecar as written by `write_sidecar`, or None when absent or unreadable."""
    if path is None or not path.exists():
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return payload if isinstance(payload, dict) else None
