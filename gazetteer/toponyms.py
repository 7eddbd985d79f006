"""The toponym finder: every mention of a stored place name in running text.

Driven by the gazetteer's own names — all of them, in every language — through the same
``plain`` search key the search uses (:mod:`gazetteer.normalize`): case, diacritics,
apostrophe and hyphen variants do not matter (SHUSHA, Şusa, Nagorno Karabakh). The index is
a token trie of stored names split into word keys, holding only the names that begin with
the words of the texts seen so far (read from the store by those words, never the whole
gazetteer); the text is walked word by word, taking the longest name that starts at each
word (so *Lachin corridor* is one mention, not *Lachin*). A word is only ever matched
whole, so no name is found inside another word.

Inflected forms are found by stripping known endings before the lookup
(:mod:`gazetteer.inflection`): Shusha's, Şuşada, Şuşanın, Շուշիում, Մարտունու; Russian
words match on shared stems (в Шуше, из Шуши, Нагорном Карабахе).

Each :class:`Mention` gives the span, the surface form, its candidates (place + the name it
matched) and a confidence. A name several places share (Martuni, Tərtər) is resolved from
the rest of the text — other places mentioned there, their parents and distances, and an
optional region — only when the evidence clearly favours one place; otherwise it stays
ambiguous for the editor.
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Final

from gazetteer.gcpause import cyclic_gc_paused
from gazetteer.inflection import (
    Ending,
    fold_surface,
    ru_name_forms,
    ru_name_stem,
    ru_stems,
    script_of_word,
    split_endings,
)
from gazetteer.model import KIND_RANK
from gazetteer.normalize import exact_key, plain_key, strip_key

if TYPE_CHECKING:
    from db import Store

__all__ = [
    "CLEAR_EVIDENCE",
    "Candidate",
    "Mention",
    "NameRef",
    "PlaceFacts",
    "ToponymIndex",
    "context_evidence",
    "facts_lookup",
    "find_mentions",
    "index_for",
    "is_clear",
    "tokenize",
]

# --------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------

# Combining marks and in-word invisibles: NFD input (S + U+0327), Armenian emphasis and
# question marks written inside words, soft hyphens and zero-width joiners.
_MARKS: Final = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u1ab0-\u1aff"
    "\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u055b-\u055f\u00ad\u200b-\u200d\u2060"
)
_APOS: Final = "'\u2019\u02bc\u2018`\u00b4"
#: A word: letters, digits and marks, with apostrophes inside (Shusha's, Step'anakert).
WORD_RE: Final = re.compile(rf"(?:[^\W_]|[{_MARKS}])+(?:[{_APOS}](?:[^\W_]|[{_MARKS}])+)*")
# What may stand between the words of one name: spaces (one line break at most), hyphens
# and dashes, and the odd dot, slash, ampersand or apostrophe that the name itself has.
_GAP_RE: Final = re.compile(
    r"[ \t\u00a0\u2009\u202f]*(?:[-\u2010\u2011\u2012\u2013\u2014./&'\u2019][ \t\u00a0]*)?"
    r"\n?[ \t\u00a0\u2009\u202f]*"
)
_SPECIAL_GAP: Final = re.compile(r"[./&'\u2019]")
_SENTENCE_END: Final = frozenset('.!?\n…»"“”:;')


def tokenize(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of every word of ``text``."""
    return [m.span() for m in WORD_RE.finditer(text)]


def _name_word_key(plain: str) -> str:
    """The trie key of one word of a stored name: Russian words by their nominative stem
    (marked with ``~``), every other word by its plain key."""
    if plain and script_of_word(plain) == "cyrl":
        return "~" + ru_name_stem(plain)
    return plain


