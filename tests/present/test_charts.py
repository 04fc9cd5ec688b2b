"""The Vega-Lite specs the chart builders produce, as a reader of the report would see them, and
the one theme (`pipelines.present.theme`) they all embed."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import altair as alt
import polars as pl
import pytest
import vl_convert as vlc

from pipelines.core import schema
from pipelines.core.i18n import t, vega_locale
from pipelines.present import charts, theme

WOMEN = {
    "indicator_id": "women_seats",
    "name_fr": "Part des femmes à l'Assemblée nationale",
    "name_en": "Women's share of seats in the national assembly",
    "unit": "percent",
    "direction": "increase",
    "target_value": 30.0,
    "target_date": date(2022, 12, 31),
}


def _observations(rows: list[tuple[date, float, str]], indicator_id: str = "women_seats") -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "indicator_id": [indicator_id] * len(rows),
            "geo_code": ["ML"] * len(rows),
            "period_start": [r[0] for r in rows],
            "period_end": [date(r[0].year, 12, 31) for r in rows],
            "value": [r[1] for r in rows],
            "unit": ["percent"] * len(rows),
            "source_id": [r[2] for r in rows],
            "confidence": ["primary" if r[2] == "wdi" else "secondary" for r in rows],
            "note": ["as of 1 October 2020" if r[0] == date(2020, 1, 1) else None for r in rows],
        },
        schema_overrides={"period_start": pl.Date, "period_end": pl.Date},
    )
    return schema.conform(frame, "observations")


OBSERVATIONS = _observations(
    [
        (date(2024, 1, 1), 30.66, "wdi"),
        (date(2019, 1, 1), 9.52, "wdi"),
        (date(2020, 1, 1), 27.89, "wdi"),
        (date(2020, 1, 1), 28.57, "idea"),
    ]
)
SOURCES = schema.conform(
    pl.DataFrame(
        {
            "source_id": ["wdi", "idea"],
            "title": ["World Development Indicators", "Gender Quotas Database"],
            "publisher": ["World Bank", "International IDEA"],
            "symbol": [None, None],
        }
    ),
    "sources",
)
MILESTONES = schema.conform(
    pl.DataFrame(
        {
            "benchmark": ["B"] * 3,
            "milestone_id": ["referendum", "electoral-law", "elections"],
            "name_fr": ["Référendum constitutionnel", "Loi électorale", "Élections générales"],
            "name_en": ["Constitutional referendum", "Electoral law", "General elections"],
        }
    ),
    "milestones",
)
EVENTS = schema.conform(
    pl.DataFrame(
        {
            "benchmark": ["B"] * 4,
            "milestone_id": ["electoral-law", "electoral-law", "referendum", "referendum"],
            "date": [date(2021, 6, 1), date(2022, 6, 17), date(2021, 9, 1), date(2023, 6, 18)],
            "status": ["minimal", "full", "intermediate", "reversed"],
            "description_fr": ["Avant-projet", "Loi promulguée", "Texte rédigé", "Référendum contesté"],
            "description_en": ["Draft", "Law promulgated", "Text drafted", "Referendum disputed"],
            "source_id": ["s-2022-448", "s-2022-448", "s-2022-448", "s-2023-402"],
        }
    ),
    "milestone_events",
)
SCORES = pl.DataFrame(
    {
        "benchmark": list("IHGFEDCBA"),
        "score": [0.0, 0.3, 0.97, 0.5, -0.2, 1.03, None, 0.9, 0.22],
        "status": [
            "limited_progress",
            "limited_progress",
            "on_track",
            "limited_progress",
            "deterioration",
            "achieved",
            "insufficient_data",
            "needs_acceleration",
            "limited_progress",
        ],
        "score_basis": ["milestones"] * 4 + ["indicator", "indicator", None, "milestones", "milestones"],
        "points": [0, 3, 29, 3, None, None, None, 8, 2],
        "max_points": [3, 9, 30, 6, None, None, None, 9, 9],
    }
)


def _builds(lang: str) -> dict[str, alt.LayerChart]:
    return {
        "trend": charts.trend_chart(OBSERVATIONS, WOMEN, lang, SOURCES),
        "timeline": charts.milestone_timeline(EVENTS, MILESTONES, lang, date(2023, 12, 31)),
        "bullet": charts.bullet_chart((date(2024, 1, 1), 30.66), 30.0, (date(2019, 1, 1), 9.52), WOMEN, lang),
        "scorecard": charts.scorecard_chart(SCORES, lang),
    }


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_chart_describes_itself_by_its_title_and_what_it_shows(lang: str) -> None:
    for kind, chart in _builds(lang).items():
        spec = chart.to_dict()
        title = " ".join(spec.get("title", {}).get("text", []))
        assert spec["description"] == " — ".join(p for p in (title, t(f"chart_shows.{kind}", lang)) if p), kind


def _mark(layer: dict[str, Any]) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def _rows(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    return spec["datasets"][layer["data"]["name"]]


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.fixture
def default_theme() -> Iterator[None]:
    yield
    alt.theme.enable("default")


def test_target_rule_is_drawn_at_the_target_and_labelled_in_the_language() -> None:
    for lang, label in (("fr", "cible 30\u00a0%"), ("en", "target 30%")):
        spec = charts.trend_chart(OBSERVATIONS, WOMEN, lang, SOURCES).to_dict()
        rules = [layer for layer in spec["layer"] if _mark(layer) == "rule" and "y" in layer["encoding"]]
        assert len(rules) == 1
        assert rules[0]["encoding"]["y"]["field"] == "target"
        assert _rows(spec, rules[0])[0]["target"] == 30.0
        assert label in _texts(vlc.vegalite_to_svg(spec))


def _key_date_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    rules = [layer for layer in spec["layer"] if _mark(layer) == "rule" and "x" in layer["encoding"]]
    assert len(rules) <= 1
    return _rows(spec, rules[0]) if rules else []


def test_key_date_rules_at_the_roadmap_and_the_end_of_the_mandate(real_tables: Any) -> None:
    # MINUSMA's key dates (data/raw/roadmaps/s-2021-300.yaml), as a report of 2024 marks them
    key_dates = real_tables.marked_dates(date(2024, 1, 1))
    for lang, labels in (
        ("fr", ["feuille de route du 25 mars 2021", "fin du mandat de la MINUSMA, 30 juin 2023"]),
        ("en", ["roadmap of 25 March 2021", "end of MINUSMA's mandate, 30 June 2023"]),
    ):
        spec = charts.trend_chart(OBSERVATIONS, WOMEN, lang, SOURCES, key_dates).to_dict()
        rows = _key_date_rows(spec)
        assert [r["date"] for r in rows] == ["2021-03-25", "2023-06-30"]
        assert [r["label"] for r in rows] == labels
        assert set(labels) <= set(_texts(vlc.vegalite_to_svg(spec)))
    # before resolution 2690 (2023), the end of the mandate was not known: not marked
    early = charts.trend_chart(OBSERVATIONS, WOMEN, "en", SOURCES, real_tables.marked_dates(date(2022, 12, 31)))
    assert [r["label"] for r in _key_date_rows(early.to_dict())] == ["roadmap of 25 March 2021"]


def test_a_chart_marks_no_key_date_unless_given() -> None:
    assert _key_date_rows(charts.trend_chart(OBSERVATIONS, WOMEN, "en", SOURCES).to_dict()) == []
    given = (charts.KeyDate(date(2023, 6, 30), "fin", "end"), charts.KeyDate(date(2021, 9, 17), "plan", "plan"))
    rows = _key_date_rows(charts.trend_chart(OBSERVATIONS, WOMEN, "fr", SOURCES, given).to_dict())
    assert [(r["date"], r["label"]) for r in rows] == [("2021-09-17", "plan"), ("2023-06-30", "fin")]  # date order


@pytest.mark.parametrize(
    ("lang", "x_title", "y_title", "month"),
    [("fr", "année", "pourcentage (%)", "juillet"), ("en", "year", "percentage (%)", "July")],
)
def test_axis_titles_and_time_labels_follow_the_language(lang: str, x_title: str, y_title: str, month: str) -> None:
    spec = charts.trend_chart(OBSERVATIONS, WOMEN, lang, SOURCES).to_dict()
    line = spec["layer"][0]["encoding"]
    assert (line["x"]["title"], line["y"]["title"]) == (x_title, y_title)
    timeline = charts.milestone_timeline(EVENTS, MILESTONES, lang, date(2023, 12, 31)).to_dict()
    assert month in _texts(vlc.vegalite_to_svg(timeline))  # month names come from the embedded locale


def test_y_title_can_name_the_measure() -> None:
    spec = charts.trend_chart(OBSERVATIONS, WOMEN, "en", SOURCES, y_title=t("axis.share_of_seats", "en")).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["title"] == "share of seats (%)"


def test_tooltip_carries_the_source_and_formatted_values() -> None:
    spec = charts.trend_chart(OBSERVATIONS, WOMEN, "fr", SOURCES).to_dict()
    points = next(layer for layer in spec["layer"] if _mark(layer) == "point")
    tooltip = {tip["field"]: tip["title"] for tip in points["encoding"]["tooltip"]}
    assert tooltip["source_title"] == "source" and tooltip["confidence"] == "fiabilité"
    row = next(r for r in _rows(spec, points) if r["date"] == "2020-01-01" and r["source_title"].startswith("World"))
    assert row["value_label"] == "27,9\u00a0%"
    assert row["date_label"] == "2020"  # a yearly figure is dated by its year
    assert row["confidence"] == "source primaire"
    assert row["note"] == "as of 1 October 2020"


@pytest.mark.parametrize(
    "lang,first",
    [
        ("fr", "date : 2020 ; valeur : 27,9\u00a0% ; source : World Bank"),
        ("en", "date: 2020; value: 27.9%; source: World Bank"),
    ],
)
def test_a_marks_hover_text_names_its_fields_with_the_reports_words(lang: str, first: str) -> None:
    """Drawn and inlined as a page has it: each point's hover title is its tooltip's fields in the
    language ("valeur", not the field "value_label"), empty ones left out, and nothing of Vega's own
    (its English role names, or a text made from the x and y fields) is left in the SVG."""
    from pipelines.render.drawing import inline_svg

    svg = inline_svg(vlc.vegalite_to_svg(charts.trend_chart(OBSERVATIONS, WOMEN, lang, SOURCES).to_dict()), "c1-")
    titles = [html.unescape(title) for title in re.findall(r"<title>([^<]*)</title>", svg)]
    points = [title for title in titles if title.startswith(t("inline.field", lang, name=t("date", lang)))]
    assert len(points) == OBSERVATIONS.height
    noted = next(title for title in titles if title.startswith(first))
    assert noted.endswith(
        t("inline.separator", lang) + t("inline.field", lang, name=t("note", lang)) + "as of 1 October 2020"
    )
    # the two figures of 2020 have a note; the others' empty note is left out, not "note : "
    assert sum(t("inline.field", lang, name=t("note", lang)) in title for title in points) == 2
    assert not re.search(r'\s(role|aria-label|aria-roledescription)="', svg)
    assert "value_label" not in svg and "source_title" not in svg


def test_sources_that_disagree_get_their_own_colour() -> None:
    spec = charts.trend_chart(OBSERVATIONS, WOMEN, "en", SOURCES).to_dict()
    colour = spec["layer"][1]["encoding"]["color"]
    assert colour["field"] == "source"
    # each source by its publisher and title, as a reader recognises it (`citations.source_labels`)
    assert colour["scale"]["domain"] == [
        "International IDEA — Gender Quotas Database",
        "World Bank — World Development Indicators",
    ]
    single = charts.trend_chart(OBSERVATIONS.filter(pl.col("source_id") == "wdi"), WOMEN, "en", SOURCES).to_dict()
    assert "color" not in single["layer"][1]["encoding"]


def test_locale_config_is_embedded_for_the_language() -> None:
    for lang in ("fr", "en"):
        for name, chart in _builds(lang).items():
            assert chart.to_dict()["config"]["locale"] == vega_locale(lang), name
    assert charts.scorecard_chart(SCORES, "fr").to_dict()["config"]["locale"]["number"]["decimal"] == ","


def test_a_large_input_is_aggregated_below_the_row_limit() -> None:
    # 200,000 daily values from 3 sources over 10 years: 10,950 source-days are still too many,
    # so values are averaged by month: 3 sources x 120 months = 360 rows.
    n = 200_000
    big = schema.conform(
        pl.DataFrame(
            {
                "indicator_id": ["women_seats"] * n,
                "period_start": pl.date_range(date(2015, 1, 1), date(2024, 12, 31), eager=True).sample(
                    n, with_replacement=True, seed=1
                ),
                "value": pl.Series(range(n), dtype=pl.Float64) % 40,
                "source_id": pl.Series(["wdi", "idea", "ipu"])[pl.Series(range(n)) % 3],
                "confidence": ["primary"] * n,
            }
        ),
        "observations",
    )
    spec = charts.trend_chart(big, WOMEN, "en", SOURCES).to_dict()
    assert sum(len(rows) for rows in spec["datasets"].values()) <= theme.MAX_ROWS
    points = next(layer for layer in spec["layer"] if _mark(layer) == "point")
    rows = _rows(spec, points)
    assert len(rows) == 360
    assert all(r["date"].endswith("-01") for r in rows)
    assert rows[0]["date_label"] == "January 2015"
    assert re.fullmatch(r"mean of \d+ values", rows[0]["note"])
    vlc.vegalite_to_svg(spec)


def test_several_values_for_one_period_and_source_are_averaged_and_said_so() -> None:
    doubled = pl.concat([OBSERVATIONS, OBSERVATIONS.with_columns(value=pl.col("value") + 1.0)])
    rows = charts.trend_rows(doubled, WOMEN, "fr", SOURCES)
    row = next(r for r in rows if r["date"] == "2019-01-01")
    assert row["value"] == pytest.approx(10.02) and row["value_label"] == "10,0\u00a0%"
    assert row["note"] == "moyenne de 2 valeurs"


def test_two_builds_give_identical_json(default_theme: None) -> None:
    first = {name: json.dumps(c.to_dict(), sort_keys=True) for name, c in _builds("fr").items()}
    second = {name: json.dumps(c.to_dict(), sort_keys=True) for name, c in _builds("fr").items()}
    assert first == second
    theme.use_theme()  # the builders embed the theme: enabling it changes nothing
    assert {name: json.dumps(c.to_dict(), sort_keys=True) for name, c in _builds("fr").items()} == first
    assert not re.search(r"param_\d|view_\d", json.dumps(first))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_chart_converts_to_svg_at_a4_width(lang: str) -> None:
    for name, chart in _builds(lang).items():
        svg = vlc.vegalite_to_svg(chart.to_dict())
        assert re.search(r'<svg[^>]* width="640"', svg), name


def test_milestone_timeline_names_rows_colours_statuses_and_admits_missing_evidence() -> None:
    spec = charts.milestone_timeline(EVENTS, MILESTONES, "en", date(2023, 6, 1)).to_dict()
    points = next(layer for layer in spec["layer"] if _mark(layer) == "point")
    assert points["encoding"]["y"]["sort"] == ["Constitutional referendum", "Electoral law", "General elections"]
    colour = points["encoding"]["color"]["scale"]
    assert colour["domain"] == ["not initiated", "minimal", "intermediate", "full", "reversed"]
    assert colour["range"][-1] not in colour["range"][:-1]  # reversed stands out
    # The reversal of 18 June 2023 is after as_of: the referendum is still "intermediate".
    rows = _rows(spec, points)
    assert [(r["milestone"], r["status"]) for r in rows] == [
        ("Constitutional referendum", "intermediate"),
        ("Electoral law", "minimal"),
        ("Electoral law", "full"),
    ]
    assert rows[1]["end"] == "2022-06-17" and rows[2]["end"] == "2023-06-01"
    assert rows[0]["description"] == "Text drafted" and rows[0]["source"] == "s-2022-448"
    texts = _texts(vlc.vegalite_to_svg(spec))
    assert "no evidence found" in texts and "as of 1 June 2023" in texts


def test_bullet_chart_marks_target_and_baseline() -> None:
    spec = charts.bullet_chart((date(2024, 1, 1), 30.66), 30.0, (date(2019, 1, 1), 9.52), WOMEN, "fr").to_dict()
    ticks = next(layer for layer in spec["layer"] if _mark(layer) == "tick")
    assert [(r["kind"], r["value"]) for r in _rows(spec, ticks)] == [("target", 30.0), ("baseline", 9.52)]
    texts = _texts(vlc.vegalite_to_svg(spec))
    assert {"cible 30\u00a0%", "référence 9,5\u00a0%", "dernière valeur 30,7\u00a0%"} <= set(texts)


def _bars(scores: pl.DataFrame, lang: str = "fr") -> tuple[dict[str, Any], list[dict[str, Any]]]:
    spec = charts.scorecard_chart(scores, lang).to_dict()
    bars = next(layer for layer in spec["layer"] if _mark(layer) == "bar")
    return bars, _rows(spec, bars)


def test_scorecard_has_one_bar_per_benchmark_coloured_by_band() -> None:
    bars, rows = _bars(SCORES)
    assert [r["benchmark"] for r in rows] == list("IHGFEDCBA")  # one per benchmark, in the order given
    assert bars["encoding"]["y"]["sort"] == list("IHGFEDCBA")
    by = {r["benchmark"]: r for r in rows}
    assert by["B"]["label"] == "8/9 points · accélération nécessaire"  # what the score counts, never 0,90
    assert by["E"]["label"] == "-20\u00a0% du chemin · détérioration"
    assert by["C"]["label"] == "données insuffisantes" and by["C"]["score"] is None
    scale = bars["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours["détérioration"] == theme.STATUS_COLOURS["deterioration"]
    with pytest.raises(ValueError, match="unknown status"):
        charts.scorecard_chart(SCORES.with_columns(status=pl.lit("great")), "fr")


def test_a_score_of_zero_is_drawn_as_a_marker_not_left_invisible() -> None:
    zero = SCORES.with_columns(pl.when(pl.col("benchmark") == "A").then(0.0).otherwise(pl.col("score")).alias("score"))
    spec = charts.scorecard_chart(zero, "fr").to_dict()
    points = next(layer for layer in spec["layer"] if _mark(layer) == "point")
    marked = {r["benchmark"]: r["score"] for r in _rows(spec, points)}
    assert marked["A"] == 0.0  # a bar of no length, but a marker at 0 in its status's colour
    bars = next(layer for layer in spec["layer"] if _mark(layer) == "bar")
    assert points["encoding"]["color"] == bars["encoding"]["color"]


def test_scorecard_keeps_the_readers_order_of_numbered_benchmarks() -> None:
    # the overview gives `views.benchmark_order`: 2 before 10, which a sort of the text would invert
    from pipelines.analysis.views import benchmark_order

    scores = pl.DataFrame(
        {
            "benchmark": benchmark_order(["10", "2", "1"]),
            "score": [0.5, 0.2, 1.0],
            "status": ["limited_progress", "limited_progress", "achieved"],
            "score_basis": ["indicator"] * 3,
            "points": [None] * 3,
            "max_points": [None] * 3,
        }
    )
    _, rows = _bars(scores, "en")
    assert [r["benchmark"] for r in rows] == ["1", "2", "10"]


def test_scorecard_draws_no_bar_for_a_benchmark_no_longer_assessed() -> None:
    scores = pl.concat(
        [
            SCORES,
            pl.DataFrame(
                {
                    "benchmark": ["J", "K"],
                    "score": [0.4, None],
                    "status": ["transferred", "retired"],
                    "score_basis": ["indicator", None],
                    "points": [None, None],
                    "max_points": [None, None],
                }
            ),
        ],
        how="vertical_relaxed",
    )
    _, rows = _bars(scores)
    assert [r["benchmark"] for r in rows] == list("IHGFEDCBA")  # J and K are left out, not an error


def test_theme_is_registered_readable_and_colour_blind_safe(default_theme: None) -> None:
    theme.use_theme()
    assert alt.theme.active == "minusma"
    config = alt.Chart(alt.InlineData(values=[{"a": 1}])).mark_point().encode(x="a:Q").to_dict()["config"]
    assert config["range"]["category"][:7] == [
        "#0072B2",
        "#E69F00",
        "#009E73",
        "#D55E00",
        "#CC79A7",
        "#56B4E9",
        "#000000",
    ]

    def sizes(node: Any) -> Iterator[float]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key.lower().endswith("fontsize"):
                    yield value
                yield from sizes(value)

    assert min(sizes(config)) >= 11


def test_dates_read_as_their_period() -> None:
    frame = schema.conform(
        pl.DataFrame(
            {
                "indicator_id": ["ddr"] * 3,
                "source_id": ["s"] * 3,
                "value": [1006.0, 1428.0, 1500.0],
                "period_start": [date(2019, 9, 1), date(2021, 4, 1), date(2023, 6, 18)],
                "period_end": [date(2019, 9, 30), date(2021, 4, 1), None],
            }
        ),
        "observations",
    )
    ddr = {"indicator_id": "ddr", "unit": "persons"}
    assert [(r["date_label"], r["value_label"]) for r in charts.trend_rows(frame, ddr, "fr")] == [
        ("septembre 2019", "1\u202f006"),
        ("1 avril 2021", "1\u202f428"),
        ("18 juin 2023", "1\u202f500"),
    ]


def _domain_start(spec: dict[str, Any]) -> dict[str, Any]:
    points = next(layer for layer in spec["layer"] if _mark(layer) == "point")
    return points["encoding"]["x"]["scale"]["domain"][0]


def test_milestone_timeline_starts_at_the_roadmap_date_when_given() -> None:
    # first event 1 June 2021; at least a year before as_of (31 Dec 2023) is 31 Dec 2022
    plain = _domain_start(charts.milestone_timeline(EVENTS, MILESTONES, "en", date(2023, 12, 31)).to_dict())
    since = _domain_start(
        charts.milestone_timeline(EVENTS, MILESTONES, "en", date(2023, 12, 31), since=date(2021, 3, 25)).to_dict()
    )
    later = _domain_start(
        charts.milestone_timeline(EVENTS, MILESTONES, "en", date(2023, 12, 31), since=date(2022, 1, 1)).to_dict()
    )
    assert (plain["year"], plain["month"], plain["date"]) == (2021, 6, 1)
    assert (since["year"], since["month"], since["date"]) == (2021, 3, 25)
    assert later == plain  # an event before `since` still shows


def test_timeline_whose_layers_share_data_still_counts_rows() -> None:
    """alt.layer lifts shared data to the parent: the row guard must still see it."""
    from datetime import date as _d

    import polars as pl

    events = pl.DataFrame(
        {
            "benchmark": ["B"],
            "milestone_id": ["B1"],
            "date": [_d(2022, 6, 17)],
            "status": ["full"],
            "score": [3],
            "description_fr": ["x"],
            "description_en": ["x"],
            "source_id": ["s"],
            "confidence": ["primary"],
            "file": ["f"],
            "line": [2],
        }
    )
    milestones = pl.DataFrame(
        {
            "roadmap_id": ["R"],
            "benchmark": ["B"],
            "milestone_id": ["B1"],
            "name_fr": ["Loi"],
            "name_en": ["Law"],
            "due": [None],
        }
    )
    spec = charts.milestone_timeline(events, milestones, "en", _d(2023, 1, 1)).to_dict()
    assert spec["layer"]


def test_a_key_date_label_at_the_charts_left_edge_goes_right_of_its_rule() -> None:
    # on the left of its rule, a label at the left edge would be drawn over the y axis's numbers
    given = (charts.KeyDate(date(2015, 3, 1), "début", "start"), charts.KeyDate(date(2021, 9, 17), "plan", "plan"))
    spec = charts.trend_chart(OBSERVATIONS, WOMEN, "en", SOURCES, given).to_dict()
    sides = {}
    for layer in spec["layer"]:
        mark = layer["mark"]
        if isinstance(mark, dict) and mark["type"] == "text" and mark.get("angle") == 270:
            for row in _rows(spec, layer):
                sides[row["label"]] = (mark["baseline"], mark["dy"])
    assert sides == {"start": ("top", 3), "plan": ("bottom", -3)}
    assert [r["label"] for r in _key_date_rows(spec)] == ["start", "plan"]  # one rule each, in date order
    # where no date is at the edge, every label keeps the left of its rule
    late = theme.key_date_layers(given[1:], "en", span=[date(2019, 1, 1), date(2024, 1, 1)])
    assert [layer.mark.baseline for layer in late[1:]] == ["bottom"]


def test_charts_name_sources_as_a_reader_does_never_by_id() -> None:
    from pipelines.present import citations

    rows = charts.trend_rows(OBSERVATIONS, WOMEN, "en", SOURCES)
    assert {r["source_title"] for r in rows} == {
        "World Bank — World Development Indicators",
        "International IDEA — Gender Quotas Database",
    }
    # two releases that would read alike are told apart by their ids, never merged in a legend
    twins = schema.conform(
        pl.DataFrame(
            {
                "source_id": ["a-2021", "a-2025"],
                "title": ["Series"] * 2,
                "publisher": ["Bank"] * 2,
                "symbol": [None, None],
            }
        ),
        "sources",
    )
    assert citations.source_labels(twins) == {"a-2021": "Bank — Series [a-2021]", "a-2025": "Bank — Series [a-2025]"}
    assert citations.source_label(twins, "unknown") == "unknown"
