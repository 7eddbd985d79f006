"""The app's remembered state, over ``QSettings`` (INI format).

Every key is declared once in ``SPEC`` with its type and default, so a typo in a key name is
an error rather than a silently empty setting, and values read back from the INI file (where
everything is text) come back as the declared type.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "caucasus-gazetteer"
APPLICATION = "gazetteer"


@dataclass(frozen=True)
class Setting:
    """One declared setting: key, type, default and what it is for."""

    key: str
    type: type
    default: Any
    doc: str


SPEC: tuple[Setting, ...] = (
    Setting("window/geometry", QByteArray, QByteArray(), "main window geometry (saveGeometry)"),
    Setting("window/state", QByteArray, QByteArray(), "toolbars and docks (saveState)"),
    Setting("window/main_splitter", QByteArray, QByteArray(), "results above, card and map below"),
    Setting("window/lower_splitter", QByteArray, QByteArray(), "card beside map"),
    Setting("naming/target_language", str, "en", "language Ctrl+C copies names in"),
    Setting("naming/profile", str, "", "naming profile id; empty means the first built-in one"),
    Setting("export/last_folder", str, str(Path.home()), "folder the export dialog opens in"),
    Setting("export/layout", str, "long", "CSV layout last used: long or wide"),
    Setting("export/bom", bool, False, "write a byte-order mark (for Excel)"),
    Setting("import/last_folder", str, "", "folder the import dialog's file choosers open in"),
)

_BY_KEY = {s.key: s for s in SPEC}


class Settings:
    """Typed access to the declared settings.

    ``path`` points at an INI file (tests use a temporary one); without it the platform's
    per-user location is used.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        if path is None:
            self._qs = QSettings(
                QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
            )
        else:
            self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def file_name(self) -> str:
        """Where the settings are stored."""
        return self._qs.fileName()

    def get(self, key: str) -> Any:
        """The stored value of a declared setting, converted to its type, or its default."""
        spec = _BY_KEY[key]
        if not self._qs.contains(key):
            return spec.default
        value = self._qs.value(key)
        if spec.type is bool:
            # INI stores booleans as the text "true"/"false".
            return value if isinstance(value, bool) else str(value).lower() == "true"
        if spec.type is QByteArray:
            return value if isinstance(value, QByteArray) else QByteArray()
        try:
            return spec.type(value)
        except (TypeError, ValueError):
            return spec.default

    def set(self, key: str, value: Any) -> None:
        """Store a declared setting (``KeyError`` for an undeclared key)."""
        spec = _BY_KEY[key]
        if spec.type is not QByteArray and not isinstance(value, spec.type):
            raise TypeError(f"setting {key} wants {spec.type.__name__}, got {type(value).__name__}")
        self._qs.setValue(key, value)

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._qs.sync()
