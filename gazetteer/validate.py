"""Checks a value must pass before it is written. Each raises ``ValidationError`` naming
the field and the problem; nothing here touches the database.
"""

from __future__ import annotations

import datetime as _dt
import math
import unicodedata

from gazetteer.errors import ValidationError
from gazetteer.languages import SCRIPTS, parse_language_tag, scripts_in
from gazetteer.model import NAME_KINDS, ROLES

#: Earliest year accepted for a name's period (ancient names such as Erebuni are undated).
EARLIEST_YEAR = -3000


def current_year() -> int:
    """This year, the latest a name's period or a census may name."""
    return _dt.date.today().year


def clean_text(value: str, field: str) -> str:
    """A name as stored: NFC, trimmed, no control characters; refuse empty ones."""
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise ValidationError(field, "contains a broken character (lone surrogate)", value)
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        raise ValidationError(field, "is empty", value)
    for ch in text:
        if unicodedata.category(ch) == "Cc":
            raise ValidationError(field, f"contains the control character U+{ord(ch):04X}", value)
    return text


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
    """A place id: non-empty, no whitespace or control characters."""
    text = value.strip()
    if not text:
        raise ValidationError(field, "is empty", value)
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in text):
        raise ValidationError(
            field, f"place id {value!r} contains spaces or control characters", value
        )
    return text
