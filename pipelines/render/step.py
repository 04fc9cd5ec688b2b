"""Step 4, ``python -m pipelines render``: executed notebooks -> one offline HTML file each.

Readers open a report from a mail or a shared drive, often offline, sometimes in a viewer that
runs no script. So each ``reports/<roadmap>/<lang>/<report>.html`` stands alone: CSS inline, code hidden,
outputs kept (markdown, HTML tables, images as ``data:`` URIs, charts), and nothing that loads
from a network. We build the page ourselves from the notebook's outputs (Jinja2, autoescaped)
instead of using an nbconvert template, which would bring require.js, MathJax and CDN links.
The same build gives the same bytes: no timestamp, stable order, counters for ids.

This module is the step's command line: its options, what it prints, its exit code. The work
is in modules of one job each:

* `pipelines.render.site`: the site built in a staging folder, published when every report rendered;
* `pipelines.render.notebook`: an executed notebook as the HTML fragments of its page;
* `pipelines.render.drawing`: charts as static SVG, or with the Vega runtime inlined;
* `pipelines.render.sanitise`: what HTML from a notebook may keep;
* `pipelines.render.pages`: the report, index and home pages (Jinja2 templates);
* `pipelines.render.manifest`: ``reports/manifest.json``;
* `pipelines.render.cache`, `pipelines.render.export`: the pages kept as they are, the CSV downloads.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.core import lock, paths
from pipelines.core.errors import ExitCode, UsageError
from pipelines.render.drawing import CHART_MODES
from pipelines.render.pages import MAX_BYTES
from pipelines.render.site import UNPUBLISHED, render_build
from pipelines.run import checks, records


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m pipelines render``."""
    parser.description = (
        "Turn the executed notebooks of build/ into self-contained HTML in "
        "reports/<roadmap>/<lang>/, with an index per language and reports/manifest.json, and "
        "publish them with the "
        "data-quality pages of build/quality. Exit code 1 when a report failed: then nothing is "
        "published and the pages (the failed one says what broke) are in build/unpublished/; "
        "3 on a bad option."
    )
    parser.add_argument("--build", type=Path, default=paths.ROOT / "build", help="folder written by `run`")
    parser.add_argument("--reports", type=Path, default=paths.REPORTS, help="where the HTML goes (default: reports)")
    parser.add_argument(
        "--processed",
        type=Path,
        default=paths.PROCESSED,
        help="processed tables, for the input checksums of the manifest",
    )
    parser.add_argument(
        "--charts",
        choices=CHART_MODES,
        default="svg",
        help="svg: static charts, no script (default); vega: inline Vega runtime, live tooltips",
    )
    parser.add_argument("--lang", default=None, help="fr or en (default: every language in the build)")
    parser.add_argument(
        "--roadmap",
        default=None,
        metavar="ID[,ID]",
        help="only these roadmaps' pages (default: every roadmap in the build)",
    )
    parser.add_argument("--allow-outside", action="store_true", help="accept folders outside the project")


def main(args: argparse.Namespace) -> int:
    """Render every job of build/run.json; 1 when any of them failed."""
    root = paths.ROOT
    try:
        build = checks.check_path(args.build, "--build", root, args.allow_outside)
        reports = checks.check_path(args.reports, "--reports", root, args.allow_outside)
        processed = checks.check_path(args.processed, "--processed", root, args.allow_outside)
        langs = checks.check_langs(args.lang)
    except UsageError as exc:
        exc.step = "render"
        raise
    if (build / "records").is_dir():  # the entries of isolated runs (the DAG's report tasks)
        with lock.build_folder(build, "render", root):
            records.fold(build)
    if not (build / "run.json").exists():
        raise UsageError(
            f"{paths.display(build / 'run.json')} does not exist: run `python -m pipelines run` first", step="render"
        )
    roadmaps = [r.strip() for r in args.roadmap.split(",") if r.strip()] if args.roadmap else None
    pages = render_build(build, reports, processed, charts=args.charts, langs=langs, root=root, roadmaps=roadmaps)
    for page in pages:
        if page.size > MAX_BYTES:
            print(
                f"[render] warning: {page.path_shown} is {page.size / 1e6:.2f} MB, over the "
                f"{MAX_BYTES / 1e6:.1f} MB budget",
                file=sys.stderr,
            )
    failed = [p for p in pages if p.status != "ok"]
    kept = sum(1 for p in pages if p.kept)
    print(
        f"[render] {len(pages)} report(s) ({len(pages) - kept} drawn, {kept} unchanged), {len(failed)} failed"
        + ("" if failed else f", in {paths.display(reports)}; open {paths.display(reports / 'index.html')}")
    )
    for page in failed:
        print(f"[render] {page.key} failed: {page.error}", file=sys.stderr)
    if failed:
        held = build / UNPUBLISHED
        print(
            f"[render] nothing published: {paths.display(reports)} is left as it was; the pages of this "
            f"render are in {paths.display(held)} (open {paths.display(held / 'index.html')})",
            file=sys.stderr,
        )
    return int(ExitCode.NOTEBOOK_FAILED if failed else ExitCode.OK)
