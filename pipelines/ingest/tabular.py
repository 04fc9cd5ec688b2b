"""Curated tables (observations, milestones, sources) as all-text polars frames that keep
each row's line number, checked against the columns their format declares.

Cells stay text here: typing happens in `pipelines.ingest.normalise`, which must see ``27,9`` or
``n/a`` as written to say what is wrong with it. A CSV and a spreadsheet's sheet
(`pipelines.ingest.spreadsheets`) go through the same header and row checks (`frame_from_rows`), so
both are refused with the same rules and messages.

A CSV may be separated by commas, semicolons or tabs: Excel saves "CSV" with a semicolon
wherever the decimal separator is a comma (French settings) and "Text (Tab delimited)" with
tabs, and never asks. The delimiter is detected from the header, never from the data, and a
header that matches none of them is refused naming the delimiter it was split at.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.core.errors import DataError, Problem
from pipelines.core.paths import display
from pipelines.ingest.rawio import RawText, pieces, read_csv_rows, read_text

#: The delimiters a curated CSV may use, by the name messages give them.
DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass(frozen=True)
class Table:
    """A curated CSV read as text, and the delimiter its header was split at."""

    frame: pl.DataFrame
    delimiter: str


def read_table(raw: RawText, required: Sequence[str], optional: Sequence[str] = ()) -> Table:
    """A curated CSV as text columns (required + optional, in that order) plus ``file``/``line``.

    An empty file, a missing required column, an unknown column, or a row with more or fewer
    fields than the header stops the read with an error that names the file and line (and,
    when the file is not plainly comma-separated, the delimiter it was split at).
    """
    first = _first_line(raw)
    delimiter = detect_delimiter(first, (*required, *optional))
    fast = _read_fast(raw, required, optional, delimiter)
    if fast is not None:
        return Table(fast, delimiter)
    rows = read_csv_rows(raw, delimiter)
    if not rows:
        raise DataError(Problem(raw.name, None, None, None, "empty-file", "the file has no header and no rows"))
    (header_at, header), body = rows[0], rows[1:]
    return Table(
        frame_from_rows(
            raw.name, header, body, required, optional, header_at=header_at, how=split_note(first, delimiter)
        ),
        delimiter,
    )


def detect_delimiter(header_line: str, columns: Sequence[str]) -> str:
    """The delimiter that splits `header_line` into the most of the format's `columns`; when
    none names any (a header in other words), the one the line holds most often; a comma on
    a tie."""
    known = set(columns)

    def score(delimiter: str) -> tuple[int, int]:
        try:
            fields = next(csv.reader([header_line], delimiter=delimiter), [])
        except csv.Error:  # a field past the csv module's limit: no column of ours
            fields = []
        return len(known & {f.strip().lstrip("\ufeff") for f in fields}), header_line.count(delimiter)

    return max(DELIMITERS, key=score)  # max keeps the first of equals: the comma


def split_note(header_line: str, delimiter: str) -> str:
    """How the header was split, for a message: empty for a plain comma-separated header, else
    e.g. "split at ';' (the header holds ';' 4 times, ',' none, tab none)"."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    if delimiter == "," and not any(n for d, n in counts.items() if d != ","):
        return ""

    def shown(d: str) -> str:
        return "tab" if d == "\t" else repr(d)

    seen = ", ".join(
        f"{shown(d)} {'none' if not n else f'{n} time' + ('s' if n > 1 else '')}"
        for d, n in sorted(counts.items(), key=lambda kv: kv[0] != delimiter)
    )
    return f"split at {shown(delimiter)}, as a {DELIMITERS[delimiter]}-separated file (the header holds {seen})"


def frame_from_rows(
    name: str,
    header: Sequence[str],
    rows: Sequence[tuple[int, Sequence[str]]],
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    header_at: int = 1,
    how: str = "",
) -> pl.DataFrame:
    """Check a header against a format and build the text frame of its rows (+ ``file``/``line``).

    `name` is what messages call the file (a sheet's is ``x.xlsx, sheet 'observations'``),
    `header_at` is the header's line (or row), `rows` are (line or row number, fields) pairs and
    `how` says how the header was split, added to the messages about it.
    """
    note = f"; {how}" if how else ""
    columns = [c.strip().lstrip("\ufeff") for c in header]
    missing = [c for c in required if c not in columns]
    if missing:
        raise DataError(
            Problem(
                name,
                header_at,
                missing[0],
                None,
                "required-column",
                f"the header lacks {', '.join(repr(m) for m in missing)}; it has {columns}{note}",
            )
        )
    known = set(required) | set(optional)
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise DataError(
            Problem(
                name,
                header_at,
                unknown[0],
                None,
                "unknown-column",
                f"column {unknown[0]!r} is not part of this format; expected {list(required) + list(optional)}{note}",
            )
        )
    duplicated = [c for c in columns if columns.count(c) > 1]
    if duplicated:
        raise DataError(
            Problem(
                name,
                header_at,
                duplicated[0],
                None,
                "unique-column",
                f"column {duplicated[0]!r} appears twice in the header",
            )
        )
    data: dict[str, list] = {c: [] for c in (*required, *optional)}
    lines: list[int] = []
    width = len(columns)
    for line, fields in rows:
        if len(fields) != width:
            raise DataError(
                Problem(
                    name,
                    line,
                    None,
                    None,
                    "row-width",
                    f"the row has {len(fields)} fields, the header has {width}{note}",
                )
            )
        record = dict(zip(columns, fields, strict=True))
        for c in data:
            data[c].append(record.get(c))
        lines.append(line)
    frame = pl.DataFrame({c: pl.Series(c, v, dtype=pl.String) for c, v in data.items()})
    return frame.with_columns(
        pl.lit(name, dtype=pl.String).alias("file"),
        pl.Series("line", lines, dtype=pl.Int64),
    )


