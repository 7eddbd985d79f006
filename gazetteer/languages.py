"""Language tags (BCP 47) and writing systems (ISO 15924): parsing, checking, detecting.

Only the subset of BCP 47 a gazetteer meets is accepted: language, optional script, optional
region, optional variants (``hy``, ``az-Cyrl``, ``hy-Latn``, ``ru-RU``, ``hy-arevmda``),
plus ``und`` for names whose language is not known. The language subtag must be a real
ISO 639 code — ``xx`` is well-formed but means nothing, so it is refused.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# ISO 639-1 (all two-letter codes).
_ISO639_1 = set(
    [
        "aa",
        "ab",
        "ae",
        "af",
        "ak",
        "am",
        "an",
        "ar",
        "as",
        "av",
        "ay",
        "az",
        "ba",
        "be",
        "bg",
        "bi",
        "bm",
        "bn",
        "bo",
        "br",
        "bs",
        "ca",
        "ce",
        "ch",
        "co",
        "cr",
        "cs",
        "cu",
        "cv",
        "cy",
        "da",
        "de",
        "dv",
        "dz",
        "ee",
        "el",
        "en",
        "eo",
        "es",
        "et",
        "eu",
        "fa",
        "ff",
        "fi",
        "fj",
        "fo",
        "fr",
        "fy",
        "ga",
        "gd",
        "gl",
        "gn",
        "gu",
        "gv",
        "ha",
        "he",
        "hi",
        "ho",
        "hr",
        "ht",
        "hu",
        "hy",
        "hz",
        "ia",
        "id",
        "ie",
        "ig",
        "ii",
        "ik",
        "io",
        "is",
        "it",
        "iu",
        "ja",
        "jv",
        "ka",
        "kg",
        "ki",
        "kj",
        "kk",
        "kl",
        "km",
        "kn",
        "ko",
        "kr",
        "ks",
        "ku",
        "kv",
        "kw",
        "ky",
        "la",
        "lb",
        "lg",
        "li",
        "ln",
        "lo",
        "lt",
        "lu",
        "lv",
        "mg",
        "mh",
        "mi",
        "mk",
        "ml",
        "mn",
        "mr",
        "ms",
        "mt",
        "my",
        "na",
        "nb",
        "nd",
        "ne",
        "ng",
        "nl",
        "nn",
        "no",
        "nr",
        "nv",
        "ny",
        "oc",
        "oj",
        "om",
        "or",
        "os",
        "pa",
        "pi",
        "pl",
        "ps",
        "pt",
        "qu",
        "rm",
        "rn",
        "ro",
        "ru",
        "rw",
        "sa",
        "sc",
        "sd",
        "se",
        "sg",
        "si",
        "sk",
        "sl",
        "sm",
        "sn",
        "so",
        "sq",
        "sr",
        "ss",
        "st",
        "su",
        "sv",
        "sw",
        "ta",
        "te",
        "tg",
        "th",
        "ti",
        "tk",
        "tl",
        "tn",
        "to",
        "tr",
        "ts",
        "tt",
        "tw",
        "ty",
        "ug",
        "uk",
        "ur",
        "uz",
        "ve",
        "vi",
        "vo",
        "wa",
        "wo",
        "xh",
        "yi",
        "yo",
        "za",
        "zh",
        "zu",
    ]
)
# ISO 639-2/3 codes met in this region's sources (and GeoNames), plus 'und' (undetermined).
_ISO639_3 = set(
    [
        "und",
        "mul",
        "zxx",
        "hyw",
        "xcl",
        "ota",
        "ota",
        "lez",
        "tly",
        "tat",
        "udi",
        "kbd",
        "ady",
        "krc",
        "kum",
        "nog",
        "ava",
        "dar",
        "lbe",
        "che",
        "inh",
        "oss",
        "xmf",
        "lzz",
        "sva",
        "bbl",
        "ckb",
        "kmr",
        "sdh",
        "azb",
        "grc",
        "ang",
        "chu",
        "arc",
        "syr",
        "peo",
        "pal",
        "xpr",
        "gmy",
        "hit",
        "ave",
        "sog",
        "xbc",
        "ase",
        "yue",
        "cmn",
        "wuu",
        "nan",
        "hak",
        "lad",
        "rom",
        "rmy",
        "ccs",
        "sla",
        "ine",
    ]
)

# ISO 15924 codes we recognise in a script subtag or a ``script`` field.
SCRIPTS = {
    "Latn": "Latin",
    "Cyrl": "Cyrillic",
    "Armn": "Armenian",
    "Arab": "Arabic",
    "Geor": "Georgian",
    "Grek": "Greek",
    "Hebr": "Hebrew",
    "Syrc": "Syriac",
    "Hani": "Han",
    "Hans": "Han (Simplified)",
    "Hant": "Han (Traditional)",
    "Jpan": "Japanese",
    "Kore": "Korean",
    "Hang": "Hangul",
    "Deva": "Devanagari",
    "Thai": "Thai",
    "Ethi": "Ethiopic",
    "Zyyy": "Common",
    "Zxxx": "Unwritten",
    "Zzzz": "Unknown",
}

# The script a language is written in when its tag names none.
DEFAULT_SCRIPT = {
    "hy": "Armn",
    "hyw": "Armn",
    "xcl": "Armn",
    "az": "Latn",
    "en": "Latn",
    "ru": "Cyrl",
    "ka": "Geor",
    "xmf": "Geor",
    "sva": "Geor",
    "fa": "Arab",
    "ar": "Arab",
    "azb": "Arab",
    "ckb": "Arab",
    "ur": "Arab",
    "ps": "Arab",
    "tr": "Latn",
    "de": "Latn",
    "fr": "Latn",
    "es": "Latn",
    "it": "Latn",
    "pl": "Latn",
    "uk": "Cyrl",
    "be": "Cyrl",
    "bg": "Cyrl",
    "sr": "Cyrl",
    "mk": "Cyrl",
    "kk": "Cyrl",
    "ky": "Cyrl",
    "tg": "Cyrl",
    "os": "Cyrl",
    "el": "Grek",
    "grc": "Grek",
    "he": "Hebr",
    "ja": "Jpan",
    "ko": "Kore",
    "zh": "Hani",
    "syr": "Syrc",
    "lez": "Cyrl",
    "tly": "Latn",
    "udi": "Cyrl",
    "ku": "Latn",
    "kmr": "Latn",
}

_TAG = re.compile(
    r"^(?P<lang>[a-z]{2,3})"
    r"(?:-(?P<script>[A-Z][a-z]{3}))?"
    r"(?:-(?P<region>[A-Z]{2}|\d{3}))?"
    r"(?P<variants>(?:-(?:[a-z0-9]{5,8}|\d[a-z0-9]{3}))*)$"
)


@dataclass(frozen=True)
class LanguageTag:
    """A parsed, canonically cased BCP 47 tag."""

    language: str
    script: str | None
    region: str | None
    variants: tuple[str, ...]

    def __str__(self) -> str:
        parts = [self.language]
        if self.script:
            parts.append(self.script)
        if self.region:
            parts.append(self.region)
        parts.extend(self.variants)
        return "-".join(parts)

    @property
    def expected_script(self) -> str | None:
        """The script names in this language should be written in, if it is known."""
        return self.script or DEFAULT_SCRIPT.get(self.language)


def parse_language_tag(tag: str) -> LanguageTag:
    """Parse and canonicalise a tag (``AZ-cyrl`` → ``az-Cyrl``); ValueError if it is not one."""
    raw = tag.strip().replace("_", "-")
    if not raw:
        raise ValueError("empty language tag")
    pieces = raw.split("-")
    canon = [pieces[0].lower()]
    for piece in pieces[1:]:
        if len(piece) == 4 and piece.isalpha():
            canon.append(piece.title())
        elif len(piece) == 2 and piece.isalpha():
            canon.append(piece.upper())
        else:
            canon.append(piece.lower())
    match = _TAG.match("-".join(canon))
    if not match:
        raise ValueError(f"{tag!r} is not a BCP 47 language tag")
    language = match["lang"]
    if language not in _ISO639_1 and language not in _ISO639_3:
        raise ValueError(f"unknown language code {language!r} in {tag!r}")
    script = match["script"]
    if script is not None and script not in SCRIPTS:
        raise ValueError(f"unknown script subtag {script!r} in {tag!r}")
    variants = tuple(v for v in match["variants"].split("-") if v)
    return LanguageTag(language, script, match["region"], variants)


@functools.cache  # a million names share a few hundred distinct letters
def script_of_char(ch: str) -> str | None:
    """ISO 15924 code of a letter, or None for digits, punctuation, spaces and marks."""
    if not unicodedata.category(ch).startswith("L"):
        return None
    cp = ord(ch)
    if cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF or 0x2C60 <= cp <= 0x2C7F or 0xA720 <= cp <= 0xA7FF:
        return "Latn"
    if 0x0250 <= cp <= 0x02AF or 0xFF21 <= cp <= 0xFF5A:
        return "Latn"
    if 0x0400 <= cp <= 0x052F or 0x2DE0 <= cp <= 0x2DFF or 0xA640 <= cp <= 0xA69F:
        return "Cyrl"
    if 0x0530 <= cp <= 0x058F or 0xFB13 <= cp <= 0xFB17:
        return "Armn"
    if 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08FF:
        return "Arab"
    if 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF:
        return "Arab"
    if 0x10A0 <= cp <= 0x10FF or 0x1C90 <= cp <= 0x1CBF or 0x2D00 <= cp <= 0x2D2F:
        return "Geor"
    if 0x0370 <= cp <= 0x03FF or 0x1F00 <= cp <= 0x1FFF:
        return "Grek"
    if 0x0590 <= cp <= 0x05FF:
        return "Hebr"
    if 0x0700 <= cp <= 0x074F:
        return "Syrc"
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF:
        return "Hani"
    if 0x3040 <= cp <= 0x30FF:
        return "Jpan"
    if 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF:
        return "Hang"
    if 0x0900 <= cp <= 0x097F:
        return "Deva"
    if 0x0E00 <= cp <= 0x0E7F:
        return "Thai"
    if 0x1200 <= cp <= 0x139F:
        return "Ethi"
    return "Zzzz"


def scripts_in(text: str) -> Counter[str]:
    """How many letters of each script ``text`` contains."""
    return Counter(s for s in map(script_of_char, text) if s is not None)


def detect_script(text: str) -> str:
    """The ISO 15924 code of the script most letters of ``text`` are in (``Zyyy`` if none)."""
    counts = scripts_in(text)
    if not counts:
        return "Zyyy"
    return counts.most_common(1)[0][0]


__all__ = [
    "DEFAULT_SCRIPT",
    "SCRIPTS",
    "LanguageTag",
    "detect_script",
    "parse_language_tag",
    "scripts_in",
]
