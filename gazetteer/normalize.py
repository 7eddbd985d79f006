"""Name normalisation and search keys (pure functions, no I/O).

Every name and every query is turned into a small set of *keys*, one per tier of
matching strictness (see ``docs/architecture.md`` and translit.md §4):

``exact``
    cleanup (NFC, invisible characters removed, apostrophe / hyphen / space variants
    unified, ǝ→ə, ș→ş, Latin/Cyrillic homoglyphs repaired) and a Turkic-aware case fold.
``plain``
    diacritic-free, digraph flavour (ş→sh, ç→ch, ə→e …), Armenian classical → reformed
    spelling, Russian ё→е.
``strip``
    naive diacritic stripping (ş→s, ç→c); the one key that joins Şuşa with Susa, so a
    query only uses it when it was typed without any of those letters.
``skel`` / ``skel_alt``
    a cross-script romanised skeleton in sound classes (Xankəndi = Khankendi = Ханкенди
    = Խանքենդի = ``hankandi``). Stored names with a known language get one canonical
    reading (``skel``); ambiguous Latin spellings (ch, c, j …) of queries and of names
    of unknown language get alternative readings (``skel_alt``).
``phon``
    a coarse key derived from the skeleton (vowels merged, voicing pairs merged).
``cons``
    consonants only (Perso-Arabic script writes no short vowels); ≥ 3 consonants.
``core``
    the skeleton with generic words removed (District, rayonu, район, շրջան …) and the
    Armenian genitive / Russian adjective undone (Шушинский район → Шуша).

The same functions compute the keys of stored names (:func:`name_keys`) and of queries
(:func:`query_keys`), so both sides always agree. Bump :data:`KEY_RULES_VERSION` whenever
any output of this module changes: stored keys are then rebuilt by a migration.

unidecode is used only as the last resort for scripts without a table here (Georgian,
Greek, CJK …) and never sees Azerbaijani ə or Armenian, which it gets wrong.

Speed (an import computes the keys of a million names; ``bench/keys.py``): words recur
across names, so per-word results are kept in bounded caches, and words in one script
take direct paths (translate tables, one regex per spelling table) that give what the
general character-by-character reading gives; tests/gazetteer/test_normalize_paths.py
holds the two side by side. Every function stays pure: no output depends on what a cache
holds or on the order of calls.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Final, Generic, TypeAlias, TypeVar

from rapidfuzz.distance import OSA, Indel
from unidecode import unidecode

__all__ = [
    "KEY_KINDS",
    "KEY_RULES_VERSION",
    "MAX_QUERY_LENGTH",
    "MAX_READINGS",
    "QueryKeys",
    "cleanup",
    "cons_key",
    "core_variants",
    "exact_key",
    "fuzzy_ratio",
    "fuzzy_similarity",
    "generic_classes",
    "letter_edits",
    "letters_of",
    "matching_tiers",
    "name_keys",
    "phon_key",
    "plain_key",
    "query_keys",
    "skeleton_keys",
    "strip_key",
]

#: Version of the key rules. Stored keys are derived data: when this number differs
#: from the one recorded in the database, every ``name_key`` row is rebuilt.
KEY_RULES_VERSION: Final[int] = 3

#: Every key kind :func:`name_keys` can emit, in tier order.
KEY_KINDS: Final[tuple[str, ...]] = (
    "exact",
    "plain",
    "strip",
    "skel",
    "skel_alt",
    "core",
    "phon",
    "cons",
)

#: Queries are cut to this many characters before keys are computed: no place name is
#: longer, and a pasted paragraph must not cost more than a keystroke.
MAX_QUERY_LENGTH: Final[int] = 200

#: Most alternative skeleton readings produced for one text (translit.md §4.1 step 3).
MAX_READINGS: Final[int] = 16

# --------------------------------------------------------------------------------------
# Cleanup
# --------------------------------------------------------------------------------------

# Apostrophe-likes (translit.md §2.4): all become ASCII ' in `exact`, dropped later.
_APOSTROPHES: Final = (
    "'\u2019\u2018\u201b\u02bb\u02bc\u02bd\u02be\u02bf\u0060\u00b4"
    "\u02b9\u02ba\u02ee\u055a\u00b7\u2032\ua78c"
)
# Hyphen-likes (§2.8) become '-'. U+00AD soft hyphen is invisible and deleted instead.
_HYPHENS: Final = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u058a\ufe63\uff0d\ufe58\u2e3a\u2e3b"
# Characters deleted outright: zero-width, bidi controls, BOM, CGJ, tatweel, Armenian
# emphasis / exclamation / question / abbreviation marks written inside words (§2.5),
# variation selectors.
_DELETE: Final = (
    "\u00ad\u034f\u0640\u055b\u055c\u055e\u055f\u061c\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\ufeff" + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)
# Explicit character repairs done during cleanup.
_CLEAN_FIXED: Final[dict[str, str]] = {
    # Encoding confusables of the Azerbaijani schwa (§2.1): turned e is not schwa.
    "\u01dd": "\u0259",  # ǝ → ə
    "\u018e": "\u018f",  # Ǝ → Ə
    # Romanian comma-below letters typed on the wrong layout (§2.7).
    "\u0219": "\u015f",  # ș → ş
    "\u0218": "\u015e",  # Ș → Ş
    "\u021b": "\u0163",  # ț → ţ
    "\u021a": "\u0162",  # Ț → Ţ
    # Armenian full stop and comma separate words (§2.5); people type ':' for ։ too.
    "\u0589": " ",
    "\u055d": " ",
    # Armenian presentation ligatures (§2.3) decompose to letter pairs.
    "\ufb13": "\u0574\u0576",
    "\ufb14": "\u0574\u0565",
    "\ufb15": "\u0574\u056b",
    "\ufb16": "\u057e\u0576",
    "\ufb17": "\u0574\u056d",
    # Arabic vs Persian yeh and kaf (§2.10) are the same letter in these names.
    "\u064a": "\u06cc",
    "\u0649": "\u06cc",
    "\u0643": "\u06a9",
}
# Whitespace-like control characters become spaces rather than disappearing, so that
# "Şuşa\tŞəhəri" keeps two words.
_CONTROL_SPACES: Final = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85"


def _clean_char(c: str) -> str:
    """Cleanup mapping of one code point (computed once per code point, then cached)."""
    if c in _CLEAN_FIXED:
        return _CLEAN_FIXED[c]
    if c in _APOSTROPHES:
        return "'"
    if c in _HYPHENS:
        return "-"
    if c in _DELETE:
        return ""
    if c in _CONTROL_SPACES:
        return " "
    cat = unicodedata.category(c)
    if cat in ("Cc", "Cf", "Cs"):
        # Controls, format characters and lone surrogates carry no letters; lone
        # surrogates would also make the key unencodable as UTF-8 (SQLite, JSON).
        return ""
    if cat in ("Zs", "Zl", "Zp"):
        return " "
    if cat == "Pd":
        return "-"
    if cat[0] == "P" or cat[0] == "S":
        # Other punctuation and symbols (. , ; : ( ) / " * emoji …) separate words.
        return " "
    if 0xFF21 <= ord(c) <= 0xFF5A or 0xFF10 <= ord(c) <= 0xFF19:
        # Full-width Latin letters and digits from East Asian input methods.
        return chr(ord(c) - 0xFEE0)
    if 0xFB00 <= ord(c) <= 0xFB06:
        # Latin ligatures ﬁ ﬂ … from PDF copy-paste.
        return unicodedata.normalize("NFKC", c)
    return c


class _LazyTable(dict[int, str]):
    """A ``str.translate`` table that computes and caches each code point's mapping.

    ``str.translate`` looks every code point up with ``__getitem__``, so a dict subclass
    with ``__missing__`` lets one table cover all of Unicode without precomputing it.
    """

    def __init__(self, func: Callable[[str], str]) -> None:
        super().__init__()
        self._func = func

    def __missing__(self, key: int) -> str:
        value = self._func(chr(key))
        self[key] = value
        return value


_CLEAN_TABLE: Final = _LazyTable(_clean_char)

_V = TypeVar("_V")


class _WordCache(dict[str, _V], Generic[_V]):
    """Values of a pure function of one word, computed on first use, at most *limit*.

    Words recur all through a million names. A plain dict is looked up in C, where
    ``functools.lru_cache`` builds a key per call and keeps one tracked object per entry
    that every full garbage collection walks; when full it is emptied and fills again
    with the words in use (a result never depends on what the cache holds).
    """

    def __init__(self, func: Callable[[str], _V], limit: int = 1 << 16) -> None:
        super().__init__()
        self._func = func
        self._limit = limit

    def __missing__(self, word: str) -> _V:
        value = self._func(word)
        if len(self) >= self._limit:
            self.clear()
        self[word] = value
        return value


_ASCII_CLEAN_TABLE: Final = str.maketrans({chr(o): _clean_char(chr(o)) for o in range(0x80)})

# Latin/Cyrillic homoglyphs (§2.9): letters that look alike in the two scripts. Each
# direction is listed in lower case and extended to upper case, so that the repair
# commutes with case (Н looks like H, so н goes with h; a case-blind key needs pairs).
_LAT_TO_CYR_LOWER: Final[dict[str, str]] = {
    "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "i": "і", "j": "ј", "k": "к",
    "m": "м", "o": "о", "p": "р", "s": "ѕ", "t": "т", "x": "х", "y": "у", "\u0259": "ә",
    "ı": "і",  # upper case of ı is I, so ı must go where i goes
}  # fmt: skip
_CYR_TO_LAT_LOWER: Final[dict[str, str]] = {
    **{v: k for k, v in _LAT_TO_CYR_LOWER.items() if k != "ı"},
    "һ": "h",  # Azerbaijani Cyrillic h
}


def _with_upper(pairs: dict[str, str]) -> dict[str, str]:
    return {**pairs, **{k.upper(): v.upper() for k, v in pairs.items()}}


_LAT_TO_CYR_TABLE: Final = str.maketrans(_with_upper(_LAT_TO_CYR_LOWER))
_CYR_TO_LAT_TABLE: Final = str.maketrans(_with_upper(_CYR_TO_LAT_LOWER))


def _is_latin_letter(c: str) -> bool:
    o = ord(c)
    return (
        (0x61 <= o <= 0x7A)
        or (0x41 <= o <= 0x5A)
        or (0xC0 <= o <= 0x24F and o not in (0xD7, 0xF7))
        or (0x1E00 <= o <= 0x1EFF)
        or o in (0x259, 0x18F)
    )


def _is_cyrillic(c: str) -> bool:
    return 0x400 <= ord(c) <= 0x52F


def _repair_homoglyphs(word: str) -> str:
    """Map the minority script of a mixed Latin/Cyrillic word to the majority script.

    Azerbaijani users switching keyboard layouts type words like ``Xankәndi`` (Cyrillic
    ә) or ``Eреван`` (Latin E). A tie is left alone: there is no majority to trust.
    """
    latin = cyr = 0
    for c in word:
        if _is_cyrillic(c):
            cyr += 1
        elif _is_latin_letter(c):
            latin += 1
    if not latin or not cyr or latin == cyr:
        return word
    # Work on base letters so that ǰ (j + caron) is treated like j in either case.
    table = _CYR_TO_LAT_TABLE if latin > cyr else _LAT_TO_CYR_TABLE
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", word).translate(table))


# The letters _is_latin_letter and _is_cyrillic accept, as patterns searched in C.
_LATIN_LETTER_RE: Final = re.compile(
    "[a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0259\u1e00-\u1eff]"
)
_CYRILLIC_RE: Final = re.compile("[\u0400-\u052f]")


def _repair_words(words: list[str], text: str) -> list[str]:
    """:func:`_repair_homoglyphs` of each of *words*, the words of *text*.

    A word can only be repaired when it holds both Latin and Cyrillic letters; when
    *text* as a whole lacks one of the two scripts (nearly always), every word would
    come back unchanged, so the words are returned as they are.
    """
    if _CYRILLIC_RE.search(text) and _LATIN_LETTER_RE.search(text):
        return [_repair_homoglyphs(w) for w in words]
    return words


def cleanup(text: str) -> str:
    """Return *text* in NFC with invisible characters removed and variants unified.

    Apostrophe-likes become ``'``, hyphen-likes ``-``, other punctuation and all spaces
    one ASCII space; ǝ→ə, ș→ş; mixed Latin/Cyrillic words are repaired. Case is kept.
    Never raises, whatever the input (lone surrogates and control characters included).
    """
    if not text:
        return ""
    if text.isascii():
        # ASCII is NFC already and maps to ASCII (no mixed script to repair): only the
        # character mapping and the spaces are left.
        return " ".join(text.translate(_ASCII_CLEAN_TABLE).split())
    s = unicodedata.normalize("NFC", text).translate(_CLEAN_TABLE)
    # Deleting an invisible character can bring a base letter and a combining mark
    # together, so compose again.
    s = unicodedata.normalize("NFC", s)
    words = s.split()
    if s.isascii():
        return " ".join(words)
    # A repaired letter can compose with a following mark (Cyrillic М + ́ → Ḿ).
    return unicodedata.normalize("NFC", " ".join(_repair_words(words, s)))


# --------------------------------------------------------------------------------------
# Languages
# --------------------------------------------------------------------------------------

# Languages whose Latin orthography pairs I with ı and İ with i (§2.2).
_TURKIC: Final = frozenset({"az", "tr", "tk", "crh", "gag"})
# BCP 47 tags that name no language: a name tagged so is read like a query (every reading).
_UNDETERMINED: Final = frozenset({"und", "mul", "zxx", "mis"})


@lru_cache(maxsize=256)
def _lang_parts(lang: str | None) -> tuple[str | None, str | None]:
    """Split a BCP 47 tag into (primary language, script), both lower case."""
    if not lang:
        return None, None
    parts = lang.replace("_", "-").lower().split("-")
    primary = parts[0] if parts[0] and parts[0] not in _UNDETERMINED else None
    script = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    return primary, script


@lru_cache(maxsize=256)
def _is_turkic_latin(lang: str | None) -> bool:
    primary, script = _lang_parts(lang)
    return primary in _TURKIC and script not in ("cyrl", "arab")


# --------------------------------------------------------------------------------------
# exact
# --------------------------------------------------------------------------------------

_APOS_TABLE: Final = str.maketrans({c: "'" for c in _APOSTROPHES})
# i followed by combining marks that include a dot above (NFD İ, possibly with a
# cedilla or an accent between).
_DOTTED_I_RE: Final = re.compile("[iі][\u0300-\u036f]*\u0307[\u0300-\u036f]*")


def _fold(s: str, turkic: bool) -> str:
    """Turkic-aware case fold of an already cleaned string."""
    # İ.casefold() is i + U+0307 (two code points); every language wants plain i.
    s = s.replace("İ", "i")
    if turkic:
        s = s.replace("I", "ı")
    s = s.casefold()
    if "\u0307" in s:
        # A dot above left on i (from NFD input or a casefolded İ) is not a letter.
        s = _DOTTED_I_RE.sub(lambda m: m.group(0).replace("\u0307", ""), s)
    if "ւ" in s:
        # և casefolds to ե+ւ; reformed spelling writes ԵՎ in capitals, so եւ = եվ.
        s = s.replace("եւ", "եվ")
    # Case folding can produce ʼ (ŉ → ʼn); keep the one-apostrophe promise.
    s = unicodedata.normalize("NFC", s).translate(_APOS_TABLE)
    if not s.isascii():
        # Folding changes letters (İ → i), so a mixed word may now repair differently.
        s = " ".join(_repair_words(s.split(" "), s))
        s = unicodedata.normalize("NFC", s)
    return s


def exact_key(text: str, lang: str | None = None) -> str:
    """The ``exact`` key: cleanup plus a Turkic-aware case fold (translit.md §4.1).

    For Azerbaijani (and other Turkic Latin) names ``I`` folds to ``ı`` and ``ä`` (the
    1991–92 letter, still the BGN fallback) to ``ə``; for everyone ``İ`` folds to ``i``.
    """
    # cleanup of ASCII text, inline: most names are ASCII.
    if text and text.isascii():
        s = " ".join(text.translate(_ASCII_CLEAN_TABLE).split())
    else:
        s = cleanup(text)
    if s.isascii() and ("I" not in s or not _is_turkic_latin(lang)):
        # What _fold does to cleaned ASCII: casefold is lower() there, and there is no
        # ä, İ, dot above, ւ or apostrophe-like other than ' to handle.
        return s.lower()
    turkic = _is_turkic_latin(lang)
    if turkic:
        s = s.replace("ä", "ə").replace("Ä", "Ə")
    return _fold(s, turkic)


# --------------------------------------------------------------------------------------
# plain / strip
# --------------------------------------------------------------------------------------

_ARM_REFORM: Final = (("իւ", "յու"), ("եա", "յա"), ("եօ", "յո"))
_ARM_YIWN_RE: Final = re.compile("(?<!ո)ւ")


def _armenian_reform(s: str) -> str:
    """Fold classical (Mashtotsian) Armenian spelling to the reformed one (§1.1).

    Գիւմրի → Գյումրի, Արմաւիր → Արմավիր. Approximate by design (translit.md §4.8).
    """
    if "ւ" not in s and "ա" not in s and "օ" not in s:
        return s
    for old, new in _ARM_REFORM:
        if old in s:
            s = s.replace(old, new)
    if "ւ" in s:
        s = _ARM_YIWN_RE.sub("վ", s)
    return s


# Azerbaijani/Turkic and scholarly letters, digraph flavour (`plain`).
_PLAIN_LETTERS: Final[dict[str, str]] = {
    "ş": "sh", "ç": "ch", "ğ": "gh", "ə": "e", "ä": "e", "ı": "i", "ö": "o", "ü": "u",
    "š": "sh", "č": "ch", "ž": "zh", "ǰ": "j",
}  # fmt: skip
# Letters NFKD does not decompose.
_LATIN_EXTRA: Final[dict[str, str]] = {
    "ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ð": "d", "þ": "th",
    "ħ": "h", "ŋ": "ng", "ı": "i", "ĸ": "k", "ſ": "s", "ɵ": "o", "ƶ": "z", "ƣ": "gh",
    "ə": "e",
}  # fmt: skip
_PLAIN_COMMON: Final[dict[str, str]] = {"ё": "е", "'": "", "-": " "}


def _fold_latin_char(c: str, letters: dict[str, str]) -> str:
    """Shared per-character rule of `plain` and `strip`."""
    if c in _PLAIN_COMMON:
        return _PLAIN_COMMON[c]
    if c in letters:
        return letters[c]
    if c in _LATIN_EXTRA:
        return _LATIN_EXTRA[c]
    if unicodedata.category(c) == "Mn":
        # Stress marks on Cyrillic (Шу́ша), harakat on Arabic, stray accents.
        return ""
    if _is_latin_letter(c) and not c.isascii():
        base = "".join(
            d for d in unicodedata.normalize("NFKD", c) if unicodedata.category(d) != "Mn"
        )
        return base or c
    # Cyrillic, Armenian, Arabic … letters stay as they are (й is not и + breve).
    return c


_PLAIN_TABLE: Final = _LazyTable(lambda c: _fold_latin_char(c, _PLAIN_LETTERS))
_STRIP_TABLE: Final = _LazyTable(lambda c: _fold_latin_char(c, {"ə": "e", "ı": "i"}))


def _fold_words(e: str, table: _LazyTable) -> str:
    s = e.translate(table)
    if not s.isascii():
        # ş → sh or ё → е changes the letter count of a mixed-script word, so repair
        # again (and fold what the repair produced); otherwise plain(plain(x)) could
        # differ from plain(x).
        repaired = unicodedata.normalize("NFC", " ".join(_repair_words(s.split(), s)))
        if repaired != s:
            s = repaired.translate(table)
        # Classical → reformed Armenian once the apostrophes are gone: Ե’Ա is եա, which
        # is reformed յա; reformed first, it would stay եա until folded a second time.
        s = _armenian_reform(s)
    return " ".join(s.split())


def _plain_from_exact(e: str) -> str:
    return _fold_words(e, _PLAIN_TABLE)


def _strip_from_exact(e: str) -> str:
    return _fold_words(e, _STRIP_TABLE)


def plain_key(text: str, lang: str | None = None) -> str:
    """The ``plain`` key: diacritic-free in digraph flavour (Şuşa → ``shusha``)."""
    return _plain_from_exact(exact_key(text, lang))


def strip_key(text: str, lang: str | None = None) -> str:
    """The ``strip`` key: naive diacritic stripping (Şuşa → ``susa``)."""
    return _strip_from_exact(exact_key(text, lang))


# --------------------------------------------------------------------------------------
# Skeleton
# --------------------------------------------------------------------------------------
# Pass 1 turns each script into *phoneme symbols*: ASCII letters plus š č ǰ ž ʦ ʣ ğ ə ı
# ö ü. Pass 2 maps the symbols to sound classes (§4.1 step 4).

_ARM_PIVOT: Final[dict[str, str]] = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "ə",
    "թ": "t", "ժ": "ž", "ի": "i", "լ": "l", "խ": "x", "ծ": "ʦ", "կ": "k", "հ": "h",
    "ձ": "ʣ", "ղ": "ğ", "ճ": "č", "մ": "m", "յ": "y", "ն": "n", "շ": "š", "ո": "o",
    "չ": "č", "պ": "p", "ջ": "ǰ", "ռ": "r", "ս": "s", "վ": "v", "տ": "t", "ր": "r",
    "ց": "ʦ", "ւ": "v", "փ": "p", "ք": "k", "օ": "o", "ֆ": "f", "և": "ev", "ՙ": "",
}  # fmt: skip
_CYR_PIVOT: Final[dict[str, str]] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "ž",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "ʦ",
    "ч": "č", "ш": "š", "щ": "šč", "ъ": "", "ы": "ı", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # Azerbaijani Cyrillic 1958–91 and 1939–58 letters (§1.2).
    "ә": "ə", "ө": "ö", "ү": "ü", "ҝ": "g", "ҹ": "ǰ", "ҷ": "ǰ", "ј": "y", "һ": "h",
    "ғ": "ğ", "қ": "k",
    # Other Cyrillic letters met in names and homoglyph repair.
    "і": "i", "ї": "yi", "є": "ye", "ў": "u", "ѕ": "s", "ђ": "ǰ", "ћ": "č", "џ": "ǰ",
    "љ": "l", "њ": "n", "ґ": "g", "ѐ": "e", "ѝ": "i", "ҳ": "x", "ӯ": "u", "ӣ": "i",
}  # fmt: skip
_ARAB_PIVOT: Final[dict[str, str]] = {
    "ا": "a", "آ": "a", "أ": "a", "إ": "i", "ٱ": "a", "ء": "", "ؤ": "", "ئ": "y",
    "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "ǰ", "چ": "č", "ح": "h", "خ": "x",
    "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "ž", "س": "s", "ش": "š", "ص": "s",
    "ض": "z", "ط": "t", "ظ": "z", "ع": "", "غ": "ğ", "ف": "f", "ق": "q", "ک": "k",
    "گ": "g", "ل": "l", "م": "m", "ن": "n", "و": "u", "ه": "h", "ة": "h", "ی": "i",
    "ۀ": "h",
}  # fmt: skip

# Latin spellings with more than one reading (§4.1 step 3), canonical reading first.
# Only queries and names of unknown language use the alternatives.
_LATIN_MULTI: Final[dict[str, tuple[str, ...]]] = {
    "shch": ("šč",), "tsch": ("č",), "dsch": ("ǰ",), "dzh": ("ǰ",), "tch": ("č",),
    "sch": ("š",), "sh": ("š",), "ch": ("č", "x", "š"), "zh": ("ž",), "kh": ("x",),
    "gh": ("ğ",), "ts": ("ʦ",), "tz": ("ʦ",), "dz": ("ʣ",), "dj": ("ǰ",), "dž": ("ǰ",),
    "cz": ("ʦ", "č"), "ph": ("p", "f"), "th": ("t",), "ou": ("u",),
    "c": ("ǰ", "ʦ"), "j": ("ǰ", "y"), "ë": ("o", "ə"),
    "ş": ("š",), "ç": ("č",), "ä": ("ə",), "ł": ("ğ",), "ṙ": ("r",), "ř": ("r",),
    "ġ": ("ğ",), "ǧ": ("ğ",), "ĉ": ("ǰ",), "ẏ": ("y",), "ė": ("e",), "ě": ("ə",),
    "ŝ": ("šč",), "w": ("v",), "ß": ("s",), "æ": ("a",), "ø": ("ö",), "œ": ("ö",),
    "đ": ("ǰ",), "ð": ("d",), "þ": ("t",), "ŋ": ("n",), "ħ": ("h",), "ɵ": ("ö",),
    "ƶ": ("ž",), "ƣ": ("ğ",),
}  # fmt: skip
_LATIN_MAXLEN: Final = 4
# Canonical readings that differ by language for stored names (German and French
# exonyms are common in GeoNames: Schuscha, Choucha, Dschebrail, Jerewan).
_LANG_READINGS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "de": {"ch": ("x",), "j": ("y",), "z": ("ʦ",), "sch": ("š",), "tsch": ("č",)},
    "fr": {"ch": ("š",), "j": ("ž",), "dj": ("ǰ",), "tch": ("č",)},
    # Azerbaijani Latin is read natively: c = ǰ, j = ž, x = x, q = k.
    "az": {"c": ("ǰ",), "j": ("ž",), "ch": ("č",)},
}

# Sound classes (§4.1 step 4). Unlisted ASCII letters and digits map to themselves.
_CLASS: Final[dict[str, str]] = {
    "a": "a", "e": "a", "ə": "a", "ä": "a",
    "i": "i", "ı": "i",
    "o": "o", "ö": "o",
    "u": "u", "ü": "u",
    "g": "k", "k": "k", "q": "k", "ğ": "k",
    "h": "h", "x": "h",
    "š": "š", "č": "č", "ǰ": "j", "ž": "j", "ʦ": "c", "ʣ": "ʒ",
    "w": "v", "y": "y",
}  # fmt: skip
_PHON: Final = str.maketrans(
    {"b": "p", "d": "t", "z": "s", "j": "č", "ʒ": "c", "v": "f", "h": "k"}
    # Every vowel class becomes a, so that a run of vowels is a run of a (merged below).
    | {"i": "a", "o": "a", "u": "a"}
)

_Token: TypeAlias = tuple[str, ...]


def _spellings_re(table: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    """A pattern matching, at each position, the longest spelling of *table* or of the
    general table (up to :data:`_LATIN_MAXLEN` letters), else any one character.

    Alternatives are tried in order, so listing the longer spellings first finds the
    same chunk as trying each length from the longest down.
    """
    spellings = {k for k in (*table, *_LATIN_MULTI) if len(k) <= _LATIN_MAXLEN}
    ordered = sorted(spellings, key=lambda k: (-len(k), k))
    return re.compile("|".join(map(re.escape, ordered)) + "|.", re.DOTALL)


# One pattern per reading table (the general one under "std" and "query").
_SPELLINGS_RE: Final[dict[str, re.Pattern[str]]] = {
    mode: _spellings_re(_LANG_READINGS.get(mode, {})) for mode in (*_LANG_READINGS, "std")
}
# The same spellings alone, in a group: re.split then returns the letters between them
# (each its own symbol, see _latin_symbol) and the spellings, alternately. The scan
# moves on one character wherever no spelling starts, as the "|." alternative does.
_SPECIAL_RE: Final[dict[str, re.Pattern[str]]] = {
    mode: re.compile(f"({pattern.pattern.removesuffix('|.')})")
    for mode, pattern in _SPELLINGS_RE.items()
}


@lru_cache(maxsize=1 << 12)
def _latin_symbol(c: str) -> str:
    """Phoneme symbol of a Latin letter that no spelling table lists (cached per letter)."""
    if c.isascii() or c in _CLASS:
        return c
    # é → e, ò → o, ž/š/č stay (they are phoneme symbols), č̣ → č …
    return "".join(
        d for d in unicodedata.normalize("NFKD", c) if unicodedata.category(d) != "Mn"
    ).lower()


_LATIN_SYMBOL_TABLE: Final = _LazyTable(_latin_symbol)


def _latin_tokens(run: str, mode: str, alternatives: bool) -> list[_Token]:
    """Tokenise a run of Latin letters, longest spelling first.

    The readings of *mode*'s language (``_LANG_READINGS``) win over the general table.
    Without *alternatives* only the first (canonical) reading of each spelling is kept.
    """
    table = _LANG_READINGS.get(mode, {})
    tokens: list[_Token] = []
    for chunk in _SPELLINGS_RE.get(mode, _SPELLINGS_RE["std"]).findall(run):
        readings = table.get(chunk) or _LATIN_MULTI.get(chunk)
        if readings is not None:
            tokens.append(readings if alternatives else readings[:1])
        else:
            c = _latin_symbol(chunk)
            if c:
                tokens.append((c,))
    return tokens


@lru_cache(maxsize=1 << 12)
def _script_of(c: str) -> str:
    o = ord(c)
    if o < 0x80:
        return "latin" if c.isalpha() else ("digit" if c.isdigit() else "other")
    if c in "šžčǰʦʣğəıöüçşäë":
        return "latin"
    if 0x530 <= o <= 0x58F:
        return "armenian"
    if 0x400 <= o <= 0x52F:
        return "cyrillic"
    if 0x600 <= o <= 0x6FF or 0x750 <= o <= 0x77F or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF:
        return "arabic"
    if _is_latin_letter(c):
        return "latin"
    cat = unicodedata.category(c)
    if cat == "Mn":
        return "mark"
    if cat[0] == "N":
        return "digit"
    if cat[0] == "L":
        return "foreign"
    return "other"


# unidecode transliterates character by character (ignoring what it has no table for),
# so a string's transliteration is the concatenation of its characters'; each is
# computed once here.
_UNIDECODE_TABLE: Final = _LazyTable(unidecode)


def _word_tokens(word: str, mode: str) -> tuple[_Token, ...]:
    """Phoneme tokens of one word; each token is a tuple of alternative readings.

    *mode* is ``"query"`` (alternatives kept) or a language code (canonical reading of
    that language: ``"az"``, ``"de"``, ``"fr"`` or ``"std"``).
    """
    alternatives = mode == "query"
    tokens: list[_Token] = []
    i, n = 0, len(word)
    while i < n:
        c = word[i]
        script = _script_of(c)
        if script == "latin":
            j = i + 1
            while j < n and _script_of(word[j]) in ("latin", "mark"):
                j += 1
            run = "".join(ch for ch in word[i:j] if _script_of(ch) == "latin")
            tokens.extend(_latin_tokens(run, mode, alternatives))
            i = j
        elif script == "armenian":
            if c == "ո" and i + 1 < n and word[i + 1] == "ւ":
                tokens.append(("u",))
                i += 2
                continue
            if c == "ո" and i == 0:
                # BGN: ո is vo at the start of a word (Որոտան → Vorotan).
                tokens.append(("vo",))
            else:
                tokens.append((_ARM_PIVOT.get(c, ""),))
            i += 1
        elif script == "cyrillic":
            pair = word[i : i + 2]
            if pair in ("дж", "дз"):
                tokens.append(("ǰ" if pair == "дж" else "ʣ",))
                i += 2
                continue
            tokens.append((_CYR_PIVOT.get(c, ""),))
            i += 1
        elif script == "arabic":
            if c == "و" and i == 0:
                tokens.append(("v",))
            else:
                tokens.append((_ARAB_PIVOT.get(c, ""),))
            i += 1
        elif script == "digit":
            digit = unicodedata.digit(c, None)
            if digit is not None:
                tokens.append((str(digit),))
            i += 1
        elif script == "foreign":
            # Scripts without a table here (Georgian, Greek, CJK …): unidecode is the
            # fallback, applied to that run only, never to ə or Armenian.
            j = i + 1
            while j < n and _script_of(word[j]) in ("foreign", "mark"):
                j += 1
            ascii_run = "".join(
                ch for ch in word[i:j].translate(_UNIDECODE_TABLE).lower() if ch.isalnum()
            )
            tokens.extend(_latin_tokens(ascii_run, "std", False))
            i = j
        else:
            i += 1  # marks and anything left carry no sound
    return tuple(t for t in tokens if t != ("",))


@lru_cache(maxsize=256)
def _canonical_table(lang: str | None) -> str:
    primary, script = _lang_parts(lang)
    if primary in _LANG_READINGS and (primary != "az" or script not in ("cyrl", "arab")):
        return primary
    return "std"


# Repeats collapse to one letter (groupby in C: the pattern finds each run, whatever the
# character; DOTALL because phon_key and cons_key accept any string).
_REPEAT_RE: Final = re.compile(r"(.)\1+", re.DOTALL)
_CLASS_TABLE: Final = str.maketrans(_CLASS)
# y or i before a vowel class is a glide (Gyumri = Gumri, Sisian = Sisyan). The lookahead
# reads the mapped string before any glide is dropped, as the rule is stated.
_GLIDE_RE: Final = re.compile("[yi](?=[aiou])")


def _first_of_run(m: re.Match[str]) -> str:
    return m.group(1)


def _collapse(s: str) -> str:
    """*s* with every run of one character reduced to one (``aabbb`` → ``ab``)."""
    # A callable replacement: the template r"\1" is expanded in Python on every match.
    return _REPEAT_RE.sub(_first_of_run, s) if _REPEAT_RE.search(s) else s


def _classes(phonemes: str) -> str:
    """Map phoneme symbols to sound classes; drop glides; other y → i; collapse repeats."""
    s = phonemes.translate(_CLASS_TABLE)
    if "y" in s or "i" in s:
        s = _GLIDE_RE.sub("", s).replace("y", "i")
    return _collapse(s)


_Chunks: TypeAlias = tuple[tuple[str, ...], ...]

# Words written in one script, as _script_of tells them (checked code point by code point
# in the tests): a Latin word is one run of Latin letters, a Cyrillic or Armenian word a
# sequence of letters whose only readings are their pivot letters.
_LATIN_WORD_RE: Final = re.compile(
    "[a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0259\u02a3\u02a6\u1e00-\u1eff]+"
)
_CYRILLIC_WORD_RE: Final = re.compile("[\u0400-\u052f]+")
_ARMENIAN_WORD_RE: Final = re.compile("[\u0530-\u058f]+")
# Pivot letters as translate tables over the whole block: a letter without one is
# dropped, as ``_CYR_PIVOT.get(c, "")`` and the removal of empty tokens do.
_CYR_PIVOT_TABLE: Final = {o: _CYR_PIVOT.get(chr(o), "") for o in range(0x400, 0x530)}
_ARM_PIVOT_TABLE: Final = {o: _ARM_PIVOT.get(chr(o), "") for o in range(0x530, 0x590)}
_ARABIC_RANGES: Final = ((0x600, 0x6FF), (0x750, 0x77F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_ARABIC_WORD_RE: Final = re.compile(
    "[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _ARABIC_RANGES) + "]+"
)
_ARAB_PIVOT_TABLE: Final = {
    o: _ARAB_PIVOT.get(chr(o), "") for lo, hi in _ARABIC_RANGES for o in range(lo, hi + 1)
}
# Letters that _script_of does not call foreign: ASCII, the Latin phoneme symbols and
# Latin letters, Armenian, Cyrillic, Arabic. A word of letters (str.isalpha: general
# category L, as "foreign" requires) with none of these is one run of a foreign script.
_NOT_FOREIGN_RE: Final = re.compile(
    "[\x00-\x7f\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0259\u02a3\u02a6"
    "\u0400-\u052f\u0530-\u058f\u1e00-\u1eff"
    + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _ARABIC_RANGES)
    + "]"
)
_ASCII_NOT_ALNUM_RE: Final = re.compile("[^a-z0-9]")


def _latin_chunks(word: str, mode: str) -> _Chunks:
    """:func:`_word_chunks` of a run of Latin letters (what :func:`_latin_tokens` reads),
    one step per spelling of the tables rather than one per letter."""
    parts = _SPECIAL_RE.get(mode, _SPECIAL_RE["std"]).split(word)
    if not word.isascii():
        # Letters between spellings are their own symbols; ASCII ones stand for
        # themselves, so only other letters need the table.
        parts = [
            p if k % 2 or p.isascii() else p.translate(_LATIN_SYMBOL_TABLE)
            for k, p in enumerate(parts)
        ]
    if len(parts) == 1:
        return _one_chunk(parts[0])
    table: dict[str, tuple[str, ...]] = _LANG_READINGS.get(mode, {})
    alternatives = mode == "query"
    chunks: list[tuple[str, ...]] = []
    run = [parts[0]]
    for k in range(1, len(parts), 2):
        readings = table.get(parts[k]) or _LATIN_MULTI[parts[k]]
        if len(readings) == 1 or not alternatives:
            run.append(readings[0])
        else:
            chunks.extend(_one_chunk("".join(run)))
            run = []
            chunks.append(readings)
        run.append(parts[k + 1])
    chunks.extend(_one_chunk("".join(run)))
    return tuple(chunks)


def _one_chunk(phonemes: str) -> _Chunks:
    return ((phonemes,),) if phonemes else ()


def _word_chunks(word: str, mode: str) -> _Chunks:
    """The tokens of :func:`_word_tokens` with each run of one-reading tokens joined.

    A token with one reading appends the same letters to every reading (see
    :func:`_readings`), so a run of them can be appended at once: same readings, same
    order, with one step per ambiguous spelling instead of one per letter. Words in one
    script (nearly all) take a direct path with the same result; the others go through
    :func:`_general_chunks`. Cached per reading mode in :data:`_WORD_CHUNKS`.
    """
    if (word.isascii() and word.isalpha()) or _LATIN_WORD_RE.fullmatch(word):
        return _latin_chunks(word, mode)
    if _CYRILLIC_WORD_RE.fullmatch(word):
        # дж and дз never overlap (ж and з are not д), so replacing them first reads the
        # same pairs as the left-to-right scan.
        return _one_chunk(word.replace("дж", "ǰ").replace("дз", "ʣ").translate(_CYR_PIVOT_TABLE))
    if _ARMENIAN_WORD_RE.fullmatch(word):
        # ու is u wherever it is; a ո left at the start is vo (BGN: Որոտան → Vorotan).
        w = word.replace("ու", "u")
        if w[0] == "ո":
            return _one_chunk("vo" + w[1:].translate(_ARM_PIVOT_TABLE))
        return _one_chunk(w.translate(_ARM_PIVOT_TABLE))
    if _ARABIC_WORD_RE.fullmatch(word):
        # و is v at the start of a word.
        if word[0] == "و":
            return _one_chunk("v" + word[1:].translate(_ARAB_PIVOT_TABLE))
        return _one_chunk(word.translate(_ARAB_PIVOT_TABLE))
    if word.isalpha() and not _NOT_FOREIGN_RE.search(word):
        # One run of a script without a table here: unidecode's letters and digits, read
        # with the general Latin table's canonical readings (as _word_tokens does).
        romanised = word.translate(_UNIDECODE_TABLE).lower()
        if romanised.isascii():
            return _latin_chunks(_ASCII_NOT_ALNUM_RE.sub("", romanised), "std")
    return _general_chunks(word, mode)


def _general_chunks(word: str, mode: str) -> _Chunks:
    """The general reading that ``_word_chunks``'s direct paths shortcut: every token of
    the word (``_word_tokens``), runs of one-reading tokens joined (the tests hold each
    direct path equal to this)."""
    chunks: list[tuple[str, ...]] = []
    run: list[str] = []
    for options in _word_tokens(word, mode):
        if len(options) == 1:
            run.append(options[0])
            continue
        if run:
            chunks.append(("".join(run),))
            run = []
        chunks.append(options)
    if run:
        chunks.append(("".join(run),))
    return tuple(chunks)


def _readings(tokens: Sequence[_Token], limit: int) -> list[str]:
    """Phoneme strings for a token sequence, canonical first, at most *limit*."""
    results = [""]
    for options in tokens:
        if len(options) == 1 or len(results) * len(options) > limit:
            results = [r + options[0] for r in results]
        else:
            results = [r + o for r in results for o in options]
    return results


def _words_for_skeleton(e: str) -> list[str]:
    """Words of an exact key, reformed Armenian, apostrophes gone."""
    if not e.isascii():  # no Armenian to reform in ASCII
        e = _armenian_reform(e)
    return e.replace("'", "").replace("-", " ").split()


#: The chunks of each word, per reading mode (the modes _skeletons_from_exact is given).
_WORD_CHUNKS: Final[dict[str, _WordCache[_Chunks]]] = {
    mode: _WordCache(partial(_word_chunks, mode=mode)) for mode in ("query", "std", *_LANG_READINGS)
}


def _skeletons_from_exact(e: str, mode: str, limit: int) -> tuple[str, ...]:
    words = _words_for_skeleton(e)
    chunks = _WORD_CHUNKS[mode]
    if len(words) == 1:
        tokens: Sequence[_Token] = chunks[words[0]]
    else:
        tokens = [t for w in words for t in chunks[w]]
    if max(map(len, tokens), default=1) == 1:
        # One reading (every name of a known language, most others): no product to build.
        key = _classes(tokens[0][0] if len(tokens) == 1 else "".join([t[0] for t in tokens]))
        return (key,) if key else ()
    seen: dict[str, None] = {}
    for phonemes in _readings(tokens, limit):
        key = _classes(phonemes)
        if key:
            seen.setdefault(key, None)
    return tuple(seen)


def skeleton_keys(text: str, lang: str | None = None) -> tuple[str, ...]:
    """Cross-script skeleton readings of *text*, canonical reading first.

    With a known *lang* there is exactly one reading (or none for a text without
    letters); with ``lang=None`` (queries, names of unknown language) ambiguous Latin
    spellings give up to :data:`MAX_READINGS` readings (Chankendi → čankandi, hankandi,
    šankandi).
    """
    e = exact_key(text, lang)
    if _lang_parts(lang)[0]:
        return _skeletons_from_exact(e, _canonical_table(lang), 1)
    return _skeletons_from_exact(e, "query", MAX_READINGS)


def phon_key(skeleton: str) -> str:
    """Coarse phonetic key of a skeleton: vowel runs → a, voicing pairs merged, h = k."""
    s = skeleton.translate(_PHON)
    # Vowel runs first, with str.replace: every name has some, and the general collapse
    # below then rarely finds a repeat left to merge.
    while "aa" in s:
        s = s.replace("aa", "a")
    return _collapse(s)


def cons_key(skeleton: str) -> str | None:
    """Consonant skeleton (for scripts that write no short vowels); None under 3."""
    return _cons_from_phon(phon_key(skeleton))


def _cons_from_phon(phon: str) -> str | None:
    s = _collapse(phon.replace("a", ""))
    return s if len(s) >= 3 else None


def _phon_cons(skeleton: str) -> tuple[str, str | None]:
    """``(phon_key, cons_key)`` of a skeleton, the phonetic key computed once for both."""
    phon = phon_key(skeleton)
    return phon, _cons_from_phon(phon)


# --------------------------------------------------------------------------------------
# Generic words and core
# --------------------------------------------------------------------------------------
# Generic terms by feature class (§4.1 core_variants). Written as published; matched on
# their `plain` key, so case, diacritics and ё/е do not matter.
_GENERIC_SOURCE: Final[dict[str, tuple[str, ...]]] = {
    "adm": (
        # en
        "district", "region", "province", "rayon", "raion", "marz", "oblast", "okrug",
        "governorate", "county", "municipality", "autonomous", "republic", "community",
        "economic region", "autonomous oblast", "autonomous republic",
        # az
        "rayonu", "rayon", "bölgəsi", "bölgə", "iqtisadi rayonu", "vilayəti", "vilayət",
        "respublikası", "respublika", "muxtar", "muxtar respublikası", "dairəsi",
        "inzibati ərazi dairəsi", "bələdiyyəsi", "mahalı",
        # hy
        "շրջան", "շրջանը", "մարզ", "մարզը", "հանրապետություն", "ինքնավար", "ինքնավար մարզ",
        "համայնք", "գավառ",
        # ru
        "район", "область", "край", "республика", "автономная", "автономный",
        "автономная область", "автономная республика", "округ", "губерния", "уезд",
    ),
    "settlement": (
        "city", "town", "village", "settlement", "hamlet",
        "şəhəri", "şəhər", "kəndi", "kənd", "qəsəbəsi", "qəsəbə",
        "քաղաք", "քաղաքը", "գյուղ", "գյուղը", "ավան",
        "город", "село", "деревня", "посёлок", "поселок", "пгт", "станица", "аул",
    ),
    "water": (
        "river", "lake", "reservoir", "spring", "waterfall", "canal", "sea", "bay",
        "çayı", "çay", "gölü", "göl", "su anbarı", "anbarı", "bulağı", "şəlaləsi", "kanalı",
        "dənizi",
        "գետ", "գետը", "լիճ", "լիճը", "ջրամբար", "աղբյուր", "ջրվեժ", "ծով",
        "река", "озеро", "водохранилище", "родник", "водопад", "канал", "море",
    ),
    "relief": (
        "mount", "mountain", "mountains", "range", "ridge", "pass", "peak", "hill",
        "plateau", "valley", "gorge", "canyon", "plain", "steppe", "highland", "highlands",
        "dağı", "dağ", "dağları", "silsiləsi", "aşırımı", "zirvəsi", "təpəsi", "yaylası",
        "vadisi", "dərəsi", "düzü", "düzənliyi",
        "լեռ", "լեռը", "լեռներ", "լեռնաշղթա", "լեռնանցք", "գագաթ", "բլուր", "սարահարթ",
        "հովիտ", "կիրճ", "դաշտ", "սար",
        "гора", "горы", "хребет", "перевал", "вершина", "холм", "плато", "долина",
        "ущелье", "равнина", "степь", "нагорье",
    ),
    "religious": (
        "monastery", "church", "cathedral", "chapel", "mosque", "temple", "shrine",
        "monastırı", "monastır", "kilsəsi", "kilsə", "məbədi", "məscidi", "məscid",
        "վանք", "վանքը", "վանական համալիր", "եկեղեցի", "տաճար", "մատուռ", "մզկիթ",
        "монастырь", "церковь", "собор", "часовня", "мечеть", "храм",
    ),
    "fortification": (
        "fortress", "castle", "citadel", "fort",
        "qalası", "qala", "qəsri",
        "ամրոց", "բերդ", "բերդը",
        "крепость", "замок", "цитадель",
    ),
    "transport": (
        "airport", "station", "bridge", "port", "international airport",
        "hava limanı", "beynəlxalq hava limanı", "limanı", "stansiyası", "körpüsü", "vağzalı",
        "օդանավակայան", "կայարան", "կամուրջ",
        "аэропорт", "международный аэропорт", "станция", "вокзал", "мост", "порт",
    ),
    "protected": (
        "national park", "reserve", "nature reserve", "park",
        "milli parkı", "qoruğu", "dövlət qoruğu",
        "ազգային պարկ", "արգելոց", "արգելավայր",
        "национальный парк", "заповедник", "парк",
    ),
    # Function words: dropped only together with a real generic term.
    "": ("of", "the", "de", "du", "la", "le", "des"),
}  # fmt: skip


def _generic_phrases() -> dict[tuple[str, ...], str]:
    phrases: dict[tuple[str, ...], str] = {}
    for cls, words in _GENERIC_SOURCE.items():
        for w in words:
            phrases.setdefault(tuple(_plain_from_exact(_fold(cleanup(w), False)).split()), cls)
    return phrases


_GENERIC: Final[dict[tuple[str, ...], str]] = _generic_phrases()
_GENERIC_MAX: Final = max(len(p) for p in _GENERIC)
#: Every word of a generic phrase (plain form): a name none of whose words is one of
#: these has no generic phrase in it.
_GENERIC_WORDS: Final = frozenset(w for phrase in _GENERIC for w in phrase)


#: The plain key of each word of an exact key met (words recur across names).
_PLAIN_WORDS: Final[_WordCache[str]] = _WordCache(_plain_from_exact)


_RU_ADJ_RE: Final = re.compile(
    "^(?P<stem>.+?)(?:ск|цк)(?:ий|ая|ое|ие|ого|ой|ому|ом|им|ими|их|ую|ый)$"
)


def _split_generic(exact_text: str) -> tuple[list[str], set[str]]:
    """Split an exact key into kept words and the classes of dropped generic words."""
    words = exact_text.replace("-", " - ").split()
    plains = [_PLAIN_WORDS[w] for w in words]
    if _GENERIC_WORDS.isdisjoint(plains):
        # No word of any generic phrase, so no phrase: every word is kept (the common
        # case, decided without trying each phrase length at each position).
        text = " ".join(words).replace(" - ", "-").strip(" -")
        return [w for w in text.split() if w != "-"], set()
    kept: list[str] = []
    classes: set[str] = set()
    i = 0
    while i < len(words):
        for size in range(min(_GENERIC_MAX, len(words) - i), 0, -1):
            cls = _GENERIC.get(tuple(plains[i : i + size]))
            if cls is not None:
                classes.add(cls)
                i += size
                break
        else:
            kept.append(words[i])
            i += 1
    # Keep hyphens only between kept words: Нагорно-Карабахская stays one word.
    text = " ".join(kept).replace(" - ", "-").strip(" -")
    return [w for w in text.split() if w != "-"], classes


def _undo_inflection(word: str) -> list[str]:
    """Variants of a word left beside a generic term: Armenian genitive, Russian adjective."""
    variants = [word]
    if word and "\u0530" <= word[-1] <= "\u058f":
        if word.endswith("ու") and len(word) > 3:
            variants.append(word[:-2] + "ի")  # Մարտունու → Մարտունի
        elif word.endswith("ի") and len(word) > 2:
            variants.append(word[:-1])  # Շուշիի → Շուշի, Սևանի → Սևան
    m = _RU_ADJ_RE.match(word)
    if m:
        stem = m.group("stem")
        variants.append(stem)
        if stem.endswith("ин") and len(stem) > 3:
            # Шушинский → Шуша/Шуши, Мартунинский → Мартуни, Агдеринский → Агдере
            variants.extend(stem[:-2] + v for v in ("а", "и", "е"))
        elif stem.endswith(("ов", "ев")) and len(stem) > 3:
            variants.append(stem[:-2])  # Шаумяновский → Шаумян
    return variants


def _has_generic_word(e: str) -> bool:
    """Whether a word of the exact key *e* is a word of some generic phrase (plain form).

    Without one, :func:`_split_generic` finds no phrase. An ASCII word without ``'`` is
    its own plain form (``-`` alone folds to nothing, and is no generic word either way).
    """
    if e.isascii() and "'" not in e:
        return not _GENERIC_WORDS.isdisjoint(e.replace("-", " - ").split())
    for w in e.replace("-", " - ").split():
        if (w if w.isascii() and "'" not in w else _PLAIN_WORDS[w]) in _GENERIC_WORDS:
            return True
    return False


def _core_from_exact(e: str) -> tuple[list[str], frozenset[str]]:
    if not _has_generic_word(e):
        return [], frozenset()
    kept, classes = _split_generic(e)
    real = {c for c in classes if c}
    if not real or not kept:
        # Nothing generic, or nothing but generic words ("Berd", "Qala"): no core.
        return [], frozenset(real)
    head, last = kept[:-1], kept[-1]
    return [" ".join([*head, v]) for v in _undo_inflection(last)], frozenset(real)


def core_variants(text: str, lang: str | None = None) -> tuple[str, ...]:
    """The name without its generic words, in exact form, with inflection variants.

    ``Шушинский район`` → (шушинский, шушин, шуша, шуши, шуше); empty when the name has
    no generic word or consists of nothing else.
    """
    return tuple(_core_from_exact(exact_key(text, lang))[0])


def generic_classes(text: str, lang: str | None = None) -> frozenset[str]:
    """Feature classes named by generic words in *text* (adm, water, religious …)."""
    return frozenset(_split_generic(exact_key(text, lang))[1] - {""})


# --------------------------------------------------------------------------------------
# Keys of stored names and of queries
# --------------------------------------------------------------------------------------


def name_keys(text: str, lang: str | None) -> list[tuple[str, str]]:
    """Index rows ``(kind, key)`` for one stored name, without duplicates.

    Kinds: exact, plain, strip (only when it differs from plain: a query reaches the
    strip tier only when its own plain and strip keys agree, so an equal strip row
    would never add a match), skel (canonical reading), skel_alt (other readings, only
    for names of unknown language: ``None`` or a tag such as ``und``), phon, cons, core.
    """
    e = exact_key(text, lang)
    if not e:
        return []
    if e.isascii():
        # The plain and strip tables map ASCII alike: only ' (dropped) and - (a space)
        # change, so the strip key is the plain key, and without those two the plain
        # key is the exact key (whose spaces cleanup has normalised already).
        if "'" in e or "-" in e:
            plain = strip = _plain_from_exact(e)
        else:
            plain = strip = e
    else:
        plain = _plain_from_exact(e)
        strip = _strip_from_exact(e)
    rows = [("exact", e)]
    if plain:
        rows.append(("plain", plain))
    if strip and strip != plain:
        rows.append(("strip", strip))
    if _lang_parts(lang)[0] is not None:
        mode = _canonical_table(lang)
        skels = _skeletons_from_exact(e, mode, 1)
    else:
        mode = "std"
        skels = _skeletons_from_exact(e, "query", MAX_READINGS)
    # Skeletons are never empty and never repeat, nor are their phonetic keys empty
    # (see _skeletons_from_exact and phon_key); only phon, cons and core keys can repeat.
    cores = _core_from_exact(e)[0]
    if len(skels) == 1 and not cores:
        phon, cons = _phon_cons(skels[0])
        rows.append(("skel", skels[0]))
        rows.append(("phon", phon))
        if cons:
            rows.append(("cons", cons))
        return rows  # one row of each kind: nothing to remove
    if skels:
        rows.append(("skel", skels[0]))
        rows.extend(("skel_alt", sk) for sk in skels[1:])
        phon_cons = [_phon_cons(sk) for sk in skels]
        rows.extend(("phon", phon) for phon, _ in phon_cons)
        rows.extend(("cons", cons) for _, cons in phon_cons if cons)
    for c in cores:
        rows.extend(("core", sk) for sk in _skeletons_from_exact(c, mode, 1))
    return list(dict.fromkeys(rows))  # repeated rows once, first occurrence first


@dataclass(frozen=True, slots=True)
class QueryKeys:
    """All keys of one query (language unknown), computed once per keystroke.

    ``strip`` is set only when the query contains no letter that stripping would
    change (ş ç ğ ö ü …): "Susa" may reach Şuşa through it, "Şuşa" never reaches Susa.
    ``skel[0]`` is the canonical reading; the others are alternative readings.
    ``core`` holds the skeletons of the query without its generic words (empty when
    it has none); ``classes`` the feature classes those words name.
    """

    text: str
    exact: str
    plain: str
    strip: str | None
    skel: tuple[str, ...]
    phon: tuple[str, ...]
    cons: tuple[str, ...]
    core: tuple[str, ...]
    classes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        """True when the query has nothing to search for (blank, only punctuation)."""
        return not self.exact or not (self.plain or self.skel)


def query_keys(text: str) -> QueryKeys:
    """Compute every key of a query. Never raises; long input is cut to 200 chars."""
    text = text[:MAX_QUERY_LENGTH] if isinstance(text, str) else ""
    e = exact_key(text, None)
    plain = _plain_from_exact(e)
    strip = _strip_from_exact(e)
    skels = _skeletons_from_exact(e, "query", MAX_READINGS)
    phon_cons = [_phon_cons(s) for s in skels]
    phons = tuple(dict.fromkeys(phon for phon, _ in phon_cons))
    conss = tuple(dict.fromkeys(cons for _, cons in phon_cons if cons))
    cores, classes = _core_from_exact(e)
    core: dict[str, None] = {}
    for c in cores:
        for sk in _skeletons_from_exact(c, "query", 4):
            core.setdefault(sk, None)
    return QueryKeys(
        text=cleanup(text),
        exact=e,
        plain=plain,
        strip=strip if strip == plain else None,
        skel=skels,
        phon=phons,
        cons=conss,
        core=tuple(core),
        classes=classes,
    )


# --------------------------------------------------------------------------------------
# Pairwise matching (used to explain hits and to test the rules)
# --------------------------------------------------------------------------------------

#: Similarity (0–100) at or above which two skeletons count as a fuzzy match.
FUZZY_CUTOFF: Final[float] = 75.0
#: Number of query readings that take part in fuzzy matching.
FUZZY_READINGS: Final[int] = 4
#: A letter typo: the typed letters and the name's, both at least this long, within
#: this many Damerau edits (in the same alphabet). Two edits of a four-letter name leave
#: half of it (Shusha is two letters from Susa), and every junk string is that close to
#: some name among a million.
LETTER_TYPO_MIN_LENGTH: Final[int] = 5
LETTER_TYPO_MAX_EDITS: Final[int] = 2

# Alphabets whose letters are compared one by one (typos are letters typed wrong); the
# plain key of a name in one of them holds only letters of that alphabet and spaces.
_ALPHABETS: Final[tuple[tuple[str, int, int], ...]] = (
    ("Latn", 0x61, 0x7A),  # a–z: plain keys of Latin names are folded to ASCII
    ("Grek", 0x0370, 0x03FF),
    ("Cyrl", 0x0400, 0x052F),
    ("Armn", 0x0530, 0x058F),
    ("Geor", 0x10A0, 0x10FF),
)


def fuzzy_ratio(query_skeletons: Iterable[str], skeleton: str) -> float:
    """Best normalised Indel similarity (rapidfuzz ``fuzz.ratio``) of the readings."""
    best = 0.0
    for q in itertools.islice(query_skeletons, FUZZY_READINGS):
        best = max(best, Indel.normalized_similarity(q, skeleton) * 100.0)
    return best


def letters_of(plain: str) -> tuple[str, str]:
    """``(letters, alphabet)`` of a plain key: its letters without spaces, and the ISO
    15924 code of the one alphabet they all belong to (Latn, Grek, Cyrl, Armn, Geor);
    ``("", "")`` when the key mixes alphabets, holds digits or other signs, or is in a
    script whose signs are not letters typed one by one (Han, Arabic abjad …)."""
    letters = plain.replace(" ", "")
    if letters.isascii():  # the common case, decided at C speed
        return (letters, "Latn") if letters.isalpha() else ("", "")
    first = ord(letters[0])
    for alphabet, low, high in _ALPHABETS:
        if low <= first <= high:
            if all(low <= ord(c) <= high and c.isalpha() for c in letters):
                return letters, alphabet
            break
    return "", ""


def letter_edits(typed: str, letters: str) -> int:
    """Damerau edits between two strings of letters: inserting, deleting or replacing a
    letter, or swapping two neighbours (optimal string alignment; Stepanakret →
    Stepanakert is one edit, where insert/delete counting makes it two)."""
    return int(OSA.distance(typed, letters))


def fuzzy_similarity(edits: int, length: int) -> float:
    """Similarity (0–100) of a letter match: the share of the typed letters left intact."""
    return 100.0 * (1.0 - edits / max(length, 1))


def matching_tiers(query: str | QueryKeys, name: str, lang: str | None) -> frozenset[str]:
    """Every tier at which *query* matches the stored *name* (pairwise, no index).

    Tiers: exact, plain, skel, skel_alt, strip, core, phon, cons, fuzzy. Prefix tiers
    depend on the index and are the search module's business.
    """
    q = query if isinstance(query, QueryKeys) else query_keys(query)
    rows = name_keys(name, lang)
    by_kind: dict[str, set[str]] = {}
    for kind, key in rows:
        by_kind.setdefault(kind, set()).add(key)

    def has(kind: str, keys: Iterable[str | None]) -> bool:
        stored = by_kind.get(kind, set())
        return any(k in stored for k in keys if k)

    tiers: set[str] = set()
    if has("exact", [q.exact]):
        tiers.add("exact")
    if has("plain", [q.plain]):
        tiers.add("plain")
    if q.strip is not None and has("strip", [q.strip]):
        tiers.add("strip")
    if q.skel and has("skel", q.skel[:1]):
        tiers.add("skel")
    if has("skel", q.skel[1:]) or has("skel_alt", q.skel):
        tiers.add("skel_alt")
    core_probe = q.core or q.skel
    if has("core", core_probe) or (q.core and has("skel", q.core)):
        tiers.add("core")
    if has("phon", q.phon):
        tiers.add("phon")
    if has("cons", q.cons):
        tiers.add("cons")
    stored_skels = by_kind.get("skel", set())
    if any(fuzzy_ratio(q.skel, s) >= FUZZY_CUTOFF for s in stored_skels):
        tiers.add("fuzzy")
    # Letters typed wrong (the search looks these up among notable places only, see
    # gazetteer.search).
    typed, alphabet = letters_of(q.plain)
    if len(typed) >= LETTER_TYPO_MIN_LENGTH:
        for plain in by_kind.get("plain", set()):
            letters, other = letters_of(plain)
            if other != alphabet or len(letters) < LETTER_TYPO_MIN_LENGTH:
                continue
            if 0 < letter_edits(typed, letters) <= LETTER_TYPO_MAX_EDITS:
                tiers.add("fuzzy")
                break
    return frozenset(tiers)
