"""Romanisation of Armenian, Azerbaijani Cyrillic and Russian names (pure functions).

Used to *display* a Latin form of a name when a place has no name in the target
language (the cross-reference offers it as a generated transliteration). Search never
uses these tables: it has its own skeleton keys in :mod:`gazetteer.normalize`.

Systems (translit.md §1; tables checked against the BGN/PCGN documents as encoded in
interscript/maps):

* Armenian ``BGN/PCGN`` (1981): context rules ye-/vo-/yev-, aspiration mark ’ (U+2019).
* Armenian ``ISO 9985`` (1996): letter for letter (ու → ow, և → ew).
* Azerbaijani Cyrillic ``BGN/PCGN`` (1993 table of correspondences): the official Latin
  alphabet (Г → Q, Ҝ → G, Ј → Y, Ҹ → C, Ж → J, Ы → I, Х → X, Һ → H); obsolete й э ю я →
  ẏ ė yu ya.
* Russian ``BGN/PCGN`` (1947): ye- after vowels, й ъ ь; ë; ъ → ˮ, ь → ’; the optional
  middle dot for unusual sequences (t·s, sh·ch, y·a …).
* Russian ``ISO 9`` (1995, = GOST 7.79-2000 system A): letter for letter.

Latin text passes through unchanged (it is already Latin); letters of a script with no
table here raise :class:`RomanizationError`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Final

__all__ = ["SYSTEM", "SYSTEMS", "RomanizationError", "can_romanize", "romanize"]

BGN: Final = "BGN/PCGN"
#: The default system, named in the UI next to a generated form.
SYSTEM: Final = BGN
ISO_9985: Final = "ISO 9985"
ISO_9: Final = "ISO 9"

#: Romanisation systems available per language (first = default).
SYSTEMS: Final[dict[str, tuple[str, ...]]] = {
    "hy": (BGN, ISO_9985),
    "az-Cyrl": (BGN,),
    "ru": (BGN, ISO_9),
}

_SYSTEM_ALIASES: Final[dict[str, str]] = {
    "bgn/pcgn": BGN,
    "bgn": BGN,
    "pcgn": BGN,
    "iso 9985": ISO_9985,
    "iso9985": ISO_9985,
    "iso 9": ISO_9,
    "iso9": ISO_9,
    "gost 7.79-2000 a": ISO_9,
    "gost a": ISO_9,
}


class RomanizationError(ValueError):
    """The text contains letters of a script or language that has no table here."""


# --------------------------------------------------------------------------------------
# Armenian
# --------------------------------------------------------------------------------------

_ARM_BGN: Final[dict[str, str]] = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "y",
    "թ": "t’", "ժ": "zh", "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h",
    "ձ": "dz", "ղ": "gh", "ճ": "ch", "մ": "m", "յ": "y", "ն": "n", "շ": "sh", "ո": "o",
    "չ": "ch’", "պ": "p", "ջ": "j", "ռ": "rr", "ս": "s", "վ": "v", "տ": "t", "ր": "r",
    "ց": "ts’", "ւ": "v", "փ": "p’", "ք": "k’", "օ": "o", "ֆ": "f",
}  # fmt: skip
_ARM_ISO: Final[dict[str, str]] = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "ē", "ը": "ë",
    "թ": "t’", "ժ": "ž", "ի": "i", "լ": "l", "խ": "x", "ծ": "ç", "կ": "k", "հ": "h",
    "ձ": "j", "ղ": "ġ", "ճ": "č̣", "մ": "m", "յ": "y", "ն": "n", "շ": "š", "ո": "o",
    "չ": "č", "պ": "p", "ջ": "ǰ", "ռ": "ṙ", "ս": "s", "վ": "v", "տ": "t", "ր": "r",
    "ց": "c’", "ւ": "w", "փ": "p’", "ք": "k’", "օ": "ò", "ֆ": "f", "և": "ew",
}  # fmt: skip
# Vowel characters after which ե is ye and և is yev (BGN/PCGN 1981 notes). ու counts
# through its ւ.
_ARM_VOWELS: Final = frozenset("աեէըիոօւ")
_ARM_PUNCT: Final[dict[str, str]] = {
    "։": ".", "՝": ",", "֊": "-", "՚": "’", "՛": "", "՜": "", "՞": "", "՟": ".",
}  # fmt: skip


def _is_armenian_letter(c: str) -> bool:
    return "\u0531" <= c <= "\u0556" or "\u0561" <= c <= "\u0587"


def _armenian_bgn_word(word: str) -> list[tuple[str, str]]:
    """Romanise one lower-case Armenian word; returns (source chars, output) pairs."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(word)
    while i < n:
        c = word[i]
        prev = word[i - 1] if i else ""
        after_vowel = i == 0 or prev in _ARM_VOWELS
        if c == "ո" and i + 1 < n and word[i + 1] == "ւ":
            out.append(("ու", "u"))
            i += 2
            continue
        if c == "ո":
            initial = i == 0 and word != "ով"
            out.append((c, "vo" if initial else "o"))
        elif c == "ե" and i + 1 < n and word[i + 1] == "ւ":
            # Classical եւ is the և sound.
            out.append(("եւ", "yev" if after_vowel else "ev"))
            i += 2
            continue
        elif c == "և":
            out.append((c, "yev" if after_vowel else "ev"))
        elif c == "ե":
            out.append((c, "ye" if after_vowel else "e"))
        else:
            out.append((c, _ARM_BGN.get(c, c)))
        i += 1
    return out


