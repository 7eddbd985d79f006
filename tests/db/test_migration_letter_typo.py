"""The store's letter typo statements on a file from before migration 0004_letter_typo_index
(the upgrade itself is tested in test_migrations.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from db import Store

NAME = "0004_letter_typo_index"


@pytest.fixture
def old_file(tmp_path: Path, file_before: Callable[..., None]) -> Path:
    """A database as written by the release before the letter typo index existed."""
    path = tmp_path / "old.sqlite"
    file_before(
        path,
        NAME,
        "INSERT INTO place(id, role, importance) VALUES ('shusha', 'city', 64.0)",
        "INSERT INTO name(id, place_id, text, lang, script, kind) "
        "VALUES (1, 'shusha', 'Shusha', 'en', 'Latn', 'common')",
        "INSERT INTO name_key(name_id, kind, key) VALUES (1, 'plain', 'shusha')",
    )
    return path


def _letters(plain: str) -> str:
    # A stand-in for gazetteer.search.typo_letters with the same shape: the store only
    # spells the rows of the letters it is given (db never imports the domain layer).
    return plain.replace(" ", "") if len(plain) >= 5 else ""


def test_refresh_fills_the_index_from_notable_plain_keys_only(old_file: Path) -> None:
    path = old_file
    store = Store.open(path)
    with store.transaction():
        store.insert_place({"id": "hamlet", "role": "hamlet", "importance": 20.0})
        hamlet = store.insert_name(
            {"place_id": "hamlet", "text": "Shushan", "lang": "en", "script": "Latn",
             "kind": "common"},
            [("plain", "shushan")],
        )  # fmt: skip
    assert hamlet is not None
    store.refresh_search_index(0, 3, _letters, min_letter_rank=34.0)
    assert store.letters_near(["<shu"], 6, 6) == ["shusha"]  # the hamlet is not notable
    assert store.letters_near(["<shu"], 7, 9) == []  # letter counts outside the range
    assert store.letters_near([">sha", ">han"], 0, 99) == ["shusha"]
    # Rebuilding the keys empties the index; the next full refresh fills it again.
    store.rebuild_name_keys(lambda text, lang: [("plain", text.lower())], "test")
    assert store.letters_near(["<shu"], 6, 6) == []
    store.refresh_search_index(0, 3, _letters, min_letter_rank=34.0)
    assert store.letters_near(["<shu"], 6, 6) == ["shusha"]
    store.close()
