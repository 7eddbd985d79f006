"""Friendly storage-error messages for every kind, from real failures; the crash dialog."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

import gazetteer.errors as gerrors
from gazetteer.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    ReadOnlyDatabaseError,
    StorageError,
    TooNewDatabaseError,
)
from gazetteer.facade import Gazetteer
from ui.errors import CrashDialog, crash_details, explain_storage_error, make_excepthook

pytestmark = pytest.mark.gui


def storage_error_kinds() -> list[type[StorageError]]:
    return [
        obj for obj in vars(gerrors).values()
        if isinstance(obj, type) and issubclass(obj, StorageError) and obj is not StorageError
    ]  # fmt: skip


def test_every_storage_error_kind_has_its_own_explanation() -> None:
    generic = explain_storage_error(StorageError("/x/g.sqlite", "boom")).title
    kinds = storage_error_kinds()
    assert {DatabaseLockedError, ReadOnlyDatabaseError, CorruptDatabaseError,
            TooNewDatabaseError} <= set(kinds)  # fmt: skip
    for kind in kinds:
        if kind is TooNewDatabaseError:
            error: StorageError = TooNewDatabaseError("/x/g.sqlite", 9, 3, ["0009_future"])
        else:
            error = kind("/x/g.sqlite", "detail")
        explanation = explain_storage_error(error)
        if kind.__name__ == "ConstraintError":
            continue  # a bug, not the environment: it gets the generic text
        assert explanation.title != generic, kind
        assert "/x/g.sqlite" in explanation.what, kind
        assert explanation.remedy, kind


def test_a_damaged_file_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is a text file, not a database\n" * 10)
    with pytest.raises(CorruptDatabaseError) as caught:
        Gazetteer.open(path)
    explanation = explain_storage_error(caught.value)
    assert explanation.title == "Database damaged"
    assert str(path) in explanation.what
    assert ".bak" in explanation.remedy


def test_a_file_from_a_newer_version_is_explained_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    Gazetteer.open(path, seed=False).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('gazetteer', '9999_from_the_future', '2030-01-01')")  # fmt: skip
    conn.close()
    before = path.read_bytes()
    with pytest.raises(TooNewDatabaseError) as caught:
        Gazetteer.open(path)
    explanation = explain_storage_error(caught.value)
    assert explanation.title == "Database from a newer version"
    assert "has not been changed" in explanation.what
    assert path.read_bytes() == before


def test_crash_dialog_shows_and_copies_the_traceback(qtbot) -> None:  # type: ignore[no-untyped-def]
    try:
        {}["missing key"]
    except KeyError:
        details = crash_details(*sys.exc_info())  # type: ignore[arg-type]
    assert "KeyError: 'missing key'" in details
    assert "PySide6" in details and "Python" in details
    dialog = CrashDialog(details)
    qtbot.addWidget(dialog)
    assert dialog.details.isReadOnly()
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == details


def test_excepthook_shows_a_crash_dialog_for_bugs(qtbot, capsys) -> None:  # type: ignore[no-untyped-def]
    hook = make_excepthook(lambda: None)
    try:
        raise RuntimeError("a bug in a slot")
    except RuntimeError:
        hook(*sys.exc_info())  # type: ignore[arg-type]
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog)]
    assert dialogs and "RuntimeError: a bug in a slot" in dialogs[-1].details.toPlainText()
    assert "a bug in a slot" in capsys.readouterr().err
    for d in dialogs:
        d.close()


def test_excepthook_explains_storage_errors_kindly(qtbot) -> None:  # type: ignore[no-untyped-def]
    hook = make_excepthook(lambda: None)
    error = DatabaseLockedError("/data/g.sqlite", "database is locked")
    hook(type(error), error, None)
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.objectName() == "storageErrorBox"]  # fmt: skip
    assert boxes and boxes[-1].windowTitle() == "Database in use"
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog) and w.isVisible()
    ]
    for b in boxes:
        b.close()
