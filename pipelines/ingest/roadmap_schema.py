"""The shape of a roadmap file, checked against ``schemas/roadmap.schema.json``.

One home for every rule of shape (which keys, of which type, required or not, one of which
values, which pattern): the JSON Schema, which an editor also checks as the file is typed
(docs/data.md). Here its findings become the project's usual error, naming the file, the line
and column of the key to edit, the key path (``benchmarks[3].indicators[0].unit``), the value
and the rule in plain words. What no schema says (a date in order, a benchmark declared, an id
unique across files) stays with `pipelines.ingest.catalogue` and
`pipelines.ingest.indicator_rules`, which read a file only once it has passed here.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pipelines.core import paths
from pipelines.core.errors import DataError, Problem

SCHEMA_PATH = paths.SCHEMAS / "roadmap.schema.json"

#: The keys under which the roadmap reader records where a mapping and its keys stand.
MARKS = frozenset({"__line__", "__column__", "__lines__", "__columns__"})
#: How a JSON type reads in a message.
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "left empty",
}


@cache
def schema() -> dict[str, Any]:
    """The roadmap file's JSON Schema."""
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


@cache
def _validator() -> Any:
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(schema())
    return jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker(formats=["date"]))


def check(doc: Any, file: str) -> None:
    """Refuse `doc` (a roadmap file as read, with the positions its loader records) when it breaks
    the schema: the first error in the file's order, as a `DataError`."""
    problems = [_problem(error, doc, file) for error in _validator().iter_errors(plain(doc))]
    if problems:
        raise DataError(min(problems, key=lambda p: (p.line or 0, p.character or 0)))


def plain(node: Any) -> Any:
    """`node` as JSON sees it, without the positions the loader records (`MARKS`)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items() if k not in MARKS}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node


def position(doc: Any, path: list[str | int]) -> tuple[int | None, int | None]:
    """The line and column (1-based) where the key, or the list item, at `path` starts; an item
    that is not a mapping (``reports[1]``) is placed at its list's key."""
    node, where = doc, (doc.get("__line__"), doc.get("__column__")) if isinstance(doc, dict) else (None, None)
    for step in path:
        if isinstance(node, dict):
            key = next((k for k in node if str(k) == step), step)
            where = (node["__lines__"].get(step, where[0]), node["__columns__"].get(step, where[1]))
            node = node.get(key)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
            if isinstance(node, dict):
                where = (node["__line__"], node["__column__"])
    return where


def key_path(path: list[str | int]) -> str:
    """``benchmarks[3].indicators[0].unit``: a path as the messages write it."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _problem(error: Any, doc: Any, file: str) -> Problem:
    path: list[str | int] = list(error.absolute_path)
    instance, keyword, rule_value = error.instance, error.validator, error.validator_value
    properties: dict[str, Any] = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    value: str | None = _shown(instance)
    if keyword == "required":
        key = next(k for k in rule_value if k not in instance)
        rule, reason, value = "required", f"'{key}' is required here{_about(_declared([*path, key]))}", None
        line, character = position(doc, path)
        path = [*path, key]
    elif keyword == "additionalProperties":
        key = next(k for k in instance if k not in properties)
        rule, value = "unknown-key", key
        reason = f"unknown key '{key}': expected one of {', '.join(properties)}"
        path = [*path, key]
        line, character = position(doc, path)
    elif not path:
        line, character = None, None
        rule, reason = "roadmap-shape", "a roadmap file must be a mapping with a 'benchmarks' list"
    else:
        line, character = position(doc, path)
        rule, reason = _rule(error, path), _reason(error)
        if keyword == "type" and instance is None and path and isinstance(path[-1], str):
            rule, reason = "required", f"'{path[-1]}' is required here, not empty"
    return Problem(file, line, key_path(path) or None, value, rule, reason, character)


def _rule(error: Any, path: list[str | int]) -> str:
    """A value rule is named after its definition (``date``, ``benchmark-id``); a wrong type is
    ``type``; a key's own rule (one of a set, a pattern, a size) is named after the key."""
    for name, definition in schema()["$defs"].items():
        if error.schema is definition and "object" not in definition.get("type", ()):
            return name
    if error.validator == "type":
        return "type"
    return next((str(p).replace("_", "-") for p in reversed(path) if isinstance(p, str)), "roadmap")


def _reason(error: Any) -> str:
    """The rule broken, in plain words."""
    keyword, rule_value = error.validator, error.validator_value
    if error.schema.get("format") == "date" and keyword in ("type", "format"):
        return "must be a date that exists, written YYYY-MM-DD"
    if keyword == "type":
        types = [rule_value] if isinstance(rule_value, str) else rule_value
        return "must be " + " or ".join(_TYPE_WORDS[t] for t in types)
    if keyword == "enum":
        return "must be one of " + ", ".join("null" if v is None else str(v) for v in rule_value)
    if keyword == "minItems":
        return f"must list at least {rule_value} item{'s' * (rule_value != 1)}"
    if keyword == "maxItems":
        return f"must list at most {rule_value} item{'s' * (rule_value != 1)}"
    if keyword in ("minimum", "exclusiveMinimum", "maximum"):
        words = {"minimum": "at least", "exclusiveMinimum": "above", "maximum": "at most"}[keyword]
        return f"must be {words} {rule_value}"
    if keyword == "minLength":
        return "must not be empty"
    return error.schema.get("description") or error.message  # a pattern, a choice of shapes: what it asks for


def _declared(path: list[str | int]) -> dict[str, Any]:
    """What the schema declares for the key at `path` (its description first, then what its
    ``$ref`` points at): the help of a key a rule requires from elsewhere (``then``, ``if``)."""

    def resolved(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            target = schema()["$defs"][node["$ref"].rsplit("/", 1)[-1]]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return node

    node: dict[str, Any] = schema()
    for step in path:
        node = resolved(node)
        node = node.get("items", {}) if isinstance(step, int) else node.get("properties", {}).get(step, {})
    return resolved(node)


def _about(subschema: dict[str, Any] | None) -> str:
    """``: <what the key holds>``, from the schema's description of it."""
    text = (subschema or {}).get("description", "")
    return (
        f": {text[0].lower()}{text[1:].rstrip('.')}"
        if text and not text[1:2].isupper()
        else (f": {text.rstrip('.')}" if text else "")
    )


def _shown(value: Any) -> str | None:
    """A value as a message quotes it: a scalar as written, a list or mapping as compact JSON."""
    if value is None:
        return None
    if isinstance(value, dict | list):
        return json.dumps(plain(value), ensure_ascii=False, default=str)
    return str(value)
