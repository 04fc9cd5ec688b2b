"""A failed build publishes nothing: after a good build, a build whose data fail validation, or
whose notebook fails, leaves every file of ``reports/`` exactly as it was (bytes and
modification times, no file added or removed), and its message names where the outputs of
the failed build are, so a maintainer can open them.

The builds are `make report`'s (``pipelines report``), on a scratch copy of the project with
MINUSMA's benchmark A and overview in French (a minute); each test starts from a copy of the
same good build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from pipelines.core import paths
from pipelines.tools import verify

pytestmark = pytest.mark.slow
ONLY = ("--roadmap", "s-2021-300", "--only", "A,overview", "--lang", "fr", "--jobs", "2")


def report(root: Path) -> subprocess.CompletedProcess[str]:
    """``python -m pipelines report`` in the project at `root`."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines", "report", *ONLY],
        cwd=root,
        env={**os.environ, "MINUSMA_ROOT": str(root), "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )


def published(root: Path) -> dict[str, tuple[bytes, int] | None]:
    """Every file (bytes, modification time) and folder (None) under ``reports/``."""
    reports = root / "reports"
    return {
        p.relative_to(reports).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) if p.is_file() else None
        for p in sorted(reports.rglob("*"))
    }


def _kernels_of(root: Path, wait: float = 5.0) -> list[int]:
    """The kernels still running in `root`'s notebooks folder, after `wait` seconds at most."""
    psutil = pytest.importorskip("psutil")
    deadline = time.monotonic() + wait
    while True:
        found = []
        for process in psutil.process_iter(["cmdline", "cwd"]):
            if "ipykernel_launcher" in " ".join(process.info["cmdline"] or []) and str(
                process.info["cwd"] or ""
            ).startswith(str(root)):
                found.append(process.pid)
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("good-build") / "project"
    verify.copy_inputs(paths.ROOT, root)
    done = report(root)
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture()
def project(good_build: Path, tmp_path: Path) -> Path:
    """A copy of the good build (times kept), to break."""
    root = tmp_path / "project"
    shutil.copytree(good_build, root, symlinks=True)
    site = published(root)
    for page in ("index.html", "quality/index.html", "data/datapackage.json", "s-2021-300/fr/benchmark-A.html"):
        assert page in site
    return root


def test_a_failing_validation_after_a_good_build_publishes_nothing_and_names_its_pages(project: Path) -> None:
    before = published(project)
    with (project / "data" / "raw" / "observations" / "women.csv").open("a", encoding="utf-8") as rows:
        rows.write(
            "women_parliament_share,ML,1990,,130,percent,wdi-ddf-2025-sg-gen-parl-zs,primary,a share over 100,\n"
        )
    failed = report(project)
    assert failed.returncode == 2, failed.stderr
    assert "[report] stopped: step 'validate' failed" in failed.stdout
    assert (
        "nothing published, reports/ keeps the last good build; the pages of this check are in "
        "build/quality/index.html" in failed.stderr
    )
    assert published(project) == before
    # the run's workers and kernels, started while validate ran (new data came in), are stopped
    assert not _kernels_of(project), "a kernel started for the run outlived the failed build"
    # names break only at their underscores (<wbr>), so read them as a reader's eye does
    page = (project / "build" / "quality" / "observations.html").read_text(encoding="utf-8").replace("<wbr>", "")
    assert "women_parliament_share" in page and "130" in page  # the failing row, where the message says


def test_a_failing_notebook_after_a_good_build_publishes_nothing_and_names_its_pages(project: Path) -> None:
    before = published(project)
    source = project / "notebooks" / "benchmark.ipynb"
    notebook = nbformat.read(source, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("a deliberate failure")'))
    nbformat.write(notebook, source)
    failed = report(project)
    assert failed.returncode == 1, failed.stderr
    assert (
        "[render] nothing published: reports is left as it was; the pages of this render are in "
        "build/unpublished (open build/unpublished/index.html)" in failed.stderr
    )
    assert published(project) == before
    held = (project / "build" / "unpublished" / "s-2021-300" / "fr" / "benchmark-A.html").read_text(encoding="utf-8")
    assert "a deliberate failure" in held  # the page saying what broke, not published
