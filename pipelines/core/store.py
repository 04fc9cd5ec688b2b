"""Writing outputs so that a crash never leaves a half-written set, and reading them back.

Every file is written to a temporary name in the same folder, flushed to disk and renamed
over the old one (an atomic step on POSIX). The processed tables are written as a set into a
staging folder swapped in whole, the manifest last within it; an interrupted run leaves the
previous good outputs in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from queue import Full, Queue
from typing import Any

import polars as pl

from pipelines.core import paths, schema

MANIFEST = "manifest.json"
#: The results of the last check, beside the tables (written by `pipelines.validate.step`).
VALIDATION_RESULTS = "validation.json"
_UMASK = os.umask(0)
os.umask(_UMASK)


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, read in chunks (inputs may be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ahead(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """`pieces` in order, the next one made by a thread while the caller uses this one.

    A CSV of ten million rows is made in pieces by polars, and written and hashed by the
    caller; both let go of Python's lock while they work, so making the next piece while this
    one is written overlaps them. One piece waits at most, so memory holds two; an error in
    making one is raised here, at its turn; a caller that stops early stops the maker."""
    queue: Queue[tuple[str, Any]] = Queue(maxsize=1)
    stop = threading.Event()

    def put(item: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def make() -> None:
        try:
            for piece in pieces:
                if not put(("piece", piece)):
                    return
            put(("end", None))
        except BaseException as error:  # noqa: BLE001 - handed to the caller, raised there
            put(("error", error))

    maker = threading.Thread(target=make, name="pieces-ahead", daemon=True)
    maker.start()
    try:
        while True:
            kind, item = queue.get()
            if kind == "error":
                raise item
            if kind == "end":
                return
            yield item
    finally:
        stop.set()
        maker.join()


def write_bytes_atomic(path: Path, data: bytes | Iterable[bytes], digest: Any = None) -> None:
    """Replace `path` with `data` (bytes, or pieces written one after another, the next one
    made while this one is written: `ahead`) in one rename; the old file stays whole if
    anything fails. `digest` (a hashlib object) is fed the bytes as they are written, so a
    large output is not read back to be hashed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in [data] if isinstance(data, bytes) else ahead(data):
                handle.write(piece)
                if digest is not None:
                    digest.update(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def copy_atomic(source: Path, path: Path) -> None:
    """Make `path` a copy of `source`, replacing it in one rename. The copy is the kernel's
    (`shutil.copyfile` sends the file without reading it into Python): for outputs that are
    the same bytes under two names, a CSV slice holding every row of the table it was cut from.
    A copy, not a hard link: a reader who edits one of the files in place edits that one only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, payload: Any) -> None:
    """JSON with sorted keys and a final newline: the same content gives the same bytes."""
    text = json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    write_bytes_atomic(path, text.encode("utf-8"))


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    """A frame as Parquet bytes, written the same way every time (no timestamps inside)."""
    import io

    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd", compression_level=3, statistics=True)
    return buffer.getvalue()


def write_tables(tables: Mapping[str, pl.DataFrame], manifest: dict[str, Any], directory: Path) -> dict[str, str]:
    """Write each table as ``<name>.parquet`` then the manifest, published as one set; returns
    output checksums.

    The tables are written into a staging folder beside `directory` and swapped in whole
    (`pipelines.core.publish`), so a notebook reading the folder while ingest runs, or after it was
    killed, sees all the previous tables or all the new ones, never a mix. The folder's other
    files (validation results, which check themselves against the data checksum) are carried
    over; tables no longer produced are not. Where the folder cannot be swapped (a mount
    point), the files are replaced one by one, the manifest last.
    """
    from pipelines.core import publish

    outputs: dict[str, str] = {}
    staged_bytes: list[tuple[str, bytes]] = []
    for name in sorted(tables):
        data = parquet_bytes(schema.conform(tables[name], name))
        outputs[f"{name}.parquet"] = hashlib.sha256(data).hexdigest()
        staged_bytes.append((f"{name}.parquet", data))
    combined = hashlib.sha256("".join(f"{k}={v}\n" for k, v in sorted(outputs.items())).encode()).hexdigest()
    directory.parent.mkdir(parents=True, exist_ok=True)
    publish.recover(directory.parent)
    staged = publish.staging(directory.parent, directory.name)
    try:
        if directory.is_dir():
            for old in sorted(directory.iterdir()):
                if old.is_file() and old.suffix != ".parquet" and old.name not in (MANIFEST, "ingest.key"):
                    write_bytes_atomic(staged / old.name, old.read_bytes())
        for name, data in staged_bytes:
            write_bytes_atomic(staged / name, data)
        write_json_atomic(staged / MANIFEST, {**manifest, "outputs": outputs, "data_checksum": combined})
        try:
            publish.publish(staged, directory)
        except OSError:  # EBUSY/EXDEV: a mount point cannot be swapped
            for path in sorted(staged.iterdir(), key=lambda p: p.name == MANIFEST):
                os.replace(path, directory / path.name)
    finally:
        publish.recover(directory.parent)  # nothing half-made stays beside the folder
    return outputs


def read_manifest(directory: Path = paths.PROCESSED) -> dict[str, Any]:
    """The manifest of the last complete ingest, or an empty dict when there is none."""
    path = directory / MANIFEST
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def read_table(name: str, directory: Path = paths.PROCESSED, columns: list[str] | None = None) -> pl.DataFrame:
    """One processed table (only `columns`, when given: at 10⁷ rows the whole observations
    table is 1.8 GiB, two of its columns a tenth of that); a clear error when ingest has not
    run yet."""
    path = directory / f"{name}.parquet"
    if not path.exists():
        from pipelines.core.errors import PipelineError

        raise PipelineError(f"{paths.display(path)} does not exist: run `python -m pipelines ingest` first")
    return pl.read_parquet(path, columns=columns)


def read_sidecar(path: Path | None) -> dict[str, Any] | None:
    """A sidecar as written by `pipelines.run.sidecars.write_sidecar`, or None when absent or unreadable."""
    if path is None or not path.exists():
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return payload if isinstance(payload, dict) else None
