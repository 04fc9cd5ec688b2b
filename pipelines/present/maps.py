"""Regional figures as an Altair choropleth, when a boundary file is configured.

A map only draws what its boundary file can hold. Figures for regions the file lacks (Ménaka,
ML-9, and Taoudénit, ML-10, on OCHA's 2015 geography) are never added to the unit that
contains them today: that would give Gao a figure that is Ménaka's. They are listed on the
map instead, with the unit of the map that holds them, so the reader sees both the figure
and why it has no shape.

The geometry (simplified by `pipelines.ingest.boundaries`) and the figures are inlined in the spec,
so a report draws its map offline; the chart follows `pipelines.present.theme` (theme, locale, row
guard). Without boundaries, `choropleth` returns None and a report simply has no map.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import altair as alt
import polars as pl

from pipelines.analysis.indicators import rank_sources
from pipelines.core import geo
from pipelines.core.i18n import fmt_period, fmt_value, t
from pipelines.ingest.boundaries import Boundaries
from pipelines.present.theme import finish, hover, inline_data, source_columns

MAP_HEIGHT = 460
NO_DATA_FILL = "#E5E5E5"
BORDER = "#FFFFFF"


@dataclass(frozen=True)
class RegionFigure:
    """The figure a map shows for one region: the latest up to the map's date."""

    code: str
    name: str
    value: float
    period_start: date
    period_end: date
    source_id: str
    note: str


def regional_indicators(observations: pl.DataFrame, indicator_ids: Iterable[str]) -> list[str]:
    """Which of these indicators have at least one figure for a region (not the country)."""
    wanted = list(indicator_ids)
    found = set(observations.filter(pl.col("indicator_id").is_in(wanted) & ~geo.NATIONAL)["indicator_id"].to_list())
    return [i for i in wanted if i in found]


def latest_by_region(observations: pl.DataFrame, indicator_id: str, as_of: date | None = None) -> list[RegionFigure]:
    """Per region, the latest figure up to ``as_of``; where sources disagree on that date, the
    preferred one (`indicators.rank_sources`: primary first, then most figures, then id)."""
    rows = observations.filter((pl.col("indicator_id") == indicator_id) & ~geo.NATIONAL & pl.col("value").is_not_null())
    if as_of is not None:
        rows = rows.filter(pl.col("period_end") <= as_of)
    if rows.is_empty():
        return []
    order = {s: i for i, s in enumerate(rank_sources(rows))}
    chosen = (
        rows.with_columns(pl.col("source_id").replace_strict(order, return_dtype=pl.Int64).alias("_rank"))
        .sort(["geo_code", "period_end", "_rank"], descending=[False, True, False])
        .group_by("geo_code", maintain_order=True)
        .first()
    )
    return [
        RegionFigure(
            r["geo_code"],
            geo.name(r["geo_code"]),
            r["value"],
            r["period_start"],
            r["period_end"],
            r["source_id"],
            r["note"] or "",
        )
        for r in chosen.iter_rows(named=True)
    ]


@dataclass(frozen=True)
class NotDrawn:
    """A region with a figure but no shape on the map, and the unit that holds it (if known)."""

    figure: RegionFigure
    container: str | None

    def text(self, unit: str, lang: str) -> str:
        f = self.figure
        values = {
            "region": f.name,
            "code": f.code,
            "value": fmt_value(f.value, unit, lang),
            "date": fmt_period(f.period_start, f.period_end, lang),
        }
        if self.container is None:
            return t("map.not_drawn_nowhere", lang, **values)
        return t(
            "map.not_drawn",
            lang,
            container=geo.name(self.container, lang=lang),
            container_code=self.container,
            **values,
        )


def split(figures: Iterable[RegionFigure], boundaries: Boundaries) -> tuple[list[RegionFigure], list[NotDrawn]]:
    """Figures the map can draw, and those it cannot (with the unit holding them)."""
    drawn, missing = [], []
    for f in figures:
        if f.code in boundaries.units:
            drawn.append(f)
        else:
            missing.append(NotDrawn(f, boundaries.container(f.code)))
    return drawn, sorted(missing, key=lambda m: (m.figure.name, m.figure.code))


def caption(
    indicator: Mapping[str, Any], figures: list[RegionFigure], boundaries: Boundaries, lang: str, as_of: date | None
) -> list[str]:
    """The lines under the map's title: what is shown, the geography, and what is not drawn."""
    drawn, missing = split(figures, boundaries)
    geography = boundaries.config.label or boundaries.config.file.name
    if as_of is None:
        lines = [t("map.caption_latest", lang, geography=geography)]
    else:
        lines = [t("map.caption", lang, date=fmt_period(as_of, as_of, lang), geography=geography)]
    if len({(f.period_start, f.period_end) for f in drawn}) > 1:
        lines.append(t("map.dates_differ", lang))
    lines += [m.text(indicator["unit"], lang) for m in missing]
    return lines


