"""What the tests share besides fixtures: where the project and tests/fixtures/ are (one place
computes them from this file, so a test file may sit in any folder), and the fixture build of
the fixture notebooks (its record, its processed folder, its `pipelines run` command line), and
a project built into a scratch folder as `make report` builds it (`build_project`). The fixtures
themselves are in conftest.py, which pytest loads and tests never import."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

    from pipelines.analysis import views
    from pipelines.ingest import step as ingest

#: The project's root folder (this checkout), whichever folder a test file sits in.
ROOT = Path(__file__).resolve().parents[1]
#: The one home of the tests' data files (tests/fixtures/): small notebooks, loader extracts.
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_NOTEBOOKS = FIXTURES / "notebooks"
DATA_CHECKSUM = "0" * 63 + "1"


@dataclass(frozen=True)
class FixtureBuild:
    """A run of benchmark A, the failing thematic fixture `ddr` and the overview, in French and
    English, rendered with static SVG charts (``reports``) and with the Vega runtime
    (``reports_vega``). Since `ddr` fails, neither render publishes anything: these are the
    sites each held back in ``build/unpublished``, moved aside (the next render replaces it)."""

    processed: Path
    build: Path
    reports: Path
    reports_vega: Path
    run_code: int
    render_code: int


#: The roadmap of the fixture builds: benchmarks A-I, and the thematic fixture `ddr`.
FIXTURE_ROADMAP = "test"
#: The indicator the fixture roadmap binds to the DDR report's `counted` role (in benchmark D).
FIXTURE_DDR = "test_counted"


def write_processed(folder: Path) -> Path:
    """A processed folder holding an ingest manifest and the tables the runner plans from
    (roadmaps, benchmarks, indicators); the fixture notebooks read no table."""
    import polars as pl

    from pipelines.core import schema

    folder.mkdir(parents=True, exist_ok=True)
    pl.DataFrame({"roadmap_id": [FIXTURE_ROADMAP], "reports": [json.dumps({"ddr": {"counted": [FIXTURE_DDR]}})]}).pipe(
        schema.conform, "roadmaps"
    ).write_parquet(folder / "roadmaps.parquet")
    pl.DataFrame({"roadmap_id": [FIXTURE_ROADMAP], "indicator_id": [FIXTURE_DDR], "benchmark": ["D"]}).pipe(
        schema.conform, "indicators"
    ).write_parquet(folder / "indicators.parquet")
    pl.DataFrame({"roadmap_id": [FIXTURE_ROADMAP] * 9, "benchmark": list("ABCDEFGHI")}).pipe(
        schema.conform, "benchmarks"
    ).write_parquet(folder / "benchmarks.parquet")
    (folder / "manifest.json").write_text(
        json.dumps(
            {
                "data_checksum": DATA_CHECKSUM,
                "outputs": {"observations.parquet": "ab" * 32},
                "inputs": {"data/raw/observations/women.csv": "cd" * 32},
            }
        ),
        encoding="utf-8",
    )
    return folder


def run_argv(processed: Path, build: Path, *extra: str) -> list[str]:
    """``pipelines run`` on the fixture notebooks, into folders outside the project."""
    return [
        "run",
        "--notebooks",
        str(FIXTURE_NOTEBOOKS),
        "--processed",
        str(processed),
        "--build",
        str(build),
        "--allow-outside",
        *extra,
    ]


def render_argv(build: Path, reports: Path, processed: Path, *extra: str) -> list[str]:
    """``pipelines render`` of a build into a reports folder, all outside the project."""
    return [
        "render",
        "--build",
        str(build),
        "--reports",
        str(reports),
        "--processed",
        str(processed),
        "--allow-outside",
        *extra,
    ]


def build_reports(processed: Path, out: Path, *run: str) -> Path:
    """``pipelines run`` (two workers, then the options `run`) and ``render`` of an ingested
    folder, into ``out/build`` and ``out/reports``; each step must succeed. The reports folder."""
    from pipelines.cli import main

    build, reports = out / "build", out / "reports"
    assert (
        main(["run", "--processed", str(processed), "--build", str(build), "--allow-outside", "--jobs", "2", *run]) == 0
    )
    assert main(render_argv(build, reports, processed)) == 0
    return reports


def build_project(raw: Path, out: Path, *run: str) -> Path:
    """ingest -> validate -> run -> render of a raw folder into ``out`` (``processed``, ``build``
    with the checks' pages in ``build/quality``, ``reports``), as `make report` chains them; each
    step must succeed. The reports folder."""
    from pipelines.cli import main

    processed = out / "processed"
    assert main(["ingest", "--raw", str(raw), "--out", str(processed)]) == 0
    assert main(["validate", "--processed", str(processed), "--pages", str(out / "build" / "quality")]) == 0
    return build_reports(processed, out, *run)


def latest(column: pl.Series) -> date:
    """The latest day of a Date column that a test expects to hold one (polars types ``max()``
    as any value a cell may hold)."""
    from pipelines.core.frames import max_date

    day = max_date(column)
    assert day is not None, f"{column.name} holds no date"
    return day


def free_port() -> int:
    """A local port no server listens on, for a server a test starts (JupyterLab)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tables_of(result: ingest.Result) -> views.Tables:
    """The tables an ingest made, as the reports read them (`views.Tables`), every roadmap's."""
    from pipelines.analysis import views

    t = result.tables
    return views.Tables(
        t["roadmaps"],
        t["key_dates"],
        t["benchmarks"],
        t["indicators"],
        t["milestones"],
        t["observations"],
        t["milestone_events"],
        t["sources"],
    )
