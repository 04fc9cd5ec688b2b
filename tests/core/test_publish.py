"""A build stopped at any moment leaves the previous reports whole: the whole site (every
language's pages, the data-quality pages, the downloads, the home page and the manifest) is
published as one set, never a mix of two builds, and the next build recovers whatever an
interrupted one left behind."""

from __future__ import annotations

import errno
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
from pipelines.render import manifest as manifest_mod
from pipelines.render import site as render
from pipelines.validate.pages import QUARANTINE_CSV
from tests.support import FixtureBuild, render_argv

LANGS = ("fr", "en")


def snapshot(reports: Path) -> dict[str, dict[str, bytes]]:
    """Every published page, by language folder."""
    return {lang: {p.name: p.read_bytes() for p in sorted((reports / "test" / lang).iterdir())} for lang in LANGS}


def whole(reports: Path) -> dict[str, bytes]:
    """Every published file, by its path in the site."""
    return {p.relative_to(reports).as_posix(): p.read_bytes() for p in sorted(reports.rglob("*")) if p.is_file()}


def assert_each_language_is_one_whole_set(
    reports: Path, old: dict[str, dict[str, bytes]], new: dict[str, dict[str, bytes]]
) -> None:
    """Each language folder holds exactly the old set or exactly the new one."""
    now = snapshot(reports)
    for lang in LANGS:
        assert now[lang] in (old[lang], new[lang]), f"reports/{lang} mixes two builds: {sorted(now[lang])}"


def assert_the_site_is_one_build(reports: Path, old: dict[str, bytes], new: dict[str, bytes]) -> None:
    """Every file of the site, byte for byte, is the old site's or every one is the new site's."""
    now = whole(reports)
    if now not in (old, new):
        mixed = sorted(
            k
            for k in set(now) | set(old) | set(new)
            if now.get(k) not in (old.get(k), new.get(k))
            or (now.get(k) != old.get(k) and any(now.get(j) == old.get(j) != new.get(j) for j in now))
        )
        raise AssertionError(f"the site mixes two builds (or holds neither): {mixed[:10]}")


def assert_the_manifest_describes_the_site(reports: Path) -> None:
    """Every page and download the manifest lists is published with its sha256, and every
    download and report page published is listed; so is every other file of the site (indexes,
    data-quality pages, the quarantine's CSV), each with its sha256."""
    assert manifest_mod.check_site(reports) == []
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {
        p.relative_to(reports).as_posix() for p in reports.rglob("*") if p.is_file() and p.name != "manifest.json"
    }
    pages = {v["html"]["path"]: v["html"]["sha256"] for v in manifest["reports"].values()}
    listed = {**pages, **manifest["downloads"]}
    assert manifest["downloads"]
    assert {k: store.sha256_file(reports / k) if (reports / k).is_file() else None for k in listed} == listed
    published = {p.relative_to(reports).as_posix() for p in reports.rglob("*.*") if p.is_file()}
    assert {p for p in published if p.startswith("data/")} == set(manifest["downloads"])
    assert {
        p
        for p in published
        if p.count("/") == 2 and not p.startswith(("data/", "quality/")) and not p.endswith("/index.html")
    } == set(pages)


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
    """The two sites differ in every part: pages (charts), data-quality pages (two checks) and
    downloads (two versions of the tables, the second without one figure)."""
    from pipelines.core import paths
    from pipelines.ingest import step as ingest

    base = tmp_path_factory.mktemp("published")
    build = base / "build"
    shutil.copytree(fixture_build.build, build, ignore=shutil.ignore_patterns(render.UNPUBLISHED, ".lock"))
    record = json.loads((build / "run.json").read_text(encoding="utf-8"))
    record["jobs"] = {k: e for k, e in record["jobs"].items() if e["status"] == "ok"}
    (build / "run.json").write_text(json.dumps(record), encoding="utf-8")
    result = ingest.ingest(paths.RAW)  # tables to download (the fixture's have none)
    ingest.write(result, base / "processed-svg")
    result.tables["observations"] = result.tables["observations"].head(-1)
    ingest.write(result, processed := base / "processed")
    for mode, tables in (("svg", base / "processed-svg"), ("vega", processed)):
        (build / render.QUALITY).mkdir(exist_ok=True)
        for page in ("index.html", "observations.html"):
            (build / render.QUALITY / page).write_text(f"<p>the check before the {mode} render</p>", encoding="utf-8")
        (build / render.QUALITY / QUARANTINE_CSV).write_text(f"file,line,rule\n{mode}.csv,2,number\n", encoding="utf-8")
        render.render_build(build, base / mode, tables, charts=mode, root=base)
    return Published(build, processed, base / "svg", base / "vega")


@pytest.fixture()
def two_sets(published: Published, tmp_path: Path) -> tuple[Path, dict, dict]:
    """reports/ as the SVG build left it, and the pages a Vega render writes instead."""
    reports = tmp_path / "reports"
    shutil.copytree(published.svg, reports)
    old, new = snapshot(published.svg), snapshot(published.vega)
    assert all(old[lang] != new[lang] for lang in LANGS)  # the second render changes every language
    return reports, old, new


