"""Spreadsheets as inputs: an ``.xlsx`` (Excel) or ``.ods`` (LibreOffice) workbook, sheet by
sheet, read into the same text frames as a curated CSV (`pipelines.ingest.tabular`), so that every
cell is normalised, quarantined and reported by the same rules, naming the file, the sheet,
the row and the column.

**Which sheets.** A sheet is named after the table it holds: ``observations``,
``milestone_events`` or ``sources`` (case and surrounding spaces do not matter), with the
format's columns in its first non-empty row. The template's own sheets (``instructions``,
``lists``, written by `pipelines.tools.template`) and empty sheets are ignored. Any other sheet that
holds something stops ingest naming it: a sheet called ``Feuil1`` or ``obs 2023`` may hold
figures, and leaving them out unseen would be worse than asking for a name.

**Which values.** python-calamine reads what the spreadsheet stored: a formula's result as the
program that saved the file computed it (formulas are never evaluated here), a cell formatted
as a date as a date (written as an ISO date for `pipelines.ingest.normalise`), a number as its
shortest exact text, a number typed as text as the text (normalised like a CSV's ``1 234,5``).
What calamine does not tell, one pass over the workbook's XML finds (`_inspect_xlsx`,
`_inspect_ods`), and the row is set aside saying why:

* a formula with no stored result (a workbook written by a program and never saved by Excel
  or LibreOffice): calamine would read it as an empty cell;
* an error cell (``#DIV/0!``, ``#N/A``), which calamine also reads as empty;
* merged cells across the table: which rows does the value belong to? Unmerge and fill them.

A number formatted as a percentage is stored as a fraction (27.9 % as 0.279): it is read as
``27.9 %``, as it shows. Hidden sheets and hidden (or filtered-out) rows are read like the
others, and ingest says so in its log: hiding a row does not delete a figure.

In the columns whose template dropdowns show a label (`LABELLED`), the text from `LABEL` on is
the label, not the value: ``women_parliament_share — Part des femmes au parlement`` is read as
``women_parliament_share``.

The file is opened read-only and never written.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

import polars as pl

from pipelines.ingest import tabular
from pipelines.core.errors import DataError, Problem, in_sheet
from pipelines.core.paths import display
from pipelines.ingest.rawio import MAX_FILE_BYTES

#: The workbook formats read, by suffix.
SUFFIXES = (".xlsx", ".ods")
#: Sheets of the template that hold no table: read by people, ignored by ingest.
TEMPLATE_SHEETS = ("instructions", "lists")
#: What separates a value from its label in a dropdown's entries (`LABELLED` columns).
LABEL = " — "
#: Columns whose template dropdown entries read ``value — label``.
LABELLED = ("indicator_id", "geo", "source_id", "milestone_id")

Cell = tuple[int, int]  # (row, column), 0-based, as calamine's grid indexes them


def is_workbook(path: Path) -> bool:
    """A workbook ingest reads: by its suffix, leaving out the lock files Excel (``~$x.xlsx``)
    and LibreOffice write beside an open file, and hidden files."""
    return path.suffix.lower() in SUFFIXES and not path.name.startswith(("~$", "."))


@dataclass(frozen=True)
class SheetTable:
    """One sheet read as a table: its text frame (`tabular.frame_from_rows`), and the rows set
    aside while reading, each with its problem and its cells (what the row was about)."""

    table: str
    frame: pl.DataFrame
    refused: list[tuple[Problem, dict[str, str | None]]]


@dataclass(frozen=True)
class Workbook:
    """Every table sheet of one workbook, and what the ingest log should say about it."""

    sheets: list[SheetTable]
    notes: list[str]


@dataclass
class _Marks:
    """What the XML says of one sheet's cells that calamine's values do not."""

    uncached: dict[Cell, str] = field(default_factory=dict)  # formula without a stored result
    errors: dict[Cell, str] = field(default_factory=dict)  # error cell -> its code
    percent: set[Cell] = field(default_factory=set)  # number shown as a percentage
    merged: list[tuple[Cell, Cell]] = field(default_factory=list)  # first and last cell of a merge
    hidden_rows: set[int] = field(default_factory=set)


def read_workbook(path: Path, formats: Mapping[str, tuple[Sequence[str], Sequence[str]]]) -> Workbook:
    """Read every table sheet of `path`; `formats` maps a table (and sheet) name to its
    (required, optional) columns."""
    from python_calamine import SheetVisibleEnum

    name = display(path)
    sheets, notes = [], []
    marks, grids = _load(path, name)
    for meta, grid in grids:
        key = meta.name.strip().casefold()
        where = in_sheet(name, meta.name)
        if key in TEMPLATE_SHEETS or not any(_present(v) for row in grid for v in row):
            continue
        if key not in formats:
            hidden = "" if meta.visible == SheetVisibleEnum.Visible else " (hidden)"
            raise DataError(Problem(where, None, None, None, "known-sheet",
                                    f"sheet '{meta.name}'{hidden} holds cells but is not one ingest reads: name it "
                                    f"{', '.join(formats)} (the table it holds), or move it to another file; the "
                                    f"sheets {' and '.join(TEMPLATE_SHEETS)} of the template are ignored"))
        if meta.visible != SheetVisibleEnum.Visible:
            notes.append(f"{where} is hidden in the workbook; it was read like the others")
        sheet_marks = marks.get(meta.name, _Marks())
        sheets.append(_read_sheet(where, key, grid, sheet_marks, *formats[key]))
        hidden_rows = sorted(r + 1 for r in sheet_marks.hidden_rows
                             if r < len(grid) and any(_present(v) for v in grid[r]))
        if hidden_rows:
            notes.append(f"{where}: " + (f"row {hidden_rows[0]} is" if len(hidden_rows) == 1 else
                                         f"rows {_rows_shown(hidden_rows)} are") +
                         " hidden in the workbook, and read like the others")
    return Workbook(sheets, notes)


def _load(path: Path, name: str) -> tuple[dict[str, _Marks], list[tuple[object, list[list]]]]:
    """The marks of every sheet and its grid of values (from A1, so that a row's index is
    the spreadsheet's row number less one), or a refusal naming the file."""
    from python_calamine import CalamineError, CalamineWorkbook

    _check_size(path, name)
    try:
        with zipfile.ZipFile(path) as archive:
            marks = _inspect_ods(archive) if path.suffix.lower() == ".ods" else _inspect_xlsx(archive)
        with CalamineWorkbook.from_path(str(path)) as workbook:
            grids = [(meta, workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False))
                     for meta in workbook.sheets_metadata]
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError, CalamineError) as exc:
        raise _unreadable(name, path, exc) from exc
    return marks, grids


