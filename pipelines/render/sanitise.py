"""What HTML from a notebook may keep on a page: nothing that runs code or reaches a network.

HTML from notebooks is our own code's, yet it still passes here: scripts, frames,
``<link>``/``<base>``/``<meta>``, event handlers and remote resource loads are dropped and a
``javascript:`` (or any non-http/mailto) link loses its href, but a link's own
``data:text/csv`` download stays. A module of its own because it is the one gate between what a
notebook printed and what a reader's browser runs: HTML and SVG outputs and rendered markdown
(`pipelines.render.notebook`) all go through it, and it is read and tested as one piece.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

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
