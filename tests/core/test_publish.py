"""A build stopped at any moment leaves the previous reports whole: each language's pages (and
the data-quality pages) are published as one set, never a mix of two builds, and the next
build recovers whatever an interrupted one left behind."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines.core import publish, store
from pipelines.render import site as render
from tests.support import FixtureBuild

LANGS = ("fr", "en")


def snapshot(reports: Path) -> dict[str, dict[str, bytes]]:
    """Every published page, by language folder."""
    return {lang: {p.name: p.read_bytes() for p in sorted((reports / "test" / lang).iterdir())} for lang in LANGS}


def assert_each_language_is_one_whole_set(reports: Path, old: dict[str, dict[str, bytes]],
                                          new: dict[str, dict[str, bytes]]) -> None:
    """Each language folder holds exactly the old set or exactly the new one."""
    now = snapshot(reports)
    for lang in LANGS:
        assert now[lang] in (old[lang], new[lang]), f"reports/{lang} mixes two builds: {sorted(now[lang])}"


@dataclass(frozen=True)
class Published:
    """The fixture build without its failing report (a render with a failure publishes
    nothing), published with static charts (``svg``) and with the Vega runtime (``vega``)."""

    build: Path
    processed: Path
    svg: Path
    vega: Path


@pytest.fixture(scope="module")
def published(fixture_build: FixtureBuild, tmp_path_factory: pytest.TempPathFactory) -> Published:
    base = tmp_path_factory.mktemp("published")
    build = base / "build"
    shutil.copytree(fixture_build.build, build, ignore=shutil.ignore_patterns(render.UNPUBLISHED, ".lock"))
    record = json.loads((build / "run.json").read_text(encoding="utf-8"))
    record["jobs"] = {k: e for k, e in record["jobs"].items() if e["status"] == "ok"}
    (build / "run.json").write_text(json.dumps(record), encoding="utf-8")
    for mode in ("svg", "vega"):
        render.render_build(build, base / mode, fixture_build.processed, charts=mode, root=base)
    return Published(build, fixture_build.processed, base / "svg", base / "vega")


@pytest.fixture()
def two_sets(published: Published, tmp_path: Path) -> tuple[Path, dict, dict]:
    """reports/ as the SVG build left it, and the pages a Vega render writes instead."""
    reports = tmp_path / "reports"
    shutil.copytree(published.svg, reports)
    old, new = snapshot(published.svg), snapshot(published.vega)
    assert all(old[lang] != new[lang] for lang in LANGS)  # the second render changes every language
    return reports, old, new


def _render(published: Published, reports: Path) -> None:
    render.render_build(published.build, reports, published.processed, charts="vega", root=published.build.parent)


def test_a_render_interrupted_at_any_write_leaves_each_language_whole(
        published: Published, two_sets: tuple[Path, dict, dict], monkeypatch: pytest.MonkeyPatch) -> None:
    reports, old, new = two_sets
    real_write = store.write_bytes_atomic
    writes = 0

    def counting(path: Path, data: bytes) -> None:
        nonlocal writes
        writes += 1
        real_write(path, data)

    monkeypatch.setattr(store, "write_bytes_atomic", counting)
    _render(published, tmp := reports.parent / "count")  # how many writes a full render makes
    total, writes = writes, 0
    assert total > sum(len(pages) for pages in new.values())  # every page of each language, then the rest
    for stop_at in range(total):
        calls = 0

        def interrupted(path: Path, data: bytes, stop_at: int = stop_at) -> None:
            nonlocal calls
            if calls == stop_at:
                raise KeyboardInterrupt  # what SIGINT/SIGTERM become in the CLI
            calls += 1
            real_write(path, data)

        monkeypatch.setattr(store, "write_bytes_atomic", interrupted)
        with pytest.raises(KeyboardInterrupt):
            _render(published, reports)
        assert_each_language_is_one_whole_set(reports, old, new)
    monkeypatch.setattr(store, "write_bytes_atomic", real_write)
    _render(published, reports)  # the next build recovers and publishes the new set
    assert snapshot(reports) == new
    assert not (reports / publish.STAGING).exists()
    shutil.rmtree(tmp)


def test_a_swap_interrupted_between_its_two_renames_is_undone_by_the_next_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # where the system cannot exchange two folders atomically, the old one is moved aside first
    root = tmp_path / "reports"
    (root / "fr").mkdir(parents=True)
    (root / "fr" / "index.html").write_text("old")
    staged = publish.staging(root, "fr")
    (staged / "index.html").write_text("new")
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    real_rename = os.rename

    def dies_on_second(src: str | Path, dst: str | Path) -> None:
        if Path(src) == staged:
            raise KeyboardInterrupt
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        publish.publish(staged, root / "fr")
    monkeypatch.setattr(os, "rename", real_rename)
    assert not (root / "fr").exists()  # the moment in between: the old set is aside
    publish.recover(root)
    assert (root / "fr" / "index.html").read_text() == "old"
    assert sorted(p.name for p in root.iterdir()) == ["fr"]


def test_publishing_replaces_the_whole_folder(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    (root / "en").mkdir(parents=True)
    (root / "en" / "stale.html").write_text("from a report that no longer exists")
    staged = publish.staging(root, "en")
    (staged / "index.html").write_text("new")
    publish.publish(staged, root / "en")
    assert sorted(p.name for p in (root / "en").iterdir()) == ["index.html"]
    assert not (root / publish.STAGING).exists()


def test_a_render_killed_by_sigkill_at_random_moments_leaves_each_language_whole(
        published: Published, two_sets: tuple[Path, dict, dict]) -> None:
    reports, old, new = two_sets
    argv = [sys.executable, "-m", "pipelines", "render", "--build", str(published.build), "--reports",
            str(reports), "--processed", str(published.processed), "--allow-outside", "--charts", "vega"]
    env = {**os.environ, "MINUSMA_ROOT": str(published.build.parent)}
    for delay in (0.3, 0.8, 1.2, 1.6, 2.0, 2.5):
        process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert_each_language_is_one_whole_set(reports, old, new)
        if snapshot(reports) == new:  # this one finished: start again from the old set
            shutil.rmtree(reports)
            shutil.copytree(published.svg, reports)
    assert subprocess.run(argv, env=env, capture_output=True).returncode == 0
    assert snapshot(reports) == new