def _read_sheet(where: str, table: str, grid: list[list], marks: _Marks,
                required: Sequence[str], optional: Sequence[str]) -> SheetTable:
    """One sheet's cells as a text table; rows with a cell that cannot be read set aside."""
    filled = [r for r, row in enumerate(grid) if any(_present(v) for v in row)]
    top = filled[0]
    header = [_text(v, (top, c), marks) for c, v in enumerate(grid[top])]
    while header and not header[-1]:
        header.pop()
    header_texts = [h if isinstance(h, str) else "" for h in header]
    width = len(header)
    for first, last in marks.merged:
        if first[0] <= top <= last[0] and first[1] < width:
            raise DataError(Problem(where, top + 1, None, None, "merged-cell",
                                    f"the header's cells {_ref(first)}:{_ref(last)} are merged: unmerge them and "
                                    "write one column name in each"))
    merged_rows = {r: (first, last) for first, last in marks.merged if first[1] < width
                   for r in range(max(first[0], top + 1), last[0] + 1)}
    rows: list[tuple[int, list[str]]] = []
    refused: list[tuple[Problem, dict[str, str | None]]] = []
    for r in filled[1:]:
        cells = grid[r]
        beyond = next((c for c in range(width, len(cells)) if _present(cells[c])), None)
        if beyond is not None:
            raise DataError(Problem(where, r + 1, None, str(cells[beyond]), "row-width",
                                    f"cell {_ref((r, beyond))} holds a value beyond the header's last column "
                                    f"({_ref((top, width - 1))}): give its column a name, or clear it"))
        texts = [_text(cells[c] if c < len(cells) else "", (r, c), marks) for c in range(width)]
        values = [t if isinstance(t, str) else "" for t in texts]
        for c, column in enumerate(header_texts):
            if column.strip() in LABELLED and LABEL in values[c]:
                values[c] = values[c].split(LABEL, 1)[0]
        record: dict[str, str | None] = dict(zip((h.strip() for h in header_texts), values, strict=True))
        problem = next((t for t in texts if isinstance(t, _Refusal)), None)
        if problem is None and r in merged_rows:
            first, last = merged_rows[r]
            shown = _text(grid[first[0]][first[1]], first, marks)
            problem = _Refusal(first[1], shown if isinstance(shown, str) and shown else None, "merged-cell",
                               f"cells {_ref(first)}:{_ref(last)} are merged: unmerge them and write the value "
                               "in each row it belongs to")
        if problem is not None:
            column = header_texts[problem.column].strip() if problem.column < width else None
            refused.append((Problem(where, r + 1, column, problem.value, problem.rule, problem.reason), record))
            continue
        rows.append((r + 1, values))
    frame = tabular.frame_from_rows(where, header_texts, rows, required, optional, header_at=top + 1)
    return SheetTable(table, frame, refused)


