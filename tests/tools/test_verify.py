"""Byte-reproducible builds and `pipelines verify`, on a scratch copy of the project.

One scheduled build (``pipelines report``) of benchmark A and the overview, in French, in a
copy of the project, with an import hook that makes any kernel importing Great Expectations
fail and say so: the build passes and no kernel tried. Then a run with nothing changed
executes nothing, `verify` rebuilds from scratch and finds every output identical (two cold
builds give the same bytes), and a tampered or missing output is reported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines.core import paths
from pipelines.tools import verify

ONLY = ("--roadmap", "s-2021-300", "--only", "A,overview", "--lang", "fr")
HOOK = '''"""Test hook: a Jupyter kernel importing great_expectations writes a marker and fails."""
import os
import sys


class _NoGreatExpectationsInKernels:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "great_expectations" and any("ipykernel" in a for a in sys.argv):
            with open(os.environ["MINUSMA_TEST_GX_MARKER"], "a") as marker:
                marker.write(f"{os.getpid()} {sys.argv}\\n")
            raise ImportError("great_expectations imported in a kernel of a scheduled run")
        return None


sys.meta_path.insert(0, _NoGreatExpectationsInKernels())
'''


@dataclass(frozen=True)
class Project:
    root: Path
    env: dict[str, str]
    marker: Path
    report: subprocess.CompletedProcess[str]

    def pipelines(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pipelines", *argv],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    base = tmp_path_factory.mktemp("verify")
    root = base / "project"
    verify.copy_inputs(paths.ROOT, root)
    hook = base / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    marker = base / "gx-in-kernel.txt"
    env = {
        **os.environ,
        "MINUSMA_ROOT": str(root),
        "PYTHONPATH": os.pathsep.join([str(hook), str(root)]),
        "MINUSMA_TEST_GX_MARKER": str(marker),
    }
    made = Project(root, env, marker, subprocess.CompletedProcess([], 0))
    report = made.pipelines("report", *ONLY, "--jobs", "2")
    return Project(root, env, marker, report)


def test_the_hook_catches_a_kernel_importing_great_expectations(project: Project, tmp_path: Path) -> None:
    env = {**project.env, "MINUSMA_TEST_GX_MARKER": str(tmp_path / "marker")}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv = ['ipykernel_launcher']; import great_expectations"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0 and (tmp_path / "marker").exists()


def test_a_scheduled_build_never_imports_great_expectations_in_a_kernel(project: Project) -> None:
    assert project.report.returncode == 0, project.report.stdout + project.report.stderr
    assert not project.marker.exists(), project.marker.read_text()
    assert "ran: no earlier run" in project.report.stderr
    assert (project.root / "reports" / "s-2021-300" / "fr" / "benchmark-A.html").exists()


def test_a_run_with_nothing_changed_executes_nothing(project: Project) -> None:
    done = project.pipelines("run", *ONLY)
    assert done.returncode == 0
    assert "0 ran, 2 skipped (unchanged)" in done.stdout
    assert "s-2021-300/fr/benchmark-A: skipped: unchanged" in done.stderr
    rendered = project.pipelines("render", "--lang", "fr")
    assert "0 drawn, 2 unchanged" in rendered.stdout


def test_verify_finds_a_cold_rebuild_identical_and_reports_tampering(project: Project, tmp_path: Path) -> None:
    rebuild = tmp_path / "rebuild"
    done = project.pipelines("verify", *ONLY, "--keep", str(rebuild))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all identical to a rebuild from scratch" in done.stdout
    compared = verify.outputs(rebuild)
    for expected in (
        "data/processed/observations.parquet",
        "data/processed/manifest.json",
        "data/processed/validation.json",
        "reports/s-2021-300/fr/benchmark-A.html",
        "reports/s-2021-300/fr/index.html",
        "reports/manifest.json",
        "reports/quality/index.html",
        "build/notebooks/s-2021-300/fr/benchmark-A.ipynb",
        "build/sidecars/s-2021-300/fr/benchmark-A.json",
    ):
        assert expected in compared
    assert not any(name.endswith(("run.json", "render.json")) for name in compared)  # timings
    assert verify.published(project.root) == []  # the manifest lists every published file, with its sha256
    page = project.root / "reports" / "s-2021-300" / "fr" / "benchmark-A.html"
    original = page.read_bytes()
    try:
        page.write_bytes(original.replace(b"</body>", b"<!-- edited --></body>"))
        (rebuild / "build" / "sidecars" / "s-2021-300" / "fr" / "benchmark-A.json").unlink()
        assert [str(d) for d in verify.compare(project.root, rebuild)] == [
            "build/sidecars/s-2021-300/fr/benchmark-A.json: only in the project",
            "reports/s-2021-300/fr/benchmark-A.html: differs",
        ]
        # the site is held to its own manifest too, without a rebuild
        assert [str(d) for d in verify.published(project.root)] == [
            "reports/s-2021-300/fr/benchmark-A.html: not the file manifest.json lists (another sha256)"
        ]
    finally:
        page.write_bytes(original)
