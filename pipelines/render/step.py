"""Step 4, ``python -m pipelines render``: executed notebooks -> one offline HTML file each.

Readers open a report from a mail or a shared drive, often offline, sometimes in a viewer that
runs no script. So each ``reports/<roadmap>/<lang>/<report>.html`` stands alone: CSS inline, code hidden,
outputs kept (markdown, HTML tables, images as ``data:`` URIs, charts), and nothing that loads
from a network. We build the page ourselves from the notebook's outputs (Jinja2, autoescaped)
instead of using an nbconvert template, which would bring require.js, MathJax and CDN links.

Charts (outputs ``application/vnd.vegalite.v5/v6+json``, Vega ones, or Altair's HTML renderer,
whose spec is recovered) are drawn in one of two ways:

* ``svg`` (default): static SVG made by vl-convert at build time, with each mark's
  description as a native hover tooltip. 10-20 KB a chart (the four chart builders of
  `pipelines.present.charts`: 11-21 KB each), no script at all, so it shows in mail previewers and
  viewers that run no JavaScript, and prints as drawn.
* ``vega``: the spec as JSON in a ``<script type="application/json">`` (4-5 KB a chart), the
  vega-embed + Vega + Vega-Lite runtime inlined once per page (898 KB), and a few lines of
  loader. Live tooltips, at 900 KB a page. (Compiling to Vega in Python to ship Vega alone
  would save 320 KB, but vl-convert 1.9's bundler leaves ``vega`` null in such a bundle; and a
  Vega spec is about twice its Vega-Lite source.)

HTML from notebooks is our own code's, yet it still passes a sanitiser: scripts, frames,
``<link>``/``<base>``/``<meta>``, event handlers and remote resource loads are dropped and a
``javascript:`` (or any non-http/mailto) link loses its href, but a link's own
``data:text/csv`` download stays. The same build gives the same
bytes: no timestamp, stable order, counters for ids.

Pages go to ``reports/<roadmap>/<lang>/<report>.html``. Also writes
``reports/<roadmap>/<lang>/index.html`` (every report of the roadmap with its run status and its
sidecar's assessment), ``reports/index.html`` (every roadmap, in each language) and
``reports/manifest.json``, and publishes the data-quality pages of the last check. Only a render
whose every report succeeded publishes (`render_build`): after a failure ``reports/`` is
exactly as the last good build left it.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import re
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path
from typing import Any

from pipelines.run import jobs as jobs_mod
from pipelines.core import fingerprints, paths, publish, store
from pipelines.core.errors import ExitCode, PipelineError, UsageError
from pipelines.present.renderer import SAVED_MIME, vl_version as _vl_version
from pipelines.render.cache import RenderCache

MAX_BYTES = 1_500_000
#: Folder of ``reports/`` holding the CSV downloads (links from reports are ``../data/…``).
DOWNLOADS = "data"
CHART_MODES = ("svg", "vega")
#: Altair 6.3's own "mimetype" renderer says ``...v6.json`` (no "+"), which nbformat refuses to
#: save as a dict; `use_report_renderer` emits the ``+json`` form. Both are read here.
VEGALITE_MIMES = (SAVED_MIME, "application/vnd.vegalite.v6.json",
                  "application/vnd.vegalite.v5+json")
VEGA_MIMES = ("application/vnd.vega.v6+json", "application/vnd.vega.v5+json")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
HIDE_TAGS = frozenset({"remove-cell", "remove_cell", "remove-output", "remove_output", "hide-output"})
#: A notebook's narrative is written twice, in twin markdown cells tagged ``lang-fr`` and
#: ``lang-en``: an analyst in JupyterLab reads both, a page keeps its own language's.
LANG_TAG = "lang-"
VERSIONED = ("papermill", "nbconvert", "nbformat", "nbclient", "ipykernel", "altair", "vl-convert-python",
             "polars", "great-expectations", "jinja2")
TEMPLATES = Path(__file__).parent / "templates"

UI: dict[str, dict[str, str]] = {
    "fr": {"home": "Toutes les feuilles de route", "index": "Rapports sur les critères", "all_reports": "Tous les rapports", "other": "English",
           "report": "Rapport", "run": "Exécution", "assessment": "Évaluation", "score": "Score",
           "as_of": "Situation au", "latest": "dernières données", "build_date": "Date de production",
           "data": "Empreinte des données", "source_nb": "Carnet", "quality": "Qualité des données",
           "ok": "réussie", "failed": "échec", "colon": "\u00a0: ", "language": "Français",
           "failed_title": "Ce rapport n'a pas pu être produit lors de la dernière exécution.",
           "downloads": "Données (CSV)", "csv_observations": "chiffres", "csv_milestone_events": "événements des jalons",
           "csv_sources": "sources", "csv_indicators": "indicateurs"},
    "en": {"home": "All roadmaps", "index": "Reports on the benchmarks", "all_reports": "All reports", "other": "Français", "report": "Report",
           "run": "Run", "assessment": "Assessment", "score": "Score", "as_of": "As of",
           "latest": "latest data", "build_date": "Build date", "data": "Data checksum",
           "source_nb": "Notebook", "quality": "Data quality", "ok": "ok", "failed": "failed", "colon": ": ",
           "language": "English", "failed_title": "This report could not be produced by the last run.",
           "downloads": "Data (CSV)", "csv_observations": "figures", "csv_milestone_events": "milestone events",
           "csv_sources": "sources", "csv_indicators": "indicators"},
}


class RenderError(PipelineError):
    """An output the renderer cannot turn into an offline page (e.g. a chart loading remote data)."""

    exit_code = ExitCode.NOTEBOOK_FAILED


# --- command line --------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m pipelines render``."""
    parser.description = ("Turn the executed notebooks of build/ into self-contained HTML in "
                          "reports/<roadmap>/<lang>/, with an index per language and reports/manifest.json, and "
                          "publish them with the "
                          "data-quality pages of build/quality. Exit code 1 when a report failed: then nothing is "
                          "published and the pages (the failed one says what broke) are in build/unpublished/; "
                          "3 on a bad option.")
    parser.add_argument("--build", type=Path, default=paths.ROOT / "build", help="folder written by `run`")
    parser.add_argument("--reports", type=Path, default=paths.REPORTS, help="where the HTML goes (default: reports)")
    parser.add_argument("--processed", type=Path, default=paths.PROCESSED,
                        help="processed tables, for the input checksums of the manifest")
    parser.add_argument("--charts", choices=CHART_MODES, default="svg",
                        help="svg: static charts, no script (default); vega: inline Vega runtime, live tooltips")
    parser.add_argument("--lang", default=None, help="fr or en (default: every language in the build)")
    parser.add_argument("--roadmap", default=None, metavar="ID[,ID]",
                        help="only these roadmaps' pages (default: every roadmap in the build)")
    parser.add_argument("--allow-outside", action="store_true", help="accept folders outside the project")


