"""``reports/manifest.json`` lists every published file with its sha256, and a site that does
not match it (a file edited, removed or added by hand) is found, file by file."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.core import store
from pipelines.render import manifest
from pipelines.validate.pages import QUARANTINE_CSV


def a_site(site: Path) -> None:
    """A small published site: a page, a download, the data-quality pages with the quarantine's
    CSV, and a file of the repository's (``.gitkeep``), with its manifest."""
    for name, text in (
        ("index.html", "<p>home</p>"),
        ("data/observations.csv", "indicator_id\nx\n"),
        ("quality/index.html", "<p>quality</p>"),
        (f"quality/{QUARANTINE_CSV}", "file,line\na.csv,2\n"),
        (".gitkeep", ""),
    ):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    store.write_json_atomic(site / manifest.MANIFEST, {"files": manifest.site_files(site)})


def test_every_published_file_is_listed_with_its_sha256_and_the_quarantine_csv_too(tmp_path: Path) -> None:
    a_site(tmp_path)
    listed = json.loads((tmp_path / manifest.MANIFEST).read_text(encoding="utf-8"))["files"]
    assert sorted(listed) == ["data/observations.csv", "index.html", "quality/index.html", f"quality/{QUARANTINE_CSV}"]
    assert listed[f"quality/{QUARANTINE_CSV}"] == store.sha256_file(tmp_path / "quality" / QUARANTINE_CSV)
    assert manifest.check_site(tmp_path) == []


def test_a_file_edited_removed_or_left_over_by_hand_is_named(tmp_path: Path) -> None:
    a_site(tmp_path)
    (tmp_path / "quality" / QUARANTINE_CSV).write_text("file,line\n", encoding="utf-8")
    (tmp_path / "data" / "observations.csv").unlink()
    (tmp_path / "quality" / "stale.html").write_text("<p>an earlier check</p>", encoding="utf-8")
    assert manifest.check_site(tmp_path) == [
        ("data/observations.csv", "listed in manifest.json but not published"),
        (f"quality/{QUARANTINE_CSV}", "not the file manifest.json lists (another sha256)"),
        ("quality/stale.html", "published but not listed in manifest.json"),
    ]


def test_a_manifest_without_its_list_of_files_describes_nothing(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>home</p>", encoding="utf-8")
    store.write_json_atomic(tmp_path / manifest.MANIFEST, {"reports": {}})
    assert manifest.check_site(tmp_path) == [("manifest.json", "missing, unreadable or without its list of files")]
