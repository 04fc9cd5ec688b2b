"""HXL-tagged CSV from HDX / OCHA (``#country+name,#adm1+code,#inneed``).

HXL puts a row of hashtags under (or instead of) the plain header; the tags, not the plain
titles, say what a column is, and tools reorder attributes freely (``#affected+f+children``
= ``#affected+children+f``), so tags are compared as a base plus a set of attributes, in any
case. Figures are for the most specific place the row names (admin-1 code before names, before
the country). OCHA files often carry no date at all, so the declaration's ``period`` says
which year the figures are for; a ``#date`` column wins where there is one.
"""

from __future__ import annotations

from pipelines.core.errors import DataError, Problem
from pipelines.ingest.loaders.common import Countries, LoadResult, Rows, check_width, csv_rows, missing_column
from pipelines.ingest.loaders.declaration import Declaration
from pipelines.ingest.rawio import read_text

Tag = tuple[str, frozenset[str]]
#: Geo columns, most specific first: the first one present gives each row's geo.
GEO_TAGS = ("#adm1+code", "#adm1+name", "#country+code", "#country+name")
#: How far down the tag row may be (HXL allows title rows above it).
TAG_ROW_WITHIN = 25


def parse_tag(text: str) -> Tag | None:
    """``#Adm1 +Code`` -> ("#adm1", {"code"}); None for a cell that is not a hashtag."""
    parts = [p.strip().lower() for p in text.strip().split("+")]
    if not parts[0].startswith("#") or len(parts[0]) < 2:
        return None
    return parts[0], frozenset(p for p in parts[1:] if p)


def _is_tag_row(fields: list[str]) -> bool:
    cells = [f.strip() for f in fields if f.strip()]
    return bool(cells) and all(c.startswith("#") for c in cells)


def read_hxl(decl: Declaration) -> LoadResult:
    """One row per (place, declared tag) with a value; geo from the most specific geo column."""
    raw = read_text(decl.file)
    rows = csv_rows(raw)
    at = next((i for i, (_, f) in enumerate(rows[:TAG_ROW_WITHIN]) if _is_tag_row(f)), None)
    if at is None:
        raise DataError(
            Problem(
                raw.name,
                rows[0][0],
                None,
                ",".join(rows[0][1])[:80],
                "hxl-tags",
                "no HXL hashtag row (e.g. #country+name,#adm1+code,#inneed) in the first "
                f"{TAG_ROW_WITHIN} rows: this is not an HXL file; declare another format",
            )
        )
    tag_line, header = rows[at]
    tags = [parse_tag(h) for h in header]

    def find(tag: str) -> list[int]:
        return [i for i, t in enumerate(tags) if t is not None and t == parse_tag(tag)]

    present = [h.strip() for h, t in zip(header, tags, strict=True) if t is not None]
    columns = []
    for spec in decl.series:
        found = find(spec.column)
        if not found:
            raise missing_column(raw, tag_line, spec.column, present, decl, "HXL tag")
        if len(found) > 1:
            raise DataError(
                Problem(
                    raw.name,
                    tag_line,
                    spec.column,
                    None,
                    "hxl-tags",
                    f"{len(found)} columns carry the tag {spec.column!r}: add an attribute "
                    f"to the declaration to say which one ({present})",
                )
            )
        columns.append((spec, found[0]))
    geo = next((find(t)[0] for t in GEO_TAGS if find(t)), None)
    if geo is None:
        raise DataError(
            Problem(
                raw.name,
                tag_line,
                None,
                None,
                "hxl-geo",
                f"no place column: the file needs one of {', '.join(GEO_TAGS)}; it has {present}",
            )
        )
    starts, ends = find("#date") or find("#date+start"), find("#date+end")
    start = starts[0] if starts else None
    end = ends[0] if ends and start is not None and not find("#date") else None
    if start is None and decl.period is None:
        raise DataError(
            Problem(
                decl.name,
                None,
                "period",
                None,
                "required-key",
                f"{raw.name} has no #date column, so the declaration must say which period "
                "its figures are for, e.g. 'period: 2018'",
            )
        )
    code, name = (find(t) for t in ("#country+code", "#country+name"))
    if decl.countries is not None and not (code or name):
        raise DataError(
            Problem(
                raw.name,
                tag_line,
                "#country",
                None,
                "countries-column",
                f"{decl.name} asks for countries but the file has no #country+code or "
                "#country+name column to choose rows by: remove 'countries'",
            )
        )
    out = Rows(decl, raw)
    countries = Countries(decl, raw, header[(code or name)[0]].strip() if code or name else "#country")
    for line, fields in rows[at + 1 :]:
        check_width(raw, line, fields, header, tag_line)
        if not countries.keep(*(fields[i[0]] for i in (code, name) if i)):
            continue
        period = fields[start].strip() if start is not None else ""
        period_end = fields[end].strip() if end is not None else None
        for spec, i in columns:
            out.add(spec, fields[geo].strip(), period, fields[i], line, header[i].strip(), period_end)
    return out.result(countries)
