"""The one channel from a notebook to the others (the overview, the index): a small JSON
object, its sidecar, written by `write_sidecar` and read by `pipelines.core.store.read_sidecar`.
No step scrapes a notebook's outputs.

Apart from the plan (`pipelines.run.jobs`) because it is the one part of the run step that the
notebooks themselves call, in their last cell.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pipelines.core import statuses

#: A sidecar's status is an id of the one vocabulary; "not_assessed" is for reports that measure
#: nothing against a target (context, audit of the roadmap's figures).
SIDECAR_STATUSES: frozenset[str] = frozenset(statuses.IDS)


def write_sidecar(
    path: str | os.PathLike[str],
    *,
    title: str,
    status: str,
    score: float | None = None,
    headline: Sequence[Mapping[str, Any]] = (),
    **extra: Any,
) -> None:
    """Write a notebook's results for the overview and the index; a no-op when ``path`` is ""
    (an analyst running the notebook by hand).

    ``status`` is an id of `pipelines.core.statuses`; ``score`` is 0-1 (a
    milestone score or an indicator's current status) or None; ``headline`` lists figures as
    ``{"label": ..., "value": ..., "target": ...}`` already formatted for the language.
    Extra keys are kept. Keys are sorted, so the same results give the same bytes.
    """
    if not path:
        return
    if status not in SIDECAR_STATUSES:
        raise ValueError(f"sidecar status {status!r} is not one of {sorted(SIDECAR_STATUSES)}")
    if score is not None and not isinstance(score, (int, float)):
        raise ValueError(f"sidecar score must be a number or None, got {score!r}")
    from pipelines.core import store

    payload = {**extra, "title": title, "status": status, "score": score, "headline": [dict(item) for item in headline]}
    store.write_json_atomic(Path(path), payload)