def main(args: argparse.Namespace) -> int:
    """Render every job of build/run.json; 1 when any of them failed."""
    root = paths.ROOT
    try:
        build = jobs_mod.check_path(args.build, "--build", root, args.allow_outside)
        reports = jobs_mod.check_path(args.reports, "--reports", root, args.allow_outside)
        processed = jobs_mod.check_path(args.processed, "--processed", root, args.allow_outside)
        langs = jobs_mod.check_langs(args.lang)
    except UsageError as exc:
        exc.step = "render"
        raise
    if not (build / "run.json").exists():
        raise UsageError(f"{paths.display(build / 'run.json')} does not exist: run `python -m pipelines run` first",
                         step="render")
    from pipelines.run import lazyimports

    lazyimports.install()  # nbformat imports jsonschema: 2 s less (see there)
    roadmaps = [r.strip() for r in args.roadmap.split(",") if r.strip()] if args.roadmap else None
    pages = render_build(build, reports, processed, charts=args.charts, langs=langs, root=root, roadmaps=roadmaps)
    for page in pages:
        if page.size > MAX_BYTES:
            print(f"[render] warning: {page.path_shown} is {page.size / 1e6:.2f} MB, over the "
                  f"{MAX_BYTES / 1e6:.1f} MB budget", file=sys.stderr)
    failed = [p for p in pages if p.status != "ok"]
    kept = sum(1 for p in pages if p.kept)
    print(f"[render] {len(pages)} report(s) ({len(pages) - kept} drawn, {kept} unchanged), {len(failed)} failed"
          + ("" if failed else f", in {paths.display(reports)}; open {paths.display(reports / 'index.html')}"))
    for page in failed:
        print(f"[render] {page.key} failed: {page.error}", file=sys.stderr)
    if failed:
        held = build / UNPUBLISHED
        print(f"[render] nothing published: {paths.display(reports)} is left as it was; the pages of this "
              f"render are in {paths.display(held)} (open {paths.display(held / 'index.html')})", file=sys.stderr)
    return int(ExitCode.NOTEBOOK_FAILED if failed else ExitCode.OK)


# --- the build ---------------------------------------------------------------------------------

@dataclass
class Page:
    """One rendered report, as the index and the manifest see it."""

    key: str
    lang: str
    report_id: str
    kind: str
    title: str
    roadmap: str
    status: str
    path_shown: str
    size: int = 0
    sha256: str = ""
    error: str = ""
    sidecar: dict[str, Any] | None = None
    entry: dict[str, Any] = field(default_factory=dict)
    kept: bool = False  # True when the page was left as the last render wrote it


