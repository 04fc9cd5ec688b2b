"""Axis and legend labels cut to their limit by the chart, so that the drawer never measures
them against a limit.

A label wider than its axis' or legend's ``labelLimit`` is cut by Vega with "…". Vega finds the
cut by a binary search, measuring the label's prefixes, and measures every label against its
limit again each time it lays out or draws it. In vl-convert each measure is a call into its
Rust text layout (1-2 ms), so a cut label costs about 20-30 ms. Drawing the 214 charts of the
shipped reports took 13.4 s (one process, best of three each): their 175 cut labels (source
titles in trend legends, roadmap claims and milestone names on y axes) cost 3.2 s of it, and
measuring the other labels against their limits 2.3 s.

So a builder that knows its labels gives its axis or legend a ``labelExpr`` that shows each
label too wide for the limit as its cut (`fitted`), and no limit left to measure against
(``labelLimit: 0``): each label is then measured once, for the layout. The cut is found from the
advance widths of Liberation Sans, the theme's first font, which vl-convert measures with (and
of Arial, metric-compatible with it, where a reader lacks it). The table counts no kerning, which only
ever narrows a text, so a cut label fits its limit; it is Vega's own cut or a character
shorter. The values themselves are not cut: two labels with the same first words stay two rows
or two colours, and tooltips keep the whole text. (Drawn with a wider font than Arial, a label
could run a little past its limit: a legend has `theme.LEGEND_LABEL_LIMIT`'s margin to the
chart's edge, an axis narrows its plot.)
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from typing import Any

import altair as alt

from pipelines.present.theme import AXIS_LABEL_LIMIT, LABEL_FONT_SIZE, LEGEND_LABEL_LIMIT

#: Advance widths of Arial Regular in 1/2048 of the font size, the characters grouped by width
#: (read from the hmtx table of Liberation Sans 2, whose widths are Arial's). An accented letter
#: has its base letter's width, unless listed; a character not listed counts as 1 em, since the
#: fallback font that draws it is unknown. U+202F and U+2009, absent from both fonts, take
#: DejaVu Sans' width, the widest fallback here.
_WIDTHS: dict[int, str] = {
    391: "'",
    409: "\u202f\u2009",
    455: "ijl’‘",
    532: "|¦",
    569: " !,./:;I[\\]ft\u00a0·ìíîï",
    682: "()-`r¡¨²³´¸¹“”\u00ad‑",
    684: "{}",
    717: "•",
    727: '"',
    748: "º",
    758: "ª",
    797: "*",
    819: "°",
    961: "^",
    1024: "Jcksvxyz",
    1100: "¶",
    1124: "±÷≥≤≈",
    1131: "¯",
    1139: "#$0123456789?L_abdeghnopqu¢£¤¥§«»ðþ–€",
    1180: "µ",
    1196: "+<=>~¬×−",
    1251: "FTZ¿ßø",
    1366: "&ABEKPSVXYÞ",
    1479: "CDHNRUwÐ",
    1509: "©®",
    1593: "GOQØ",
    1706: "Mm",
    1708: "¼½¾",
    1821: "%æ",
    1933: "Wœ",
    2048: "Æ—…‰→←Œ",
    2079: "@",
}
_WIDTH_OF: dict[str, int] = {char: width for width, chars in _WIDTHS.items() for char in chars}
_EM = 2048
ELLIPSIS = "…"  # what Vega appends to a cut label


def _char_width(char: str) -> int:
    width = _WIDTH_OF.get(char)
    if width is None:
        base = unicodedata.normalize("NFD", char)[0]
        width = _WIDTH_OF.get(base, _EM) if base != char else _EM
    return width


def text_width(text: str, size: float = LABEL_FONT_SIZE) -> float:
    """The width of `text` in pixels at `size` in Arial, kerning left out (so never less than drawn)."""
    return sum(_char_width(char) for char in text) * size / _EM


def fitted(text: str, limit: float, size: float = LABEL_FONT_SIZE) -> str:
    """`text` as a label within `limit` pixels shows it: whole when it fits, else its longest
    start that fits with "…" after it, as Vega cuts (a start of characters, spaces kept)."""
    if text_width(text, size) < limit:
        return text
    room = limit * _EM / size - _char_width(ELLIPSIS)
    used, end = 0, 0
    for char in text:
        used += _char_width(char)
        if used >= room:
            break
        end += 1
    return text[:end] + ELLIPSIS


def label_expr(labels: Iterable[str], limit: float, size: float = LABEL_FONT_SIZE) -> str | None:
    """A Vega ``labelExpr`` showing each of `labels` too wide for `limit` as its cut, every other
    label as it is; None when every label fits. A lookup by position (``indexof``) in two
    arrays written as JSON, which is valid in a Vega expression whatever a label holds."""
    cut = {label: fitted(label, limit, size) for label in dict.fromkeys(labels)}
    cut = {label: short for label, short in cut.items() if short != label}
    if not cut:
        return None
    keys, shown = (json.dumps(list(values), ensure_ascii=False) for values in (cut, cut.values()))
    return f"indexof({keys}, datum.label) < 0 ? datum.label : {shown}[indexof({keys}, datum.label)]"


def fitted_axis(labels: Iterable[str], limit: float = AXIS_LABEL_LIMIT, **properties: Any) -> alt.Axis:
    """An axis of these nominal labels, cut to `limit` pixels here: the drawer has no limit to
    measure them against (every label the axis can show must be among `labels`)."""
    expr: dict[str, Any] = {"labelExpr": label_expr(labels, limit)}
    return alt.Axis(labelLimit=0, **(expr if expr["labelExpr"] else {}), **properties)


def fitted_legend(labels: Iterable[str], limit: float = LEGEND_LABEL_LIMIT, **properties: Any) -> alt.Legend:
    """A legend of these labels, cut to `limit` pixels here: the drawer has no limit to measure
    them against (every label the legend can show must be among `labels`)."""
    expr: dict[str, Any] = {"labelExpr": label_expr(labels, limit)}
    return alt.Legend(labelLimit=0, **(expr if expr["labelExpr"] else {}), **properties)
