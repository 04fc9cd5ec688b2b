"""The site a render publishes: built whole in a staging folder, published only when whole.

Pages go to ``reports/<roadmap>/<lang>/<report>.html``, with ``reports/<roadmap>/<lang>/index.html``
(every report of the roadmap with its run status and its sidecar's assessment),
``reports/index.html`` (every roadmap, in each language), ``reports/manifest.json``, the CSV
downloads and the data-quality pages of the last check. Only a render whose every report
succeeded publishes (`render_build`): after a failure ``reports/`` is exactly as the last good
build left it. Apart from the pages (`pipelines.render.pages`) and the drawing because this is
the one module that decides what is written where, and in which order, so that a build stopped
at any moment leaves the previous reports whole.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pipelines.core import fingerprints, lock, paths, publish, store
from pipelines.core.errors import UsageError
from pipelines.render.cache import RenderCache
from pipelines.render.drawing import CHART_MODES, RenderError, draw_ahead
from pipelines.render.manifest import write_manifest
from pipelines.render.notebook import chart_specs, notebook_title, read_notebook
from pipelines.render.pages import (
    DOWNLOADS,
    Page,
    render_failed,
    render_home,
    render_index,
    render_notebook,
    report_context,
)
from pipelines.run import checks, incremental

#: Under ``--build``: the site of a render that had a failed report, as it would have been
#: published (`render` publishes nothing then; the message names this folder). The next
#: render that publishes removes it.
UNPUBLISHED = "unpublished"
#: Folder of ``reports/`` holding the data-quality pages, published from ``<build>/quality``.
QUALITY = "quality"
#: Where drawn charts are kept, under the build folder (`pipelines.render.drawing.Charts`): a
#: scratch build (verify, a test) draws its own.
CHART_CACHE = "charts"
#: The render record's entry for the roadmaps' data checksums (not a page).
ROADMAP_CHECKSUMS = "@roadmap-checksums"
#: What the render record keeps of a page, to list it in the indexes without drawing it again.
_KEPT = ("title", "status", "size", "sha256", "error")


def render_build(
    build: Path,
    reports: Path,
    processed: Path,
    *,
    charts: str = "svg",
    langs: Sequence[str] = checks.LANGS,
    root: Path = paths.ROOT,
    roadmaps: Sequence[str] | None = None,
) -> list[Page]:
    """Render every job of ``build/run.json`` in `langs` (and `roadmaps`, default all), the
    indexes, the data downloads and the manifest, and publish them with the data-quality pages
    of the last check (``<build>/quality``) when every report rendered.

    Everything is written into a staging site beside `reports` first. When a report failed
    (its notebook, or its page), nothing is published: `reports` stays exactly as the last good
    build left it, and the staged site moves to ``<build>/unpublished`` for the maintainer to
    open. Otherwise the staged site is completed with every published file this render does
    not replace (other roadmaps and languages, unchanged downloads: hard links, not copies) and
    takes the place of `reports` in one atomic exchange (`pipelines.core.publish.switch`): a
    build stopped at any moment leaves every file of `reports` from one build, the manifest
    describing exactly them.
    A report's page prints the checksum of the data it read (`incremental.data_read`), a
    roadmap's index that of the roadmap's data: another benchmark's or another roadmap's new
    figure changes no byte of a page that does not show it.
    """
    if charts not in CHART_MODES:
        raise UsageError(f"unknown chart mode {charts!r}: use svg or vega", step="render")
    with lock.build_folder(build, "render", root):
        entries = json.loads((build / "run.json").read_text(encoding="utf-8")).get("jobs", {})
    entries = {k: e for k, e in entries.items() if isinstance(e, dict) and e.get("roadmap")}
    data = store.read_manifest(processed)
    present = set(entries)
    cache = RenderCache(build, f"{paths.display(reports, root)}|{charts}", root, str(data.get("data_checksum") or ""))
    with publish.site_cleaned(reports):
        publish.recover_site(reports)
        site = publish.new_site(reports)  # the whole site as this render would publish it
        fingerprints = roadmap_checksums(processed, {str(e["roadmap"]) for e in entries.values()}, cache)
        titles = roadmap_titles(processed)
        staged: dict[tuple[str, str], Path] = {}
        pages: list[Page] = []
        todo = []  # (key, page key, published page, kept record) of each page this render writes
        for key in sorted(present, key=lambda k: _order(entries[k])):
            entry = entries[key]
            lang, roadmap = str(entry.get("lang")), str(entry["roadmap"])
            if lang in langs and (roadmaps is None or roadmap in roadmaps):
                page_key = cache.key(entry, present, incremental.data_read(entry))
                published = reports / roadmap / lang / f"{entry['report_id']}.html"
                todo.append((key, page_key, published, cache.kept(key, page_key, published)))
        notebooks = {key: _executed(entries[key], root) for key, _, _, kept in todo if kept is None}
        drawing = None
        if charts == "svg":  # the new charts of the pages, drawn on every core while the downloads are written
            drawing = draw_ahead(
                (
                    chart
                    for key, nb in notebooks.items()
                    if nb is not None and entries[key].get("status") == "ok"
                    for chart in chart_specs(nb, str(entries[key].get("lang", "")))
                ),
                build / CHART_CACHE,
            )
        try:
            downloads, exported = write_downloads(processed, reports, site, cache, assessed_dates(entries, root))
            quality = _stage_quality(build, site)
        finally:
            if drawing is not None:
                drawing.wait()
        for key, page_key, published, kept in todo:
            entry = entries[key]
            lang, roadmap = str(entry.get("lang")), str(entry["roadmap"])
            if (roadmap, lang) not in staged:
                staged[(roadmap, lang)] = site / roadmap / lang
                staged[(roadmap, lang)].mkdir(parents=True)
            out = staged[(roadmap, lang)] / published.name
            if kept is not None:  # same inputs, same file: not drawn again
                publish.carry(published, out)
                sidecar = store.read_sidecar(root / entry["sidecar"]) if entry.get("sidecar") else None
                page = Page(
                    key=key,
                    lang=lang,
                    report_id=str(entry["report_id"]),
                    roadmap=roadmap,
                    kind=str(entry.get("kind", "")),
                    path_shown=paths.display(published, root),
                    sidecar=sidecar,
                    entry=dict(entry),
                    kept=True,
                    **{f: kept[f] for f in _KEPT},
                )
            else:
                page = _render_entry(
                    entry, notebooks.pop(key), present, build, out, charts, root, downloads=bool(downloads)
                )
                page.path_shown = paths.display(published, root)
                cache.remember(key, page_key, {f: getattr(page, f) for f in _KEPT})
            pages.append(page)
        for (roadmap, lang), folder in staged.items():
            other = [x for x in checks.LANGS if x != lang and any(k.startswith(f"{roadmap}/{x}/") for k in present)]
            _write(
                folder / "index.html",
                render_index(
                    lang,
                    [p for p in pages if p.lang == lang and p.roadmap == roadmap],
                    other,
                    roadmap=titles.get(roadmap, {}),
                    quality=quality or (reports / QUALITY / "index.html").exists(),
                    data_checksum=fingerprints.get(roadmap, ""),
                    downloads=bool(downloads),
                ),
            )
        rendered = sorted(
            {
                (str(e["roadmap"]), str(e["lang"]))
                for e in entries.values()
                if (str(e["roadmap"]), str(e["lang"])) in staged
                or (reports / str(e["roadmap"]) / str(e["lang"]) / "index.html").exists()
            }
        )
        _write(site / "index.html", render_home(rendered, titles))
        # what this site replaces of the published one; the rest is carried over as it is. With
        # no processed tables there are no downloads: none are published, as the manifest says.
        replaced = (
            ([QUALITY] if quality else [])
            + ([DOWNLOADS] if exported or not downloads else [])
            + [f"{roadmap}/{lang}" for roadmap, lang in staged]
            + ["index.html", "manifest.json"]
        )
        whole = all(page.status == "ok" for page in pages)
        if whole:  # the site complete before the manifest lists its files
            publish.carry_over(reports, site, replaced)
        write_manifest(
            site / "manifest.json",
            pages,
            data,
            charts,
            langs,
            root,
            downloads,
            fingerprints=fingerprints,
            previous=reports / "manifest.json",
            replaced=replaced,
        )
        cache.save()
        if not whole:
            _hold(site, reports, build / UNPUBLISHED)
        else:
            publish.switch(site, reports)
            shutil.rmtree(build / UNPUBLISHED, ignore_errors=True)  # what a failed render held is stale now
        return pages


def _stage_quality(build: Path, site: Path) -> bool:
    """Copy the pages of the last check (`pipelines.validate.step.PAGES`, under `build`) into the
    staged site, to be published with the reports; False when validate wrote none there."""
    pages = build / QUALITY
    if not (pages / "index.html").is_file():
        return False
    shutil.copytree(pages, site / QUALITY)
    return True


def _hold(site: Path, reports: Path, folder: Path) -> None:
    """Move the staged `site` out of `reports` to `folder` (replacing the one an earlier failed
    render left): a reader still sees the last good build, the maintainer these pages."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(site, folder)
    publish.recover_site(reports)


