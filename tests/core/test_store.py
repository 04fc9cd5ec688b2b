"""Writing outputs in pieces: the bytes, in order, and the old file whole when a piece fails."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.core import store


def pieces(count: int, fail_at: int | None = None) -> Iterator[bytes]:
    for i in range(count):
        if i == fail_at:
            raise ValueError(f"piece {i} could not be made")
        yield f"piece {i}\n".encode()


def test_pieces_are_written_in_order_and_hashed_as_they_are_written(tmp_path: Path) -> None:
    path, digest = tmp_path / "out.csv", hashlib.sha256()
    store.write_bytes_atomic(path, pieces(1_000), digest=digest)
    expected = b"".join(pieces(1_000))
    assert path.read_bytes() == expected and digest.hexdigest() == hashlib.sha256(expected).hexdigest()


def test_a_piece_that_fails_leaves_the_old_file_whole_and_raises_its_own_error(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_bytes(b"the published file")
    with pytest.raises(ValueError, match="piece 7 could not be made"):
        store.write_bytes_atomic(path, pieces(20, fail_at=7))
    assert path.read_bytes() == b"the published file" and [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_caller_that_stops_early_stops_the_maker_and_leaves_no_thread() -> None:
    made: list[int] = []

    def endless() -> Iterator[bytes]:
        i = 0
        while True:
            made.append(i)
            yield b"x"
            i += 1

    taken = []
    for piece in store.ahead(endless()):
        taken.append(piece)
        if len(taken) == 3:
            break
    assert taken == [b"x"] * 3 and len(made) <= 5  # made at most one or two ahead
    assert not [t for t in threading.enumerate() if t.name == "pieces-ahead"]


def test_a_copy_is_its_own_file_with_the_same_bytes(tmp_path: Path) -> None:
    source, copy = tmp_path / "a.csv", tmp_path / "sub" / "b.csv"
    source.write_bytes(b"rows\r\n")
    store.copy_atomic(source, copy)
    copy.write_bytes(b"edited")  # a reader editing the copy in place
    assert source.read_bytes() == b"rows\r\n"
