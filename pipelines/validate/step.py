"""Step 2, ``python -m pipelines validate``: check the processed tables with the GX suites.

Reads ``data/processed/<table>.parquet`` for every table that has a suite in ``expectations/``,
adds the rules derived from the data (schema, per-indicator ranges and bounds; see
`pipelines.validate.rules`), validates every table in one process with one ephemeral GX
context, and writes:

* ``data/processed/validation.json``: per table and rule, its severity, whether it passed, and
  the failing rows by raw file, line, column and value (at most 200 per rule, with the count),
  plus the manifest's data checksum, so notebooks can tell whether results are current;
* ``build/quality/<table>.html`` and ``index.html``: the same, readable offline, with the
  rows ingest quarantined. These are the pages of the last check, passed or failed; `render`
  publishes them to ``reports/quality/`` together with the reports, when every report of the
  build rendered. So a failed check publishes nothing: the site keeps the pages that describe
  the data of its reports, and the failing pages are where the message says.

Prints one line per failed rule and exits 2 when any error-severity rule fails (warnings are
printed, exit 0). The same inputs give the same bytes: no timestamp, sorted keys.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.core import fingerprints, paths, publish, store, uptodate
from pipelines.core.errors import ExitCode
from pipelines.validate import domains, incremental, results, rules, suites
from pipelines.validate import grouped as validation_grouped

#: The values of the suites' ``$PARAMETER`` placeholders at the last validation, for running the
#: suites with plain Great Expectations (README, "The suites without our code").
GX_PARAMETERS = "gx_parameters.json"
#: Each table's key at the last check (`table_key`), with the sha256 of the results they
#: vouch for: the next check keeps the results of every table whose key is the same.
TABLE_KEYS = "validate.tables.json"
#: Where the data-quality pages of the last check go, for `render` to publish with the reports
#: (`pipelines.render.site.QUALITY`, under its ``--build``).
PAGES = paths.ROOT / "build" / "quality"


def load_frames(processed_dir: Path = paths.PROCESSED) -> dict[str, pl.DataFrame]:
    """Every table with a suite, the roadmaps (their countries give the known regions), and
    the quarantine table when ingest wrote one."""
    frames = {table: store.read_table(table, processed_dir) for table in (*suites.SUITE_TABLES, "roadmaps")}
    if (processed_dir / "quarantine.parquet").exists():
        frames["quarantine"] = store.read_table("quarantine", processed_dir)
    return frames


def check(
    frames: Mapping[str, pl.DataFrame],
    suite_map: Mapping[str, Mapping],
    *,
    today: date,
    data_checksum: str | None,
    tables: Iterable[str] = suites.SUITE_TABLES,
    stored: Stored | None = None,
) -> tuple[results.Report, Checked]:
    """Validate every table (or only `tables`); the report and what the next check may keep (`Checked`).

    A table whose key is the one `stored` recorded keeps its stored results: the same rows
    checked by the same rules, with the same parameters, by the same code, give the same
    results. A table whose rules key is the same but whose rows are not has only its new rows
    checked (`pipelines.validate.incremental`). A test compares both with a full check. GX is
    imported on the first table or rows that need it: after one figure changed, none do.
    """
    parameters = rules.parameters(frames, today)
    checked: dict[str, results.TableResult] = {}
    state = Checked()
    gx: list[Any] = []

    def session() -> Any:
        if not gx:
            from pipelines.validate.gx import session

            gx.append(session())
        return gx[0]

    for table in [t for t in suites.SUITE_TABLES if t in set(tables)]:
        prepared = rules.prepare(table, frames)
        expectations = rules.all_rules(table, suite_map[table], frames)
        state.rule_keys[table] = rules_key(prepared, expectations, parameters)
        state.keys[table] = table_key(prepared, state.rule_keys[table])
        last = stored.report.tables.get(table) if stored is not None else None
        if stored is not None and last is not None and stored.keys.get(table) == state.keys[table]:
            checked[table] = last
            state.rows.append(stored.rows_of(table))
            continue
        one_by_one, grouped = validation_grouped.split(expectations)
        gx_rules = [*one_by_one, *validation_grouped.expectations(grouped)]
        hashes = incremental.row_hashes(prepared) if prepared.height <= incremental.MAX_ROWS else None
        found = None
        if (
            hashes is not None
            and stored is not None
            and last is not None
            and stored.rule_keys.get(table) == state.rule_keys[table]
        ):
            found = incremental.outcomes(
                table, prepared, hashes, gx_rules, parameters, last, stored.rows_of(table), lambda: session().validate
            )
        if found is None:
            outcomes = domains.validate(session().validate, table, prepared, gx_rules, parameters)
        else:
            outcomes, state.changed[table] = found
        state.rows.append(incremental.record(table, hashes, outcomes))
        outcomes.update(validation_grouped.distribute(grouped, outcomes, prepared))
        checked[table] = results.TableResult(
            table=table,
            rows=prepared.height,
            rules=tuple(results.rule_result(table, e, outcomes[e["meta"]["rule"]], prepared) for e in expectations),
        )
    version = gx[0].version if gx else stored.report.gx_version if stored is not None else None
    return results.Report(data_checksum=data_checksum, tables=checked, gx_version=version), state


def table_key(prepared: pl.DataFrame, rules: str) -> str:
    """Everything one table's results depend on: its rows as checked (helper columns included,
    in order: failing rows are named by position) and its `rules_key` (polars' row hash is
    stable within one version, which the lock file fixes)."""
    rows = hashlib.sha256(prepared.hash_rows(seed=0).to_numpy().tobytes()).hexdigest()
    return fingerprints.of({"rows": rows, "height": prepared.height, "rules": rules})


def rules_key(prepared: pl.DataFrame, expectations: Iterable[Mapping[str, Any]], parameters: Mapping[str, Any]) -> str:
    """Everything one table's results depend on but its rows: its columns and their types, its
    rules as GX gets them, the values of their parameters, and the code and lock file (GX's
    version among them)."""
    rules = list(expectations)
    used = sorted(_parameters_named(rules))  # today's date moves only the tables whose rules read it
    return uptodate.key(
        columns=[(name, str(dtype)) for name, dtype in prepared.schema.items()],
        rules=rules,
        parameters={k: parameters.get(k) for k in used},
    )


def _parameters_named(value: Any) -> set[str]:
    """The ``{"$PARAMETER": name}`` placeholders anywhere in `value` (a rule, or a list of them)."""
    if isinstance(value, Mapping):
        named = {str(value["$PARAMETER"])} if "$PARAMETER" in value else set()
        return named.union(*(_parameters_named(v) for v in value.values()))
    if isinstance(value, (list, tuple)):
        return set().union(*(_parameters_named(v) for v in value))
    return set()


@dataclass
class Checked:
    """What a check leaves for the next one: each table's key and rules key (`table_key`,
    `rules_key`), its row record (`incremental.record`), and the count of new rows of each
    table checked row by row."""

    keys: dict[str, str] = field(default_factory=dict)
    rule_keys: dict[str, str] = field(default_factory=dict)
    rows: list[pl.DataFrame] = field(default_factory=list)
    changed: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Stored:
    """The results of the last check, the keys each table had then (`TABLE_KEYS`) and its row
    record (`incremental.ROWS`)."""

    report: results.Report
    keys: Mapping[str, str]
    rule_keys: Mapping[str, str]
    rows: pl.DataFrame

    def rows_of(self, table: str) -> pl.DataFrame:
        """The row record of one table (empty when it kept none)."""
        return self.rows.filter(pl.col("table") == table)

    @classmethod
    def of(cls, report: results.Report, checked: Checked) -> Stored:
        """What `check` returned, as the next check reads it back."""
        rows = pl.concat(checked.rows) if checked.rows else pl.DataFrame(schema=incremental.RECORD_SCHEMA)
        return cls(report, dict(checked.keys), dict(checked.rule_keys), rows)

    @classmethod
    def read(cls, processed_dir: Path) -> Stored | None:
        """The last check, when its keys vouch for the results and row record on disk (the
        sha256s they were written with); otherwise None, and every table is checked."""
        results_path, rows_path = processed_dir / store.VALIDATION_RESULTS, processed_dir / incremental.ROWS
        try:
            record = json.loads((processed_dir / TABLE_KEYS).read_text(encoding="utf-8"))
            if (
                not isinstance(record, dict)
                or record.get("results_sha256") != store.sha256_file(results_path)
                or record.get("rows_sha256") != store.sha256_file(rows_path)
            ):
                return None
            report = results.Report.from_dict(json.loads(results_path.read_text(encoding="utf-8")))
            rows = pl.read_ipc(rows_path)
        except (OSError, ValueError, KeyError, TypeError, pl.exceptions.PolarsError):
            return None
        keys, rule_keys = record.get("tables"), record.get("rules")
        if not isinstance(keys, dict) or not isinstance(rule_keys, dict) or rows.schema != incremental.RECORD_SCHEMA:
            return None
        return cls(report, dict(keys), dict(rule_keys), rows)

    @staticmethod
    def write(processed_dir: Path, checked: Checked) -> None:
        """Record the keys and row record of the check just written (after validation.json,
        which they vouch for)."""
        results_path, rows_path = processed_dir / store.VALIDATION_RESULTS, processed_dir / incremental.ROWS
        rows = pl.concat(checked.rows) if checked.rows else pl.DataFrame(schema=incremental.RECORD_SCHEMA)
        store.write_bytes_atomic(rows_path, incremental.record_bytes(rows))
        store.write_json_atomic(
            processed_dir / TABLE_KEYS,
            {
                "results_sha256": store.sha256_file(results_path),
                "rows_sha256": store.sha256_file(rows_path),
                "tables": dict(checked.keys),
                "rules": dict(checked.rule_keys),
            },
        )


def validate_dir(
    processed_dir: Path = paths.PROCESSED, expectations_dir: Path = paths.EXPECTATIONS, today: date | None = None
) -> tuple[results.Report, dict[str, pl.DataFrame]]:
    """Read the processed tables and suites, check them all; the report and the frames read."""
    report, frames, _ = checked_dir(processed_dir, expectations_dir, today)
    return report, frames


def checked_dir(
    processed_dir: Path, expectations_dir: Path, today: date | None = None, stored: Stored | None = None
) -> tuple[results.Report, dict[str, pl.DataFrame], Checked]:
    """`validate_dir`, keeping `stored` results where a table's key is the same and checking
    only the new rows where its rules key is; with what the next check may keep.

    With no stored check to keep from, every table is checked by GX, so GX is imported in a
    thread while the tables are read, prepared and keyed (at 10⁷ rows 9.7 s before, 8.9-9.3 s
    after). With one, GX is imported only if a check needs it: after one figure changed, none does."""
    checksum = store.read_manifest(processed_dir).get("data_checksum")
    if stored is None:
        from pipelines.validate.gx import session_ahead

        session_ahead()
    frames = load_frames(processed_dir)
    report, state = check(
        frames, suites.load_suites(expectations_dir), today=today or date.today(), data_checksum=checksum, stored=stored
    )
    return report, frames, state


def gx_ahead_pays(processed_dir: Path = paths.PROCESSED) -> bool:
    """Whether importing GX ahead of validate (while ingest reads) pays: only when no stored
    check can spare it."""
    return Stored.read(processed_dir) is None


def files_by_table(frames: Mapping[str, pl.DataFrame]) -> dict[str, set[str]]:
    """The raw files each table's rows came from (to file quarantined rows under a table)."""
    return {
        name: set(frame["file"].drop_nulls().unique().to_list())
        for name, frame in frames.items()
        if name in suites.SUITE_TABLES and "file" in frame.columns
    }


