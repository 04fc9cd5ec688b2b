"""The compiled check of a chart (`pipelines.present.chartcheck`) gives Altair's verdict and
Altair's message: on every chart the reports show, on each of them broken in ways an author
breaks a chart, and through Altair's own API."""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import pytest
from altair.utils import schemapi
from altair.vegalite.v6.schema.core import VegaLiteSchema

from pipelines.present import chartcheck
from pipelines.render.notebook import chart_spec, read_notebook

#: How Altair checks a whole chart: the top of Vega-Lite's schema.
TOP = {"$ref": "#/definitions/TopLevelSpec"}


@pytest.fixture(scope="module")
def report_charts(full_build: Path) -> list[dict[str, Any]]:
    """Every Vega-Lite chart the reports of the embedded data saved (both roadmaps and languages)."""
    specs = []
    for path in sorted((full_build / "build" / "notebooks").rglob("*.ipynb")):
        for cell in read_notebook(path).cells:
            for out in cell.get("outputs", []):
                found = chart_spec(out)
                if found and found[1]:
                    specs.append(found[0])
    assert len(specs) >= 100, "the reports show their charts"
    return specs


def _skeleton(node: Any) -> Any:
    """What a chart is made of (its keys, marks and field types), without its data and words."""
    if isinstance(node, dict):
        return {
            k: (v if k in ("mark", "type") else _skeleton(v))
            for k, v in node.items()
            if k not in ("datasets", "values")
        }
    if isinstance(node, list):
        return sorted({json.dumps(_skeleton(v), sort_keys=True) for v in node})
    return type(node).__name__


@pytest.fixture(scope="module")
def chart_kinds(report_charts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One chart of each make (`_skeleton`): what a break can find differs by make, not by data."""
    kinds = {json.dumps(_skeleton(spec), sort_keys=True): spec for spec in report_charts}
    return list(kinds.values())


def _marks(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The views of a chart that carry a mark (the chart itself, its layers, its concatenated parts)."""
    if "mark" in spec:
        yield spec
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for part in spec.get(key, []):
            yield from _marks(part)
    if isinstance(spec.get("spec"), dict):
        yield from _marks(spec["spec"])


def _first_mark(spec: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    broken = copy.deepcopy(spec)
    change(next(_marks(broken)))
    return broken


def _first_channel(view: dict[str, Any], key: str, value: Any) -> None:
    channel = next(c for c in view.get("encoding", {}).values() if isinstance(c, dict) and "field" in c)
    channel[key] = value


#: Ways an author breaks a chart, each invalid under Vega-Lite's schema (name: the broken copy).
BREAKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "width is a word": lambda s: {**s, "width": "wide"},
    "unknown property": lambda s: {**s, "widht": 600},
    "$schema is not a URI": lambda s: {**s, "$schema": "not a uri"},
    "unknown mark": lambda s: _first_mark(s, lambda v: v.update(mark="bars")),
    "unknown field type": lambda s: _first_mark(s, lambda v: _first_channel(v, "type", "nominalx")),
    "sort by a number": lambda s: _first_mark(s, lambda v: _first_channel(v, "sort", 3)),
}


def _altair_errors(spec: Any, schema: dict[str, Any] = TOP) -> list[Any]:
    return chartcheck._ALTAIRS[0](spec, schema, rootschema=VegaLiteSchema._rootschema)


def _checked_errors(spec: Any, schema: dict[str, Any] = TOP) -> list[Any]:
    return chartcheck._errors(spec, schema, rootschema=VegaLiteSchema._rootschema)


@pytest.fixture(scope="module", autouse=True)
def installed() -> None:
    chartcheck.install()


def test_every_report_chart_is_valid_and_decided_by_the_compiled_check(report_charts: list[dict[str, Any]]) -> None:
    compiled = chartcheck._validator_for(TOP, VegaLiteSchema._rootschema)
    assert compiled is not None
    for spec in report_charts:
        assert _altair_errors(spec) == []
        assert compiled.is_valid(spec), spec.get("title")


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_a_broken_report_chart_gets_altairs_verdict_and_errors(name: str, chart_kinds: list[dict[str, Any]]) -> None:
    for spec in chart_kinds:
        broken = BREAKS[name](spec)
        expected = [e.message for e in _altair_errors(broken)]
        assert expected, f"{name}: Altair finds the broken chart invalid"
        assert [e.message for e in _checked_errors(broken)] == expected


def test_a_value_json_cannot_hold_is_left_to_altair(report_charts: list[dict[str, Any]]) -> None:
    for value in (math.nan, math.inf):
        spec = {**report_charts[0], "width": value}
        assert [e.message for e in _checked_errors(spec)] == [e.message for e in _altair_errors(spec)]


def test_a_property_schema_is_checked_by_altair_itself() -> None:
    assert chartcheck._validator_for({"type": "number"}, VegaLiteSchema._rootschema) is None
    assert chartcheck._validator_for(TOP, None) is None


def _message_of(chart: alt.TopLevelMixin) -> str:
    with alt.data_transformers.disable_max_rows(), pytest.raises(schemapi.SchemaValidationError) as raised:
        chart.to_dict()
    return str(raised.value)


def test_altairs_own_api_raises_altairs_message(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pd.DataFrame({"year": [2020, 2021], "value": [28.6, 29.0]})
    line = alt.Chart(frame).mark_line().encode(x="year:O", y="value:Q")
    wide, tall = line.properties(width=400), alt.layer(line, line.mark_point())
    wide.width, tall.height = "wide", "tall"  # set after the properties' own check, as a notebook may
    charts = [wide, tall]
    with alt.utils.schemapi.debug_mode(False):
        assert schemapi._get_errors_from_spec is chartcheck._errors
        messages = [_message_of(c) for c in charts]
        assert all("wide" in m or "tall" in m for m in messages)
        assert line.to_dict()["mark"] == {"type": "line"}
        monkeypatch.setattr(schemapi, "_get_errors_from_spec", chartcheck._ALTAIRS[0])
        assert [_message_of(c) for c in charts] == messages
