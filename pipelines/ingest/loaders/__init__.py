"""Readers for files downloaded as-is from the World Bank, Our World in Data and HDX.

An analyst saves the download untouched in ``data/raw/extracts/`` with a small YAML
declaration beside it (data/raw/README.md). Keeping the file byte-for-byte means its sha256
proves which release a figure came from; the declaration carries everything the file cannot
say (which indicator a column is, its unit, the source to cite). ``load_extract`` reads both
and hands normalisation the same all-text rows as a curated CSV, with file, line and column
kept so a refused value can be traced back to its cell.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipelines.ingest.loaders.common import FRAME_SCHEMA, LoadResult
from pipelines.ingest.loaders.ddf import read_ddf
from pipelines.ingest.loaders.declaration import Declaration, SeriesSpec, read_declaration
from pipelines.ingest.loaders.hxl import read_hxl
from pipelines.ingest.loaders.owid import read_owid
from pipelines.ingest.loaders.wdi import read_wdi

READERS: dict[str, Callable[[Declaration], LoadResult]] = {
    "wdi": read_wdi,
    "owid": read_owid,
    "ddf": read_ddf,
    "hxl": read_hxl,
}

__all__ = [
    "FRAME_SCHEMA",
    "READERS",
    "Declaration",
    "LoadResult",
    "SeriesSpec",
    "load_extract",
    "read_ddf",
    "read_declaration",
    "read_hxl",
    "read_owid",
    "read_wdi",
]


def load_extract(declaration_path: Path) -> LoadResult:
    """Read a declaration and the data file it names; DataError on anything wrong with either."""
    decl = read_declaration(declaration_path)
    return READERS[decl.format](decl)
