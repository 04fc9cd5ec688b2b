"""How a notebook displays its charts: `use_report_renderer`, called once at the top of a report
notebook, saves every Altair chart in the form `pipelines.render` reads (and JupyterLab shows).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

#: The MIME type a chart is saved under: Vega-Lite 6 as JSON (`pipelines.render.notebook` reads it).
SAVED_MIME = "application/vnd.vegalite.v6+json"

REPORT_RENDERER = "minusma-report"
#: "0" in a kernel's environment: charts are saved without their SVG preview (see below).
NOTEBOOK_SVG = "MINUSMA_NOTEBOOK_SVG"


def use_report_renderer() -> None:
    """Call once at the top of a notebook (after ``import altair``): every chart displayed
    afterwards is saved as ``application/vnd.vegalite.v6+json`` (what this renderer reads:
    deterministic, no script, no random id) plus a static ``image/svg+xml`` so that JupyterLab,
    which has no Vega-Lite 6 viewer, shows it too.

    Altair's default ("html") renderer embeds a random id and a script loading Vega from a CDN;
    its "mimetype" renderer writes a MIME type nbformat cannot save. Both are avoided here.

    The SVG preview is for a person looking at the notebook; `render` never reads it (it draws
    every chart from its spec). ``pipelines run`` sets ``MINUSMA_NOTEBOOK_SVG=0`` for its
    kernels, which then skip it: vl-convert's SVG took about a third of a report's time.
    """
    import altair as alt
    import vl_convert as vlc

    preview = os.environ.get(NOTEBOOK_SVG, "1") != "0"

    def renderer(spec: dict[str, Any], **metadata: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        bundle: dict[str, Any] = {SAVED_MIME: spec, "text/plain": "<Altair chart>"}
        if not preview:
            return bundle, {}
        try:
            bundle["image/svg+xml"] = vlc.vegalite_to_svg(spec, vl_version=vl_version(spec), allowed_base_urls=[])
        except ValueError:
            pass  # remote data or a bad spec: the report step says so, with the cell
        return bundle, {}

    alt.renderers.register(REPORT_RENDERER, renderer)
    alt.renderers.enable(REPORT_RENDERER)


def vl_version(spec: Mapping[str, Any]) -> str | None:
    """The Vega-Lite version the spec was written for, when vl-convert has it (else its latest)."""
    import vl_convert as vlc

    found = re.search(r"/v(\d+)\.(\d+)", str(spec.get("$schema", "")))
    if found:
        version = f"{found.group(1)}.{found.group(2)}"
        if version in vlc.get_vegalite_versions():
            return version
    return None