@dataclass(frozen=True)
class _Refusal:
    """A cell that cannot be read as text, and why."""

    column: int
    value: str | None
    rule: str
    reason: str


def _text(value: object, at: Cell, marks: _Marks) -> str | _Refusal:
    """A cell as the text a CSV would hold, or why it cannot be read."""
    if at in marks.uncached:
        return _Refusal(at[1], marks.uncached[at], "formula-value",
                        "the cell holds a formula whose result the file does not store (it was written by a "
                        "program, never saved by Excel or LibreOffice): open and save it there, or type the value")
    if at in marks.errors:
        return _Refusal(at[1], marks.errors[at], "cell-error",
                        f"the cell shows the error {marks.errors[at]}: correct its formula, or type the value")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if at in marks.percent:
            return _number(float(f"{value * 100:.15g}")) + " %"  # 15 digits: a spreadsheet's precision
        return _number(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _number(value: int | float) -> str:
    """A number's shortest exact text; a whole number without ``.0`` (a year stays ``2020``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _present(value: object) -> bool:
    return value is not None and value != ""


def column_letters(col: int) -> str:
    """A spreadsheet's name for a column: 0 -> 'A', 27 -> 'AB'."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _ref(cell: Cell) -> str:
    """A spreadsheet's name for a cell: (4, 2) -> 'C5'."""
    return f"{column_letters(cell[1])}{cell[0] + 1}"


def _cell(ref: str) -> Cell:
    """The (row, column) of a cell name: 'C5' -> (4, 2)."""
    found = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref)
    if not found:
        raise ValueError(f"'{ref}' is not a cell reference")
    col = 0
    for ch in found.group(1).upper():
        col = col * 26 + ord(ch) - ord("A") + 1
    return int(found.group(2)) - 1, col - 1


def _rows_shown(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:10])
    return shown + (f", … ({len(rows)} in all)" if len(rows) > 10 else "")


