"""The small YAML file beside a downloaded extract that says what its columns mean.

A downloaded file (WDI, OWID, DDF, HXL) carries numbers but not what the roadmap calls them,
in which unit, or which source to cite. The declaration says so (format: data/raw/README.md,
section ``extracts/*.yaml``). It is checked in full before the data file is opened, so that a
typo (``percents``, ``countires``, ``fomat: wdi``) stops with the declaration's own line
instead of turning into silently missing or mislabelled figures further down.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipelines.core.errors import DataError, Problem
from pipelines.core.paths import display
from pipelines.core.schema import CONFIDENCE, UNITS
from pipelines.core.yamlsafe import read_yaml_text
from pipelines.ingest.rawio import read_text

#: Formats a declaration may name, with what each one is (for error messages).
FORMATS: dict[str, str] = {
    "wdi": "World Bank WDI bulk CSV (API_<code>_DS2_…csv)",
    "owid": "Our World in Data CSV (Entity,[Code,]Year,…)",
    "ddf": "open-numbers DDF datapoints (economy,year,<indicator>)",
    "hxl": "HXL-tagged CSV (a #hashtag row)",
}
REQUIRED_KEYS = ("file", "format", "source_id", "confidence", "series")
OPTIONAL_KEYS = ("countries", "period")
SERIES_REQUIRED = ("column", "indicator_id", "unit")
SERIES_OPTIONAL = ("note",)


@dataclass(frozen=True)
class SeriesSpec:
    """One column of the data file mapped to one roadmap indicator."""

    column: str
    indicator_id: str
    unit: str
    note: str | None = None


@dataclass(frozen=True)
class Declaration:
    """A checked declaration. `file` is resolved and exists; `series` is never empty.

    `countries` None means every row is kept. `period` is the period of the rows for which
    the data file gives none (an HXL file without a ``#date`` column); a period written in
    the file always wins.
    """

    path: Path
    file: Path
    format: str
    source_id: str
    confidence: str
    series: tuple[SeriesSpec, ...]
    countries: tuple[str, ...] | None = None
    period: str | None = None

    @property
    def name(self) -> str:
        """The declaration as shown to users."""
        return display(self.path)


def read_declaration(path: Path) -> Declaration:
    """Read and check a declaration; any problem is a DataError naming this file and key."""
    name = display(path)
    if not path.is_file():
        raise DataError(Problem(name, None, None, None, "file-exists", "the declaration file does not exist"))
    text = read_text(path).text
    read_yaml_text(path)  # refuses oversized files and alias bombs before anything expands
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(
            Problem(
                name,
                mark.line + 1 if mark else None,
                None,
                None,
                "yaml-syntax",
                f"the declaration is not valid YAML ({getattr(exc, 'problem', None) or exc})",
            )
        ) from exc
    return _Checker(path, _key_lines(node)).declaration(data)


def _key_lines(node: yaml.Node | None, at: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], int]:
    """1-based line of every key and list item, by its path: errors point at the line to edit."""
    lines: dict[tuple[Any, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[(*at, key.value)] = key.start_mark.line + 1
            lines.update(_key_lines(value, (*at, key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*at, i)] = item.start_mark.line + 1
            lines.update(_key_lines(item, (*at, i)))
    return lines


class _Checker:
    """Turns the parsed YAML into a Declaration, failing on the first broken rule."""

    def __init__(self, path: Path, lines: dict[tuple[Any, ...], int]) -> None:
        self.path = path
        self.name = display(path)
        self.lines = lines

    def fail(self, at: tuple[Any, ...], value: object, rule: str, reason: str) -> DataError:
        label = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(at))
        line = next((self.lines[at[:n]] for n in range(len(at), 0, -1) if at[:n] in self.lines), None)
        return DataError(Problem(self.name, line, label or None, None if value is None else str(value), rule, reason))

    def mapping(
        self, data: object, at: tuple[Any, ...], required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, Any]:
        what = "the declaration" if not at else f"series entry {at[-1] + 1}"
        if not isinstance(data, dict):
            raise self.fail(
                at,
                None,
                "declaration-shape",
                f"{what} must be a mapping of keys ({', '.join(required)}); see data/raw/README.md",
            )
        for key in required:
            if key not in data:
                raise self.fail(
                    (*at, key), None, "required-key", f"{what} lacks the key '{key}'; it needs {', '.join(required)}"
                )
        for key in data:
            if key not in required and key not in optional:
                raise self.fail(
                    (*at, key),
                    key,
                    "known-key",
                    f"'{key}' is not a declaration key; allowed: {', '.join(required + optional)}",
                )
        return data

    def text(self, data: dict[str, Any], key: str, at: tuple[Any, ...] = ()) -> str:
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(
                (*at, key), value, "text", f"'{key}' must be non-empty text (put numbers, yes/no or dates in quotes)"
            )
        return value.strip()

    def choice(
        self, data: dict[str, Any], key: str, allowed: dict[str, str] | frozenset[str], at: tuple[Any, ...] = ()
    ) -> str:
        value = data[key]
        if not isinstance(value, str) or value.strip().lower() not in allowed:
            raise self.fail((*at, key), value, key, f"{key} must be one of {', '.join(sorted(allowed))}")
        return value.strip().lower()

    def declaration(self, data: object) -> Declaration:
        top = self.mapping(data, (), REQUIRED_KEYS, OPTIONAL_KEYS)
        fmt = self.choice(top, "format", FORMATS)
        return Declaration(
            path=self.path,
            file=self.data_file(self.text(top, "file")),
            format=fmt,
            source_id=self.text(top, "source_id"),
            confidence=self.choice(top, "confidence", CONFIDENCE),
            series=self.series(top["series"]),
            countries=self.countries(top.get("countries")),
            period=self.period(top.get("period")),
        )

    def data_file(self, given: str) -> Path:
        file = Path(given).expanduser()
        if not file.is_absolute():
            file = self.path.parent / file
        if not file.is_file():
            raise self.fail(
                ("file",),
                given,
                "file-exists",
                f"the data file {display(file)} does not exist (a relative 'file' is read "
                "from the declaration's folder)",
            )
        return file.resolve()

    def series(self, items: object) -> tuple[SeriesSpec, ...]:
        if not isinstance(items, list) or not items:
            raise self.fail(
                ("series",),
                None if items is None else items,
                "series-empty",
                "'series' must list at least one {column, indicator_id, unit}",
            )
        specs = []
        for i, item in enumerate(items):
            at = ("series", i)
            entry = self.mapping(item, at, SERIES_REQUIRED, SERIES_OPTIONAL)
            note = entry.get("note")
            if note is not None and not isinstance(note, str):
                note = str(note)
            specs.append(
                SeriesSpec(
                    column=self.text(entry, "column", at),
                    indicator_id=self.text(entry, "indicator_id", at),
                    unit=self.choice(entry, "unit", UNITS, at),
                    note=(note.strip() or None) if note else None,
                )
            )
        return tuple(specs)

    def countries(self, value: object) -> tuple[str, ...] | None:
        if value is None:
            return None
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            raise self.fail(
                ("countries",),
                value,
                "countries",
                "'countries' must be a list of ISO3 codes or country names, e.g. [MLI]",
            )
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                # YAML 1.1 reads NO (Norway) as false and 2020 as a number.
                raise self.fail(
                    ("countries", i), item, "countries", "each country must be text; put codes such as 'NO' in quotes"
                )
        return tuple(item.strip() for item in items)

    def period(self, value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, str, dt.date)):
            raise self.fail(("period",), value, "period", "'period' must be a year (2018) or an ISO date")
        text = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
        return text or None
