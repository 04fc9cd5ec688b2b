"""CSV exports: what a reader opening them in Excel or LibreOffice relies on.

No text cell can start a formula (OWASP's CSV-injection rule), ordinary text and numbers are
left alone, the file reads back intact with any CSV reader, Excel detects the encoding (BOM)
and line ends (CRLF), the same data gives the same bytes, and a benchmark's export holds that
benchmark's rows only. Tables are built with the schema (`pipelines.validate.sample`). The
cell rule itself (`pipelines.core.csvsafe`) is tests/core/test_csvsafe.py.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import polars as pl
import pytest

from pipelines.core import schema, store
from pipelines.core.csvsafe import csv_bytes
from pipelines.core.errors import UsageError
from pipelines.render.export import EXPORTED, PACKAGE, export_all, export_tables
from pipelines.validate.sample import sample_frames, write_processed
from tests.core.test_csvsafe import read_back

# --- export_tables ------------------------------------------------------------------------


@pytest.fixture()
def processed(tmp_path: Path) -> Path:
    folder = tmp_path / "processed"
    write_processed(sample_frames(), folder)
    return folder


def test_export_writes_one_csv_per_table_with_schema_headers_and_every_row(processed: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    written = export_tables(processed, out)
    frames = sample_frames()
    assert list(written) == list(EXPORTED) == ["observations", "milestone_events", "sources", "indicators"]
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.{kind}" for t in EXPORTED for kind in ("csv", "xlsx"))
    for table, path in written.items():
        assert path == out / f"{table}.csv"
        rows = read_back(path.read_bytes())
        assert rows[0] == list(schema.TABLES[table])
        assert len(rows) - 1 == frames[table].height
        assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()
    header, *obs = read_back(written["observations"].read_bytes())
    first = dict(zip(header, obs[0], strict=True))
    # Provenance is kept, project-relative, so a reader can find the raw row.
    assert first["file"] == "data/raw/observations/dds.csv" and first["line"] == "2"
    assert first["indicator_id"] == "combatants_integrated" and first["value"] == "1000"


def test_export_rows_follow_the_table_key(processed: Path, tmp_path: Path) -> None:
    written = export_tables(processed, tmp_path / "csv")
    header, *rows = read_back(written["observations"].read_bytes())
    keys = [
        (r[header.index("indicator_id")], r[header.index("geo_code")], r[header.index("period_start")]) for r in rows
    ]
    assert keys == sorted(keys)


def test_export_is_byte_reproducible_whatever_the_row_order(tmp_path: Path) -> None:
    frames = sample_frames()
    shuffled = {k: v.reverse() for k, v in frames.items()}
    write_processed(frames, tmp_path / "a")
    write_processed(shuffled, tmp_path / "b")
    first = export_tables(tmp_path / "a", tmp_path / "out-a")
    second = export_tables(tmp_path / "b", tmp_path / "out-b")
    again = export_tables(tmp_path / "a", tmp_path / "out-a")
    for table in EXPORTED:
        assert first[table].read_bytes() == second[table].read_bytes() == again[table].read_bytes()


def test_rows_sharing_a_key_are_ordered_by_their_other_columns_whatever_their_order(tmp_path: Path) -> None:
    # data that breaks the key rule (two figures for one key) still exports the same bytes
    frames = sample_frames()
    obs = frames["observations"]
    twin = obs.head(1).with_columns(pl.col("value") - 1, pl.lit("a twin").alias("note"))
    for name, table in (("a", pl.concat([obs, twin])), ("b", pl.concat([twin, obs.reverse()]))):
        write_processed({**frames, "observations": table}, tmp_path / name)
    first, second = (export_tables(tmp_path / n, tmp_path / f"out-{n}")["observations"] for n in ("a", "b"))
    assert first.read_bytes() == second.read_bytes()
    header, *rows = read_back(first.read_bytes())
    values = [
        r[header.index("value")]
        for r in rows
        if r[header.index("line")] == str(obs["line"][0]) and r[header.index("file")] == obs["file"][0]
    ]
    assert values == sorted(values, key=float) and len(values) == 2  # the key's tie broken by the value


@pytest.mark.parametrize(
    ("benchmark", "counts", "indicators"),
    [
        ("B", {"observations": 3, "milestone_events": 1, "sources": 2, "indicators": 1}, {"women_share"}),
        (
            "C",
            {"observations": 4, "milestone_events": 1, "sources": 2, "indicators": 2},
            {"combatants_integrated", "prefects_present"},
        ),
    ],
)
def test_benchmark_export_holds_only_that_benchmarks_rows(
    processed: Path, tmp_path: Path, benchmark: str, counts: dict[str, int], indicators: set[str]
) -> None:
    out = tmp_path / "csv"
    written = export_tables(processed, out, "test", benchmark)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{t}-{benchmark}.{kind}" for t in EXPORTED for kind in ("csv", "xlsx")
    )
    tables = {}
    for table, path in written.items():
        assert path == out / f"{table}-{benchmark}.csv"
        header, *rows = read_back(path.read_bytes())
        assert header == list(schema.TABLES[table])
        assert len(rows) == counts[table], table
        tables[table] = [dict(zip(header, r, strict=True)) for r in rows]
    assert {r["indicator_id"] for r in tables["observations"]} == indicators
    assert {r["indicator_id"] for r in tables["indicators"]} == indicators
    assert {r["benchmark"] for r in tables["indicators"]} == {benchmark}
    assert {r["benchmark"] for r in tables["milestone_events"]} == {benchmark}
    cited = {r["source_id"] for r in tables["observations"] + tables["milestone_events"]}
    assert {r["source_id"] for r in tables["sources"]} == cited


def test_text_from_a_source_is_neutralised_in_the_exported_file(tmp_path: Path) -> None:
    frames = sample_frames()
    frames["sources"] = frames["sources"].with_columns(
        pl.when(pl.col("source_id") == "s-2").then(pl.lit("@SUM(1+1)")).otherwise(pl.col("title")).alias("title")
    )
    write_processed(frames, tmp_path / "p")
    written = export_tables(tmp_path / "p", tmp_path / "csv", "test", "B")
    header, *rows = read_back(written["sources"].read_bytes())
    titles = {r[header.index("source_id")]: r[header.index("title")] for r in rows}
    assert titles == {"s-1": "Report of the Secretary-General", "s-2": "'@SUM(1+1)"}


def test_unknown_benchmark_is_refused_and_writes_nothing(processed: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    with pytest.raises(UsageError, match=r"unknown benchmark '\.\./x' of roadmap test; known: B, C"):
        export_tables(processed, out, "test", "../x")
    with pytest.raises(UsageError, match="unknown roadmap 'elsewhere'; known: test"):
        export_tables(processed, out, "elsewhere")
    assert not out.exists()


def test_missing_ingest_says_what_to_run(tmp_path: Path) -> None:
    from pipelines.core.errors import PipelineError

    with pytest.raises(PipelineError, match="python -m pipelines ingest"):
        export_tables(tmp_path / "nothing", tmp_path / "csv")


def test_a_slice_holding_every_row_of_its_set_is_that_sets_file_copied(processed: Path, tmp_path: Path) -> None:
    # one roadmap: its tables are every roadmap's, copied rather than sorted and formatted again;
    # each its own file, as an export of that roadmap alone writes it
    out = tmp_path / "data"
    export_all(processed, out)
    alone = export_tables(processed, tmp_path / "alone", "test")
    for table in EXPORTED:
        whole, mine = out / f"{table}.csv", out / "test" / f"{table}.csv"
        assert mine.read_bytes() == whole.read_bytes() == alone[table].read_bytes()
        assert not os.path.samefile(mine, whole) and mine.stat().st_mode & 0o777 == 0o666 & ~_umask()
    benchmark = export_tables(processed, tmp_path / "alone", "test", "B")["observations"]
    assert (out / "test" / "observations-B.csv").read_bytes() == benchmark.read_bytes()
    assert not list(out.rglob(".*"))  # no temporary file left
    written = export_all(processed, out)
    assert {p: sha for p, (sha, _) in written.items()} == {
        p: store.sha256_file(p) for p in sorted(out.rglob("*"), key=str) if p.is_file()
    }


def test_after_one_figure_changed_only_the_csvs_holding_it_are_formatted_again(processed: Path, tmp_path: Path) -> None:
    # what render does after one figure changed: every CSV whose rows an earlier export wrote is
    # that file copied, and the set is byte for byte what a fresh export writes
    before = export_all(processed, tmp_path / "before")
    record = {p.relative_to(tmp_path / "before").as_posix(): (p, sha, rows) for p, (sha, rows) in before.items()}
    frames = sample_frames()
    frames["observations"] = frames["observations"].with_columns(
        value=pl.when(pl.col("indicator_id") == "combatants_integrated").then(pl.col("value") + 1).otherwise("value")
    )
    write_processed(frames, processed)
    copied: list[str] = []

    def earlier(relative: str, rows: str) -> tuple[Path, str] | None:
        path, sha, recorded = record[relative]
        if recorded != rows:
            return None
        copied.append(relative)
        return path, sha

    after = export_all(processed, tmp_path / "after", earlier=earlier)
    fresh = export_all(processed, tmp_path / "fresh")
    for path, (sha, _) in fresh.items():
        again = tmp_path / "after" / path.relative_to(tmp_path / "fresh")
        assert again.read_bytes() == path.read_bytes() and after[again][0] == sha
    changed = {r for r, (path, _, _) in record.items() if path.read_bytes() != (tmp_path / "fresh" / r).read_bytes()}
    assert changed == {
        f"{name}.{kind}"
        for name in ("observations", "test/observations", "test/observations-C")
        for kind in ("csv", "xlsx")
    }  # each CSV and its spreadsheet

    def cut_from(relative: str) -> str:  # a benchmark's file is cut from its roadmap's, a roadmap's from all roadmaps'
        folder, _, name = relative.rpartition("/")
        stem, _, kind = name.rpartition(".")
        return f"{folder}/{stem.split('-')[0]}.{kind}" if "-" in name else name

    # a file holding the rows of the one it is cut from is a copy of it (as in a fresh export),
    # any other whose rows are unchanged is a copy of the earlier one
    own = {
        r
        for r in record
        if r.endswith((".csv", ".xlsx"))
        and "assessments" not in r
        and (cut_from(r) == r or record[r][0].read_bytes() != record[cut_from(r)][0].read_bytes())
    }
    assert set(copied) == own - changed
    assert not list((tmp_path / "after").rglob(".*"))  # no temporary file left


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- the data package ---------------------------------------------------------------------


def _validate(package: Path) -> list[tuple[str, str]]:
    """Frictionless' verdict on a package: (resource, error type) per error, none when valid."""
    import frictionless

    report = frictionless.validate(package)
    errors = [(task.name, error.type) for task in report.tasks for error in task.errors]
    assert report.valid == (not errors and not report.errors), report.flatten(["type", "note"])
    return errors


