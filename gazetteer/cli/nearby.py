"""``gazetteer nearby PLACE``: places within a radius, with distance and compass bearing."""

from __future__ import annotations

import argparse

from gazetteer.cli.common import (
    EXIT_INPUT,
    add_db_option,
    add_json_option,
    error,
    open_gazetteer,
    print_json,
)
from gazetteer.model import Place
from gazetteer.nearby import DEFAULT_RADIUS_KM, NoCoordinatesError
from gazetteer.profiles import ProfileNotFoundError, render


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``nearby`` command."""
    parser = subparsers.add_parser(
        "nearby",
        help="places within a radius, with distance and compass bearing",
        description="Places within --km of PLACE, nearest first, phrased as people say it "
        '("Stepanakert, 6.3 km N": Stepanakert lies 6.3 km north). Distances are '
        "great-circle distances between the recorded coordinates; the bearing is the "
        "8-point compass direction from PLACE.",
    )
    parser.add_argument(
        "place", metavar="PLACE", help="a name of the place (any language) or its id"
    )
    parser.add_argument(
        "--km",
        type=float,
        default=DEFAULT_RADIUS_KM,
        metavar="R",
        help=f"radius in kilometres (default {DEFAULT_RADIUS_KM:g})",
    )
    parser.add_argument(
        "--role",
        action="append",
        metavar="R",
        help="only places with this role (city, village, monastery …, or "
        "'settlement' for any settlement); repeat or comma-separate for several",
    )
    parser.add_argument(
        "--profile",
        metavar="P",
        help="write the names under this naming profile (default: neutral labels)",
    )
    add_db_option(parser)
    add_json_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the nearby places."""
    gazetteer = open_gazetteer(args)
    roles = [r for raw in args.role or [] for r in raw.split(",")] or None
    try:
        profile = gazetteer.naming_profile(args.profile) if args.profile else None
    except ProfileNotFoundError as exc:
        error(f"no naming profile {exc.profile_id!r} (see `gazetteer profiles list`)")
        return EXIT_INPUT
    centre, _ = gazetteer.find_place(args.place)
    try:
        found = gazetteer.nearby(centre.id, args.km, roles)
    except NoCoordinatesError:
        error(f"{centre.label} [{centre.id}] has no recorded coordinates")
        return EXIT_INPUT

    def label(place: Place) -> str:
        return render(place, profile) if profile is not None else place.label

    if args.json:
        print_json(
            {
                "place": {
                    "id": centre.id,
                    "name": label(centre),
                    "lat": centre.lat,
                    "lon": centre.lon,
                },
                "km": args.km,
                "nearby": [
                    {
                        "id": n.place.id,
                        "name": label(n.place),
                        "role": n.place.role,
                        "lat": n.place.lat,
                        "lon": n.place.lon,
                        "distance_km": round(n.distance_km, 3),
                        "bearing": round(n.bearing, 1),
                        "compass": n.compass,
                        "phrase": n.phrase(label(n.place)),
                    }
                    for n in found
                ],
            }
        )
        return 0
    roles_text = f" ({', '.join(roles)})" if roles else ""
    print(f"Within {args.km:g} km of {label(centre)} [{centre.id}]{roles_text}: {len(found)}")
    for n in found:
        print(f"  {n.phrase(label(n.place))}  [{n.place.id}, {n.place.role}]")
    return 0
