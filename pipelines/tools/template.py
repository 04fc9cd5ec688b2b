"""``python -m pipelines template``: a spreadsheet to fill in Excel or LibreOffice, per roadmap.

The workbook has one sheet per table ingest reads from a spreadsheet (`pipelines.ingest.spreadsheets`):
``observations``, ``milestone_events`` and ``sources``, whose first row is exactly the
columns of the format (`pipelines.ingest.step.FORMATS`); an ``instructions`` sheet in French and
English; and a protected ``lists`` sheet behind the dropdowns (data validation): the roadmap's
indicators, the places of its country, units, confidence levels, source ids, benchmarks,
milestones and statuses. Every list comes from the tables ingest makes of ``data/raw/`` (the
roadmap files, the country's geography, the sources), so a template offers nothing ingest
would refuse; a ``data/raw/`` that ingest refuses is refused here too, with the same message.
An indicator, place, source or milestone entry reads ``id — name``: the reader keeps the id
(`spreadsheets.LABEL`).

Cell formats: exact dates (``date``, an observation's ``published``) are date cells shown
``yyyy-mm-dd``; every other column is text, so that what is typed is what ingest reads: a
number format would turn ``4/25`` (seats) into 25 April, ``27,9 %`` into 0.279 and a year
typed in a date cell into a day of 1905, and periods (``2021``, ``2021-03``) and values
(``1 234,5``) are parsed by `pipelines.ingest.normalise` as in a CSV.

**Where it goes.** By default ``reports/templates/<roadmap_id>.xlsx``: the template is an
output made from the data, like the reports, so it lives in the generated, git-ignored
``reports/``, never in ``data/raw/``, which holds the inputs as they were supplied (a blank
template there would be read as one). An analyst copies it, fills it and drops the filled
copy in ``data/raw/`` (or ``data/raw/observations/``). Only ``.xlsx`` is written: LibreOffice
opens it with its dropdowns; writing ``.ods`` would need odfpy, last released in 2020, or
hand-written XML, and ingest reads an ``.ods`` saved by LibreOffice all the same.

The workbook's bytes depend only on the data (fixed creation date, XlsxWriter's fixed zip
times), so an unchanged roadmap gives the same file.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.core import geo, paths, schema
from pipelines.core.errors import ExitCode, UsageError
from pipelines.ingest import curated, spreadsheets
from pipelines.ingest import step as ingest

#: Rows of each table sheet that carry the dropdowns and formats.
ROWS = 2000
#: Where templates are written by default, one per roadmap.
FOLDER = paths.REPORTS / "templates"
#: The columns holding a full date, which get date cells (others are text).
DATE_COLUMNS = {("observations", "published"), ("milestone_events", "date"), ("milestone_events", "published")}
#: A source title is cut to this length in its dropdown label.
LABEL_WIDTH = 90


@dataclass(frozen=True)
class Choices:
    """The entries of one dropdown: the values ingest accepts in a column, with their labels
    (``id — name``) where the column is `spreadsheets.LABELLED`, and how strict it is."""

    column: str
    entries: list[str]
    title: str
    #: "stop" refuses another value; "warning" lets one through (a source added to the
    #: sources sheet of the same workbook).
    strictness: str = "stop"


def labelled(value: str, label: str | None) -> str:
    """A dropdown entry: the value, then its label after `spreadsheets.LABEL` (which the
    reader drops)."""
    return f"{value}{spreadsheets.LABEL}{label}" if label else value


def choices(roadmap_id: str, tables: dict[str, pl.DataFrame], raw_dir: Path) -> dict[str, list[Choices]]:
    """The dropdowns of each table sheet of `roadmap_id`'s template, from ingest's tables."""
    roadmap = tables["roadmaps"].filter(pl.col("roadmap_id") == roadmap_id).row(0, named=True)
    indicators = tables["indicators"].filter(pl.col("roadmap_id") == roadmap_id).sort("indicator_id")
    milestones = tables["milestones"].filter(pl.col("roadmap_id") == roadmap_id).sort("benchmark", "milestone_id")
    benchmarks = tables["benchmarks"].filter(pl.col("roadmap_id") == roadmap_id)["benchmark"].to_list()
    places = geo.geography(roadmap["country"], raw_dir)
    sources = tables["sources"].sort("source_id")

    def short(text: str | None) -> str | None:
        return text if not text or len(text) <= LABEL_WIDTH else text[: LABEL_WIDTH - 1] + "…"

    source = Choices(
        "source_id",
        [labelled(s, short(t)) for s, t in sources.select("source_id", "title").rows()],
        "Source",
        "warning",
    )
    confidence = Choices("confidence", sorted(schema.CONFIDENCE), "Confiance / confidence")
    return {
        "observations": [
            Choices(
                "indicator_id",
                [
                    labelled(r["indicator_id"], f"{r['name_fr']} / {r['name_en']}")
                    for r in indicators.iter_rows(named=True)
                ],
                "Indicateur / indicator",
            ),
            Choices(
                "geo",
                [
                    labelled(c, places.region_name(c))
                    for c in [places.country, *sorted(places.regions, key=lambda c: (len(c), c))]
                ],
                "Lieu / place",
            ),
            Choices("unit", [*sorted(set(indicators["unit"].to_list())), "fraction"], "Unité / unit"),
            source,
            confidence,
            Choices("dated", list(curated.DATED), "Date / dated"),
        ],
        "milestone_events": [
            Choices("roadmap_id", [roadmap_id], "Feuille de route / roadmap"),
            Choices("benchmark", benchmarks, "Critère / benchmark"),
            Choices(
                "milestone_id",
                [
                    labelled(m, f"{b} · {n}")
                    for b, m, n in milestones.select("benchmark", "milestone_id", "name_fr").rows()
                ],
                "Jalon / milestone",
            ),
            Choices("status", list(schema.MILESTONE_STATUS), "Statut / status"),
            source,
            confidence,
        ],
        "sources": [Choices("kind", list(curated.SOURCE_KINDS), "Type / kind")],
    }


def columns(table: str) -> list[str]:
    """A table sheet's header: the format's columns, in the order the processed table (or,
    for observations, a raw observation row) has them."""
    required, optional = ingest.FORMATS[table]
    order = schema.RAW_OBSERVATION_COLUMNS if table == "observations" else tuple(schema.TABLES[table])
    wanted = (*required, *optional)
    return [c for c in order if c in wanted] + [c for c in wanted if c not in order]


#: Help shown when a cell is selected (Excel and LibreOffice show it as a tooltip), at most
#: 255 characters each, by sheet: a column of two sheets (``published``) means two things.
HINTS: dict[str, dict[str, str]] = {
    "observations": {
        "period_start": "2021-03-25, 2021-03 (un mois / a month) ou/or 2021 (une année / a year)",
        "period_end": "Vide = comme le début / empty = same as the start. 2021-12-31, 2021-12 ou/or 2021",
        "value": "Tel que publié / as published: 27,9 · 27.9 · 27,9 % · 4/25 (sièges / seats) · 1 234,5. "
        "Jamais 26,000 (ambigu / ambiguous): 26000",
        "published": "Date de publication du chiffre s'il diffère de celle de la source / "
        "the figure's own publication date, if not its source's (yyyy-mm-dd)",
        "note": "Portée, désaccord, millésime… / scope, disagreement, vintage…",
    },
    "milestone_events": {
        "date": "Date de l'événement / date of the event (yyyy-mm-dd)",
        "published": "Jour où un rapport antérieur à la source l'a fait connaître / "
        "the day an earlier report than its source made it known (yyyy-mm-dd)",
    },
    "sources": {
        "published": "Date de publication du document : ses chiffres sont connus à partir de ce jour / "
        "the document's publication date: its figures are known from that day (yyyy-mm-dd)",
        "url": "https://…",
    },
}

INSTRUCTIONS: tuple[tuple[str, str], ...] = (
    ("Modèle de saisie", "Data entry template"),
    ("", ""),
    (
        "Remplissez les feuilles observations, milestone_events et sources : une ligne par chiffre, "
        "par événement ou par source. Ne renommez ni les feuilles ni les colonnes de la première ligne.",
        "Fill in the sheets observations, milestone_events and sources: one row per figure, event or "
        "source. Do not rename the sheets, nor the columns of the first row.",
    ),
    (
        "Les listes déroulantes proposent les valeurs connues (feuille lists) ; le texte après « — » "
        "n'est qu'une étiquette, seul l'identifiant compte.",
        "Dropdowns offer the known values (sheet lists); the text after ' — ' is a label: only the id counts.",
    ),
    (
        "Chaque chiffre cite une source : une ligne de data/raw/sources*.csv ou de la feuille sources.",
        "Every figure cites a source: a row of data/raw/sources*.csv or of the sources sheet.",
    ),
    (
        "Périodes : 2021-03-25, 2021-03 ou 2021. Valeurs telles que publiées : 27,9 ou 27.9, 27,9 %, "
        "4/25, 1 234,5 ; jamais 26,000 (écrivez 26000).",
        "Periods: 2021-03-25, 2021-03 or 2021. Values as published: 27.9 or 27,9, 27.9 %, 4/25, 1 234.5; "
        "never 26,000 (write 26000).",
    ),
    (
        "Pas de cellules fusionnées. Une formule est lue par la valeur qu'Excel ou LibreOffice a "
        "enregistrée. Les lignes et feuilles masquées sont lues comme les autres.",
        "No merged cells. A formula is read as the value Excel or LibreOffice saved. Hidden rows and "
        "sheets are read like the others.",
    ),
    (
        "Enregistrez le fichier (.xlsx ou .ods) dans data/raw/ puis lancez « make report ». Une cellule "
        "refusée est nommée par son fichier, sa feuille, sa ligne et sa colonne, par exemple :",
        "Save the file (.xlsx or .ods) in data/raw/ and run 'make report'. A refused cell is named by "
        "its file, sheet, row and column, for example:",
    ),
    (
        "data/raw/saisie.xlsx, sheet 'observations', row 5, column 'value': value '1,006' breaks rule "
        "'ambiguous-separator': …",
        "data/raw/saisie.xlsx, sheet 'observations', row 5, column 'value': value '1,006' breaks rule "
        "'ambiguous-separator': …",
    ),
    ("Le format de chaque colonne : data/raw/README.md.", "Each column's format: data/raw/README.md."),
)


def write(roadmap_id: str, tables: dict[str, pl.DataFrame], raw_dir: Path, output: Path) -> Path:
    """Write `roadmap_id`'s template to `output` (an .xlsx); returns the path written."""
    import xlsxwriter

    roadmap = tables["roadmaps"].filter(pl.col("roadmap_id") == roadmap_id).row(0, named=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(
        str(output), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    # The roadmap's own date: the same file for the same data, whatever the clock says.
    book.set_properties(
        {
            "title": f"Modèle de saisie / data entry template: {roadmap['symbol']}",
            "created": dt.datetime.combine(roadmap["published"], dt.time()),
        }
    )
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "num_format": "@"})
    text = book.add_format({"num_format": "@"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    instructions = book.add_worksheet(spreadsheets.TEMPLATE_SHEETS[0])
    table_sheets = {t: book.add_worksheet(t) for t in ingest.FORMATS}
    lists = book.add_worksheet(spreadsheets.TEMPLATE_SHEETS[1])

    _instructions(instructions, roadmap, bold, wrap)
    dropdowns = choices(roadmap_id, tables, raw_dir)
    ranges = _lists(lists, [c for cs in dropdowns.values() for c in cs], bold)
    for table, sheet in table_sheets.items():
        header = columns(table)
        sheet.write_row(0, 0, header, bold)
        sheet.freeze_panes(1, 0)
        hints = HINTS[table]
        for col, name in enumerate(header):
            is_date = (table, name) in DATE_COLUMNS
            sheet.set_column(col, col, _width(name), day if is_date else text)
            if is_date:
                sheet.data_validation(
                    1,
                    col,
                    ROWS,
                    col,
                    {
                        "validate": "date",
                        "criteria": "between",
                        "minimum": dt.date(1900, 1, 1),
                        "maximum": dt.date(9999, 12, 31),
                        "input_title": name[:32],
                        "input_message": hints.get(name, "yyyy-mm-dd")[:255],
                        "error_title": "Date",
                        "error_message": "Une date / a date: 2021-03-25",
                    },
                )
            elif name in hints:
                sheet.data_validation(
                    1, col, ROWS, col, {"validate": "any", "input_title": name[:32], "input_message": hints[name][:255]}
                )
        for choice in dropdowns.get(table, []):
            col = header.index(choice.column)
            sheet.data_validation(
                1,
                col,
                ROWS,
                col,
                {
                    "validate": "list",
                    "source": ranges[choice.column],
                    "input_title": choice.title[:32],
                    "input_message": "Choisir dans la liste / choose from the list"
                    + (
                        " (ou une source ajoutée à la feuille sources / or one added to the sources sheet)"
                        if choice.strictness == "warning"
                        else ""
                    ),
                    "error_type": choice.strictness,
                    "error_title": choice.title[:32],
                    "error_message": f"Valeur hors liste (feuille lists) / not in the list (sheet lists): {choice.column}",
                },
            )
        sheet.ignore_errors({"number_stored_as_text": f"A2:{spreadsheets.column_letters(len(header) - 1)}{ROWS + 1}"})
    book.close()
    return output


def _instructions(sheet: Any, roadmap: dict[str, Any], bold: Any, wrap: Any) -> None:
    sheet.set_column(0, 1, 80, wrap)
    sheet.write_row(0, 0, ["Français", "English"], bold)
    sheet.write_row(
        1, 0, [f"{roadmap['title_fr']} ({roadmap['symbol']})", f"{roadmap['title_en']} ({roadmap['symbol']})"]
    )
    for row, (fr, en) in enumerate(INSTRUCTIONS, start=2):
        sheet.write_row(row, 0, [fr, en])
    sheet.activate()


def _lists(sheet: Any, dropdowns: Sequence[Choices], bold: Any) -> dict[str, str]:
    """Write each dropdown's entries in a column of the lists sheet (protected, so that a
    dropdown is not changed by a slip); returns each column's range, as data validation
    names it. Excel limits a list typed inline to 255 characters, a range to none."""
    ranges: dict[str, str] = {}
    col = 0
    for choice in dropdowns:
        if choice.column in ranges:
            continue
        sheet.write(0, col, choice.column, bold)
        sheet.write_column(1, col, choice.entries)
        sheet.set_column(col, col, min(60, max(12, *(len(e) for e in choice.entries))))
        letter = spreadsheets.column_letters(col)
        ranges[choice.column] = f"={spreadsheets.TEMPLATE_SHEETS[1]}!${letter}$2:${letter}${len(choice.entries) + 1}"
        col += 1
    sheet.protect()
    return ranges


def _width(column: str) -> int:
    return {
        "indicator_id": 40,
        "geo": 22,
        "source_id": 30,
        "milestone_id": 30,
        "note": 40,
        "title": 50,
        "url": 40,
        "description_fr": 40,
        "description_en": 40,
    }.get(column, max(12, len(column) + 2))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m pipelines template``."""
    parser.add_argument("--roadmap", default=None, help="roadmap ids, comma-separated (default: every roadmap)")
    parser.add_argument("--raw", type=Path, default=paths.RAW, help="folder of raw inputs (default: data/raw)")
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="the .xlsx to write (one roadmap), or a folder (default: reports/templates/, one <roadmap_id>.xlsx each)",
    )


def main(args: argparse.Namespace) -> int:
    """Write the templates asked for and print their paths."""
    tables = ingest.ingest(args.raw).tables
    known = sorted(tables["roadmaps"]["roadmap_id"].to_list())
    wanted = known if args.roadmap is None else [r.strip() for r in args.roadmap.split(",") if r.strip()]
    unknown = [r for r in wanted if r not in known]
    if unknown:
        raise UsageError(f"unknown roadmap {', '.join(unknown)}; known: {', '.join(known)}", step="template")
    output = args.output if args.output is not None else FOLDER
    single = output.suffix.lower() == ".xlsx"
    if single and len(wanted) != 1:
        raise UsageError(f"--output {output} names one file; pass one --roadmap (or a folder)", step="template")
    for roadmap_id in wanted:
        written = write(roadmap_id, tables, args.raw, output if single else output / f"{roadmap_id}.xlsx")
        print(
            f"[template] wrote {paths.display(written)} ({roadmap_id}): fill it, then save it in "
            f"{paths.display(args.raw)}/ and run make report"
        )
    return ExitCode.OK
