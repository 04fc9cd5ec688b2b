"""Fingerprints of the things a step's outputs depend on: the code of the `pipelines` package,
a file, the processed data. The cache keys (`pipelines.core.uptodate` for ingest and
validate, `pipelines.run.incremental` for the reports, `pipelines.render.cache`) are made of them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pipelines.core import store


def of(value: Any) -> str:
    """The sha256 of a value as sorted JSON (dates and paths as text): the one way a cache key
    is made of its parts, so that equal parts always give the same key."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def code_checksum(package: Path) -> str:
    """A hash of the `pipelines` package (its code, templates, message catalogues and report
    declarations): notebooks call it, so a change of code, of a translation or of a report's
    declaration re-runs them."""
    digest = hashlib.sha256()
    for path in sorted(
        p
        for p in package.rglob("*")
        if p.is_file() and p.suffix in {".py", ".j2", ".json", ".po", ".yaml"} and "__pycache__" not in p.parts
    ):
        digest.update(f"{path.relative_to(package).as_posix()}={store.sha256_file(path)}\n".encode())
    return digest.hexdigest()


def file_checksum(path: Path) -> str:
    return store.sha256_file(path) if path.is_file() else ""


def data_checksum(processed: Path) -> str:
    """The ingest manifest's checksum of all tables, or a hash of the Parquet files."""
    manifest = store.read_manifest(processed)
    if manifest.get("data_checksum"):
        return str(manifest["data_checksum"])
    digest = hashlib.sha256()
    for table in sorted(processed.glob("*.parquet")):
        digest.update(f"{table.name}={store.sha256_file(table)}\n".encode())
    return digest.hexdigest()
