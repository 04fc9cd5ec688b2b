"""Regional maps: the optional boundary configuration, the simplified geometry, and the
choropleth on OCHA's 2015 admin-1 file (read from ../shared, never copied into the project),
where Ménaka (ML-9) and Taoudénit (ML-10) have no shape and must be listed, not merged."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pipelines.analysis import views
from pipelines.core import paths, schema
from pipelines.ingest import boundaries
from pipelines.ingest.boundaries import BoundaryError
from pipelines.present import maps
from pipelines.present.renderer import offline_vl_convert
from pipelines.render import drawing as render
from pipelines.render.pages import MAX_BYTES

SHARED_TOPOJSON = paths.ROOT.parent / "shared" / "data" / "real" / "ocha" / "mli_adm1.topojson.json"
needs_ocha = pytest.mark.skipif(
    not SHARED_TOPOJSON.exists(),
    reason=f"OCHA's admin-1 TopoJSON is not at {SHARED_TOPOJSON} (a shared test file, not part of the project)",
)


# --- small boundary files written by the tests ----------------------------------------------------


def two_squares(extra: bool = True) -> dict[str, Any]:
    """Tombouctou (ML06) and Gao (ML07) as two unit squares sharing one border arc; arc 3 is
    used by no feature; the edges carry collinear points that simplification removes."""
    arcs = [
        [[1, 0], [1, 0.5], [1, 1]],  # 0: the shared border
        [[1, 1], [0.5, 1], [0, 1], [0, 0.5], [0, 0], [0.5, 0], [1, 0]],  # 1: the rest of ML06
        [[1, 0], [1.5, 0], [2, 0], [2, 0.5], [2, 1], [1.5, 1], [1, 1]],  # 2: the rest of ML07
        [[5, 5], [6, 6]],  # 3: unused
    ]
    geometries = [
        {"type": "Polygon", "arcs": [[0, 1]], "properties": {"pcode": "ML06", "name": "Tombouctou", "big": "x" * 500}},
        {"type": "Polygon", "arcs": [[2, -1]], "properties": {"pcode": "ML07", "name": "Gao"}},
    ]
    if extra:
        geometries.append({"type": "Polygon", "arcs": [[3]], "properties": {"pcode": "ML09", "name": "Bamako"}})
        arcs[3] = [[5, 5], [6, 5], [6, 6], [5, 5]]
    return {
        "type": "Topology",
        "objects": {"adm1": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }


def write_config(folder: Path, text: str, data: dict[str, Any] | None = None, name: str = "shapes.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if data is not None:
        (folder / name).write_text(json.dumps(data), encoding="utf-8")
    (folder / "boundaries.yaml").write_text(text, encoding="utf-8")
    return folder


TOPO_CONFIG = "file: shapes.json\nobject: adm1\nkey: pcode\nkey_type: pcode\nlabel: test squares\n"


def region_obs(rows: list[tuple[str, str, date, float, str]]) -> pl.DataFrame:
    out = [
        {
            "indicator_id": iid,
            "geo_code": geo,
            "period_start": day,
            "period_end": day,
            "value": value,
            "unit": "percent",
            "source_id": source,
            "confidence": "secondary",
            "note": None,
            "file": "data/raw/observations/test.csv",
            "line": i + 2,
        }
        for i, (iid, geo, day, value, source) in enumerate(rows)
    ]
    return schema.conform(pl.DataFrame(out), "observations")


INDICATOR = {
    "indicator_id": "sous_prefets_presence_share",
    "name_fr": "Sous-préfets présents",
    "name_en": "Sub-prefects present",
    "unit": "percent",
    "direction": "increase",
}


# --- configuration --------------------------------------------------------------------------------


def test_without_a_configuration_there_is_no_map_and_no_error(tmp_path: Path) -> None:
    assert boundaries.configured(tmp_path) is None
    frame = region_obs([("sous_prefets_presence_share", "ML-5", date(2021, 2, 28), 18.2, "s")])
    assert maps.choropleth(frame, INDICATOR, "en", None) is None


def test_the_project_ships_no_boundary_file() -> None:
    assert not (paths.RAW / boundaries.CONFIG_NAME).exists()


def test_the_example_configuration_is_valid(tmp_path: Path) -> None:
    example = (paths.RAW / "boundaries.example.yaml").read_text(encoding="utf-8")
    assert "\nfile: boundaries/mli_adm1.topojson.json\n" in example
    folder = write_config(
        tmp_path, example.replace("file: boundaries/mli_adm1.topojson.json", "file: shapes.json"), two_squares()
    )
    config = boundaries.read_config(folder / "boundaries.yaml")
    assert (config.object, config.key, config.key_type, config.label) == (
        "adm1_boundaries",
        "admin1Pcod",
        "pcode",
        "OCHA COD-AB admin 1 (2015)",
    )


def test_a_relative_file_is_read_from_the_configurations_folder(tmp_path: Path) -> None:
    shapes = boundaries.configured(write_config(tmp_path, TOPO_CONFIG, two_squares()))
    assert shapes is not None and shapes.format == "topojson"
    assert shapes.units == {"ML-6": "ML06", "ML-7": "ML07", "ML-BKO": "ML09"}  # OCHA's ML09 is Bamako, not ML-9
    assert shapes.config.label == "test squares" and shapes.config.contained_in == {"ML-9": "ML-7", "ML-10": "ML-6"}


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("/etc/hostname", "outside .*allow_outside: true"),
        ("../elsewhere/shapes.json", "outside .*allow_outside: true"),
        ("missing.json", "does not exist"),
    ],
)
def test_a_file_outside_needs_allow_outside_and_must_exist(tmp_path: Path, file: str, message: str) -> None:
    folder = write_config(tmp_path / "raw", TOPO_CONFIG.replace("shapes.json", file), two_squares())
    with pytest.raises(BoundaryError, match=message):
        boundaries.configured(folder)


def test_allow_outside_accepts_an_absolute_path(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "shapes.json").write_text(json.dumps(two_squares()), encoding="utf-8")
    text = TOPO_CONFIG.replace("shapes.json", str(outside / "shapes.json")) + "allow_outside: true\n"
    assert boundaries.configured(write_config(tmp_path / "raw", text)) is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (TOPO_CONFIG + "colour: red\n", "unknown setting.*colour"),
        (TOPO_CONFIG.replace("key_type: pcode", "key_type: name"), "key_type 'name' must be one of pcode, iso"),
        (TOPO_CONFIG.replace("key: pcode", "key: admin1Pcode"), "no property 'admin1Pcode' .*found: big, name, pcode"),
        (TOPO_CONFIG.replace("object: adm1", "object: adm2"), "object 'adm2' not found; the file has: adm1"),
        (TOPO_CONFIG.replace("key_type: pcode", "key_type: iso"), "'ML06' is not an ISO 3166-2 region"),
        (TOPO_CONFIG + "contained_in: {Atlantis: ML-7}\n", "contained_in: 'Atlantis' is not a region of Mali"),
        ("file: shapes.json\n", "setting 'key' is required"),
    ],
)
def test_a_broken_configuration_names_the_setting_to_fix(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(BoundaryError, match=message):
        boundaries.configured(write_config(tmp_path, text, two_squares()))


def test_the_country_is_that_of_the_codes_in_the_file_unless_set(tmp_path: Path) -> None:
    shapes = boundaries.configured(write_config(tmp_path / "inferred", TOPO_CONFIG, two_squares()))
    assert shapes is not None and shapes.country == "ML"
    with pytest.raises(BoundaryError, match="country must be an ISO 3166-1 alpha-2 code"):
        boundaries.configured(write_config(tmp_path / "lower", TOPO_CONFIG + "country: ml\n", two_squares()))
    with pytest.raises(BoundaryError, match="pcode='ML06' is not an OCHA p-code of Democratic Republic of the Congo"):
        boundaries.configured(write_config(tmp_path / "wrong", TOPO_CONFIG + "country: CD\n", two_squares()))


def test_a_file_of_one_country_draws_no_map_for_a_roadmap_of_another(tmp_path: Path) -> None:
    folder = write_config(tmp_path, TOPO_CONFIG, two_squares())
    assert boundaries.configured(folder, country="CD") is None  # a Mali file on a DR Congo report
    assert boundaries.configured(folder, country="ML") is not None


# --- geometry ----------------------------------------------------------------------------------------


def _decode(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, 6), round(y * sy + ty, 6)))
        out.append(points)
    return out


def test_simplification_keeps_shared_borders_and_drops_what_is_not_drawn(tmp_path: Path) -> None:
    shapes = boundaries.configured(write_config(tmp_path, TOPO_CONFIG, two_squares(extra=False)))
    assert shapes is not None
    data = shapes.data
    geometries = data["objects"]["adm1"]["geometries"]
    assert [g["properties"] for g in geometries] == [{"pcode": "ML06"}, {"pcode": "ML07"}]  # other properties dropped
    assert len(data["arcs"]) == 3  # the unused arc is gone
    arcs = _decode(data)
    step = data["transform"]["scale"][0]  # re-quantised: within half a grid step
    assert arcs[0] == [pytest.approx((1.0, 0.0), abs=step), pytest.approx((1.0, 1.0), abs=step)]  # end points kept
    assert [len(a) for a in arcs] == [2, 4, 4]  # collinear points removed: corners only
    assert [g["arcs"] for g in geometries] == [[[0, 1]], [[2, -1]]]  # both still use the one border arc
    assert shapes.centroids == {"ML-6": (0.5, 0.5), "ML-7": (1.5, 0.5)}


def test_a_geojson_keyed_by_iso_code_is_read_too(tmp_path: Path) -> None:
    ring = [[0, 0], [0.5, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"iso": "ML-9"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        ],
    }
    shapes = boundaries.configured(write_config(tmp_path, "file: shapes.json\nkey: iso\nkey_type: iso\n", doc))
    assert shapes is not None
    assert shapes.format == "geojson" and shapes.units == {"ML-9": "ML-9"}
    assert shapes.data["features"][0]["geometry"]["coordinates"] == [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]]
    chart = maps.choropleth(
        region_obs([("sous_prefets_presence_share", "ML-9", date(2021, 2, 28), 0, "s")]), INDICATOR, "en", shapes
    )
    assert chart is not None
    spec = chart.to_dict()
    assert offline_vl_convert().vegalite_to_svg(spec).startswith("<svg")


def test_a_geojson_feature_without_coordinates_is_refused_by_name(tmp_path: Path) -> None:
    doc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"iso": "ML-9"}, "geometry": {"type": "Polygon"}}],
    }
    with pytest.raises(BoundaryError, match=r"shapes\.json: a Polygon feature has no list of coordinates"):
        boundaries.configured(write_config(tmp_path, "file: shapes.json\nkey: iso\nkey_type: iso\n", doc))


# --- the choropleth --------------------------------------------------------------------------------


def test_the_latest_figure_per_region_wins_and_disagreeing_sources_are_ranked() -> None:
    frame = region_obs(
        [
            ("sous_prefets_presence_share", "ML-5", date(2016, 9, 30), 60.0, "b"),
            ("sous_prefets_presence_share", "ML-5", date(2021, 2, 28), 18.2, "b"),
            ("sous_prefets_presence_share", "ML-6", date(2016, 9, 30), 54.8, "b"),
            ("sous_prefets_presence_share", "ML-6", date(2016, 9, 30), 50.0, "a"),
            ("sous_prefets_presence_share", "ML", date(2021, 2, 28), 10.0, "b"),
        ]
    )
    found = {(f.code, f.value, f.source_id) for f in maps.latest_by_region(frame, "sous_prefets_presence_share")}
    assert found == {("ML-5", 18.2, "b"), ("ML-6", 54.8, "b")}  # "b" has more figures; the country is no region
    early = maps.latest_by_region(frame, "sous_prefets_presence_share", as_of=date(2020, 1, 1))
    assert {(f.code, f.value) for f in early} == {("ML-5", 60.0), ("ML-6", 54.8)}
    assert maps.regional_indicators(frame, ["x", "sous_prefets_presence_share"]) == ["sous_prefets_presence_share"]


def test_regions_missing_from_the_file_are_listed_with_the_unit_that_holds_them(tmp_path: Path) -> None:
    shapes = boundaries.configured(write_config(tmp_path, TOPO_CONFIG, two_squares()))
    assert shapes is not None
    frame = region_obs(
        [
            ("sous_prefets_presence_share", "ML-9", date(2021, 2, 28), 0.0, "s"),
            ("sous_prefets_presence_share", "ML-10", date(2021, 2, 28), 0.0, "s"),
            ("sous_prefets_presence_share", "ML-3", date(2021, 2, 28), 40.0, "s"),
        ]
    )
    lines = maps.caption(
        INDICATOR, maps.latest_by_region(frame, INDICATOR["indicator_id"]), shapes, "fr", date(2021, 3, 25)
    )
    assert lines[0] == "Dernier chiffre par région, situation au 25 mars 2021 ; limites : test squares."
    assert (
        "Ménaka (ML-9) : 0,0\u00a0% (28 février 2021), non représentée : sur cette carte, elle fait partie "
        "de Gao (ML-7)." in lines
    )
    assert any(line.startswith("Taoudénit (ML-10)") and "Tombouctou (ML-6)" in line for line in lines)
    assert any(line.startswith("Sikasso (ML-3)") and "aucune unité de cette carte" in line for line in lines)


@pytest.fixture(scope="module")
def real_observations(real_tables: views.Tables) -> pl.DataFrame:
    return real_tables.observations  # MINUSMA's figures (Mali)


@pytest.fixture(scope="module")
def ocha() -> boundaries.Boundaries:
    if not SHARED_TOPOJSON.exists():
        pytest.skip(f"OCHA's admin-1 TopoJSON is not at {SHARED_TOPOJSON} (a shared test file)")
    return boundaries.load(
        boundaries.BoundaryConfig(
            file=SHARED_TOPOJSON,
            key="admin1Pcod",
            key_type="pcode",
            object="adm1_boundaries",
            label="OCHA COD-AB admin 1 (2015)",
        )
    )


@needs_ocha
def test_the_ocha_file_shrinks_to_a_few_kilobytes_with_its_nine_units(ocha: boundaries.Boundaries) -> None:
    assert SHARED_TOPOJSON.stat().st_size > 190_000
    assert ocha.size() < 20_000
    assert sorted(ocha.units) == ["ML-1", "ML-2", "ML-3", "ML-4", "ML-5", "ML-6", "ML-7", "ML-8", "ML-BKO"]
    assert "ML-9" not in ocha.units and "ML-10" not in ocha.units
    koulikoro = next(
        g for g in ocha.data["objects"]["adm1_boundaries"]["geometries"] if g["properties"]["admin1Pcod"] == "ML02"
    )
    assert len(koulikoro["arcs"]) == 2  # its hole (Bamako) survives simplification
    for lon, lat in ocha.centroids.values():
        assert -12.3 < lon < 4.3 and 10.1 < lat < 25.0


def _rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows the map looks figures up in (one per unit of the file)."""
    return next(v for v in spec["datasets"].values() if isinstance(v, list) and v and "key" in v[0])