def test_every_exported_column_is_described_in_both_languages() -> None:
    for table in EXPORTED:
        described = schema.DESCRIPTIONS[table]
        assert list(described) == list(schema.TABLES[table]), table
        for column, about in described.items():
            assert about.en and about.fr and about.en != about.fr, (table, column)


def test_the_data_package_of_the_embedded_data_is_valid_keys_included(real_processed: Path, tmp_path: Path) -> None:
    out = tmp_path / "data"
    written = export_all(real_processed, out)
    package = json.loads((out / PACKAGE).read_text(encoding="utf-8"))
    csvs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.csv"))
    assert (
        sorted(r["path"] for r in package["resources"])
        == csvs
        == sorted(p.relative_to(out).as_posix() for p in written if p.suffix == ".csv")
    )
    assert _validate(out / PACKAGE) == []  # types, header, primary keys and foreign keys, on every file
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    # the roadmaps themselves, then the table of every document cited
    assert [s["title"].split(":")[0] for s in package["sources"][:3]] == ["S/2018/241", "S/2021/300", "S/2021/807"]
    assert package["sources"][1]["path"] == "https://undocs.org/fr/S/2021/300"
    assert package["sources"][-1]["path"] == "sources.csv"
    benchmark = next(r for r in package["resources"] if r["path"] == "s-2021-300/observations-D.csv")
    assert benchmark["encoding"] == "utf-8" and benchmark["dialect"]["lineTerminator"] == "\r\n"
    assert benchmark["schema"]["primaryKey"] == ["indicator_id", "geo_code", "period_start", "period_end", "source_id"]
    assert benchmark["schema"]["foreignKeys"] == [
        {"fields": ["indicator_id"], "reference": {"resource": "s-2021-300-indicators-d", "fields": ["indicator_id"]}},
        {"fields": ["source_id"], "reference": {"resource": "s-2021-300-sources-d", "fields": ["source_id"]}},
    ]
    fields = {f["name"]: f for f in benchmark["schema"]["fields"]}
    assert [f["name"] for f in benchmark["schema"]["fields"]] == list(schema.OBSERVATIONS)
    assert (
        fields["value"]["type"],
        fields["period_start"]["type"],
        fields["date_inferred"]["type"],
        fields["line"]["type"],
    ) == ("number", "date", "boolean", "integer")
    assert fields["value"]["description"] == schema.DESCRIPTIONS["observations"]["value"].en
    assert fields["value"]["description_fr"] == schema.DESCRIPTIONS["observations"]["value"].fr
    events = next(r for r in package["resources"] if r["path"] == "milestone_events.csv")
    assert next(f for f in events["schema"]["fields"] if f["name"] == "score")["unit"] == "points"