def roadmap_checksums(processed: Path, roadmaps: Iterable[str], cache: RenderCache) -> dict[str, str]:
    """Per roadmap, the sha256 of its rows of every table (`slices.Data.roadmap_rows`), as
    printed on its index and in the manifest: the data its reports rest on, and nothing of
    another roadmap.
    Hashing every row costs seconds at millions of rows, so it is done once per version of the
    tables (`RenderCache.data`), not at every render."""
    from pipelines.run import slices

    wanted = sorted(roadmaps)
    if not wanted or not (processed / "roadmaps.parquet").exists():
        return {}
    key = fingerprints.of({**cache.common, "data": cache.data, "roadmaps": wanted})
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


def assessed_dates(entries: Mapping[str, Mapping[str, Any]], root: Path) -> dict[str, date]:
    """Each roadmap's report date, as its benchmark reports' sidecars state it: the date of the
    assessment published beside its data (one per roadmap: a build runs a roadmap at one date)."""
    found: dict[str, date] = {}
    for entry in entries.values():
        if entry.get("kind") == "benchmark" and entry.get("status") == "ok" and entry.get("sidecar"):
            side = store.read_sidecar(root / entry["sidecar"]) or {}
            if side.get("as_of"):
                found[str(entry["roadmap"])] = date.fromisoformat(side["as_of"])
    return found