@needs_ocha
def test_state_presence_by_region_on_the_2015_map(ocha: boundaries.Boundaries, real_observations: pl.DataFrame) -> None:
    indicator = {**INDICATOR, "name_en": "Sub-prefects present at their post"}
    chart = maps.choropleth(real_observations, indicator, "en", ocha, as_of=date(2021, 3, 25))
    assert chart is not None
    spec = chart.to_dict()
    rows = {r["code"]: r for r in _rows(spec)}
    assert set(rows) == set(ocha.units)  # nine units, no ML-9 or ML-10
    assert round(rows["ML-5"]["value"], 1) == 18.2 and rows["ML-5"]["date_label"] == "28 February 2021"
    assert round(rows["ML-6"]["value"], 1) == 54.8  # Tombouctou's own 2016 figure (17 of 31)
    assert rows["ML-7"]["value"] is None and rows["ML-7"]["value_label"] == "no figure"  # Ménaka's 0 % not given to Gao
    subtitle = spec["title"]["subtitle"]
    assert "Ménaka (ML-9): 0.0% (28 February 2021), not drawn: on this map it lies within Gao (ML-7)." in subtitle
    assert (
        "Taoudénit (ML-10): 0.0% (28 February 2021), not drawn: on this map it lies within Tombouctou (ML-6)."
        in subtitle
    )
    topology = next(v for v in spec["datasets"].values() if isinstance(v, dict))
    assert topology["type"] == "Topology"  # the geometry travels inside the report
    text = json.dumps(spec)
    assert '"url"' not in text and "http" not in text.replace(spec.get("$schema", ""), "")
    again = maps.choropleth(real_observations, indicator, "en", ocha, as_of=date(2021, 3, 25))
    assert again is not None and json.dumps(spec, sort_keys=True) == json.dumps(again.to_dict(), sort_keys=True)


