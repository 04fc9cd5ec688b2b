"""What HTML from a notebook may keep on a page: nothing that runs code or reaches a network.

HTML from notebooks is our own code's, yet it still passes here: scripts, frames,
``<link>``/``<base>``/``<meta>``, event handlers and remote resource loads are dropped and a
``javascript:`` (or any non-http/mailto) link loses its href, but a link's own
``data:text/csv`` download stays. A module of its own because it is the one gate between what a
notebook printed and what a reader's browser runs: HTML and SVG outputs and rendered markdown
(`pipelines.render.notebook`) all go through it, and it is read and tested as one piece.

The parsing, the allow-lists and the serialisation are nh3's (Python's binding of the Rust crate
ammonia, which parses as a browser does with html5ever): a tag or an attribute not named below is
dropped (a tag's text stays, but not that of the tags in ``_DROP_WITH_CONTENT``). Two rules are
ours, applied to what ammonia kept: which links and images may stay (`_attribute`), and the CSS of
``<style>`` elements and ``style`` attributes losing what loads from elsewhere (``@import``,
``url()``, ``expression()``).
"""

from __future__ import annotations

import re

import nh3

_DROP_WITH_CONTENT = frozenset(
    {"script", "iframe", "object", "embed", "frame", "frameset", "applet", "noembed", "template", "noscript"}
)
#: What a page may show: HTML's text and tables (ammonia's own list), styles, and inline SVG
#: (its element names as HTML parses them, camel case included).
_SVG = frozenset(
    {
        "svg",
        "title",
        "g",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "textPath",
        "desc",
        "defs",
        "symbol",
        "use",
        "image",
        "marker",
        "pattern",
        "mask",
        "clipPath",
        "linearGradient",
        "radialGradient",
        "stop",
        "filter",
        "feImage",
        "feGaussianBlur",
        "feOffset",
        "feBlend",
        "feFlood",
        "feComposite",
        "feMerge",
        "feMergeNode",
        "foreignObject",
    }
)
_TAGS = (
    frozenset(nh3.ALLOWED_TAGS)
    | {"style", "tfoot", "section", "main", "label", "meter", "progress", "output", "legend", "fieldset"}
    | _SVG
)
_GENERIC = frozenset(
    {"class", "id", "title", "lang", "dir", "role", "style", "hidden", "tabindex", "width", "height", "align", "valign"}
)
_SVG_ATTRIBUTES = frozenset(
    {
        "xmlns",
        "xmlns:xlink",
        "version",
        "viewBox",
        "preserveAspectRatio",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "dx",
        "dy",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "d",
        "points",
        "transform",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "opacity",
        "font-family",
        "font-size",
        "font-style",
        "font-weight",
        "text-anchor",
        "dominant-baseline",
        "alignment-baseline",
        "baseline-shift",
        "letter-spacing",
        "text-decoration",
        "clip-path",
        "clip-rule",
        "clipPathUnits",
        "mask",
        "marker-start",
        "marker-mid",
        "marker-end",
        "markerWidth",
        "markerHeight",
        "refX",
        "refY",
        "orient",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientUnits",
        "gradientTransform",
        "patternUnits",
        "patternTransform",
        "pointer-events",
        "shape-rendering",
        "paint-order",
        "vector-effect",
        "visibility",
        "display",
        "href",
        "xlink:href",
        "stdDeviation",
        "in",
        "in2",
        "result",
        "mode",
        "operator",
        "flood-color",
        "flood-opacity",
        "filter",
        "textLength",
        "lengthAdjust",
        "startOffset",
    }
)
_ATTRIBUTES = {
    "*": _GENERIC,
    "a": {"href", "hreflang", "download", "rel", "target", "type", "name"},
    "table": {"border", "cellpadding", "cellspacing", "frame", "rules", "summary"},
    "img": {"src", "alt", "loading", "decoding"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "data": {"value"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "details": {"open"},
    "meter": {"value", "min", "max", "low", "high", "optimum"},
    "progress": {"value", "max"},
    "style": {"media", "type", "scoped"},
    "abbr": {"title"},
    "label": {"for"},
    "output": {"for"},
    **{tag: _SVG_ATTRIBUTES for tag in _SVG},
}
#: Links that may keep their target; the links of SVG's ``<use>`` and the like load what they
#: name, so only a reference into the page (``#...``) stays there.
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_HREF_LOADS = frozenset({"use", "image", "feImage"})
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*", re.I)
#: A CSV carried by the page itself (the history and the changes a report shows, to download
#: offline): text a spreadsheet opens, never a document a browser runs.
_DATA_CSV = re.compile(r"data:text/csv;charset=utf-8;base64,[a-z0-9+/=]*", re.I)
_CSS_REMOTE = re.compile(r"@import[^;]*;?|url\s*\([^)]*\)|expression\s*\(", re.I)
#: A ``<style>`` element of ammonia's output: html5ever writes its text as is (raw text ends
#: only at ``</style``), so the element is found again exactly.
_STYLE_ELEMENT = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.S | re.I)


def _scheme(url: str) -> str | None:
    compact = re.sub(r"[\x00-\x20\x7f]+", "", url).lower()
    found = re.match(r"([a-z][a-z0-9+.\-]*):", compact)
    return found.group(1) if found else None


def _attribute(tag: str, name: str, value: str) -> str | None:
    """An attribute ammonia kept, or None to drop it: inline images only, harmless links only,
    no CSS that loads from elsewhere."""
    if name == "style":
        return None if _CSS_REMOTE.search(value) else value
    if name == "src":
        return value if tag == "img" and _DATA_IMAGE.fullmatch(value) else None
    if name in ("href", "xlink:href"):
        if tag in _HREF_LOADS:
            return value if value.startswith("#") else None
        if _scheme(value) in _LINK_SCHEMES | {None} or (tag == "a" and _DATA_CSV.fullmatch(value)):
            return value
        return None  # javascript:, data:, vbscript: ... links lose their target
    return value


def _style(found: re.Match[str]) -> str:
    return found.group(1) + _CSS_REMOTE.sub("none", found.group(2)).replace("</", "<\\/") + found.group(3)


def sanitise(fragment: str) -> str:
    """An HTML fragment with scripts, frames, event handlers, remote loads and non-http(s)
    links removed; everything else (tables, styles, inline SVG) kept."""
    clean = nh3.clean(
        fragment,
        tags=set(_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
        attribute_filter=_attribute,
        strip_comments=True,
        link_rel=None,
        generic_attribute_prefixes={"aria-", "data-"},
        url_schemes=set(_LINK_SCHEMES | {"data"}),
    )
    # html5ever writes a no-break space as an entity; the page is UTF-8 and carried it as it is
    return _STYLE_ELEMENT.sub(_style, clean).replace("&nbsp;", "\u00a0")
