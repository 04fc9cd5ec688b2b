"""Compressed raw inputs: a .csv.gz or a one-file .csv.zip reads like the plain CSV, and a
decompression bomb or a broken archive is refused with a clear message, in bounded memory."""

from __future__ import annotations

import gzip
import io
import struct
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.core.errors import DataError
from pipelines.ingest import rawio
from pipelines.ingest import step as ingest
from tests.ingest.test_step import HEADER, MILESTONES, SOURCES, make_raw

ROWS = (
    HEADER + 'women_share,Ménaka,2020,,"27,9 %",,s1,primary,\n'
    "integrated,ML,2019-09-08,,1 006,,s1,secondary,first cohort\n"
)
MiB = 2**20


def gzip_bomb(path: Path, mib: int) -> Path:
    """`mib` MiB of zeros, gzipped by streaming (never held whole): ~1 KiB on disk per MiB."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MiB)
    with path.open("wb") as out:
        for _ in range(mib):
            out.write(packer.compress(zeros))
        out.write(packer.flush())
    return path


def zipped(name: str, data: bytes, **more: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
        for other, content in more.items():
            archive.writestr(other, content)
    return buf.getvalue()


def refusal(raw_or_file: Path) -> DataError:
    """The DataError ingest (for a raw folder) or read_text (for a file) raises: no other type."""
    with pytest.raises(DataError) as err:
        if raw_or_file.is_dir():
            ingest.ingest(raw_or_file)
        else:
            rawio.read_text(raw_or_file)
    return err.value


def rows(result: ingest.Result) -> list[dict]:
    return result.tables["observations"].drop("file").sort("indicator_id").to_dicts()


@pytest.mark.parametrize(
    ("name", "pack"),
    [
        ("obs.csv.gz", gzip.compress),
        ("obs.csv.zip", lambda data: zipped("obs.csv", data)),
    ],
)
def test_a_compressed_csv_ingests_to_the_rows_of_the_plain_one(
    tmp_path: Path, name: str, pack: Callable[[bytes], bytes]
) -> None:
    plain = ingest.ingest(make_raw(tmp_path / "plain", ROWS))
    packed = ingest.ingest(make_raw(tmp_path / "packed", pack(ROWS.encode()), name))
    assert packed.quarantine.is_empty()
    assert rows(packed) == rows(plain)
    assert {f.rsplit("/", 2)[-2:] == ["observations", name] for f in packed.tables["observations"]["file"]} == {True}
    assert [k.rsplit("/", 1)[-1] for k in packed.encodings if "observations" in k] == [name]
    assert any(k.endswith(f"observations/{name}") for k in packed.checksums)


@pytest.mark.parametrize(
    ("name", "pack"),
    [
        ("obs.csv.gz", gzip.compress),
        ("obs.csv.zip", lambda data: zipped("inner/obs.csv", data)),
    ],
)
def test_a_bad_row_in_a_compressed_file_is_quarantined_at_its_line(
    tmp_path: Path, name: str, pack: Callable[[bytes], bytes]
) -> None:
    body = HEADER + "women_share,ML,2019,,9.5,,s1,primary,\nwomen_share,Atlantis,2020,,27,,s1,primary,\n"
    raw = make_raw(tmp_path, pack(body.encode()), name)
    [problem] = ingest.ingest(raw).quarantine.to_dicts()
    assert problem["file"].endswith(f"observations/{name}")
    assert (problem["line"], problem["column"], problem["rule"]) == (3, "geo", "known-region")


def test_read_text_accepts_extensions_in_any_case_and_concatenated_gzip_members(tmp_path: Path) -> None:
    path = tmp_path / "two.CSV.GZ"
    path.write_bytes(gzip.compress(HEADER.encode()) + gzip.compress("é,1\n".encode("latin-1")) + b"\0" * 8)
    raw = rawio.read_text(path)
    assert raw.text == HEADER + "é,1\n" and raw.encoding == "cp1252" and raw.path == path


def test_milestones_and_sources_may_be_compressed_and_nothing_else_is_picked_up(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, gzip.compress(ROWS.encode()), "obs.csv.gz")
    (raw / "milestones.csv").unlink()
    (raw / "sources.csv").unlink()
    (raw / "milestones.csv.gz").write_bytes(gzip.compress(MILESTONES.encode()))
    (raw / "sources.csv.zip").write_bytes(zipped("sources.csv", SOURCES.encode()))
    for stray in ("notes.txt.gz", "obs.gz", "obs.zip", "obs.csv.gz.bak", "obs.csv.tar.gz", "obs.csv.gz.zip"):
        (raw / "observations" / stray).write_bytes(b"not read")
    (raw / "milestones.zip").write_bytes(b"not read")
    (raw / "sources.csv.bz2").write_bytes(b"not read")
    inputs = ingest.Inputs.discover(raw)
    assert [p.name for p in inputs.observations] == ["obs.csv.gz"]
    assert [p.name for p in inputs.milestones] == ["milestones.csv.gz"]
    assert [p.name for p in inputs.sources] == ["sources.csv.zip"]
    result = ingest.ingest(raw)
    assert result.quarantine.is_empty()
    assert result.tables["milestone_events"].height == 1 and result.tables["sources"].height == 1


def test_plain_and_compressed_files_are_read_in_name_order(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER, "b.csv")
    (raw / "observations" / "a.csv.zip").write_bytes(zipped("a.csv", HEADER.encode()))
    (raw / "observations" / "c.csv.gz").write_bytes(gzip.compress(HEADER.encode()))
    assert [p.name for p in ingest.Inputs.discover(raw).observations] == ["a.csv.zip", "b.csv", "c.csv.gz"]


def test_a_gzip_bomb_is_refused_naming_the_file(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, HEADER)
    bomb = gzip_bomb(raw / "observations" / "bomb.csv.gz", 600)
    assert bomb.stat().st_size < MiB
    problem = refusal(raw).problem
    assert problem.file.endswith("observations/bomb.csv.gz") and problem.rule == "decompressed-size"
    assert "inflates to more than 512 MiB" in problem.reason and "decompression bomb" in problem.reason
    assert "split or filter it first" in problem.reason


def test_the_cli_reports_a_bomb_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(rawio, "MAX_FILE_BYTES", MiB)
    raw = make_raw(tmp_path, HEADER)
    gzip_bomb(raw / "observations" / "bomb.csv.gz", 20)
    assert main(["ingest", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "bomb.csv.gz" in err and "rule 'decompressed-size'" in err and "inflates to more than 1 MiB" in err
    assert not (tmp_path / "out" / "observations.parquet").exists()


def test_a_bomb_is_stopped_at_the_cap_within_bounded_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rawio, "MAX_FILE_BYTES", MiB)
    bomb = gzip_bomb(tmp_path / "bomb.csv.gz", 200)
    tracemalloc.start()
    try:
        error = refusal(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.problem.rule == "decompressed-size" and "more than 1 MiB" in error.problem.reason
    assert peak < 4 * MiB, f"peak {peak / MiB:.1f} MiB while reading a 200 MiB bomb with a 1 MiB cap"


def test_a_zip_declaring_more_than_the_cap_is_refused_before_inflating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rawio, "MAX_FILE_BYTES", MiB)
    path = tmp_path / "big.csv.zip"
    path.write_bytes(zipped("big.csv", bytes(8 * MiB)))
    problem = refusal(path).problem
    assert problem.rule == "decompressed-size" and problem.value == f"{8 * MiB} bytes declared"
    assert problem.file.endswith("big.csv.zip") and "inflates to more than 1 MiB" in problem.reason


def _declare_size(archive: bytes, size: int) -> bytes:
    """The archive with its one member's uncompressed size rewritten in both headers."""
    data = bytearray(archive)
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, size)
    struct.pack_into("<I", data, central + 24, size)
    return bytes(data)


