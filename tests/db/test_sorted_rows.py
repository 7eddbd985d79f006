"""BackgroundSortedRows: rows computed on a thread come back distinct and in key order."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator

import pytest

from db.sorted_rows import BackgroundSortedRows

COLUMNS = [("part", "TEXT"), ("len", "INTEGER"), ("plain", "TEXT")]


def test_rows_come_back_once_each_in_sqlite_text_order() -> None:
    # Latin, Cyrillic and Armenian, upper and lower case, a tie on the first column and a
    # duplicate: SQLite's BINARY order is code-point order, which Python's sort also uses.
    rows = [
        ("<шуш", 4, "шуша"), ("<shu", 6, "shusha"), ("=շ|ի", 4, "շուշի"), ("<shu", 5, "shush"),
        ("<Shu", 6, "Shusha"), ("<shu", 6, "shusha"), (">sha", 6, "shusha"), ("<shu", 6, "shuma"),
    ]  # fmt: skip
    threads: list[str] = []

    def compute() -> Iterator[tuple[str, int, str]]:
        threads.append(threading.current_thread().name)
        yield from rows

    with BackgroundSortedRows(COLUMNS, compute) as background:
        result = list(background.sorted_rows())
    assert result == sorted(set(rows))
    assert threads == ["sorted-rows"]  # computed on the background thread
    assert all(isinstance(row[1], int) for row in result)  # the column keeps its type


def test_an_error_while_computing_reaches_the_caller() -> None:
    def compute() -> Iterator[tuple[str, int, str]]:
        yield ("a", 1, "a")
        raise ValueError("bad key 'x'")

    with (
        BackgroundSortedRows(COLUMNS, compute) as background,
        pytest.raises(ValueError, match="bad key"),
    ):
        list(background.sorted_rows())


def test_closing_stops_a_computation_that_would_not_end() -> None:
    made = itertools.count()

    def forever() -> Iterator[tuple[str, int, str]]:
        for n in made:
            yield (f"p{n}", n, "x")

    background = BackgroundSortedRows(COLUMNS, forever)
    background.close()  # returns: the thread gave up at its next 10 000 rows
    assert next(made) < 10_000_000