def _unit_rows(
    figures: list[RegionFigure], boundaries: Boundaries, unit: str, lang: str, sources: pl.DataFrame | None
) -> list[dict[str, Any]]:
    """One row per unit of the map (sorted by code), with its figure or "no figure"."""
    by_code = {f.code: f for f in figures}
    titles = {
        r["source_id"]: r["source_label"] or r["source_id"] for r in source_columns(sources, lang).iter_rows(named=True)
    }
    rows = []
    for code in sorted(boundaries.units):
        f = by_code.get(code)
        lon, lat = boundaries.centroids[code]
        rows.append(
            {
                "key": boundaries.units[code],
                "code": code,
                "region": geo.name(code, lang=lang),
                "lon": lon,
                "lat": lat,
                "value": None if f is None else f.value,
                "value_label": t("map.no_figure", lang) if f is None else fmt_value(f.value, unit, lang),
                "date_label": "" if f is None else fmt_period(f.period_start, f.period_end, lang),
                "source": "" if f is None else titles.get(f.source_id, f.source_id),
                "label": "" if f is None else f"{geo.name(code, lang=lang)}\n{fmt_value(f.value, unit, lang)}",
            }
        )
    return rows


def choropleth(
    observations: pl.DataFrame,
    indicator: Mapping[str, Any],
    lang: str,
    boundaries: Boundaries | None,
    *,
    as_of: date | None = None,
    sources: pl.DataFrame | None = None,
) -> alt.LayerChart | None:
    """The latest regional figure of ``indicator`` per unit of the boundary file, shaded by
    value, labelled, with the regions the file cannot draw listed under the title.

    Returns None when no boundaries are configured or the indicator has no regional figure.
    ``observations`` has the columns of `schema.OBSERVATIONS`; ``indicator`` is a row of the
    indicators table.
    """
    if boundaries is None:
        return None
    figures = latest_by_region(observations, indicator["indicator_id"], as_of)
    if not figures:
        return None
    unit = indicator["unit"]
    drawn, _ = split(figures, boundaries)
    rows = _unit_rows(drawn, boundaries, unit, lang, sources)
    fields = ["code", "region", "value", "value_label", "date_label", "source"]
    shapes = alt.InlineData(values=boundaries.data, format=_format(boundaries))
    lookup = alt.LookupData(data=inline_data(rows), key="key", fields=fields)
    tips = hover(
        [
            ("region", t("region", lang)),
            ("value_label", t("value", lang)),
            ("date_label", t("date", lang)),
            ("source", t("source", lang)),
        ],
        lang,
    )
    projection = "mercator"
    base = (
        alt.Chart(shapes)
        .transform_lookup(lookup=f"properties.{boundaries.config.key}", from_=lookup)
        .mark_geoshape(fill=NO_DATA_FILL, stroke=BORDER, strokeWidth=1)
        .encode(**tips)
        .project(projection)
    )
    domain = [0, 100] if unit == "percent" else [0, max(f.value for f in figures) or 1]
    shaded = (
        alt.Chart(shapes)
        .transform_lookup(lookup=f"properties.{boundaries.config.key}", from_=lookup)
        .transform_filter("isValid(datum.value)")
        .mark_geoshape(stroke=BORDER, strokeWidth=1)
        .encode(
            color=alt.Color("value:Q", title=t(f"unit.{unit}", lang), scale=alt.Scale(scheme="blues", domain=domain)),
            **tips,
        )
        .project(projection)
    )
    labelled = alt.Chart(inline_data([r for r in rows if r["label"]]))
    text = {"longitude": "lon:Q", "latitude": "lat:Q", "text": "label:N"}
    layers = [
        base,
        shaded,
        labelled.mark_text(lineBreak="\n", fontWeight="bold", stroke="white", strokeWidth=3, strokeOpacity=0.9)
        .encode(**text)
        .project(projection),
        labelled.mark_text(lineBreak="\n", fontWeight="bold").encode(**text).project(projection),
    ]
    title = alt.TitleParams(
        text=indicator[f"name_{lang}"], subtitle=caption(indicator, figures, boundaries, lang, as_of)
    )
    return finish(alt.layer(*layers), lang, title, MAP_HEIGHT, shows=t("chart_shows.map", lang))


def _format(boundaries: Boundaries) -> alt.DataFormat:
    if boundaries.format == "topojson":
        return alt.TopoDataFormat(type="topojson", feature=boundaries.feature)
    return alt.JsonDataFormat(type="json", property="features")
