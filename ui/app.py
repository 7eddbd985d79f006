"""Start the desktop app: ``python -m ui.app [--db PATH]`` (what ``make run`` runs).

Order matters for a fast, honest start: the ``QApplication`` first (so errors can be shown in
a dialog), then the font check, then the database (created from the bundled gazetteer on
first use; a storage problem gets a friendly dialog and exit code 3; a file that needs a
one-time upgrade for this version gets a small window saying so while it runs off the GUI
thread, ``ui.open_dialog``), then the window.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLoggingCategory
from PySide6.QtWidgets import QApplication, QMessageBox

from gazetteer.errors import StorageError
from gazetteer.facade import Gazetteer
from gazetteer.paths import ENV_VAR, default_database_path
from ui.errors import explain_storage_error, make_excepthook
from ui.fonts import check_fonts, missing_fonts_message
from ui.main_window import MainWindow
from ui.open_dialog import UpgradeDialog
from ui.settings import APPLICATION, ORGANIZATION, Settings

#: Exit code for a database the app cannot use (the CLI uses the same).
EXIT_STORAGE = 3


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """Our options, and whatever is left for Qt (``-platform``, ``-style`` …)."""
    parser = argparse.ArgumentParser(
        prog="gazetteer-app",
        description="The Caucasus Gazetteer desktop app.",
        epilog=f"The database defaults to ${ENV_VAR}, else {default_database_path()}.",
    )
    parser.add_argument("--db", type=Path, help="the database file to open (created if missing)")
    parser.add_argument("--search", metavar="TEXT", help="start with this search typed")
    parser.add_argument("--settings", type=Path, help="settings file (INI) instead of the default")
    return parser.parse_known_args(list(argv))


def quiet_font_shaping_warnings() -> None:
    """Silence Qt's "OpenType support missing for <font>, script N" lines.

    Imported gazetteers carry names in every script (Devanagari, Tamil, Thai …); a font
    without shaping tables for one of them makes Qt print this for each, on every paint. The
    scripts the gazetteer is about are checked at start (``ui.fonts``) and reported to the
    user; the rest is terminal noise.
    """
    QLoggingCategory.setFilterRules("qt.text.font.db.info=false")


def create_window(
    gazetteer: Gazetteer, settings: Settings, *, font_check: bool = True
) -> MainWindow:
    """The main window over an open gazetteer, with the font warning if one is needed."""
    warning = missing_fonts_message(check_fonts()) if font_check else None
    return MainWindow(gazetteer, settings, font_warning=warning)


def open_gazetteer(path: Path | None) -> Gazetteer:
    """Open the database, with ``UpgradeDialog`` on screen while a one-time upgrade runs.

    Without pending work no dialog appears. A failure is raised as at any open (a
    ``StorageError`` gets the usual dialog in ``main``) and the file is closed.
    """
    gazetteer = Gazetteer.open(path, prepare=False)
    try:
        pending = gazetteer.pending_upgrade()
        if pending is None:
            gazetteer.prepare()  # catches up with keys written since (cheap)
            return gazetteer
        dialog = UpgradeDialog(gazetteer, pending)
        dialog.exec()
        dialog.deleteLater()
        if dialog.error is not None:
            raise dialog.error
    except BaseException:
        gazetteer.close()
        raise
    return gazetteer


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app until its window closes; returns the exit code."""
    args, qt_args = parse_args(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Caucasus Gazetteer")
    app.setDesktopFileName("gazetteer")
    quiet_font_shaping_warnings()

    try:
        gazetteer = open_gazetteer(args.db)
    except StorageError as error:
        explanation = explain_storage_error(error)
        box = QMessageBox(QMessageBox.Icon.Critical, explanation.title, explanation.what)
        box.setInformativeText(explanation.remedy)
        box.exec()
        print(f"gazetteer-app: {error}", file=sys.stderr)
        return EXIT_STORAGE

    window = create_window(gazetteer, Settings(args.settings))
    previous_hook = sys.excepthook
    sys.excepthook = make_excepthook(lambda: window)
    window.show()
    if args.search:
        window.search_edit.setText(args.search)
    try:
        return app.exec()
    finally:
        sys.excepthook = previous_hook
        window.close()  # idempotent; stops the search worker if the loop ended otherwise
        gazetteer.close()


if __name__ == "__main__":
    sys.exit(main())
