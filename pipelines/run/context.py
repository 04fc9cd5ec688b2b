"""A report's context: its parameters, checked and resolved once, and what every report does
with them (words in its language, its validation slice, its "Since" section, its footer and
the results it hands to the overview).

A notebook opens with one call, whoever runs it (our runner, papermill or nbconvert from any
folder, an analyst in JupyterLab)::

    from pipelines.run.context import report_context
    context = report_context(roadmap=roadmap, lang=lang, as_of=as_of, since=since,
                             processed_dir=processed_dir, sidecar_path=sidecar_path, build_date=build_date)

`check` refuses what our CLI refuses (an unknown roadmap, benchmark or language, a date that is
not a day or lies in the future) before any work is done, and finds the processed tables
wherever the notebook is started from: an empty ``processed_dir`` means the project's
``data/processed``, found from the package's own location (or ``MINUSMA_ROOT`` for a deployed
copy); a value given is a folder, relative to the working directory as any path on a command
line.

Two dates have two rules, each with one home. The date a report speaks of (``as_of``) is, by
default, the latest day the roadmap's data speaks of or made something known
(`pipelines.analysis.views.latest_known`: the runner's cache key asks the same function through
`pipelines.run.slices`). The date it is built for (``build_date``, printed in the footer) is the
runner's to give (`pipelines.run.jobs.latest_data_date`, the reproducible stand-in for "today");
a notebook run by hand prints its ``as_of`` instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import polars as pl
from IPython.display import display

from pipelines.analysis import history
from pipelines.analysis.views import Tables, benchmark_order
from pipelines.core import paths
from pipelines.core.errors import UsageError
from pipelines.core.i18n import fmt_date
from pipelines.core.i18n import t as translate
from pipelines.present import history_panels, panels
from pipelines.present.markup import Html
from pipelines.present.renderer import use_report_renderer
from pipelines.run import checks, jobs, sidecars
from pipelines.validate import quality


@dataclass(frozen=True)
class Checked:
    """A notebook's parameters once checked: where its tables are, and the dates as given
    ("" for the defaults)."""

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
        raise UsageError(
            f"no processed tables in {folder} ({where}): build them with `make report` (or "
            "`python -m pipelines ingest`) in the project, or set processed_dir to the folder "
            "that holds them, or MINUSMA_ROOT to the project of a deployed copy"
        )
    return folder


def check(
    *, roadmap: str, lang: str, as_of: str, processed_dir: str | Path = "", since: str = "", today: date | None = None
) -> Checked:
    """Refuse what our CLI refuses, and find the tables; returns the checked values."""
    checks.check_langs(lang)
    day = checks.check_date(as_of, "as_of", today or date.today())
    since = checks.check_since(since, day, today or date.today(), ("since", "as_of"))
    if not roadmap or "," in roadmap:
        raise UsageError(f"roadmap {roadmap!r}: give one roadmap_id of data/raw/roadmaps/*.yaml")
    folder = processed_folder(processed_dir)
    jobs.check_roadmaps(roadmap, jobs.known_roadmaps(folder))
    return Checked(folder, roadmap, lang, day, since)


@dataclass(frozen=True)
class ReportContext:
    """One report in one language, resolved: the roadmap's tables (every record: a report
    assesses them as known on `as_of`, its history as known on each earlier date), the two
    dates of its "Since" section, and where its results go."""

    roadmap: str
    lang: str
    as_of: date
    since: date
    build_date: str
    processed_dir: Path
    tables: Tables
    benchmark: str = ""
    sidecar_path: str = ""

    @property
    def acronym(self) -> str:
        return str(self.tables.roadmap["acronym"])

    @property
    def symbol(self) -> str:
        return str(self.tables.roadmap["symbol"])

    def t(self, key: str, **values: Any) -> str:
        """The text of `key` in the report's language. The key is the caller's, written in its
        ``context.t("...")`` call, where the catalogues' extraction reads it."""
        return translate(key, self.lang, **values)

    def day(self, value: date | None = None) -> str:
        """A date as the report's language writes it; the report's own date by default."""
        return fmt_date(value or self.as_of, self.lang)

    @cached_property
    def changes(self) -> pl.DataFrame:
        """What changed from `since` to `as_of` (`history.changes`), computed once: the "Since"
        section and the table an analyst reads under it show the same rows."""
        return history.changes(self.tables, self.since, self.as_of)

    def since_section(
        self, *, benchmarks: Sequence[str] = (), indicators: Sequence[str] = (), statuses_only: bool = False
    ) -> Html:
        """The report's "Since" section, of its benchmarks or indicators (`since_for`)."""
        return history_panels.since_for(
            self.tables,
            self.changes,
            self.since,
            self.as_of,
            self.lang,
            benchmarks=benchmarks,
            indicators=indicators,
            statuses_only=statuses_only,
            heading=False,
        )

    def quality(self, *benchmarks: str) -> list[quality.BenchmarkQuality]:
        """The validation results of the slices these benchmarks read (stored when current)."""
        return [
            quality.results_for(x, processed_dir=self.processed_dir, roadmap=self.roadmap)
            for x in benchmark_order(list(dict.fromkeys(benchmarks)))
        ]

    def close(self, sources: pl.DataFrame | None = None, results: Mapping[str, Any] | None = None) -> None:
        """Show the report's last section, the sources it cites (when it lists them) and its
        footer, and write `results` to the sidecar the overview and the index read (no file
        when run by hand)."""
        if sources is not None:
            display(panels.sources(sources, self.lang, heading=False))
        display(panels.footer(self.as_of, self.build_date, self.lang))
        if results is not None:
            sidecars.write_sidecar(self.sidecar_path, **results)


def report_context(
    *,
    roadmap: str,
    lang: str,
    as_of: str = "",
    since: str = "",
    processed_dir: str | Path = "",
    build_date: str = "",
    benchmark: str = "",
    sidecar_path: str = "",
    today: date | None = None,
) -> ReportContext:
    """Check a notebook's parameters, load its roadmap's tables and resolve its dates: the
    first and only call of every notebook's first cell. Charts are saved the reports' way
    from here on (`use_report_renderer`)."""
    checked = check(roadmap=roadmap, lang=lang, as_of=as_of, processed_dir=processed_dir, since=since, today=today)
    tables = Tables.load(checked.processed_dir, roadmap)
    if benchmark:
        tables.benchmark(benchmark)  # refuses an unknown id, naming the roadmap's ids
    use_report_renderer()
    day = tables.resolve_as_of(checked.as_of)
    return ReportContext(
        roadmap=roadmap,
        lang=lang,
        as_of=day,
        since=history.resolve_since(checked.since, day),
        build_date=build_date,
        processed_dir=checked.processed_dir,
        tables=tables,
        benchmark=benchmark,
        sidecar_path=sidecar_path,
    )
