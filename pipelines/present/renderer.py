"""How a notebook displays its charts: `use_report_renderer`, called once at the top of a report
notebook, saves every Altair chart in the form `pipelines.render` reads (and JupyterLab shows).
"""

from __future__ import annotations

import base64
import html
import os
import re
from collections.abc import Mapping
from functools import cache
from types import ModuleType
from typing import Any

#: The MIME type a chart is saved under: Vega-Lite 6 as JSON (`pipelines.render.notebook` reads it).
SAVED_MIME = "application/vnd.vegalite.v6+json"

REPORT_RENDERER = "minusma-report"
#: "1" in the environment of the kernels ``pipelines run`` starts (`pipelines.run.worker`): what
#: only a person at the notebook needs is left out of its charts (`use_report_renderer`).
RUNNER_KERNEL = "MINUSMA_RUNNER_KERNEL"


def use_report_renderer() -> None:
    """Call once at the top of a notebook (after ``import altair``): every chart displayed
    afterwards is saved as ``application/vnd.vegalite.v6+json`` (what this renderer reads:
    deterministic, no script, no random id) plus a static SVG image with its text alternative
    (`preview_image`) so that JupyterLab, which has no Vega-Lite 6 viewer, and nbconvert show it too.

    Altair's default ("html") renderer embeds a random id and a script loading Vega from a CDN;
    its "mimetype" renderer writes a MIME type nbformat cannot save. Both are avoided here.

    In the kernels of ``pipelines run`` (`RUNNER_KERNEL`) two things for a person at the notebook
    are left out. The SVG preview: `render` never reads it (it draws every chart from its spec),
    and vl-convert's SVG took about a third of a report's time. And Altair's debug mode, which
    checks each part of a chart against the Vega-Lite schema as it is built (8% of a cold run:
    21.2 -> 19.5 s for the 46 reports, the same notebooks byte for byte): the chart is still
    checked whole when it is shown, and an invalid one leaves an error output there, which
    papermill makes the report's failure, naming the cell (tests/run/test_step.py). In
    JupyterLab debug mode stays on, so that the error points at the line that made the bad part.
    Everywhere, that whole-chart check is decided first by a validator compiled from the same
    schema (`pipelines.present.chartcheck`: a third of the reports' own compute before), Altair's
    check having the last word on any chart it does not find valid.
    """
    import altair as alt

    from pipelines.present import chartcheck

    chartcheck.install()
    preview = os.environ.get(RUNNER_KERNEL) != "1"
    if not preview:
        alt.utils.schemapi.disable_debug_mode()

    def renderer(spec: dict[str, Any], **metadata: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        bundle: dict[str, Any] = {SAVED_MIME: spec, "text/plain": "<Altair chart>"}
        if not preview:
            return bundle, {}
        try:
            svg = offline_vl_convert().vegalite_to_svg(spec, vl_version=vl_version(spec))
        except (ValueError, PermissionError):
            pass  # a bad spec (ValueError) or remote data (vl-convert 2's PermissionError): the report step says so
        else:
            bundle["text/html"] = preview_image(svg, alternative(spec))
        return bundle, {}

    alt.renderers.register(REPORT_RENDERER, renderer)
    alt.renderers.enable(REPORT_RENDERER)


def preview_image(svg: str, alt_text: str) -> str:
    """The SVG as an image with its text alternative: nbconvert and JupyterLab give an
    ``image/svg+xml`` output none (nbconvert warns of each), an ``<img>`` of HTML keeps its own."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img alt="{html.escape(alt_text)}" src="data:image/svg+xml;base64,{data}">'


def title_text(title: Any) -> str:
    """A chart title's text on one line, however the spec writes it (a string, lines, or
    ``{"text": ...}``)."""
    text = title.get("text") if isinstance(title, Mapping) else title
    return " ".join([text] if isinstance(text, str) else list(text or [])).strip()


def alternative(spec: Mapping[str, Any]) -> str:
    """A chart's text alternative, for a reader who cannot see it: its description (the title
    and what it shows, as `pipelines.present.theme.finish` writes it), else its title."""
    return spec.get("description") or title_text(spec.get("title"))


@cache
def offline_vl_convert() -> ModuleType:
    """vl-convert, told once in this process to fetch nothing: no data or image from a network
    or a file (``configure(allowed_base_urls=[])``: such a chart raises ``PermissionError``; Google
    Fonts stay off, vl-convert's default). Since vl-convert 2 that is a setting of
    the process rather than an argument of each call; every chart is drawn through this, so none
    can reach out while it is drawn, whoever draws it (a report's preview, `pipelines.render`).

    vl-convert 2 hands Vega-Lite's warnings (a scale's domains merged, an empty layer) to Python's
    ``logging`` as ``vl_convert``; with no handler anywhere, logging's last resort prints them
    into the cell's stderr, which a report must not have. A null handler on that logger stops
    only the last resort: an application that configures logging still gets them (1.9 wrote them
    to the process's own stderr, outside the notebook)."""
    import logging

    import vl_convert as vlc

    vlc.configure(allowed_base_urls=[])
    logging.getLogger("vl_convert").addHandler(logging.NullHandler())
    return vlc


def vl_version(spec: Mapping[str, Any]) -> str | None:
    """The Vega-Lite version the spec was written for, when vl-convert has it (else its latest)."""
    import vl_convert as vlc

    found = re.search(r"/v(\d+)\.(\d+)", str(spec.get("$schema", "")))
    if found:
        version = f"{found.group(1)}.{found.group(2)}"
        if version in vlc.get_vegalite_versions():
            return version
    return None
