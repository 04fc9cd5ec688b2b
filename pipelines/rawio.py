"""Reading raw text files as analysts download them: any of UTF-8 (with or without BOM),
Windows-1252 or Latin-1, with LF or CRLF line ends.

The encoding is detected, never assumed, and reported back so the ingest log can say
"read as latin-1": a silent mojibake of "Ménaka" into "MÃ©naka" would turn a known region
into an unknown one several steps later, far from the cause.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from pipelines.errors import DataError, Problem
from pipelines.paths import display

#: Refuse files larger than this before reading them (bytes). Raw inputs are small tables;
#: a multi-gigabyte file in data/raw is a mistake, not data.
MAX_FILE_BYTES = 512 * 1024 * 1024
#: Refuse rows wider than this many fields (a CSV with a million columns).
MAX_FIELDS = 10_000


@dataclass(frozen=True)
class RawText:
    """A decoded text file and how it was decoded."""

    path: Path
    text: str
    encoding: str

    @property
    def name(self) -> str:
        return display(self.path)


def read_text(path: Path) -> RawText:
    """Decode a raw file, trying UTF-8 (BOM or not) first, then Windows-1252, then Latin-1."""
    name = display(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DataError(
            Problem(name, None, None, f"{size} bytes", "file-size",
                    f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB; split it or filter it first")
        )
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise DataError(
            Problem(name, None, None, None, "encoding",
                    "the file holds NUL bytes: it is binary (or UTF-16), not a UTF-8/Latin-1 text file")
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return RawText(path, _decode(data[3:], "utf-8", name), "utf-8-sig")
    try:
        return RawText(path, data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return RawText(path, data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        return RawText(path, data.decode("latin-1"), "latin-1")


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            Problem(name, line, None, repr(data[exc.start : exc.end]), "encoding",
                    "the file starts with a UTF-8 byte-order mark but holds bytes that are not UTF-8")
        ) from exc


def read_csv_rows(raw: RawText) -> list[tuple[int, list[str]]]:
    """Split a decoded CSV into (1-based line number, fields) pairs, skipping blank lines.

    Line numbers are those a text editor shows, also for quoted fields spanning lines.
    """
    reader = csv.reader(io.StringIO(raw.text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for fields in reader:
            if len(fields) > MAX_FIELDS:
                raise DataError(
                    Problem(raw.name, line, None, f"{len(fields)} fields", "row-width",
                            f"a row has more than {MAX_FIELDS} fields")
                )
            if any(f.strip() for f in fields):
                rows.append((line, fields))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(Problem(raw.name, reader.line_num, None, None, "csv-syntax", str(exc))) from exc
    return rows
