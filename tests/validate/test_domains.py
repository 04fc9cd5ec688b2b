"""A large table checked by what each rule reads gives the results of GX on the whole table.

`pipelines.validate.domains` checks tables of `WHOLE_BELOW` rows or more rule group by rule
group: row rules on the distinct combinations of their columns, key rules in parts cut by the
key's hash. Here the threshold is lowered so the small bad datasets of `test_step` go that way,
in parts of a few rows, and every result, failing rows and counts included, must be the one a
whole-table check gives.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest

from pipelines.validate import domains
from pipelines.validate.sample import sample_frames, synthetic_frames
from tests.validate.test_step import CASES, WARNING_CASES, Frames, broken, check, edit


def both_ways(frames: Frames, monkeypatch: pytest.MonkeyPatch, *tables: str, part_rows: int = 3) -> tuple[dict, dict]:
    """The report as dicts: checked whole, and checked by rule group in parts of `part_rows`."""
    whole = check(frames, *tables).to_dict()
    with monkeypatch.context() as patch:
        patch.setattr(domains, "WHOLE_BELOW", 0)
        patch.setattr(domains, "PART_ROWS", part_rows)
        split = check(frames, *tables).to_dict()
    return whole, split


ALL = CASES + WARNING_CASES


@pytest.mark.parametrize(("table", "mutate"), [(c[0], c[2]) for c in ALL], ids=[f"{c[0]}:{c[1]}" for c in ALL])
def test_each_broken_rule_gives_the_whole_table_result(
    table: str, mutate: Callable[[Frames], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole, split = both_ways(broken(mutate), monkeypatch, table)
    assert split == whole
    assert any(not r["success"] for r in whole["tables"][table]["rules"])  # the case breaks something


def test_every_rule_broken_at_once_on_every_table(monkeypatch: pytest.MonkeyPatch) -> None:
    frames = broken(*[m for _, _, m, _ in ALL])
    whole, split = both_ways(frames, monkeypatch)
    assert split == whole
    failed = sum(not r["success"] for t in whole["tables"].values() for r in t["rules"])
    assert failed >= 40  # of the 56 rules broken (some edits overwrite one another's rows)


def test_a_missing_column_and_a_wrong_type_give_the_same_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    frames = sample_frames()
    frames["observations"] = frames["observations"].drop("note").with_columns(pl.col("value").cast(pl.String))
    whole, split = both_ways(frames, monkeypatch, "observations")
    assert split == whole


def test_duplicates_far_apart_meet_in_one_part_and_failures_are_traced_to_every_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 3,000 rows in parts of 200: the copies of a key land at the end, far from their originals;
    # the same bad value on many rows is one distinct combination for GX and every row in the result
    frames = synthetic_frames(3_000)
    obs = frames["observations"]
    copies = obs.filter(pl.col("line").is_in([2, 500, 1_700])).with_columns(
        pl.col("line") + 10_000, pl.lit("data/raw/observations/copy.csv").alias("file")
    )
    frames["observations"] = pl.concat([obs, copies])
    edit("observations", pl.col("source_id") == "s-4", source_id="s-unknown")(frames)
    edit("observations", (pl.col("indicator_id") == "women_share") & (pl.col("line") % 7 == 0), value=120.0)(frames)
    whole, split = both_ways(frames, monkeypatch, "observations", part_rows=200)
    assert split == whole
    rules = {r["rule"]: r for r in split["tables"]["observations"]["rules"]}
    assert rules["unique-key"]["unexpected_count"] == 6
    assert (
        rules["known-source"]["unexpected_count"]
        == frames["observations"].filter(pl.col("source_id") == "s-unknown").height
        > 100
    )


def test_a_small_table_is_checked_in_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    # a GX batch costs ~20 ms: below the threshold the table goes whole, one call
    calls: list[int] = []

    def counting(name: str, frame: pl.DataFrame, expectations: list, parameters: dict, **kw: object) -> dict:
        calls.append(frame.height)
        return {}

    frame = sample_frames()["observations"]
    domains.validate(
        counting,
        "observations",
        frame,
        [
            {
                "type": "expect_column_values_to_not_be_null",
                "kwargs": {"column": "value"},
                "meta": {"rule": "r", "severity": "error"},
            }
        ],
        {},
    )
    assert calls == [frame.height]
    with monkeypatch.context() as patch:
        patch.setattr(domains, "WHOLE_BELOW", 0)
        calls.clear()
        domains.validate(
            counting,
            "observations",
            frame,
            [
                {
                    "type": "expect_column_values_to_not_be_null",
                    "kwargs": {"column": "value"},
                    "meta": {"rule": "r", "severity": "error"},
                },
                {
                    "type": "expect_column_values_to_be_between",
                    "kwargs": {"column": "value", "mostly": 0.9},
                    "meta": {"rule": "m", "severity": "error"},
                },
            ],
            {},
        )
    # the row rule sees the distinct values only; a rule with `mostly` depends on every row
    assert calls == [frame["value"].n_unique(), frame.height]


def test_row_rules_and_key_rules_are_grouped_by_the_columns_they_read() -> None:
    rule = {"meta": {"rule": "x", "severity": "error"}}
    rules = [
        {**rule, "type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a"}},
        {**rule, "type": "expect_column_values_to_be_in_set", "kwargs": {"column": "a", "value_set": [1]}},
        {
            **rule,
            "type": "expect_column_pair_values_a_to_be_greater_than_b",
            "kwargs": {"column_A": "b", "column_B": "a"},
        },
        {**rule, "type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": ["a", "b"]}},
        {**rule, "type": "expect_table_columns_to_match_ordered_list", "kwargs": {"column_list": ["a", "b"]}},
        {**rule, "type": "expect_column_values_to_be_between", "kwargs": {"column": "c"}},  # no such column
        {**rule, "type": "expect_column_mean_to_be_between", "kwargs": {"column": "a"}},  # an aggregate
    ]
    found = [(g.kind, g.columns, len(g.expectations)) for g in domains.groups(rules, ["a", "b"])]
    assert found == [
        ("rows", ("a",), 2),
        ("rows", ("a", "b"), 1),
        ("keys", ("a", "b"), 1),
        ("schema", (), 1),
        ("whole", (), 2),
    ]


def test_key_rules_name_the_rows_gx_names_whole_with_nulls_nan_and_signed_zeros(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GX reads only the rows whose key polars finds repeated: polars must hold equal every pair
    # pandas does (null and null, NaN and NaN, -0.0 and 0.0), or a repeat would go unseen
    from pipelines.validate.gx import session

    nan = float("nan")
    frame = pl.DataFrame(
        {
            "a": [0.0, -0.0, nan, nan, None, None, 1.0, 2.0, None, 3.0, 3.0, 4.0],
            "b": ["x", "x", "y", "y", None, None, "z", None, "w", "v", "u", "t"],
            "d": pl.date_range(pl.date(2021, 1, 1), pl.date(2021, 1, 12), eager=True),
        }
    )
    rules = [
        {
            "type": "expect_compound_columns_to_be_unique",
            "kwargs": {"column_list": ["a", "b"]},
            "meta": {"rule": "pair", "severity": "error"},
        },
        {
            "type": "expect_column_values_to_be_unique",
            "kwargs": {"column": "a"},
            "meta": {"rule": "a", "severity": "error"},
        },
        {
            "type": "expect_column_values_to_be_unique",
            "kwargs": {"column": "d"},
            "meta": {"rule": "dates", "severity": "error"},
        },  # no repeat: GX sees the column, no row
    ]
    gx = session()
    whole = gx.validate("t", frame, rules, {})
    with monkeypatch.context() as patch:
        patch.setattr(domains, "WHOLE_BELOW", 0)
        for part_rows in (2, 100):  # the repeats in parts by their key's hash, and in one
            patch.setattr(domains, "PART_ROWS", part_rows)
            assert domains.validate(gx.validate, "t", frame, rules, {}) == whole
    assert not whole["pair"].success and whole["dates"].success
    assert set(whole["pair"].indices or ()) >= {0, 1, 2, 3}  # -0.0 is 0.0, NaN is NaN to GX
