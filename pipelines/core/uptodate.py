"""Whether a data step may skip its work: the same inputs, read by the same code, already gave
the outputs that are on disk.

A scheduled ``make report`` on unchanged data should cost seconds, not the ten or more that
reading data/raw and importing Great Expectations take. So ingest and validate each write a
key beside their outputs (``<folder>/<step>.key``: one sha256 of everything the outputs depend
on: input checksums, the code of `pipelines`, requirements.lock, options) and skip when the key
is the same and every output still has the bytes it was written with. ``--force`` always
does the work. The key file is written after the outputs, so a step stopped half-way never
leaves a key that vouches for outputs it did not finish.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipelines.core import fingerprints, paths, store


def key(**parts: Any) -> str:
    """A sha256 of the step's inputs, the code of `pipelines`, the schemas ingest checks files
    against and the lock file."""
    package = Path(__file__).parents[1]
    everything = {
        **parts,
        "code": fingerprints.code_checksum(package),
        "schemas": fingerprints.code_checksum(paths.SCHEMAS),
        "lock": fingerprints.file_checksum(paths.ROOT / "requirements.lock"),
    }
    return fingerprints.of(everything)


def stamp(folder: Path, step: str) -> Path:
    return folder / f"{step}.key"


def current(folder: Path, step: str, wanted: str, outputs: Mapping[Path, str | None]) -> bool:
    """True when `folder` holds `step`'s key `wanted` and every output exists, with the
    recorded sha256 where one is given."""
    path = stamp(folder, step)
    try:
        if path.read_text(encoding="utf-8").strip() != wanted:
            return False
    except OSError:
        return False
    return all(p.is_file() and (sha is None or store.sha256_file(p) == sha) for p, sha in outputs.items())


def record(folder: Path, step: str, value: str) -> None:
    """Write `step`'s key, once its outputs are all written."""
    store.write_bytes_atomic(stamp(folder, step), (value + "\n").encode("ascii"))
