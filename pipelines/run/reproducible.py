"""Executed notebooks made reproducible: the same inputs give the same bytes.

Papermill and nbclient write start and end times, durations and absolute paths into an
executed notebook, nbformat makes up random cell ids for notebooks older than 4.5, and
Altair's html renderer draws a random element id per chart. All of that is dropped or turned
into counters here, so that a rerun gives the same notebook, and then the same HTML. Apart
from the worker that executes the notebook because it is pure (a notebook in, a notebook
out) and is tested as such.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pipelines.core import paths

_VOLATILE = ("start_time", "end_time", "duration")
ERROR_MARKER_TAG = "papermill-error-cell-tag"  # papermill.execute.ERROR_MARKER_TAG
_KERNEL_FILE = re.compile(r"[^\s\"'()<>\x1b]*/ipykernel_\d+/")


def scrub(text: str, root: Path) -> str:
    """Warnings and tracebacks name files by absolute path, and cells by a temporary folder
    holding the kernel's process id: keep the project-relative path and the cell's hash only."""
    return _KERNEL_FILE.sub("ipykernel/", text.replace(f"{root.as_posix()}/", ""))


_ALTAIR_ID = re.compile(r"altair-viz-[0-9a-f]{32}")


def _source_ids(source: Path) -> list[str | None]:
    """Cell ids as written in the source notebook; None where it has none (nbformat < 4.5,
    for which nbformat makes up random ids on every read)."""
    try:
        cells = json.loads(source.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return []
    return [c.get("id") if isinstance(c, dict) else None for c in cells]


def clean_notebook(nb: Any, root: Path, source: Path, output: Path) -> Any:
    """Drop what changes from one run to the next: papermill's start/end times and durations
    (notebook and cells), nbclient's per-cell timings, widget state, absolute paths (in
    papermill's metadata, warnings and tracebacks), random cell ids (those papermill gives the
    cells it inserts, those nbformat makes up for notebooks older than 4.5) and the random
    element ids of Altair's html renderer."""
    meta = nb.metadata.get("papermill")
    if meta is not None:
        for key in _VOLATILE:
            meta.pop(key, None)
        meta["input_path"] = paths.display(source, root)
        meta["output_path"] = paths.display(output, root)
    nb.metadata.pop("widgets", None)
    ids = _source_ids(source)
    charts: dict[str, str] = {}
    number = 0
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                out["text"] = scrub(out.get("text", ""), root)
            elif out.get("output_type") == "error":
                out["traceback"] = [scrub(line, root) for line in out.get("traceback", [])]
            elif "text/html" in out.get("data", {}):  # Altair's html renderer: a random id per chart
                html = out["data"]["text/html"]
                html = "".join(html) if isinstance(html, list) else html
                out["data"]["text/html"] = _ALTAIR_ID.sub(
                    lambda m: charts.setdefault(m.group(0), f"altair-viz-{len(charts) + 1}"), html
                )
        cell.metadata.pop("execution", None)
        for key in _VOLATILE:
            cell.metadata.get("papermill", {}).pop(key, None)
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"
        elif ERROR_MARKER_TAG in tags:
            cell["id"] = f"papermill-error-{index}"
        else:
            cell["id"] = (ids[number] if number < len(ids) else None) or f"cell-{number + 1}"
            number += 1
    return nb
