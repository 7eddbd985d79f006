"""The fast paths of gazetteer.normalize against the general rules they stand in for.

Search keys are computed for a million names per import, so the module reads words in
one script through translate tables and regular expressions, keeps per-word results in
bounded caches, and skips steps that cannot change an ASCII string. Each shortcut is
only allowed if it gives exactly what the general, character-by-character reading
gives; these tests hold the two side by side (the golden keys of real names are pinned
in test_normalize_golden.py).
"""

from __future__ import annotations

import itertools
import json
import random
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from unidecode import unidecode

from gazetteer import normalize as n

FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "keys_golden.json"
MODES = ("query", "std", "az", "de", "fr")
#: Every code point of the planes that hold letters (0–3) and of plane 14 (tags,
#: variation selectors); the others hold only private-use and unassigned code points.
CODE_POINTS = [*range(0x40000), *range(0xE0000, 0xF0000)]


def _collapse_reference(s: str) -> str:
    return "".join(ch for ch, _ in itertools.groupby(s))


def _classes_reference(phonemes: str) -> str:
    """The sound-class rule as stated: map, drop y/i before a vowel class, y → i, collapse."""
    out = [n._CLASS.get(p, p) for p in phonemes]
    kept = [
        "i" if sym == "y" else sym
        for k, sym in enumerate(out)
        if not (sym in ("y", "i") and k + 1 < len(out) and out[k + 1] in "aiou")
    ]
    return _collapse_reference("".join(kept))


def _phon_reference(skeleton: str) -> str:
    """Voicing pairs merged, h = k, every vowel run one a, repeats collapsed."""
    pairs = str.maketrans({"b": "p", "d": "t", "z": "s", "j": "č", "ʒ": "c", "v": "f", "h": "k"})
    return _collapse_reference(re.sub("[aiou]+", "a", skeleton.translate(pairs)))


def _golden_words() -> set[str]:
    names = json.loads(FIXTURE.read_text(encoding="utf-8"))["names"]
    words: set[str] = set()
    for text, lang, _ in names:
        e = n.exact_key(text, lang)
        words.update(n._words_for_skeleton(e))
        words.update(e.split())
    return words


def _random_words(count: int) -> list[str]:
    """Seeded words mixing every script and sign the reading rules treat apart."""
    rng = random.Random(6)
    pools = [
        "abcdefghijklmnopqrstuvwxyz",
        "şçğıöüəäëšžčǰʦʣéèòłßæøœđðþŋħɵƶƣṙřġǧĉẏėěŝǆ",
        "абвгджзийклмнопрстуфхцчшщъыьэюяёәөүҝҹјһғқіїєўѕђћџљњґꙗ",
        "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆևՙ",
        "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیةۀءؤئأإآٱً٣",
        "შუშააბგდ東京北京市서울ทΑθήναἈθῆναιअर्मावीर",
        "0123456789٣۳१२\u0301\u0307\u0327",
    ]
    words = []
    for _ in range(count):
        chosen = rng.sample(pools, rng.randint(1, 2))
        alphabet = "".join(chosen)
        words.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 10))))
    return words


def test_script_patterns_agree_with_script_of() -> None:
    """Each one-script word pattern accepts exactly the code points _script_of assigns
    to that script (foreign: letters only, as str.isalpha tells general category L)."""
    script_of = n._script_of.__wrapped__  # not through its small cache
    wrong = []
    for o in CODE_POINTS:
        c = chr(o)
        script = script_of(c)
        checks = [
            ("latin", n._LATIN_WORD_RE.fullmatch(c) is not None),
            ("cyrillic", n._CYRILLIC_WORD_RE.fullmatch(c) is not None),
            ("armenian", n._ARMENIAN_WORD_RE.fullmatch(c) is not None),
            ("arabic", n._ARABIC_WORD_RE.fullmatch(c) is not None),
        ]
        if c.isalpha():
            checks.append(("foreign", n._NOT_FOREIGN_RE.match(c) is None))
        wrong.extend(f"U+{o:04X} {name}" for name, match in checks if match != (script == name))
        if (n._LATIN_LETTER_RE.match(c) is not None) != n._is_latin_letter(c):
            wrong.append(f"U+{o:04X} latin letter")
        if (n._CYRILLIC_RE.match(c) is not None) != n._is_cyrillic(c):
            wrong.append(f"U+{o:04X} cyrillic letter")
    assert not wrong, wrong[:20]


