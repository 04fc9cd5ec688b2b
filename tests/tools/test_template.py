"""The spreadsheet template a roadmap gets (`pipelines.tools.template`, ``python -m pipelines
template``): its sheets, the headers ingest expects and the dropdowns of the roadmap's own ids,
the same bytes for the same data. Filled in and read back by ingest: tests/ingest/test_spreadsheets.py."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from pipelines.cli import main
from pipelines.ingest import step as ingest


def _validations(path: Path, sheet: str) -> dict[str, openpyxl.worksheet.datavalidation.DataValidation]:
    """A sheet's data validations by the header of the column they cover."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    out = {}
    for dv in ws.data_validations.dataValidation:
        first = str(dv.sqref).split(":")[0]
        letters = re.match(r"[A-Z]+", first)
        assert letters is not None, first
        col = openpyxl.utils.column_index_from_string(letters.group()) - 1
        out[header[col]] = dv
    return out


def _entries(path: Path, formula: str) -> list[str]:
    """The entries a dropdown offers: the cells of its range in the lists sheet."""
    sheet, ref = formula.lstrip("=").split("!")
    ws = openpyxl.load_workbook(path)[sheet]
    return [c.value for row in ws[ref.replace("$", "")] for c in row]


def test_the_template_of_a_real_roadmap_has_its_sheets_headers_and_dropdowns(tmp_path: Path) -> None:
    assert main(["template", "--roadmap", "s-2021-300", "--output", str(tmp_path / "t.xlsx")]) == 0
    path = tmp_path / "t.xlsx"
    with CalamineWorkbook.from_path(str(path)) as book:
        assert book.sheet_names == ["instructions", "observations", "milestone_events", "sources", "lists"]
        for table, (required, optional) in ingest.FORMATS.items():
            header = book.get_sheet_by_name(table).to_python()[0]
            assert sorted(header) == sorted((*required, *optional))  # exactly the columns ingest expects
        instructions = " ".join(str(v) for row in book.get_sheet_by_name("instructions").to_python() for v in row)
    assert "Remplissez les feuilles" in instructions and "Fill in the sheets" in instructions
    assert "S/2021/300" in instructions
    dv = _validations(path, "observations")
    indicators = _entries(path, dv["indicator_id"].formula1)
    assert (
        "women_parliament_share — Part des femmes au parlement (Assemblée nationale, puis CNT) / "
        "Women's share of seats in parliament (National Assembly, then CNT)"
    ) in indicators
    assert not any(e.startswith("monusco_") for e in indicators)  # the roadmap's own indicators only
    assert "ML-9 — Ménaka" in _entries(path, dv["geo"].formula1)
    assert "fraction" in _entries(path, dv["unit"].formula1)
    assert _entries(path, dv["confidence"].formula1) == ["derived", "primary", "secondary"]
    assert any(e.startswith("s-2021-300 — ") for e in _entries(path, dv["source_id"].formula1))
    assert dv["source_id"].errorStyle == "warning" and dv["indicator_id"].errorStyle in (None, "stop")
    assert dv["published"].type == "date"
    assert "the figure's own publication date" in dv["published"].prompt
    sources = _validations(path, "sources")  # the same column name, the source's own help
    assert "the document's publication date" in sources["published"].prompt
    assert "figure's own" not in sources["published"].prompt
    events = _validations(path, "milestone_events")
    assert _entries(path, events["status"].formula1) == ["not_initiated", "minimal", "intermediate", "full", "reversed"]
    assert events["date"].type == "date"
    assert openpyxl.load_workbook(path)["lists"].protection.sheet
    again = tmp_path / "again.xlsx"
    main(["template", "--roadmap", "s-2021-300", "--output", str(again)])
    assert again.read_bytes() == path.read_bytes()  # the same data, the same bytes


def test_an_unknown_roadmap_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["template", "--roadmap", "s-1999-1", "--output", str(tmp_path)]) == 3
