"""Whatever bytes arrive as a raw CSV, ingest answers with typed rows, quarantined rows or a
clear data error naming the file; never a traceback."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.core import paths
from pipelines.core.errors import DataError
from pipelines.ingest import step as ingest
from tests.ingest.test_step import HEADER, MILESTONES, ROADMAP, SOURCES

CELLS = st.one_of(
    st.sampled_from(
        [
            "women_share",
            "integrated",
            "ML",
            "Ménaka",
            "ML09",
            "Atlantis",
            "2020",
            "2020-13",
            "2021-04-30",
            "27,9 %",
            "1,006",
            "1 006",
            "41/147",
            "0.3",
            "fraction",
            "percent",
            "s1",
            "primary",
            "",
            "n/a",
            '"',
            "\r",
            '=HYPERLINK("x")',
            "<script>",
            "\x00",
            "🙂",
        ]
    ),
    st.text(max_size=12),
)
ROW = st.lists(CELLS, min_size=0, max_size=12).map(lambda cells: ",".join(cells))
TEXT_FILES = st.lists(ROW, max_size=8).map(lambda rows: HEADER + "\n".join(rows))
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ingest(data: bytes) -> ingest.Result | DataError:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        (raw / "roadmaps").mkdir(parents=True)
        (raw / "observations").mkdir()
        (raw / "geography").mkdir()
        # Mali's aliases and OCHA p-codes (ML09 among the cells), as the embedded data has them
        shutil.copy(paths.RAW / "geography" / "ML.yaml", raw / "geography" / "ML.yaml")
        (raw / "roadmaps" / "t.yaml").write_text(ROADMAP, encoding="utf-8")
        (raw / "sources.csv").write_text(SOURCES, encoding="utf-8")
        (raw / "milestones.csv").write_text(MILESTONES, encoding="utf-8")
        (raw / "observations" / "fuzz.csv").write_bytes(data)
        try:
            return ingest.ingest(raw)
        except DataError as exc:
            return exc


def _check(outcome: ingest.Result | DataError) -> None:
    if isinstance(outcome, DataError):
        assert outcome.problem.file.endswith("fuzz.csv") and outcome.problem.rule and outcome.problem.reason
        return
    obs = outcome.tables["observations"]
    assert obs.schema["value"] == pl.Float64 and obs.schema["period_start"] == pl.Date
    assert obs["value"].is_null().sum() == 0
    q = outcome.quarantine
    assert q["rule"].is_null().sum() == 0 and q["reason"].is_null().sum() == 0


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes(data: bytes) -> None:
    _check(_ingest(data))


@SETTINGS
@given(TEXT_FILES, st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "cp1252"]))
def test_any_csv_shaped_text_in_any_encoding(text: str, encoding: str) -> None:
    _check(_ingest(text.encode(encoding, errors="replace")))