def test_ascii_shortcuts() -> None:
    """What the ASCII shortcuts of cleanup, exact_key and name_keys take for granted."""
    for o in range(0x80):
        c = chr(o)
        assert n._ASCII_CLEAN_TABLE[o] == n._clean_char(c)
        assert n._ASCII_CLEAN_TABLE[o].isascii()
        # plain and strip fold ASCII alike, and change only ' and -.
        assert n._PLAIN_TABLE[o] == n._STRIP_TABLE[o] == {"'": "", "-": " "}.get(c, c)
        assert n._latin_symbol(c) == c
    # unicodedata agrees that ASCII is its own NFC.
    ascii_text = "".join(map(chr, range(0x80)))
    assert unicodedata.normalize("NFC", ascii_text) == ascii_text


def test_word_chunks_agree_with_the_general_reading() -> None:
    """Every word of the golden names and 3 000 seeded mixed-script words, in every
    reading mode: the direct paths give the tokens of the character-by-character scan."""
    words = sorted(_golden_words() | set(_random_words(3000)))
    assert len(words) > 3000
    wrong = [
        (word, mode)
        for word in words
        for mode in MODES
        if n._word_chunks(word, mode) != n._general_chunks(word, mode)
    ]
    assert not wrong, wrong[:20]


@given(st.text(max_size=12))
@settings(max_examples=300, deadline=None)
def test_word_chunks_agree_on_any_text(word: str) -> None:
    """Whatever the word (the direct paths must also decline what they cannot read)."""
    for mode in MODES:
        assert n._word_chunks(word, mode) == n._general_chunks(word, mode)


def test_unidecode_is_per_character() -> None:
    """The per-character unidecode table gives unidecode's transliteration of a run."""
    for text in ["阿博維揚", "შუშა", "Ἀθῆναι", "अर्मावीर", "서울특별시", "ท่าเรือ", "ℌ𝐀ǅ", "ⅫⅣ"]:
        assert text.translate(n._UNIDECODE_TABLE) == unidecode(text)


@given(st.text(alphabet=st.sampled_from("aeiouyəıöüäbdgkqhxšžčǰʦʣwvpfz1"), max_size=14))
@settings(max_examples=300, deadline=None)
def test_sound_classes_as_stated(phonemes: str) -> None:
    """Classes, phonetic and consonant keys equal the rules written out step by step."""
    assert n._classes(phonemes) == _classes_reference(phonemes)
    skeleton = _classes_reference(phonemes)
    assert n.phon_key(skeleton) == _phon_reference(skeleton)
    cons = _collapse_reference(_phon_reference(skeleton).replace("a", ""))
    assert n.cons_key(skeleton) == (cons if len(cons) >= 3 else None)


@given(st.text(max_size=20))
@settings(max_examples=300, deadline=None)
def test_collapse_and_phon_key_of_any_text(text: str) -> None:
    """phon_key and cons_key accept any string, not only skeletons."""
    assert n._collapse(text) == _collapse_reference(text)
    assert n.phon_key(text) == _phon_reference(text)


def test_caches_change_no_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """The keys of real names are the same with caches emptied at every second word,
    after other names filled them, and computed again from warm caches."""
    names = json.loads(FIXTURE.read_text(encoding="utf-8"))["names"]
    caches = [*n._WORD_CHUNKS.values(), n._PLAIN_WORDS]
    for cache in caches:
        cache.clear()
    expected = [[list(row) for row in n.name_keys(text, lang)] for text, lang, _ in names]
    assert any(len(cache) > 2 for cache in caches)
    for cache in caches:
        cache.clear()
        monkeypatch.setattr(cache, "_limit", 2)
    tiny = [[list(row) for row in n.name_keys(text, lang)] for text, lang, _ in names]
    assert tiny == expected
    for cache in caches:
        assert len(cache) <= 2
    monkeypatch.undo()
    for text in _random_words(2000):
        n.name_keys(text, None)
    warm = [[list(row) for row in n.name_keys(text, lang)] for text, lang, _ in reversed(names)]
    assert warm[::-1] == expected
