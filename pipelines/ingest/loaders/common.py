"""What the four extract readers share: the result they hand to normalisation, the row
accumulator that builds it, the country filter and the errors for a broken file.

Every reader produces the same all-text frame (RAW_OBSERVATION_COLUMNS + PROVENANCE_COLUMNS)
as the curated CSV reader, so normalisation treats a WDI cell and a hand-typed cell alike and
can quarantine ``27,9`` or ``n/a`` with the file, line and column it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import polars as pl
import pycountry

from pipelines.core.errors import DataError, Problem
from pipelines.core.schema import PROVENANCE_COLUMNS, RAW_OBSERVATION_COLUMNS
from pipelines.ingest.loaders.declaration import Declaration, SeriesSpec
from pipelines.ingest.rawio import RawText, read_csv_rows

#: Column dtypes of LoadResult.frame: all text (as written) except the line number.
FRAME_SCHEMA: dict[str, pl.DataType] = {
    c: (pl.Int64() if c == "line" else pl.String()) for c in (*RAW_OBSERVATION_COLUMNS, *PROVENANCE_COLUMNS)
}
#: How many distinct values an error message lists before "…".
SHOWN = 8


@dataclass(frozen=True)
class LoadResult:
    """Observation rows read from one extract, and what was left out and why.

    `skipped_missing` counts empty cells (no figure published: never a row, never estimated);
    `skipped_rows` counts rows of countries the declaration did not ask for; `encoding` is
    how the data file was decoded, for the ingest log.
    """

    frame: pl.DataFrame
    skipped_missing: int
    skipped_rows: int
    encoding: str


def csv_rows(raw: RawText) -> list[tuple[int, list[str]]]:
    """The file's non-blank rows with their line numbers; an empty file is an error."""
    rows = read_csv_rows(raw)
    if not rows:
        raise DataError(
            Problem(
                raw.name,
                None,
                None,
                None,
                "empty-file",
                "the file is empty: no header row and no data (was the download cut short?)",
            )
        )
    return rows


def check_width(raw: RawText, line: int, fields: Sequence[str], header: Sequence[str], header_line: int) -> None:
    """Refuse a row with more or fewer fields than the header: its values would shift columns."""
    if len(fields) != len(header):
        raise DataError(
            Problem(
                raw.name,
                line,
                None,
                f"{len(fields)} fields",
                "row-width",
                f"the row has {len(fields)} fields but the header (line {header_line}) has "
                f"{len(header)}: a comma is missing, extra, or inside an unquoted value",
            )
        )
    for name, cell in zip(header, fields, strict=True):
        if not name.strip() and cell.strip():
            raise DataError(
                Problem(
                    raw.name,
                    line,
                    None,
                    cell,
                    "row-width",
                    "a value sits in a column whose header is empty: the row is shifted",
                )
            )


def missing_column(
    raw: RawText, line: int | None, column: str, available: Iterable[str], decl: Declaration, what: str = "column"
) -> DataError:
    """The error for a declared series that the file does not have, listing what it has."""
    have = ", ".join(repr(a) for a in available) or "none"
    return DataError(
        Problem(
            raw.name,
            line,
            column,
            None,
            "declared-column",
            f"{decl.name} declares the {what} {column!r}, which the file does not have; the file has: {have}",
        )
    )


def shown(values: Sequence[str]) -> str:
    """The first few values of a list, for an error message."""
    if not values:
        return "no data rows"
    head = ", ".join(repr(v) for v in values[:SHOWN])
    return head + (f", … ({len(values)} in all)" if len(values) > SHOWN else "")


@cache
def _aliases(entry: str) -> frozenset[str]:
    """Every spelling of a requested country: 'MLI' also matches 'ML', 'mli' and 'Mali'.

    Lookup is exact (codes or full names, any case), never fuzzy: 'Niger' never matches Nigeria.
    """
    names = {entry.casefold()}
    try:
        country = pycountry.countries.lookup(entry)
    except LookupError:
        return frozenset(names)
    for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
        value = getattr(country, attr, None)
        if value:
            names.add(value.casefold())
    return frozenset(names)


class Countries:
    """The declaration's `countries` filter: keeps matching rows, counts the others, and
    refuses an entry that matches nothing (a typo would otherwise drop a country silently)."""

    def __init__(self, decl: Declaration, raw: RawText, column: str) -> None:
        self.decl, self.raw, self.column = decl, raw, column
        self.matched: set[str] = set()
        self.seen: dict[str, None] = {}
        self.skipped = 0

    def keep(self, *identifiers: str) -> bool:
        """Whether a row whose country is written as `identifiers` (code, name) is kept."""
        if self.decl.countries is None:
            return True
        present = [i.strip() for i in identifiers if i and i.strip()]
        if present:
            self.seen.setdefault(present[0], None)
        folded = {i.casefold() for i in present}
        hits = [e for e in self.decl.countries if _aliases(e) & folded]
        if hits:
            self.matched.update(hits)
            return True
        self.skipped += 1
        return False

    def check(self) -> None:
        """Raise for the first requested country that matched no row."""
        for entry in self.decl.countries or ():
            if entry not in self.matched:
                raise DataError(
                    Problem(
                        self.raw.name,
                        None,
                        self.column,
                        entry,
                        "countries-found",
                        f"{self.decl.name} asks for country {entry!r}, which matches no row; "
                        f"the file has: {shown(list(self.seen))}",
                    )
                )


class Rows:
    """Accumulates observation rows of one extract, then builds the LoadResult frame."""

    def __init__(self, decl: Declaration, raw: RawText, vintage: str | None = None) -> None:
        self.decl, self.raw, self.vintage = decl, raw, vintage
        self.data: dict[str, list[object]] = {c: [] for c in FRAME_SCHEMA}
        self.skipped_missing = 0

    def add(
        self, spec: SeriesSpec, geo: str, period: str, value: str, line: int, column: str, period_end: str | None = None
    ) -> None:
        """One cell: a row if it holds anything, else counted as missing."""
        if not value.strip():
            self.skipped_missing += 1
            return
        notes = [n for n in (spec.note, self.vintage) if n]
        row = {
            "indicator_id": spec.indicator_id,
            "geo": geo,
            "period_start": period if period.strip() or not self.decl.period else self.decl.period,
            "period_end": period_end or None,
            "value": value,
            "unit": spec.unit,
            "source_id": self.decl.source_id,
            "confidence": self.decl.confidence,
            "note": "; ".join(notes) or None,
            "published": None,  # an extract's figures are known from their source's release date
            "dated": None,  # an extract's periods are the source's own
            "file": self.raw.name,
            "line": line,
            "column": column,
        }
        for key, cell in row.items():
            self.data[key].append(cell)

    def result(self, countries: Countries) -> LoadResult:
        """The frame, after checking that every requested country was found."""
        countries.check()
        frame = pl.DataFrame(self.data, schema=FRAME_SCHEMA)
        return LoadResult(frame, self.skipped_missing, countries.skipped, self.raw.encoding)
