"""``gazetteer search QUERY`` and ``gazetteer search --batch FILE``: find places by any spelling."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from gazetteer.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    add_db_option,
    add_json_option,
    error,
    open_gazetteer,
    print_json,
)
from gazetteer.search import SearchHit
from gazetteer.serialize import names_by_language

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


def register(subparsers: Subparsers) -> None:
    """Add the ``search`` command."""
    parser = subparsers.add_parser(
        "search",
        help="find places by a name in any script, romanisation or spelling",
        description="Find places by a name written in any script (Latin, Cyrillic, Armenian, "
        "Perso-Arabic), any romanisation, without diacritics or with a typo. Each hit shows "
        "the stored name that matched, its language and kind, the match tier (exact, plain, "
        "skeleton, strip, core, prefix, phonetic, fuzzy, consonants) and the score.",
    )
    parser.add_argument("query", nargs="?", metavar="QUERY", help="the name to look for")
    parser.add_argument(
        "--batch",
        metavar="FILE",
        help="look up every line of FILE (UTF-8, one query per line; '-' reads standard "
        "input); with --json prints JSON Lines, one object per query",
    )
    parser.add_argument(
        "--limit", type=int, default=10, metavar="N", help="at most N places (default 10)"
    )
    parser.add_argument(
        "--lang",
        action="append",
        default=[],
        metavar="L",
        help="only hits through a name in language L (hy also covers hy-Latn); repeatable",
    )
    parser.add_argument(
        "--role",
        action="append",
        default=[],
        metavar="R",
        help="only places with role R (city, village, river …; 'settlement' for any "
        "settlement); repeatable",
    )
    parser.add_argument(
        "--within",
        metavar="PLACE",
        help="only places inside PLACE (an id or an exact name), e.g. --within armenia",
    )
    parser.add_argument(
        "--bbox",
        metavar="S,W,N,E",
        type=_bbox,
        help="only places inside this box (degrees: south,west,north,east)",
    )
    add_db_option(parser)
    add_json_option(parser)
    parser.set_defaults(func=run)


def _bbox(text: str) -> tuple[float, float, float, float]:
    try:
        south, west, north, east = (float(part) for part in text.split(","))
    except ValueError as exc:
        raise argparse.ArgumentTypeError("expected four numbers: south,west,north,east") from exc
    if not (-90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
        raise argparse.ArgumentTypeError(
            "latitudes in -90…90 (south ≤ north), longitudes in -180…180"
        )
    return south, west, north, east


def run(args: argparse.Namespace) -> int:
    """Search for one query or a file of them."""
    if (args.query is None) == (args.batch is None):
        error("give either QUERY or --batch FILE")
        return EXIT_INPUT
    if args.limit < 1:
        error("--limit must be at least 1")
        return EXIT_INPUT
    gazetteer = open_gazetteer(args)
    within = gazetteer.resolve(args.within).id if args.within else None

    def search(query: str) -> list[SearchHit]:
        return gazetteer.search(
            query,
            limit=args.limit,
            langs=args.lang,
            roles=args.role,
            within=within,
            bbox=args.bbox,
        )

    if args.batch is not None:
        try:
            return _run_batch(args, search)
        except OSError as exc:
            error(f"cannot read {args.batch}: {exc.strerror or exc}")
            return EXIT_INPUT
    hits = search(args.query)
    if args.json:
        print_json(_hits_json(hits))
    elif hits:
        print(render(hits))
    else:
        error(f"no place matches {args.query!r}")
    return EXIT_OK if hits else EXIT_INPUT


def _run_batch(args: argparse.Namespace, search: Callable[[str], list[SearchHit]]) -> int:
    """Look up every line of the batch file; JSON Lines or one table per query."""
    with _batch_lines(args.batch) as lines:
        for number, query in lines:
            hits = search(query)
            if args.json:
                record = {"line": number, "query": query, "hits": _hits_json(hits)}
                print(json.dumps(record, ensure_ascii=False), flush=True)
            else:
                print(f"{number}: {query}")
                print(render(hits) if hits else "   (no match)")
                print(flush=True)
    return EXIT_OK


@contextlib.contextmanager
def _batch_lines(name: str) -> Iterator[Iterator[tuple[int, str]]]:
    """The non-blank lines of a UTF-8 file (or standard input) with their line numbers."""
    if name == "-":
        yield _numbered(sys.stdin)
        return
    # utf-8-sig: a byte-order mark from Excel or Notepad is not part of the first query.
    with Path(name).open(encoding="utf-8-sig", errors="replace") as handle:
        yield _numbered(handle)


def _numbered(stream: TextIO) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(stream, start=1):
        if line.strip():
            yield number, line.strip()


def _hits_json(hits: Sequence[SearchHit]) -> list[dict[str, Any]]:
    return [hit_to_dict(hit) for hit in hits]


def hit_to_dict(hit: SearchHit) -> dict[str, Any]:
    """A hit as JSON: the place, its parent, its names by language, and why it matched."""
    place = hit.place
    return {
        "id": place.id,
        "name": place.label,
        "role": place.role,
        "lat": place.lat,
        "lon": place.lon,
        "parent": {"id": hit.parent.id, "name": hit.parent.label} if hit.parent else None,
        "matched": {
            "name": hit.matched.text,
            "lang": hit.matched.lang,
            "kind": hit.matched.kind,
            "tier": hit.matched.tier,
            "score": hit.matched.score,
        },
        "names": names_by_language(place),
    }


def render(hits: Sequence[SearchHit]) -> str:
    """A readable table: rank, place, role, parent, and the name that matched with its tier."""
    rows = [
        (
            str(rank),
            f"{hit.place.label} [{hit.place.id}]",
            hit.place.role,
            hit.parent.label if hit.parent else "",
            f"{hit.matched.text} ({hit.matched.lang}, {hit.matched.kind})",
            f"{hit.matched.tier} {hit.matched.score:g}",
        )
        for rank, hit in enumerate(hits, start=1)
    ]
    header = ("#", "place", "role", "in", "matched", "tier score")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    return "\n".join(lines)