def write_downloads(
    processed: Path, reports: Path, site: Path, cache: RenderCache, assessed: Mapping[str, date] | None = None
) -> tuple[dict[str, str], bool]:
    """The data behind the reports as CSV in ``reports/data/`` (`pipelines.render.export`): every
    table, and under ``<roadmap>/`` that roadmap's tables and each of its benchmarks' rows,
    with the data package describing them (``datapackage.json``). They are exported into the
    staged `site`, to be published with the pages as one set, unless the published ones are
    kept as they are: the data and the code did not change (at ten million rows the export is
    most of a render). In a new set, a CSV whose rows did not change is a copy of the published
    one (after one figure changed, 3 of 72 files are formatted again, not all). Each roadmap of
    `assessed` gets its assessment at that date (`export.export_all`). Returns sha256
    by path relative to `reports`, and whether a new set was staged; empty, and nothing
    written, when the processed tables are not there (a build of notebooks that read no table)."""
    from pipelines.render import export

    if not all((processed / f"{name}.parquet").exists() for name in (*export.EXPORTED, "benchmarks", "roadmaps")):
        return {}, False
    tables = store.read_manifest(processed).get("outputs", {})
    dates = {roadmap: day.isoformat() for roadmap, day in sorted((assessed or {}).items())}
    key = fingerprints.of({**cache.common, "tables": tables, "assessed": dates})  # data, code and dates
    files = cache.kept_files(DOWNLOADS, key, reports / DOWNLOADS)
    exported = files is None
    if files is None:  # a new set, each CSV whose rows are unchanged copied from the published one
        folder = site / DOWNLOADS
        written = export.export_all(
            processed, folder, earlier=cache.earlier_file(DOWNLOADS, reports / DOWNLOADS), assessed=assessed
        )
        files = {path.relative_to(folder).as_posix(): sha for path, (sha, _) in sorted(written.items())}
        digests = {path.relative_to(folder).as_posix(): rows for path, (_, rows) in written.items() if rows}
        cache.remember(DOWNLOADS, key, {"files": files, "digests": digests, "code": cache.code})
    return {f"{DOWNLOADS}/{name}": sha for name, sha in sorted(files.items())}, exported


