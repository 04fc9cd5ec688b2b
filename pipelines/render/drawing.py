"""Charts drawn into an offline page: static SVG by default, or the Vega runtime inlined.

Charts (outputs ``application/vnd.vegalite.v5/v6+json``, Vega ones, or Altair's HTML renderer,
whose spec `pipelines.render.notebook` recovers) are drawn in one of two ways:

* ``svg`` (default): static SVG made by vl-convert at build time, with each mark's
  description as a native hover tooltip. 10-20 KB a chart (the four chart builders of
  `pipelines.present.charts`: 11-21 KB each), no script at all, so it shows in mail previewers and
  viewers that run no JavaScript, and prints as drawn.
* ``vega``: the spec as JSON in a ``<script type="application/json">`` (4-5 KB a chart), the
  vega-embed + Vega + Vega-Lite runtime inlined once per page (898 KB), and a few lines of
  loader. Live tooltips, at 900 KB a page. (Compiling to Vega in Python to ship Vega alone
  would save 320 KB, but vl-convert 1.9's bundler leaves ``vega`` null in such a bundle; and a
  Vega spec is about twice its Vega-Lite source.)

A module apart from reading the notebook (`pipelines.render.notebook`) because drawing is most
of a render's time, has a cache of its own across reports and builds (`Charts`), and is the one
place that refuses a chart fetching its data from a network.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from pipelines.core import fingerprints, store
from pipelines.core.errors import ExitCode, PipelineError
from pipelines.present.renderer import alternative, offline_vl_convert, vl_version

#: How charts are drawn (``render --charts``), as described above.
CHART_MODES = ("svg", "vega")


class RenderError(PipelineError):
    """An output the renderer cannot turn into an offline page (e.g. a chart loading remote data)."""

    exit_code = ExitCode.NOTEBOOK_FAILED


#: The roles and labels Vega writes into a chart's SVG (`inline_svg` says why they are taken out).
VEGA_ARIA = ("role", "aria-roledescription", "aria-label")

#: The few lines that hand each chart's spec to vega-embed, once a page (``vega`` mode), then take
#: `VEGA_ARIA` out of what it drew, as `inline_svg` does.
VEGA_LOADER = (
    f"(function(){{var aria={json.dumps(list(VEGA_ARIA))};"
    + """var els=document.querySelectorAll("[data-vega-spec]");
Array.prototype.forEach.call(els,function(el){var spec=JSON.parse(document.getElementById(el.getAttribute("data-vega-spec")).textContent);
vegaEmbed(el,spec,{mode:el.getAttribute("data-vega-mode"),renderer:"svg",actions:false}).then(function(){
Array.prototype.forEach.call(el.querySelectorAll("[" + aria.join("],[") + "]"),function(n){
aria.forEach(function(a){n.removeAttribute(a);});});
}).catch(function(e){el.textContent=String(e);console.error(e);});});})();"""
)


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

    Drawing is most of a render (vl-convert 2: 8-35 ms a chart of the reports, 14 ms on average;
    1.9 took three times as long), so each SVG is kept under ``cache`` by the hash of what it is
    drawn from: the spec, the Vega-Lite version and vl-convert's version. An unchanged chart is never drawn again, in
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
        version = vl_version(spec) if vegalite else None
        # the chart's text alternative, which its SVG (or the Vega runtime's) does not carry
        figure = (
            f'<figure class="chart" id="chart-{n}" role="img" tabindex="0" aria-label="{escape(alternative(spec))}">'
        )
        if self.mode == "svg":
            return f"{figure}{inline_svg(self._svg(spec, vegalite, version), f'c{n}-')}</figure>"
        # The spec as written (Vega-Lite is smaller than its Vega), without its "$schema" URL.
        payload = json.dumps(
            {k: v for k, v in spec.items() if k != "$schema"}, ensure_ascii=False, separators=(",", ":")
        )
        payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        mode = "vega-lite" if vegalite else "vega"
        return (
            f'{figure}<div class="vega-chart" data-vega-spec="chart-{n}-spec" '
            f'data-vega-mode="{mode}"></div><script type="application/json" id="chart-{n}-spec">{payload}'
            f"</script></figure>"
        )

    def _svg(self, spec: dict[str, Any], vegalite: bool, version: str | None) -> str:
        kept = self.cache / f"{svg_key(spec, vegalite)}.svg" if self.cache is not None else None
        if kept is not None and kept.is_file():
            return kept.read_text(encoding="utf-8")
        svg = _draw(spec, vegalite, version)
        if kept is not None:
            store.write_bytes_atomic(kept, svg.encode("utf-8"))
        return svg


def svg_key(spec: dict[str, Any], vegalite: bool = True) -> str:
    """The cache key of a chart's SVG: what it is drawn from, by which vl-convert, with which fonts."""
    import vl_convert as vlc

    return fingerprints.of([spec, vegalite, vl_version(spec) if vegalite else None, vlc.__version__, fonts_key()])


#: Where vl-convert finds the fonts it measures and draws text with (fontdb's system folders and
#: fontconfig's usual ones, on Linux, macOS and Windows); those that do not exist are skipped.
FONT_FOLDERS: tuple[str, ...] = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
    "~/AppData/Local/Microsoft/Windows/Fonts",
)
_FONT_SUFFIXES = frozenset({".ttf", ".otf", ".ttc", ".otc", ".pfa", ".pfb", ".woff", ".woff2"})