def _first_line(raw: RawText) -> str:
    """The first line that holds anything (blank lines before a header are skipped, as
    `read_csv_rows` skips them). Read from the text's start, a longer start each time, never
    the whole file at once (a 256 MB file: 0.25 s to copy into a reader for its header)."""
    size = 1 << 16
    while True:
        head = raw.head(size)
        whole = len(head) == len(raw)
        for line in io.StringIO(head, newline=None):
            if not whole and not line.endswith("\n"):
                break  # the line runs past this start: read a longer one
            if line.strip():
                return line.rstrip("\r\n")
        if whole:
            return ""
        size *= 16


#: Files larger than this are read by polars' CSV reader when every record is one line.
FAST_PATH_BYTES = 4 * 1024 * 1024
#: Such a file is read in batches of rows of about this many bytes (`read_batches`).
BATCH_BYTES = 8 * 1024 * 1024


def _read_fast(raw: RawText, required: Sequence[str], optional: Sequence[str], delimiter: str) -> pl.DataFrame | None:
    """polars' reader for big files, when line numbers can be known exactly and every row is
    one the csv module would read (`_parsed`). Else None, and the csv module reads the file row
    by row. It reads the file's own bytes when they are UTF-8 (`RawText.utf8`), the text encoded
    otherwise."""
    if len(raw) < FAST_PATH_BYTES:
        return None
    data = raw.utf8 if raw.utf8 is not None else raw.text.encode("utf-8")
    header = data[: data.find(b"\n") + 1 or len(data)]
    columns = _fast_columns(header, delimiter, required, optional)
    if columns is None or _lone_cr(data):
        return None
    frame = _parsed(data, columns, delimiter)
    return None if frame is None else _shaped(frame, required, optional, raw.name, 2)


def _lone_cr(data: bytes) -> bool:
    """Whether `data` holds a carriage return outside a CRLF: a line break to the csv module,
    none to polars (a copy of `data` only where it holds a CR)."""
    return b"\r" in data and b"\r" in data.replace(b"\r\n", b"")


def _fast_columns(header: bytes, delimiter: str, required: Sequence[str], optional: Sequence[str]) -> list[str] | None:
    """The columns of a header line fit for polars' reader, or None: a header the format
    refuses, which the csv module's reading names precisely."""
    fields = next(csv.reader(io.StringIO(header.decode("utf-8")), delimiter=delimiter), [])
    columns = [c.strip().lstrip("\ufeff") for c in fields]
    known = set(required) | set(optional)
    if set(required) - set(columns) or set(columns) - known or len(set(columns)) != len(columns):
        return None
    return columns


def _parsed(data: bytes, columns: list[str], delimiter: str) -> pl.DataFrame | None:
    """The rows of `data` (a header line, then rows) as polars reads them, when they are the
    csv module's rows one for one: one record a line, so that line numbers are known exactly
    (the count of newlines equals the count of records; in UTF-8 no byte of a character
    written in several is a newline, so lines are counted on the bytes), and no row of nulls.
    Else None."""
    try:
        # one chunk a column: polars reads a 256 MB file in about a hundred, and every later
        # step of ingest paid for them (a column added beside them cost 0.4 s and 480 MB of
        # fresh memory). Joining a text column's chunks copies no text; at 10^7 rows ingest
        # took 21.7 s before, 16.6 s after, the same tables to the byte.
        frame = pl.read_csv(
            data, infer_schema=False, has_header=True, new_columns=columns, raise_if_empty=True, separator=delimiter
        ).rechunk()
    except pl.exceptions.PolarsError:  # a quoted field left open at the end of `data` among them
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines != frame.height + 1:
        return None
    # A blank line, like a row of empty cells, is a row of nulls to polars, which the csv module
    # skips: such a file is read its way (a look for the nulls, not a search of the file's
    # bytes for a blank line: 0.4 s per 256 MB).
    if frame.select(pl.all_horizontal(pl.all().is_null()).any()).item():
        return None
    return frame