def _order(entry: Mapping[str, Any]) -> tuple[str, int, int, tuple[int, int, str]]:
    """Roadmap by roadmap: the one-page brief first, then the overview, then benchmarks in
    reading order (2 before 10), then thematic reports; French before English."""
    brief = str(entry.get("report_id")) == "brief"
    kind_rank = -1 if brief else {"overview": 0, "benchmark": 1, "thematic": 2}.get(str(entry.get("kind")), 3)
    lang = str(entry.get("lang"))
    report = str(entry.get("report_id"))
    tail = report.removeprefix("benchmark-")
    number = (0, int(tail), "") if tail.isdigit() else (1, 0, report)
    return (str(entry.get("roadmap")), kind_rank, checks.LANGS.index(lang) if lang in checks.LANGS else 9, number)


def _executed(entry: Mapping[str, Any], root: Path) -> Any:
    """A job's executed notebook, or None when it is missing (its page then says so)."""
    notebook = root / str(entry.get("output", ""))
    return read_notebook(notebook) if notebook.is_file() else None


def _render_entry(
    entry: Mapping[str, Any],
    nb: Any,
    present: set[str],
    build: Path,
    out: Path,
    charts: str,
    root: Path,
    *,
    downloads: bool = False,
) -> Page:
    """Draw one report's page into `out`: its notebook's, or, when the run or the drawing
    failed, a page saying what broke (never stale content)."""
    lang, report_id, roadmap = str(entry["lang"]), str(entry["report_id"]), str(entry["roadmap"])
    key = f"{roadmap}/{lang}/{report_id}"
    sidecar = store.read_sidecar(root / entry["sidecar"]) if entry.get("sidecar") else None
    context = report_context(entry, present, incremental.data_read(entry), downloads=downloads)
    status, error = str(entry.get("status")), ""
    # The title: the sidecar's, else the notebook's first heading (markdown cell, then output).
    title = str((sidecar or {}).get("title") or (nb and notebook_title(nb, lang)) or "")
    if status == "ok" and nb is None:
        status, error = "failed", f"executed notebook {entry.get('output')} is missing"
    if status == "ok":
        try:
            html, title = render_notebook(
                nb,
                context,
                charts=charts,
                title=title or None,
                fallback=report_id,
                notebook_dir=(root / str(entry.get("notebook", ""))).parent,
                chart_cache=build / CHART_CACHE,
            )
        except (RenderError, ValueError) as exc:
            status, error = "failed", f"render: {exc}"
    if status != "ok":
        error = error or str((entry.get("error") or {}).get("summary", "failed"))
        title = title or report_id
        html = render_failed(context, title, error)
    data = html.encode("utf-8")
    _write(out, html)
    return Page(
        key=key,
        lang=lang,
        report_id=report_id,
        kind=str(entry.get("kind", "")),
        title=str(title),
        roadmap=roadmap,
        status=status,
        path_shown=paths.display(out, root),
        size=len(data),
        sha256=_sha256(data),
        error=error,
        sidecar=sidecar,
        entry=dict(entry),
    )


def _write(path: Path, html: str) -> None:
    store.write_bytes_atomic(path, html.encode("utf-8"))


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