def render_build(build: Path, reports: Path, processed: Path, *, charts: str = "svg",
                 langs: Sequence[str] = jobs_mod.LANGS, root: Path = paths.ROOT,
                 roadmaps: Sequence[str] | None = None) -> list[Page]:
    """Render every job of ``build/run.json`` in `langs` (and `roadmaps`, default all), the
    indexes, the data downloads and the manifest, and publish them with the data-quality pages
    of the last check (``<build>/quality``) when every report rendered.

    Everything is written into a staging site first. When a report failed (its notebook, or
    its page), nothing is published: `reports` stays exactly as the last good build left it,
    and the staged site moves to ``<build>/unpublished`` for the maintainer to open. Otherwise
    each folder (quality pages, downloads, each roadmap's language) is published as a set
    (`pipelines.core.publish`), then the home page and the manifest: a build stopped at any
    moment leaves the previous reports whole, never an index listing pages of two builds.
    Each roadmap's pages print the checksum of that roadmap's data only, so a second
    roadmap's files never change a byte of the first's pages.
    """
    from filelock import FileLock, Timeout

    if charts not in CHART_MODES:
        raise UsageError(f"unknown chart mode {charts!r}: use svg or vega", step="render")
    lock = FileLock(str(build / ".lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise UsageError(f"another run or render is using {paths.display(build, root)}", step="render") from None
    try:
        entries = json.loads((build / "run.json").read_text(encoding="utf-8")).get("jobs", {})
    finally:
        lock.release()
    entries = {k: e for k, e in entries.items() if isinstance(e, dict) and e.get("roadmap")}
    data = store.read_manifest(processed)
    present = set(entries)
    cache = RenderCache(build, f"{paths.display(reports, root)}|{charts}", root, str(data.get("data_checksum") or ""))
    publish.recover(reports)
    for folder in sorted(p for p in reports.iterdir() if p.is_dir()) if reports.is_dir() else []:
        publish.recover(folder)
    site = publish.staging(reports, "site")  # the site as this render would publish it
    downloads, exported = write_downloads(processed, reports, site, cache)
    quality = _stage_quality(build, site)
    fingerprints = roadmap_checksums(processed, {str(e["roadmap"]) for e in entries.values()}, cache)
    titles = roadmap_titles(processed)
    staged: dict[tuple[str, str], Path] = {}
    pages: list[Page] = []
    for key in sorted(present, key=lambda k: _order(entries[k])):
        entry = entries[key]
        lang, roadmap = str(entry.get("lang")), str(entry["roadmap"])
        if lang not in langs or (roadmaps is not None and roadmap not in roadmaps):
            continue
        if (roadmap, lang) not in staged:
            staged[(roadmap, lang)] = site / roadmap / lang
            staged[(roadmap, lang)].mkdir(parents=True)
        checksum = fingerprints.get(roadmap, "")
        page_key = cache.key(entry, present, checksum)
        published = reports / roadmap / lang / f"{entry['report_id']}.html"
        out = staged[(roadmap, lang)] / published.name
        kept = cache.kept(key, page_key, published)
        if kept is not None:  # same inputs, same file: not drawn again
            shutil.copyfile(published, out)
            sidecar = store.read_sidecar(root / entry["sidecar"]) if entry.get("sidecar") else None
            page = Page(key=key, lang=lang, report_id=str(entry["report_id"]), roadmap=roadmap,
                        kind=str(entry.get("kind", "")), path_shown=paths.display(published, root), sidecar=sidecar,
                        entry=dict(entry), kept=True, **{f: kept[f] for f in _KEPT})
        else:
            page = _render_entry(entry, present, build, out, charts, checksum, root,
                                 downloads=bool(downloads))
            page.path_shown = paths.display(published, root)
            cache.remember(key, page_key, {f: getattr(page, f) for f in _KEPT})
        pages.append(page)
    for (roadmap, lang), folder in staged.items():
        other = [x for x in jobs_mod.LANGS if x != lang and any(k.startswith(f"{roadmap}/{x}/") for k in present)]
        _write(folder / "index.html", render_index(lang, [p for p in pages if p.lang == lang and p.roadmap == roadmap],
                                                   other[0] if other else None, roadmap=titles.get(roadmap, {}),
                                                   quality=quality or (reports / QUALITY / "index.html").exists(),
                                                   data_checksum=fingerprints.get(roadmap, ""),
                                                   downloads=bool(downloads)))
    rendered = sorted({(str(e["roadmap"]), str(e["lang"])) for e in entries.values()
                       if (str(e["roadmap"]), str(e["lang"])) in staged
                       or (reports / str(e["roadmap"]) / str(e["lang"]) / "index.html").exists()})
    _write(site / "index.html", render_home(rendered, titles))
    write_manifest(site / "manifest.json", pages, data, charts, langs, root, downloads,
                   fingerprints=fingerprints, previous=reports / "manifest.json")
    cache.save()
    if any(page.status != "ok" for page in pages):
        _hold(site, reports, build / UNPUBLISHED)
    else:
        folders = ([QUALITY] if quality else []) + ([DOWNLOADS] if exported else [])
        _publish_site(site, reports, folders + [f"{roadmap}/{lang}" for roadmap, lang in staged])
        shutil.rmtree(build / UNPUBLISHED, ignore_errors=True)  # what a failed render held is stale now
    return pages


#: Under ``--build``: the site of a render that had a failed report, as it would have been
#: published (`render` publishes nothing then; the message names this folder). The next
#: render that publishes removes it.
UNPUBLISHED = "unpublished"
#: Folder of ``reports/`` holding the data-quality pages, published from ``<build>/quality``.
QUALITY = "quality"


def _stage_quality(build: Path, site: Path) -> bool:
    """Copy the pages of the last check (`pipelines.validate.step.PAGES`, under `build`) into the
    staged site, to be published with the reports; False when validate wrote none there."""
    pages = build / QUALITY
    if not (pages / "index.html").is_file():
        return False
    shutil.copytree(pages, site / QUALITY)
    return True


def _publish_site(site: Path, reports: Path, folders: Sequence[str]) -> None:
    """Publish the staged `folders` of `site` (each as one set, `pipelines.core.publish`), then
    the home page, then the manifest, which lists what was published; drop the staging."""
    for name in folders:
        (reports / name).parent.mkdir(parents=True, exist_ok=True)
        publish.publish(site / name, reports / name)
    for name in ("index.html", "manifest.json"):
        os.replace(site / name, reports / name)
    publish.recover(reports)


def _hold(site: Path, reports: Path, folder: Path) -> None:
    """Move the staged `site` out of `reports` to `folder` (replacing the one an earlier failed
    render left): a reader still sees the last good build, the maintainer these pages."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(site, folder)
    publish.recover(reports)


def roadmap_checksums(processed: Path, roadmaps: Iterable[str], cache: RenderCache) -> dict[str, str]:
    """Per roadmap, the sha256 of its rows of every table (`slices.Data.roadmap_rows`), as
    printed on its pages: the data a reader's page rests on, and nothing of another roadmap.
    Hashing every row costs seconds at millions of rows, so it is done once per version of the
    tables (`RenderCache.common` holds their checksum), not at every render."""
    from pipelines.run import slices

    wanted = sorted(roadmaps)
    if not wanted or not (processed / "roadmaps.parquet").exists():
        return {}
    key = fingerprints.of({**cache.common, "roadmaps": wanted})
    found = cache.recall(ROADMAP_CHECKSUMS, key)
    if found is not None:
        return dict(found["checksums"])
    data = slices.Data(processed, paths.RAW)
    checksums = {r: data.roadmap_checksum(r) for r in wanted}
    cache.remember(ROADMAP_CHECKSUMS, key, {"checksums": checksums})
    return checksums


def roadmap_titles(processed: Path) -> dict[str, dict[str, Any]]:
    """Each roadmap's row of the roadmaps table (acronym, symbol, titles), for the indexes."""
    if not (processed / "roadmaps.parquet").exists():
        return {}
    return {r["roadmap_id"]: r for r in store.read_table("roadmaps", processed).iter_rows(named=True)}


def write_downloads(processed: Path, reports: Path, site: Path, cache: RenderCache) -> tuple[dict[str, str], bool]:
    """The data behind the reports as CSV in ``reports/data/`` (`pipelines.render.export`): every
    table, and under ``<roadmap>/`` that roadmap's tables and each of its benchmarks' rows,
    with the data package describing them (``datapackage.json``). They are exported into the
    staged `site`, to be published with the pages as one set, unless the published ones are
    kept as they are: the data and the code did not change (at ten million rows the export is
    most of a render). Returns sha256 by path relative to `reports`, and whether a new set was
    staged; empty, and nothing written, when the processed tables are not there (a build of
    notebooks that read no table)."""
    from pipelines.render import export

    if not all((processed / f"{name}.parquet").exists() for name in (*export.EXPORTED, "benchmarks", "roadmaps")):
        return {}, False
    tables = store.read_manifest(processed).get("outputs", {})
    key = fingerprints.of({**cache.common, "tables": tables})  # data and code
    files = cache.kept_files(DOWNLOADS, key, reports / DOWNLOADS)
    exported = files is None
    if files is None:
        folder = site / DOWNLOADS
        written = export.export_all(processed, folder)
        files = {path.relative_to(folder).as_posix(): store.sha256_file(path) for path in sorted(written)}
        cache.remember(DOWNLOADS, key, {"files": files})
    return {f"{DOWNLOADS}/{name}": sha for name, sha in sorted(files.items())}, exported


#: Where drawn charts are kept, under the build folder (`Charts`): a scratch build (verify, a
#: test) draws its own.
CHART_CACHE = "charts"
#: The render record's entry for the roadmaps' data checksums (not a page).
ROADMAP_CHECKSUMS = "@roadmap-checksums"
#: What the render record keeps of a page, to list it in the indexes without drawing it again.
_KEPT = ("title", "status", "size", "sha256", "error")


def _order(entry: Mapping[str, Any]) -> tuple[str, int, int, tuple[int, int, str]]:
    """Roadmap by roadmap: overview first, then benchmarks in reading order (2 before 10),
    then thematic reports; French before English."""
    kind_rank = {"overview": 0, "benchmark": 1, "thematic": 2}.get(str(entry.get("kind")), 3)
    lang = str(entry.get("lang"))
    report = str(entry.get("report_id"))
    tail = report.removeprefix("benchmark-")
    number = (0, int(tail), "") if tail.isdigit() else (1, 0, report)
    return (str(entry.get("roadmap")), kind_rank, jobs_mod.LANGS.index(lang) if lang in jobs_mod.LANGS else 9, number)


def _render_entry(entry: Mapping[str, Any], present: set[str], build: Path, out: Path, charts: str,
                  checksum: str, root: Path, *, downloads: bool = False) -> Page:
    lang, report_id, roadmap = str(entry["lang"]), str(entry["report_id"]), str(entry["roadmap"])
    key = f"{roadmap}/{lang}/{report_id}"
    sidecar = store.read_sidecar(root / entry["sidecar"]) if entry.get("sidecar") else None
    other_lang = next((x for x in jobs_mod.LANGS if x != lang), None)
    other = None
    if other_lang:
        href = f"../{other_lang}/{report_id}.html" if f"{roadmap}/{other_lang}/{report_id}" in present \
            else f"../{other_lang}/index.html"
        other = {"href": href, "lang": other_lang, "label": UI[lang]["other"]}
    params = entry.get("parameters", {})
    context = {"lang": lang, "ui": UI[lang], "other": other, "as_of": params.get("as_of", ""),
               "build_date": params.get("build_date", ""), "data_checksum": checksum,
               "notebook": entry.get("notebook", ""), "downloads": _download_links(entry, lang) if downloads else []}
    status, error = str(entry.get("status")), ""
    notebook = root / str(entry.get("output", ""))
    nb = _read_notebook(notebook) if notebook.is_file() else None
    # The title: the sidecar's, else the notebook's first heading (markdown cell, then output).
    title = str((sidecar or {}).get("title") or (nb and notebook_title(nb, lang)) or "")
    if status == "ok" and nb is None:
        status, error = "failed", f"executed notebook {entry.get('output')} is missing"
    if status == "ok":
        try:
            html, title = render_notebook(nb, context, charts=charts, title=title or None, fallback=report_id,
                                          notebook_dir=(root / str(entry.get("notebook", ""))).parent,
                                          chart_cache=build / CHART_CACHE)
        except (RenderError, ValueError) as exc:
            status, error = "failed", f"render: {exc}"
    if status != "ok":
        error = error or str((entry.get("error") or {}).get("summary", "failed"))
        title = title or report_id
        html = render_failed(context, title, error)
    data = html.encode("utf-8")
    _write(out, html)
    return Page(key=key, lang=lang, report_id=report_id, kind=str(entry.get("kind", "")), title=str(title),
                roadmap=roadmap, status=status, path_shown=paths.display(out, root), size=len(data),
                sha256=_sha256(data), error=error, sidecar=sidecar, entry=dict(entry))


def _read_notebook(path: Path) -> Any:
    import nbformat

    return nbformat.read(path, as_version=4)


def _write(path: Path, html: str) -> None:
    store.write_bytes_atomic(path, html.encode("utf-8"))


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


# --- pages -------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _env() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              keep_trailing_newline=True, trim_blocks=False, undefined=jinja2.StrictUndefined)


def render_notebook(nb: Any, context: Mapping[str, Any], *, charts: str = "svg", title: str | None = None,
                    fallback: str = "report", notebook_dir: Path | None = None,
                    chart_cache: Path | None = None) -> tuple[str, str]:
    """The page of one executed notebook and its title (`title`, else the first <h1> of the
    page, else `fallback`); its charts' SVGs kept in `chart_cache` (see `Charts`)."""
    from markupsafe import Markup

    chart_set = Charts(charts, chart_cache)
    parts = [Markup(p) for p in notebook_parts(nb, chart_set, notebook_dir, lang=str(context.get("lang", "")))]
    found = title or _first_heading(parts) or fallback
    runtime = Markup(vega_runtime()) if chart_set.mode == "vega" and chart_set.count else ""
    html = _env().get_template("report.html.j2").render(
        **context, title=found, parts=parts, failed="", runtime=runtime, loader=Markup(VEGA_LOADER))
    return html, found


def _download_links(entry: Mapping[str, Any], lang: str, roadmap: str = "") -> list[dict[str, str]]:
    """Links from a report (or a roadmap's index) to the CSVs of its data: a benchmark's own
    rows, else its roadmap's tables."""
    from pipelines.render import export

    roadmap = str(entry.get("roadmap") or roadmap)
    bench = entry.get("parameters", {}).get("benchmark") if entry.get("kind") == "benchmark" else None
    suffix = f"-{bench}" if isinstance(bench, str) and re.fullmatch(r"[A-Za-z0-9_-]+", bench) else ""
    if not re.fullmatch(r"[a-z0-9-]+", roadmap):
        return []
    return [{"href": f"../../{DOWNLOADS}/{roadmap}/{name}{suffix}.csv", "label": UI[lang][f"csv_{name}"]}
            for name in export.EXPORTED]


def render_failed(context: Mapping[str, Any], title: str, error: str) -> str:
    """A page in place of a report that failed: says so, and what broke, never stale content."""
    return _env().get_template("report.html.j2").render(**context, title=title, parts=[], failed=error,
                                                        runtime="", loader="")


def render_index(lang: str, pages: Sequence[Page], other: str | None, *, quality: bool, data_checksum: str,
                 downloads: bool = False, roadmap: Mapping[str, Any] | None = None) -> str:
    """``reports/<roadmap>/<lang>/index.html``: each report of the roadmap, its run status and
    its assessment."""
    from pipelines.core import i18n

    ui = UI[lang]
    rows = []
    for page in pages:
        side = page.sidecar or {}
        status = side.get("status")
        assessment = i18n.t(f"status.{status}", lang) if status in jobs_mod.SIDECAR_STATUSES else (status or "")
        score = side.get("score")
        rows.append({
            "title": page.title, "href": f"{page.report_id}.html", "status": page.status,
            "status_label": ui["ok"] if page.status == "ok" else ui["failed"],
            "error": page.error if page.status != "ok" else "",
            "assessment": assessment if page.status == "ok" else "",
            "score": i18n.describe_score(float(score), side.get("score_basis"),
                                         (side.get("milestones") or {}).get("points"),
                                         (side.get("milestones") or {}).get("max_points"), lang)
            if isinstance(score, (int, float)) and page.status == "ok" else "",
            "as_of": page.entry.get("parameters", {}).get("as_of") or ui["latest"],
        })
    build_dates = sorted({str(p.entry.get("parameters", {}).get("build_date", "")) for p in pages} - {""})
    rid = str((roadmap or {}).get("roadmap_id") or (pages[0].roadmap if pages else ""))
    title = i18n.t("roadmap_index", lang, acronym=roadmap["acronym"], symbol=roadmap["symbol"]) if roadmap else ui["index"]
    return _env().get_template("index.html.j2").render(
        lang=lang, ui=ui, title=title, rows=rows, quality="../../quality/index.html" if quality else "",
        other={"href": f"../{other}/index.html", "lang": other, "label": ui["other"]} if other else None,
        home="../../index.html", build_date=", ".join(build_dates), data_checksum=data_checksum,
        downloads=_download_links({}, lang, rid) if downloads else [])


def render_home(rendered: Sequence[tuple[str, str]], titles: Mapping[str, Mapping[str, Any]]) -> str:
    """``reports/index.html``: every roadmap, each in the languages it was rendered in."""
    from pipelines.core import i18n

    langs = [x for x in jobs_mod.LANGS if any(lang == x for _, lang in rendered)] or ["fr"]
    roadmaps = []
    for rid in sorted({r for r, _ in rendered}):
        row = titles.get(rid) or {"acronym": rid, "symbol": rid, "title_fr": "", "title_en": ""}
        roadmaps.append({"id": rid, "names": [
            {"lang": x, "href": f"{rid}/{x}/index.html",
             "label": i18n.t("roadmap_name", x, acronym=row["acronym"], symbol=row["symbol"]),
             "title": row.get(f"title_{x}") or "", "language": UI[x]["language"]}
            for x in jobs_mod.LANGS if (rid, x) in rendered]})
    return _env().get_template("home.html.j2").render(
        lang=langs[0], title=" / ".join(i18n.t("roadmaps_home", x) for x in langs), roadmaps=roadmaps)


def write_manifest(path: Path, pages: Iterable[Page], data: Mapping[str, Any], charts: str,
                   langs: Sequence[str], root: Path, downloads: Mapping[str, str] | None = None,
                   fingerprints: Mapping[str, str] | None = None, previous: Path | None = None) -> None:
    """``reports/manifest.json``: per report its parameters, inputs and status; the data
    checksums and package versions of the build. HTML paths are relative to the manifest.
    Reports of languages not rendered this time are kept from the previous manifest. No
    timing, attempt count or clock time: two builds of the same inputs write the same bytes
    (durations are in ``build/run.json``). `previous`: the manifest read for those reports
    (default: `path`)."""
    before: dict[str, Any] = {}
    source = previous or path
    if source.exists():
        try:
            before = json.loads(source.read_text(encoding="utf-8")).get("reports", {})
        except ValueError:
            before = {}
    reports = {k: v for k, v in before.items() if k.count("/") == 2 and k.split("/")[1] not in langs}
    for page in pages:
        entry = page.entry
        source = root / str(entry.get("notebook", ""))
        executed = root / str(entry.get("output", ""))
        reports[page.key] = {
            "report_id": page.report_id, "lang": page.lang, "kind": page.kind, "title": page.title,
            "status": page.status, "error": page.error or None, "parameters": entry.get("parameters", {}),
            "roadmap": page.roadmap,
            "inputs": {"data_checksum": (fingerprints or {}).get(page.roadmap),
                       "notebook": {"path": entry.get("notebook"),
                                    "sha256": store.sha256_file(source) if source.is_file() else None},
                       "executed": {"path": entry.get("output"),
                                    "sha256": store.sha256_file(executed) if executed.is_file() else None},
                       "reads": entry.get("reads", {})},
            "html": {"path": f"{page.roadmap}/{page.lang}/{page.report_id}.html", "sha256": page.sha256,
                     "bytes": page.size},
            "sidecar": {"status": (page.sidecar or {}).get("status"), "score": (page.sidecar or {}).get("score")}
            if page.sidecar else None,
        }
    store.write_json_atomic(path, {
        "charts": charts,
        "data": {"data_checksum": data.get("data_checksum"), "roadmaps": dict(fingerprints or {}),
                 "tables": data.get("outputs", {}), "raw": data.get("inputs", {})},
        "versions": package_versions(),
        "reports": reports,
        "downloads": dict(downloads or {}),
    })


def package_versions() -> dict[str, str | None]:
    """Versions that shape the outputs (pinned in pyproject.toml and requirements.lock)."""
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    import vl_convert as vlc

    versions["vega"] = vlc.get_vega_version()
    return versions


# --- notebook cells -> HTML fragments ---------------------------------------------------------------------

def shown(cell: Any, lang: str = "") -> bool:
    """Whether a page in `lang` shows a cell: not tagged for hiding (the data cells an analyst
    reads in Lab, the notebook's own how-to), nor for another language."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    return not (tags & HIDE_TAGS or (lang and any(x.startswith(LANG_TAG) and x != LANG_TAG + lang for x in tags)))


def notebook_parts(nb: Any, charts: Charts, notebook_dir: Path | None = None, *, lang: str = "") -> list[str]:
    """Markdown cells and code outputs, in order; code itself never appears, nor cells tagged
    for hiding (the data cells an analyst reads in Lab) or for another language than `lang`."""
    parts: list[str] = []
    for cell in nb.cells:
        if not shown(cell, lang):
            continue
        if cell.cell_type == "markdown":
            parts.append(markdown(cell.source, cell.get("attachments"), notebook_dir))
        elif cell.cell_type == "code":
            parts.extend(p for p in (output_html(out, charts) for out in cell.get("outputs", [])) if p)
    return parts


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def output_html(out: Mapping[str, Any], charts: Charts) -> str:
    """One output as HTML: charts first, then HTML, markdown, images, plain text. stderr
    (warnings) is left out; stdout is kept as preformatted text."""
    from nbconvert.filters.ansi import strip_ansi

    kind = out.get("output_type")
    if kind == "stream":
        text = _text(out.get("text", ""))
        return f'<pre class="output">{escape(strip_ansi(text), quote=False)}</pre>' \
            if out.get("name") == "stdout" and text.strip() else ""
    if kind == "error":
        text = "\n".join(out.get("traceback", [])) or f"{out.get('ename')}: {out.get('evalue')}"
        return f'<pre class="output failed">{escape(strip_ansi(text), quote=False)}</pre>'
    data = out.get("data", {})
    for mime in VEGALITE_MIMES + VEGA_MIMES:
        if mime in data:
            spec = data[mime] if isinstance(data[mime], dict) else json.loads(_text(data[mime]))
            return charts.add(spec, vegalite=mime in VEGALITE_MIMES)
    if WIDGET_MIME in data:
        return ""
    if "text/html" in data:
        html = _text(data["text/html"])
        recovered = altair_html_spec(html)
        if recovered is not None:
            return charts.add(*recovered)
        return f'<div class="output">{sanitise(html)}</div>'
    if "text/markdown" in data:
        return f'<div class="output">{markdown(_text(data["text/markdown"]))}</div>'
    if "image/svg+xml" in data:
        return f'<div class="output">{sanitise(_text(data["image/svg+xml"]))}</div>'
    for mime in ("image/png", "image/jpeg", "image/gif"):
        if mime in data:
            payload = re.sub(r"\s+", "", _text(data[mime]))
            base64.b64decode(payload, validate=True)  # refuses anything that is not base64
            return f'<div class="output"><img alt="" src="data:{mime};base64,{payload}"></div>'
    if "text/plain" in data:
        return f'<pre class="output">{escape(_text(data["text/plain"]), quote=False)}</pre>'
    return ""


def markdown(source: str, attachments: Mapping[str, Any] | None = None, notebook_dir: Path | None = None) -> str:
    """Markdown (cells, `IPython.display.Markdown`) to sanitised HTML; attached and local
    images become ``data:`` URIs, harmful link schemes are dropped by mistune and again here."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    renderer = IPythonRenderer(escape=False, allow_harmful_protocols=False, exclude_anchor_links=True,
                               embed_images=notebook_dir is not None, path=str(notebook_dir or ""),
                               attachments=dict(attachments or {}))
    return sanitise(MarkdownWithMath(renderer=renderer).render(source))


def notebook_title(nb: Any, lang: str = "") -> str:
    """The first level-1 heading of the markdown cells a page in `lang` shows, or ""."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and shown(cell, lang):
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def _first_heading(parts: Iterable[str]) -> str:
    for part in parts:
        found = re.search(r"<h1[^>]*>(.*?)</h1>", part, re.S)
        if found:
            text = re.sub(r"<[^>]+>", "", found.group(1))
            from html import unescape

            return unescape(text).strip()
    return ""


def altair_html_spec(html: str) -> tuple[dict[str, Any], bool] | None:
    """The spec inside the output of Altair's ``html`` renderer (its default), whose script
    would load Vega from a CDN: ``...})(<spec>, {"mode": "vega-lite"});``. None otherwise."""
    if "vegaEmbed" not in html or "altair-viz" not in html:
        return None
    start = html.rfind("})(")
    if start < 0:
        return None
    decoder = json.JSONDecoder()
    try:
        spec, end = decoder.raw_decode(html, start + 3)
        options, _ = decoder.raw_decode(html, html.index("{", end))
    except ValueError:
        return None
    if not isinstance(spec, dict):
        return None
    return spec, (options or {}).get("mode", "vega-lite") == "vega-lite"


# --- charts --------------------------------------------------------------------------------------------------

VEGA_LOADER = """(function(){var els=document.querySelectorAll("[data-vega-spec]");
Array.prototype.forEach.call(els,function(el){var spec=JSON.parse(document.getElementById(el.getAttribute("data-vega-spec")).textContent);
vegaEmbed(el,spec,{mode:el.getAttribute("data-vega-mode"),renderer:"svg",actions:false}).catch(function(e){el.textContent=String(e);console.error(e);});});})();"""


@lru_cache(maxsize=1)
def vega_runtime() -> str:
    """vega-embed with Vega and Vega-Lite, as one inline script defining ``vegaEmbed``.

    A Vega-only bundle would be smaller (577 KB against 898 KB), but vl-convert 1.9 binds
    ``vega`` in a snippet to a default import Vega does not have: ``window.vega`` is null."""
    import vl_convert as vlc

    bundle = vlc.javascript_bundle()
    if "</script" in bundle.lower() or "<!--" in bundle:
        raise RenderError("the Vega bundle holds a sequence that would end an inline script")
    return bundle


class Charts:
    """Turns chart specs into figures, numbering them so that ids never collide in a page.

    Drawing is most of a render (vl-convert, ~50-100 ms a chart, one at a time whatever the
    threads), so each SVG is kept under ``cache`` by the hash of what it is drawn from: the spec,
    the Vega-Lite version and vl-convert's version. An unchanged chart is never drawn again, in
    another report or another build (the trend of an indicator a changed figure does not touch,
    the same milestone timeline); the bytes are those vl-convert gave the first time.
    """

    def __init__(self, mode: str, cache: Path | None = None) -> None:
        self.mode = mode
        self.count = 0
        self.cache = cache

    def add(self, spec: dict[str, Any], vegalite: bool = True) -> str:
        remote = _remote_urls(spec)
        if remote:
            raise RenderError(f"a chart loads data from {remote[0]}: charts must embed their data")
        self.count += 1
        n = self.count
        version = _vl_version(spec) if vegalite else None
        if self.mode == "svg":
            return f'<figure class="chart" id="chart-{n}">{inline_svg(self._svg(spec, vegalite, version), f"c{n}-")}</figure>'
        # The spec as written (Vega-Lite is smaller than its Vega), without its "$schema" URL.
        payload = json.dumps({k: v for k, v in spec.items() if k != "$schema"}, ensure_ascii=False,
                             separators=(",", ":"))
        payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        mode = "vega-lite" if vegalite else "vega"
        return (f'<figure class="chart" id="chart-{n}"><div class="vega-chart" data-vega-spec="chart-{n}-spec" '
                f'data-vega-mode="{mode}"></div><script type="application/json" id="chart-{n}-spec">{payload}'
                f'</script></figure>')


    def _svg(self, spec: dict[str, Any], vegalite: bool, version: str | None) -> str:
        import vl_convert as vlc

        key = fingerprints.of([spec, vegalite, version, vlc.__version__])
        kept = self.cache / f"{key}.svg" if self.cache is not None else None
        if kept is not None and kept.is_file():
            return kept.read_text(encoding="utf-8")
        svg = vlc.vegalite_to_svg(spec, vl_version=version, allowed_base_urls=[]) if vegalite \
            else vlc.vega_to_svg(spec, allowed_base_urls=[])
        if kept is not None:
            store.write_bytes_atomic(kept, svg.encode("utf-8"))
        return svg


def _remote_urls(node: Any) -> list[str]:
    """Every ``url`` a spec would fetch (data or image marks); charts must embed their rows."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "url" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(_remote_urls(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_remote_urls(item))
    return found


