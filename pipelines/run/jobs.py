"""The reports the pipeline builds, and their plan: the registry of reports, the roadmaps the
processed tables hold, the default build date, the selection of ``--roadmap`` and ``--only``,
and the jobs papermill runs with every parameter checked (`pipelines.run.checks`).

A *job* is one report in one language: a notebook, the parameters papermill injects into its
``parameters`` cell, and where its executed notebook and JSON sidecar (`pipelines.run.sidecars`)
go.
"""

from __future__ import annotations

import ast
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pipelines.core import declarations, paths
from pipelines.core.errors import UsageError
from pipelines.core.ids import BENCHMARK_ID, ROADMAP_ID
from pipelines.run.checks import check_parameters

if TYPE_CHECKING:  # annotations only: polars is imported by the functions that read a table
    import polars as pl

Kind = Literal["benchmark", "thematic", "overview"]

_REPORT_ID = re.compile(r"[a-z][a-z0-9-]{0,40}")


@dataclass(frozen=True)
class ReportSpec:
    """One entry of the registry: a report id and the notebook that produces it.

    ``reads_benchmarks``/``reads_indicators`` (glob patterns on indicator ids) declare which
    slice of the data the report depends on, and ``reads_files`` the raw files it reads
    itself (globs under data/raw; a YAML file's ``file:`` counts too): a run re-executes a
    report only when its slice changed (`pipelines.run.slices`). A notebook that reads more than
    it declares may be left stale by an incremental run; ``run --force`` and
    ``pipelines verify`` (a cold rebuild, compared byte for byte) are the safety nets.
    """

    report_id: str
    notebook: str
    kind: Kind
    roadmap: str = ""
    benchmark: str | None = None
    reads_benchmarks: tuple[str, ...] = ()
    reads_indicators: tuple[str, ...] = ()
    reads_files: tuple[str, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        """Parameters the notebook must declare, or it would silently ignore what we pass."""
        return ("roadmap", "benchmark", "lang", "since") if self.kind == "benchmark" else ("roadmap", "lang", "since")


@dataclass(frozen=True)
class RoadmapPlan:
    """What the registry needs of one roadmap: its benchmark ids, in reading order, the reports
    its file lists (``reports:``) with the indicators bound to each report's roles, and the
    benchmark of each indicator (a report reading a role reads that benchmark's slice)."""

    roadmap_id: str
    benchmarks: tuple[str, ...]
    reports: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = ()
    indicator_benchmarks: tuple[tuple[str, str], ...] = ()

    def roles(self, report_id: str) -> dict[str, tuple[str, ...]]:
        """The indicators bound to each role of `report_id` in this roadmap's file."""
        return dict(dict(self.reports).get(report_id, ()))


def _reads(report: declarations.Declaration, roadmap: RoadmapPlan) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The benchmarks and indicator patterns a report reads of `roadmap`, from its declaration."""
    bound = tuple(dict.fromkeys(i for ids in roadmap.roles(report.report_id).values() for i in ids))
    of = dict(roadmap.indicator_benchmarks)
    benchmarks = {
        "every": roadmap.benchmarks,
        "none": (),
        "roles": tuple(b for b in roadmap.benchmarks if b in {of.get(i) for i in bound}),
    }[report.benchmarks]
    indicators = {"every": ("*",), "none": (), "roles": bound}[report.indicators]
    return benchmarks, indicators


def registry(notebooks_dir: Path, roadmaps: Sequence[RoadmapPlan]) -> list[ReportSpec]:
    """Every report in build order, roadmap by roadmap: its benchmarks, the reports its file
    lists (in its order), those built for every roadmap (`declarations`, in their ``order``),
    its overview last (it reads the others' sidecars). A declared report whose notebook does
    not exist is left out, the overview excepted (`plan` refuses it)."""
    declared = declarations.declared()
    every = sorted((d for d in declared.values() if d.built_for == "every"), key=lambda d: (d.order, d.report_id))
    specs: list[ReportSpec] = []
    for roadmap in roadmaps:
        specs += [
            ReportSpec(
                f"benchmark-{x}",
                "benchmark.ipynb",
                "benchmark",
                roadmap=roadmap.roadmap_id,
                benchmark=x,
                reads_benchmarks=(x,),
                reads_files=("boundaries.yaml",),
            )
            for x in roadmap.benchmarks
        ]
        for report in [declared[r] for r, _ in roadmap.reports] + every:
            if report.kind != "overview" and not (notebooks_dir / report.notebook).exists():
                continue
            benchmarks, indicators = _reads(report, roadmap)
            specs.append(
                ReportSpec(
                    report.report_id,
                    report.notebook,
                    report.kind,
                    roadmap=roadmap.roadmap_id,
                    reads_benchmarks=benchmarks,
                    reads_indicators=indicators,
                    reads_files=report.files,
                )
            )
    return specs


@dataclass(frozen=True)
class Job:
    """One report in one language, ready for papermill. Paths are absolute; the parameters
    hold paths relative to the notebooks folder (the kernel's working directory)."""

    report_id: str
    lang: str
    kind: Kind
    roadmap: str
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
        """``<roadmap>/<lang>/<report_id>``: unique within a build, used in run.json and the
        manifest (two roadmaps both have a ``benchmark-A``)."""
        return f"{self.roadmap}/{self.lang}/{self.report_id}"


@dataclass(frozen=True)
class Layout:
    """Where a build reads and writes; each folder is checked to lie inside the project."""

    root: Path = paths.ROOT
    notebooks: Path = paths.NOTEBOOKS
    processed: Path = paths.PROCESSED
    build: Path = paths.ROOT / "build"

    def notebooks_out(self, roadmap: str, lang: str) -> Path:
        return self.build / "notebooks" / roadmap / lang

    def sidecars(self, roadmap: str, lang: str) -> Path:
        return self.build / "sidecars" / roadmap / lang

    @property
    def run_record(self) -> Path:
        return self.build / "run.json"


def known_roadmaps(processed_dir: Path) -> list[RoadmapPlan]:
    """The roadmaps of the processed tables, each with its benchmark ids and reports. A usage
    error when ingest has not run (there is nothing to plan from)."""
    import polars as pl

    names = ("roadmaps", "benchmarks", "indicators")
    missing = [processed_dir / f"{n}.parquet" for n in names if not (processed_dir / f"{n}.parquet").exists()]
    if missing:
        raise UsageError(f"{paths.display(missing[0])} does not exist: run `python -m pipelines ingest` first")
    return roadmap_plans(
        pl.read_parquet(processed_dir / "roadmaps.parquet", columns=["roadmap_id", "reports"]),
        pl.read_parquet(processed_dir / "benchmarks.parquet", columns=["roadmap_id", "benchmark"]),
        pl.read_parquet(processed_dir / "indicators.parquet", columns=["roadmap_id", "indicator_id", "benchmark"]),
    )


def roadmap_plans(roadmaps: pl.DataFrame, benchmarks: pl.DataFrame, indicators: pl.DataFrame) -> list[RoadmapPlan]:
    """The plans of ingest's ``roadmaps``, ``benchmarks`` and ``indicators`` tables, by roadmap
    id: read from data/processed by a build, straight from `pipelines.ingest` by a tool that
    must not depend on the last build (`pipelines.tools.airflow_dag`)."""
    import polars as pl

    from pipelines.analysis.views import benchmark_order

    plans = []
    for row in roadmaps.select("roadmap_id", "reports").sort("roadmap_id").iter_rows(named=True):
        rid = row["roadmap_id"]
        ids = benchmarks.filter(pl.col("roadmap_id") == rid)["benchmark"].drop_nulls().to_list()
        own = indicators.filter((pl.col("roadmap_id") == rid) & pl.col("benchmark").is_not_null())
        reports = json.loads(row["reports"] or "{}")
        plans.append(
            RoadmapPlan(
                rid,
                tuple(benchmark_order([x for x in ids if BENCHMARK_ID.fullmatch(x)])),
                tuple(
                    (r, tuple((role, tuple(bound)) for role, bound in roles.items())) for r, roles in reports.items()
                ),
                tuple(zip(own["indicator_id"].to_list(), own["benchmark"].to_list(), strict=True)),
            )
        )
    return plans


def check_roadmaps(value: str | None, known: Sequence[RoadmapPlan]) -> list[RoadmapPlan]:
    """``--roadmap s-2021-300[,s-2021-807]``; every roadmap by default."""
    if not value:
        return list(known)
    by_id = {r.roadmap_id: r for r in known}
    wanted = [t.strip() for t in value.split(",") if t.strip()]
    for token in wanted:
        if token not in by_id:
            shown = token if ROADMAP_ID.fullmatch(token) else repr(token)
            raise UsageError(f"unknown roadmap {shown}: the roadmaps are {', '.join(by_id) or 'none'}")
    return [r for r in known if r.roadmap_id in wanted]


def latest_data_date(processed_dir: Path, roadmap: str | None = None) -> str:
    """The reproducible default build date of `roadmap`'s reports (every roadmap's when None):
    the newest source its figures and events cite, milestone event, observation period end or
    review; "" when there is none. Read lazily, a few columns only: at ten million rows this
    must not load the tables.

    Not a report's ``as_of`` (`pipelines.analysis.views.latest_known`, the data's own date): the
    build date is the stand-in for "today", the day by which everything a page shows was known.
    A review is shown on the default report even when made after the data's date (it judged the
    same data, `pipelines.analysis.reviews.known_from`), so the page is built no earlier than it."""
    import polars as pl

    def scan(name: str) -> pl.LazyFrame | None:
        path = processed_dir / f"{name}.parquet"
        return pl.scan_parquet(path) if path.exists() else None

    observations, events, sources, indicators = (
        scan(n) for n in ("observations", "milestone_events", "sources", "indicators")
    )
    found: list[date] = []
    cited: list[str] = []
    if observations is not None and indicators is not None:
        if roadmap is not None:
            ids = indicators.filter(pl.col("roadmap_id") == roadmap).select("indicator_id").collect().to_series()
            observations = observations.filter(pl.col("indicator_id").is_in(ids.to_list()))
        row = observations.select(pl.col("period_end").max(), pl.col("source_id").unique().implode()).collect()
        found.append(row["period_end"][0])
        cited += row["source_id"][0].to_list()
    if events is not None:
        if roadmap is not None:
            events = events.filter(pl.col("roadmap_id") == roadmap)
        row = events.select(pl.col("date").max(), pl.col("source_id").unique().implode()).collect()
        found.append(row["date"][0])
        cited += row["source_id"][0].to_list()
    if sources is not None:
        found.append(
            sources.filter(pl.col("source_id").is_in(sorted(set(cited) - {None})))
            .select(pl.col("published").max())
            .collect()
            .item()
        )
    reviews = scan("reviews")  # a page showing a review is built on or after the review's date
    if reviews is not None:
        if roadmap is not None:
            reviews = reviews.filter(pl.col("roadmap_id") == roadmap)
        found.append(reviews.select(pl.col("review_date").max()).collect().item())
    days = [d for d in found if isinstance(d, date)]
    return max(days).isoformat() if days else ""


def check_only(value: str | None, specs: Sequence[ReportSpec]) -> list[ReportSpec]:
    """``--only A,D,overview``: benchmark ids name benchmark reports (of every selected
    roadmap that has them), other tokens report ids."""
    if not value:
        return list(specs)
    benchmarks = {(s.roadmap, s.benchmark) for s in specs if s.kind == "benchmark"}
    ids = {b for _, b in benchmarks if b}
    wanted: set[tuple[str, str]] = set()
    for token in (t.strip() for t in value.split(",")):
        if not token:
            continue
        if token in ids or token.upper() in ids:
            bid = token if token in ids else token.upper()
            wanted |= {(r, f"benchmark-{bid}") for r, b in benchmarks if b == bid}
        elif token in {s.report_id for s in specs}:
            wanted |= {(s.roadmap, s.report_id) for s in specs if s.report_id == token}
        else:
            shown = token if _REPORT_ID.fullmatch(token) or BENCHMARK_ID.fullmatch(token) else repr(token)
            by_roadmap: dict[str, list[str]] = {}
            for s in specs:
                if s.kind == "benchmark" and s.benchmark:
                    by_roadmap.setdefault(s.roadmap, []).append(s.benchmark)
            listed = "; ".join(f"{r}: {','.join(b)}" for r, b in by_roadmap.items()) or "none"
            others = sorted({s.report_id for s in specs if s.kind != "benchmark"})
            raise UsageError(
                f"unknown benchmark or report {shown}: benchmarks are {listed}; reports are {', '.join(others)}"
            )
    return [spec for spec in specs if (spec.roadmap, spec.report_id) in wanted]


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
                targets = (
                    node.targets
                    if isinstance(node, ast.Assign)
                    else [node.target]
                    if isinstance(node, ast.AnnAssign)
                    else []
                )
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


def plan(
    layout: Layout,
    specs: Iterable[ReportSpec],
    langs: Sequence[str],
    *,
    as_of: str,
    build_date: str | Mapping[str, str],
    since: str = "",
) -> list[Job]:
    """The jobs for these reports and languages, all parameters checked.

    Every job of a roadmap and language but the overview runs first; the overview waits for
    them since it reads their sidecars. `build_date` is one date, or one per roadmap (each
    roadmap's data has its own latest date). A selected notebook that does not exist is a
    usage error.
    """
    specs = list(specs)
    missing = sorted({s.notebook for s in specs if not (layout.notebooks / s.notebook).exists()})
    if missing:
        raise UsageError(f"notebook(s) not found in {paths.display(layout.notebooks)}: {', '.join(missing)}")
    root, cwd = layout.root.resolve(), layout.notebooks.resolve()
    jobs: list[Job] = []
    roadmaps = list(dict.fromkeys(s.roadmap for s in specs))
    for roadmap in roadmaps:
        own = [s for s in specs if s.roadmap == roadmap]
        built = build_date if isinstance(build_date, str) else build_date.get(roadmap, "")
        for lang in langs:
            others = tuple(f"{roadmap}/{lang}/{s.report_id}" for s in own if s.kind != "overview")
            for spec in own:
                sidecar = layout.sidecars(roadmap, lang).resolve() / f"{spec.report_id}.json"
                params: dict[str, str] = {
                    "roadmap": roadmap,
                    "lang": lang,
                    "as_of": as_of,
                    "since": since,
                    "processed_dir": _relative(layout.processed.resolve(), cwd, root),
                    "build_date": built,
                }
                if spec.kind == "benchmark":
                    params = {"benchmark": spec.benchmark or "", **params}
                if spec.kind == "overview":
                    params["sidecars_dir"] = _relative(layout.sidecars(roadmap, lang).resolve(), cwd, root)
                else:
                    params["sidecar_path"] = _relative(sidecar, cwd, root)
                jobs.append(
                    Job(
                        report_id=spec.report_id,
                        lang=lang,
                        kind=spec.kind,
                        roadmap=roadmap,
                        notebook=cwd / spec.notebook,
                        output=layout.notebooks_out(roadmap, lang).resolve() / f"{spec.report_id}.ipynb",
                        sidecar=None if spec.kind == "overview" else sidecar,
                        parameters=check_parameters(params),
                        required=spec.required,
                        after=others if spec.kind == "overview" else (),
                        reads_benchmarks=spec.reads_benchmarks,
                        reads_indicators=spec.reads_indicators,
                        reads_files=spec.reads_files,
                    )
                )
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
            problems[job.key] = f"{job.notebook.name} has no cell tagged 'parameters' declaring {', '.join(missing)}"
    return problems