def test_a_zip_lying_about_its_size_never_inflates_past_what_it_declared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rawio, "MAX_FILE_BYTES", MiB)
    path = tmp_path / "liar.csv.zip"
    path.write_bytes(_declare_size(zipped("liar.csv", bytes(64 * MiB)), 1000))
    assert zipfile.ZipFile(path).infolist()[0].file_size == 1000
    tracemalloc.start()
    try:
        error = refusal(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # reading stops at the declared size, which is under the cap; the checksum then fails
    assert error.problem.rule == "compressed-file" and error.problem.file.endswith("liar.csv.zip")
    assert "CRC" in error.problem.reason
    assert peak < 4 * MiB


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        (
            "two.csv.zip",
            zipped("a.csv", HEADER.encode(), **{"b.csv": HEADER.encode()}),
            "exactly one file, this one holds 2: a.csv, b.csv",
        ),
        ("empty.csv.zip", zipped("folder/", b""), "exactly one file, this one holds 0: folder/"),
        (
            "many.csv.zip",
            zipped("0.csv", b"", **{f"{i}.csv": b"" for i in range(1, 12)}),
            "holds 12: 0.csv, 1.csv, 2.csv, 3.csv, 4.csv, 5.csv, 6.csv, 7.csv, 8.csv, 9.csv, … (12 in all)",
        ),
        ("cut.csv.gz", gzip.compress(ROWS.encode() * 50)[:-40], "ends early"),
        ("empty.csv.gz", b"", "ends early"),
        ("noise.csv.gz", bytes(range(7, 256)) * 8, "not valid gzip data"),
        ("noise.csv.zip", bytes(range(7, 256)) * 8, "not a readable zip archive"),
        ("cut.csv.zip", zipped("a.csv", ROWS.encode() * 50)[:-30], "not a readable zip archive"),
        ("crc.csv.gz", gzip.compress(ROWS.encode())[:-8] + b"\0" * 8, "incorrect data check"),
    ],
)
def test_a_broken_archive_is_a_data_error_naming_the_file(tmp_path: Path, name: str, content: bytes, says: str) -> None:
    raw = make_raw(tmp_path, content, name)
    error = refusal(raw)
    assert error.problem.rule == "compressed-file" and error.problem.file.endswith(f"observations/{name}")
    assert says in error.problem.reason and name in str(error)


