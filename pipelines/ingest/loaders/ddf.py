"""open-numbers / Gapminder DDF datapoints (``ddf--datapoints--<indicator>--by--economy--year.csv``).

Already long: ``economy,year,<indicator>`` with the economy as lower-case ISO3 (``mli``) and
missing years simply absent. The WDI mirror is the easiest way to get a newer WDI vintage
than an old bulk download, so both can sit side by side under different source ids.
Other DDF datasets name their keys ``geo``/``country`` and ``time``; those are read too.
"""

from __future__ import annotations

from pipelines.core.errors import DataError, Problem
from pipelines.ingest.loaders.common import Countries, LoadResult, Rows, check_width, csv_rows, missing_column
from pipelines.ingest.loaders.declaration import Declaration
from pipelines.ingest.rawio import read_text

GEO_KEYS = ("economy", "geo", "country")
TIME_KEYS = ("year", "time")


def read_ddf(decl: Declaration) -> LoadResult:
    """One row per (economy, year, declared indicator) with a value; geo as written (``mli``)."""
    raw = read_text(decl.file)
    rows = csv_rows(raw)
    (header_line, header), body = rows[0], rows[1:]
    names = [h.strip() for h in header]
    geo = next((names.index(k) for k in GEO_KEYS if k in names), None)
    time = next((names.index(k) for k in TIME_KEYS if k in names), None)
    if geo is None or time is None:
        absent = "/".join(GEO_KEYS) if geo is None else "/".join(TIME_KEYS)
        raise DataError(
            Problem(
                raw.name,
                header_line,
                absent,
                None,
                "ddf-header",
                f"a DDF datapoints file has a key column {absent} (e.g. economy,year,<indicator>); "
                f"this header is {names}",
            )
        )
    columns = []
    for spec in decl.series:
        if spec.column not in names:
            raise missing_column(
                raw,
                header_line,
                spec.column,
                [n for i, n in enumerate(names) if i not in (geo, time)],
                decl,
                "indicator column",
            )
        columns.append((spec, names.index(spec.column)))
    out = Rows(decl, raw)
    countries = Countries(decl, raw, names[geo])
    for line, fields in body:
        check_width(raw, line, fields, header, header_line)
        economy = fields[geo].strip()
        if not countries.keep(economy):
            continue
        for spec, i in columns:
            out.add(spec, economy, fields[time].strip(), fields[i], line, spec.column)
    return out.result(countries)
