"""Shared fixtures: one build of the fixture notebooks, run and rendered once per session
(each notebook starts a kernel, so building it once keeps the tests quick)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

from tests.support import FixtureBuild, build_project, render_argv, run_argv, write_processed

if TYPE_CHECKING:
    from pipelines.analysis import views

# Property tests assert behaviour, not speed: on these shared, loaded machines Hypothesis' own
# timing checks (a deadline per example, "input generation is slow") fail at random. Every
# property test inherits this profile; its own @settings may ask for more examples.
settings.register_profile("shared-machines", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("shared-machines")

# The loaders' shared checks are asserts in a helper module: pytest explains them as in a test file.
pytest.register_assert_rewrite("tests.ingest.loaders.support")

#: Tests that take seconds each, marked ``slow`` here rather than one by one (docs/development.md):
#: those that build reports (the session's fixture builds), and the modules whose tests start
#: Jupyter kernels or fresh interpreters that import Great Expectations, run GX over whole
#: tables, or rebuild the project.
SLOW_FIXTURES = frozenset({"fixture_build", "full_build"})
SLOW_MODULES = (
    "tests/e2e/",
    "tests/run/test_step.py",
    "tests/run/test_engine.py",
    "tests/run/test_kernels.py",
    "tests/run/test_incremental.py",
    "tests/run/test_lazyimports.py",
    "tests/validate/test_step.py",
    "tests/validate/test_domains.py",
    "tests/validate/test_suites_plain_gx.py",
    "tests/core/test_uptodate.py",
    "tests/tools/test_verify.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(str(config.rootpath))
    for item in items:
        where = Path(str(item.path)).relative_to(root).as_posix()
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or where.startswith(SLOW_MODULES):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> FixtureBuild:
    from pipelines.cli import main
    from pipelines.render import site as render

    base = tmp_path_factory.mktemp("fixture-build")
    processed = write_processed(base / "processed")
    build = base / "build"
    run_code = main(run_argv(processed, build, "--only", "A,ddr,overview", "--jobs", "2"))
    sites: dict[str, Path] = {}
    codes: list[int] = []
    for mode in ("svg", "vega"):
        published = base / "published" / mode
        codes.append(main(render_argv(build, published, processed, "--charts", mode)))
        assert not published.exists() or not any(published.iterdir())  # a report failed: nothing published
        sites[mode] = Path(shutil.move(build / render.UNPUBLISHED, base / f"reports-{mode}"))
    return FixtureBuild(processed, build, sites["svg"], sites["vega"], run_code, codes[0])


@pytest.fixture(scope="session")
def real_processed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded data (data/raw), ingested once per session into a temporary folder
    (read only: tests that change tables make their own)."""
    from pipelines.core import paths
    from pipelines.ingest import step as ingest

    folder: Path = tmp_path_factory.mktemp("processed-real")
    ingest.write(ingest.ingest(paths.RAW), folder)
    return folder


@pytest.fixture(scope="session")
def real_tables(real_processed: Path) -> views.Tables:
    """`real_processed`, MINUSMA's tables, loaded as its reports load them."""
    from pipelines.analysis import views

    return views.Tables.load(real_processed, "s-2021-300")


@pytest.fixture(scope="module")
def deployed(real_processed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A deployed copy's root, as MINUSMA_ROOT names it: its data/processed holds the tables,
    beside the raw files and the suites of the project."""
    from pipelines.core import paths

    root = tmp_path_factory.mktemp("deployed")
    (root / "data").mkdir()
    (root / "data" / "processed").symlink_to(real_processed, target_is_directory=True)
    (root / "data" / "raw").symlink_to(paths.RAW, target_is_directory=True)
    (root / "expectations").symlink_to(paths.EXPECTATIONS, target_is_directory=True)
    return root


@pytest.fixture(scope="session")
def full_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ingest -> validate -> run -> render of data/raw, exactly as `make report` builds them, into
    a scratch folder (once per session): its ``processed``, ``build`` (the executed notebooks)
    and ``reports``."""
    from pipelines.core import paths

    out = tmp_path_factory.mktemp("full-build")
    build_project(paths.RAW, out)
    return out
