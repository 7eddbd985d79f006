"""Grammatical endings on place names in running text: recognising them and moving them.

Place names in Azerbaijani, Armenian and Russian text carry case endings (Şuşada, Şuşanın;
Շուշիում, Մարտունու; в Шуше, из Шуши) and English adds a possessive (Shusha's). The
toponym finder (:mod:`gazetteer.toponyms`) asks :func:`split_endings` for the stems a word
may be an inflected form of; the rewriter (:mod:`gazetteer.rewrite`) asks :func:`reinflect`
to put the same grammatical case on another name (Xankəndidə → Stepanakertdə,
Shusha's → Shushi's, в Шуше → в Шуши).

The rules are deliberately small and regular — suffix tables with Azerbaijani vowel harmony
and buffer consonants, Armenian buffer յ, the Russian noun classes place names fall into —
because every stem they propose must still be a stored name before anything matches. When
the case cannot be carried over with confidence, :func:`reinflect` returns None and the
mention is left for the editor rather than guessed.

Everything here works on *folded* words: lower case, one code point per code point of the
surface (see :func:`fold_surface`), so an ending's length is also its length in the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = [
    "APOSTROPHES",
    "Ending",
    "Reinflected",
    "fold_surface",
    "reinflect",
    "ru_name_stem",
    "ru_stems",
    "script_of_word",
    "split_endings",
]

#: Apostrophe-likes that can separate a name from its ending (Shusha's, Shusha’s,
#: Stepanakert'də). Letter-like ʼ ʻ count too: people type them for ’.
APOSTROPHES: Final = "'\u2019\u02bc\u2018\u02bb`\u00b4"

# --------------------------------------------------------------------------------------
# Folding and scripts
# --------------------------------------------------------------------------------------


def _fold_char(c: str) -> str:
    if c in APOSTROPHES:
        return "'"
    low = c.lower()
    # İ lowers to i + U+0307 and a few others grow too: keep one code point per code point.
    return low[0] if low else c


_FOLD_CACHE: dict[str, str] = {}


def fold_surface(word: str) -> str:
    """``word`` in lower case with apostrophe-likes as ``'``, exactly as long as ``word``."""
    folded = _FOLD_CACHE.get(word)
    if folded is None:
        folded = "".join(_fold_char(c) for c in word)
        if len(_FOLD_CACHE) < 200_000:
            _FOLD_CACHE[word] = folded
    return folded


def script_of_word(word: str) -> str:
    """``latn``, ``armn``, ``cyrl`` or ``other``: the script of the word's last letter."""
    for c in reversed(word):
        o = ord(c)
        if 0x530 <= o <= 0x58F:
            return "armn"
        if 0x400 <= o <= 0x52F:
            return "cyrl"
        if c.isalpha():
            # ə (U+0259) sits in the IPA block; Azerbaijani needs it.
            latin = o < 0x250 or o in (0x259, 0x18F) or 0x1E00 <= o <= 0x1EFF
            return "latn" if latin else "other"
    return "other"


# --------------------------------------------------------------------------------------
# Azerbaijani
# --------------------------------------------------------------------------------------

_AZ_BACK: Final = frozenset("aıou")
_AZ_VOWELS: Final = frozenset("aıoueəiöü")

# Azerbaijani case suffixes by case. ``{A}`` is a/ə (two-way harmony), ``{I}`` is ı/i/u/ü
# (four-way). A leading ``(y)`` or ``(n)`` is the buffer consonant used after a vowel.
_AZ_CASES: Final[dict[str, str]] = {
    "loc": "d{A}",
    "abl": "d{A}n",
    "dat": "(y){A}",
    "gen": "(n){I}n",
    "acc": "(n){I}",
    "ins": "(y)l{A}",
    "locrel": "d{A}k{I2}",
    # After the 3rd-person possessive of compound names (Laçın dəhlizi → dəhlizində):
    # the possessive's own n comes before the case.
    "p-loc": "nd{A}",
    "p-abl": "nd{A}n",
    "p-dat": "n{A}",
    "p-gen": "n{I}n",
    "p-acc": "n{I}",
}


def _last_vowel(word: str) -> str | None:
    for c in reversed(word):
        if c in _AZ_VOWELS:
            return c
    return None


