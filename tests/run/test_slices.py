"""What a slice's hash sees: every value a report shows, not where a row came from.

A run re-executes a report when the hash of its slice changes (`pipelines.run.slices`); it
must change with any value, a null that becomes an empty text, a type, or a row added, and
must not change when a row only moves within its raw file (its ``file`` and ``line``).
"""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.run.slices import _digest

BASE = pl.DataFrame(
    {"indicator_id": ["a", "b"], "note": [None, "x"], "value": [1.0, 2.0], "file": ["f.csv", "f.csv"], "line": [2, 3]}
)


def test_the_same_rows_give_the_same_hash_wherever_they_sit_in_their_file() -> None:
    moved = BASE.with_columns(pl.Series("line", [7, 9]), pl.Series("file", ["g.csv", "g.csv"]))
    assert _digest(BASE) == _digest(BASE.clone()) == _digest(moved)


@pytest.mark.parametrize(
    "changed",
    [
        BASE.with_columns(pl.Series("value", [1.0, 2.5])),  # a figure
        BASE.with_columns(pl.Series("note", ["", "x"])),  # a null becomes an empty text
        BASE.with_columns(pl.col("value").cast(pl.Float32)),  # a type
        pl.concat([BASE, BASE.head(1)]),  # a row more
        BASE.reverse(),  # the rows' order (reports list rows in table order)
        BASE.rename({"note": "remark"}),  # a column's name
    ],
    ids=["value", "null-to-empty", "type", "row-added", "order", "column-name"],
)
def test_any_change_a_report_could_show_changes_the_hash(changed: pl.DataFrame) -> None:
    assert _digest(changed) != _digest(BASE)


def test_texts_and_frames_are_hashed_in_sequence() -> None:
    assert _digest("roadmap", BASE) != _digest(BASE, "roadmap")
    assert _digest("a", "b") != _digest("ab")
