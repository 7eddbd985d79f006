"""Getting records into the gazetteer: validated inputs, then one merging writer.

The bundled data, CSV imports and edits all come through here, so every fact is checked the
same way and a place that already exists (same id) gains names instead of being duplicated.
``write_places`` runs in a single transaction: a failure leaves the database as it was, and a
dry run performs every check and counts what would change, then rolls back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from db import Store
from db.store import KeyBuilder
from gazetteer import search, validate
from gazetteer.errors import CancelledError, ValidationError
from gazetteer.model import Name, importance


class Progress(Protocol):
    """How long work reports: ``progress(done, total)`` or ``progress(done, total, stage)``;
    returning False cancels (the work raises ``CancelledError`` and changes nothing).

    Counted work (places written, rows exported) reports ``done`` of ``total`` things and no
    stage. Work in stages (a bulk import: reading, then a search index build, then saving)
    also names the stage under way in words for a user ("Building the search index"); its
    ``done`` of ``total`` is then a share of the whole job, not a count of anything — the
    stages count different things or nothing at all — so a display shows the share, the
    stage and the time left, never amounts or a rate.
    """

    def __call__(self, done: int, total: int, stage: str | None = None, /) -> bool: ...


@dataclass
class NameInput:
    """A name as it arrives, before it is checked."""

    text: str
    lang: str
    kind: str = "variant"
    script: str | None = None
    romanization: str | None = None
    valid_from: int | None = None
    valid_to: int | None = None
    used_by: str | None = None
    preferred: bool = False
    source: str | None = None


@dataclass
class PopulationInput:
    """A population figure as it arrives."""

    value: int
    year: int | None = None
    source: str | None = None


@dataclass
class RelationInput:
    """A dated relation as it arrives (the subject is the place it belongs to)."""

    kind: str
    target_id: str
    valid_from: int | None = None
    valid_to: int | None = None
    source: str | None = None
    note: str | None = None


@dataclass
class PlaceInput:
    """A place as it arrives. ``None`` fields leave an existing place's value alone."""

    id: str
    role: str | None = None
    lat: float | None = None
    lon: float | None = None
    parent_id: str | None = None
    geonames_id: int | None = None
    wikidata_id: str | None = None
    note: str | None = None
    names: list[NameInput] = field(default_factory=list)
    populations: list[PopulationInput] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    relations: list[RelationInput] = field(default_factory=list)


def check_name(name: NameInput, prefix: str = "") -> Name:
    """Validate one name into the stored form (a ``Name`` without id yet); field names in
    errors carry ``prefix`` (e.g. ``name_hy``)."""
    text = validate.clean_text(name.text, prefix or "name")
    lang = validate.language_tag(name.lang, f"{prefix}lang" if prefix else "lang")
    script = validate.script_for(text, lang, name.script, f"{prefix}script" if prefix else "script")
    kind = validate.name_kind(name.kind, f"{prefix}kind" if prefix else "kind")
    start = validate.year(name.valid_from, "valid_from")
    end = validate.year(name.valid_to, "valid_to")
    validate.period(start, end, "valid_to")
    return Name(
        text=text,
        lang=lang,
        script=script,
        kind=kind,
        romanization=validate.optional_text(name.romanization, "romanization"),
        valid_from=start,
        valid_to=end,
        used_by=validate.optional_text(name.used_by, "used_by"),
        preferred=bool(name.preferred),
        source=validate.optional_text(name.source, "source"),
    )


def check_place(place: PlaceInput) -> PlaceInput:
    """Validate a place's own fields (not its names); returns a cleaned copy."""
    return PlaceInput(
        id=validate.place_id(place.id),
        role=validate.role(place.role) if place.role else None,
        lat=validate.latitude(place.lat),
        lon=validate.longitude(place.lon),
        parent_id=validate.place_id(place.parent_id, "parent_id") if place.parent_id else None,
        geonames_id=place.geonames_id,
        wikidata_id=validate.optional_text(place.wikidata_id, "wikidata_id"),
        note=validate.optional_note(place.note, "note"),
        names=place.names,
        populations=[
            PopulationInput(
                validate.population(p.value),
                validate.year(p.year, "population_year"),
                validate.optional_text(p.source, "population_source"),
            )
            for p in place.populations
        ],
        sources=[validate.clean_text(s, "sources") for s in place.sources],
        relations=[
            RelationInput(
                kind=validate.clean_text(r.kind, "relation_kind"),
                target_id=validate.place_id(r.target_id, "relation_target"),
                valid_from=r.valid_from,
                valid_to=r.valid_to,
                source=validate.optional_text(r.source, "relation_source"),
                note=validate.optional_note(r.note, "relation_note"),
            )
            for r in place.relations
        ],
    )