def write_outputs(
    report: results.Report,
    frames: Mapping[str, pl.DataFrame],
    processed_dir: Path,
    pages_dir: Path,
    today: date | None = None,
) -> tuple[Path, Path]:
    """Write validation.json, the suites' parameters (`GX_PARAMETERS`) and the quality pages;
    returns the results' and the index's paths."""
    from pipelines.validate.pages import QUARANTINE_CSV, quarantine_csv, render_pages

    results_path = processed_dir / store.VALIDATION_RESULTS
    store.write_json_atomic(results_path, report.to_dict())
    values = rules.parameters(frames, today or date.today())
    store.write_json_atomic(
        processed_dir / GX_PARAMETERS,
        {
            "about": "values of the $PARAMETER placeholders of expectations/*.json, as of the last validation; "
            "pass them as expectation_parameters, with today read back as a date",
            **{k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()},
        },
    )
    publish.recover(pages_dir.parent)
    with publish.cleaned(pages_dir.parent):
        staged = publish.staging(pages_dir.parent, pages_dir.name)
        quarantine = frames.get("quarantine")
        for name, html in render_pages(report, quarantine, files_by_table(frames)).items():
            store.write_bytes_atomic(staged / name, html.encode("utf-8"))
        if quarantine is not None and quarantine.height:  # the full list the pages link
            store.write_bytes_atomic(staged / QUARANTINE_CSV, quarantine_csv(quarantine))
        publish.publish(staged, pages_dir)  # the pages link one another: published as one set
    return results_path, pages_dir / "index.html"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m pipelines validate``."""
    parser.description = (
        "Check data/processed with the Great Expectations suites in expectations/ (plus rules "
        "derived from the indicators table). Writes data/processed/validation.json and the "
        "data-quality pages build/quality/*.html (render publishes them to reports/quality with the "
        "reports; a failed check publishes nothing) and prints one line per failed rule. Exit code 2 "
        "when any rule of severity 'error' fails; warnings are printed and exit 0."
    )
    parser.add_argument(
        "--processed", type=Path, default=paths.PROCESSED, help="folder of processed tables (default: data/processed)"
    )
    parser.add_argument(
        "--expectations", type=Path, default=paths.EXPECTATIONS, help="folder of suites (default: expectations)"
    )
    parser.add_argument(
        "--pages",
        type=Path,
        default=PAGES,
        help="where to write the data-quality pages (default: build/quality, which render "
        "publishes to reports/quality)",
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date no observation may be after (default: today)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="check again even when the data, the suites and the code are those of the last check",
    )


def _key(args: argparse.Namespace, today: date) -> str:
    """Everything the results and pages depend on: the data (the ingest manifest's checksum),
    the suites, the date (no figure may be after it), where the pages go, and the code."""
    checksum = store.read_manifest(args.processed).get("data_checksum")
    return uptodate.key(
        data=checksum,
        today=today.isoformat(),
        pages=paths.display(args.pages),
        suites={p.name: store.sha256_file(p) for p in sorted(args.expectations.glob("*.json"))},
    )


def main(args: argparse.Namespace) -> int:
    """Run the checks, write results and pages, print the failed rules; or, when nothing they
    depend on changed, print the stored results again without importing GX."""
    started = time.perf_counter()
    today = args.today or date.today()
    key = _key(args, today)
    results_path = args.processed / store.VALIDATION_RESULTS
    if not args.force and uptodate.current(
        args.processed,
        "validate",
        key,
        {results_path: None, args.processed / GX_PARAMETERS: None, args.pages / "index.html": None},
    ):
        report = results.Report.from_dict(json.loads(results_path.read_text(encoding="utf-8")))
        for line in report.messages():
            print(line)
        print(
            f"validate: data, suites and code unchanged since the last check: {report.errors} error(s), "
            f"{report.warnings} warning(s) as stored in {paths.display(results_path)}; --force to check again",
            file=sys.stderr,
        )
        return _verdict(report, args.pages / "index.html")
    stored = None if args.force else Stored.read(args.processed)
    report, frames, state = checked_dir(args.processed, args.expectations, today, stored)
    results_path, index = write_outputs(report, frames, args.processed, args.pages, today)
    Stored.write(args.processed, state)
    uptodate.record(args.processed, "validate", key)
    if report.data_checksum is None:
        print(
            f"validate: note: no {store.MANIFEST} in {paths.display(args.processed)}; notebooks will re-check "
            "instead of reading these results",
            file=sys.stderr,
        )
    for line in report.messages():
        print(line)
    rows = sum(t.rows for t in report.tables.values())
    checked = sum(len(t.rules) for t in report.tables.values())
    kept = [t for t, k in state.keys.items() if stored is not None and stored.keys.get(t) == k]
    rechecked = [f"{n} new row(s) of {t}" for t, n in state.changed.items()]
    print(
        f"validate: {checked} rules on {rows} rows of {len(report.tables)} tables in "
        f"{time.perf_counter() - started:.1f} s: {report.errors} error(s), {report.warnings} warning(s); "
        f"results in {paths.display(results_path)}, pages in {paths.display(index)}"
        + (f"; kept the last check's results of {', '.join(kept)} (the same rows and rules)" if kept else "")
        + (f"; checked only {', '.join(rechecked)}, the others as the last check found them" if rechecked else ""),
        file=sys.stderr,
    )
    return _verdict(report, index)


def _verdict(report: results.Report, index: Path) -> int:
    """The exit code; on a failed check, where its pages are, since nothing was published."""
    if report.success:
        return int(ExitCode.OK)
    print(
        f"[validate] the data failed validation: nothing published, reports/ keeps the last good build; "
        f"the pages of this check are in {paths.display(index)}",
        file=sys.stderr,
    )
    return int(ExitCode.DATA_INVALID)
