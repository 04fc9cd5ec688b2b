"""Reading raw text files as analysts download them: any of UTF-8 (with or without BOM),
Windows-1252 or Latin-1, with LF or CRLF line ends.

The encoding is detected, never assumed, and reported back so the ingest log can say
"read as latin-1": a silent mojibake of "Ménaka" into "MÃ©naka" would turn a known region
into an unknown one several steps later, far from the cause.

Files named ``*.gz`` or ``*.zip`` are decompressed as they are read, so a download can be kept
exactly as it came (its checksum is then that of the download). Decompression streams in
chunks and stops at MAX_FILE_BYTES: a few hundred kilobytes of gzip can inflate to gigabytes,
so neither the file size nor a zip header's declared size is trusted to bound memory.
"""

from __future__ import annotations

import csv
import io
import stat
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from pipelines.core.errors import DataError, Problem
from pipelines.core.paths import display

#: Refuse files larger than this before reading them (bytes). Raw inputs are small tables;
#: a multi-gigabyte file in data/raw is a mistake, not data.
MAX_FILE_BYTES = 512 * 1024 * 1024
#: Decompress in pieces of at most this many bytes, so memory stays near MAX_FILE_BYTES.
CHUNK = 256 * 1024
#: zlib window bits for a gzip wrapper (header and CRC/length trailer checked by zlib).
_GZIP_WBITS = 16 + zlib.MAX_WBITS
#: Refuse rows wider than this many fields (a CSV with a million columns).
MAX_FIELDS = 10_000


class RawText:
    """A decoded text file and how it was decoded; `utf8`: its text as UTF-8 bytes, when those
    are the file's own (plain UTF-8), for the readers that take bytes (polars' CSV reader).

    A file of plain ASCII (most big downloads) is valid UTF-8 as it is: its `text` is decoded
    only when something asks for all of it (`head` reads its start without), so the fast CSV
    reader (`pipelines.ingest.tabular`) reads a 256 MB file's bytes without a string of the
    same size beside them, decoded and encoded back (1.6 s of ingest at 10^7 rows)."""

    def __init__(self, path: Path, text: str | None, encoding: str, utf8: bytes | None = None) -> None:
        if text is None and (utf8 is None or not utf8.isascii()):
            raise ValueError("a text is left to decode only from ASCII bytes")
        self.path, self.encoding, self.utf8 = path, encoding, utf8
        self._text = text

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.utf8.decode("ascii")  # type: ignore[union-attr]  # checked at creation
        return self._text

    def head(self, size: int) -> str:
        """The text's first `size` characters (all of it when shorter)."""
        return self._text[:size] if self._text is not None else self.utf8[:size].decode("ascii")  # type: ignore[index]

    def __len__(self) -> int:
        """The text's length in characters."""
        return len(self._text) if self._text is not None else len(self.utf8 or b"")

    @property
    def name(self) -> str:
        return display(self.path)


def refuse_link_out(path: Path, raw: Path) -> None:
    """Refuse a file under `raw` that a symbolic link (its own or a folder's) sends outside it.
    Inputs are the files checked in with the project: a link out would publish whatever it
    reaches (a system file, another project's data) and record its absolute path, so the link
    is named as the user sees it and nothing of its target is read or printed."""
    if not path.resolve().is_relative_to(raw.resolve()):
        raise DataError(
            Problem(
                display(path),
                None,
                None,
                None,
                "link-outside",
                f"a symbolic link out of {display(raw)}/ is not read: copy the file into {display(raw)}/ instead",
            )
        )


