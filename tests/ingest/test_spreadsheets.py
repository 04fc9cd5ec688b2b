"""Spreadsheets in, as an analyst fills them: the template a roadmap gets (`pipelines.tools.template`),
filled in as Excel would (real dates, a number typed as text, a formula with its stored
result), dropped in data/raw/ and read by ingest like a CSV, every refused cell named by its
file, sheet, row, column, value and rule; the workbook never rewritten."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.cli import main
from pipelines.core import paths
from pipelines.core.errors import DataError, Problem, in_sheet
from pipelines.ingest import step as ingest
from pipelines.tools import template
from tests.ingest.test_step import HEADER, make_raw


def _template(raw: Path, folder: Path, roadmap: str = "test") -> Path:
    return template.write(roadmap, ingest.ingest(raw).tables, raw, folder / f"{roadmap}.xlsx")


def _fill(path: Path, target: Path) -> Path:
    """The template filled as an analyst would in Excel: dropdown entries, a real date, a
    number typed as text, a formula (whose stored result is set below, as Excel saves it), a
    milestone event and a new source."""
    book = openpyxl.load_workbook(path)
    obs = book["observations"]
    header = [c.value for c in obs[1]]

    def row(sheet: openpyxl.worksheet.worksheet.Worksheet, r: int, **cells: object) -> None:
        columns = [c.value for c in sheet[1]]
        for name, value in cells.items():
            sheet.cell(r, columns.index(name) + 1, value)

    row(
        obs,
        2,
        indicator_id="women_share — Part des femmes / Women's share",
        geo="ML-4 — Ségou",
        period_start=dt.date(2021, 3, 25),
        value=27.9,
        source_id="s1 — Report",
        confidence="primary",
    )
    row(obs, 3, indicator_id="integrated", geo="Ménaka", period_start="2021", value="1 234,5", source_id="s2")
    row(
        obs,
        4,
        indicator_id="integrated",
        geo="ML",
        period_start="2022",
        value="=1000+6",
        source_id="s2",
        note="a formula",
    )
    events = book["milestone_events"]
    row(
        events,
        2,
        roadmap_id="test",
        benchmark="B",
        milestone_id="B1 — B · Loi électorale adoptée",
        date=dt.date(2022, 6, 24),
        status="full",
        source_id="s2",
    )
    sources = book["sources"]
    row(
        sources,
        2,
        source_id="s2",
        title="A report",
        url="https://example.org/r",
        kind="primary",
        published="2022-07-01",
    )
    assert header[0] == "indicator_id"
    book.save(target)
    _store_result(target, "observations", "E4", "1006")
    return target


def _store_result(path: Path, sheet: str, cell: str, value: str) -> None:
    """Give a formula cell the result Excel stores beside it when it saves (openpyxl stores none)."""
    part = f"xl/worksheets/sheet{openpyxl.load_workbook(path).sheetnames.index(sheet) + 1}.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {i: archive.read(i) for i in archive.infolist()}
    [info] = [i for i in parts if i.filename == part]
    parts[info] = re.sub(
        rf'(<c r="{cell}"[^>]*><f>[^<]*</f>)<v\s*/>'.encode(), rf"\1<v>{value}</v>".encode(), parts[info]
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, data in parts.items():
            archive.writestr(i, data)


def test_a_filled_template_dropped_in_data_raw_is_ingested(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER)
    filled = _fill(_template(raw, tmp_path), raw / "saisie.xlsx")
    before = hashlib.sha256(filled.read_bytes()).hexdigest()
    result = ingest.ingest(raw)
    assert result.quarantine.to_dicts() == []
    obs = result.tables["observations"].sort("line")
    where = f"{paths.display(filled)}, sheet 'observations'"
    assert obs.select("indicator_id", "geo_code", "period_start", "value", "file", "line").rows() == [
        ("women_share", "ML-4", dt.date(2021, 3, 25), 27.9, where, 2),
        ("integrated", "ML-9", dt.date(2021, 1, 1), 1234.5, where, 3),
        ("integrated", "ML", dt.date(2022, 1, 1), 1006.0, where, 4),  # the formula's stored result
    ]
    [event] = result.tables["milestone_events"].filter(pl.col("file").str.contains("sheet")).to_dicts()
    assert (event["milestone_id"], event["date"], event["score"]) == ("B1", dt.date(2022, 6, 24), 3)
    sources = result.tables["sources"]
    assert sources.filter(pl.col("source_id") == "s2")["published"].to_list() == [dt.date(2022, 7, 1)]
    assert obs["known_from"][2] == dt.date(2022, 7, 1)  # the new source's date, from its sheet
    assert hashlib.sha256(filled.read_bytes()).hexdigest() == before  # never rewritten
    assert paths.display(filled) in result.checksums


def test_a_bad_cell_is_named_by_file_sheet_row_column_value_and_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = make_raw(tmp_path, HEADER)
    path = _fill(_template(raw, tmp_path), raw / "observations" / "saisie.xlsx")
    book = openpyxl.load_workbook(path)
    book["observations"]["E3"] = "1,006"
    book.save(path)  # openpyxl drops the formula's stored result again: store it back, as Excel would
    _store_result(path, "observations", "E4", "1006")
    out = tmp_path / "processed"
    assert main(["ingest", "--raw", str(raw), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert (
        f"{paths.display(path)}, sheet 'observations', row 3, column 'value': value '1,006' breaks rule "
        "'ambiguous-separator'"
    ) in err
    [problem] = pl.read_parquet(out / "quarantine.parquet").to_dicts()
    assert (problem["file"], problem["line"], problem["column"], problem["value"], problem["rule"]) == (
        f"{paths.display(path)}, sheet 'observations'",
        3,
        "value",
        "1,006",
        "ambiguous-separator",
    )
    assert problem["indicator_id"] == "integrated"


def _sheet(
    raw: Path,
    rows: list[list[object]],
    name: str = "obs.xlsx",
    title: str = "observations",
    edit: Callable[[Worksheet], None] | None = None,
) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = title
    for r in [["indicator_id", "geo", "period_start", "value", "source_id"], *rows]:
        ws.append(r)
    if edit:
        edit(ws)
    path = raw / "observations" / name
    book.save(path)
    return path


def _refused(raw: Path) -> list[tuple[int, str, str | None, str]]:
    return [(p["line"], p["column"], p["value"], p["rule"]) for p in ingest.ingest(raw).quarantine.to_dicts()]


def test_excel_s_own_types_are_read_or_refused_clearly(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER)

    def edit(ws: Worksheet) -> None:
        ws["D3"].number_format = "0.0%"
        ws.merge_cells("D6:D7")
        ws.row_dimensions[8].hidden = True

    _sheet(
        raw,
        [
            ["integrated", "ML", 2019, 12, "s1"],
            ["women_share", "ML", 2020, 0.279, "s1"],  # 27,9 % as Excel stores it
            ["integrated", "ML", 2021, "=2*6", "s1"],  # a formula never computed
            ["integrated", "ML", 2022, "#N/A", "s1"],  # an error cell
            ["integrated", "ML", 2023, 5, "s1"],
            ["integrated", "Gao", 2023, None, "s1"],  # ... under a merged cell
            ["integrated", "ML", 44280, 9, "s1"],  # a date that lost its format, hidden
        ],
        edit=edit,
    )
    result = ingest.ingest(raw)
    obs = result.tables["observations"].sort("line")
    assert obs.select("line", "value").rows() == [(2, 12.0), (3, pytest.approx(27.9))]
    refused = {p["line"]: p for p in result.quarantine.to_dicts()}
    assert {line: (p["column"], p["value"], p["rule"]) for line, p in refused.items()} == {
        4: ("value", "=2*6", "formula-value"),
        5: ("value", "#N/A", "cell-error"),
        6: ("value", "5", "merged-cell"),
        7: ("value", "5", "merged-cell"),
        8: ("period_start", "44280", "period_start"),
    }
    assert "never saved by Excel or LibreOffice" in refused[4]["reason"]
    assert "cells D6:D7 are merged" in refused[6]["reason"]
    assert "2021-03-25" in refused[8]["reason"] and "date serial" in refused[8]["reason"]
    assert any("row 8 is hidden in the workbook, and read like the others" in n for n in result.notes)


def test_sheets_other_than_the_tables_are_ignored_or_refused_by_name(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER)

    def extra(ws: Worksheet) -> None:
        ws.parent.create_sheet("Instructions")["A1"] = "read me"
        ws.parent.create_sheet("Feuil2")  # empty: ignored
        hidden = ws.parent.create_sheet("Sources")
        hidden.sheet_state = "hidden"
        hidden.append(["source_id", "title", "url", "published", "kind"])
        hidden.append(["s9", "Hidden source", "https://example.org", "2019-12-31", "primary"])

    _sheet(raw, [["integrated", "ML", 2019, 12, "s9"]], edit=extra)
    result = ingest.ingest(raw)
    assert result.tables["observations"].height == 1 and "s9" in result.tables["sources"]["source_id"].to_list()
    assert any("sheet 'Sources' is hidden in the workbook" in n for n in result.notes)
    _sheet(raw, [["integrated", "ML", 2019, 12, "s1"]], name="other.xlsx", title="Feuil1")
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    assert err.value.problem.rule == "known-sheet"
    assert "other.xlsx, sheet 'Feuil1'" in str(err.value) and "observations, milestone_events, sources" in str(
        err.value
    )


def test_a_sheet_with_a_wrong_header_is_refused_like_a_csv(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER)
    book = openpyxl.Workbook()
    book.active.title = "observations"
    book.active.append([])
    book.active.append(["indicateur", "région", "année", "valeur", "source"])
    book.save(raw / "fr.xlsx")
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    assert str(err.value).startswith(
        f"[ingest] {paths.display(raw / 'fr.xlsx')}, sheet 'observations', row 2, "
        "column 'indicator_id' breaks rule 'required-column'"
    )


def test_lock_files_are_skipped_and_a_broken_workbook_is_refused(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER)
    (raw / "observations" / "~$saisie.xlsx").write_bytes(b"\x00" * 165)  # Excel's, while the file is open
    assert ingest.ingest(raw).quarantine.height == 0
    (raw / "observations" / "saisie.xlsx").write_bytes(b"indicator_id,geo\n")
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    assert err.value.problem.rule == "spreadsheet" and "cannot be read as an Excel workbook" in err.value.problem.reason


def test_a_changed_workbook_is_ingested_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = make_raw(tmp_path, HEADER)
    path = _sheet(raw, [["integrated", "ML", 2019, 12, "s1"]])
    out = tmp_path / "processed"
    assert main(["ingest", "--raw", str(raw), "--out", str(out)]) == 0
    assert main(["ingest", "--raw", str(raw), "--out", str(out)]) == 0
    assert "unchanged since the last ingest" in capsys.readouterr().err
    _sheet(raw, [["integrated", "ML", 2019, 13, "s1"]])
    assert main(["ingest", "--raw", str(raw), "--out", str(out)]) == 0
    assert "unchanged" not in capsys.readouterr().err
    assert pl.read_parquet(out / "observations.parquet")["value"].to_list() == [13.0]
    assert path.exists()


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="observations">
<table:table-row>{header}</table:table-row>
<table:table-row>{s:women_share}{s:ML}{s:2020}<table:table-cell office:value-type="percentage" office:value="0.279">
<text:p>27,9 %</text:p></table:table-cell>{s:s1}</table:table-row>
<table:table-row table:visibility="collapse">{s:integrated}{s:ML}<table:table-cell office:value-type="date"
 office:date-value="2021-03-25"><text:p>25/03/2021</text:p></table:table-cell>
<table:table-cell table:formula="of:=1+1"/>{s:s1}</table:table-row>
<table:table-row>{s:integrated}{s:ML}{s:2022}<table:table-cell table:number-rows-spanned="2"
 office:value-type="float" office:value="4"><text:p>4</text:p></table:table-cell>{s:s1}</table:table-row>
<table:table-row>{s:integrated}{s:Gao}{s:2022}<table:covered-table-cell/>{s:s1}</table:table-row>
<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/>
</table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"""


