"""Small HTML pieces for the reports, escaped by construction.

Text in the data comes from many hands (notes, titles, source names). Everything that goes
into a report passes through `escape`, and only http(s) addresses become links: a
``javascript:`` or ``data:`` URL in a sources file is shown as plain text, never made
clickable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape as _escape
from typing import Any
from urllib.parse import urlsplit


class Html(str):
    """A string that is already safe HTML (built here); everything else gets escaped.

    Jupyter shows it as HTML (its rich display), so a notebook cell can end with ``panels.headline(view)`` or
    ``display(panels.sources(...))`` with no ``IPython.display.HTML`` around it."""

    def _repr_html_(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # the plain-text form is a label, not the markup again: an executed notebook keeps one copy
        printer.text(f"<Html, {len(self):,} characters>")


def escape(value: object) -> Html:
    """Escape any value for HTML text or attribute; `Html` passes through unchanged."""
    if isinstance(value, Html):
        return value
    return Html(_escape("" if value is None else str(value), quote=True))


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) address with a host, else None."""
    if not url:
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ch in text for ch in "\"'<> \t\n\r"):
        return None
    return text


def link(label: object, url: str | None) -> Html:
    """A link when the URL is safe; otherwise the label alone, escaped."""
    target = safe_url(url)
    if target is None:
        return escape(label)
    return Html(f'<a href="{escape(target)}" rel="noopener noreferrer">{escape(label)}</a>')


def table(headers: Sequence[object], rows: Iterable[Sequence[object]], *, css: str = "data") -> Html:
    """A plain table; cells that are `Html` are kept, others escaped."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return Html(f'<table class="{escape(css)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def tag(name: str, content: object, *, css: str | None = None) -> Html:
    """One element with escaped content and an optional class."""
    cls = f' class="{escape(css)}"' if css else ""
    return Html(f"<{name}{cls}>{escape(content)}</{name}>")


def folded(summary: str, *body: object, css: str = "mr-how") -> Html:
    """What a reader opens with a click (`<details>`): the rule's arithmetic behind a plain
    sentence. Printed open on paper (the site's print style)."""
    return Html(f'<details class="{escape(css)}"><summary>{escape(summary)}</summary>{join(body)}</details>')


def join(parts: Iterable[object], sep: str = "") -> Html:
    """Concatenate pieces, escaping those that are not already `Html`."""
    return Html(sep.join(escape(p) for p in parts))
