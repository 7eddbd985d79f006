"""Checks a value must pass before it is written. Each raises ``ValidationError`` naming
the field and the problem; nothing here touches the database.

Every free-text field (a name, who uses it, its romanisation system, a source's citation or
URL, a note, an id) goes through one character check, ``refused_character``, whichever
way it comes in: the bundled data, a CSV file, a GeoNames dump, an edit through the façade.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata

from gazetteer.errors import ValidationError
from gazetteer.languages import SCRIPTS, parse_language_tag, scripts_in
from gazetteer.model import NAME_KINDS, ROLES

#: Earliest year accepted for a name's period (ancient names such as Erebuni are undated).
EARLIEST_YEAR = -3000


def current_year() -> int:
    """This year, the latest a name's period or a census may name."""
    return _dt.date.today().year


# -- free text -----------------------------------------------------------------------------
#
# What is refused, and why (a value's characters, after its ends are trimmed):
# * every C0 and C1 control character, tab and line breaks included (U+0000-U+001F,
#   U+007F-U+009F: NUL, ESC, U+0085 NEXT LINE ...): no field is multi-line, and a control
#   character in a name or a citation is an accident of copying, or an attack on a terminal;
# * the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and
#   the deprecated format characters after them (U+206A-U+206F): they reorder what is
#   *shown* without changing what is stored, so two values that look alike would differ
#   ("Trojan Source", CVE-2021-42574). The implicit marks LRM, RLM and ALM (U+200E,
#   U+200F, U+061C) pass: they are how Arabic-script and Hebrew text is legitimately
#   written, and they reorder nothing beyond neutral characters;
# * the line and paragraph separators (U+2028, U+2029) inside a value: line breaks;
# * U+FEFF inside a value (a byte-order mark glued in by concatenating files; as a "zero
#   width no-break space" it is deprecated in favour of U+2060 WORD JOINER, which passes);
# * U+FFFD, the replacement character: the text was decoded with the wrong encoding
#   somewhere upstream, and its real letters are lost;
# * lone surrogates, noncharacters (U+FDD0-U+FDEF and the last two code points of every
#   plane), the interlinear annotation characters (U+FFF9-U+FFFB) and the tag characters
#   (U+E0000-U+E007F, invisible copies of ASCII): never text.
# Everything else passes: every script's letters and combining marks (Armenian, ə ı İ,
# Cyrillic ...), ZWNJ and ZWJ (U+200C, U+200D: Persian and Indic spelling, emoji), ZWSP
# inside a value (a word break in Thai, Khmer, Myanmar), soft hyphens, variation selectors.
#
# What is normalised: NFC (what the name model stores), and the ends trimmed of spaces of
# every width, tab, CR/LF, U+2028/U+2029, and the invisible ZWSP (U+200B), WORD JOINER
# (U+2060) and BOM (U+FEFF) that a copy from a web page or the first cell of a file drags
# along. Unassigned code points are not refused: a newer Unicode than this Python's would
# be refused for no reason.

#: Characters trimmed from both ends of every free-text value.
EDGE_CHARACTERS = (
    "\t\n\r\u2028\u2029\u200b\u2060\ufeff"
    " \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)

#: Every refused character of the Basic Multilingual Plane and the tag characters, as
#: ranges, plus every character above U+FFFF (checked one by one: the noncharacters
#: U+1FFFE, U+1FFFF ... U+10FFFF are among them). One search of a class of ranges is
#: what the bulk importer can afford for a million names: 32 single characters in it made
#: every search four times slower (430 against 100 ns a name of the bundled data).
_CANDIDATES = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u206f\ufdd0-\ufdef\ufeff\ufff9-\ufffb"
    "\ufffd-\uffff\ud800-\udfff\U00010000-\U0010ffff]"
)


def _kind_of(ch: str) -> str:
    """What a refused character is, in words (also the bulk importer's skip reason)."""
    code = ord(ch)
    if code <= 0x1F or 0x7F <= code <= 0x9F:
        return "a control character"
    if 0xD800 <= code <= 0xDFFF:
        return "a broken character (lone surrogate)"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return "an invisible bidirectional control"
    if code in (0x2028, 0x2029):
        return "a line break"
    if code == 0xFEFF:
        return "a byte-order mark inside the text"
    if code == 0xFFFD:
        return "the replacement character (the text was decoded wrongly somewhere)"
    if 0xE0000 <= code <= 0xE007F:
        return "an invisible tag character"
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return "a noncharacter"
    return "an invisible format character"  # U+206A-U+206F, U+FFF9-U+FFFB


def tidy(value: str) -> str:
    """A value as stored, before it is checked: NFC, ends trimmed (see ``EDGE_CHARACTERS``).

    Refused characters are left in place for ``refused_character`` to find: NFC neither
    makes nor removes any of them.
    """
    text = value if value.isascii() else unicodedata.normalize("NFC", value)
    return text.strip(EDGE_CHARACTERS)


def refused_character(text: str) -> tuple[int, str] | None:
    """The first character ``text`` may not hold, as (index, what it is), or None."""
    found = _CANDIDATES.search(text)
    # Above U+FFFF only the tag characters and the planes' last two code points are refused.
    while found is not None and found.group() > "\uffff":
        code = ord(found.group())
        if 0xE0000 <= code <= 0xE007F or code & 0xFFFE == 0xFFFE:
            break
        found = _CANDIDATES.search(text, found.end())
    if found is None:
        return None
    return found.start(), _kind_of(found.group())


