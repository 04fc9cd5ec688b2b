"""CSV as Excel writes it: a French export is semicolon-separated, Latin-1 (Windows-1252), with
CRLF line ends, decimal commas and a space (or a no-break space) grouping thousands. Such a
file is read as it is, never rewritten; one whose header is not the format's is refused with
the delimiter it was split at, so the user sees why."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from pipelines.core.errors import DataError
from pipelines.ingest import normalise
from pipelines.ingest import step as ingest
from tests.ingest.test_step import make_raw

FRENCH_EXPORT = "indicateur;région;année;valeur;source\r\nPart des femmes;Ségou;2020;1 234,5;s1\r\n"


def test_the_french_excel_export_as_saved_is_refused_naming_the_semicolons(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, FRENCH_EXPORT.encode("cp1252"), "export.csv")
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    problem = err.value.problem
    assert problem.file.endswith("observations/export.csv") and (problem.line, problem.rule) == (1, "required-column")
    assert "it has ['indicateur', 'région', 'année', 'valeur', 'source']" in problem.reason  # decoded, and split
    assert "split at ';', as a semicolon-separated file (the header holds ';' 4 times, ',' none, tab none)" in str(
        err.value
    )


@pytest.mark.parametrize(
    ("delimiter", "encoding", "name"),
    [(";", "cp1252", "semicolon"), ("\t", "cp1252", "tab"), (";", "utf-8-sig", "semicolon")],
)
def test_an_excel_export_with_the_format_s_columns_is_read_right(
    tmp_path: Path, delimiter: str, encoding: str, name: str
) -> None:
    rows = [
        ["indicator_id", "geo", "period_start", "value", "source_id", "note"],
        ["integrated", "Ségou", "2020", "1 234,5", "s1", "espace"],
        ["integrated", "Ménaka", "2020", "1\u00a0006", "s1", "espace insécable"],
        ["integrated", "Gao", "2020", "2\u202f500,25", "s1", "espace fine insécable"],
        ["women_share", "ML", "2020", "27,9 %", "s1", "virgule décimale; point-virgule dans une note"],
    ]
    quote = '"' if delimiter == ";" else ""
    text = "\r\n".join(delimiter.join(f"{quote}{c}{quote}" if ";" in c else c for c in row) for row in rows) + "\r\n"
    # Windows-1252 has no narrow no-break space: Excel writes a plain one there
    data = text.encode(encoding) if encoding != "cp1252" else text.replace("\u202f", " ").encode("cp1252")
    raw = make_raw(tmp_path, data, "export.csv")
    before = hashlib.sha256((raw / "observations" / "export.csv").read_bytes()).hexdigest()
    result = ingest.ingest(raw)
    assert result.quarantine.height == 0
    obs = result.tables["observations"].sort("line")
    assert obs["value"].to_list() == pytest.approx([1234.5, 1006, 2500.25, 27.9])
    assert obs["geo_code"].to_list() == ["ML-4", "ML-9", "ML-7", "ML"]
    assert obs["note"][3] == "virgule décimale; point-virgule dans une note"
    assert any(f"export.csv was read as {name}-separated" in note for note in result.notes)
    assert hashlib.sha256((raw / "observations" / "export.csv").read_bytes()).hexdigest() == before


def test_a_semicolon_file_with_a_wrong_header_or_row_names_the_delimiter(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, "indicator_id;geo;period_start;valeur;source_id\nintegrated;ML;2020;12;s1\n")
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    assert err.value.problem.rule == "required-column" and err.value.problem.column == "value"
    assert "semicolon-separated" in err.value.problem.reason
    raw = make_raw(tmp_path / "width", "indicator_id;geo;period_start;value;source_id\nintegrated;ML;2020;12;s1;x\n")
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    assert (err.value.problem.rule, err.value.problem.line) == ("row-width", 2)
    assert "split at ';'" in err.value.problem.reason


def test_a_comma_file_keeps_its_plain_messages(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, "indicator_id,geo,period_start,value\nintegrated,ML,2020,12\n")
    with pytest.raises(DataError) as err:
        ingest.ingest(raw)
    assert "split at" not in err.value.problem.reason


def test_an_indicator_written_by_its_name_is_refused_naming_its_id(tmp_path: Path) -> None:
    raw = make_raw(tmp_path, "indicator_id;geo;period_start;value;source_id\npart des femmes ;ML;2020;27,9;s1\n")
    [problem] = ingest.ingest(raw).quarantine.to_dicts()
    assert (problem["line"], problem["column"], problem["rule"]) == (2, "indicator_id", "known-indicator")
    assert "is the name of indicator 'women_share', not its id: write women_share" in problem["reason"]


def test_a_date_serial_is_refused_with_the_date_it_would_be() -> None:
    with pytest.raises(normalise.ValueProblem) as err:
        normalise.parse_period("44280", None)
    assert "date serial (2021-03-25" in err.value.reason
    with pytest.raises(normalise.ValueProblem) as err:
        normalise.parse_date("2021")
    assert "serial" not in err.value.reason  # a year is no serial


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [("ascii", False, "\n"), ("utf-8", False, "\r\n"), ("utf-8", True, "\n"), ("cp1252", False, "\r\n")],
)
def test_a_big_file_is_read_as_a_small_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str, bom: bool, newline: str
) -> None:
    # past FAST_PATH_BYTES polars reads the file's bytes; the rows, their text and their line
    # numbers are those the csv module reads from a small file, in every encoding ingest takes
    from pipelines.ingest import rawio, tabular

    place = "Menaka" if encoding == "ascii" else "Ménaka"
    rows = [f'ML-{n},"{place}, {n}",{n / 4}' for n in range(200)]
    path = tmp_path / "big.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + newline.join(["a,b,c", *rows, ""]).encode(encoding))
    fast: list[bool] = []
    read_fast = tabular._read_fast

    def spied(*args: object) -> object:
        frame = read_fast(*args)  # type: ignore[arg-type]
        fast.append(frame is not None)
        return frame

    monkeypatch.setattr(tabular, "_read_fast", spied)
    frames = []
    for limit in (0, 10**12):
        monkeypatch.setattr(tabular, "FAST_PATH_BYTES", limit)
        frames.append(tabular.read_table(rawio.read_text(path), ("a", "b"), ("c",)).frame)
    assert fast == [True, False]
    assert frames[0].equals(frames[1])
    assert frames[0]["b"][0] == f"{place}, 0" and frames[0]["c"][3] == "0.75"  # decoded, unquoted
    assert frames[0]["line"].to_list() == list(range(2, 202))


def test_a_big_file_with_a_blank_line_is_read_as_a_small_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # polars reads a blank line, and a row of empty cells, as a row of nulls; the csv module skips
    # both: such a file is read the csv module's way, whatever its size
    path = tmp_path / "blank.csv"
    for text in ("a,b,c\nML-1,x,1\n,,\nML-2,y,2\n\nML-3,z,3\n", "a,b,c\nML-1,x,1\n,,\nML-2,y,2\n,,\nML-3,z,3\n"):
        path.write_text(text, encoding="utf-8")
        _same_rows_as_a_small_file(path, monkeypatch)


def _same_rows_as_a_small_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines.ingest import rawio, tabular

    frames = []
    for limit in (0, 10**12):
        monkeypatch.setattr(tabular, "FAST_PATH_BYTES", limit)
        frames.append(tabular.read_table(rawio.read_text(path), ("a", "b"), ("c",)).frame)
    assert frames[0].equals(frames[1])
    assert frames[0]["line"].to_list() == [2, 4, 6] and frames[0]["a"].to_list() == ["ML-1", "ML-2", "ML-3"]


def _small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file read in batches of a few lines, from pieces of 64 bytes."""
    from pipelines.ingest import rawio, tabular

    monkeypatch.setattr(tabular, "FAST_PATH_BYTES", 0)
    monkeypatch.setattr(tabular, "BATCH_BYTES", 256)
    monkeypatch.setattr(rawio, "CHUNK", 64)