def read_text(path: Path) -> RawText:
    """Decode a raw file, trying UTF-8 (BOM or not) first, then Windows-1252, then Latin-1.

    A ``.gz`` or ``.zip`` file is decompressed first (at most MAX_FILE_BYTES of it); the
    result keeps the compressed file's path, the one a user can find and fix.
    """
    name = display(path)
    if path.suffix.lower() in (".gz", ".zip"):
        data: bytes | bytearray = bytearray()
        for piece in pieces(path):
            data += piece
    else:
        data = _plain(path).read_bytes()
    if b"\x00" in data[:4096]:
        raise DataError(
            Problem(
                name,
                None,
                None,
                None,
                "encoding",
                "the file holds NUL bytes: it is binary (or UTF-16), not a UTF-8/Latin-1 text file",
            )
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return RawText(path, _decode(data[3:], "utf-8", name), "utf-8-sig")
    if data.isascii():
        return RawText(path, None, "utf-8", bytes(data))
    try:
        return RawText(path, data.decode("utf-8"), "utf-8", bytes(data))
    except UnicodeDecodeError:
        pass
    try:
        return RawText(path, data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        return RawText(path, data.decode("latin-1"), "latin-1")


def _plain(path: Path) -> Path:
    """`path`, refused before it is read when it is larger than MAX_FILE_BYTES."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DataError(
            Problem(
                display(path),
                None,
                None,
                f"{size} bytes",
                "file-size",
                f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB; split it or filter it first",
            )
        )
    return path


def pieces(path: Path) -> Iterator[bytes]:
    """The file's bytes in pieces of at most CHUNK bytes, decompressed when its extension says
    gzip or zip, never more than MAX_FILE_BYTES in all: what a reader that streams a file reads
    (`read_text` joins them)."""
    name = display(path)
    suffix = path.suffix.lower()
    if suffix == ".gz":
        inflated = _gunzip(_plain(path), name)
    elif suffix == ".zip":
        inflated = _unzip(_plain(path), name)
    else:
        with _plain(path).open("rb") as file:
            while piece := file.read(CHUNK):
                yield piece
        return
    total = 0
    for piece in inflated:
        total += len(piece)
        if total > MAX_FILE_BYTES:
            raise _too_large(name, f"more than {MAX_FILE_BYTES} bytes")
        yield piece


def _gunzip(path: Path, name: str) -> Iterator[bytes]:
    """Inflate a gzip file of one or more members (as ``cat a.gz b.gz`` or ``gzip`` write it).

    zlib's own ``max_length`` bounds each piece of output, since one compressed chunk of zeros
    can expand a thousandfold; zero padding between or after members is skipped, as ``gzip``
    does.
    """
    inflater = zlib.decompressobj(_GZIP_WBITS)
    pending = b""
    at_end = False
    try:
        with path.open("rb") as file:
            while True:
                if not pending and not at_end:
                    pending = file.read(CHUNK)
                    at_end = not pending
                if inflater.eof:  # a member ended: what follows is another member or padding
                    pending = pending.lstrip(b"\x00")
                    if not pending:
                        if at_end:
                            return
                        continue
                    inflater = zlib.decompressobj(_GZIP_WBITS)
                piece = inflater.decompress(pending, CHUNK)
                pending = inflater.unconsumed_tail or inflater.unused_data
                if piece:
                    yield piece
                elif at_end and not pending and not inflater.eof:
                    raise _corrupt(name, "the gzip data ends early (the file is truncated or not fully downloaded)")
    except zlib.error as exc:
        raise _corrupt(name, f"this is not valid gzip data ({exc})") from exc


def _unzip(path: Path, name: str) -> Iterator[bytes]:
    """Inflate the one file of a zip archive.

    An archive of several files is refused rather than guessed at. The declared size is
    checked up front (a cheap refusal of an honest bomb) but not relied on: the data itself
    is counted as it inflates (`pieces`). (``zipfile`` also stops at the declared size, and a
    member that lies about it then fails its CRC check.)
    """
    _check_member_count(path, name)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            files = [m for m in members if not m.is_dir() and not stat.S_ISLNK(m.external_attr >> 16)]
            listing = ", ".join(m.filename for m in members[:10]) or "nothing"
            if len(members) > 10:
                listing += f", … ({len(members)} in all)"
            if len(files) != 1:
                raise _corrupt(name, f"a .zip must hold exactly one file, this one holds {len(files)}: {listing}")
            [member] = files
            if member.flag_bits & 0x1:
                raise _corrupt(name, f"the archive is encrypted (password-protected): {listing}")
            if member.file_size > MAX_FILE_BYTES:
                raise _too_large(name, f"{member.file_size} bytes declared")
            with archive.open(member) as stream:
                while piece := stream.read(CHUNK):
                    yield piece
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise _corrupt(name, f"this is not a readable zip archive ({exc})") from exc


#: A raw .zip holds one file; an archive listing more entries than this is refused before
#: `zipfile` reads its whole directory (millions of tiny entries take gigabytes to list).
MAX_ZIP_ENTRIES = 1_000


def _check_member_count(path: Path, name: str) -> None:
    """Read the entry count from the zip's end record (and its zip64 form) and refuse an
    archive with more than MAX_ZIP_ENTRIES; an unreadable end record is left to `zipfile`."""
    with path.open("rb") as file:
        file.seek(0, 2)
        size = file.tell()
        file.seek(max(0, size - 65_557))  # the end record (22 bytes) plus the longest comment
        tail = file.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return
    count = int.from_bytes(tail[at + 10 : at + 12], "little")
    zip64 = tail.rfind(b"PK\x06\x06", 0, at)
    if count == 0xFFFF and zip64 >= 0 and zip64 + 40 <= len(tail):
        count = int.from_bytes(tail[zip64 + 32 : zip64 + 40], "little")
    if count > MAX_ZIP_ENTRIES:
        raise _corrupt(name, f"a .zip must hold exactly one file, this one lists {count} entries")


def _too_large(name: str, value: str) -> DataError:
    return DataError(
        Problem(
            name,
            None,
            None,
            value,
            "decompressed-size",
            f"the file inflates to more than {MAX_FILE_BYTES // 2**20} MiB (a decompression bomb or a file "
            "too large to read; split or filter it first)",
        )
    )


def _corrupt(name: str, reason: str) -> DataError:
    return DataError(Problem(name, None, None, None, "compressed-file", reason))


def _decode(data: bytes | bytearray, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            Problem(
                name,
                line,
                None,
                repr(data[exc.start : exc.end]),
                "encoding",
                "the file starts with a UTF-8 byte-order mark but holds bytes that are not UTF-8",
            )
        ) from exc


def read_csv_rows(raw: RawText, delimiter: str = ",") -> list[tuple[int, list[str]]]:
    """Split a decoded CSV into (1-based line number, fields) pairs, skipping blank lines.

    Line numbers are those a text editor shows, also for quoted fields spanning lines.
    `delimiter` is ``,`` unless the caller detected another (`pipelines.ingest.tabular`).
    """
    reader = csv.reader(io.StringIO(raw.text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for fields in reader:
            if len(fields) > MAX_FIELDS:
                raise DataError(
                    Problem(
                        raw.name,
                        line,
                        None,
                        f"{len(fields)} fields",
                        "row-width",
                        f"a row has more than {MAX_FIELDS} fields",
                    )
                )
            if any(f.strip() for f in fields):
                rows.append((line, fields))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(Problem(raw.name, reader.line_num, None, None, "csv-syntax", str(exc))) from exc
    return rows