_SVG_REFS = re.compile(r'(\sid="|url\(#|href="#)([^")]+)')
_SYMBOL = re.compile(r'<(\w+)(\s[^<>]*?\srole="graphics-symbol"[^<>]*?)\s*/>')


def inline_svg(svg: str, prefix: str) -> str:
    """vl-convert's SVG made fit for inlining: no namespace declarations (HTML knows SVG),
    ids prefixed per chart (two charts' ``clip1`` would clash), and each mark's description
    (which Vega-Lite builds from the tooltip fields) as a ``<title>``, i.e. a hover tooltip."""
    svg = svg.replace(' xmlns="http://www.w3.org/2000/svg"', "", 1)
    if "xlink:" not in svg.replace('xmlns:xlink="http://www.w3.org/1999/xlink"', ""):
        svg = svg.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "", 1)
    svg = _SVG_REFS.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)

    def titled(match: re.Match[str]) -> str:
        label = re.search(r'\saria-label="([^"]*)"', match.group(2))
        if not label or re.search(r'aria-roledescription="(line|area|trail) mark"', match.group(2)):
            return match.group(0)
        return f"<{match.group(1)}{match.group(2)}><title>{label.group(1)}</title></{match.group(1)}>"

    return _SYMBOL.sub(titled, svg)


