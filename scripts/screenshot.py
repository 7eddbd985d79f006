"""Take the README screenshot: the app with a query typed and a place open.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshot.py OUT.png

(``make screenshot`` runs exactly that.) The app runs on a fresh database built from the
bundled gazetteer in a temporary folder, with temporary settings, so the picture does not
depend on the user's data or window layout. The query is typed as key events, character by
character, like a keyboard would; Enter opens the first result's card.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gazetteer.facade import Gazetteer  # noqa: E402
from ui.app import create_window  # noqa: E402
from ui.settings import Settings  # noqa: E402

QUERY = "Ханкенди"
SIZE = (1400, 900)


def type_text(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Key events per character (QTest.keyClicks cannot type non-ASCII)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)  # fmt: skip


def main(argv: list[str]) -> int:
    """Write the screenshot to ``argv[1]`` (default docs/screenshot.png)."""
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "screenshot.png"
    query = argv[2] if len(argv) > 2 else QUERY
    app = QApplication([argv[0]])
    app.setApplicationDisplayName("Caucasus Gazetteer")
    with tempfile.TemporaryDirectory() as tmp:
        gazetteer = Gazetteer.open(Path(tmp) / "gazetteer.sqlite")
        window = create_window(gazetteer, Settings(Path(tmp) / "settings.ini"))
        window.resize(*SIZE)
        window.show()
        loop = QEventLoop()
        opened: list[str] = []
        window.place_opened.connect(lambda place_id: (opened.append(place_id), loop.quit()))

        def type_query() -> None:
            window.search_edit.setFocus()
            type_text(window.search_edit, query)
            QTest.keyClick(window.search_edit, Qt.Key.Key_Return)

        QTimer.singleShot(200, type_query)
        QTimer.singleShot(30_000, loop.quit)  # never hang a build
        loop.exec()
        if not opened:
            print(f"screenshot: no place opened for {query!r}", file=sys.stderr)
            return 1
        for _ in range(5):  # let the map lay out its labels and everything repaint
            app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            print(f"screenshot: could not write {out}", file=sys.stderr)
            return 1
        print(f"{out}: {window.width()}×{window.height()}, query {query!r}, opened {opened[0]}, "
              f"platform {QApplication.platformName()}")  # fmt: skip
        window.close()
        gazetteer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
