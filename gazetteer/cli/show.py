"""``gazetteer show PLACE``: everything about one place."""

from __future__ import annotations

import argparse

from gazetteer.cli.common import add_db_option, add_json_option, open_gazetteer, print_json
from gazetteer.geo import format_decimal, format_dms
from gazetteer.model import PlaceDetails
from gazetteer.serialize import details_to_dict


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``show`` command."""
    parser = subparsers.add_parser(
        "show",
        help="show a place: names by language, population, coordinates, parents",
        description="Show a place by id or by a name stored exactly as typed: all its names "
        "grouped by language with kind, period and source; its population series; "
        "coordinates; parent chain.",
    )
    parser.add_argument("place", metavar="PLACE", help="place id (e.g. shusha) or exact name")
    add_db_option(parser)
    add_json_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the place."""
    gazetteer = open_gazetteer(args)
    place = gazetteer.resolve(args.place)
    details = gazetteer.details(place.id)
    if args.json:
        print_json(details_to_dict(details))
    else:
        print(render(details))
    return 0


def render(details: PlaceDetails) -> str:
    """The readable text form of ``show``."""
    place = details.place
    lines = [f"{place.label}  [{place.id}]  {place.role}"]
    if details.parent_chain:
        lines.append("  in: " + " › ".join(f"{p.label} [{p.id}]" for p in details.parent_chain))
    if place.lat is not None and place.lon is not None:
        lines.append(
            f"  coordinates: {format_decimal(place.lat, place.lon)}"
            f"  ({format_dms(place.lat, place.lon)})"
        )
    else:
        lines.append("  coordinates: unknown")
    ids = [
        f"GeoNames {place.geonames_id}" if place.geonames_id else "",
        f"Wikidata {place.wikidata_id}" if place.wikidata_id else "",
    ]
    if any(ids):
        lines.append("  ids: " + ", ".join(i for i in ids if i))
    lines.append("")
    lines.append("Names")
    width = max((len(n.text) for n in place.names), default=0)
    current_lang = None
    for name in place.names:
        label = name.lang if name.lang != current_lang else ""
        current_lang = name.lang
        facts = [name.kind]
        if name.preferred:
            facts.append("preferred")
        if name.period:
            facts.append(name.period)
        if name.romanization:
            facts.append(name.romanization)
        if name.used_by:
            facts.append(f"used by {name.used_by}")
        if name.source:
            facts.append(f"source: {name.source}")
        lines.append(f"  {label:<8} {name.text:<{width}}  {', '.join(facts)}")
    if details.populations:
        lines.append("")
        lines.append("Population")
        for figure in details.populations:
            year = str(figure.year) if figure.year is not None else "year not given"
            source = f"  — {figure.source}" if figure.source else ""
            lines.append(f"  {figure.value:>12,}  ({year}){source}".replace(",", " "))
    if details.relations:
        lines.append("")
        lines.append("Relations")
        for relation in details.relations:
            period = ""
            if relation.valid_from is not None or relation.valid_to is not None:
                period = f" {relation.valid_from or ''}–{relation.valid_to or ''}"
            source = f"  — {relation.source}" if relation.source else ""
            lines.append(f"  {relation.kind} {relation.target_id}{period}{source}")
    if details.children:
        lines.append("")
        lines.append(f"Contains ({len(details.children)})")
        lines.append("  " + ", ".join(f"{c.label} [{c.id}]" for c in details.children))
    if details.sources:
        lines.append("")
        lines.append("Sources")
        lines.extend(f"  {s.citation}" for s in details.sources)
    return "\n".join(lines)
