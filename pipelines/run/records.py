"""The run record, ``build/run.json``, and the entries isolated runs keep apart until folded in.

``run --isolated`` (each report task of the Airflow DAG) writes nothing another run writes:
each of its jobs' entries goes to ``build/records/<roadmap>/<lang>/<report>.json`` (beside the
job's lock, ``.lock``). The next `run` that holds the build folder, or `render`, folds them
into ``build/run.json``, which then reads as if one run had run all those jobs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipelines.core import store

#: Where isolated runs keep their entries of the record, one file per job (`fold`).
RECORDS = "records"


def own(build: Path, key: str, suffix: str) -> Path:
    """A file of job `key` alone under ``build/records``: its entry (``.json``) or its lock."""
    return build / RECORDS / f"{key}{suffix}"


def pending(build: Path) -> list[tuple[Path, str, dict[str, Any]]]:
    """The entries isolated runs wrote and no fold took yet: (file, job key, entry), by key."""
    found = []
    for path in sorted((build / RECORDS).glob("*/*/*.json")):
        try:
            held = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(held, dict) and isinstance(held.get("entry"), dict) and isinstance(held.get("key"), str):
            found.append((path, held["key"], held))
    return found


def fold(build: Path) -> bool:
    """Fold the entries isolated runs left in ``build/records`` into ``build/run.json`` (created
    when absent) and remove their files; the caller holds the build folder (a `run` or
    `render`). The record is then what one run of all those jobs would have written. True when
    anything was folded."""
    found = pending(build)
    if not found:
        return False
    record = read(build / "run.json")
    for _, key, held in found:
        record["jobs"][key] = held["entry"]
        record["kernel"] = held.get("kernel", record.get("kernel"))
    store.write_json_atomic(build / "run.json", record)
    for path, _, _ in found:
        path.unlink(missing_ok=True)
    return True


def read(path: Path) -> dict[str, Any]:
    """The run record (``{"jobs": {key: entry}, "kernel": ...}``); empty when absent or corrupt."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    if not isinstance(record, dict) or not isinstance(record.get("jobs"), dict):
        record = {"jobs": {}}
    return record
