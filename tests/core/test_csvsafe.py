"""Spreadsheet-safe CSV (`pipelines.core.csvsafe`), the rule every CSV of the project is written by:
no text cell can start a formula (OWASP's CSV-injection rule), ordinary text and numbers are
left alone, the bytes read back intact with any CSV reader, Excel detects the encoding (BOM)
and line ends (CRLF), and the same data gives the same bytes. The exports written by this rule
are tests/render/test_export.py."""

from __future__ import annotations

import csv
import io
from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.core import schema
from pipelines.core.csvsafe import DANGEROUS_FIRST, csv_bytes, neutralise
from pipelines.validate.sample import sample_frames

BOM = b"\xef\xbb\xbf"  # Excel reads a CSV as UTF-8 only after this mark


def read_back(data: bytes) -> list[list[str]]:
    """Rows as any CSV reader sees them, after the BOM a spreadsheet uses to pick UTF-8."""
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline="")))


# --- neutralise ---------------------------------------------------------------------------

DANGEROUS = [
    '=HYPERLINK("http://evil","click")',
    "=1+1",
    "+1",
    "-1+2",
    "@SUM(1+1)",
    "\t=1",
    "\r=1",
    "  =1",
    " \t@x",
    "\uff1d1+1",  # full-width =
    "\uff0bcmd",  # full-width +
    "\uff0d1",  # full-width -
    "\uff20SUM(1)",  # full-width @
    "-",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_every_formula_prefix_is_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["Mali", "41/147", "e-mail", "", "Loi adoptée", "S/2021/519", "'=already", "100%", " Mali", "a=b"]
)
def test_harmless_text_is_untouched(text: str) -> None:
    assert neutralise(text) == text


# --- csv_bytes ----------------------------------------------------------------------------


def test_formula_in_a_note_reads_back_as_text_with_the_rest_of_the_row_intact() -> None:
    frame = pl.DataFrame(
        {
            "source_id": ["s-1"],
            "note": ['=HYPERLINK("http://x","y")'],
            "title": ['Report "A", part 2'],
            "value": [27.9],
            "published": [date(2021, 6, 1)],
        }
    )
    rows = read_back(csv_bytes(frame))
    assert rows == [
        ["source_id", "note", "title", "value", "published"],
        ["s-1", '\'=HYPERLINK("http://x","y")', 'Report "A", part 2', "27.9", "2021-06-01"],
    ]


def test_negative_number_stays_a_number() -> None:
    frame = pl.DataFrame({"value": [-5.5, 1840.0, 23769130.0, 0.00001]}, schema={"value": pl.Float64})
    assert [r[0] for r in read_back(csv_bytes(frame))[1:]] == ["-5.5", "1840", "23769130", "0.00001"]


def test_types_nulls_and_booleans_are_written_one_fixed_way() -> None:
    frame = pl.DataFrame(
        {
            "flag": [True, False, None],
            "line": [2, None, -3],
            "day": [date(2022, 1, 31), None, None],
            "note": [None, "", "x"],
        },
        schema={"flag": pl.Boolean, "line": pl.Int64, "day": pl.Date, "note": pl.String},
    )
    assert read_back(csv_bytes(frame))[1:] == [
        ["true", "2", "2022-01-31", ""],
        ["false", "", "", ""],
        ["", "-3", "", "x"],
    ]


def test_bom_and_crlf_line_ends() -> None:
    data = csv_bytes(pl.DataFrame({"a": ["x"], "b": ["line one\nline two"]}))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\r\n")
    assert data == b'\xef\xbb\xbfa,b\r\nx,"line one\nline two"\r\n'


def test_same_frame_gives_identical_bytes() -> None:
    frame = sample_frames()["observations"]
    assert csv_bytes(frame) == csv_bytes(frame.clone())


def test_empty_frame_is_a_header_only() -> None:
    assert read_back(csv_bytes(schema.empty("sources"))) == [list(schema.SOURCES)]


#: Any text, with extra weight on what an attacker would try: whitespace, then a formula start.
TEXTS = st.one_of(
    st.text(),
    st.builds(
        lambda space, first, rest: space + first + rest,
        st.text(alphabet=" \t\r\n\u00a0\u3000", max_size=3),
        st.sampled_from(sorted(DANGEROUS_FIRST)),
        st.text(),
    ),
)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_any_text_reads_back_as_itself_or_quoted_and_never_starts_a_formula(text: str) -> None:
    frame = pl.DataFrame({"id": ["k"], "note": [text], "value": [-1.0]})
    rows = read_back(csv_bytes(frame))
    assert len(rows) == 2
    assert rows[1][0] == "k" and rows[1][2] == "-1"
    cell = rows[1][1]
    assert cell in (text, "'" + text)
    assert cell[:1] not in DANGEROUS_FIRST
    assert cell.lstrip()[:1] not in DANGEROUS_FIRST


def test_the_column_rule_and_the_cell_rule_agree_on_every_dangerous_character() -> None:
    cells = [f"{space}{c}x" for c in sorted(DANGEROUS_FIRST) for space in ("", " ", "\u00a0")]
    written = read_back(csv_bytes(pl.DataFrame({"note": cells})))
    assert [row[0] for row in written[1:]] == [neutralise(c) for c in cells] == ["'" + c for c in cells]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(TEXTS, st.one_of(st.none(), st.floats(allow_nan=False, width=64))), max_size=30),
    st.integers(min_value=1, max_value=7),
)
def test_a_csv_written_in_pieces_is_the_same_bytes_as_at_once(rows: list[tuple[str, float | None]], size: int) -> None:
    # Ten million rows are written a slice at a time; the file must not tell.
    from pipelines.core.csvsafe import csv_chunks

    frame = pl.DataFrame(rows, schema={"note": pl.String, "value": pl.Float64}, orient="row")
    whole = csv_bytes(frame)
    assert b"".join(csv_chunks(frame, rows=size)) == whole