@needs_ocha
def test_a_region_with_its_own_figure_keeps_it(ocha: boundaries.Boundaries, real_observations: pl.DataFrame) -> None:
    indicator = {**INDICATOR, "indicator_id": "prefets_presence_share"}
    chart = maps.choropleth(real_observations, indicator, "fr", ocha)
    assert chart is not None
    spec = chart.to_dict()
    rows = {r["code"]: r for r in _rows(spec)}
    assert rows["ML-7"]["value"] == 100.0  # Gao: 3 of 3 préfets (2016), not mixed with Ménaka's 1 of 4
    assert any(line.startswith("Ménaka (ML-9) : 25,0\u00a0%") for line in spec["title"]["subtitle"])


@needs_ocha
def test_the_map_renders_offline_and_keeps_the_page_small(
    ocha: boundaries.Boundaries, real_observations: pl.DataFrame
) -> None:
    chart = maps.choropleth(real_observations, INDICATOR, "fr", ocha)
    assert chart is not None
    spec = chart.to_dict()
    svg = offline_vl_convert().vegalite_to_svg(spec)
    assert "Ménaka (ML-9)" in svg and "Mopti" in svg
    assert len(svg) < 150_000 and len(json.dumps(spec)) < 60_000
    static = render.Charts("svg").add(spec)
    live = render.Charts("vega").add(spec)
    assert len(static.encode()) < MAX_BYTES
    assert len(live.encode()) + len(render.vega_runtime().encode()) < MAX_BYTES


