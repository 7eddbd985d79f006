"""Shared test setup.

QT_QPA_PLATFORM must be set before anything imports PySide6, so CI (no display) and
developers' machines behave the same; ``setdefault`` lets a developer choose ``xcb``.
"""

from __future__ import annotations

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from gazetteer.facade import Gazetteer


@pytest.fixture(autouse=True)
def _isolated_user_data(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never let a test touch the developer's real database."""
    monkeypatch.setenv("GAZETTEER_DB", str(tmp_path_factory.mktemp("userdata") / "default.sqlite"))


@pytest.fixture(scope="session")
def bundled_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built once from the bundled data; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "bundled.sqlite"
    Gazetteer.open(path).close()
    return path


@pytest.fixture
def db(bundled_db_template: Path, tmp_path: Path) -> Path:
    """A writable copy of the bundled gazetteer's database file."""
    path = tmp_path / "gazetteer.sqlite"
    shutil.copyfile(bundled_db_template, path)
    return path


@pytest.fixture
def gazetteer(db: Path) -> Iterator[Gazetteer]:
    """A fresh, writable copy of the bundled gazetteer, open."""
    g = Gazetteer.open(db)
    yield g
    g.close()


@pytest.fixture
def empty_gazetteer(tmp_path: Path) -> Iterator[Gazetteer]:
    """A gazetteer with the schema and no places."""
    g = Gazetteer.open(tmp_path / "empty.sqlite", seed=False)
    yield g
    g.close()


def _plain_and_strip_rows(g: Gazetteer) -> list[tuple[Any, ...]]:
    return [
        tuple(r.values())
        for r in g.store.conn.execute(
            "SELECT n.id, n.place_id, n.text, n.lang, n.kind, n.preferred, "
            "k.kind AS key_kind, k.key "
            "FROM name n JOIN name_key k ON k.name_id = n.id AND k.kind IN ('plain', 'strip') "
            "ORDER BY n.id, k.kind"
        )
    ]


@pytest.fixture
def key_rows() -> Callable[[Gazetteer], list[tuple[Any, ...]]]:
    """Reads every name with its plain key, and its strip key where one is stored, straight
    from the tables — (name id, place, text, lang, kind, preferred, key kind, key): the rows
    the toponym finder's index is made of, as a reference for its readers' tests."""
    return _plain_and_strip_rows
