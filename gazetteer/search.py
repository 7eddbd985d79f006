"""Search that finds any spelling: tiered key lookups, typo tolerance, ranking that explains.

The query's keys (:func:`gazetteer.normalize.query_keys`) are looked up among the stored
name keys by equality and by prefix, in one SQL statement; a deletion index over the
canonical skeletons (the SymSpell idea) finds typos without scanning any list of names;
rapidfuzz only scores the few candidates it returns. Every place is reported once, through
its best-matching name, and says why it matched: the stored name, its language and kind,
the tier and the score.

Ranking (translit.md §4.3): the tier's score first —

========================  =====  ==========================================================
tier                      score  what matched
========================  =====  ==========================================================
``exact``                 100    the name, ignoring case and invisible/variant characters
``plain``                 96     the name without diacritics (Şuşa = Shusha)
``skeleton``              92     the cross-script skeleton (Xankəndi = Ханкенди = Խանքենդի)
``strip``                 88     naive stripping, only for queries typed without ş ç ğ …
``skeleton-alt``          86     the skeleton through an alternative reading (Chankendi)
``core``                  84     the name without generic words (Шушинский район → Шуша)
``prefix``                80     the beginning of the plain key (≥ 3 characters)
``skeleton-prefix``       76     the beginning of the skeleton (≥ 4 characters)
``phonetic``              72     the coarse phonetic key (Füzuli = Физули)
``fuzzy``                 62–70  a skeleton within a typo or two: 40 + 0.3 × similarity
                                 (3 less for each side matched through its core)
``consonants``            55     the consonants only (Təbriz = تبریز)
========================  =====  ==========================================================

— plus 4 when a generic word of the query (district, river …) names the same kind of
feature as the matched name; then the place's importance (role, population); then the
matched name's kind (official and common before variants, variants before historic names).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from db import Store
from gazetteer import normalize
from gazetteer.model import KIND_RANK, Place
from gazetteer.normalize import QueryKeys
from gazetteer.romanize import RomanizationError, romanize

__all__ = [
    "GENERIC_BOOST",
    "TIER_SCORES",
    "MatchedName",
    "RankedPlace",
    "SearchHit",
    "SearchIndex",
    "SearchOptions",
    "follow_importance",
    "refresh_index",
    "refresh_start",
    "set_importance",
    "settle_deletions",
]

#: Score of each tier (fuzzy is 40 + 0.3 × similarity, between 62.5 and 70).
TIER_SCORES: Final[dict[str, float]] = {
    "exact": 100.0,
    "plain": 96.0,
    "skeleton": 92.0,
    "strip": 88.0,
    "skeleton-alt": 86.0,
    "core": 84.0,
    "prefix": 80.0,
    "skeleton-prefix": 76.0,
    "phonetic": 72.0,
    "consonants": 55.0,
}
#: Added when the query's generic words (district, river …) name the matched name's class.
GENERIC_BOOST: Final[float] = 4.0
#: Shortest plain key searched by prefix, and shortest skeleton.
PREFIX_MIN_PLAIN: Final[int] = 3
PREFIX_MIN_SKELETON: Final[int] = 4
#: Skeletons shorter than this are not searched for typos (one edit changes a third).
FUZZY_MIN_LENGTH: Final[int] = 3
#: Skeletons at least this long also try two deletions on the query side.
FUZZY_TWO_EDITS_MIN_LENGTH: Final[int] = 7
#: Stored skeletons shorter than this get no deletion entries (see migration 0003).
DELETE_INDEX_MIN_LENGTH: Final[int] = 3
#: Most typo candidates read from the deletion index, and most skeletons kept after
#: scoring them.
FUZZY_CANDIDATES: Final[int] = 3000
FUZZY_KEEP: Final[int] = 20
#: Places read per lookup of typo matches (skeletons; letters one edit away; letters two
#: edits away), the most important first.
FUZZY_PLACES: Final[int] = 40
#: A place is notable from this importance on: a settlement of 10 000 people, or any
#: place whose role ranks above a village (see ``gazetteer.model.importance``). Only
#: notable places are looked up two typed letters away (``letter_typo``): two edits of a
#: short name reach hundreds of hamlets among a million names, and a mistyped hamlet is
#: still found one edit away through its skeleton.
NOTABLE_IMPORTANCE: Final[float] = 34.0
#: Lowest score of a typo match (just above the consonants tier).
FUZZY_FLOOR: Final[float] = 56.0
#: The hits a user sees at once, and how many of its last places are kept for notable
#: places that the strict order puts further down (see ``_reserve``).
SCREEN: Final[int] = 10
RESERVED: Final[int] = 3
#: How much more important (importance units: one is ten times the population, or one
#: step of role) a place below the screen must be than the one whose slot it takes, and
#: the least score it must have matched with.
NOTABLE_MARGIN: Final[float] = 1.0
NOTABLE_MIN_SCORE: Final[float] = 62.5
#: Tiers through which a place from below may take a reserved slot: those that match the
#: letters as typed (a name that begins with them, or a letter typo of one), never a
#: sound-alike ("Gara" does not bring up Yerevan through its variant Gierevan).
NOTABLE_TIERS: Final = frozenset({"exact", "plain", "strip", "prefix", "fuzzy"})
#: A phonetic match counts only if the skeletons are also this similar (0–100). The
#: phonetic key is coarse (every vowel is a, voicing is ignored): among a million names
#: most places sharing a query's phonetic key have nothing else in common with it
#: (bench/search.py: 5 of 429 phonetic hits in the top 10 were right, all ≥ 90 similar),
#: while the real phonetic pairs of translit.md §4.5 are all ≥ 71 (Ejmiatsin/Echmiadzin).
PHONETIC_MIN_SIMILARITY: Final[float] = 70.0
#: A typo match made through a core (a name without its generic words) scores this much
#: less than one through the whole name, once for each side: core ranks below skeleton.
CORE_FUZZY_PENALTY: Final[float] = 3.0
#: Name rows read at a time while ranking.
LOAD_CHUNK: Final[int] = 40
#: Upper bound of a prefix range: the largest code point, so every continuation sorts below.
_PREFIX_END: Final = chr(0x10FFFF)
_META_KEY: Final = "search_index"
#: Version of what ``refresh_index`` derives (ranks, deletion index); a file whose derived
#: data has another version is refreshed in full. 5: ranks and letter rows follow changes
#: of importance, and skeletons past 100 characters get every deletion — files written
#: before may hold stale ranks and miss rows, so they are refreshed once.
INDEX_FORMAT: Final[int] = 5


@dataclass(frozen=True)
class MatchedName:
    """Why a place was found: the stored name that matched, and how well."""

    text: str
    lang: str
    kind: str
    tier: str
    score: float
    name_id: int


@dataclass(frozen=True)
class RankedPlace:
    """One place in the ranking, before its record is loaded."""

    place_id: str
    parent_id: str | None
    importance: float
    matched: MatchedName


@dataclass(frozen=True)
class SearchHit:
    """One search result: the place, its parent (to tell homonyms apart), why it matched."""

    place: Place
    parent: Place | None
    matched: MatchedName

    @property
    def score(self) -> float:
        """The score of the matched name (tier score, plus the generic-word boost)."""
        return self.matched.score


@dataclass(frozen=True)
class SearchOptions:
    """Filters: language of the matched name, role, ancestor place, bounding box."""

    langs: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    within: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # south, west, north, east

    @property
    def filtered(self) -> bool:
        """True when any filter narrows the search."""
        return bool(self.langs or self.roles or self.within or self.bbox)


@dataclass
class _Candidate:
    name_id: int
    tier: str
    score: float
    rank: float  # the place's importance as copied into name_key (orders before loading)
    rescore: bool = False  # a skeleton typo match, scored again from the letters once read
    through_core: bool = False  # ... made through a core (generic words dropped)


# --------------------------------------------------------------------------------------
# Keeping the derived search data in step
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _IndexState:
    """What the derived search data covers (``meta.search_index``) against the file now."""

    version: str  # what the data would be written for now: "key rules version.index format"
    current: int  # the last key rowid now
    stored_version: str  # what it was written for ('' when never)
    mark: int | None  # the last key rowid it covered (None when never)

    @classmethod
    def read(cls, store: Store) -> _IndexState:
        stored_version, _, mark = (store.get_meta(_META_KEY) or "").rpartition(":")
        return cls(
            version=f"{store.get_meta('key_rules_version') or ''}.{INDEX_FORMAT}",
            current=store.max_name_key_rowid(),
            stored_version=stored_version,
            mark=int(mark) if mark.isdigit() else None,
        )

    def start(self) -> int | None:
        """See ``refresh_start``."""
        if self.stored_version != self.version or self.mark is None:
            return 0
        if self.mark == self.current:
            return None
        # A mark above the last rowid: key rows at the top were deleted and rows written
        # since may have taken their rowids, so which rows are new cannot be told: from
        # scratch. (Deletions right after a refresh lower the mark: ``settle_deletions``.)
        return self.mark if self.mark < self.current else 0


def refresh_start(store: Store) -> int | None:
    """Where ``refresh_index`` would start: None when the derived data is up to date, 0
    when it would rebuild it from scratch (no state yet, or state written for other key
    rules or another ``INDEX_FORMAT``), else the key rowid it would go on from."""
    return _IndexState.read(store).start()


def settle_deletions(store: Store) -> None:
    """Call right after key rows were deleted, with none written since the last refresh
    (an import drops shadowed names after its refresh): if they held the top rowids, the
    mark comes down to the last rowid left. Key rows written next take the freed rowids;
    with the mark left above them they would force a refresh from scratch, or, once past
    it, be skipped."""
    state = _IndexState.read(store)
    if state.stored_version and state.mark is not None and state.mark > state.current:
        store.set_meta(_META_KEY, f"{state.stored_version}:{state.current}")


def refresh_index(store: Store, *, full: bool = False) -> bool:
    """Fill the rank column and the typo index for key rows written since the last call.

    Cheap when nothing changed (three small reads). ``full`` rebuilds the typo index from
    scratch, as after the keys were rebuilt. Returns True if anything was refreshed.
    State lives in ``meta``: ``search_index`` = "key rules version.index format:last key
    rowid".
    """
    state = _IndexState.read(store)
    after = 0 if full else state.start()
    if after is None:
        return False
    # From scratch (a new file, new rules or a new format) every row of the derived tables
    # is rewritten: on a big file that is a bulk load, and written as one (bulk_load: a
    # rollback journal when nothing else has the file open, settings for big sorts).
    with store.bulk_load() if after == 0 else store.transaction():
        store.refresh_search_index(
            after, DELETE_INDEX_MIN_LENGTH, typo_letters, min_letter_rank=NOTABLE_IMPORTANCE
        )
        store.set_meta(_META_KEY, f"{state.version}:{state.current}")
    return True


def set_importance(store: Store, place_id: str, value: float, *, follow: bool = True) -> None:
    """Write a place's importance; with ``follow``, in the same transaction, its names'
    ranks and the two-letter typo rows of their plain keys (``follow_importance``): a place
    that became notable is then found by a two-letter typo, one that stopped is not,
    unless another notable place shares the key. ``follow=False`` is for bulk loads, which
    call ``follow_importance`` once at the end.
    """
    store.set_importance(place_id, value, typo_letters, NOTABLE_IMPORTANCE, follow=follow)


def follow_importance(store: Store, place_ids: Iterable[str]) -> None:
    """Bring the ranks and letter typo rows of these places in line with their importance
    (``Store.follow_importance`` with this module's rule of a notable place)."""
    store.follow_importance(place_ids, typo_letters, NOTABLE_IMPORTANCE)


# --------------------------------------------------------------------------------------
# The search
# --------------------------------------------------------------------------------------


def _deletions(word: str) -> set[str]:
    """One-character deletions of a skeleton, doubled letters collapsed as in every skeleton.

    A skeleton holds no doubled letter, so deleting word[i] can make at most one pair
    (word[i-1] == word[i+1]); its collapsed form drops word[i+1] as well.
    """
    last = len(word) - 1
    return {
        word[:i] + word[i + 2 :] if 0 < i < last and word[i - 1] == word[i + 1] else
        word[:i] + word[i + 1 :]
        for i in range(len(word))
    }  # fmt: skip


def _thirds(length: int) -> tuple[int, int]:
    """Where the letters of a name of ``length`` letters are cut: after A and before C."""
    third = length // 3
    return third, length - third


def typo_letters(plain: str) -> str:
    """The letters of a plain key that ``letter_typo`` indexes: spaces dropped, one
    alphabet typed letter by letter, at least ``normalize.LETTER_TYPO_MIN_LENGTH`` of
    them; '' otherwise. The store spells the rows of ``letter_parts`` from them in SQL."""
    letters, _ = normalize.letters_of(plain)
    return letters if len(letters) >= normalize.LETTER_TYPO_MIN_LENGTH else ""


def letter_parts(plain: str) -> list[tuple[str, int]]:
    """The ``letter_typo`` rows ``(part, len)`` of a plain key (migration 0004).

    The letters (spaces dropped; only alphabets typed letter by letter) are cut in three,
    A·B·C, A and C a third each. Two edits (Damerau) leave A·B or B·C within one edit, or
    fall both in B and leave A and C as they were: so A·B and B·C are stored with each of
    their one-letter deletions (``<`` and ``>``), and A…C as ``=``. ``len`` is the letter
    count, which tells the query where its parts would be cut. None under
    ``normalize.LETTER_TYPO_MIN_LENGTH`` letters. The store spells the same rows in SQL
    from ``typo_letters`` (``Store._refresh_letter_typo``); a test holds the two equal.
    """
    letters = typo_letters(plain)
    n = len(letters)
    if not letters:
        return []
    a, c = _thirds(n)
    head, tail = letters[:c], letters[a:]
    parts = {"<" + p for p in _plain_deletions(head)} | {">" + p for p in _plain_deletions(tail)}
    parts.add(f"={letters[:a]}|{letters[c:]}")
    return [(part, n) for part in sorted(parts)]


def _plain_deletions(word: str) -> set[str]:
    """The word and each of its one-letter deletions (letters keep doubles)."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def _letter_probes(typed: str) -> list[str]:
    """``letter_typo`` parts that any name within two edits of ``typed`` shares with it.

    For each letter count within two of the query's, the query's own A·B (one letter
    more or less, as an insertion or deletion in it would shift the cut) and B·C, each
    with its one-letter deletions, and A…C where the cut falls for that count.
    """
    n = len(typed)
    probes: set[str] = set()
    for length in range(max(normalize.LETTER_TYPO_MIN_LENGTH, n - 2), n + 3):
        a, c = _thirds(length)
        for cut in (c - 1, c, c + 1):
            if 0 < cut <= n:
                probes |= {"<" + p for p in _plain_deletions(typed[:cut])}
        for cut in (length - a - 1, length - a, length - a + 1):
            if 0 < cut <= n:
                probes |= {">" + p for p in _plain_deletions(typed[n - cut :])}
        if a + (length - c) <= n:
            probes.add(f"={typed[:a]}|{typed[n - (length - c) :]}")
    return sorted(probes)


def _equal_probes(q: QueryKeys) -> list[tuple[str, list[str]]]:
    probes: list[tuple[str, list[str]]] = [("exact", [q.exact]), ("plain", [q.plain])]
    if q.strip:
        probes.append(("strip", [q.strip]))
    # The query's core (generic words removed) meets stored skeletons and stored cores;
    # a query without generic words meets stored cores with its skeletons.
    probes.append(("skel", list(dict.fromkeys([*q.skel, *q.core]))))
    probes.append(("skel_alt", list(q.skel)))
    probes.append(("core", list(dict.fromkeys([*q.core, *q.skel]))))
    probes.append(("phon", list(q.phon)))
    probes.append(("cons", list(q.cons)))
    return [(kind, [k for k in keys if k]) for kind, keys in probes]


def _prefix_ranges(q: QueryKeys) -> list[tuple[str, str, str]]:
    ranges: list[tuple[str, str, str]] = []
    if len(q.plain) >= PREFIX_MIN_PLAIN:
        ranges.append(("plain", q.plain, q.plain + _PREFIX_END))
    if q.skel and len(q.skel[0]) >= PREFIX_MIN_SKELETON:
        ranges.append(("skel", q.skel[0], q.skel[0] + _PREFIX_END))
    return ranges


def _tier_of(q: QueryKeys, kind: str, key: str) -> str | None:
    """Which tier a stored key row reached, given the query's keys."""
    if kind == "exact":
        return "exact" if key == q.exact else None
    if kind == "plain":
        if key == q.plain:
            return "plain"
        return "prefix" if key.startswith(q.plain) else None
    if kind == "strip":
        return "strip" if key == q.strip else None
    if kind == "skel":
        if q.skel and key == q.skel[0]:
            return "skeleton"
        if key in q.skel:
            return "skeleton-alt"
        if key in q.core:
            return "core"
        return "skeleton-prefix" if q.skel and key.startswith(q.skel[0]) else None
    if kind == "skel_alt":
        return "skeleton-alt" if key in q.skel else None
    if kind == "core":
        return "core" if key in q.core or key in q.skel else None
    if kind == "phon":
        return "phonetic" if key in q.phon else None
    if kind == "cons":
        return "consonants" if key in q.cons else None
    return None


class SearchIndex:
    """Searches one store. Keeps the derived search data fresh before each search."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def refresh(self, *, full: bool = False) -> bool:
        """See :func:`refresh_index`."""
        return refresh_index(self.store, full=full)

    def rank(
        self, query: str, limit: int = 10, options: SearchOptions | None = None
    ) -> list[RankedPlace]:
        """The best ``limit`` places for ``query``, each with the name that matched best.

        Never raises on odd input: a blank query, punctuation only or 10 000 characters
        give a sensible answer or none.
        """
        options = options or SearchOptions()
        if limit <= 0:
            return []
        q = normalize.query_keys(query if isinstance(query, str) else "")
        if q.is_empty:
            return []
        self.refresh()
        # Each lookup keeps the rows of the most important places; a filter applied in
        # Python (within) needs a deeper cut to leave enough behind.
        per_lookup = max(30, 3 * limit) * (10 if options.within else 1)
        sql_filters: dict[str, Any] = {
            "langs": options.langs,
            "roles": options.roles,
            "bbox": options.bbox,
        }
        candidates: dict[int, _Candidate] = {}
        for kind, key, name_id, rank in self.store.search_key_rows(
            _equal_probes(q), _prefix_ranges(q), per_lookup, **sql_filters
        ):
            tier = _tier_of(q, kind, key)
            if tier is not None:
                _offer(candidates, _Candidate(name_id, tier, TIER_SCORES[tier], rank or 0.0))
        # Everything the ranking must see when a filter or a generic word reorders hits.
        exhaustive = bool(options.within or q.classes)
        # The reserved slots (see _reserve) need the screen and the notable places below it.
        depth = max(limit, SCREEN) if limit > SCREEN - RESERVED else limit
        notable = depth >= SCREEN
        names: dict[int, dict[str, Any]] = {}
        self._load(q, candidates, names, depth, exhaustive, notable)
        # Typos are looked for when the stricter tiers leave room on the screen, or when
        # a notable place a typo away could take a reserved slot.
        if options.within or _good_places(candidates, names) < depth:
            # Two-letter typos are looked for only when the query is no stored name as
            # typed (exactly, or without diacritics): then it is most likely no typo.
            spelled = any(c.score >= TIER_SCORES["plain"] for c in candidates.values())
            for cand in self._fuzzy(q, sql_filters, letters=not spelled):
                _offer(candidates, cand)
            self._load(q, candidates, names, depth, exhaustive, notable)
            # A typo match can replace a weaker match of a name read before (consonants):
            # score it from the letters as _read would have.
            for name_id, cand in candidates.items():
                if cand.rescore and name_id in names:
                    _rescore(q, cand, names[name_id])
        if options.within:
            allowed = self._descendants_among(
                {names[c]["place_id"] for c in candidates if c in names}, options.within
            )
            candidates = {
                i: c
                for i, c in candidates.items()
                if i in names and names[i]["place_id"] in allowed
            }
        return _rank_places(q, candidates, names, limit)

    def _load(
        self,
        q: QueryKeys,
        candidates: dict[int, _Candidate],
        names: dict[int, dict[str, Any]],
        limit: int,
        exhaustive: bool,
        notable: bool = False,
    ) -> None:
        """Read the name rows of the best candidates, just enough to rank the top places.

        Candidates are read best first (score, then the rank copied into the key row);
        reading stops below the score of the ``limit``-th place found, so every name that
        could still decide the order of the top places (a common name beating a historic
        one of the same place) is read. With ``notable``, the ``LOAD_CHUNK`` candidates of
        the most important places among the rest are read too, for the reserved slots.
        Phonetic matches that do not look alike are dropped here (see
        ``PHONETIC_MIN_SIMILARITY`` and ``_sounds_like``), and typo matches are scored
        again from their letters (``_letter_score``).
        """
        pending = sorted(
            (c for c in candidates.values() if c.name_id not in names),
            key=lambda c: (-c.score, -c.rank, c.name_id),
        )
        best: dict[str, float] = {}
        for name_id, cand in candidates.items():
            if name_id in names:
                place = names[name_id]["place_id"]
                best[place] = max(best.get(place, 0.0), cand.score)
        start = 0
        while start < len(pending):
            if not exhaustive and len(best) >= limit:
                threshold = sorted(best.values(), reverse=True)[limit - 1]
                if pending[start].score < threshold:
                    break
            chunk = pending[start : start + LOAD_CHUNK]
            start += len(chunk)
            self._read(q, chunk, candidates, names, best)
        if notable and start < len(pending):
            # Only a place NOTABLE_MARGIN more important than the least important one in
            # the reserved slots can take a slot (see _reserve).
            importance = {row["place_id"]: row["importance"] or 0.0 for row in names.values()}
            screen = sorted(best, key=lambda p: (-best[p], -importance[p]))[:SCREEN]
            window = screen[SCREEN - RESERVED :] or screen
            bar = min(importance[p] for p in window) + NOTABLE_MARGIN
            rest = sorted(
                (
                    c
                    for c in pending[start:]
                    if c.rank >= bar
                    and c.tier in NOTABLE_TIERS
                    and (c.score >= NOTABLE_MIN_SCORE or c.rescore)
                ),
                key=lambda c: (-c.rank, -c.score, c.name_id),
            )
            if rest:
                self._read(q, rest[:LOAD_CHUNK], candidates, names, best)

    def _read(
        self,
        q: QueryKeys,
        chunk: Sequence[_Candidate],
        candidates: dict[int, _Candidate],
        names: dict[int, dict[str, Any]],
        best: dict[str, float],
    ) -> None:
        """Read the name rows of ``chunk`` into ``names``; drop unlike phonetic matches."""
        for row in self.store.search_name_rows([c.name_id for c in chunk]):
            cand = candidates[row["id"]]
            if cand.tier == "phonetic" and not _sounds_like(q, row["text"], row["lang"]):
                del candidates[row["id"]]
                continue
            if cand.rescore:
                _rescore(q, cand, row)
            names[row["id"]] = row
            best[row["place_id"]] = max(best.get(row["place_id"], 0.0), cand.score)

    def _fuzzy(self, q: QueryKeys, sql_filters: dict[str, Any], letters: bool) -> list[_Candidate]:
        """Typo matches: names a skeleton edit away, and notable places two letters away.

        Skeletons: the deletion index finds canonical skeletons (and cores) within a typo
        or two of the query's readings (the query's core takes part too: "Шаумяновский
        район" is one letter from the core of "Shahumyan Province", шаумян / šahuman);
        rapidfuzz scores them. Letters (``letters`` true): the letter typo index finds the
        plain keys of notable places within two Damerau edits of the query's letters
        (Luoyyn → Luoyang). Each lookup of names keeps the most important places.
        """
        skeletons = self._skeleton_typos(q)
        kept = sorted(skeletons, key=lambda s: (-skeletons[s][0], s))[:FUZZY_KEEP]
        lookups: list[tuple[str, list[str]]] = [("skel", kept), ("core", kept)] if kept else []
        typed = normalize.letters_of(q.plain)[0]
        spelled = self._letter_typos(typed) if letters else {}
        for edits in range(1, normalize.LETTER_TYPO_MAX_EDITS + 1):
            plains = [p for p, e in spelled.items() if e == edits]
            if plains:
                lookups.append(("plain", plains))
        if not lookups:
            return []
        found: list[_Candidate] = []
        # One statement; each lookup keeps its FUZZY_PLACES most important places.
        for kind, key, name_id, rank in self.store.search_key_rows(
            lookups, [], FUZZY_PLACES, one_per_key=True, **sql_filters
        ):
            if kind == "plain":
                score = max(FUZZY_FLOOR, round(_edits_score(spelled[key], typed), 1))
                found.append(_Candidate(name_id, "fuzzy", score, rank or 0.0))
                continue
            score, through_core = skeletons[key]
            found.append(
                _Candidate(
                    name_id,
                    "fuzzy",
                    round(score - (CORE_FUZZY_PENALTY if kind == "core" else 0.0), 1),
                    rank or 0.0,
                    rescore=True,
                    through_core=kind == "core" or through_core,
                )
            )
        return found

    def _skeleton_typos(self, q: QueryKeys) -> dict[str, tuple[float, bool]]:
        """Stored skeletons and cores a typo or two from the query's readings, with their
        score (40 + 0.3 × similarity) and whether only the query's core came that close."""
        full = [s for s in q.skel[: normalize.FUZZY_READINGS] if len(s) >= FUZZY_MIN_LENGTH]
        readings = [s for s in dict.fromkeys([*full, *q.core[:6]]) if len(s) >= FUZZY_MIN_LENGTH]
        if not readings:
            return {}
        probe_stored: set[str] = set()
        probe_own: set[str] = set()
        for i, reading in enumerate(readings):
            ones = _deletions(reading)
            probe_stored.add(reading)
            probe_stored |= ones
            probe_own |= ones
            if i < 2 and len(reading) >= FUZZY_TWO_EDITS_MIN_LENGTH:
                twos = {d for one in ones for d in _deletions(one)}
                probe_stored |= twos
                probe_own |= twos
        found = self.store.skeletons_near(sorted(probe_stored), sorted(probe_own), FUZZY_CANDIDATES)
        # Less CORE_FUZZY_PENALTY when only the query's core (generic words dropped) came
        # that close.
        best: dict[str, tuple[float, bool]] = {}
        for reading in readings:
            through_core = reading not in full
            for skel, ratio, _ in process.extract(
                reading, found, scorer=fuzz.ratio, score_cutoff=normalize.FUZZY_CUTOFF, limit=None
            ):
                score = 40.0 + 0.3 * ratio - (CORE_FUZZY_PENALTY if through_core else 0.0)
                if skel not in readings and score > best.get(skel, (0.0, False))[0]:
                    best[skel] = (score, through_core)
        return best

    def _letter_typos(self, typed: str) -> dict[str, int]:
        """Plain keys of notable places within two Damerau edits of the typed letters,
        with their edits (``letter_typo``, see ``letter_parts``)."""
        n = len(typed)
        if n < normalize.LETTER_TYPO_MIN_LENGTH:
            return {}
        by_letters: dict[str, list[str]] = {}
        for plain in self.store.letters_near(_letter_probes(typed), n - 2, n + 2):
            # Stored only for keys in one alphabet, so the letters are the key sans spaces.
            by_letters.setdefault(plain.replace(" ", ""), []).append(plain)
        near = process.extract(
            typed,
            list(by_letters),
            scorer=OSA.distance,
            score_cutoff=normalize.LETTER_TYPO_MAX_EDITS,
            limit=None,
        )
        return {
            plain: int(edits)
            for letters, edits, _ in near
            if edits
            for plain in by_letters[letters]
        }

    def _descendants_among(self, place_ids: Iterable[str], ancestor: str) -> set[str]:
        """Those of ``place_ids`` that have ``ancestor`` in their current parent chain."""
        chains: dict[str, str] = {pid: pid for pid in place_ids}  # place → current link
        inside: set[str] = set()
        for _ in range(32):  # deeper than any real hierarchy; also stops a cycle
            if not chains:
                break
            parents = self.store.place_parents(list(set(chains.values())))
            following: dict[str, str] = {}
            for pid, link in chains.items():
                parent = parents.get(link)
                if parent is None:
                    continue
                if parent == ancestor:
                    inside.add(pid)
                else:
                    following[pid] = parent
            chains = following
        return inside


def _offer(candidates: dict[int, _Candidate], candidate: _Candidate) -> None:
    current = candidates.get(candidate.name_id)
    if current is None or candidate.score > current.score:
        candidates[candidate.name_id] = candidate


def _rescore(q: QueryKeys, cand: _Candidate, row: dict[str, Any]) -> None:
    """Score a skeleton typo match again from the letters of its name (once)."""
    cand.score = _letter_score(q, row["text"], row["lang"], cand.score, cand.through_core)
    cand.rescore = False


def _letter_score(
    q: QueryKeys, text: str, lang: str, skeleton_score: float, through_core: bool
) -> float:
    """The score of a skeleton typo match, from the letters when they can be compared.

    Skeletons are coarse on purpose (vowels merged, g = k = q …), so among a million names
    many are a skeleton edit from any typo. When the query and the name are written in
    the same alphabet, the Damerau edits between the letters themselves (the name's plain
    and stripped forms, the query's plain form) tell better how close the name is to
    what was typed: Vatutsno is one letter from Vatutino though two skeleton edits away,
    Hianeoh four letters from Keneh though its skeleton is one edit away. A query typed
    in Latin letters is compared with the BGN/PCGN romanisation of an Armenian or
    Cyrillic name (``gazetteer.romanize``); with a name in another script (Arabic's
    abjad, or one read through unidecode's guess: Devanagari, Han …) only the rough sound
    can be compared, and it scores ``FUZZY_FLOOR``: there are hundreds of thousands of
    such alternate names in GeoNames, and the place's own Latin name, were it as close,
    would have matched by its letters. Queries in other alphabets compare with names in
    theirs and keep the skeleton's score for the others; matches through a core (generic
    words dropped) keep it too. Never below ``FUZZY_FLOOR``.
    """
    typed, alphabet = normalize.letters_of(q.plain)
    if not typed:
        return skeleton_score
    forms = [letters for letters, other in _letter_forms(text, lang) if other == alphabet]
    if not forms:
        return FUZZY_FLOOR if alphabet == "Latn" else skeleton_score
    if through_core:
        return skeleton_score
    edits = min(normalize.letter_edits(typed, form) for form in forms)
    return round(max(FUZZY_FLOOR, _edits_score(edits, typed)), 1)


def _edits_score(edits: int, typed: str) -> float:
    """The score of a letter match ``edits`` letters off: 40 + 0.3 × letters intact (%)."""
    return 40.0 + 0.3 * normalize.fuzzy_similarity(edits, len(typed))


@functools.lru_cache(maxsize=65536)
def _letter_forms(text: str, lang: str) -> tuple[tuple[str, str], ...]:
    """Letters and alphabet of a name's plain and stripped keys (Ağdaş: aghdash, agdas),
    and, for an Armenian or Cyrillic name, of its BGN/PCGN romanisation too (Գետահատ:
    getahat), so that a query typed in Latin letters can be compared letter by letter."""
    forms = {
        normalize.letters_of(normalize.plain_key(text, lang)),
        normalize.letters_of(normalize.strip_key(text, lang)),
    }
    if not text.isascii():
        tag = None if lang in ("und", "mul", "zxx", "mis") else lang
        try:
            latin = romanize(text, tag)
        except RomanizationError:
            latin = ""
        if latin:
            forms.add(normalize.letters_of(normalize.plain_key(latin, None)))
    return tuple(f for f in forms if f[0])


def _sounds_like(q: QueryKeys, text: str, lang: str) -> bool:
    """Whether a phonetic match stands: the skeletons look alike too, and a query typed in
    Latin letters met a name it can be read against (Latin, or Armenian or Cyrillic with
    their romanisation tables), not one whose skeleton is unidecode's guess or an abjad
    without vowels (see ``_letter_score``)."""
    if normalize.letters_of(q.plain)[1] == "Latn" and not any(
        alphabet == "Latn" for _, alphabet in _letter_forms(text, lang)
    ):
        return False
    return _looks_alike(q, text, lang)


def _looks_alike(q: QueryKeys, text: str, lang: str) -> bool:
    """Whether a phonetic match also looks like the query (skeleton similarity)."""
    skeleton = _canonical_skeleton(text, lang)
    return bool(skeleton) and normalize.fuzzy_ratio(q.skel, skeleton) >= PHONETIC_MIN_SIMILARITY


@functools.lru_cache(maxsize=65536)
def _canonical_skeleton(text: str, lang: str) -> str:
    skeletons = normalize.skeleton_keys(text, lang)
    return skeletons[0] if skeletons else ""


def _good_places(candidates: dict[int, _Candidate], names: dict[int, Any]) -> int:
    """Places already found at a tier that fuzzy matching cannot beat."""
    return len(
        {
            names[c.name_id]["place_id"]
            for c in candidates.values()
            if c.score > 70.0 and c.name_id in names
        }
    )


def _rank_places(
    q: QueryKeys, candidates: dict[int, _Candidate], names: dict[int, Any], limit: int
) -> list[RankedPlace]:
    best: dict[str, tuple[tuple[Any, ...], RankedPlace]] = {}
    for cand in candidates.values():
        row = names.get(cand.name_id)
        if row is None:  # deleted since its keys were read
            continue
        score = cand.score
        if q.classes and q.classes & normalize.generic_classes(row["text"], row["lang"]):
            score += GENERIC_BOOST
        matched = MatchedName(row["text"], row["lang"], row["kind"], cand.tier, score, row["id"])
        # Within a place: the best score, then official/common before variant before
        # historic, a preferred name first, then the lowest id (stable output).
        order = (-score, KIND_RANK.get(row["kind"], 9), not row["preferred"], row["id"])
        held = best.get(row["place_id"])
        if held is None or order < held[0]:
            best[row["place_id"]] = (
                order,
                RankedPlace(row["place_id"], row["parent_id"], row["importance"] or 0.0, matched),
            )
    ranked = sorted(
        (r for _, r in best.values()),
        key=lambda r: (
            -r.matched.score,
            -r.importance,
            KIND_RANK.get(r.matched.kind, 9),
            r.place_id,
        ),
    )
    return _reserve(ranked)[:limit]


def _reserve(ranked: list[RankedPlace]) -> list[RankedPlace]:
    """The strict order, except for the last ``RESERVED`` places of the first screen.

    Strictly, a tier beats any importance: "Arara" lists two dozen hamlets named Arara
    (exact) before Araras, a city of 130 000 (its prefix, and one letter away); "Gan"
    fills the screen with villages named Gan before Ganja. For a search typed letter by
    letter that hides what the user most likely means. So the last ``RESERVED`` slots of
    the screen go to the most important places among those the strict order put there
    and those below the screen, where a place from below must be ``NOTABLE_MARGIN`` more
    important than the one whose slot it takes, and have matched the letters as typed
    (``NOTABLE_TIERS``, at least ``NOTABLE_MIN_SCORE``). The first ``SCREEN - RESERVED``
    places never move, so the best match (Shusha for "Shusha") stays first; the moved
    places keep their strict order among themselves; and the slots are those of the first
    screen whatever ``limit`` is, so asking for 20 shows the screen asking for 10 shows.
    """
    head = SCREEN - RESERVED
    if len(ranked) <= SCREEN:
        return ranked
    # Those the strict order put in the reserved slots count NOTABLE_MARGIN more; from
    # below, only matches at least as good as NOTABLE_MIN_SCORE may come up.
    contenders = sorted(
        (
            i
            for i in range(head, len(ranked))
            if i < SCREEN
            or (
                ranked[i].matched.score >= NOTABLE_MIN_SCORE
                and ranked[i].matched.tier in NOTABLE_TIERS
            )
        ),
        key=lambda i: (
            -(ranked[i].importance + (NOTABLE_MARGIN if i < SCREEN else 0.0)),
            i,
        ),
    )[:RESERVED]
    chosen = sorted(contenders)
    taken = set(chosen)
    return [
        *ranked[:head],
        *(ranked[i] for i in chosen),
        *(ranked[i] for i in range(head, len(ranked)) if i not in taken),
    ]