@needs_ocha
def test_an_indicator_without_regional_figures_draws_no_map(
    ocha: boundaries.Boundaries, real_observations: pl.DataFrame
) -> None:
    mpi = {**INDICATOR, "indicator_id": "mpi_headcount_national"}
    assert maps.choropleth(real_observations, mpi, "en", ocha) is None
    assert maps.regional_indicators(real_observations, ["mpi_headcount_national", "water_basic_share"]) == []


# --- the poverty and WASH report ------------------------------------------------------------------


@pytest.mark.slow
def test_the_poverty_wash_report_builds_with_and_without_a_boundary_file(real_processed: Path, tmp_path: Path) -> None:
    import nbformat
    import papermill

    processed = real_processed  # read only
    configured = write_config(tmp_path / "raw", TOPO_CONFIG, two_squares())
    runs = [("en", "", "all", ""), ("fr", str(configured), "wash", "Gao")]
    for lang, boundaries_dir, indicator_set, region in runs:
        sidecar = tmp_path / f"pw-{lang}.json"
        out = tmp_path / f"pw-{lang}.ipynb"
        papermill.execute_notebook(
            str(paths.NOTEBOOKS / "poverty_wash.ipynb"),
            str(out),
            parameters={
                "roadmap": "s-2021-300",
                "lang": lang,
                "processed_dir": str(processed),
                "sidecar_path": str(sidecar),
                "boundaries_dir": boundaries_dir,
                "indicator_set": indicator_set,
                "region": region,
            },
            kernel_name=paths.KERNEL_NAME,
            cwd=str(paths.NOTEBOOKS),
            progress_bar=False,
        )
        payload = json.loads(sidecar.read_text(encoding="utf-8"))
        html = "".join(
            o.get("data", {}).get("text/html", "")
            for c in nbformat.read(out, as_version=4).cells
            for o in c.get("outputs", [])
        )
        if lang == "en":
            assert [h["indicator_id"] for h in payload["headline"]] == [
                "mpi_headcount_national",
                "extreme_poverty_share_3usd",
                "water_basic_share",
                "sanitation_basic_share",
                "rural_population_share",
            ]
            assert "None of the selected indicators is published by region in the data: no map." in html
            # each release named as a reader recognises it, never by its id
            assert "WHO/UNICEF JMP 2025 release" in html and "Alkire and Robles (2016)" in html
            assert ">jmp-2025-owid<" not in html and ">ophi-2016-owid<" not in html
        else:
            assert payload["region"] == "ML-7" and payload["headline"] == []
            assert "Aucun chiffre pour Gao (ML-7) parmi les indicateurs choisis" in html