def _check_size(path: Path, name: str) -> None:
    """A workbook is a zip of XML: refuse one larger than rawio's cap, on disk or as declared
    inflated (a zip bomb dressed as a workbook), before any part of it is read."""
    size = path.stat().st_size
    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(m.file_size for m in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise _unreadable(name, path, exc) from exc
    if max(size, inflated) > MAX_FILE_BYTES:
        raise DataError(Problem(name, None, None, f"{max(size, inflated)} bytes", "file-size",
                                f"the workbook holds more than {MAX_FILE_BYTES // 2**20} MiB once unpacked; split it "
                                "or filter it first"))


def _unreadable(name: str, path: Path, exc: Exception) -> DataError:
    kind = "an OpenDocument spreadsheet (.ods)" if path.suffix.lower() == ".ods" else "an Excel workbook (.xlsx)"
    return DataError(Problem(name, None, None, None, "spreadsheet",
                             f"the file cannot be read as {kind} ({type(exc).__name__}: {exc}); a workbook "
                             "protected by a password cannot be read: save a copy without one"))


# --- what the XML says that calamine's values do not ----------------------------------------

_X = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: Excel's built-in percent formats (0% and 0.00%); others are declared in styles.xml.
_PERCENT_FORMATS = frozenset({9, 10})


def _inspect_xlsx(archive: zipfile.ZipFile) -> dict[str, _Marks]:
    """Each sheet's marks, by sheet name, from ``xl/workbook.xml`` and the sheets' XML."""
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG}Relationship")}
    percent = _percent_styles(archive)
    marks = {}
    for sheet in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter(f"{_X}sheet"):
        target = targets.get(sheet.get(f"{_R}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if part in archive.namelist():
            with archive.open(part) as stream:
                marks[sheet.get("name", "")] = _xlsx_sheet(stream, percent)
    return marks


def _percent_styles(archive: zipfile.ZipFile) -> frozenset[str]:
    """The cell styles (``s`` attribute values) whose number format shows a percentage."""
    if "xl/styles.xml" not in archive.namelist():
        return frozenset()
    styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    percent_ids = set(_PERCENT_FORMATS)
    for fmt in styles.iter(f"{_X}numFmt"):
        code = re.sub(r'"[^"]*"|\\.', "", fmt.get("formatCode", ""))  # a quoted or escaped % is literal text
        if "%" in code:
            percent_ids.add(int(fmt.get("numFmtId", "-1")))
    cell_xfs = styles.find(f"{_X}cellXfs")
    xfs = [] if cell_xfs is None else cell_xfs.findall(f"{_X}xf")
    return frozenset(str(i) for i, xf in enumerate(xfs) if int(xf.get("numFmtId", "0")) in percent_ids)


def _xlsx_sheet(stream: IO[bytes], percent: frozenset[str]) -> _Marks:
    marks = _Marks()
    row = col = -1
    for _, elem in ElementTree.iterparse(stream, events=("end",)):
        tag = elem.tag
        if tag == f"{_X}c":
            ref = elem.get("r")
            row, col = _cell(ref) if ref else (row, col + 1)
            formula, value = elem.find(f"{_X}f"), elem.find(f"{_X}v")
            kind = elem.get("t", "n")
            if formula is not None and (value is None or not value.text and kind != "str"):  # only text may be empty
                marks.uncached[(row, col)] = f"={formula.text}" if formula.text else "(a shared formula)"
            elif kind == "e":
                marks.errors[(row, col)] = value.text if value is not None and value.text else "#ERROR"
            elif kind == "n" and elem.get("s") in percent:
                marks.percent.add((row, col))
            elem.clear()
        elif tag == f"{_X}row":
            number = elem.get("r")
            row = int(number) - 1 if number else row + 1
            if elem.get("hidden") in ("1", "true"):
                marks.hidden_rows.add(row)
            col = -1
            elem.clear()
        elif tag == f"{_X}mergeCell":
            first, _, last = elem.get("ref", "").partition(":")
            if first:
                marks.merged.append((_cell(first), _cell(last or first)))
    return marks


_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
#: Repeated rows or columns are expanded only this far: LibreOffice writes the empty rest of a
#: sheet as one row repeated a million times, which holds nothing to mark.
_ODS_EXTENT = 100_000


def _inspect_ods(archive: zipfile.ZipFile) -> dict[str, _Marks]:
    """Each sheet's marks, by sheet name, from ``content.xml``."""
    marks: dict[str, _Marks] = {}
    with archive.open("content.xml") as stream:
        for name, sheet in _ods_sheets(stream):
            marks[name] = sheet
    return marks


def _ods_sheets(stream: IO[bytes]) -> Iterator[tuple[str, _Marks]]:
    sheet: _Marks | None = None
    name = ""
    row, col, repeat_rows, hidden = 0, 0, 1, False
    for event, elem in ElementTree.iterparse(stream, events=("start", "end")):
        tag = elem.tag
        if event == "start":
            if tag == f"{_T}table":
                name, sheet, row = elem.get(f"{_T}name", ""), _Marks(), 0
            elif tag == f"{_T}table-row":
                repeat_rows = min(int(elem.get(f"{_T}number-rows-repeated", "1")), _ODS_EXTENT)
                hidden = elem.get(f"{_T}visibility", "visible") != "visible"
                col = 0
            continue
        if sheet is None:
            continue
        if tag in (f"{_T}table-cell", f"{_T}covered-table-cell"):
            repeat = min(int(elem.get(f"{_T}number-columns-repeated", "1")), _ODS_EXTENT)
            if tag == f"{_T}table-cell":
                _ods_cell(sheet, elem, range(row, row + repeat_rows), range(col, col + repeat))
            col += repeat
            elem.clear()
        elif tag == f"{_T}table-row":
            if hidden:
                sheet.hidden_rows.update(range(row, row + repeat_rows))
            row += repeat_rows
            elem.clear()
        elif tag == f"{_T}table":
            yield name, sheet
            sheet = None
            elem.clear()


def _ods_cell(sheet: _Marks, elem: ElementTree.Element, rows: range, cols: range) -> None:
    formula = elem.get(f"{_T}formula")
    kind = elem.get(f"{_CALCEXT}value-type") or elem.get(f"{_O}value-type")
    spans = int(elem.get(f"{_T}number-rows-spanned", "1")), int(elem.get(f"{_T}number-columns-spanned", "1"))
    if kind is None and formula is None and spans == (1, 1):
        return  # an empty cell, the common case
    for r in rows:
        for c in cols:
            if spans != (1, 1):
                sheet.merged.append(((r, c), (r + spans[0] - 1, c + spans[1] - 1)))
            if formula is not None and kind is None:
                sheet.uncached[(r, c)] = formula.removeprefix("of:")
            elif kind == "error":
                sheet.errors[(r, c)] = "".join(elem.itertext()).strip() or "#ERROR"
            elif kind == "percentage":
                sheet.percent.add((r, c))
