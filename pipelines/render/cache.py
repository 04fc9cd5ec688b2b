"""Which report pages `render` can keep as they are: those whose inputs did not change.

Drawing a report's charts (vl-convert, SVG) is most of `render`'s time, and after an
incremental run most executed notebooks are the same bytes as last time. A page is kept when
its key is the same as when it was written and the file on disk still has the bytes written
then. The key: the executed notebook's and sidecar's bytes, the job's entry in run.json (without
its timings and the run's reasons), the reports present (the page links the other language),
the data checksum printed on the page, the chart mode, the code of `pipelines` (the
renderer, its templates, translations) with the lock file, and the fonts its charts are drawn
with (`drawing.fonts_key`).

The record is ``build/render.json``, one section per reports folder and chart mode; indexes,
the home page and the manifest are always written again (they cost nothing).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pipelines.core import fingerprints, store
from pipelines.render.drawing import fonts_key

#: Fields of a run.json entry that say how or why a job ran, not what it produced.
_VOLATILE = frozenset(
    {"duration_s", "attempts", "retries", "reason", "inputs", "basis", "reused", "fingerprint", "log"}
)
RECORD = "render.json"


class RenderCache:
    """Page keys of one reports folder and chart mode, read from and saved to the record."""

    def __init__(self, build: Path, section: str, root: Path, checksum: str) -> None:
        self.path = build / RECORD
        self.section = section
        self.root = root
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = {}
        self.record: dict[str, Any] = record if isinstance(record, dict) else {}
        self.pages: dict[str, Any] = dict(self.record.get(section) or {})
        self.common = {
            "code": fingerprints.code_checksum(Path(__file__).parents[1]),
            "lock": fingerprints.file_checksum(root / "requirements.lock"),
        }
        #: The checksum of all the processed data: not part of a page's key (a page prints the
        #: checksum of the data it read only, so another benchmark's new figure leaves it as it
        #: was), but of what is computed from every table (`pipelines.render.site.roadmap_checksums`).
        self.data = checksum

    def key(self, entry: Mapping[str, Any], present: set[str], data: str = "") -> str:
        """Everything a page's bytes depend on (`data`: the data checksum the page prints)."""

        def digest(relative: Any) -> str:
            return fingerprints.file_checksum(self.root / str(relative)) if relative else ""

        stable = {k: v for k, v in entry.items() if k not in _VOLATILE}
        parts = {
            **self.common,
            "fonts": fonts_key(),
            "page_data": data,
            "entry": stable,
            "present": sorted(present),
            "executed": digest(entry.get("output")),
            "sidecar": digest(entry.get("sidecar")),
        }
        return fingerprints.of(parts)

    def kept(self, page_key: str, key: str, out: Path) -> dict[str, Any] | None:
        """The recorded page when its key is the same and its file is unchanged."""
        found = self.pages.get(page_key)
        if not isinstance(found, dict) or found.get("key") != key or not out.is_file():
            return None
        return found if store.sha256_file(out) == found.get("sha256") else None

    def kept_files(self, name: str, key: str, folder: Path) -> dict[str, str] | None:
        """The files recorded under `name` (sha256 by path relative to `folder`) when the key is
        the same and every one of them is still in `folder` with those bytes (and nothing else is)."""
        found = self.pages.get(name)
        if not isinstance(found, dict) or found.get("key") != key or not folder.is_dir():
            return None
        files = found.get("files") or {}
        on_disk = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        if not files or on_disk != sorted(files):
            return None
        return files if all(store.sha256_file(folder / f) == sha for f, sha in files.items()) else None

    def earlier_file(self, name: str, folder: Path) -> Callable[[str, str], tuple[Path, str] | None]:
        """For a set of files recorded under `name` that is written again (some of its inputs
        changed): given a file's path relative to `folder` and the digest of what it is made
        from, that file in `folder` and its sha256, when the code and lock are those it was
        written with, its digest is the one recorded, and it still has the bytes written then
        (a file edited in place is written again, never passed on); otherwise None."""
        found = self.pages.get(name)
        recorded = found if isinstance(found, dict) and found.get("code") == self.code else {}
        files: Mapping[str, str] = recorded.get("files") or {}
        digests: Mapping[str, str] = recorded.get("digests") or {}

        def lookup(relative: str, digest: str) -> tuple[Path, str] | None:
            path, sha = folder / relative, files.get(relative)
            if sha is None or digests.get(relative) != digest or not path.is_file() or store.sha256_file(path) != sha:
                return None
            return path, sha

        return lookup

    @property
    def code(self) -> str:
        """The key of the code and lock file alone, for what `earlier_file` keys by its own digests."""
        return fingerprints.of(self.common)

    def recall(self, name: str, key: str) -> dict[str, Any] | None:
        """What was remembered under `name` with this key (a value computed from the data, not
        a file), or None."""
        found = self.pages.get(name)
        return found if isinstance(found, dict) and found.get("key") == key else None

    def remember(self, page_key: str, key: str, fields: Mapping[str, Any]) -> None:
        self.pages[page_key] = {**fields, "key": key}

    def save(self) -> None:
        self.record[self.section] = self.pages
        store.write_json_atomic(self.path, self.record)