def _armenian_iso_word(word: str) -> list[tuple[str, str]]:
    return [(c, _ARM_ISO.get(c, c)) for c in word]


# --------------------------------------------------------------------------------------
# Cyrillic
# --------------------------------------------------------------------------------------

_RU_BGN: Final[dict[str, str]] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "ë", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ˮ", "ы": "y", "ь": "’", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip
_RU_ISO: Final[dict[str, str]] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "ë", "ж": "ž",
    "з": "z", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "č", "ш": "š", "щ": "ŝ", "ъ": "ʺ", "ы": "y", "ь": "ʹ", "э": "è", "ю": "û",
    "я": "â",
}  # fmt: skip
_AZ_CYRL_BGN: Final[dict[str, str]] = {
    "а": "a", "б": "b", "в": "v", "г": "q", "ғ": "ğ", "д": "d", "е": "e", "ә": "ə",
    "ж": "j", "з": "z", "и": "i", "ы": "ı", "ј": "y", "к": "k", "ҝ": "g", "л": "l",
    "м": "m", "н": "n", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ү": "ü", "ф": "f", "х": "x", "һ": "h", "ч": "ç", "ҹ": "c", "ш": "ş",
    # Obsolete letters of the 1939–58 alphabet and Russian loans (BGN/PCGN 1993 notes).
    "й": "ẏ", "э": "ė", "ю": "yu", "я": "ya", "ё": "yo", "ц": "ts", "щ": "şç",
    "ъ": "", "ь": "", "ҷ": "c", "қ": "g",
}  # fmt: skip
# Upper case of Azerbaijani letters whose Latin capital is not str.upper() of the
# lower-case romanisation: И is İ, Ы is I.
_AZ_UPPER: Final[dict[str, str]] = {"и": "İ", "ы": "I"}

_RU_VOWELS: Final = frozenset("аеёиоуыэюя")
_RU_YE_AFTER: Final = _RU_VOWELS | frozenset("йъь")
_RU_LIMITED: Final = frozenset("ауыэ")  # й / ы before these get a middle dot
_RU_CONSONANTS: Final = frozenset("бвгджзклмнпрстфхцчшщ")