def _text_word_keys(plain: str) -> list[str]:
    """The trie keys a word of the text may match: a Russian word by any of its stems."""
    if plain and script_of_word(plain) == "cyrl":
        return ["~" + stem for stem in ru_stems(plain)]
    return [plain]


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NameRef:
    """A stored name as the finder knows it."""

    id: int
    text: str
    lang: str
    kind: str
    preferred: bool


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a mention may refer to, the name of it that matched, and how well."""

    place_id: str
    name: NameRef
    #: ``exact`` (same letters up to case), ``plain`` (ё/е, apostrophes, hyphens or the
    #: spelling of a diacritic differ: Xankendi), ``strip`` (diacritics missing: Dagliq
    #: Qarabag) or ``inflected`` (a grammatical ending was taken off).
    tier: str
    #: How sure the match of the words is (0–1), before any ambiguity.
    score: float
    #: Weight of the evidence for this place in the rest of the text (ambiguous names).
    evidence: float = 0.0


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name found in a text.

    ``text[start:end]`` is the surface form; ``text[start:name_end]`` is the part that is
    the name and ``text[name_end:end]`` the grammatical ending kept on it (``'s``, ``da``,
    ``ում``, ``е``; empty when there is none).
    """

    start: int
    end: int
    surface: str
    name_end: int
    candidates: tuple[Candidate, ...]
    #: The place meant, or None while the mention is ambiguous.
    place_id: str | None
    confidence: float
    #: ``unique`` (one place has the name), ``resolved`` (several, context chose) or
    #: ``ambiguous`` (several, left for the editor).
    status: str
    #: Language and case of the ending (``az``/``loc``, ``en``/``poss``, ``ru``/``""``).
    ending_lang: str = ""
    ending_case: str = ""
    #: Why the confidence is lower or how the place was chosen.
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ending(self) -> str:
        """The grammatical ending as written ('' when none)."""
        return self.surface[self.name_end - self.start :]

    @property
    def candidate(self) -> Candidate | None:
        """The chosen candidate (None while ambiguous)."""
        for c in self.candidates:
            if c.place_id == self.place_id:
                return c
        return None

    @property
    def tier(self) -> str:
        """The match tier of the chosen (or best) candidate."""
        chosen = self.candidate or (self.candidates[0] if self.candidates else None)
        return chosen.tier if chosen else ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (for ``--format json`` and the saved report)."""
        chosen = self.candidate
        return {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "ending": self.ending,
            "place_id": self.place_id,
            "name": chosen.name.text if chosen else None,
            "name_lang": chosen.name.lang if chosen else None,
            "tier": self.tier,
            "confidence": round(self.confidence, 3),
            "status": self.status,
            "candidates": [
                {
                    "place_id": c.place_id,
                    "name": c.name.text,
                    "lang": c.name.lang,
                    "tier": c.tier,
                    "evidence": round(c.evidence, 2),
                }
                for c in self.candidates
            ],
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class PlaceFacts:
    """What disambiguation needs to know about a place."""

    id: str
    role: str
    parent_id: str | None
    lat: float | None
    lon: float | None
    importance: float = 0.0


#: Looks places up by id (unknown ids are left out of the answer).
PlaceLookup = Callable[[Sequence[str]], Mapping[str, PlaceFacts]]

# --------------------------------------------------------------------------------------
# The index
# --------------------------------------------------------------------------------------

_END: Final = "\x00"  # key of the name list inside a trie node; never a word key
#: A fetcher of stored names by the first word of their keys (``Store.iter_names_by_first_word``).
NameFetcher = Callable[[Iterable[str]], Iterable[tuple[Any, ...]]]
#: Past this many names read, the next text that needs new words starts a fresh trie.
_MAX_NAMES: Final = 300_000


def _first_words(trie_key: str) -> list[str]:
    """The first words of the stored keys that may sit under ``trie_key`` at the trie's
    root (the inverse of :func:`_name_word_key`, a superset for Russian stems)."""
    if trie_key.startswith("~"):
        return ru_name_forms(trie_key[1:])
    if script_of_word(trie_key) == "cyrl":
        return []  # a Russian word of a name is always keyed by its stem
    return [trie_key]


class _Trie:
    """The names read so far, as a trie over their keys' words.

    A node with children is a dict (word key → child, and ``_END`` → its entries); a node
    without children is just the tuple of its entries. An entry is a name's number (its
    position in the parallel lists) doubled, plus 1 when the node is its strip key's.
    """

    def __init__(self) -> None:
        self.root: dict[str, Any] = {}
        #: First-word keys whose names are all under ``root`` (or that begin no name).
        self.looked_up: set[str] = set()
        self._numbers: dict[int, int] = {}  # name id -> number
        self.name_ids = array("q")
        self.texts: list[str] = []
        self.langs: list[str] = []
        self.kinds: list[str] = []
        self.preferred = bytearray()
        self.places: list[str] = []
        self._interned: dict[str, str] = {}
        #: Names usable at a node, by (node id, strip path): see ``_usable``.
        self.usable_cache: dict[tuple[int, bool], tuple[list[int], bool]] = {}

    def __len__(self) -> int:
        return len(self.name_ids)

    def text(self, number: int) -> str:
        """The text of name ``number``."""
        return self.texts[number]

    def name(self, number: int) -> NameRef:
        """The stored name with this number."""
        return NameRef(self.name_ids[number], self.texts[number], self.langs[number],
                       self.kinds[number], bool(self.preferred[number]))  # fmt: skip

    def place_of(self, number: int) -> str:
        """The place id of name ``number``."""
        return self.places[number]

    def load(self, keys: set[str], rows: Iterable[tuple[Any, ...]]) -> None:
        """Add every name under the first-word ``keys`` from ``(name id, place id, text,
        lang, kind, preferred, key kind, key)`` rows (``plain`` or ``strip`` keys); rows
        whose first word is keyed otherwise are skipped."""
        fresh: dict[str, Any] = {}
        word_keys: dict[str, str] = {}
        interned = self._interned
        with cyclic_gc_paused():  # many new containers, none of them cyclic
            for name_id, place_id, text, lang, kind, preferred, key_kind, key in rows:
                words = key.split()
                if not words:
                    continue
                first = word_keys.get(words[0])
                if first is None:
                    first = word_keys[words[0]] = _name_word_key(words[0])
                if first not in keys:
                    continue  # a Russian form of another stem
                number = self._numbers.get(name_id)
                if number is None:
                    number = self._numbers[name_id] = len(self.texts)
                    self.name_ids.append(int(name_id))
                    self.texts.append(text)
                    self.langs.append(interned.setdefault(lang, lang))
                    self.kinds.append(interned.setdefault(kind, kind))
                    self.preferred.append(1 if preferred else 0)
                    self.places.append(interned.setdefault(place_id, place_id))
                node = fresh.get(first)
                if node is None:
                    node = fresh[first] = {}
                for word in words[1:]:
                    wk = word_keys.get(word)
                    if wk is None:
                        wk = word_keys[word] = _name_word_key(word)
                    child = node.get(wk)
                    if child is None:
                        child = node[wk] = {}
                    node = child
                entries = node.get(_END)
                if entries is None:
                    entries = node[_END] = []
                entries.append(number * 2 + (key_kind == "strip"))
            # Whole subtries at once: a reader walking the root meanwhile sees a first
            # word with all its names or none of them.
            self.root.update(_freeze(fresh))
            self.looked_up |= keys


class ToponymIndex:
    """The stored names a text's words may begin, read from the store as texts need them.

    Every name is reached through the first word of its ``plain`` or ``strip`` key, so
    the names under the words of a text are all the finder can match in it. They are read
    by those words (``Store.iter_names_by_first_word``, one index range per word) and kept
    in a trie for later texts, until ``_MAX_NAMES`` names have been read; a million-name
    gazetteer is never loaded whole. One per gazetteer state (see :func:`index_for`).
    """

    def __init__(self, fetch: NameFetcher, signature: tuple[Any, ...] = ()) -> None:
        self._fetch = fetch
        self.signature = signature
        self._trie = _Trie()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many names have been read so far."""
        return len(self._trie)

    def prepare(self, keys: Iterable[str]) -> _Trie:
        """The trie holding every name whose first word key is one of ``keys`` (the trie
        keys a text's words may stand for): names not read yet are read first."""
        with self._lock:
            trie = self._trie
            wanted = set(keys)
            missing = wanted - trie.looked_up
            if not missing:
                return trie
            if len(trie) >= _MAX_NAMES:
                # A fresh trie rather than an ever-growing one; a walk still running on
                # the old one keeps it alive until it is done.
                trie = self._trie = _Trie()
                missing = wanted
            words = [w for k in missing for w in _first_words(k)]
            trie.load(missing, self._fetch(words) if words else ())
            return trie