def _checked(value: str, field: str) -> str:
    """``tidy(value)``, or ``ValidationError`` saying which character is refused, where."""
    text = tidy(value)
    found = refused_character(text)
    if found is not None:
        index, kind = found
        code = ord(text[index])
        # Counted in the value as given (its trimmed start included): where a user looks.
        whole = value if value.isascii() else unicodedata.normalize("NFC", value)
        position = index + len(whole) - len(whole.lstrip(EDGE_CHARACTERS)) + 1
        raise ValidationError(
            field, f"contains {kind} (U+{code:04X}) at character {position}", value
        )
    return text


def clean_text(value: str, field: str) -> str:
    """A required free-text value (a name, a citation) as stored: NFC, trimmed, without a
    refused character (see above); refuse empty ones."""
    text = _checked(value, field)
    if not text:
        raise ValidationError(field, "is empty", value)
    return text


def optional_text(value: str | None, field: str) -> str | None:
    """An optional free-text value (used by, romanisation, note, a source): as
    ``clean_text``, but empty or missing is None."""
    if value is None:
        return None
    return _checked(value, field) or None


def optional_note(value: str | None, field: str) -> str | None:
    """An optional note: as ``optional_text``, but it may run over several lines and hold
    tabs, as a spreadsheet cell or a quoted CSV field can. Line breaks are kept as LF (CR
    LF and CR become LF); every other refused character is refused as in any text."""
    if value is None:
        return None
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    # The same checks and message, with line breaks and tabs out of the way (same positions).
    _checked(text.replace("\n", " ").replace("\t", " "), field)
    return tidy(text) or None


def language_tag(value: str, field: str = "lang") -> str:
    """The canonical form of a BCP 47 tag (``AZ-cyrl`` → ``az-Cyrl``); refuse unknown codes."""
    try:
        return str(parse_language_tag(value))
    except ValueError as error:
        raise ValidationError(field, str(error), value) from None


def script_for(text: str, lang: str, declared: str | None, field: str = "script") -> str:
    """The ISO 15924 script of a name, checked against its text and its language tag."""
    found = scripts_in(text)
    letters = [s for s in found if s != "Zzzz"]
    if len(letters) > 1:
        listing = " and ".join(sorted(letters))
        raise ValidationError(field, f"text mixes scripts ({listing})", text)
    detected = letters[0] if letters else None
    tag = parse_language_tag(lang)
    if declared:
        if declared not in SCRIPTS:
            raise ValidationError(field, f"unknown ISO 15924 script code {declared!r}", declared)
        if detected and declared != detected:
            raise ValidationError(field, f"is {declared} but the text is in {detected}", text)
    expected = tag.expected_script
    script = declared or detected or expected or "Zyyy"
    if expected and detected and detected != expected:
        raise ValidationError(
            "lang",
            f"{lang} names are written in {expected} but the text is in {detected}"
            f" (use a tag such as {tag.language}-{detected})",
            text,
        )
    return script


def name_kind(value: str, field: str = "kind") -> str:
    """One of ``NAME_KINDS``."""
    kind = value.strip().lower()
    if kind not in NAME_KINDS:
        raise ValidationError(
            field, f"unknown name kind {value!r} (use one of: {', '.join(NAME_KINDS)})", value
        )
    return kind


def role(value: str, field: str = "role") -> str:
    """One of the known roles (feature classes)."""
    cleaned = " ".join(value.strip().lower().replace("_", " ").split())
    if cleaned not in ROLES:
        raise ValidationError(field, f"unknown role {value!r}", value)
    return cleaned


def latitude(value: float | None, field: str = "lat") -> float | None:
    """A WGS84 latitude in [-90, 90], or None."""
    if value is None:
        return None
    if not math.isfinite(value) or not -90 <= value <= 90:
        raise ValidationError(field, f"latitude {value} is outside -90..90", value)
    return value


def longitude(value: float | None, field: str = "lon") -> float | None:
    """A WGS84 longitude in [-180, 180], or None."""
    if value is None:
        return None
    if not math.isfinite(value) or not -180 <= value <= 180:
        raise ValidationError(field, f"longitude {value} is outside -180..180", value)
    return value


def year(value: int | None, field: str) -> int | None:
    """A year between ``EARLIEST_YEAR`` and this year, or None."""
    if value is None:
        return None
    if not EARLIEST_YEAR <= value <= current_year():
        raise ValidationError(
            field, f"year {value} is not between {EARLIEST_YEAR} and {current_year()}", value
        )
    return value


def period(valid_from: int | None, valid_to: int | None, field: str = "period") -> None:
    """A period whose start is not after its end."""
    if valid_from is not None and valid_to is not None and valid_from > valid_to:
        raise ValidationError(field, f"starts in {valid_from}, after it ends in {valid_to}")


def population(value: int, field: str = "population") -> int:
    """A non-negative head count below the world's population."""
    if value < 0 or value > 10_000_000_000:
        raise ValidationError(field, f"population {value} is impossible", value)
    return value


def place_id(value: str, field: str = "id") -> str:
    """A place id: a ``clean_text`` without whitespace."""
    text = clean_text(value, field)
    if any(ch.isspace() for ch in text):
        raise ValidationError(field, f"place id {value!r} contains spaces", value)
    return text
