"""Which pages render keeps: a page is written again when what it shows changed (its notebook,
the checksum of the data it read, which it prints), not when another roadmap's figure moved."""

from __future__ import annotations

from pathlib import Path

from pipelines.core import store
from pipelines.render.cache import RenderCache
from tests.support import ROOT


def _key(tmp_path: Path, all_data: str, page_data: str) -> str:
    entry = {"report_id": "benchmark-A", "lang": "fr", "roadmap": "s-2021-807", "output": None, "sidecar": None}
    return RenderCache(tmp_path, "reports|svg", ROOT, all_data).key(entry, {"s-2021-807/fr/benchmark-A"}, page_data)


def test_another_roadmaps_new_figure_keeps_a_page(tmp_path: Path) -> None:
    # MINUSMA's data changed (the checksum of all the data moved), MONUSCO's did not
    assert _key(tmp_path, "all-before", "monusco") == _key(tmp_path, "all-after", "monusco")


def test_a_new_figure_of_the_pages_roadmap_writes_it_again(tmp_path: Path) -> None:
    assert _key(tmp_path, "all-before", "monusco-before") != _key(tmp_path, "all-after", "monusco-after")


def test_an_earlier_download_is_passed_on_only_with_its_bytes_rows_and_code(tmp_path: Path) -> None:
    # render copies a published CSV into the new set only when it is what was written from
    # those rows by this code: a reader's edit in place is written again, never published on
    published = tmp_path / "reports" / "data"
    published.mkdir(parents=True)
    (published / "sources.csv").write_bytes(b"source_id\r\ns-1\r\n")
    cache = RenderCache(tmp_path / "build", "reports|svg", ROOT, "all")
    cache.remember(
        "data",
        "key",
        {
            "files": {"sources.csv": store.sha256_file(published / "sources.csv")},
            "digests": {"sources.csv": "rows"},
            "code": cache.code,
        },
    )
    earlier = cache.earlier_file("data", published)
    assert earlier("sources.csv", "rows") == (published / "sources.csv", store.sha256_file(published / "sources.csv"))
    assert earlier("sources.csv", "other rows") is None
    assert earlier("indicators.csv", "rows") is None
    (published / "sources.csv").write_bytes(b"source_id\r\ns-1 edited\r\n")
    assert earlier("sources.csv", "rows") is None
    cache.pages["data"]["code"] = "another version"
    (published / "sources.csv").write_bytes(b"source_id\r\ns-1\r\n")
    assert cache.earlier_file("data", published)("sources.csv", "rows") is None