# --- sanitiser -------------------------------------------------------------------------------------------------

_DROP_WITH_CONTENT = frozenset({"script", "iframe", "object", "embed", "frame", "frameset", "applet", "noembed",
                                "template", "noscript"})
_DROP = frozenset({"link", "base", "meta"})
_VOID = frozenset({"area", "br", "col", "hr", "img", "input", "source", "track", "wbr", "param", "link", "meta",
                   "base", "embed"})
_LOADS = frozenset({"src", "srcset", "poster", "background", "action", "formaction", "ping", "lowsrc", "dynsrc",
                    "data", "codebase", "manifest", "srcdoc", "archive", "longdesc"})
_HREF_LOADS = frozenset({"use", "image", "feimage", "script"})
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*", re.I)
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
#: A CSV carried by the page itself (the history and the changes a report shows, to download
#: offline): text a spreadsheet opens, never a document a browser runs.
_DATA_CSV = re.compile(r"data:text/csv;charset=utf-8;base64,[a-z0-9+/=]*", re.I)
_CSS_REMOTE = re.compile(r"@import[^;]*;?|url\s*\([^)]*\)|expression\s*\(", re.I)


def _scheme(url: str) -> str | None:
    compact = re.sub(r"[\x00-\x20\x7f]+", "", url).lower()
    found = re.match(r"([a-z][a-z0-9+.\-]*):", compact)
    return found.group(1) if found else None


