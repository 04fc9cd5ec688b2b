"""What a workbook's XML says of its cells that python-calamine's values do not: a formula
with no stored result, an error cell, a number shown as a percentage, merged cells, hidden
rows, one streamed pass over each sheet of an ``.xlsx`` or ``.ods``.

Separate from `pipelines.ingest.spreadsheets`, which reads the workbook's values into frames
and decides what each mark means for a row: this module only knows the two file formats.

Why not openpyxl: it reads ``.xlsx`` only (analysts save ``.ods`` from LibreOffice too); telling a
formula with no stored result from an empty cell takes two loads of the whole workbook (formulas,
then ``data_only`` values); and merged cells and hidden rows are not available in its streaming
(``read_only``) mode, so a large sheet would be held in memory. calamine reads the values of both
formats; this module reads, in one streamed pass, the few facts calamine does not give.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO
from xml.etree import ElementTree

Cell = tuple[int, int]  # (row, column), 0-based, as calamine's grid indexes them


@dataclass
class Marks:
    """What the XML says of one sheet's cells that calamine's values do not."""

    uncached: dict[Cell, str] = field(default_factory=dict)  # formula without a stored result
    errors: dict[Cell, str] = field(default_factory=dict)  # error cell -> its code
    percent: set[Cell] = field(default_factory=set)  # number shown as a percentage
    merged: list[tuple[Cell, Cell]] = field(default_factory=list)  # first and last cell of a merge
    hidden_rows: set[int] = field(default_factory=set)


def _cell(ref: str) -> Cell:
    """The (row, column) of a cell name: 'C5' -> (4, 2)."""
    found = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref)
    if not found:
        raise ValueError(f"'{ref}' is not a cell reference")
    col = 0
    for ch in found.group(1).upper():
        col = col * 26 + ord(ch) - ord("A") + 1
    return int(found.group(2)) - 1, col - 1


_X = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: Excel's built-in percent formats (0% and 0.00%); others are declared in styles.xml.
_PERCENT_FORMATS = frozenset({9, 10})


def inspect_xlsx(archive: zipfile.ZipFile) -> dict[str, Marks]:
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


def _xlsx_sheet(stream: IO[bytes], percent: frozenset[str]) -> Marks:
    marks = Marks()
    row = col = -1
    for _, elem in ElementTree.iterparse(stream, events=("end",)):
        tag = elem.tag
        if tag == f"{_X}c":
            ref = elem.get("r")
            row, col = _cell(ref) if ref else (row, col + 1)
            formula, value = elem.find(f"{_X}f"), elem.find(f"{_X}v")
            kind = elem.get("t", "n")
            if formula is not None and (value is None or (not value.text and kind != "str")):  # only text may be empty
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


def inspect_ods(archive: zipfile.ZipFile) -> dict[str, Marks]:
    """Each sheet's marks, by sheet name, from ``content.xml``."""
    marks: dict[str, Marks] = {}
    with archive.open("content.xml") as stream:
        for name, sheet in _ods_sheets(stream):
            marks[name] = sheet
    return marks


def _ods_sheets(stream: IO[bytes]) -> Iterator[tuple[str, Marks]]:
    sheet: Marks | None = None
    name = ""
    row, col, repeat_rows, hidden = 0, 0, 1, False
    for event, elem in ElementTree.iterparse(stream, events=("start", "end")):
        tag = elem.tag
        if event == "start":
            if tag == f"{_T}table":
                name, sheet, row = elem.get(f"{_T}name", ""), Marks(), 0
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


def _ods_cell(sheet: Marks, elem: ElementTree.Element, rows: range, cols: range) -> None:
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