def _whole(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[pl.DataFrame, str]:
    """The file as the csv module reads it whole, and its encoding."""
    from pipelines.ingest import rawio, tabular

    with monkeypatch.context() as m:
        m.setattr(tabular, "FAST_PATH_BYTES", 10**12)
        raw = rawio.read_text(path)
        return tabular.read_table(raw, ("a", "b"), ("c",)).frame, raw.encoding


@pytest.mark.parametrize(
    ("encoding", "bom", "newline", "name", "streamed"),
    [
        ("ascii", False, "\n", "big.csv", True),
        ("utf-8", False, "\r\n", "big.csv", True),
        ("utf-8", True, "\n", "big.csv", True),
        ("utf-8", False, "\n", "big.csv.gz", True),
        ("cp1252", False, "\r\n", "big.csv", False),  # read whole, as before
    ],
)
def test_a_big_file_read_in_batches_gives_the_rows_of_the_file_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str, bom: bool, newline: str, name: str, streamed: bool
) -> None:
    import gzip

    import polars as pl

    from pipelines.ingest import tabular

    place = "Menaka" if encoding == "ascii" else "Ménaka"
    rows = [f'ML-{n},"{place}, {n}",{n / 4}' for n in range(200)]
    data = (b"\xef\xbb\xbf" if bom else b"") + newline.join(["a,b,c", *rows]).encode(encoding)  # no last newline
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    whole, encoding_read = _whole(path, monkeypatch)
    _small_batches(monkeypatch)
    batches = tabular.read_batches(path, ("a", "b"), ("c",))
    frames = list(batches.frames)
    assert (len(frames) > 10) is streamed and batches.encoding == encoding_read and batches.delimiter == ","
    assert pl.concat(frames).equals(whole)  # the same text, and the same line numbers, 2 to 201
    assert whole["line"].to_list() == list(range(2, 202))


@pytest.mark.parametrize(
    "body",
    [
        "ML-1,x,1\n" * 40 + 'ML-2,"' + "a long\n" * 80 + 'note",2\n' + "ML-3,z,3\n" * 40,  # a field over batches
        "ML-1,x,1\n" * 40 + ",,\n" + "ML-3,z,3\n" * 40,  # a row of empty cells, in the middle of the file
        "ML-1,x,1\n" * 40 + "ML-2,y,2\rML-3,z,3\n",  # a lone carriage return, a line break to the csv module
    ],
)
def test_a_file_polars_would_read_otherwise_is_read_whole_by_the_csv_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str
) -> None:
    from pipelines.ingest import tabular

    path = tmp_path / "big.csv"
    path.write_text("a,b,c\n" + body, encoding="utf-8")
    whole, _ = _whole(path, monkeypatch)
    _small_batches(monkeypatch)
    [frame] = tabular.read_batches(path, ("a", "b"), ("c",)).frames
    assert frame.equals(whole)


def test_a_bad_header_in_a_big_file_is_refused_as_in_a_small_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.ingest import tabular

    path = tmp_path / "big.csv"
    path.write_text("a;c\n" + "ML-1;1\n" * 100, encoding="utf-8")
    _small_batches(monkeypatch)
    with pytest.raises(DataError) as err:
        tabular.read_batches(path, ("a", "b"), ("c",))
    assert (err.value.problem.line, err.value.problem.rule) == (1, "required-column")
    assert "split at ';'" in err.value.problem.reason
