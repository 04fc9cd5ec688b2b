"""Our World in Data CSV downloads, in both layouts OWID has published.

Grapher chart downloads have ``Entity,Code,Year,<values…>`` (Code = ISO3, empty for regions
such as "Africa"); the older owid-datasets repository has ``Entity,Year,<values…>`` with
country names only. Value column names are long titles that may hold quoted commas
(``"Population, total"``), so columns are matched by their exact parsed name. Years stay as
written: OWID extends series back to -10000, and only normalisation decides what a year means.
"""

from __future__ import annotations

from pipelines.core.errors import DataError, Problem
from pipelines.ingest.loaders.common import Countries, LoadResult, Rows, check_width, csv_rows, missing_column
from pipelines.ingest.loaders.declaration import Declaration
from pipelines.ingest.rawio import read_text

#: Columns that identify a row rather than hold a figure. "Day" replaces "Year" in daily series.
KEY_COLUMNS = ("Entity", "Code", "Year", "Day")


def read_owid(decl: Declaration) -> LoadResult:
    """One row per (entity, year, declared column) with a value; geo = Code, else Entity."""
    raw = read_text(decl.file)
    rows = csv_rows(raw)
    (header_line, header), body = rows[0], rows[1:]
    names = [h.strip() for h in header]
    period = "Year" if "Year" in names else "Day"
    for needed in ("Entity", period):
        if needed not in names:
            raise DataError(
                Problem(
                    raw.name,
                    header_line,
                    needed,
                    None,
                    "owid-header",
                    f"an Our World in Data CSV starts with Entity,[Code,]Year; this header is {names}",
                )
            )
    entity, year = names.index("Entity"), names.index(period)
    code = names.index("Code") if "Code" in names else None
    columns = []
    for spec in decl.series:
        if spec.column not in names:
            raise missing_column(raw, header_line, spec.column, [n for n in names if n not in KEY_COLUMNS], decl)
        columns.append((spec, names.index(spec.column)))
    out = Rows(decl, raw)
    countries = Countries(decl, raw, "Code" if code is not None else "Entity")
    for line, fields in body:
        check_width(raw, line, fields, header, header_line)
        iso = fields[code].strip() if code is not None else ""
        name = fields[entity].strip()
        if not countries.keep(iso, name):
            continue
        for spec, i in columns:
            out.add(spec, iso or name, fields[year].strip(), fields[i], line, spec.column)
    return out.result(countries)