def _harmony(stem: str, pattern: str) -> str:
    """Fill {A} and {I} in ``pattern`` by the stem's last vowel (back/front, rounded)."""
    v = _last_vowel(stem) or "a"
    a = "a" if v in _AZ_BACK else "ə"
    i = {"a": "ı", "ı": "ı", "o": "u", "u": "u", "ö": "ü", "ü": "ü"}.get(v, "i")
    # -dakı / -dəki: the second vowel is ı or i only (no rounding).
    i2 = "ı" if v in _AZ_BACK else "i"
    return pattern.replace("{A}", a).replace("{I2}", i2).replace("{I}", i)


def _az_suffix(stem: str, case: str) -> str:
    """The Azerbaijani suffix of ``case`` for ``stem`` (harmony and buffer consonant)."""
    pattern = _AZ_CASES[case]
    ends_in_vowel = bool(stem) and stem[-1] in _AZ_VOWELS
    if pattern.startswith("("):
        buffer, pattern = pattern[1], pattern[3:]
        if ends_in_vowel:
            pattern = buffer + pattern
    return _harmony(stem, pattern)


def _az_all_forms() -> dict[str, list[str]]:
    """Every written form of every case suffix: form → cases."""
    forms: dict[str, list[str]] = {}
    for case, pattern in _AZ_CASES.items():
        bodies = [pattern]
        if pattern.startswith("("):
            bodies = [pattern[3:], pattern[1] + pattern[3:]]
        for body in bodies:
            for a in "aə":
                for i in "ıiuü":
                    for i2 in "ıi":
                        form = body.replace("{A}", a).replace("{I2}", i2).replace("{I}", i)
                        forms.setdefault(form, [])
                        if case not in forms[form]:
                            forms[form].append(case)
    return forms


_AZ_FORMS: Final[dict[str, list[str]]] = _az_all_forms()
_AZ_BY_LENGTH: Final[list[str]] = sorted(_AZ_FORMS, key=len, reverse=True)


def _az_candidates(word: str) -> list[tuple[int, str, str]]:
    """(ending length, stem, case) for every suffix reading that fits harmony and buffers."""
    found: list[tuple[int, str, str]] = []
    for form in _AZ_BY_LENGTH:
        if len(word) - len(form) < 3 or not word.endswith(form):
            continue
        stem = word[: -len(form)]
        for case in _AZ_FORMS[form]:
            if case.startswith("p-") and stem[-1] not in "ıiuü":
                continue  # a possessive case needs the possessive vowel (dəhlizi-ndə)
            if _az_suffix(stem, case) != form:
                continue  # wrong harmony or buffer for this stem: not this case
            found.append((len(form), stem, case))
            # Final q and k soften before a vowel (Qarabulaq → Qarabulağa).
            if stem.endswith("ğ") and form[0] in _AZ_VOWELS:
                found.append((len(form), stem[:-1] + "q", case))
    return found


# --------------------------------------------------------------------------------------
# Armenian
# --------------------------------------------------------------------------------------

_HY_VOWELS: Final = frozenset("աեէըիոօ")
# Case endings after a consonant or ի/ու (Արցախում, Շուշիում); after ա ո ե է օ a յ comes
# first (Ակնայում). ``ը`` follows consonants, ``ն`` vowels (the definite article).
_HY_CASES: Final[dict[str, str]] = {
    "loc": "ում",
    "abl": "ից",
    "ins": "ով",
    "gen": "ի",
    "datdef": "ին",
    "def": "ը",
}


def _hy_needs_y(stem: str) -> bool:
    return bool(stem) and stem[-1] in "աոօ" and not stem.endswith("ու")


def _hy_suffix(stem: str, case: str) -> str:
    """The Armenian suffix of ``case`` after ``stem``."""
    ends_in_vowel = bool(stem) and (stem[-1] in _HY_VOWELS or stem.endswith("ու"))
    if case == "def":
        return "ն" if ends_in_vowel else "ը"
    ending = _HY_CASES[case]
    return "յ" + ending if _hy_needs_y(stem) else ending


def _hy_candidates(word: str) -> list[tuple[int, str, str]]:
    found: list[tuple[int, str, str]] = []
    for case, ending in _HY_CASES.items():
        for form in (ending, "յ" + ending):
            if case == "def" and form != ending:
                continue
            if len(word) - len(form) < 2 or not word.endswith(form):
                continue
            stem = word[: -len(form)]
            # After ե/է both forms occur (Շուշեում, Շուշեյում): accept either.
            if _hy_suffix(stem, case) == form or (stem[-1] in "եէ" and case != "def"):
                found.append((len(form), stem, case))
    if word.endswith("ն") and len(word) > 3:
        stem = word[:-1]
        if stem[-1] in _HY_VOWELS or stem.endswith("ու"):
            found.append((1, stem, "def"))
    # Names in -ի take -ու in the genitive and -ուց in the ablative (Մարտունի → Մարտունու).
    for form, case in (("ուց", "abl-u"), ("ու", "gen-u")):
        if word.endswith(form) and len(word) - len(form) >= 3:
            found.append((len(form), word[: -len(form)] + "ի", case))
    return found