def _freeze(node: dict[str, Any]) -> dict[str, Any]:
    """Turn childless nodes into tuples of entries and entry lists into tuples (tuples of
    ints are not tracked by the garbage collector)."""
    for key, child in node.items():
        if key == _END:
            node[key] = tuple(child)
        elif len(child) == 1 and _END in child:
            node[key] = tuple(child[_END])
        else:
            node[key] = _freeze(child)
    return node


_INDEXES: weakref.WeakKeyDictionary[Store, ToponymIndex] = weakref.WeakKeyDictionary()
_INDEX_LOCK = threading.Lock()


def index_for(store: Store) -> ToponymIndex:
    """The toponym index of ``store``: a new, empty one when names changed since the last
    (checked with one cheap query per call); names are read as texts need them."""
    signature = store.names_signature()
    with _INDEX_LOCK:
        index = _INDEXES.get(store)
        if index is None or index.signature != signature:
            # Through a weak reference: the index is the store's value in a weak mapping
            # and must not keep the store alive.
            ref = weakref.ref(store)

            def fetch(words: Iterable[str]) -> Iterable[tuple[Any, ...]]:
                live = ref()
                if live is None:
                    raise RuntimeError("the toponym index outlived its store")
                return live.iter_names_by_first_word(words)

            index = _INDEXES[store] = ToponymIndex(fetch, signature)
        return index