class _Sanitiser(HTMLParser):
    """Re-emits an HTML fragment keeping only what cannot run code or reach a network."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if tag in _DROP_WITH_CONTENT:
            if not closed and tag not in _VOID:
                self.skip += 1
            return
        if self.skip or tag in _DROP:
            return
        kept = []
        for name, value in attrs:
            text = value or ""
            if name.startswith("on") or name == "style" and _CSS_REMOTE.search(text):
                continue
            if name in _LOADS and not (name == "src" and _DATA_IMAGE.fullmatch(text)):
                continue  # a resource load: only inline images stay
            if name in ("href", "xlink:href"):
                allowed = text.startswith("#") if tag in _HREF_LOADS else (
                    _scheme(text) in _LINK_SCHEMES | {None} or (tag == "a" and bool(_DATA_CSV.fullmatch(text))))
                if not allowed:
                    continue  # javascript:, data:, vbscript: ... links lose their target
            kept.append(name if value is None else f'{name}="{escape(value, quote=True)}"')
        attributes = "".join(f" {a}" for a in kept)
        self.out.append(f"<{tag}{attributes}{'/' if closed else ''}>")
        self.in_style = tag == "style" and not closed

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_WITH_CONTENT:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip or tag in _DROP or tag in _VOID:
            return
        self.in_style = False
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.in_style:
            self.out.append(_CSS_REMOTE.sub("none", data).replace("</", "<\\/"))
        else:
            self.out.append(escape(data, quote=False))


def sanitise(fragment: str) -> str:
    """An HTML fragment with scripts, frames, event handlers, remote loads and non-http(s)
    links removed; everything else (tables, styles, inline SVG) kept."""
    parser = _Sanitiser()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)
