"""Optional boundary files for regional maps, configured in ``data/raw/boundaries.yaml``.

No boundary file ships with the project: public admin-1 files differ by geography (OCHA's
COD-AB for Mali is the 2015 one, with 9 units and no Ménaka or Taoudénit; the 2023 reform has
19 regions), by licence and by size, so an analyst chooses one and says how to read it
(``data/raw/boundaries.example.yaml`` is a commented copy to start from)::

    # data/raw/boundaries.yaml
    file: boundaries/mli_adm1.topojson.json   # relative to data/raw/
    object: adm1_boundaries                   # the TopoJSON object (omit for GeoJSON)
    key: admin1Pcod                           # the feature property holding the code
    key_type: pcode                           # pcode (OCHA, ML01...) or iso (ISO 3166-2, ML-1...)
    label: OCHA COD-AB admin 1 (2015)         # optional: the geography, as the map's caption names it
    # allow_outside: true                     # needed for an absolute path or one outside data/raw/
    # simplify: 0.01                          # degrees; 0 keeps every point
    # country: ML                             # ISO 3166-1; default: the country of the codes in the file
    # contained_in: {ML-9: ML-7, ML-10: ML-6} # regions missing from the file -> the unit holding them
    #                                         # (default: the country's `formed_from`, data/raw/geography/)

Without that file there is no map and no error. A file that is configured but unreadable is
an error that names the setting to fix, since a silently missing map would look like missing
data.

The geometry is inlined into every report that draws a map (reports work offline), so it is
simplified on load (the sums on points are in `pipelines.ingest.geometry`): Douglas-Peucker on
each TopoJSON arc with its end points kept (shared borders stay shared, no gaps or overlaps),
then re-quantised, and every property but the key dropped. The 197 KB OCHA file becomes about
10 KB at the default tolerance of 0.01° (about 1 km, under a pixel of a 640-pixel map of Mali).

Codes are matched by their exact form through the country's geography (`pipelines.core.geo`):
OCHA's ``ML09`` is Bamako (ISO ``ML-BKO``), never ISO's ``ML-9`` (Ménaka). A report draws the
map only for a roadmap of the file's country (`configured`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import yaml

from pipelines.core import geo, paths
from pipelines.core.errors import DataError, UsageError
from pipelines.core.yamlsafe import read_yaml_text
from pipelines.ingest import geometry

CONFIG_NAME = "boundaries.yaml"
KeyType = Literal["pcode", "iso"]
KEY_TYPES: tuple[str, ...] = ("pcode", "iso")
#: Default simplification tolerance, in degrees (about 1 km at Mali's latitudes).
DEFAULT_SIMPLIFY = 0.01
_KNOWN_SETTINGS = frozenset(
    {"file", "object", "key", "key_type", "label", "allow_outside", "simplify", "contained_in", "country"}
)


class BoundaryError(UsageError):
    """A boundary file is configured but cannot be used as configured."""


@dataclass(frozen=True)
class BoundaryConfig:
    """How to read one boundary file (see the module docstring for the YAML)."""

    file: Path
    key: str
    key_type: KeyType
    object: str | None = None
    label: str = ""
    simplify: float = DEFAULT_SIMPLIFY
    #: As written (None: the country's `formed_from`); ISO codes once loaded (`load`).
    contained_in: Mapping[str, str] | None = None
    origin: str = ""  # the config file, for messages
    country: str | None = None  # None: the country of the codes in the file


@dataclass(frozen=True)
class Boundaries:
    """A loaded, simplified boundary file ready to inline into a chart.

    ``data`` is the TopoJSON topology or GeoJSON FeatureCollection; ``units`` maps the ISO
    code of each drawn unit to the value of its ``key`` property; ``centroids`` gives a
    label position (lon, lat) per ISO code.
    """

    config: BoundaryConfig
    format: Literal["topojson", "geojson"]
    data: dict[str, Any]
    units: dict[str, str]
    centroids: dict[str, tuple[float, float]]

    @property
    def feature(self) -> str:
        """The TopoJSON object a map draws: every TopoJSON file is loaded with one."""
        if self.config.object is None:
            raise ValueError(f"{self.config.origin}: a {self.format} file has no TopoJSON object to draw")
        return self.config.object

    def size(self) -> int:
        """Bytes of the geometry as a chart embeds it (compact JSON)."""
        return len(json.dumps(self.data, separators=(",", ":")).encode("utf-8"))

    @property
    def country(self) -> str:
        return self.config.country or ""

    def container(self, code: str) -> str | None:
        """The drawn unit that holds a region missing from the file, when known."""
        holder = (self.config.contained_in or {}).get(code)
        return holder if holder in self.units else None


# --- configuration ------------------------------------------------------------------------------


def config_path(raw_dir: str | Path | None = None) -> Path:
    """Where the configuration is looked for: ``<raw_dir>/boundaries.yaml``."""
    return Path(raw_dir if raw_dir not in (None, "") else paths.RAW) / CONFIG_NAME


def read_config(path: str | Path) -> BoundaryConfig:
    """Read and check a boundaries.yaml; every problem names the setting to fix."""
    path = Path(path)
    shown = paths.display(path)
    try:
        doc = yaml.safe_load(read_yaml_text(path))  # refuses oversized files and alias bombs
    except (OSError, UnicodeDecodeError, yaml.YAMLError, DataError) as exc:
        raise BoundaryError(f"{shown}: cannot read the boundary configuration: {exc}") from None
    if not isinstance(doc, dict):
        raise BoundaryError(f"{shown}: expected settings 'file', 'key' and 'key_type', found no mapping")
    unknown = sorted(set(doc) - _KNOWN_SETTINGS)
    if unknown:
        raise BoundaryError(
            f"{shown}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(_KNOWN_SETTINGS))}"
        )
    for name in ("file", "key", "key_type"):
        if not isinstance(doc.get(name), str) or not doc[name].strip():
            raise BoundaryError(f"{shown}: setting '{name}' is required (a text value)")
    if doc["key_type"] not in KEY_TYPES:
        raise BoundaryError(f"{shown}: key_type {doc['key_type']!r} must be one of {', '.join(KEY_TYPES)}")
    allow_outside = doc.get("allow_outside", False)
    if not isinstance(allow_outside, bool):
        raise BoundaryError(f"{shown}: allow_outside must be true or false")
    simplify = doc.get("simplify", DEFAULT_SIMPLIFY)
    if isinstance(simplify, bool) or not isinstance(simplify, (int, float)) or not 0 <= simplify <= 1:
        raise BoundaryError(f"{shown}: simplify must be a number of degrees between 0 and 1")
    contained = doc.get("contained_in")
    if contained is not None and (
        not isinstance(contained, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in contained.items())
    ):
        raise BoundaryError(f"{shown}: contained_in must map region codes to region codes, e.g. {{ML-9: ML-7}}")
    country = doc.get("country")
    if country is not None and not (isinstance(country, str) and re.fullmatch(r"[A-Z]{2}", country)):
        raise BoundaryError(f"{shown}: country must be an ISO 3166-1 alpha-2 code, e.g. ML")
    obj = doc.get("object")
    if obj is not None and not isinstance(obj, str):
        raise BoundaryError(f"{shown}: object must be the name of a TopoJSON object")
    return BoundaryConfig(
        file=_resolve(doc["file"], path.parent, allow_outside, shown),
        key=doc["key"].strip(),
        key_type=doc["key_type"],
        object=obj,
        label=str(doc.get("label") or ""),
        simplify=float(simplify),
        contained_in=contained,
        origin=shown,
        country=country,
    )


def _resolve(value: str, base: Path, allow_outside: bool, shown: str) -> Path:
    """The boundary file's path: relative to the config's folder; an absolute path, or one
    leaving that folder, only with ``allow_outside: true`` (reports must not pick up files
    from elsewhere on a machine by accident)."""
    given = Path(value)
    resolved = (given if given.is_absolute() else base / given).resolve()
    if not allow_outside and (given.is_absolute() or not resolved.is_relative_to(base.resolve())):
        raise BoundaryError(
            f"{shown}: file {value} lies outside {paths.display(base)}; set 'allow_outside: true' to use it"
        )
    if not resolved.is_file():
        raise BoundaryError(f"{shown}: file {value} does not exist ({resolved})")
    return resolved


def configured(raw_dir: str | Path | None = None, country: str | None = None) -> Boundaries | None:
    """The configured boundaries, or None when ``boundaries.yaml`` does not exist, or when
    `country` is given and the file draws another country (a Mali file on a DR Congo report)."""
    path = config_path(raw_dir)
    if not path.is_file():
        return None
    loaded = load(read_config(path))
    return loaded if country is None or loaded.country == country else None


# --- loading --------------------------------------------------------------------------------------


def load(config: BoundaryConfig) -> Boundaries:
    """Read, check and simplify the configured file."""
    where = f"{config.origin or 'boundaries'}: {paths.display(config.file)}"
    try:
        doc = json.loads(config.file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError(f"{where} is not readable JSON: {exc}") from None
    config = _with_country(config, doc, where)
    if isinstance(doc, dict) and doc.get("type") == "Topology":
        return _load_topojson(doc, config, where)
    if isinstance(doc, dict) and doc.get("type") in ("FeatureCollection", "Feature"):
        return _load_geojson(doc, config, where)
    raise BoundaryError(f"{where} is neither TopoJSON (type Topology) nor GeoJSON (type FeatureCollection)")


def _with_country(config: BoundaryConfig, doc: Any, where: str) -> BoundaryConfig:
    """The config with its country and its `contained_in` as ISO codes (given, else the
    country's `formed_from`).

    The country is the `country` setting, else the one the first feature's code belongs to
    (OCHA p-codes and ISO 3166-2 codes both start with it), accepted only when that code is
    one of the country's: a wrong `object` or `key` is then reported by the checks that name
    them, not as a strange country."""
    country = config.country or _country_of_codes(config, doc)
    if country is None:
        return config
    try:
        geography = geo.geography(country)
    except geo.UnknownRegion as exc:
        raise BoundaryError(f"{where}: country: {exc}") from None
    try:
        given = config.contained_in
        contained = (
            dict(geography.formed_from)
            if given is None
            else {geography.to_iso(k): geography.to_iso(v) for k, v in given.items()}
        )
    except geo.UnknownRegion as exc:
        raise BoundaryError(f"{where}: contained_in: {exc}") from None
    return replace(config, country=country, contained_in=contained)


def _country_of_codes(config: BoundaryConfig, doc: Any) -> str | None:
    """The country whose code the first feature carries, or None when it carries none."""
    features = doc.get("features") if isinstance(doc, dict) else None
    if features is None and isinstance(doc, dict):
        features = ((doc.get("objects") or {}).get(config.object or "") or {}).get("geometries")
    first = next(
        (
            str((f.get("properties") or {}).get(config.key, "")).strip().upper()
            for f in features or []
            if isinstance(f, dict)
        ),
        "",
    )
    try:
        geography = geo.geography(first[:2])
    except geo.UnknownRegion:
        return None
    codes = geography.pcodes if config.key_type == "pcode" else geography.regions
    return geography.country if first in codes else None


def _iso_code(raw: Any, config: BoundaryConfig, where: str) -> str:
    """The ISO 3166-2 code of a feature's key value, by its exact form."""
    text = str(raw).strip() if raw is not None else ""
    if config.country is None:
        kind = "an OCHA p-code" if config.key_type == "pcode" else "an ISO 3166-2 region"
        raise BoundaryError(
            f"{where}: {config.key}={text!r} is not {kind} of a country known here "
            "(pycountry, data/raw/geography/); is key_type right? Or set 'country'"
        )
    geography = geo.geography(config.country)
    if config.key_type == "pcode":
        code = geography.pcodes.get(text.upper())
        if code is None:
            raise BoundaryError(
                f"{where}: {config.key}={text!r} is not an OCHA p-code of {geography.name} "
                f"({', '.join(sorted(geography.pcodes)) or 'none in data/raw/geography/'}); "
                "is key_type right?"
            )
        return code
    code = text.upper()
    if code not in geography.regions:
        raise BoundaryError(
            f"{where}: {config.key}={text!r} is not an ISO 3166-2 region of {geography.name}; is key_type right?"
        )
    return code


def _units(features: Sequence[Mapping[str, Any]], config: BoundaryConfig, where: str) -> dict[str, str]:
    """ISO code -> key value for every feature; duplicates and missing keys are errors."""
    units: dict[str, str] = {}
    for feature in features:
        props = feature.get("properties") or {}
        if config.key not in props:
            found = ", ".join(sorted(props)) or "none"
            raise BoundaryError(f"{where}: features have no property {config.key!r} (found: {found})")
        code = _iso_code(props[config.key], config, where)
        if code in units:
            raise BoundaryError(f"{where}: two features carry the code of {geo.name(code)} ({props[config.key]})")
        units[code] = str(props[config.key]).strip()
    if not units:
        raise BoundaryError(f"{where}: no feature to draw")
    return units


def _load_topojson(doc: dict[str, Any], config: BoundaryConfig, where: str) -> Boundaries:
    objects = doc.get("objects") or {}
    name = config.object
    if name is None or name not in objects:
        raise BoundaryError(f"{where}: object {name!r} not found; the file has: {', '.join(sorted(objects))}")
    geometries = objects[name].get("geometries") or []
    units = _units(geometries, config, where)
    arcs = [geometry.decode_arc(arc, doc.get("transform")) for arc in doc.get("arcs") or []]
    if config.simplify > 0:
        arcs = [geometry.douglas_peucker(arc, config.simplify) for arc in arcs]
    kept = [
        {"type": g["type"], "arcs": g["arcs"], "properties": {config.key: str(g["properties"][config.key]).strip()}}
        for g in geometries
    ]
    centroids = {
        _iso_code(g["properties"][config.key], config, where): geometry.centroid(geometry.rings(g, arcs))
        for g in geometries
    }
    used = sorted({i if i >= 0 else ~i for g in kept for i in geometry.arc_indices(g["arcs"])})
    renumber = {old: new for new, old in enumerate(used)}
    for g in kept:
        g["arcs"] = geometry.renumbered(g["arcs"], renumber)
    topology = geometry.encode({name: {"type": "GeometryCollection", "geometries": kept}}, [arcs[i] for i in used])
    return Boundaries(config, "topojson", topology, units, centroids)


def _load_geojson(doc: dict[str, Any], config: BoundaryConfig, where: str) -> Boundaries:
    features = doc["features"] if doc["type"] == "FeatureCollection" else [doc]
    units = _units(features, config, where)
    kept, centroids = [], {}
    for feature in features:
        shape = feature.get("geometry") or {}
        polygons = _geojson_polygons(shape, where)
        simplified = [
            [
                _round(geometry.douglas_peucker(ring, config.simplify) if config.simplify > 0 else ring)
                for ring in polygon
            ]
            for polygon in polygons
        ]
        code = _iso_code(feature["properties"][config.key], config, where)
        centroids[code] = geometry.centroid([ring for polygon in simplified for ring in polygon[:1]])
        kept.append(
            {
                "type": "Feature",
                "properties": {config.key: units[code]},
                "geometry": {"type": "MultiPolygon", "coordinates": simplified},
            }
        )
    return Boundaries(config, "geojson", {"type": "FeatureCollection", "features": kept}, units, centroids)


def _geojson_polygons(shape: Mapping[str, Any], where: str) -> list[list[list[tuple[float, float]]]]:
    kind, coords = shape.get("type"), shape.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        raise BoundaryError(f"{where}: a feature is a {kind}, not a Polygon or MultiPolygon")
    if not isinstance(coords, list):
        raise BoundaryError(f"{where}: a {kind} feature has no list of coordinates")
    polygons: list[Any] = [coords] if kind == "Polygon" else coords
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in polygon] for polygon in polygons]


def _round(ring: Sequence[tuple[float, float]], digits: int = 4) -> list[list[float]]:
    return [[round(x, digits), round(y, digits)] for x, y in ring]
