"""Long labels cut by the chart itself: the drawing shows what Vega would, and never merges two
rows or colours whose labels start alike."""

from __future__ import annotations

import html
import re
from datetime import date

import altair as alt
import polars as pl
import vl_convert as vlc

from pipelines.core import schema
from pipelines.present import charts, theme
from pipelines.present.labels import ELLIPSIS, fitted, fitted_axis, label_expr, text_width

LONG = (
    "Security Council Adopts Sweeping Resolution 2717 (2023) Outlining Peacekeepers’ Gradual, Responsible, "
    "Sustainable Withdrawal from Democratic Republic of Congo (SC/15538, 9512th meeting)"
)
TWIN = LONG.replace("9512th meeting", "second text of the same start")


def _texts(svg: str) -> list[str]:
    return [html.unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def _bars(labels: list[str], axis: alt.Axis | None = None) -> str:
    rows = [{"label": label, "value": n + 1} for n, label in enumerate(labels)]
    y = alt.Y(
        "label:N",
        title=None,
        sort=labels,
        scale=alt.Scale(domain=labels),
        axis=alt.Undefined if axis is None else axis,
    )
    chart = alt.Chart(alt.InlineData(values=rows)).mark_bar().encode(x=alt.X("value:Q", title=None), y=y)
    return vlc.vegalite_to_svg(chart.configure(**theme.theme_config()["config"]).to_dict())


def test_a_label_that_fits_is_left_whole_and_needs_no_expression() -> None:
    assert fitted("Benchmark A", 220) == "Benchmark A"
    assert label_expr(["Benchmark A", "Elections"], 220) is None
    assert "labelExpr" not in fitted_axis(["Benchmark A"]).to_dict()


def test_a_long_label_is_cut_to_fit_its_limit_with_an_ellipsis() -> None:
    cut = fitted(LONG, 220)
    assert cut.endswith(ELLIPSIS) and LONG.startswith(cut[:-1])
    assert text_width(cut) < 220 <= text_width(cut[:-1] + LONG[len(cut) - 1] + ELLIPSIS)


def test_the_drawn_axis_shows_the_cut_and_vega_cuts_it_no_further() -> None:
    own = _bars([LONG, "Short"])  # Vega cuts the label itself
    ours = _bars([LONG, "Short"], fitted_axis([LONG, "Short"]))
    assert fitted(LONG, theme.AXIS_LABEL_LIMIT) in _texts(ours)
    assert "Short" in _texts(ours)
    vega_cut = next(text for text in _texts(own) if text.endswith(ELLIPSIS))
    ours_cut = fitted(LONG, theme.AXIS_LABEL_LIMIT)
    # Kerning, which the width table leaves out, only narrows a text: the cut is Vega's or a
    # character or two shorter, never longer.
    assert vega_cut[:-1].startswith(ours_cut[:-1]) and len(vega_cut) - len(ours_cut) <= 2


def test_two_labels_with_the_same_start_stay_two_rows() -> None:
    svg = _bars([LONG, TWIN], fitted_axis([LONG, TWIN]))
    shown = [text for text in _texts(svg) if text.endswith(ELLIPSIS)]
    assert shown == [fitted(LONG, theme.AXIS_LABEL_LIMIT)] * 2
    bars = re.search(r'<g class="mark-rect role-mark[^>]*>(.*?)</g>', svg, re.S)
    assert bars and bars.group(1).count("<path") == 2


def test_a_label_with_quotes_and_backslashes_is_cut_and_drawn() -> None:
    odd = "The \"so-called\" C:\\ path\\ 'quoted' — " + LONG
    assert fitted(odd, theme.AXIS_LABEL_LIMIT) in _texts(_bars([odd, "Short"], fitted_axis([odd, "Short"])))


def test_a_label_is_whole_only_when_narrower_than_its_limit_as_vega_counts() -> None:
    text = "Prefects (civil administrators) deployed"
    assert fitted(text, text_width(text) + 0.01) == text
    assert fitted(text, text_width(text)).endswith(ELLIPSIS)  # Vega keeps a label only below its limit


def test_a_label_no_builder_fitted_is_still_cut_by_the_theme() -> None:
    assert any(text.endswith(ELLIPSIS) and LONG.startswith(text[:-1]) for text in _texts(_bars([LONG])))


def test_a_trend_legend_cuts_long_source_titles_and_keeps_each_source_and_its_whole_title() -> None:
    sources = schema.conform(
        pl.DataFrame(
            {"source_id": ["a", "b"], "title": [LONG, TWIN], "publisher": ["UN", "UN"], "symbol": [None, None]}
        ),
        "sources",
    )
    observations = schema.conform(
        pl.DataFrame(
            {
                "indicator_id": ["troops"] * 2,
                "geo_code": ["CD"] * 2,
                "period_start": [date(2023, 12, 19), date(2024, 12, 20)],
                "period_end": [date(2023, 12, 19), date(2024, 12, 20)],
                "value": [11500.0, 11500.0],
                "unit": ["persons"] * 2,
                "source_id": ["a", "b"],
                "confidence": ["primary"] * 2,
                "note": [None, None],
            }
        ),
        "observations",
    )
    indicator = {
        "indicator_id": "troops",
        "name_fr": "Plafond",
        "name_en": "Ceiling",
        "unit": "persons",
        "direction": "decrease",
        "target_value": None,
        "target_date": None,
    }
    spec = charts.trend_chart(observations, indicator, "en", sources).to_dict()
    texts = _texts(vlc.vegalite_to_svg(spec))
    rows = [row for data in spec["datasets"].values() for row in data if "source_title" in row]
    legend = {row["source"] for row in rows}
    assert len(legend) == 2  # two sources that read alike, two legend entries, told apart by their ids
    for label in legend:
        assert texts.count(fitted(label, theme.LEGEND_LABEL_LIMIT)) == 1 and label.startswith("UN — Security")
    assert {row["source_title"] for row in rows} == {f"UN — {LONG}", f"UN — {TWIN}"}  # tooltips keep the whole title
