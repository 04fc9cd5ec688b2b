"""World Bank WDI bulk downloads (``API_<code>_DS2_en_csv_v2_<n>.csv``).

The file is kept exactly as downloaded: UTF-8 with a BOM, CRLF, a few preamble lines
(``"Data Source",…``, ``"Last Updated Date","2021-03-19",``) before the header, a trailing
comma on every line, and one column per year. The header is found by its content, not a
line number, because the preamble length has changed between World Bank releases. The
"Last Updated Date" is the vintage of every figure: the same indicator is revised from one
release to the next, so it goes into each row's note.
"""

from __future__ import annotations

from pipelines.core.errors import DataError, Problem
from pipelines.ingest.loaders.common import Countries, LoadResult, Rows, check_width, csv_rows, shown
from pipelines.ingest.loaders.declaration import Declaration
from pipelines.ingest.rawio import read_text

#: The four identifying columns that open every WDI header row.
ID_COLUMNS = ("Country Name", "Country Code", "Indicator Name", "Indicator Code")


def read_wdi(decl: Declaration) -> LoadResult:
    """Wide WDI rows to long observations: one row per (country, year) with a value."""
    raw = read_text(decl.file)
    rows = csv_rows(raw)
    at = next((i for i, (_, f) in enumerate(rows) if [c.strip() for c in f[:4]] == list(ID_COLUMNS)), None)
    if at is None:
        first = [",".join(f) for _, f in rows[:3]]
        raise DataError(
            Problem(
                raw.name,
                None,
                None,
                None,
                "wdi-header",
                f"no row starts with {', '.join(ID_COLUMNS)}: this is not a World Bank WDI "
                f"bulk CSV (API_<code>_DS2_…csv); its first lines are {first}",
            )
        )
    header_line, header = rows[at]
    preamble = {f[0].strip(): f[1].strip() for _, f in rows[:at] if len(f) > 1}
    vintage = preamble.get("Last Updated Date")
    source = preamble.get("Data Source") or "WDI"
    out = Rows(decl, raw, f"{source}, last updated {vintage}" if vintage else None)
    countries = Countries(decl, raw, "Country Code")
    years = [(i, h.strip()) for i, h in enumerate(header) if i >= len(ID_COLUMNS) and h.strip()]
    by_code = {s.column: [x for x in decl.series if x.column == s.column] for s in decl.series}
    codes: dict[str, None] = {}
    for line, fields in rows[at + 1 :]:
        check_width(raw, line, fields, header, header_line)
        name, code, _, indicator = (f.strip() for f in fields[:4])
        codes.setdefault(indicator, None)
        specs = by_code.get(indicator)
        if not specs or not countries.keep(code, name):
            continue
        for spec in specs:
            for i, year in years:
                out.add(spec, code or name, year, fields[i], line, year)
    absent = [c for c in by_code if c not in codes]
    if absent:
        raise DataError(
            Problem(
                raw.name,
                None,
                "Indicator Code",
                absent[0],
                "declared-column",
                f"{decl.name} declares the indicator {absent[0]!r}, which no row of the file has; "
                f"the file's indicator codes are: {shown(list(codes))}",
            )
        )
    return out.result(countries)