@needs_ocha
@pytest.mark.slow
def test_benchmark_e_maps_state_presence_by_region_when_boundaries_are_configured(
    real_processed: Path, tmp_path: Path
) -> None:
    import nbformat
    import papermill

    processed = real_processed  # read only
    config = tmp_path / "raw" / "boundaries.yaml"
    config.parent.mkdir()
    config.write_text(
        f"file: {SHARED_TOPOJSON}\nallow_outside: true\nobject: adm1_boundaries\nkey: admin1Pcod\n"
        "key_type: pcode\nlabel: OCHA COD-AB admin 1 (2015)\n",
        encoding="utf-8",
    )
    out = tmp_path / "benchmark-E.ipynb"
    papermill.execute_notebook(
        str(paths.NOTEBOOKS / "benchmark.ipynb"),
        str(out),
        parameters={
            "roadmap": "s-2021-300",
            "benchmark": "E",
            "lang": "en",
            "processed_dir": str(processed),
            "boundaries_dir": str(config.parent),
        },
        kernel_name=paths.KERNEL_NAME,
        cwd=str(paths.NOTEBOOKS),
        progress_bar=False,
    )
    specs = [
        o["data"][mime]
        for c in nbformat.read(out, as_version=4).cells
        for o in c.get("outputs", [])
        for mime in o.get("data", {})
        if mime.startswith("application/vnd.vegalite")
    ]
    maps_drawn = [s for s in specs if "geoshape" in json.dumps(s)]
    regional = views.benchmark_view(views.Tables.load(processed, "s-2021-300"), "E", "en", None).mapped()
    assert regional and len(maps_drawn) == len(regional)
    assert all("OCHA COD-AB admin 1 (2015)" in json.dumps(s) for s in maps_drawn)