# --------------------------------------------------------------------------------------
# Russian
# --------------------------------------------------------------------------------------

# Nominal and adjectival case endings. A stem is what is left; both a stored name and a word
# in the text are reduced to stems, and they match when a stem is shared (Шуша, Шуше → шуш).
_RU_ENDINGS: Final[tuple[str, ...]] = tuple(
    sorted(
        {
            "а", "я", "у", "ю", "е", "и", "ы", "о", "ь", "й",
            "ой", "ей", "ою", "ею", "ом", "ем", "ём", "ью", "ам", "ям", "ах", "ях", "ами", "ями",
            "ый", "ий", "ая", "яя", "ое", "ее", "ие", "ия", "ии", "ию", "ией",
            "ого", "его", "ому", "ему", "ым", "им", "ую", "юю", "ых", "их", "ыми", "ими",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip
_RU_VOWELS: Final = frozenset("аеёиоуыэюяьй")
_RU_MIN_STEM: Final = 3
# Endings a place name has in the nominative (Шуша, Армения, Нахичевань, Нагорный, Горки).
_RU_NOMINATIVE: Final[tuple[str, ...]] = tuple(
    sorted(
        {"а", "я", "ь", "й", "о", "е", "ы", "и", "ый", "ий", "ой", "ая", "яя", "ое", "ее",
         "ие", "ия", "ые"},
        key=len,
        reverse=True,
    )
)  # fmt: skip


def ru_name_stem(word: str) -> str:
    """The stem of a folded Russian name in the nominative (Шуша → шуш, Карабах → карабах,
    Армения → армен): what every case form of it shares."""
    for ending in _RU_NOMINATIVE:
        if word.endswith(ending) and len(word) - len(ending) >= _RU_MIN_STEM:
            return word[: -len(ending)]
    return word


def ru_name_forms(stem: str) -> list[str]:
    """Every word :func:`ru_name_stem` may have turned into ``stem``: the stem itself and
    the stem with each nominative ending (a superset: check with ``ru_name_stem``)."""
    if len(stem) < _RU_MIN_STEM:
        return [stem]  # a shorter stem is only ever a word that was left whole
    return [stem, *(stem + ending for ending in _RU_NOMINATIVE)]


def ru_stems(word: str) -> list[str]:
    """Every stem a folded Russian word may have: itself, and itself without each case
    ending it carries (Шуше → шуше, шуш; Армении → армении, армени, армен). One of them
    is :func:`ru_name_stem` of the name it is a form of."""
    found = [word]
    for ending in _RU_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _RU_MIN_STEM:
            found.append(word[: -len(ending)])
    return found


_RU_HUSHING: Final = frozenset("гкхжшщчц")
#: Prepositions that fix the case of the next word (used when the form does not say).
_RU_PREP_CASE: Final[dict[str, str]] = {
    "из": "gen", "от": "gen", "до": "gen", "у": "gen", "для": "gen", "без": "gen",
    "около": "gen", "возле": "gen", "вокруг": "gen", "после": "gen", "близ": "gen",
    "из-под": "gen", "из-за": "gen", "вблизи": "gen", "недалеко": "gen",
    "к": "dat", "ко": "dat", "по": "dat",
    "при": "loc", "о": "loc", "об": "loc",
    "над": "ins", "под": "ins", "перед": "ins", "между": "ins", "за": "ins",
}  # fmt: skip
#: ``в``/``на`` take the locative (where) or the accusative (where to): ambiguous.
_RU_LOC_OR_ACC: Final = frozenset({"в", "во", "на"})


def _ru_class(word: str) -> str:
    """The declension class of a folded Russian noun: cons, a, ya, iya, soft, indecl."""
    if not word:
        return "indecl"
    last = word[-1]
    if word.endswith("ия"):
        return "iya"
    if last == "а":
        return "a"
    if last == "я":
        return "ya"
    if last == "ь":
        return "soft"
    if last == "й":
        return "yot"
    if last in "еёиоуыэю":
        return "indecl"  # Ханкенди, Баку, Шуши, Тбилиси: not declined
    return "cons"


# Which case(s) an ending shows, per class of the original name. The ending is what follows
# the longest common prefix of the written form and the stored name (Шуша/Шуше → е,
# Армения/Армении → и, Степанакерт/Степанакерте → е).
_RU_CASE_OF: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "cons": {"": ("nom", "acc"), "а": ("gen",), "у": ("dat",), "ом": ("ins",), "е": ("loc",)},
    "a": {"": ("nom",), "ы": ("gen",), "и": ("gen",), "е": ("dat", "loc"), "у": ("acc",),
          "ой": ("ins",), "ою": ("ins",), "ей": ("ins",)},
    "ya": {"": ("nom",), "и": ("gen",), "е": ("dat", "loc"), "ю": ("acc",), "ей": ("ins",)},
    "iya": {"": ("nom",), "и": ("gen", "dat", "loc"), "ю": ("acc",), "ей": ("ins",)},
    "soft": {"": ("nom", "acc"), "и": ("gen", "dat", "loc"), "ью": ("ins",)},
    "yot": {"": ("nom", "acc"), "я": ("gen",), "ю": ("dat",), "ем": ("ins",), "е": ("loc",)},
}  # fmt: skip


def _ru_form(word: str, case: str) -> str | None:
    """``word`` (nominative, original case of letters) put in ``case``; None if unsure."""
    folded = fold_surface(word)
    cls = _ru_class(folded)
    if cls == "indecl" or case == "nom":
        return word
    stem_a = word[:-1]
    soft_gen = "и" if folded[-2:-1] in _RU_HUSHING else "ы"
    table: dict[str, dict[str, str]] = {
        "cons": {"gen": word + "а", "dat": word + "у", "acc": word, "ins": word + "ом",
                 "loc": word + "е"},
        "a": {"gen": stem_a + soft_gen, "dat": stem_a + "е", "acc": stem_a + "у",
              "ins": stem_a + "ой", "loc": stem_a + "е"},
        "ya": {"gen": stem_a + "и", "dat": stem_a + "е", "acc": stem_a + "ю", "ins": stem_a + "ей",
               "loc": stem_a + "е"},
        "iya": {"gen": word[:-2] + "ии", "dat": word[:-2] + "ии", "acc": word[:-2] + "ию",
                "ins": word[:-2] + "ией", "loc": word[:-2] + "ии"},
        "soft": {"gen": stem_a + "и", "dat": stem_a + "и", "acc": word, "ins": stem_a + "ью",
                 "loc": stem_a + "и"},
        "yot": {"gen": stem_a + "я", "dat": stem_a + "ю", "acc": word, "ins": stem_a + "ем",
                "loc": stem_a + "е"},
    }  # fmt: skip
    return table[cls].get(case)


# --------------------------------------------------------------------------------------
# The two entry points
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ending:
    """A grammatical ending found on a word: how long it is in the text, the stem it leaves
    (folded, possibly adjusted: Մարտունու → մարտունի), its language and its case."""

    length: int
    stem: str
    lang: str
    case: str
    apostrophe: bool = False


def split_endings(word: str) -> list[Ending]:
    """Readings of ``word`` (as written) as a name plus an ending, most specific first.

    Russian readings are not listed here: Russian matches on shared stems (:func:`ru_stems`)
    because a stored Russian name is itself inflected (Шуша = шуш + а).
    """
    folded = fold_surface(word)
    script = script_of_word(folded)
    found: list[Ending] = []
    if script == "latn":
        cut = folded.rfind("'")
        if 0 < cut < len(folded) - 1:
            stem, suffix = folded[:cut], folded[cut + 1 :]
            length = len(suffix) + 1
            if suffix == "s":
                found.append(Ending(length, stem, "en", "poss", True))
            for case in _AZ_FORMS.get(suffix, ()):
                if _az_suffix(stem, case) == suffix or case in ("dat", "gen", "acc", "ins"):
                    found.append(Ending(length, stem, "az", case, True))
                    break
        elif "'" not in folded:
            found.extend(Ending(n, s, "az", c) for n, s, c in _az_candidates(folded))
    elif script == "armn":
        found.extend(Ending(n, s, "hy", c) for n, s, c in _hy_candidates(folded))
    return found


def _preceding_word(before: str) -> str:
    """The last word of ``before``, folded ('' when none)."""
    tail = before.rstrip()
    if len(tail) == len(before) and before:
        return ""  # no space: the name is glued to something, no preposition
    start = len(tail)
    while start > 0 and (tail[start - 1].isalpha() or tail[start - 1] == "-"):
        start -= 1
    return fold_surface(tail[start:])


@dataclass(frozen=True, slots=True)
class Reinflected:
    """The new name with the old one's case, or None and why not; ``note`` also carries
    what an editor should check when the case was read from context."""

    text: str | None
    note: str = ""


def _script_name(script: str) -> str:
    return {"latn": "a Latin", "armn": "an Armenian", "cyrl": "a Cyrillic"}.get(
        script, "another script's"
    )


def reinflect(
    new_name: str, ending: str, *, lang: str, case: str, old_name: str = "", before: str = ""
) -> Reinflected:
    """Put ``new_name`` in the grammatical case that ``ending`` gave the old name.

    ``text`` is None when the case cannot be carried over safely — the new name is in
    another script than the ending, or a Russian case is unclear — and ``note`` says why,
    so the mention can be left for the editor. ``old_name`` is the stored name the mention
    matched (Russian needs its declension class), ``before`` the text before the mention
    (Russian prepositions).
    """
    folded_new = fold_surface(new_name)
    new_script = script_of_word(folded_new)
    wanted_script = {"en": "latn", "az": "latn", "hy": "armn", "ru": "cyrl"}.get(lang)
    if not new_name or wanted_script is None:
        return Reinflected(None, "no name to inflect")
    if new_script != wanted_script:
        return Reinflected(
            None, f"{_script_name(wanted_script)} ending cannot go on "
            f"{_script_name(new_script)} name",
        )  # fmt: skip
    if lang == "en":
        return Reinflected(new_name + ending)
    if lang == "az":
        apostrophe = ending[:1] if ending[:1] in APOSTROPHES else ""
        if case.startswith("p-") and not (folded_new and folded_new[-1] in "ıiuü"):
            case = case[2:]  # the new name is no possessive compound: the plain case
        suffix = _az_suffix(folded_new, case)
        body = ending[len(apostrophe) :]
        if body.isupper():
            suffix = suffix.upper()
        return Reinflected(new_name + apostrophe + suffix)
    if lang == "hy":
        return Reinflected(new_name + _hy_suffix(folded_new, case.removesuffix("-u")))
    return _reinflect_ru(new_name, ending, old_name, before)


def _sentence_start(before: str) -> bool:
    tail = before.rstrip()
    return not tail or tail[-1] in '.!?:;\n«"(—–'


def _reinflect_ru(new_name: str, ending: str, old_name: str, before: str) -> Reinflected:
    """Russian: read the case from the old form (or its preposition), then decline anew."""
    folded_new = fold_surface(new_name)
    new_words = folded_new.split()
    new_cls = _ru_class(new_words[-1] if new_words else "")
    old_words = fold_surface(old_name).split()
    cls = _ru_class(old_words[-1] if old_words else "")
    shown = (
        set(_RU_CASE_OF.get(cls, {}).get(fold_surface(ending), ())) if cls != "indecl" else set()
    )
    if cls != "indecl" and not shown:
        return Reinflected(None, f"the Russian ending -{ending} is not one these rules know")
    cases = set(shown)
    if len(cases) != 1:
        prep = _preceding_word(before)
        if prep in _RU_PREP_CASE:
            wanted = {_RU_PREP_CASE[prep]}
        elif prep in _RU_LOC_OR_ACC:
            wanted = {"loc", "acc"}
        elif _sentence_start(before):
            wanted = {"nom"}
        else:
            wanted = set()
        cases = (cases & wanted if cases else wanted) or cases
    if new_cls == "indecl":
        return Reinflected(new_name)  # Ханкенди, Шуши, Баку: the same in every case
    if not cases:
        return Reinflected(None, "the Russian case is not clear from the text")
    if len(new_words) > 1:
        if cases == {"nom"}:
            return Reinflected(new_name)
        return Reinflected(None, "agreement of a Russian name of several words is not automatic")
    forms = sorted({f for f in (_ru_form(new_name, c) for c in cases) if f is not None})
    if len(forms) != 1:
        return Reinflected(None, f"the Russian case is not clear ({' or '.join(forms)}?)")
    note = "Russian case read from the context" if len(shown) != 1 else ""
    return Reinflected(forms[0], note)