def _shaped(
    frame: pl.DataFrame, required: Sequence[str], optional: Sequence[str], name: str, line: int
) -> pl.DataFrame:
    """Rows read by polars in the format's columns (text), with ``file`` and ``line`` (the first
    row's is `line`)."""
    frame = frame.with_columns(pl.col(c).cast(pl.String) for c in frame.columns)
    for c in (*required, *optional):
        if c not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(c))
    return frame.select(*required, *optional).with_columns(
        pl.lit(name, dtype=pl.String).alias("file"),
        (pl.int_range(frame.height, dtype=pl.Int64) + line).alias("line"),
    )


@dataclass(frozen=True)
class Batches:
    """A curated CSV read as text frames, one after the other (`read_batches`)."""

    frames: Iterator[pl.DataFrame]
    encoding: str
    delimiter: str


def read_batches(path: Path, required: Sequence[str], optional: Sequence[str] = ()) -> Batches:
    """A curated CSV as `read_table` reads it (the same rows, text, line numbers and refusals),
    in batches of rows: a big file (FAST_PATH_BYTES or more) in UTF-8 that polars reads one
    record a line is read BATCH_BYTES at a time, so that no more of it is held at once than a
    batch, whatever its size. Such a file is read twice: once to know it is one (its encoding,
    header, line ends, and polars' reading of each batch: a batch that `_parsed` refuses, even
    the last, sends the whole file to `read_table`, which then reads it as it always did),
    then for its rows."""
    plan = _stream_plan(path, required, optional)
    if plan is None:
        raw = read_text(path)
        table = read_table(raw, required, optional)
        return Batches(iter([table.frame]), raw.encoding, table.delimiter)
    return Batches(_streamed(path, plan, required, optional), plan.encoding, plan.delimiter)


@dataclass(frozen=True)
class _Plan:
    encoding: str
    delimiter: str
    header: bytes
    columns: list[str]


def _stream_plan(path: Path, required: Sequence[str], optional: Sequence[str]) -> _Plan | None:
    """How a file is read in batches, or None when `read_table` reads it whole: a small file,
    one not in UTF-8 (or with a NUL byte, or a byte-order mark before bytes that are not
    UTF-8: `read_text` says so), or one that is no set of one-line records polars reads as the
    csv module does. Reads the file once, holding a batch at a time."""
    if path.suffix.lower() not in (".gz", ".zip") and path.stat().st_size < FAST_PATH_BYTES:
        return None  # the common case: nothing to read twice
    plan: _Plan | None = None
    characters = 0
    for at, chunk in enumerate(_line_chunks(path)):
        bom = at == 0 and chunk.startswith(b"\xef\xbb\xbf")
        text = chunk[3:] if bom else chunk
        if at == 0 and b"\x00" in chunk[:4096]:
            return None
        if text.isascii():
            characters += len(text)
        else:
            try:
                characters += len(text.decode("utf-8"))
            except UnicodeDecodeError:
                return None
        if at == 0:
            header = text[: text.find(b"\n") + 1 or len(text)]
            first = header.decode("utf-8").rstrip("\r\n")
            delimiter = detect_delimiter(first, (*required, *optional))
            columns = _fast_columns(header, delimiter, required, optional) if first.strip() else None
            if columns is None:
                return None
            plan = _Plan("utf-8-sig" if bom else "utf-8", delimiter, header, columns)
        if (
            plan is None
            or _lone_cr(text)
            or _parsed(_with_header(chunk, at, plan), plan.columns, plan.delimiter) is None
        ):
            return None
    return plan if characters >= FAST_PATH_BYTES else None


def _with_header(chunk: bytes, at: int, plan: _Plan) -> bytes:
    """The `at`-th chunk of a file with the file's header line before it (the first holds it)."""
    if at == 0:
        return chunk[3:] if plan.encoding == "utf-8-sig" else chunk
    return plan.header + chunk


def _streamed(path: Path, plan: _Plan, required: Sequence[str], optional: Sequence[str]) -> Iterator[pl.DataFrame]:
    """The file's rows, a chunk at a time, numbered by line: one record a line, the header on
    line 1 (`_stream_plan` made sure)."""
    line = 2
    name = display(path)
    for at, chunk in enumerate(_line_chunks(path)):
        frame = _parsed(_with_header(chunk, at, plan), plan.columns, plan.delimiter)
        if frame is None:  # the file changed between the two readings
            raise DataError(Problem(name, line, None, None, "file-changed", "the file changed while it was read"))
        yield _shaped(frame, required, optional, name, line)
        line += frame.height


def _line_chunks(path: Path) -> Iterator[bytes]:
    """The file's bytes (decompressed: `rawio.pieces`) in chunks of about BATCH_BYTES, each
    ending at a newline (but the last): never a line cut in two."""
    buffer = bytearray()
    for piece in pieces(path):
        buffer += piece
        if len(buffer) >= BATCH_BYTES:
            cut = buffer.rfind(b"\n") + 1
            if cut:
                yield bytes(buffer[:cut])
                del buffer[:cut]
    if buffer:
        yield bytes(buffer)
