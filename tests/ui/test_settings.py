"""Settings: declared keys only, typed values back from the INI file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray

from ui.settings import SPEC, Settings


def test_defaults_then_stored_values_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    first = Settings(path)
    assert first.get("naming/target_language") == "en"
    assert first.get("export/bom") is False
    first.set("naming/target_language", "hy")
    first.set("export/bom", True)
    first.set("window/geometry", QByteArray(b"\x01\x02geometry"))
    first.sync()
    again = Settings(path)
    assert again.get("naming/target_language") == "hy"
    assert again.get("export/bom") is True
    assert again.get("window/geometry") == QByteArray(b"\x01\x02geometry")


def test_undeclared_keys_and_wrong_types_are_refused(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "s.ini")
    with pytest.raises(KeyError):
        settings.get("naming/target_langauge")
    with pytest.raises(TypeError):
        settings.set("export/bom", "yes")


def test_every_setting_is_documented() -> None:
    assert all(s.doc for s in SPEC)
    assert len({s.key for s in SPEC}) == len(SPEC)
