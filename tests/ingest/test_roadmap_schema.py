"""The roadmap file's JSON Schema (schemas/roadmap.schema.json): the shipped files pass it, a
file that breaks it is refused naming the file, the line and column of the key, the key path,
the value and the rule, and its closed sets are the code's, so that the two cannot drift."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from pipelines.core import ids, paths, schema
from pipelines.core.errors import DataError
from pipelines.ingest import catalogue, roadmap_schema
from pipelines.ingest.roadmap_reader import Reader
from pipelines.reports.roadmap_figures.sums import SYMBOLS
from tests.ingest.test_catalogue import NIGER

ROADMAPS = sorted((paths.RAW / "roadmaps").glob("*.yaml"))
DEFS = roadmap_schema.schema()["$defs"]


def test_the_schema_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(roadmap_schema.schema())


@pytest.mark.parametrize("path", ROADMAPS, ids=lambda p: p.name)
def test_each_shipped_roadmap_file_passes_the_schema(path: Path) -> None:
    Reader(path)  # reading checks the file against the schema
    assert catalogue.read_roadmap(path).benchmarks


def _refused(tmp_path: Path, old: str, new: str) -> DataError:
    assert old in NIGER
    path = tmp_path / "bad.yaml"
    path.write_text(NIGER.replace(old, new), encoding="utf-8")
    with pytest.raises(DataError) as err:
        catalogue.read_roadmap(path)
    assert err.value.problem.file == paths.display(path)
    return err.value


@pytest.mark.parametrize(
    ("old", "new", "where", "key", "value", "rule", "reason"),
    [
        # a date that does not exist: a message, where the YAML loader used to crash
        (
            "    horizon: 2023-12-31\n    kind: milestones",
            "    horizon: 2023-13-01\n    kind: milestones",
            (25, 5),
            "benchmarks[0].horizon",
            "2023-13-01",
            "date",
            "must be a date that exists, written YYYY-MM-DD",
        ),
        (
            "published: 2022-01-15",
            "published: 2022-01-15 10:00",
            (3, 1),
            "published",
            "2022-01-15 10:00",
            "date",
            "must be a date that exists",
        ),
        # a key of a flow mapping, at its own column
        (
            "as: transferred",
            "as: moved",
            (42, 33),
            "benchmarks[1].retired.as",
            "moved",
            "as",
            "must be one of transferred, retired",
        ),
        (
            "        unit: count\n",
            "        unit: dozens\n",
            (48, 9),
            "benchmarks[1].indicators[0].unit",
            "dozens",
            "unit",
            "must be one of percent, count",
        ),
        # a key the code would not read: refused rather than silently ignored
        (
            "        due: 2023-12-31\n",
            "        due: 2023-12-31\n        owner: the ministry\n",
            (32, 9),
            "benchmarks[0].milestones[0].owner",
            "owner",
            "unknown-key",
            "unknown key 'owner': expected one of milestone_id, name_fr, name_en, due, rubric",
        ),
        # a missing key is placed at the mapping that lacks it
        (
            "    label_en: test roadmap\n",
            "",
            (13, 5),
            "key_dates[0].label_en",
            None,
            "required",
            "'label_en' is required here",
        ),
        (
            "symbol: TEST/NE/1",
            "symbol: null",
            (2, 1),
            "symbol",
            None,
            "required",
            "'symbol' is required here, not empty",
        ),
        (
            "          paragraph: 4\n",
            "          paragraph: four\n",
            (56, 11),
            "benchmarks[1].indicators[0].assessment.paragraph",
            "four",
            "type",
            "must be a whole number",
        ),
        (
            "benchmark: 1\n",
            "benchmark: 'a b'\n",
            (32, 5),
            "benchmarks[1].benchmark",
            "a b",
            "benchmark-id",
            "1-12 letters, digits, '-' or '_'",
        ),
        (
            "title_en: Test roadmap\n",
            "title_en: Test roadmap\nreports:\n  Women Quota: {}\n",
            (12, 1),
            "reports",
            "Women Quota",
            "reports",
            "lower-case letters, digits and '-'",
        ),
    ],
)
def test_a_file_that_breaks_the_schema_is_refused_naming_line_column_key_value_and_rule(
    tmp_path: Path, old: str, new: str, where: tuple[int, int], key: str, value: str | None, rule: str, reason: str
) -> None:
    problem = _refused(tmp_path, old, new).problem
    assert ((problem.line, problem.character), problem.column, problem.value, problem.rule) == (where, key, value, rule)
    assert reason in problem.reason
    assert f"bad.yaml, line {where[0]}, column {where[1]}, key '{key}'" in str(problem)


def test_the_first_error_in_the_file_is_the_one_named(tmp_path: Path) -> None:
    text = NIGER.replace("country: NE", "country: niger").replace("unit: count", "unit: dozens")
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        catalogue.read_roadmap(path)
    assert (err.value.problem.line, err.value.problem.column) == (9, "country")


def test_a_semantic_check_names_the_column_too(tmp_path: Path) -> None:
    problem = _refused(tmp_path, "country: NE", "country: XX").problem
    assert (problem.line, problem.character, problem.rule) == (9, 1, "country")


# --- the schema's closed sets are the code's ----------------------------------------------------


def _indicator(key: str) -> dict:
    return DEFS["indicator"]["properties"][key]


def test_units_directions_and_qualifiers_are_those_the_code_knows() -> None:
    assert set(_indicator("unit")["enum"]) == schema.UNITS
    assert set(_indicator("direction")["enum"]) == schema.DIRECTIONS
    # every qualifier has the symbol the reports print it with, and no other is written
    assert set(_indicator("roadmap")["properties"]["qualifier"]["enum"]) == {*SYMBOLS, None}


def test_milestone_levels_and_retirements_are_those_the_code_knows() -> None:
    assert list(DEFS["milestone"]["properties"]["rubric"]["properties"]) == list(schema.MILESTONE_STATUS)
    assert set(DEFS["retired"]["properties"]["as"]["enum"]) == schema.RETIREMENTS
    assert schema.RETIREMENTS <= set(DEFS["benchmark-set"]["properties"])  # a set drops one as either


def test_benchmark_kinds_are_those_validation_expects() -> None:
    suite = json.loads((paths.EXPECTATIONS / "benchmarks.json").read_text(encoding="utf-8"))
    [kinds] = [e["kwargs"]["value_set"] for e in suite["expectations"] if e["kwargs"].get("column") == "kind"]
    assert set(DEFS["benchmark"]["properties"]["kind"]["enum"]) == set(kinds)


def test_id_patterns_are_the_runners() -> None:
    assert DEFS["roadmap-id"]["pattern"] == f"^{ids.ROADMAP_ID.pattern}$"
    assert DEFS["benchmark-id"]["pattern"] == f"^{ids.BENCHMARK_ID.pattern}$"


def test_every_mapping_refuses_a_key_it_does_not_declare() -> None:
    # additionalProperties: false everywhere a mapping is read, so a typo is refused, never ignored
    def mappings(node: dict) -> list[dict]:
        found = [node] if node.get("type") in ("object", ["object", "null"]) else []
        for value in node.values():
            if isinstance(value, dict):
                found += mappings(value)
            elif isinstance(value, list):
                found += [m for v in value if isinstance(v, dict) for m in mappings(v)]
        return found

    found = mappings(roadmap_schema.schema())
    assert len(found) >= 12  # the file, its mission, benchmarks, indicators, milestones, blocks of each
    for mapping in found:
        # a mapping whose keys are names (a report's id, a role) constrains them here, and ingest
        # refuses one that no report folder declares (`tests/ingest/test_report_roles.py`)
        keyed = "propertyNames" in mapping and isinstance(mapping.get("additionalProperties"), dict)
        assert mapping.get("additionalProperties") is False or keyed, mapping.get("description")