def _russian_bgn_word(word: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    n = len(word)
    for i, c in enumerate(word):
        prev = word[i - 1] if i else ""
        nxt = word[i + 1] if i + 1 < n else ""
        if c in ("е", "ё"):
            base = _RU_BGN[c]
            r = "y" + base if (i == 0 or prev in _RU_YE_AFTER) else base
        elif c == "й":
            r = "y·" if nxt in _RU_LIMITED else "y"
        elif c == "ы":
            r = "y"
            if prev in _RU_VOWELS:
                r = "·" + r
            if nxt in _RU_LIMITED:
                r = r + "·"
        elif c == "э":
            r = "·e" if prev in _RU_CONSONANTS else "e"
        else:
            r = _RU_BGN.get(c, c)
        # Unusual sequences: т·с (not ц), ш·ч (not щ).
        if (c == "с" and prev == "т") or (c == "ч" and prev == "ш"):
            r = "·" + r
        out.append((c, r))
    return out


def _table_word(table: dict[str, str]) -> Callable[[str], list[tuple[str, str]]]:
    def romanise(word: str) -> list[tuple[str, str]]:
        return [(c, table.get(c, c)) for c in word]

    return romanise


# --------------------------------------------------------------------------------------
# Driver: runs of one script, case restored per word
# --------------------------------------------------------------------------------------


def _restore_case(
    source_word: str, pieces: list[tuple[str, str]], upper_map: dict[str, str]
) -> str:
    """Give the romanised pieces the case of their source letters.

    A word written in capitals (two or more letters, all upper case) stays in capitals
    (ԵՐԵՎԱՆ → YEREVAN); otherwise a capital source letter capitalises only the first
    Latin letter of its romanisation (Խ → Kh, Ե → Ye).
    """
    letters = [c for c in source_word if c.isalpha()]
    all_caps = len(letters) > 1 and all(c.isupper() for c in letters)
    result: list[str] = []
    for src, latin in pieces:
        if all_caps:
            result.append(upper_map.get(src.lower(), latin.upper()) if src.isalpha() else latin)
        elif src[:1].isupper():
            special = upper_map.get(src.lower())
            if special and len(latin) == 1:
                result.append(special)
            else:
                result.append(_capitalise(latin))
        else:
            result.append(latin)
    return "".join(result)


def _capitalise(latin: str) -> str:
    for k, ch in enumerate(latin):
        if ch.isalpha():
            return latin[:k] + ch.upper() + latin[k + 1 :]
    return latin


def _script(c: str) -> str:
    if _is_armenian_letter(c):
        return "hy"
    if "\u0400" <= c <= "\u052f":
        return "cyrl"
    if c.isalpha():
        name = unicodedata.name(c, "")
        return "latn" if name.startswith("LATIN") else "other"
    return "none"


_AZ_CYRL_MARKERS: Final = frozenset("әғҝҹһөүјӘҒҜҸҺӨҮЈ")


def _resolve(lang: str | None, text: str, system: str) -> tuple[str, str]:
    """Decide which Cyrillic table applies and canonicalise the system name."""
    canonical = _SYSTEM_ALIASES.get(system.strip().lower())
    if canonical is None:
        raise RomanizationError(f"unknown system {system!r}")
    primary = (lang or "").replace("_", "-").split("-")[0].lower()
    if primary == "az":
        cyrillic = "az-Cyrl"
    elif primary == "ru":
        cyrillic = "ru"
    elif primary in ("", "hy"):
        cyrillic = "az-Cyrl" if _AZ_CYRL_MARKERS & set(text) else "ru"
    else:
        cyrillic = "other"
    return cyrillic, canonical


def romanize(text: str, lang: str | None, system: str = BGN) -> str:
    """Latin form of *text* written in Armenian or Cyrillic script.

    *lang* picks the Cyrillic table (``az``/``az-Cyrl`` → Azerbaijani, ``ru`` →
    Russian; ``None`` guesses from the letters); Armenian letters always use the
    Armenian table. Latin letters, digits and punctuation pass through.

    >>> romanize("Ստեփանակերտ", "hy")
    'Step’anakert'
    >>> romanize("Ханкенди", "ru")
    'Khankendi'
    >>> romanize("Ҝәнҹә", "az-Cyrl")
    'Gəncə'

    Raises :class:`RomanizationError` for an unknown system, a system the script has no
    table for, or letters of another script (Georgian, Arabic …).
    """
    text = "".join(
        ch
        for ch in unicodedata.normalize("NFC", text)
        if unicodedata.category(ch) not in ("Cf", "Cs")
    )
    cyrillic, canonical = _resolve(lang, text, system)
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        script = _script(text[i])
        j = i + 1
        while j < n and _script(text[j]) == script:
            j += 1
        run = text[i:j]
        if script == "hy":
            out.append(_romanise_run(run, "hy", canonical))
        elif script == "cyrl":
            out.append(_romanise_run(run, cyrillic, canonical))
        elif script == "other":
            raise RomanizationError(f"no romanisation table for {run!r}")
        else:
            out.append("".join(_ARM_PUNCT.get(c, c) for c in run))
        i = j
    return unicodedata.normalize("NFC", "".join(out))


def _romanise_run(run: str, table_lang: str, system: str) -> str:
    if system not in SYSTEMS.get(table_lang, ()):
        raise RomanizationError(f"no {system} table for {table_lang}")
    word_fn: Callable[[str], list[tuple[str, str]]]
    upper_map: dict[str, str] = {}
    if table_lang == "hy":
        word_fn = _armenian_bgn_word if system == BGN else _armenian_iso_word
    elif table_lang == "ru":
        word_fn = _russian_bgn_word if system == BGN else _table_word(_RU_ISO)
    else:
        word_fn = _table_word(_AZ_CYRL_BGN)
        upper_map = _AZ_UPPER
    pieces = word_fn(run.lower())
    # Re-attach each piece to its source characters (with their original case).
    sourced: list[tuple[str, str]] = []
    pos = 0
    for src, latin in pieces:
        sourced.append((run[pos : pos + len(src)], latin))
        pos += len(src)
    return _restore_case(run, sourced, upper_map)


def can_romanize(text: str, lang: str | None, system: str = BGN) -> bool:
    """True when :func:`romanize` has tables for every letter of *text*."""
    try:
        romanize(text, lang, system)
    except RomanizationError:
        return False
    return True
