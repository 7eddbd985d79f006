"""Does this machine have fonts for the scripts the gazetteer shows?

A missing Armenian font turns every Armenian name into boxes ("tofu") without any error, so
the app checks at start and tells the user which Debian package fixes it. The check must be
cheap (it runs before the first window): the application font is tried first, and only when
it lacks a character are the families that claim the writing system asked.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

#: Font packages that cover all four scripts (Armenian, Cyrillic, Latin with ə ğ ı İ).
FIX_PACKAGES = ("fonts-dejavu-core", "fonts-noto-core")


@dataclass(frozen=True)
class ScriptSample:
    """Characters that must render for names in one script to be readable."""

    script: str
    writing_system: QFontDatabase.WritingSystem
    characters: str


#: Armenian and Cyrillic letters taken from real names (Շուշի, Ստեփանակերտ, Ханкенди,
#: Кельбаджар), and the Azerbaijani Latin letters that Latin-1 fonts lack.
SAMPLES = (
    ScriptSample("Armenian", QFontDatabase.WritingSystem.Armenian, "ՇուշիՍտեփանակերտև"),
    ScriptSample("Cyrillic", QFontDatabase.WritingSystem.Cyrillic, "ХанкендиКельбаджарЁё"),
    ScriptSample("Azerbaijani Latin", QFontDatabase.WritingSystem.Latin, "əƏğĞıİşŞçÇöÖüÜ"),
)


@dataclass(frozen=True)
class Coverage:
    """Whether one script renders, and with which font family (None: boxes)."""

    script: str
    family: str | None
    missing: str  # characters no installed font has; empty when covered

    @property
    def ok(self) -> bool:
        """True when every sample character has a glyph in some installed font."""
        return not self.missing


def _missing_in(font: QFont, characters: str) -> str:
    metrics = QFontMetrics(font)
    return "".join(ch for ch in characters if not metrics.inFontUcs4(ord(ch)))


def check_sample(sample: ScriptSample, app_font: QFont) -> Coverage:
    """Coverage of one script: the application font first, then fonts that claim the script.

    Qt falls back per character to any installed font, so a script counts as covered when
    each character is in the application font or in one family that supports the script.
    """
    missing = _missing_in(app_font, sample.characters)
    if not missing:
        return Coverage(sample.script, app_font.family(), "")
    for family in QFontDatabase.families(sample.writing_system):
        still = _missing_in(QFont(family), missing)
        if not still:
            return Coverage(sample.script, family, "")
    return Coverage(sample.script, None, missing)


def check_fonts(app_font: QFont | None = None) -> list[Coverage]:
    """Coverage of Armenian, Cyrillic and Azerbaijani Latin on this machine.

    Needs a ``QGuiApplication``; ``app_font`` defaults to the application's font.
    """
    from PySide6.QtGui import QGuiApplication

    font = app_font if app_font is not None else QGuiApplication.font()
    return [check_sample(sample, font) for sample in SAMPLES]


def missing_fonts_message(results: list[Coverage]) -> str | None:
    """A sentence for the user naming the uncovered scripts and the package that fixes them.

    None when every script is covered.
    """
    bad = [r for r in results if not r.ok]
    if not bad:
        return None
    scripts = ", ".join(f"{r.script} ({r.missing})" for r in bad)
    return (
        f"No installed font can show {scripts}: those names will appear as boxes. "
        f"On Debian or Ubuntu, install {FIX_PACKAGES[0]} or {FIX_PACKAGES[1]} "
        f"(sudo apt install {FIX_PACKAGES[1]}) and restart the gazetteer."
    )