@lru_cache(maxsize=1)
def fonts_key() -> str:
    """The font files vl-convert can find (each one's path, size and time), as one hash.

    A chart's SVG depends on them as much as on its spec: text is measured to lay the chart
    out, and the theme's "'Liberation Sans', Arial, Helvetica, sans-serif" falls back to
    another family where the first is not installed. Installing one (Debian's chromium brings
    Liberation) moved a y axis by a pixel in 8 of 46 pages, so a chart drawn before is not
    kept once the fonts changed. Once a process: it looks at a few hundred files at most."""
    found = []
    for folder in FONT_FOLDERS:
        root = Path(folder).expanduser()
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.suffix.lower() in _FONT_SUFFIXES and path.is_file():
                    info = path.stat()
                    found.append((path.as_posix(), info.st_size, info.st_mtime_ns))
    return fingerprints.of(found)


def _draw(spec: dict[str, Any], vegalite: bool, version: str | None) -> str:
    vlc = offline_vl_convert()
    return vlc.vegalite_to_svg(spec, vl_version=version) if vegalite else vlc.vega_to_svg(spec)


#: Below this many charts to draw, a pool's start (a fresh interpreter and vl-convert's runtime
#: in each worker, about 0.4 s) costs more than it saves.
MIN_POOLED = 8


def usable_cores() -> int:
    """The cores this process may run on (its affinity where the system has one, as on Linux;
    else every core)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


class Drawing:
    """The charts `draw_ahead` gave its worker processes, being drawn while the caller goes on."""

    def __init__(self, processes: list[Any], scratch: Any, count: int) -> None:
        self._processes, self._scratch, self.count = processes, scratch, count

    def wait(self) -> int:
        """Wait for every worker; the number of charts they were given."""
        for process in self._processes:
            process.wait()
        if self._scratch is not None:
            self._scratch.cleanup()
        return self.count


def draw_ahead(charts: Iterable[tuple[dict[str, Any], bool]], cache: Path, workers: int | None = None) -> Drawing:
    """Start drawing every chart not yet in `cache` on every core, into the cache `Charts`
    reads; `Drawing.wait` before reading it (the caller does other work meanwhile: a worker
    spends its first 0.4 s starting its interpreter and vl-convert's runtime).

    vl-convert draws one chart at a time in a process (with its default of one worker; 1.9's
    runtime was single-threaded, and threads gained nothing), so a render of many new charts draws them here first, split among worker
    processes (``python -m pipelines.render.drawing``: a fresh interpreter each, so nothing
    depends on how the caller was started, and a fork of a process whose vl-convert runtime
    already runs threads cannot hang), then renders its pages from the cache. Whatever a worker
    could not draw is drawn again by its page, which then fails with the page's name.
    """
    todo: dict[str, tuple[dict[str, Any], bool]] = {}
    for spec, vegalite in charts:
        if not _remote_urls(spec):
            key = svg_key(spec, vegalite)
            if key not in todo and not (cache / f"{key}.svg").is_file():
                todo[key] = (spec, vegalite)
    count = min(workers or usable_cores(), len(todo))
    if len(todo) < MIN_POOLED or count < 2:
        return Drawing([], None, 0)
    import subprocess
    import sys
    import tempfile

    items = sorted(todo.items())
    scratch = tempfile.TemporaryDirectory(prefix="charts-")
    started = []
    for n in range(count):
        job = Path(scratch.name) / f"{n}.json"
        job.write_text(
            json.dumps([[key, spec, vegalite] for key, (spec, vegalite) in items[n::count]]), encoding="utf-8"
        )
        started.append(
            subprocess.Popen(
                [sys.executable, "-m", "pipelines.render.drawing", str(cache), str(job)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    return Drawing(started, scratch, len(todo))


def _draw_listed(cache: Path, job: Path) -> None:
    """A worker of `draw_ahead`: each chart of `job` (``[key, spec, is Vega-Lite]``) into `cache`."""
    for key, spec, vegalite in json.loads(job.read_text(encoding="utf-8")):
        try:
            svg = _draw(spec, vegalite, vl_version(spec) if vegalite else None)
        except ValueError:
            continue
        store.write_bytes_atomic(cache / f"{key}.svg", svg.encode("utf-8"))


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
_VEGA_ARIA = re.compile(r'\s(?:{})="[^"]*"'.format("|".join(VEGA_ARIA)))
_TAG = re.compile(r"<\w[^<>]*>")


def inline_svg(svg: str, prefix: str) -> str:
    """vl-convert's SVG made fit for inlining: no namespace declarations (HTML knows SVG),
    ids prefixed per chart (two charts' ``clip1`` would clash), and each mark's description
    (`pipelines.present.theme.hover`: its tooltip's fields, in the page's language) as a
    ``<title>``, i.e. a hover tooltip.

    Vega's own roles and labels (`VEGA_ARIA`) are then taken out. They are English whatever the
    spec says ("symbol mark container", "X-axis for a utc scale with values from 2020 to 2023",
    "Title text '…'"), and no reader meets them: the figure is ``role="img"`` with the chart's
    title and what it shows as its label (`Charts.add`), so a screen reader reads that one
    French or English sentence, and the SVG's parts are presentational."""
    svg = svg.replace(' xmlns="http://www.w3.org/2000/svg"', "", 1)
    if "xlink:" not in svg.replace('xmlns:xlink="http://www.w3.org/1999/xlink"', ""):
        svg = svg.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "", 1)
    svg = _SVG_REFS.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)

    def titled(match: re.Match[str]) -> str:
        label = re.search(r'\saria-label="([^"]*)"', match.group(2))
        if not label or re.search(r'aria-roledescription="(line|area|trail) mark"', match.group(2)):
            return match.group(0)
        return f"<{match.group(1)}{match.group(2)}><title>{label.group(1)}</title></{match.group(1)}>"

    svg = _SYMBOL.sub(titled, svg)
    return _TAG.sub(lambda tag: _VEGA_ARIA.sub("", tag.group(0)), svg)


if __name__ == "__main__":
    import sys

    _draw_listed(Path(sys.argv[1]), Path(sys.argv[2]))
