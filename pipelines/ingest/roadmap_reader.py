"""A roadmap file read with the line of every mapping and key, and the field readers that
raise an error naming the file, the line and the key path (``benchmarks[3].indicators[0].unit``).

Separate from `pipelines.ingest.catalogue`, which says what a roadmap holds: this is how any
of its values is read and refused (required, typed, a date, a number, one of a set), the same
for a benchmark, an indicator (`pipelines.ingest.indicator_rules`) or a key date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import yaml

from pipelines.core.errors import DataError, Problem
from pipelines.core.paths import display
from pipelines.core.yamlsafe import SAFE_LOADER, read_yaml_text


class _LineLoader(SAFE_LOADER):  # type: ignore[misc,valid-type]
    """A safe YAML loader that remembers where each mapping and key stands in the file
    (``__line__`` and ``__lines__``), so that errors can name the line to edit."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = SAFE_LOADER.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class Reader:
    """Walks one roadmap file, collecting rows and raising precise errors."""

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
        if not isinstance(self.doc, dict):
            self.fail(self.doc, "", "roadmap-shape", "a roadmap file must be a mapping with a 'benchmarks' list")

    def fail(self, node: Any, key: str, rule: str, reason: str, value: Any = None) -> NoReturn:
        line = None
        if isinstance(node, dict):
            leaf = key.rsplit(".", 1)[-1]
            line = node.get("__lines__", {}).get(leaf, node.get("__line__"))
        raise DataError(Problem(self.name, line, key or None, None if value is None else str(value), rule, reason))

    def req(self, node: dict[str, Any], key: str, path: str, kind: type | tuple[type, ...] = str) -> Any:
        if key not in node or node[key] is None:
            self.fail(node, f"{path}.{key}".lstrip("."), "required", f"'{key}' is required here")
        value = node[key]
        if not isinstance(value, kind):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            self.fail(node, f"{path}.{key}".lstrip("."), "type", f"'{key}' must be {names}", value)
        return value

    def opt_date(self, node: dict[str, Any] | None, key: str, path: str) -> date | None:
        if not node or node.get(key) is None:
            return None
        value = node[key]
        if not isinstance(value, date):
            self.fail(node, f"{path}.{key}", "date", "must be an ISO date (YYYY-MM-DD)", value)
        return value

    def opt_number(self, node: dict[str, Any] | None, key: str, path: str) -> float | None:
        if not node or node.get(key) is None:
            return None
        value = node[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(node, f"{path}.{key}", "number", "must be a number", value)
        return float(value)

    def choice(self, node: dict[str, Any], key: str, path: str, allowed: frozenset[str]) -> str:
        value = self.req(node, key, path)
        if value not in allowed:
            self.fail(node, f"{path}.{key}", key, f"must be one of {sorted(allowed)}", value)
        return value

