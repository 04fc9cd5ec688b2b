"""A roadmap file read with the line and column of every mapping and key, checked against its
JSON Schema (`pipelines.ingest.roadmap_schema`), and the error that names the file, the line,
the column and the key path (``benchmarks[3].indicators[0].unit``) of a rule the schema cannot
say (a date out of order, an undeclared benchmark).

Separate from `pipelines.ingest.catalogue`, which says what a roadmap holds: this is how a file
is read and a value refused, the same for a benchmark, an indicator
(`pipelines.ingest.indicator_rules`) or a key date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import yaml

from pipelines.core.errors import DataError, Problem
from pipelines.core.paths import display
from pipelines.core.yamlsafe import SAFE_LOADER, read_yaml_text
from pipelines.ingest import roadmap_schema


class _LineLoader(SAFE_LOADER):  # type: ignore[misc,valid-type]
    """A safe YAML loader that remembers where each mapping and key starts in the file
    (``__line__``, ``__column__``, ``__lines__``, ``__columns__``), so that errors can name the
    place to edit, and that leaves dates as the text written: as an editor reads the file
    (YAML 1.2), the schema checks them (a date that does not exist, ``2023-13-01``, is a
    message, not a crash of the loader), and `as_date` reads them."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = SAFE_LOADER.construct_mapping(loader, node, deep=True)
    keys = [k for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
    mapping["__line__"], mapping["__column__"] = node.start_mark.line + 1, node.start_mark.column + 1
    mapping["__lines__"] = {k.value: k.start_mark.line + 1 for k in keys}
    mapping["__columns__"] = {k.value: k.start_mark.column + 1 for k in keys}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", SAFE_LOADER.construct_scalar)


def as_date(value: str | None) -> date | None:
    """An optional date the schema has checked (``YYYY-MM-DD``), or None when left empty (a
    required one is read with `date.fromisoformat`)."""
    return None if value is None else date.fromisoformat(value)


def as_number(value: float | None) -> float | None:
    """A number the schema has checked, as a float, or None when left empty."""
    return None if value is None else float(value)


class Reader:
    """One roadmap file, read and checked against the schema; raises precise errors."""

    def __init__(self, path: Path) -> None:
        self.name = display(path)
        text = read_yaml_text(path)
        try:
            self.doc = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise DataError(
                Problem(self.name, mark.line + 1 if mark else None, None, None, "yaml-syntax", str(exc))
            ) from exc
        roadmap_schema.check(self.doc, self.name)

    def fail(self, node: Any, key: str, rule: str, reason: str, value: Any = None, leaf: str = "") -> NoReturn:
        """Refuse the file at ``node``'s line for ``key`` (its last dotted part, or ``leaf`` for
        a key with dots of its own, such as a catalogue key)."""
        line = character = None
        if isinstance(node, dict):
            leaf = leaf or key.rsplit(".", 1)[-1]
            line = node.get("__lines__", {}).get(leaf, node.get("__line__"))
            character = node.get("__columns__", {}).get(leaf, node.get("__column__"))
        raise DataError(
            Problem(self.name, line, key or None, None if value is None else str(value), rule, reason, character)
        )