def _ods(path: Path) -> Path:
    """A small OpenDocument spreadsheet, as LibreOffice stores one (the empty rest of the sheet
    as one row repeated a million times)."""

    def cell(text: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'

    header = "".join(cell(c) for c in ("indicator_id", "geo", "period_start", "value", "source_id"))
    content = re.sub(r"\{s:([^}]*)\}", lambda m: cell(m.group(1)), ODS_CONTENT.replace("{header}", header))
    content = content.replace("\n", "")  # LibreOffice writes no space between cells
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
        )
    return path


def test_an_ods_workbook_is_read_with_the_same_rules(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER)
    _ods(raw / "saisie.ods")
    result = ingest.ingest(raw)
    assert result.tables["observations"].select("line", "value").rows() == [(2, pytest.approx(27.9))]
    assert [(p["line"], p["column"], p["rule"]) for p in result.quarantine.to_dicts()] == [
        (3, "value", "formula-value"),
        (4, "value", "merged-cell"),
        (5, "value", "merged-cell"),
    ]
    assert any("saisie.ods, sheet 'observations': row 3 is hidden" in n for n in result.notes)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_template_saved_by_libreoffice_as_ods_is_read(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER)
    filled = _fill(_template(raw, tmp_path), tmp_path / "saisie.xlsx")
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "ods",
            "--outdir",
            str(raw),
            str(filled),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = ingest.ingest(raw)
    assert result.quarantine.height == 0
    assert sorted(result.tables["observations"]["value"].to_list()) == [27.9, 1006.0, 1234.5]


def test_a_sheet_counts_rows_and_a_text_file_lines() -> None:
    assert str(Problem("x.csv", 3, "value", "1", "r", "y")).startswith("x.csv, line 3, column 'value'")
    sheet = in_sheet("x.xlsx", "observations")
    assert str(Problem(sheet, 3, "value", "1", "r", "y")).startswith("x.xlsx, sheet 'observations', row 3, column")


def test_a_cell_out_of_range_is_named_by_sheet_row_and_column_when_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = make_raw(tmp_path, HEADER)
    path = _sheet(raw, [["women_share", "ML", 2020, "130 %", "s1"]])
    out = tmp_path / "processed"
    assert main(["ingest", "--raw", str(raw), "--out", str(out)]) == 0
    assert main(["validate", "--processed", str(out), "--pages", str(tmp_path / "pages")]) == 2
    # named by sheet, row and column, with the value as the cell shows it, then as it was read
    assert (
        f"{paths.display(path)}, sheet 'observations', row 2, column 'value': '130 %' (read as 130.0)"
        in capsys.readouterr().out
    )
