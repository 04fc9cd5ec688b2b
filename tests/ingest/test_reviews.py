"""Reviews as data: every refusal names the file, line, column, value and rule."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.core import paths
from pipelines.core.errors import DataError
from pipelines.ingest import catalogue, reviews
from pipelines.ingest import step as ingest

HEADER = (
    "benchmark,indicator_id,milestone_id,review_date,reviewer,computed_status,reviewed_status,reasons_fr,"
    "reasons_en,source_ids\n"
)
GOOD = "A,,,2024-02-01,Évaluatrice,not_achieved_by_deadline,agree,Motifs.,Reasons.,s-2023-402\n"


@pytest.fixture(scope="module")
def cat() -> catalogue.Catalogue:
    return catalogue.load(sorted((paths.RAW / "roadmaps").glob("*.yaml")))


@pytest.fixture(scope="module")
def sources(real_processed: Path) -> pl.DataFrame:
    return pl.read_parquet(real_processed / "sources.parquet")


def read(tmp_path: Path, body: str, name: str = "s-2021-300.csv") -> pl.DataFrame:
    path = tmp_path / "reviews" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return ingest.read_csv(path, reviews.REQUIRED, reviews.OPTIONAL, {}, [])


def refused(
    tmp_path: Path, cat: catalogue.Catalogue, sources: pl.DataFrame, body: str, name: str = "s-2021-300.csv"
) -> str:
    with pytest.raises(DataError) as caught:
        reviews.normalise_reviews([read(tmp_path, body, name)], cat, sources)
    return str(caught.value)


def test_a_good_review_is_read_with_its_target_and_sources(
    tmp_path: Path, cat: catalogue.Catalogue, sources: pl.DataFrame
) -> None:
    body = GOOD + (
        "F,,F1,2024-02-01,Role,minimal,intermediate,Motifs.,Reasons.,maliweb-2022-police-territoriale; s-2023-402\n"
    )
    frame = reviews.normalise_reviews([read(tmp_path, body)], cat, sources)
    first, second = frame.sort("benchmark").iter_rows(named=True)
    assert (first["roadmap_id"], first["benchmark"], first["reviewed_status"]) == ("s-2021-300", "A", None)
    assert first["line"] == 2 and first["file"].endswith("reviews/s-2021-300.csv")
    assert (second["milestone_id"], second["reviewed_status"]) == ("F1", "intermediate")
    assert second["source_ids"] == "maliweb-2022-police-territoriale s-2023-402"


@pytest.mark.parametrize(
    ("body", "column", "value", "rule"),
    [
        ("Z,,,2024-02-01,R,not_achieved_by_deadline,agree,M,R,s-2023-402\n", "benchmark", "Z", "known-benchmark"),
        (
            "A,nope,,2024-02-01,R,not_achieved_by_deadline,agree,M,R,s-2023-402\n",
            "indicator_id",
            "nope",
            "known-indicator",
        ),
        ("A,,A9,2024-02-01,R,full,agree,M,R,s-2023-402\n", "milestone_id", "A9", "known-milestone"),
        ("A,,,2024-02-01,R,doing_well,agree,M,R,s-2023-402\n", "computed_status", "doing_well", "status"),
        ("A,,,2024-02-01,R,not_achieved_by_deadline,great,M,R,s-2023-402\n", "reviewed_status", "great", "status"),
        ("A,,A3,2024-02-01,R,intermediate,on_track,M,R,s-2023-402\n", "reviewed_status", "on_track", "status"),
        (
            "A,,,2024-02-01,R,not_achieved_by_deadline,agree,M,R,s-2023-402 no-such-source\n",
            "source_ids",
            "s-2023-402 no-such-source",
            "known-source",
        ),
        (
            "A,,,1 Feb 2024,R,not_achieved_by_deadline,agree,M,R,s-2023-402\n",
            "review_date",
            "1 Feb 2024",
            "review_date",
        ),
        ("A,,,2024-02-01,,not_achieved_by_deadline,agree,M,R,s-2023-402\n", "reviewer", None, "required"),
        ("A,,,2024-02-01,R,not_achieved_by_deadline,agree,M,,s-2023-402\n", "reasons_en", None, "required"),
    ],
)
def test_each_refusal_names_file_line_column_value_and_rule(
    tmp_path: Path,
    cat: catalogue.Catalogue,
    sources: pl.DataFrame,
    body: str,
    column: str,
    value: str | None,
    rule: str,
) -> None:
    message = refused(tmp_path, cat, sources, GOOD + body)
    assert "reviews/s-2021-300.csv, line 3" in message, message
    assert f"column '{column}'" in message and f"breaks rule '{rule}'" in message, message
    if value is not None:
        assert repr(value) in message, message


def test_a_review_file_is_named_after_a_roadmap(
    tmp_path: Path, cat: catalogue.Catalogue, sources: pl.DataFrame
) -> None:
    message = refused(tmp_path, cat, sources, GOOD, name="s-1999-1.csv")
    assert "reviews/s-1999-1.csv" in message and "'s-1999-1'" in message and "known-roadmap" in message


def test_a_second_review_of_the_same_target_and_day_is_refused(
    tmp_path: Path, cat: catalogue.Catalogue, sources: pl.DataFrame
) -> None:
    message = refused(tmp_path, cat, sources, GOOD + GOOD)
    assert "line 3" in message and "unique-key" in message and "line 2" in message


def test_the_embedded_reviews_are_ingested(real_processed: Path) -> None:
    frame = pl.read_parquet(real_processed / "reviews.parquet")
    assert {"s-2021-300", "s-2021-807"} <= set(frame["roadmap_id"].to_list())
    assert frame.filter(pl.col("benchmark") == "ELEC")["source_ids"].str.contains("carter-2024-07-24").all()