def test_frictionless_reports_a_broken_key_a_wrong_type_and_a_dangling_reference(tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    write_processed(sample_frames(), processed)
    out = tmp_path / "data"
    export_all(processed, out)
    assert _validate(out / PACKAGE) == []
    sources = out / "sources.csv"  # s-2 is cited by a figure and by a milestone event
    header, *rows = read_back(sources.read_bytes())
    kept = [r for r in rows if r[0] != "s-2"]  # s-2 no longer listed: its citations dangle
    assert len(kept) == len(rows) - 1
    sources.write_bytes(csv_bytes(pl.DataFrame(kept, schema=header, orient="row")))
    indicators = out / "indicators.csv"
    data = indicators.read_bytes()
    indicators.write_bytes(data + data.split(b"\r\n")[1] + b"\r\n")  # an indicator declared twice
    observations = out / "observations.csv"
    observations.write_bytes(observations.read_bytes().replace(b",1000,", b",lots,", 1))
    assert set(_validate(out / PACKAGE)) == {
        ("observations", "foreign-key"),
        ("milestone_events", "foreign-key"),
        ("indicators", "primary-key"),
        ("observations", "type-error"),
    }


def test_the_data_package_is_byte_reproducible_and_names_no_machine_path(tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    write_processed(sample_frames(), processed)
    first, second = (list(export_all(processed, tmp_path / name))[-1] for name in ("a", "b"))
    assert first.name == second.name == PACKAGE
    assert first.read_bytes() == second.read_bytes()
    assert str(tmp_path) not in first.read_text(encoding="utf-8")


def _as_in_the_csv(value: object) -> str:
    """A spreadsheet cell as its CSV writes it: a number by its value (compared as a float),
    a date ISO, a boolean true/false, text neutralised as the CSV's (`csvsafe.neutralise`)."""
    import datetime as dt

    from pipelines.core.csvsafe import neutralise

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, float):
        return repr(value)
    return neutralise(str(value)) if value != "" else ""


def test_each_csv_has_a_spreadsheet_beside_it_that_reads_back_equal_with_typed_numbers_and_dates(
    real_processed: Path, tmp_path: Path
) -> None:
    import datetime as dt

    from python_calamine import CalamineWorkbook

    out = tmp_path / "data"
    written = export_all(real_processed, out, assessed={"s-2021-300": dt.date(2022, 12, 31)})
    csvs = sorted(out.rglob("*.csv"))
    assert sorted(out.rglob("*.xlsx")) == [p.with_suffix(".xlsx") for p in csvs] and len(csvs) > 70
    assert all(p.with_suffix(".xlsx") in written for p in csvs)
    numbers = dates = 0
    for path in csvs:
        header, *rows = read_back(path.read_bytes())
        sheet = CalamineWorkbook.from_path(str(path.with_suffix(".xlsx"))).get_sheet_by_index(0).to_python()
        assert [str(c) for c in sheet[0]] == header, path.name
        assert len(sheet) - 1 == len(rows), path.name
        for row, cells in zip(rows, sheet[1:], strict=True):
            for text, cell in zip(row, cells, strict=True):
                if isinstance(cell, float) and not isinstance(cell, bool):
                    numbers += 1
                    # a spreadsheet holds 15 significant digits (Excel's precision): the CSV's 17 agree to them
                    assert math.isclose(float(text), cell, rel_tol=1e-14), (path.name, text, cell)
                else:
                    dates += isinstance(cell, dt.date)
                    assert _as_in_the_csv(cell) == text, (path.name, text, cell)
    assert numbers > 500 and dates > 500  # typed: a spreadsheet in French sums them
    package = json.loads((out / PACKAGE).read_text(encoding="utf-8"))
    assert ".xlsx" in package["description"] and ".xlsx" in package["description_fr"]
