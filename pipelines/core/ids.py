"""The shapes of the ids that name files and folders: a roadmap id names ``reports/<id>/``, a
benchmark id names ``benchmark-<id>.html``. Ingest refuses an id of another shape
(`pipelines.ingest.catalogue`), and the runner checks every id it plans with by the same
patterns (`pipelines.run.jobs`): one definition, so the two can never disagree."""

from __future__ import annotations

import re

#: A roadmap id: short, lower case, path-safe (``s-2021-300``).
ROADMAP_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
#: A benchmark id: any short text (``A``, ``1``, ``J01``).
BENCHMARK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,11}")
