"""Fixtures for driving the app's widgets: settings in a temporary file, never the user's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ui.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A settings store in a temporary INI file."""
    return Settings(tmp_path / "settings.ini")


@pytest.fixture
def window(qtbot, gazetteer, settings) -> Iterator:  # type: ignore[no-untyped-def]
    """The real main window over a fresh copy of the bundled gazetteer, shown at 1360×860."""
    from ui.main_window import MainWindow

    w = MainWindow(gazetteer, settings)
    qtbot.addWidget(w)
    w.resize(1360, 860)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()  # stops the search worker thread before the gazetteer closes