def facts_lookup(store: Store) -> PlaceLookup:
    """A :data:`PlaceLookup` reading place rows from ``store``."""

    def lookup(ids: Sequence[str]) -> dict[str, PlaceFacts]:
        rows = store.get_places(list(ids))
        return {
            pid: PlaceFacts(r["id"], r["role"], r["parent_id"], r["lat"], r["lon"],
                            float(r["importance"] or 0.0))
            for pid, r in rows.items()
        }  # fmt: skip

    return lookup


# --------------------------------------------------------------------------------------
# Finding
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _WordCand:
    key: str
    ending: Ending | None  # a Latin/Armenian ending taken off (last word of a name only)
    strip: bool  # the key drops diacritics the word has (Şusa → susa): strip tier only


_CAND_CACHE: dict[str, tuple[_WordCand, ...]] = {}


def _keys_of(word: str, ending: Ending | None) -> list[_WordCand]:
    plain = plain_key(word)
    if not plain or " " in plain:
        return []
    out = [_WordCand(k, ending, False) for k in _text_word_keys(plain)]
    stripped = strip_key(word)
    if stripped != plain and stripped and " " not in stripped:
        out.append(_WordCand(stripped, ending, True))
    return out


def _word_candidates(surface: str) -> tuple[_WordCand, ...]:
    """Trie keys a word may stand for: itself, then its stems without endings."""
    cached = _CAND_CACHE.get(surface)
    if cached is not None:
        return cached
    out = _keys_of(surface, None)
    if "ä" in surface or "Ä" in surface:
        # The 1991–92 Azerbaijani ä is ə for Azerbaijani names, a for German ones.
        turkic = plain_key(surface, "az")
        if turkic not in {c.key for c in out}:
            out.append(_WordCand(turkic, None, False))
    for ending in split_endings(surface):
        out.extend(_keys_of(ending.stem, ending))
    result = tuple(out)
    if len(_CAND_CACHE) > 500_000:
        _CAND_CACHE.clear()
    _CAND_CACHE[surface] = result
    return result


def _gap_ok(gap: str) -> bool:
    return 0 < len(gap) <= 6 and _GAP_RE.fullmatch(gap) is not None


def _special_gaps(text: str) -> list[str]:
    """The punctuation (dots, slashes …) between the words of ``text``, one per gap."""
    spans = tokenize(text)
    return ["".join(_SPECIAL_GAP.findall(text[a[1] : b[0]])) for a, b in pairwise(spans)]


