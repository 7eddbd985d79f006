"""Domain records as plain JSON-ready dicts (for ``--json`` output and exports)."""

from __future__ import annotations

from typing import Any

from gazetteer.model import Name, Place, PlaceDetails


def name_to_dict(name: Name) -> dict[str, Any]:
    """A name with every field that has a value."""
    data: dict[str, Any] = {
        "text": name.text,
        "lang": name.lang,
        "script": name.script,
        "kind": name.kind,
    }
    for key in ("romanization", "valid_from", "valid_to", "used_by", "source"):
        value = getattr(name, key)
        if value is not None:
            data[key] = value
    if name.preferred:
        data["preferred"] = True
    return data


def names_by_language(place: Place) -> dict[str, list[dict[str, Any]]]:
    """A place's names grouped by language tag, preferred first within each language."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for name in place.names:
        grouped.setdefault(name.lang, []).append(name_to_dict(name))
    return grouped


def place_to_dict(place: Place) -> dict[str, Any]:
    """A place's own fields and its names by language."""
    return {
        "id": place.id,
        "name": place.label,
        "role": place.role,
        "lat": place.lat,
        "lon": place.lon,
        "parent": place.parent_id,
        "geonames_id": place.geonames_id,
        "wikidata_id": place.wikidata_id,
        "names": names_by_language(place),
    }


def details_to_dict(details: PlaceDetails) -> dict[str, Any]:
    """Everything about a place: names, populations, sources, relations, parent chain."""
    data = place_to_dict(details.place)
    data["population"] = [
        {"value": p.value, "year": p.year, "source": p.source} for p in details.populations
    ]
    data["sources"] = [s.citation for s in details.sources]
    data["relations"] = [
        {
            "kind": r.kind,
            "target": r.target_id,
            "valid_from": r.valid_from,
            "valid_to": r.valid_to,
            "source": r.source,
            "note": r.note,
        }
        for r in details.relations
    ]
    data["parent_chain"] = [
        {"id": p.id, "name": p.label, "role": p.role} for p in details.parent_chain
    ]
    data["children"] = [{"id": p.id, "name": p.label, "role": p.role} for p in details.children]
    return data
