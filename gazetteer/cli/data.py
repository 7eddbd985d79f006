"""``gazetteer export …``, ``gazetteer import …`` and ``gazetteer stats``."""

from __future__ import annotations

import argparse
import io
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

from gazetteer.cli import geodata
from gazetteer.cli.common import add_db_option, add_json_option, open_gazetteer, print_json
from gazetteer.cli.progress import ProgressBar


def register(subparsers: Subparsers) -> None:
    """Add the ``export``, ``import`` and ``stats`` commands."""
    export = subparsers.add_parser(
        "export",
        help="write the gazetteer to a file",
        description="Write the gazetteer, or part of it, to a file.",
    )
    formats = export.add_subparsers(dest="format", metavar="FORMAT")
    formats.required = True
    csv_export = formats.add_parser(
        "csv",
        help="CSV, one row per name (long) or per place (wide)",
        description="CSV (RFC 4180, UTF-8). long: one row per name with every name field and "
        "its place's fields. wide: one row per place with name_en, name_az, name_hy, name_ru "
        "(preferred names) and other_names as lang:kind:name[:from-to]. Rows come in a stable "
        "order, so two exports of the same data are byte-identical.",
    )
    csv_export.add_argument("--layout", choices=("long", "wide"), default="long")
    csv_export.add_argument(
        "--bom", action="store_true", help="start with a UTF-8 byte-order mark (for Excel)"
    )
    csv_export.add_argument(
        "--raw", action="store_true", help="do not neutralise cells starting with = + - @ tab or CR"
    )
    csv_export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (atomically) instead of standard output",
    )
    geodata.add_filters(csv_export)
    add_db_option(csv_export)
    csv_export.set_defaults(func=run_export_csv)
    geodata.add_export_formats(formats)

    importing = subparsers.add_parser(
        "import",
        help="read places from a file",
        description="Read places from a file into the gazetteer.",
    )
    sources = importing.add_subparsers(dest="format", metavar="FORMAT")
    sources.required = True
    csv_import = sources.add_parser(
        "csv",
        help="CSV in the long or wide layout",
        description="Import a CSV file in the long or wide layout (the wide layout is also "
        "the reference table's). Every bad row is reported as FILE:LINE: field: problem and "
        "nothing is imported if any row is bad. Places are merged by id, never duplicated.",
    )
    csv_import.add_argument("file", metavar="FILE")
    csv_import.add_argument(
        "--dry-run", action="store_true", help="check and count what would change, write nothing"
    )
    add_db_option(csv_import)
    add_json_option(csv_import)
    csv_import.set_defaults(func=run_import_csv)
    geodata.add_import_formats(sources)

    stats = subparsers.add_parser(
        "stats",
        help="counts of places, names and sources",
        description="Counts of places by role, names per language and kind, and the sources cited.",
    )
    add_db_option(stats)
    add_json_option(stats)
    stats.set_defaults(func=run_stats)


def run_export_csv(args: argparse.Namespace) -> int:
    """Export CSV to a file or stdout."""
    gazetteer = open_gazetteer(args)
    options = {"layout": args.layout, "bom": args.bom, "raw": args.raw,
               "place_ids": geodata.selected(gazetteer, args), "langs": args.lang}  # fmt: skip
    if args.output:
        bar = ProgressBar("export csv", unit=" rows")
        try:
            count = gazetteer.export_csv(args.output, progress=bar, **options)
        finally:
            bar.close()
        print(f"wrote {count} rows to {args.output}", file=sys.stderr)
    else:
        if isinstance(sys.stdout, io.TextIOWrapper):
            sys.stdout.reconfigure(newline="")  # keep the CSV's CRLF line ends as written
        gazetteer.export_csv(sys.stdout, **options)
    return 0


def run_import_csv(args: argparse.Namespace) -> int:
    """Import a CSV file (or check it with --dry-run)."""
    gazetteer = open_gazetteer(args)
    report = gazetteer.import_csv(args.file, dry_run=args.dry_run)
    if args.json:
        print_json(vars(report))
        return 0
    verb = "would import" if report.dry_run else "imported"
    print(
        f"{verb}: {report.places_created} new places, {report.places_merged} merged, "
        f"{report.names_added} names added ({report.names_skipped} already present), "
        f"{report.populations_added} population figures"
    )
    return 0


def run_stats(args: argparse.Namespace) -> int:
    """Print counts."""
    stats = open_gazetteer(args).stats()
    if args.json:
        print_json(
            {
                "places": stats.places,
                "names": stats.names,
                "populations": stats.populations,
                "relations": stats.relations,
                "sources": stats.sources,
                "places_by_role": dict(stats.places_by_role),
                "names_by_lang_kind": [
                    {"lang": lang, "kind": kind, "names": n}
                    for lang, kind, n in stats.names_by_lang_kind
                ],
                "sources_used": [
                    {"citation": c, "places": p, "names": n, "populations": pop}
                    for c, p, n, pop in stats.sources_used
                ],
            }
        )
        return 0
    print(
        f"{stats.places} places, {stats.names} names, {stats.populations} population figures, "
        f"{stats.relations} relations, {stats.sources} sources"
    )
    print("\nPlaces by role")
    for role, count in stats.places_by_role:
        print(f"  {role:<22} {count:>7}")
    print("\nNames by language and kind")
    by_lang: dict[str, list[tuple[str, int]]] = {}
    for lang, kind, count in stats.names_by_lang_kind:
        by_lang.setdefault(lang, []).append((kind, count))
    for lang, kinds in by_lang.items():
        total = sum(c for _, c in kinds)
        detail = ", ".join(f"{kind} {count}" for kind, count in kinds)
        print(f"  {lang:<10} {total:>7}  ({detail})")
    print("\nSources (places / names / populations citing each)")
    for citation, places, names, populations in stats.sources_used:
        print(f"  {places:>4} {names:>4} {populations:>4}  {citation}")
    return 0
