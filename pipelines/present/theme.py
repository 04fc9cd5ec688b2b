"""The one look of every chart of the reports: sizes, the colour-blind-safe palette and the
colours of each status, the "minusma" theme, and `finish`, which every builder calls last.

Apart from the chart builders (`charts`, `maps`, and the charts of the reports' own folders,
`pipelines/reports/`) because they all share it: a chart's width, title, theme, locale and row limit are set
in one place, so every spec embeds the same config and the language's d3 locale, whichever
Altair theme happens to be enabled, and a rerun renders the same bytes (DESIGN §6).

Builders give every encoding as a channel object (``alt.Text("label:N")``, ``alt.YValue(30)``),
never as a shorthand string or ``alt.value``: Altair turns those into their channel by hashing
every class of its schema first, about 3 ms each time, which was half of a trend chart's build.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from datetime import date
from typing import Any

import altair as alt
import polars as pl

from pipelines.analysis.progress import KeyDate
from pipelines.core import statuses
from pipelines.core.i18n import t, vega_locale
from pipelines.present.renderer import title_text

#: Total width of every chart, axes and legend included: fits an A4 page with margins.
CHART_WIDTH = 640
#: Characters a chart title's line holds at 15 px bold within CHART_WIDTH (~8.5 px a character).
TITLE_CHARS = 70
#: The same for a subtitle, in smaller type: a line wider than the chart would shrink its plot.
SUBTITLE_CHARS = 95
#: Size of axis and legend labels, and the widths past which they are cut with "…" (a legend's
#: label runs up to the chart's edge less its symbol: an SVG clips what runs past its edge).
LABEL_FONT_SIZE = 12
AXIS_LABEL_LIMIT = 220
LEGEND_LABEL_LIMIT = CHART_WIDTH - 120
#: Most data rows a chart embeds, all layers together (Altair's own guard is 5,000).
MAX_ROWS = 5000

#: Okabe & Ito's colour-blind-safe palette, ordered so that the first colours read well on
#: white paper (yellow, the faintest, comes last).
OKABE_ITO: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
INK = "#222222"
GRID = "#E5E5E5"
MUTED = "#666666"

#: One colour per status, from the vocabulary (`pipelines.core.statuses`), the badges' own.
STATUS_COLOURS: dict[str, str] = {s.id: s.colour for s in statuses.VOCABULARY}
#: Milestone statuses: grey to blue to green along the scale, reversed in vermillion; shapes
#: repeat the distinction for black-and-white print.
MILESTONE_COLOURS: dict[str, str] = {
    "not_initiated": "#999999",
    "minimal": "#56B4E9",
    "intermediate": "#0072B2",
    "full": "#009E73",
    "reversed": "#D55E00",
}
MILESTONE_SHAPES: dict[str, str] = {
    "not_initiated": "circle",
    "minimal": "circle",
    "intermediate": "square",
    "full": "diamond",
    "reversed": "cross",
}


def theme_config() -> alt.theme.ThemeConfig:
    """The "minusma" theme: dark text on white, a light grid, fonts of 12 px and more,
    legends below the plot so that a chart keeps its width on an A4 page; no text alternative
    made from field names (``aria: false``, see `hover`)."""
    return {
        "config": {
            "background": "white",
            # Vega-Lite's own text alternatives read "value: 23.5; date: Jun 30, 2023" from the raw
            # fields (English names, unformatted numbers): a mark says only what `hover` gives it
            "aria": False,
            # Liberation Sans first: it has Arial's widths, and vl-convert 2 measures text with the
            # first family only (a missing Arial made it measure with its fallback, wider); a
            # reader without it gets Arial, the same layout.
            "font": "'Liberation Sans', Arial, Helvetica, sans-serif",
            "view": {"continuousWidth": CHART_WIDTH - 80, "continuousHeight": 300, "stroke": None},
            "title": {
                "fontSize": 15,
                "color": INK,
                "anchor": "start",
                "subtitleFontSize": 12,
                "subtitleColor": MUTED,
                "offset": 12,
            },
            # an x label within 30 px (half a "2026") of an end is aligned inside the plot, not past the edge
            "axisX": {"labelFlush": 30},
            # numbers and dates are short: no limit to measure them against (`labels`)
            "axisQuantitative": {"labelLimit": 0},
            "axisTemporal": {"labelLimit": 0},
            "axis": {
                "labelFontSize": LABEL_FONT_SIZE,
                "titleFontSize": 12,
                "labelColor": INK,
                "titleColor": INK,
                "titleFontWeight": "normal",
                "gridColor": GRID,
                "domainColor": MUTED,
                "tickColor": MUTED,
                "labelLimit": AXIS_LABEL_LIMIT,
            },
            "legend": {
                "orient": "bottom",
                "labelFontSize": LABEL_FONT_SIZE,
                "titleFontSize": 12,
                "labelColor": INK,
                "titleColor": INK,
                "titleFontWeight": "normal",
                "columns": 1,
                "labelLimit": LEGEND_LABEL_LIMIT,
            },  # one source a line
            "text": {"fontSize": 12, "color": INK},
            "mark": {"color": OKABE_ITO[0]},
            "line": {"strokeWidth": 2},
            "point": {"size": 60, "filled": True},
            "rule": {"color": INK},
            "range": {"category": list(OKABE_ITO)},
        }
    }


@alt.theme.register("minusma", enable=False)
def _minusma_theme() -> alt.theme.ThemeConfig:
    return theme_config()


def use_theme() -> None:
    """Enable the "minusma" theme for charts an analyst builds by hand in a notebook (the
    builders here embed it anyway)."""
    alt.theme.enable("minusma")


def hover(fields: Sequence[tuple[str, str]], lang: str) -> dict[str, Any]:
    """A mark's tooltip and its text alternative (``description``), from one list of fields
    already written for a reader (``date_label``, ``value_label``), each with its name in the
    page's language: ``.encode(x=x, y=y, **hover([("date_label", t("date", lang))], lang))``.

    The description is what a static page shows when the pointer rests on a mark (the SVG's
    ``<title>``, `pipelines.render.drawing.inline_svg`): the same titles as the tooltip, in the
    page's language and typography ("date : 2020 ; valeur : 27,9 %"), empty fields left out.
    A screen reader does not go into the marks: the figure is one image whose label is the
    chart's title and what it shows (`finish`), because Vega names its groups, axes and legends
    in English ("symbol mark container", "X-axis for a utc scale") whatever the spec says."""
    sep = t("inline.separator", lang)
    parts = [
        f"(datum[{json.dumps(field)}] ? "
        f"{json.dumps(sep + t('inline.field', lang, name=title), ensure_ascii=False)} + datum[{json.dumps(field)}]"
        f' : "")'
        for field, title in fields
    ]
    return {
        "tooltip": [alt.Tooltip(f"{field}:N", title=title) for field, title in fields],
        "description": alt.Description(value=alt.ExprRef(f"slice({' + '.join(parts)}, {len(sep)})")),
    }


def inline_data(rows: list[dict[str, Any]]) -> alt.InlineData:
    """Rows as inline values; Altair moves them to top-level ``datasets`` under a name that
    hashes their content, so identical layers share one copy and names are stable."""
    return alt.InlineData(values=rows)


def finish(
    chart: alt.LayerChart | alt.FacetChart,
    lang: str,
    title: str | alt.TitleParams | None,
    height: int | dict[str, int],
    *,
    shows: str,
) -> alt.LayerChart:
    """Size, title, theme and locale, the row limit, and the text alternative (the title and
    `shows`, what the chart shows, as the spec's ``description``: the page's SVG and the
    notebook's image carry it for a reader who cannot see the chart), common to every builder,
    set on `chart` itself, a layer the builder has just made: Altair's ``properties`` and
    ``configure`` would each rebuild the layer chart to copy it, 7 ms a chart."""
    if not isinstance(chart, alt.LayerChart):  # alt.layer facets layers that share a facet channel
        raise TypeError(f"finish takes a chart of layers without a facet channel, not {type(chart).__name__}")
    # Layers built on one base share its rows (and Altair embeds them once): count them once.
    # alt.layer lifts data that all layers share to the parent, so look there too.
    holders = [chart, *chart.layer]
    embedded = sum(
        {id(h.data.values): len(h.data.values) for h in holders if isinstance(h.data, alt.InlineData)}.values()
    )
    if embedded > MAX_ROWS:
        raise ValueError(f"a chart would embed {embedded} rows (limit {MAX_ROWS}): filter or aggregate first")
    properties: dict[str, Any] = {
        "width": CHART_WIDTH,
        "height": height,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "description": " — ".join(
            part
            for part in (title_text(title.to_dict() if isinstance(title, alt.TitleParams) else title), shows)
            if part
        ),
    }
    if isinstance(title, str) and title:
        # long names wrap (an SVG clips a line that runs past its edge)
        properties["title"] = alt.TitleParams(textwrap.wrap(title, TITLE_CHARS))
    elif title:
        properties["title"] = title
    for key, value in properties.items():
        setattr(chart, key, value)
    chart.config = alt.Config(**theme_config()["config"])
    chart.config.locale = vega_locale(lang)
    return chart


def utc_x(field: str, title: str | None, **axis: Any) -> alt.X:
    """A time x axis read in UTC, so an ISO date shows as that day in every reader's time zone."""
    return alt.X(f"{field}:T", title=title, scale=alt.Scale(type="utc"), axis=alt.Axis(**axis))


#: A key date closer to the chart's left edge than this share of its time span has its label on
#: the right of its rule: on the left it would be drawn over the y axis's numbers and title.
KEY_DATE_LEFT_EDGE = 0.06


def key_date_layers(key_dates: Sequence[KeyDate], lang: str, *, span: Sequence[date] = ()) -> list[alt.Chart]:
    """Dotted vertical rules at the key dates, labelled in the language along the rule.

    A label reads upwards on the left of its rule, except near the chart's left edge (`span`:
    the other dates the time axis shows, or its domain), where it goes on the right of the rule."""
    ordered = sorted(key_dates, key=lambda k: k.day)
    if not ordered:
        return []
    days = [*span, *(k.day for k in ordered)]
    first, last = min(days), max(days)
    reach = max((last - first).days, 1)

    def at_left_edge(day: date) -> bool:
        return (day - first).days < KEY_DATE_LEFT_EDGE * reach

    def rows(keys: Sequence[KeyDate]) -> list[dict[str, str]]:
        return [{"date": k.day.isoformat(), "label": k.label(lang)} for k in keys]

    layers: list[alt.Chart] = [
        alt.Chart(inline_data(rows(ordered)))
        .mark_rule(strokeDash=[2, 3], color=MUTED)
        .encode(x=utc_x("date", None), description=alt.Description("label:N"))
    ]
    for right in (False, True):
        keys = [k for k in ordered if at_left_edge(k.day) == right]
        if keys:
            layers.append(
                alt.Chart(inline_data(rows(keys)))
                .mark_text(
                    angle=270,
                    align="left",
                    baseline="top" if right else "bottom",
                    dx=4,
                    dy=3 if right else -3,
                    color=MUTED,
                )
                .encode(x=utc_x("date", None), y=alt.YValue("height"), text=alt.Text("label:N"))
            )
    return layers


def source_columns(sources: pl.DataFrame | None, lang: str | None = None) -> pl.DataFrame:
    """source_id -> title, symbol and the label a reader recognises (`citations.source_labels`:
    publisher, short title, year), which charts show in their legends and tooltips, never an id."""
    from pipelines.present.citations import source_labels

    if sources is None:
        return pl.DataFrame(
            schema={
                "source_id": pl.String,
                "source_title": pl.String,
                "source_symbol": pl.String,
                "source_label": pl.String,
            }
        )
    labels = source_labels(sources, lang)
    # the tooltip's whole title, with its publisher (the legend's label is cut short)
    whole = (
        pl.when(pl.col("publisher").fill_null("") != "")
        .then(pl.concat_str(pl.col("publisher"), pl.lit(" — "), pl.col("title")))
        .otherwise(pl.col("title"))
    )
    return (
        sources.select("source_id", source_title=whole, source_symbol=pl.col("symbol"))
        .unique("source_id", keep="first", maintain_order=True)
        .with_columns(
            source_label=pl.col("source_id").replace_strict(labels, default=pl.col("source_id"), return_dtype=pl.String)
        )
    )