@dataclass
class WriteReport:
    """What a write did (or, for a dry run, would do)."""

    places_created: int = 0
    places_merged: int = 0
    names_added: int = 0
    names_skipped: int = 0
    populations_added: int = 0
    relations_added: int = 0
    dry_run: bool = False
    created_ids: list[str] = field(default_factory=list)


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def write_places(
    store: Store,
    places: Sequence[PlaceInput],
    key_builder: KeyBuilder,
    *,
    actor: str,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> WriteReport:
    """Check and write places in one transaction, merging into existing ones by id.

    Raises ``ValidationError`` on the first bad value (callers that need every problem, like
    the CSV importer, check rows first), ``CancelledError`` if ``progress`` says stop. Either
    way the database is left exactly as it was.
    """
    report = WriteReport(dry_run=dry_run)
    checked = [check_place(p) for p in places]
    known = {p.id for p in checked}
    for place in checked:
        if (
            place.parent_id
            and place.parent_id not in known
            and not store.get_place(place.parent_id)
        ):
            raise ValidationError(
                "parent_id", f"no place with id {place.parent_id!r}", place.parent_id
            )
        for relation in place.relations:
            if relation.target_id not in known and not store.get_place(relation.target_id):
                raise ValidationError("relation", f"no place with id {relation.target_id!r}")
    try:
        with store.transaction():
            for done, place in enumerate(checked, 1):
                _write_one(store, place, key_builder, actor, report)
                if progress is not None and not progress(done, len(checked)):
                    raise CancelledError("write cancelled")
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _write_one(
    store: Store, place: PlaceInput, key_builder: KeyBuilder, actor: str, report: WriteReport
) -> None:
    existing = store.get_place(place.id)
    fields = {
        "role": place.role,
        "lat": place.lat,
        "lon": place.lon,
        "parent_id": place.parent_id,
        "geonames_id": place.geonames_id,
        "wikidata_id": place.wikidata_id,
        "note": place.note,
    }
    given = {k: v for k, v in fields.items() if v is not None}
    if existing is None:
        if "role" not in given:
            raise ValidationError("role", f"place {place.id!r} is new and needs a role")
        store.insert_place({"id": place.id, **given})
        store.log_change(actor, "create", "place", place.id)
        report.places_created += 1
        report.created_ids.append(place.id)
    else:
        changed = {k: v for k, v in given.items() if existing.get(k) != v}
        if changed:
            store.update_place(place.id, changed)
            for key, value in changed.items():
                store.log_change(actor, "update", "place", place.id, key, existing.get(key), value)
        report.places_merged += 1
    if place.sources:
        store.set_place_sources(place.id, [_source(store, s) for s in place.sources])
    for raw in place.names:
        name = check_name(raw)
        row = {
            "place_id": place.id,
            "text": name.text,
            "lang": name.lang,
            "script": name.script,
            "kind": name.kind,
            "romanization": name.romanization,
            "valid_from": name.valid_from,
            "valid_to": name.valid_to,
            "used_by": name.used_by,
            "preferred": int(name.preferred),
            "source_id": _source(store, name.source) if name.source else None,
        }
        existing_id = store.find_name_id(row)
        if existing_id is not None:
            report.names_skipped += 1
            continue
        if name.preferred:
            store.clear_preferred(place.id, name.lang)
        name_id = store.insert_name(row, key_builder(name.text, name.lang))
        if name_id is not None:
            store.log_change(
                actor, "add-name", "place", place.id, "name", None, f"{name.lang}:{name.text}"
            )
            report.names_added += 1
    for figure in place.populations:
        added = store.insert_population(
            {
                "place_id": place.id,
                "value": figure.value,
                "year": figure.year,
                "source_id": _source(store, figure.source) if figure.source else None,
            }
        )
        report.populations_added += int(added)
    for relation in place.relations:
        validate.period(relation.valid_from, relation.valid_to, "relation")
        added = store.insert_relation(
            {
                "place_id": place.id,
                "kind": relation.kind,
                "target_id": relation.target_id,
                "valid_from": relation.valid_from,
                "valid_to": relation.valid_to,
                "source_id": _source(store, relation.source) if relation.source else None,
                "note": relation.note,
            }
        )
        report.relations_added += int(added)
    refresh_importance(store, place.id)


def refresh_importance(store: Store, place_id: str, *, follow: bool = True) -> bool:
    """Recompute a place's stored importance from its role and latest population; True if
    it changed. The search data that copies it follows in the same transaction
    (``search.set_importance``), unless ``follow`` is False: a bulk load then calls
    ``search.follow_importance`` for the changed places itself."""
    row = store.get_place(place_id)
    if row is None:
        return False
    latest = store.latest_populations([place_id]).get(place_id)
    value = importance(row["role"], latest["value"] if latest else None)
    if row["importance"] == value:
        return False
    search.set_importance(store, place_id, value, follow=follow)
    return True


def _source(store: Store, citation: str) -> int:
    citation = citation.strip()
    url = citation if citation.startswith(("http://", "https://")) else None
    return store.source_id(citation, url)
