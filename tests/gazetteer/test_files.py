"""Atomic output files: a failed or cancelled write leaves the old file as it was."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import pytest

from gazetteer.files import write_atomically


def test_a_successful_write_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    text = "Շուշի,Şuşa\r\n"
    assert write_atomically(target, lambda out: out.write(text)) == len(text)  # what write returned
    assert target.read_bytes() == "Շուշի,Şuşa\r\n".encode()
    assert list(tmp_path.iterdir()) == [target]


def test_a_failing_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")

    def half_then_fail(out: IO[Any]) -> None:
        out.write("partial")
        raise KeyboardInterrupt  # a cancel or Ctrl+C mid-export

    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert list(tmp_path.iterdir()) == [target]


def test_bytes_are_written_as_given(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomically(target, lambda out: out.write(b"\xef\xbb\xbfa\r\nb\n"), binary=True)
    assert target.read_bytes() == b"\xef\xbb\xbfa\r\nb\n"
