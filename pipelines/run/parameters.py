"""The checks a notebook makes on its own parameters, whoever runs it.

Our runner checks every value before papermill writes it (`pipelines.run.checks`), but an analyst
also runs the notebooks with papermill or nbconvert directly, from any folder, on a laptop or an
Airflow worker. So the first code cell of every notebook calls `check`: the same refusals as our
CLI (an unknown roadmap or language, a date that is not a day or is in the future), and the
processed tables found wherever the notebook is started from, before any work is done.

Where the data is: an empty ``processed_dir`` (the default) means the project's
``data/processed``, found from the package's own location, or from ``MINUSMA_ROOT`` for a
deployed copy; a value given is a folder, relative to the working directory as any path on a
command line. A folder that holds no processed tables is refused with what to run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipelines.core import paths
from pipelines.core.errors import UsageError
from pipelines.run import checks, jobs


@dataclass(frozen=True)
class Checked:
    """A notebook's parameters once checked: where its tables are, and the date it speaks of
    ("" for the latest date in the data)."""

    processed_dir: Path
    roadmap: str
    lang: str
    as_of: str
    since: str = ""


def processed_folder(value: str | Path) -> Path:
    """The processed tables' folder: the project's when `value` is empty."""
    folder = Path(value).expanduser() if str(value) else paths.PROCESSED
    folder = folder.resolve()
    if not (folder / "roadmaps.parquet").exists():
        where = "the project's data/processed" if not str(value) else f"processed_dir {value!s}"
        raise UsageError(f"no processed tables in {folder} ({where}): build them with `make report` (or "
                         "`python -m pipelines ingest`) in the project, or set processed_dir to the folder "
                         "that holds them, or MINUSMA_ROOT to the project of a deployed copy")
    return folder


def check(*, roadmap: str, lang: str, as_of: str, processed_dir: str | Path = "", since: str = "",
          today: date | None = None) -> Checked:
    """Refuse what our CLI refuses, and find the tables; returns the checked values."""
    checks.check_langs(lang)
    day = checks.check_date(as_of, "as_of", today or date.today())
    since = checks.check_since(since, day, today or date.today(), ("since", "as_of"))
    if not roadmap or "," in roadmap:
        raise UsageError(f"roadmap {roadmap!r}: give one roadmap_id of data/raw/roadmaps/*.yaml")
    folder = processed_folder(processed_dir)
    jobs.check_roadmaps(roadmap, jobs.known_roadmaps(folder))
    return Checked(folder, roadmap, lang, day, since)