@pytest.fixture()
def two_sites(published: Published, tmp_path: Path) -> tuple[Path, dict, dict]:
    """reports/ as the SVG build left it, and the whole site a Vega render publishes instead."""
    reports = tmp_path / "reports"
    shutil.copytree(published.svg, reports)
    old, new = whole(published.svg), whole(published.vega)
    assert old != new and old["manifest.json"] != new["manifest.json"]
    assert any(k.startswith("data/") for k in new) and f"quality/{QUARANTINE_CSV}" in new
    for site in (published.svg, published.vega):
        assert_the_manifest_describes_the_site(site)
    return reports, old, new


def _render(published: Published, reports: Path) -> None:
    render.render_build(published.build, reports, published.processed, charts="vega", root=published.build.parent)


def test_a_render_interrupted_at_any_write_leaves_the_whole_site_of_one_build(
    published: Published, two_sites: tuple[Path, dict, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    reports, old, new = two_sites
    real_write = store.write_bytes_atomic
    writes = 0

    def counting(path: Path, data: bytes, **kwargs: object) -> None:
        nonlocal writes
        writes += 1
        real_write(path, data, **kwargs)

    monkeypatch.setattr(store, "write_bytes_atomic", counting)
    _render(published, tmp := reports.parent / "count")  # how many writes a full render makes
    total, writes = writes, 0
    assert total > len([k for k in new if k.startswith("test/")])  # every page of each language, then the rest
    for stop_at in sorted({*range(0, total, max(1, total // 15)), total - 1}):  # pages, downloads, manifest
        calls = 0

        def interrupted(path: Path, data: bytes, stop_at: int = stop_at, **kwargs: object) -> None:
            nonlocal calls
            if calls == stop_at:
                raise KeyboardInterrupt  # what SIGINT/SIGTERM become in the CLI
            calls += 1
            real_write(path, data, **kwargs)

        monkeypatch.setattr(store, "write_bytes_atomic", interrupted)
        with pytest.raises(KeyboardInterrupt):
            _render(published, reports)
        assert whole(reports) == old  # every write is staged: nothing is published before the switch
        assert not publish.site_staging(reports).exists()
    monkeypatch.setattr(store, "write_bytes_atomic", real_write)
    _render(published, reports)  # the next build recovers and publishes the new set
    assert whole(reports) == new
    assert not (reports / publish.STAGING).exists() and not publish.site_staging(reports).exists()
    assert_the_manifest_describes_the_site(reports)
    shutil.rmtree(tmp)


#: Run in a child process: the switch from a published site to a staged one, SIGKILLed at its
#: `stop`-th step (each folder exchange or rename, each removal of a folder or a file), without
#: the exchange when `fallback` (as on a system that cannot exchange two folders). Prints the
#: steps it took.
KILLED_AT_A_STEP = """
import os, shutil, signal, sys
from pathlib import Path
from pipelines.core import publish

staged, reports, stop, fallback = sys.argv[1:]
stop, steps = int(stop), 0

def barrier():
    global steps
    if steps == stop:
        os.kill(os.getpid(), signal.SIGKILL)
    steps += 1

def step(function):
    def stepped(*args, **kwargs):
        barrier()
        return function(*args, **kwargs)
    return stepped

def no_exchange(a, b):
    barrier()
    return False

publish._exchange = no_exchange if fallback == "1" else step(publish._exchange)
os.rename, os.unlink, os.rmdir, shutil.rmtree = step(os.rename), step(os.unlink), step(os.rmdir), step(shutil.rmtree)
publish.switch(Path(staged), Path(reports))
print(steps)
"""


@pytest.mark.parametrize("fallback", [False, True], ids=["exchange", "two-renames"])
def test_a_publish_killed_at_each_step_leaves_the_old_site_or_the_new_one_byte_for_byte(
    published: Published, two_sites: tuple[Path, dict, dict], fallback: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports, old, new = two_sites
    staged = publish.site_staging(reports)
    real_switch = publish.switch

    def stage_only(site: Path, target: Path) -> None:
        shutil.copytree(site, staged.parent / "complete")  # the complete new site, as the switch finds it

    monkeypatch.setattr(publish, "switch", stage_only)
    _render(published, reports)  # a real render, stopped where its publishing starts
    monkeypatch.setattr(publish, "switch", real_switch)
    complete = staged.parent / "complete"
    assert whole(complete) == new and whole(reports) == old

    def killed_at(stop: int) -> subprocess.CompletedProcess[str]:
        shutil.rmtree(reports, ignore_errors=True)
        shutil.copytree(published.svg, reports)
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(complete, staged)
        return subprocess.run(
            [sys.executable, "-c", KILLED_AT_A_STEP, str(staged), str(reports), str(stop), str(int(fallback))],
            capture_output=True,
            text=True,
            check=False,
        )

    done = killed_at(-1)  # never killed: how many steps a publish takes
    assert done.returncode == 0, done.stderr
    total = int(done.stdout.split()[-1])
    assert whole(reports) == new and not staged.exists()
    assert total >= (4 if fallback else 2) + len(new)  # the switch, then a removal of each old file
    for stop in sorted({*range(min(total, 8)), *range(8, total, max(1, total // 10)), total - 1}):
        done = killed_at(stop)
        assert done.returncode == -signal.SIGKILL, (stop, done.stderr)
        if not reports.exists():  # killed between the fallback's two renames: the old site is aside
            assert fallback and publish.site_aside(reports).is_dir()
        else:
            assert_the_site_is_one_build(reports, old, new)
        publish.recover_site(reports)  # what the next render does first
        assert_the_site_is_one_build(reports, old, new)
        assert not staged.exists() and not publish.site_aside(reports).exists()
        assert_the_manifest_describes_the_site(reports)
    shutil.rmtree(complete)
    _render(published, reports)
    assert whole(reports) == new


def test_a_render_of_one_roadmap_keeps_the_other_roadmaps_pages_and_their_manifest_entries(
    published: Published, tmp_path: Path
) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(published.svg, reports)
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    other = {}  # another roadmap, published by an earlier render
    for key, entry in manifest["reports"].items():
        html = "other/" + entry["html"]["path"].split("/", 1)[1]
        (reports / html).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(reports / entry["html"]["path"], reports / html)
        other["other/" + key.split("/", 1)[1]] = {**entry, "roadmap": "other", "html": {**entry["html"], "path": html}}
    manifest["reports"].update(other)
    store.write_json_atomic(reports / "manifest.json", manifest)
    render.render_build(
        published.build, reports, published.processed, charts="vega", roadmaps=["test"], root=published.build.parent
    )
    after = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in after["reports"].items() if k.startswith("other/")} == other
    assert after["charts"] == "vega" and snapshot(reports) == snapshot(published.vega)
    assert_the_manifest_describes_the_site(reports)


def test_a_swap_interrupted_between_its_two_renames_is_undone_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
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


def test_a_render_killed_by_sigkill_at_random_moments_leaves_the_whole_site_of_one_build(
    published: Published, two_sites: tuple[Path, dict, dict]
) -> None:
    reports, old, new = two_sites
    argv = [
        sys.executable,
        "-m",
        "pipelines",
        *render_argv(published.build, reports, published.processed, "--charts", "vega"),
    ]
    env = {**os.environ, "MINUSMA_ROOT": str(published.build.parent)}
    for delay in (0.3, 0.8, 1.2, 1.6, 2.0, 2.5):
        process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert_the_site_is_one_build(reports, old, new)
        if whole(reports) == new:  # this one finished: start again from the old set
            shutil.rmtree(reports)
            shutil.copytree(published.svg, reports)
    assert subprocess.run(argv, env=env, capture_output=True).returncode == 0
    assert whole(reports) == new
    assert_the_manifest_describes_the_site(reports)


@pytest.mark.parametrize("fallback", [False, True], ids=["exchange", "two-renames"])
def test_a_site_that_cannot_be_renamed_is_refused_and_left_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fallback: bool
) -> None:
    # reports/ as a mount point: the exchange (or the first rename) is refused with EBUSY
    from pipelines.core.errors import EnvironmentFailure

    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "index.html").write_text("old")
    staged = publish.new_site(reports)
    (staged / "index.html").write_text("new")
    real_rename = os.rename

    def busy(*args: object) -> bool:
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(reports))

    def rename(src: str | Path, dst: str | Path) -> None:
        if Path(src) == reports:
            busy()
        real_rename(src, dst)

    monkeypatch.setattr(publish, "_exchange", (lambda a, b: False) if fallback else busy)
    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError) as err:
        publish.switch(staged, reports)
    failure = EnvironmentFailure.of(err.value, "render")
    assert failure is not None and failure.exit_code == 4
    assert "reports/ cannot be renamed (a mount point" in str(failure) and "(EBUSY)" in str(failure)
    assert (reports / "index.html").read_text() == "old" and not publish.site_aside(reports).exists()


def test_a_reports_link_to_a_served_folder_stays_a_link_and_the_folder_gets_the_new_site(tmp_path: Path) -> None:
    served = tmp_path / "www" / "site"
    served.mkdir(parents=True)
    (served / "index.html").write_text("old")
    reports = tmp_path / "project" / "reports"
    reports.parent.mkdir()
    reports.symlink_to(served)
    staged = publish.new_site(reports)
    assert staged.parent == served.parent  # on the served folder's file system
    (staged / "index.html").write_text("new")
    publish.switch(staged, reports)
    assert reports.is_symlink() and (served / "index.html").read_text() == "new"
    assert sorted(p.name for p in served.parent.iterdir()) == ["site"]
