"""Which pages render keeps: a page is written again when what it shows changed (its notebook,
the checksum of its roadmap's data that it prints), not when another roadmap's figure moved."""

from __future__ import annotations

from pathlib import Path

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
