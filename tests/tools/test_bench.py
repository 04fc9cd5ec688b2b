"""`make bench` writes its table into docs/performance.md, between the page's marker lines only."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.tools.bench import page_block
from pipelines.tools.measure import BLOCK_END, BLOCK_START, Measure, write_block
from tests.support import ROOT


def test_the_block_between_the_markers_is_replaced_and_nothing_else(tmp_path: Path) -> None:
    page = tmp_path / "performance.md"
    page.write_text(
        f"# Speed\n\nBy hand.\n\n{BLOCK_START}\nold table\n{BLOCK_END}\n\nAfter, by hand.\n", encoding="utf-8"
    )
    write_block(page, "| a |\n| --- |\n| 1 |\n")
    assert page.read_text(encoding="utf-8") == (
        f"# Speed\n\nBy hand.\n\n{BLOCK_START}\n| a |\n| --- |\n| 1 |\n{BLOCK_END}\n\nAfter, by hand.\n"
    )
    write_block(page, "| a |\n| --- |\n| 1 |\n")  # again: the same bytes
    assert page.read_text(encoding="utf-8").count(BLOCK_START) == 1


@pytest.mark.parametrize(
    "text", ["no markers\n", f"{BLOCK_END}\n{BLOCK_START}\n", f"{BLOCK_START}\n{BLOCK_START}\n{BLOCK_END}\n"]
)
def test_a_page_without_its_markers_once_and_in_order_is_refused_untouched(tmp_path: Path, text: str) -> None:
    page = tmp_path / "performance.md"
    page.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="needs the lines"):
        write_block(page, "| a |")
    assert page.read_text(encoding="utf-8") == text


def test_the_block_names_the_command_and_the_machine_and_holds_the_table() -> None:
    rows = [Measure("ingest (data/raw)", 0.6, 108.0)]
    block = page_block("machine: Intel Xeon, 2 cores", rows, [])
    assert block.startswith("Figures of `make bench` on this machine: Intel Xeon, 2 cores.\n\n| measurement |")
    assert "| ingest (data/raw) | 0.6 | 108 |" in block
    assert "`python -m pipelines.tools.bench --sizes 1e4`" in page_block("machine: x", rows, ["--sizes", "1e4"])


def test_the_performance_page_carries_the_markers_and_no_dated_diary() -> None:
    text = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    assert text.count(BLOCK_START) == 1 and text.count(BLOCK_END) == 1
    assert not any(
        month in text
        for month in (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        )
    )
