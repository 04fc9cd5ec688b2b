"""The shapes of the ids that name files and folders: a roadmap id names ``reports/<id>/``, a
benchmark id names ``benchmark-<id>.html``. Ingest refuses an id of another shape (the
roadmap file's JSON Schema, ``schemas/roadmap.schema.json``, whose patterns a test holds equal
to these), and the runner checks every id it plans with by these patterns (`pipelines.run.jobs`):
the two can never disagree."""

from __future__ import annotations

import re

#: A roadmap id: short, lower case, path-safe (``s-2021-300``).
ROADMAP_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
#: A benchmark id: any short text (``A``, ``1``, ``J01``).
BENCHMARK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,11}")
