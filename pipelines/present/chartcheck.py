"""Altair's check of a chart against the Vega-Lite schema, decided first by a compiled validator.

Every chart a report shows is checked whole against the Vega-Lite schema before it is saved (a
bad chart fails its report, naming the cell: `pipelines.present.renderer`). Altair does it with
the Python ``jsonschema`` package, which walks the schema's ``anyOf`` and ``$ref`` for every
part of the chart: 30-50 ms a chart, 214 charts a build, the largest single cost of the
reports' own compute (a third of the one-process floor of ``make bench``). `install` puts a
validator compiled from the same schema by ``jsonschema_rs`` (Rust) in front of it: a chart it
finds valid is valid, and anything else (a chart it finds invalid, a value it cannot read, a
schema shape other than a top-level ``$ref``) goes to Altair's own check, unchanged, which
decides and words the error. So the messages are Altair's and the decisions are the Draft 7
rules of the same schema, the formats included: each format the schema names is checked by the
function Altair's validator uses for it (``FORMAT_CHECKER.conforms``), so a format the Python
package does not check (``color-hex``) is not checked here either. tests/present/test_chartcheck.py
holds the two to the same verdicts on every chart of the reports and on broken ones.

The one rewrite: the schema's ``$ref`` values are percent-encoded (``#/definitions/MarkPropDef%3C…``).
Vega-Lite names definitions with ``<``, ``|`` and ``(``, which a URI fragment may not hold:
``jsonschema_rs`` checks the schema itself and refuses them, as Python's ``check_schema`` does;
an encoded fragment names the same definition (RFC 6901, section 6).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import quote

#: Set by `install`: Altair's own ``_get_errors_from_spec``, which the fast check hands over to.
_ALTAIRS: list[Callable[..., list[Any]]] = []


def install() -> None:
    """Check charts with the compiled validator first, in this process, from now on (idempotent)."""
    from altair.utils import schemapi

    if _ALTAIRS:
        return
    _ALTAIRS.append(schemapi._get_errors_from_spec)
    schemapi._get_errors_from_spec = _errors


def _errors(spec: Any, schema: dict[str, Any], rootschema: dict[str, Any] | None = None) -> list[Any]:
    """Altair's errors for `spec`: none when the compiled validator of the same schema finds it
    valid, else whatever Altair's own check finds."""
    validator = _validator_for(schema, rootschema)
    if validator is not None:
        try:
            if validator.is_valid(spec):
                return []
        except (ValueError, TypeError, OverflowError):
            pass  # a value jsonschema_rs cannot read as JSON: Altair's check decides
    return _ALTAIRS[0](spec, schema, rootschema=rootschema)


def _validator_for(schema: dict[str, Any], rootschema: dict[str, Any] | None) -> Any | None:
    """The compiled validator of `schema` when it is a top-level ``$ref`` into Vega-Lite's schema
    (how Altair checks a whole chart), else None (a property's schema, checked as Altair does)."""
    from altair.vegalite.v6.schema.core import VegaLiteSchema

    if rootschema is not VegaLiteSchema._rootschema or set(schema) != {"$ref"} or not isinstance(schema["$ref"], str):
        return None
    return _compiled(schema["$ref"])


@cache
def _compiled(ref: str) -> Any:
    """A Draft 7 validator of Vega-Lite's definition `ref`, its formats checked as Altair checks them."""
    import jsonschema
    import jsonschema_rs
    from altair.vegalite.v6.schema.core import VegaLiteSchema

    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    formats = {
        name: (lambda value, name=name: checker.conforms(value, name)) for name in _formats(VegaLiteSchema._rootschema)
    }
    return jsonschema_rs.Draft7Validator(
        {**_encoded_root(), "$ref": quote(ref, safe="#/")}, formats=formats, validate_formats=True
    )


@cache
def _encoded_root() -> dict[str, Any]:
    """Vega-Lite's schema as Altair holds it, its ``$ref`` values percent-encoded."""
    from altair.vegalite.v6.schema.core import VegaLiteSchema

    return _encoded(VegaLiteSchema._rootschema)


def _formats(node: Any) -> set[str]:
    """Every format the schema names (the value of a ``format`` keyword in a subschema)."""
    if isinstance(node, dict):
        found = {node["format"]} if isinstance(node.get("format"), str) and "type" in node else set()
        return found.union(*(_formats(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_formats(v) for v in node))
    return set()


def _encoded(node: Any) -> Any:
    """`node` with every ``$ref`` percent-encoded (the definitions' names are left as they are)."""
    if isinstance(node, dict):
        return {
            k: (quote(v, safe="#/") if k == "$ref" and isinstance(v, str) else _encoded(v)) for k, v in node.items()
        }
    if isinstance(node, list):
        return [_encoded(v) for v in node]
    return node
