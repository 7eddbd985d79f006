"""The start-up font check on this machine's real fonts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui.fonts import Coverage, check_fonts, missing_fonts_message

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.gui


def test_installed_fonts_cover_armenian_cyrillic_and_azerbaijani(qapp) -> None:  # type: ignore[no-untyped-def]
    results = check_fonts()
    assert [r.script for r in results] == ["Armenian", "Cyrillic", "Azerbaijani Latin"]
    assert all(r.ok for r in results), results  # fonts-dejavu-core is a dependency of Qt here
    assert missing_fonts_message(results) is None


def test_a_machine_without_fonts_is_told_which_package_to_install(tmp_path: Path) -> None:
    """Run the check in a process whose fontconfig sees no fonts at all (as on a bare box)."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f"<?xml version='1.0'?><fontconfig><dir>{tmp_path / 'no-fonts'}</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    script = (
        "from PySide6.QtGui import QGuiApplication\n"
        "app = QGuiApplication([])\n"
        "from ui.fonts import check_fonts, missing_fonts_message\n"
        "results = check_fonts()\n"
        "print([r.script for r in results if not r.ok])\n"
        "print(missing_fonts_message(results))\n"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=60, cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, done.stderr
    missing, message = done.stdout.splitlines()[:2]
    assert "Armenian" in missing
    assert "fonts-dejavu-core" in message and "fonts-noto-core" in message


def test_the_message_names_the_script_and_the_package() -> None:
    message = missing_fonts_message([
        Coverage("Armenian", None, "Շու"), Coverage("Cyrillic", "DejaVu Sans", ""),
    ])  # fmt: skip
    assert message is not None
    assert "Armenian (Շու)" in message and "Cyrillic" not in message
    assert "fonts-dejavu-core" in message and "fonts-noto-core" in message