def _is_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0([«\"“'‘—–-":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _ru_ending(surface_word: str, name_word: str) -> str:
    """The part of a Russian word after its longest common prefix with the stored name."""
    a, b = fold_surface(surface_word), fold_surface(name_word)
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y and not ({x, y} <= {"е", "ё"}):
            break
        n += 1
    return surface_word[n:]


@dataclass(slots=True)
class _Match:
    first: int  # word indexes, inclusive
    last: int
    entries: list[int]  # name numbers
    ending: Ending | None
    strip: bool  # matched at the strip tier (diacritics differ)

    def rank(self) -> tuple[int, bool, bool]:
        """Longest first, then without an ending, then with the diacritics right."""
        return (self.last, self.ending is None, not self.strip)


def _usable(index: _Trie, entries: Sequence[int], strip_path: bool) -> tuple[list[int], bool]:
    """:func:`_usable_uncached`, remembered per trie node of this index (a common word's
    node can hold hundreds of names and is met on every line)."""
    key = (id(entries), strip_path)  # the index keeps its nodes alive: ids stay unique
    cache = index.usable_cache
    hit = cache.get(key)
    if hit is None:
        if len(cache) > 100_000:
            cache.clear()
        hit = cache[key] = _usable_uncached(entries, strip_path)
    return list(hit[0]), hit[1]


def _usable_uncached(entries: Sequence[int], strip_path: bool) -> tuple[list[int], bool]:
    """Name numbers at a trie node for a path, and whether they match at the strip tier.

    A path of exact diacritics takes the names whose own plain key it is; only when there
    are none does it fall back to names it reaches through their strip key (Susa → Şuşa
    only where no place is called Susa).
    """
    if not strip_path:
        plain = [e >> 1 for e in entries if not e & 1]
        if plain:
            return plain, False
    return list(dict.fromkeys(e >> 1 for e in entries)), True


def _walk(index: _Trie, text: str, spans: list[tuple[int, int]], i: int) -> _Match | None:
    """The best name starting at word ``i``: the longest, then without an ending, then
    with the diacritics right."""
    root = index.root
    starts = [
        (cand, node)
        for cand in _word_candidates(text[spans[i][0] : spans[i][1]])
        if (node := root.get(cand.key)) is not None
    ]
    if not starts:
        return None  # most words: no name starts with them
    best: _Match | None = None
    n = len(spans)

    def offer(
        node: Any, last: int, ending: Ending | None, strip: bool, marks: tuple[str, ...]
    ) -> None:
        nonlocal best
        entries = node if type(node) is tuple else node.get(_END)
        if not entries:
            return
        names, strip_tier = _usable(index, entries, strip)
        if any(marks):
            # Dots, slashes and the like between the words must be the name's own
            # (St. Mary), never a sentence's (Lachin. Corridor).
            names = [e for e in names if _special_gaps(index.text(e)) == list(marks)]
            if not names:
                return
        m = _Match(i, last, names, ending, strip_tier)
        if best is None or m.rank() > best.rank():
            best = m

    # Depth-first over (node, last word, strip path, punctuation in the gaps so far);
    # names are short, so this stays tiny.
    stack: list[tuple[Any, int, bool, tuple[str, ...]]] = []
    for cand, node in starts:
        if cand.ending is not None:
            offer(node, i, cand.ending, cand.strip, ())  # an ending ends the name
        else:
            stack.append((node, i, cand.strip, ()))
    while stack:
        node, j, strip, marks = stack.pop()
        offer(node, j, None, strip, marks)
        k = j + 1
        if k >= n or type(node) is tuple or len(node) <= (1 if _END in node else 0):
            continue
        gap = text[spans[j][1] : spans[k][0]]
        if not _gap_ok(gap):
            continue
        path_marks = (*marks, "".join(_SPECIAL_GAP.findall(gap)))
        for cand in _word_candidates(text[spans[k][0] : spans[k][1]]):
            child = node.get(cand.key)
            if child is None:
                continue
            if cand.ending is not None:
                offer(child, k, cand.ending, strip or cand.strip, path_marks)
            else:
                stack.append((child, k, strip or cand.strip, path_marks))
    return best


@lru_cache(maxsize=1 << 16)
def _exact(text: str, lang: str) -> str:
    return exact_key(text, lang)


@lru_cache(maxsize=1 << 16)
def _folded_words(text: str) -> str:
    return " ".join(fold_surface(w) for w in WORD_RE.findall(text)).replace("ё", "е")


def _tier_and_score(
    surface_name: str,
    name_text: str,
    name_lang: str,
    ending: Ending | None,
    ru_inflected: bool,
    strip: bool,
) -> tuple[str, float]:
    if strip:
        # Diacritics missing or different (Dagliq Qarabag, Susa): a weaker match.
        return "strip", 0.65 if ending is not None or ru_inflected else 0.7
    if ending is not None:
        if ending.apostrophe:
            return "inflected", 0.95 if ending.lang == "en" else 0.9
        same_lang = name_lang.split("-")[0] == ending.lang
        return "inflected", 0.9 if same_lang else 0.75
    if ru_inflected:
        return "inflected", 0.9
    if _exact(surface_name, name_lang) == _exact(name_text, name_lang):
        return "exact", 1.0
    return "plain", 0.9


def _pick_names(
    index: _Trie,
    entries: list[int],
    surface_name: str,
    last_word: str,
    ending: Ending | None,
    strip: bool,
    name_ok: Callable[[NameRef], bool] | None,
) -> list[Candidate]:
    """One candidate per place: the place's best-matching name, best places first."""
    by_place: dict[str, tuple[tuple[Any, ...], int, str, float]] = {}
    cyrillic = ending is None and script_of_word(fold_surface(last_word)) == "cyrl"
    langs, kinds, preferred, ids = index.langs, index.kinds, index.preferred, index.name_ids
    for e in entries:
        if name_ok is not None and not name_ok(index.name(e)):
            continue
        place = index.place_of(e)
        text, lang = index.text(e), langs[e]
        ru_inflected = cyrillic and _folded_words(surface_name) != _folded_words(text)
        tier, score = _tier_and_score(surface_name, text, lang, ending, ru_inflected, strip)
        lang_match = ending is not None and lang.split("-")[0] == ending.lang
        rank = (-score, not lang_match, not preferred[e], KIND_RANK.get(kinds[e], 9), ids[e])
        old = by_place.get(place)
        if old is None or rank < old[0]:
            by_place[place] = (rank, e, tier, score)
    # Only the winners become objects: a shared name can have hundreds of entries.
    return [
        Candidate(place, index.name(e), tier, score)
        for place, (_, e, tier, score) in sorted(by_place.items(), key=lambda kv: kv[1][0])
    ]


def _initial_is_lower(surface: str) -> bool:
    for c in surface:
        if c.isalpha():
            return c.islower()
    return False


def _casing_notes(
    text: str, start: int, surface: str, words: int, lower_words: set[str]
) -> tuple[float, tuple[str, ...]]:
    """Confidence factor and notes from how the mention is capitalised: place names are
    written with a capital in all four languages, whatever case a stored name has (GeoNames
    has lower-case alternate names)."""
    if _initial_is_lower(surface):
        return 0.6, ("lower-case",)
    if words == 1 and _is_sentence_start(text, start) and fold_surface(surface) in lower_words:
        return 0.6, ("sentence start; the word also appears in lower case",)
    return 1.0, ()


def find_mentions(
    text: str,
    index: ToponymIndex,
    places: PlaceLookup,
    *,
    region: str | None = None,
    name_ok: Callable[[NameRef], bool] | None = None,
) -> list[Mention]:
    """Every toponym in ``text``, in text order, longest match first, none overlapping.

    ``places`` gives the parents and coordinates used to resolve ambiguous names;
    ``region`` (a place id) counts as evidence for candidates inside it. ``name_ok`` can
    leave names out (the UI's "ignore this name").
    """
    spans = tokenize(text)
    # Every name the text may contain begins at one of its words: read those names first.
    trie = index.prepare({c.key for a, b in spans for c in _word_candidates(text[a:b])})
    lower_words = {fold_surface(text[a:b]) for a, b in spans if text[a:b][:1].islower()}
    found: list[tuple[_Match, float, tuple[str, ...]]] = []
    i, n = 0, len(spans)
    while i < n:
        m = _walk(trie, text, spans, i)
        if m is None or (name_ok is not None and not any(name_ok(trie.name(e)) for e in m.entries)):
            i += 1
            continue
        start = spans[m.first][0]
        surface = text[start : spans[m.last][1]]
        factor, notes = _casing_notes(text, start, surface, m.last - m.first + 1, lower_words)
        found.append((m, factor, notes))
        i = m.last + 1
    found = _drop_common_words(found, trie, text, spans)
    mentions = []
    for m, factor, notes in found:
        start, end = spans[m.first][0], spans[m.last][1]
        name_end = end - (m.ending.length if m.ending else 0)
        surface_name = text[start:name_end]
        last_word = text[spans[m.last][0] : name_end]
        cands = _pick_names(trie, m.entries, surface_name, last_word, m.ending, m.strip, name_ok)
        if cands:
            mentions.append(_mention(text, spans, m, cands, factor, notes))
    return _resolve(text, mentions, places, region)


_DOUBTFUL_CASE: Final = frozenset(
    {"lower-case", "sentence start; the word also appears in lower case"}
)
#: Below this share of capitalised words a text counts as written without capitals.
_CASELESS_SHARE: Final = 0.03

_Found = tuple[_Match, float, tuple[str, ...]]


def _drop_common_words(
    found: list[_Found], index: _Trie, text: str, spans: list[tuple[int, int]]
) -> list[_Found]:
    """Leave out mentions whose case says they are ordinary words.

    A name written in lower case (the town Of in "of", the village Vank in "the vank was
    old"), or capitalised only at the start of a sentence while the text also has it in
    lower case, is kept only when the same place is named with a proper capital elsewhere
    in the text, or when the text is written without capitals at all ("we drove to
    shusha"). Kept ones stay unsure, for the editor.
    """
    doubtful = [bool(_DOUBTFUL_CASE.intersection(notes)) for _, _, notes in found]
    if not any(doubtful):
        return found
    cased = upper = 0
    for a, _b in spans:
        first = text[a]
        if first.lower() != first.upper():
            cased += 1
            upper += first.isupper()
    if cased and upper / cased < _CASELESS_SHARE:
        return found
    # Only places a capitalised mention names alone: a shared name's long candidate list
    # would vouch for every lower-case word that happens to be one of them.
    trusted: set[str] = set()
    for (m, _, _), d in zip(found, doubtful, strict=True):
        if not d:
            named = {index.place_of(e) for e in m.entries}
            if len(named) == 1:
                trusted |= named
    return [
        f for f, d in zip(found, doubtful, strict=True)
        if not d or any(index.place_of(e) in trusted for e in f[0].entries)
    ]  # fmt: skip


def _mention(
    text: str,
    spans: list[tuple[int, int]],
    m: _Match,
    cands: list[Candidate],
    factor: float,
    notes: tuple[str, ...],
) -> Mention:
    start, end = spans[m.first][0], spans[m.last][1]
    surface = text[start:end]
    best = cands[0]
    ending_lang = ending_case = ""
    name_end = end
    if m.ending is not None:
        name_end = end - m.ending.length
        ending_lang, ending_case = m.ending.lang, m.ending.case
    else:
        last = text[spans[m.last][0] : end]
        if script_of_word(fold_surface(last)) == "cyrl":
            # Russian: the ending is what follows the stem shared with the stored name.
            name_words = WORD_RE.findall(best.name.text)
            tail = _ru_ending(last, name_words[-1] if name_words else "")
            if tail:
                name_end = end - len(tail)
                ending_lang = "ru"
    if best.tier == "strip":
        notes = (*notes, "diacritics differ from the stored name")
    if factor != 1.0:
        cands = [replace(c, score=c.score * factor) for c in cands]
    if len(cands) == 1:
        return Mention(start, end, surface, name_end, tuple(cands), cands[0].place_id,
                       cands[0].score, "unique", ending_lang, ending_case, notes)  # fmt: skip
    return Mention(start, end, surface, name_end, tuple(cands), None, cands[0].score,
                   "ambiguous", ending_lang, ending_case, notes)  # fmt: skip


# --------------------------------------------------------------------------------------
# Resolving shared names from context
# --------------------------------------------------------------------------------------

#: A candidate is chosen when its evidence is at least this and twice the runner-up's.
CLEAR_EVIDENCE: Final = 1.0
#: Mentions at least this sure count as context for others.
CONTEXT_CONFIDENCE: Final = 0.7
_MAX_CANDIDATES: Final = 25
#: Most candidates of one shared name that are weighed (Alexandria, San José …).
_MAX_WEIGHED: Final = 200
#: Places this close (km) to a place named elsewhere in the text count as its neighbours.
NEAR_KM: Final = 35.0
_QUALIFIER_GAP: Final = re.compile(r"\s*(?:,|\(|\bin\b|\bв\b|-)\s*")


def _km(a: PlaceFacts, b: PlaceFacts) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


class _Places:
    """Place facts fetched on demand, with their parent chains."""

    def __init__(self, lookup: PlaceLookup) -> None:
        self._lookup = lookup
        self._facts: dict[str, PlaceFacts | None] = {}

    def load(self, ids: Iterable[str]) -> None:
        todo = [i for i in dict.fromkeys(ids) if i not in self._facts]
        while todo:
            found = self._lookup(todo)
            for pid in todo:
                self._facts[pid] = found.get(pid)
            parents = {f.parent_id for f in found.values() if f.parent_id}
            todo = [p for p in parents if p not in self._facts]

    def get(self, pid: str) -> PlaceFacts | None:
        return self._facts.get(pid)

    def chain(self, pid: str) -> list[str]:
        out: list[str] = []
        seen = {pid}
        facts = self._facts.get(pid)
        while facts is not None and facts.parent_id and facts.parent_id not in seen:
            out.append(facts.parent_id)
            seen.add(facts.parent_id)
            facts = self._facts.get(facts.parent_id)
        return out


class _Context:
    """The places a text names unambiguously, indexed for the evidence questions: which are
    ancestors of a candidate, which lie inside it, which share its parent, which are near."""

    _CELL = 1.0  # grid cell, degrees

    def __init__(self, places: _Places, ids: Iterable[str], region: str | None) -> None:
        self.places = places
        self.region = region
        self.ids = {i for i in ids if places.get(i) is not None}
        self.inside: dict[str, list[str]] = {}  # ancestor -> context places inside it
        self.by_parent: dict[str, list[str]] = {}
        self.grid: dict[tuple[int, int], list[str]] = {}
        for pid in self.ids:
            for ancestor in places.chain(pid):
                self.inside.setdefault(ancestor, []).append(pid)
            facts = places.get(pid)
            assert facts is not None
            if facts.parent_id:
                self.by_parent.setdefault(facts.parent_id, []).append(pid)
            if facts.lat is not None and facts.lon is not None:
                self.grid.setdefault(self._cell(facts.lat, facts.lon), []).append(pid)

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return (math.floor(lat / self._CELL), math.floor(lon / self._CELL))

    def _near(self, facts: PlaceFacts) -> list[str]:
        if facts.lat is None or facts.lon is None or not self.grid:
            return []
        row, col = self._cell(facts.lat, facts.lon)
        # 2 × NEAR_KM in longitude cells at this latitude (capped near the poles).
        km_per_cell = 111.32 * self._CELL * max(math.cos(math.radians(facts.lat)), 0.05)
        span = min(int(2 * NEAR_KM / km_per_cell) + 1, 180)
        found: list[str] = []
        for r in (row - 1, row, row + 1):
            for c in range(col - span, col + span + 1):
                found.extend(self.grid.get((r, c), ()))
        return found

    def evidence(self, cand: str) -> float:
        """How strongly the rest of the text points at ``cand``."""
        facts = self.places.get(cand)
        if facts is None:
            return 0.0
        chain = self.places.chain(cand)
        relevant = {a for a in chain if a in self.ids}
        relevant.update(self.inside.get(cand, ()))
        parent = self.places.get(facts.parent_id) if facts.parent_id else None
        # Siblings count under a district or a region, not under a whole country.
        siblings = parent is not None and parent.role != "country"
        if siblings:
            relevant.update(self.by_parent.get(facts.parent_id or "", ()))
        relevant.update(self._near(facts))
        relevant.discard(cand)
        score = 0.0
        for other in relevant:
            of = self.places.get(other)
            if of is None:
                continue
            weight = 0.0
            if other in chain:
                weight = 0.5 if of.role == "country" else 2.0
            elif cand in self.places.chain(other) or (siblings and facts.parent_id == of.parent_id):
                weight = 1.0
            km = _km(facts, of)
            if km is not None:
                weight = max(weight, 1.5 if km <= NEAR_KM else 0.5 if km <= 2 * NEAR_KM else 0.0)
            # A place named ten times is still one piece of evidence.
            score += weight
        if self.region and (cand == self.region or self.region in chain):
            score += 1.5
        return score


def _qualifier_bonus(
    text: str, mention: Mention, following: Mention | None, cand: str, places: _Places
) -> float:
    """ "Martuni, Armenia" / "Martuni (Gegharkunik)": a place named right after the mention
    that contains a candidate decides for it, even when that place is a country."""
    if following is None or following.place_id is None or following.status != "unique":
        return 0.0
    if not _QUALIFIER_GAP.fullmatch(text[mention.end : following.start]):
        return 0.0
    return 2.0 if following.place_id in places.chain(cand) else 0.0


def _resolve(
    text: str, mentions: list[Mention], lookup: PlaceLookup, region: str | None
) -> list[Mention]:
    ambiguous = [m for m in mentions if m.status == "ambiguous"]
    if not ambiguous:
        return mentions
    context_ids = {
        m.place_id for m in mentions
        if m.status == "unique" and m.confidence >= CONTEXT_CONFIDENCE and m.place_id
    }  # fmt: skip
    places = _Places(lookup)
    wanted = set(context_ids)
    for m in ambiguous:
        wanted.update(c.place_id for c in m.candidates[:_MAX_WEIGHED])
    if region:
        wanted.add(region)
    places.load(wanted)
    context = _Context(places, context_ids, region)
    evidence: dict[str, float] = {}  # one sense per text: each candidate weighed once
    out: list[Mention] = []
    for k, m in enumerate(mentions):
        if m.status != "ambiguous":
            out.append(m)
            continue
        following = mentions[k + 1] if k + 1 < len(mentions) else None
        scored = []
        for c in m.candidates[:_MAX_WEIGHED]:
            if c.place_id not in evidence:
                evidence[c.place_id] = context.evidence(c.place_id)
            bonus = _qualifier_bonus(text, m, following, c.place_id, places)
            scored.append(replace(c, evidence=evidence[c.place_id] + bonus))
        scored.sort(key=lambda c: (-c.evidence, -c.score, -(_importance(places, c.place_id))))
        scored = scored[:_MAX_CANDIDATES]  # the most plausible, for the editor to choose from
        top = scored[0].evidence
        runner = scored[1].evidence if len(scored) > 1 else 0.0
        if is_clear(top, runner):
            out.append(replace(
                m, candidates=tuple(scored), place_id=scored[0].place_id, status="resolved",
                confidence=scored[0].score * (0.9 if runner else 0.95),
                notes=(*m.notes, "chosen by context"),
            ))  # fmt: skip
        else:
            out.append(replace(m, candidates=tuple(scored)))
    return out


def is_clear(top: float, runner_up: float) -> bool:
    """Whether evidence ``top`` clearly beats ``runner_up`` (enough, and twice as much)."""
    return top >= CLEAR_EVIDENCE and top >= 2 * runner_up


def context_evidence(
    candidates: Sequence[str],
    context: Iterable[str],
    lookup: PlaceLookup,
    region: str | None = None,
) -> dict[str, float]:
    """Evidence for each candidate place from the places named in ``context``: the same
    weighing the finder uses for a text, for other callers (a spreadsheet column)."""
    places = _Places(lookup)
    context = list(context)
    places.load([*candidates[:_MAX_WEIGHED], *context, *([region] if region else [])])
    weigh = _Context(places, context, region)
    return {c: weigh.evidence(c) for c in candidates}


def _importance(places: _Places, pid: str) -> float:
    facts = places.get(pid)
    return facts.importance if facts else 0.0