def test_an_encrypted_zip_is_refused_listing_its_member(tmp_path: Path) -> None:
    data = bytearray(zipped("secret.csv", HEADER.encode()))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set the "encrypted" flag bit
        at = data.index(signature) + offset
        struct.pack_into("<H", data, at, struct.unpack_from("<H", data, at)[0] | 1)
    path = tmp_path / "secret.csv.zip"
    path.write_bytes(bytes(data))
    problem = refusal(path).problem
    assert problem.rule == "compressed-file" and "encrypted" in problem.reason and "secret.csv" in problem.reason


def test_binary_content_inside_an_archive_is_refused_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv.gz"
    path.write_bytes(gzip.compress(HEADER.encode("utf-16")))
    problem = refusal(path).problem
    assert problem.rule == "encoding" and problem.file.endswith("utf16.csv.gz")


def test_a_zip_listing_a_million_entries_is_refused_before_its_directory_is_read(tmp_path: Path) -> None:
    # a tiny archive whose end record announces 1,000,000 entries (zip64): never listed
    import struct

    path = tmp_path / "many.csv.zip"
    zip64_end = b"PK\x06\x06" + struct.pack("<QHHIIQQQQ", 44, 45, 45, 0, 0, 1_000_000, 1_000_000, 0, 0)
    locator = b"PK\x06\x07" + struct.pack("<IQI", 0, 0, 1)
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    path.write_bytes(zip64_end + locator + end)
    with pytest.raises(DataError) as err:
        rawio.read_text(path)
    assert err.value.problem.rule == "compressed-file"
    assert "lists 1000000 entries" in str(err.value) and "many.csv.zip" in str(err.value)
