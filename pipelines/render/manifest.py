"""``reports/manifest.json``: what every published page was made from, and what is published.

Per report its parameters, inputs and status; the data checksums and the versions of the
packages that shape the outputs; and every file of the site with its sha256 (`site_files`), so
that a download, a data-quality page or ``quality/quarantine.csv`` changed or left over by hand
is found by `check_site`. Apart from the pages because it is read by tools, not by a browser
(`python -m pipelines verify` compares it byte for byte with a rebuild's, and the published
site with it), so nothing in it may vary from one build of the same inputs to the next.
"""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from pipelines.core import store
from pipelines.render.pages import Page
from pipelines.run import incremental

#: The manifest's own name in the site: the one file it does not list (it cannot hold its own hash).
MANIFEST = "manifest.json"

#: The packages whose versions the manifest records: those that shape the outputs.
VERSIONED = (
    "papermill",
    "nbconvert",
    "nbformat",
    "nbclient",
    "ipykernel",
    "altair",
    "vl-convert-python",
    "polars",
    "great-expectations",
    "jinja2",
)


def write_manifest(
    path: Path,
    pages: Sequence[Page],
    data: Mapping[str, Any],
    charts: str,
    langs: Sequence[str],
    root: Path,
    downloads: Mapping[str, str] | None = None,
    fingerprints: Mapping[str, str] | None = None,
    previous: Path | None = None,
    replaced: Iterable[str] | None = None,
) -> None:
    """``reports/manifest.json``: per report its parameters, inputs and status; the data
    checksums and package versions of the build, and every file of the site beside it with its
    sha256 (`site_files`: call it once the site is complete). HTML paths are relative to the
    manifest.
    Reports this render does not replace are kept from the previous manifest, as their pages
    are kept in the site: those outside the folders of `replaced` (paths relative to the
    site) when it is given (a render of one roadmap keeps every other roadmap's), else those
    of languages not rendered this time. No
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
    if replaced is None:
        reports = {k: v for k, v in before.items() if k.count("/") == 2 and k.split("/")[1] not in langs}
    else:
        gone = tuple(str(r).rstrip("/") + "/" for r in replaced)
        reports = {
            k: v
            for k, v in before.items()
            if k.count("/") == 2
            and isinstance(v, dict)
            and not f"{(v.get('html') or {}).get('path', k)}".startswith(gone)
        }
    for page in pages:
        entry = page.entry
        source = root / str(entry.get("notebook", ""))
        executed = root / str(entry.get("output", ""))
        reports[page.key] = {
            "report_id": page.report_id,
            "lang": page.lang,
            "kind": page.kind,
            "title": page.title,
            "status": page.status,
            "error": page.error or None,
            "parameters": entry.get("parameters", {}),
            "roadmap": page.roadmap,
            "inputs": {
                "data_checksum": incremental.data_read(entry) or None,
                "data": (entry.get("inputs") or {}).get("slice"),
                "notebook": {
                    "path": entry.get("notebook"),
                    "sha256": store.sha256_file(source) if source.is_file() else None,
                },
                "executed": {
                    "path": entry.get("output"),
                    "sha256": store.sha256_file(executed) if executed.is_file() else None,
                },
                "reads": entry.get("reads", {}),
            },
            "html": {"path": page_path(page), "sha256": page.sha256, "bytes": page.size},
            "sidecar": {"status": (page.sidecar or {}).get("status"), "score": (page.sidecar or {}).get("score")}
            if page.sidecar
            else None,
        }
    known = {**{page_path(page): page.sha256 for page in pages if page.sha256}, **(downloads or {})}
    store.write_json_atomic(
        path,
        {
            "charts": charts,
            "data": {
                "data_checksum": data.get("data_checksum"),
                "roadmaps": dict(fingerprints or {}),
                "tables": data.get("outputs", {}),
                "raw": data.get("inputs", {}),
            },
            "versions": package_versions(),
            "reports": reports,
            "downloads": dict(downloads or {}),
            "files": site_files(path.parent, known),
        },
    )


def page_path(page: Page) -> str:
    """A report's page, relative to the site."""
    return f"{page.roadmap}/{page.lang}/{page.report_id}.html"


def site_files(site: Path, known: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every file published in `site`, by its path relative to it, with its sha256 (taken from
    `known` where the build already computed it: a page, a download of ten million rows). Not
    listed: the manifest itself, hidden files (a ``.gitkeep`` is the repository's, not the
    build's) and symbolic links (a link placed in ``reports/`` by hand is kept, not built)."""
    known = known or {}
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(site):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        here = Path(folder)
        for name in files:
            path = here / name
            relative = path.relative_to(site).as_posix()
            if name.startswith(".") or path.is_symlink() or relative == MANIFEST:
                continue
            found[relative] = known.get(relative) or store.sha256_file(path)
    return dict(sorted(found.items()))


def check_site(site: Path) -> list[tuple[str, str]]:
    """What differs between the files published in `site` and those its manifest lists, as
    (path relative to `site`, what is wrong), sorted by path; empty when the manifest describes
    exactly what is published. A file edited by hand, one left over, one removed, and a
    manifest that is missing or lists no files are each reported."""
    try:
        listed = json.loads((site / MANIFEST).read_text(encoding="utf-8")).get("files")
    except (OSError, ValueError):
        listed = None
    if not isinstance(listed, dict):
        return [(MANIFEST, "missing, unreadable or without its list of files")]
    published = site_files(site)
    wrong = []
    for name in sorted(set(listed) | set(published)):
        if name not in published:
            wrong.append((name, f"listed in {MANIFEST} but not published"))
        elif name not in listed:
            wrong.append((name, f"published but not listed in {MANIFEST}"))
        elif published[name] != listed[name]:
            wrong.append((name, f"not the file {MANIFEST} lists (another sha256)"))
    return wrong


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
