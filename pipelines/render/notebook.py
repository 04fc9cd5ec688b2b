"""An executed notebook as the HTML fragments of its page, in reading order.

Markdown cells and code outputs become fragments; code itself never appears, nor cells tagged
for hiding or for the other language. Each output is taken in the richest form an offline page
can show: a chart (drawn by `pipelines.render.drawing`), HTML or SVG (through
`pipelines.render.sanitise`), markdown, an inline image, plain text. Apart from the page
templates (`pipelines.render.pages`) because this module knows nbformat and Jupyter's MIME
types, and nothing of the page around the fragments.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping
from html import escape, unescape
from pathlib import Path
from typing import Any

from pipelines.present.renderer import SAVED_MIME
from pipelines.render.drawing import Charts
from pipelines.render.sanitise import sanitise

#: Altair 6.3's own "mimetype" renderer says ``...v6.json`` (no "+"), which nbformat refuses to
#: save as a dict; `use_report_renderer` emits the ``+json`` form. Both are read here.
VEGALITE_MIMES = (SAVED_MIME, "application/vnd.vegalite.v6.json", "application/vnd.vegalite.v5+json")
VEGA_MIMES = ("application/vnd.vega.v6+json", "application/vnd.vega.v5+json")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
HIDE_TAGS = frozenset({"remove-cell", "remove_cell", "remove-output", "remove_output", "hide-output"})
#: A notebook's narrative is written twice, in twin markdown cells tagged ``lang-fr`` and
#: ``lang-en``: an analyst in JupyterLab reads both, a page keeps its own language's.
LANG_TAG = "lang-"


def read_notebook(path: Path) -> Any:
    """An executed notebook, as nbformat 4 reads it."""
    import nbformat

    return nbformat.read(path, as_version=4)


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


def chart_spec(out: Mapping[str, Any]) -> tuple[dict[str, Any], bool] | None:
    """The chart an output shows, as (spec, is Vega-Lite), or None: a Vega-Lite or Vega
    bundle, or the spec recovered from Altair's HTML renderer."""
    data = out.get("data", {})
    for mime in VEGALITE_MIMES + VEGA_MIMES:
        if mime in data:
            spec = data[mime] if isinstance(data[mime], dict) else json.loads(_text(data[mime]))
            return spec, mime in VEGALITE_MIMES
    if "text/html" in data and WIDGET_MIME not in data:
        return altair_html_spec(_text(data["text/html"]))
    return None


def chart_specs(nb: Any, lang: str = "") -> list[tuple[dict[str, Any], bool]]:
    """Every chart a page in `lang` shows, in order (what `render` draws ahead, on every core)."""
    return [
        chart
        for cell in nb.cells
        if cell.cell_type == "code" and shown(cell, lang)
        for chart in map(chart_spec, cell.get("outputs", []))
        if chart is not None
    ]


def output_html(out: Mapping[str, Any], charts: Charts) -> str:
    """One output as HTML: charts first, then HTML, markdown, images, plain text. stderr
    (warnings) is left out; stdout is kept as preformatted text."""
    from nbconvert.filters.ansi import strip_ansi

    kind = out.get("output_type")
    if kind == "stream":
        text = _text(out.get("text", ""))
        return (
            f'<pre class="output">{escape(strip_ansi(text), quote=False)}</pre>'
            if out.get("name") == "stdout" and text.strip()
            else ""
        )
    if kind == "error":
        text = "\n".join(out.get("traceback", [])) or f"{out.get('ename')}: {out.get('evalue')}"
        return f'<pre class="output failed">{escape(strip_ansi(text), quote=False)}</pre>'
    data = out.get("data", {})
    chart = chart_spec(out)
    if chart is not None:
        return charts.add(*chart)
    if WIDGET_MIME in data:
        return ""
    if "text/html" in data:
        html = sanitise(_text(data["text/html"]))
        # a table may scroll sideways on a phone: its box takes the keyboard's focus, to scroll it
        focus = ' tabindex="0"' if "<table" in html else ""
        return f'<div class="output"{focus}>{html}</div>'
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

    renderer = IPythonRenderer(
        escape=False,
        allow_harmful_protocols=False,
        exclude_anchor_links=True,
        embed_images=notebook_dir is not None,
        path=str(notebook_dir or ""),
        attachments=dict(attachments or {}),
    )
    return sanitise(MarkdownWithMath(renderer=renderer).render(source))


def notebook_title(nb: Any, lang: str = "") -> str:
    """The first level-1 heading of the markdown cells a page in `lang` shows, or ""."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and shown(cell, lang):
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def first_heading(parts: Iterable[str]) -> str:
    """The text of the first ``<h1>`` of a page's fragments (a notebook may print its title), or ""."""
    for part in parts:
        found = re.search(r"<h1[^>]*>(.*?)</h1>", part, re.S)
        if found:
            text = re.sub(r"<[^>]+>", "", found.group(1))
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
