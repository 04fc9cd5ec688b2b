"""The panels of notebooks/poverty_wash.ipynb: which indicators a poverty/WASH report shows
(`indicator_set`), the geography it covers, the latest figure of each series, its trends with
their releases named, and the figures its sidecar carries.

Apart from `panels` because they answer one report's questions (its groups, its scope), not
a benchmark's.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

from pipelines.analysis.indicators import assess
from pipelines.core import geo
from pipelines.core.errors import UsageError
from pipelines.core.frames import max_date, min_date
from pipelines.core.i18n import fmt_period, fmt_value, t
from pipelines.present.citations import source_labels, source_name
from pipelines.present.markup import Html, table
from pipelines.present.theme import SUBTITLE_CHARS
from pipelines.reports.poverty_wash.groups import GROUPS

if TYPE_CHECKING:
    from pipelines.analysis.progress import KeyDate

#: The report's id: its roles (`pipelines/reports/poverty_wash/report.yaml`) are bound to a
#: roadmap's indicators in that roadmap's file.
REPORT = "poverty-wash"

#: ``indicator_set`` -> which (group, indicator) pairs it keeps, given the roadmap's roles.
#: "wash" keeps the ``denominator`` role, the population JMP's counts of people without a
#: service are shares of; "rural" the ``rural`` role.
INDICATOR_SETS: dict[str, Callable[[str, str, Mapping[str, Sequence[str]]], bool]] = {
    "all": lambda group, iid, roles: True,
    "poverty": lambda group, iid, roles: group.startswith("poverty_"),
    "wash": lambda group, iid, roles: group in ("water", "sanitation") or iid in roles.get("denominator", ()),
    "rural": lambda group, iid, roles: iid in roles.get("rural", ()),
}


def indicator_groups(indicator_set: str, roles: Mapping[str, Sequence[str]]) -> list[tuple[str, list[str]]]:
    """The groups and indicators of a poverty/WASH report, in display order, from the roles
    the roadmap's file binds."""

    keep = INDICATOR_SETS.get(indicator_set)
    if keep is None:
        raise UsageError(f"unknown indicator_set {indicator_set!r}: use {', '.join(INDICATOR_SETS)}")
    groups = [(g, [i for i in roles.get(g, ()) if keep(g, i, roles)]) for g in GROUPS]
    return [(g, ids) for g, ids in groups if ids]


def region_code(region: str, country: str) -> str:
    """The geo code a report covers: the country for "", else the region as ISO 3166-2."""

    if not region.strip():
        return country
    try:
        return geo.geography(country).to_iso(region)
    except geo.UnknownRegion as exc:
        raise UsageError(f"region: {exc}") from None


def scope_name(code: str, lang: str) -> str:
    return t("pw.scope_national", lang) if geo.is_national(code) else f"{geo.name(code, lang=lang)} ({code})"


def vintage_sources(sources: pl.DataFrame) -> pl.DataFrame:
    """Sources as a trend chart's legend should name them: by their short title and year
    (`citations.source_labels`; the publisher, the same for every release of a series, is in the
    chart's subtitle), never a symbol, so that two releases of one series read apart by their
    titles and years (or, when even those are alike, by their ids)."""
    return sources.with_columns(symbol=pl.lit(None, dtype=pl.String), publisher=pl.lit(None, dtype=pl.String))


def _span(frame: pl.DataFrame, lang: str) -> str:
    first, last = min_date(frame["period_start"]), max_date(frame["period_end"])
    if first is None or last is None:  # a series holds at least one figure, each with its period
        raise ValueError("a series with no period has no span")
    if frame.height == 1:
        return t("pw.span_one", lang, first=fmt_period(first, last, lang))
    return t("pw.span", lang, first=first.year, last=last.year, count=frame.height)


def series_table(
    observations: pl.DataFrame,
    indicators: pl.DataFrame,
    indicator_ids: Sequence[str],
    lang: str,
    sources: pl.DataFrame | None = None,
) -> Html:
    """The latest figure of each (indicator, source) series in ``observations`` (already cut to
    one geo code and the report's date), with the span of the series and its source named as a
    reader recognises it (`citations.source_name`)."""
    rows = []
    for iid in indicator_ids:
        own = observations.filter(pl.col("indicator_id") == iid)
        if own.is_empty():
            continue
        ind = indicators.filter(pl.col("indicator_id") == iid).row(0, named=True)
        for source in sorted(set(own["source_id"].to_list())):
            series = own.filter(pl.col("source_id") == source).sort(["period_end", "period_start"])
            last = series.row(-1, named=True)
            rows.append(
                [
                    ind[f"name_{lang}"],
                    fmt_value(last["value"], ind["unit"], lang),
                    fmt_period(last["period_start"], last["period_end"], lang),
                    _span(series, lang),
                    source_name(sources, source, lang),
                    t(f"confidence.{last['confidence']}", lang),
                    last["note"] or "",
                ]
            )
    return table(
        [
            t("indicator", lang),
            t("latest", lang),
            t("date", lang),
            t("pw.col.series", lang),
            t("source", lang),
            t("confidence", lang),
            t("note", lang),
        ],
        rows,
    )


def trend_with_sources(
    series: pl.DataFrame, indicator: dict[str, Any], lang: str, sources: pl.DataFrame, key_dates: Sequence[KeyDate] = ()
) -> Any:
    """`charts.trend_chart` with its sources named under the title: a chart drawn from one
    source has no legend, and the reader must still see which release (vintage) it shows."""
    import altair as alt

    from pipelines.present import charts

    chart = charts.trend_chart(series, indicator, lang, vintage_sources(sources), key_dates)
    labels = source_labels(sources, lang)
    used = "; ".join(sorted(labels.get(s, s) for s in set(series["source_id"].to_list())))
    # wrapped to the chart's width: a subtitle wider than the chart would shrink its plot to nothing
    subtitle = textwrap.wrap(t("pw.chart_sources", lang, sources=used), SUBTITLE_CHARS)
    return chart.properties(title=alt.TitleParams(indicator[f"name_{lang}"], subtitle=subtitle))


def latest_headline(
    indicators: pl.DataFrame,
    observations: pl.DataFrame,
    indicator_ids: Sequence[str],
    as_of: date,
    lang: str,
    headline: Sequence[str],
) -> list[dict[str, str]]:
    """The national series assessed for each headline indicator (the ``headline`` role, those of
    them the report shows; `indicators.assess`: one value per date, the preferred source first)
    and its latest figure, formatted; no target is set."""

    out = []
    for iid in (i for i in headline if i in indicator_ids):
        view = assess(indicators.filter(pl.col("indicator_id") == iid).row(0, named=True), observations, as_of)
        if view.assessment.latest is not None:
            out.append(
                {
                    "indicator_id": iid,
                    "label": view.indicator[f"name_{lang}"],
                    "value": view.latest_text(lang),
                    "target": "—",
                }
            )
    return out
