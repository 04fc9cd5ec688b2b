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
What calamine does not tell, one pass over the workbook's XML finds
(`pipelines.ingest.workbook_xml`), and the row is set aside saying why:

* a formula with no stored result (a workbook written by a program and never saved by Excel
  or LibreOffice): calamine would read it as an empty cell;
* an error cell (``#DIV/0!``, ``#N/A``), which calamine also reads as empty;
* merged cells across the table: which rows does the value belong to? Unmerge and fill them.

A number formatted as a percentage is stored as a fraction (27.9 % as 0.279): it is read as
``27.9 %``, as it shows. Hidden sheets and hidden (or filtered-out) rows are read like the
others, and ingest says so in its log: hiding a row does not delete a figure.

In the columns whose template dropdowns show a label (`LABELLED`), the text from `LABEL` on is
the label, not the value: ``<indicator_id> — <its French name>`` is read as ``<indicator_id>``.

The file is opened read-only and never written.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import polars as pl

from pipelines.core.errors import DataError, Problem, in_sheet
from pipelines.core.paths import display
from pipelines.ingest import tabular
from pipelines.ingest.rawio import MAX_FILE_BYTES
from pipelines.ingest.workbook_xml import Cell, Marks, inspect_ods, inspect_xlsx

if TYPE_CHECKING:
    from python_calamine import SheetMetadata

#: A cell's value as python-calamine reads it (``to_python``); an empty cell is ``""``.
CellValue = int | float | str | bool | dt.time | dt.date | dt.datetime | dt.timedelta
#: A sheet's cells from A1, row by row.
Grid = list[list[CellValue]]

#: The workbook formats read, by suffix.
SUFFIXES = (".xlsx", ".ods")
#: Sheets of the template that hold no table: read by people, ignored by ingest.
TEMPLATE_SHEETS = ("instructions", "lists")
#: What separates a value from its label in a dropdown's entries (`LABELLED` columns).
LABEL = " — "
#: Columns whose template dropdown entries read ``value — label``.
LABELLED = ("indicator_id", "geo", "source_id", "milestone_id")


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
            raise DataError(
                Problem(
                    where,
                    None,
                    None,
                    None,
                    "known-sheet",
                    f"sheet '{meta.name}'{hidden} holds cells but is not one ingest reads: name it "
                    f"{', '.join(formats)} (the table it holds), or move it to another file; the "
                    f"sheets {' and '.join(TEMPLATE_SHEETS)} of the template are ignored",
                )
            )
        if meta.visible != SheetVisibleEnum.Visible:
            notes.append(f"{where} is hidden in the workbook; it was read like the others")
        sheet_marks = marks.get(meta.name, Marks())
        sheets.append(_read_sheet(where, key, grid, sheet_marks, *formats[key]))
        hidden_rows = sorted(
            r + 1 for r in sheet_marks.hidden_rows if r < len(grid) and any(_present(v) for v in grid[r])
        )
        if hidden_rows:
            notes.append(
                f"{where}: "
                + (f"row {hidden_rows[0]} is" if len(hidden_rows) == 1 else f"rows {_rows_shown(hidden_rows)} are")
                + " hidden in the workbook, and read like the others"
            )
    return Workbook(sheets, notes)


def _load(path: Path, name: str) -> tuple[dict[str, Marks], list[tuple[SheetMetadata, Grid]]]:
    """The marks of every sheet and its grid of values (from A1, so that a row's index is
    the spreadsheet's row number less one), or a refusal naming the file."""
    from python_calamine import CalamineError, CalamineWorkbook

    _check_size(path, name)
    try:
        with zipfile.ZipFile(path) as archive:
            marks = inspect_ods(archive) if path.suffix.lower() == ".ods" else inspect_xlsx(archive)
        with CalamineWorkbook.from_path(str(path)) as workbook:
            grids = [
                (meta, workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False))
                for meta in workbook.sheets_metadata
            ]
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError, CalamineError) as exc:
        raise _unreadable(name, path, exc) from exc
    return marks, grids


def _read_sheet(
    where: str, table: str, grid: Grid, marks: Marks, required: Sequence[str], optional: Sequence[str]
) -> SheetTable:
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
            raise DataError(
                Problem(
                    where,
                    top + 1,
                    None,
                    None,
                    "merged-cell",
                    f"the header's cells {_ref(first)}:{_ref(last)} are merged: unmerge them and "
                    "write one column name in each",
                )
            )
    merged_rows = {
        r: (first, last)
        for first, last in marks.merged
        if first[1] < width
        for r in range(max(first[0], top + 1), last[0] + 1)
    }
    rows: list[tuple[int, list[str]]] = []
    refused: list[tuple[Problem, dict[str, str | None]]] = []
    for r in filled[1:]:
        cells = grid[r]
        beyond = next((c for c in range(width, len(cells)) if _present(cells[c])), None)
        if beyond is not None:
            raise DataError(
                Problem(
                    where,
                    r + 1,
                    None,
                    str(cells[beyond]),
                    "row-width",
                    f"cell {_ref((r, beyond))} holds a value beyond the header's last column "
                    f"({_ref((top, width - 1))}): give its column a name, or clear it",
                )
            )
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
            problem = _Refusal(
                first[1],
                shown if isinstance(shown, str) and shown else None,
                "merged-cell",
                f"cells {_ref(first)}:{_ref(last)} are merged: unmerge them and write the value "
                "in each row it belongs to",
            )
        if problem is not None:
            refused_column = header_texts[problem.column].strip() if problem.column < width else None
            refused.append((Problem(where, r + 1, refused_column, problem.value, problem.rule, problem.reason), record))
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


def _text(value: object, at: Cell, marks: Marks) -> str | _Refusal:
    """A cell as the text a CSV would hold, or why it cannot be read."""
    if at in marks.uncached:
        return _Refusal(
            at[1],
            marks.uncached[at],
            "formula-value",
            "the cell holds a formula whose result the file does not store (it was written by a "
            "program, never saved by Excel or LibreOffice): open and save it there, or type the value",
        )
    if at in marks.errors:
        return _Refusal(
            at[1],
            marks.errors[at],
            "cell-error",
            f"the cell shows the error {marks.errors[at]}: correct its formula, or type the value",
        )
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
        raise DataError(
            Problem(
                name,
                None,
                None,
                f"{max(size, inflated)} bytes",
                "file-size",
                f"the workbook holds more than {MAX_FILE_BYTES // 2**20} MiB once unpacked; split it "
                "or filter it first",
            )
        )


def _unreadable(name: str, path: Path, exc: Exception) -> DataError:
    kind = "an OpenDocument spreadsheet (.ods)" if path.suffix.lower() == ".ods" else "an Excel workbook (.xlsx)"
    return DataError(
        Problem(
            name,
            None,
            None,
            None,
            "spreadsheet",
            f"the file cannot be read as {kind} ({type(exc).__name__}: {exc}); a workbook "
            "protected by a password cannot be read: save a copy without one",
        )
    )
