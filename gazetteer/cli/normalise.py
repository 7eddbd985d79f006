"""``gazetteer normalise`` and ``gazetteer normalise-csv``: toponyms in a text or a
spreadsheet column put into a naming profile's house style.

Texts are read and written as bytes, so everything outside the rewritten names — line ends,
a byte-order mark, odd spaces — comes out exactly as it went in.
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import sys
from pathlib import Path
from typing import Any

from gazetteer.cli.common import EXIT_INPUT, EXIT_OK, add_db_option, error, open_gazetteer
from gazetteer.csv_import import decode
from gazetteer.errors import InvalidFileError
from gazetteer.facade import Gazetteer
from gazetteer.files import write_atomically
from gazetteer.profiles import NamingProfile, ProfileNotFoundError
from gazetteer.rewrite import DEFAULT_MIN_CONFIDENCE, RewriteResult, apply_report
from gazetteer.sheet import MATCH_STATUSES, write_sheet, write_sheet_file

_BOM = b"\xef\xbb\xbf"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``normalise`` and ``normalise-csv`` commands."""
    text = subparsers.add_parser(
        "normalise",
        help="find the place names in a text and rewrite them to a naming profile",
        description="Find every place name in a text (English, Azerbaijani, Armenian, "
        "Russian; any case, with or without diacritics, inflected or not) and rewrite it the "
        "way a naming profile writes the place: first and later mentions, dual names, "
        "grammatical endings carried over. Names several places share are resolved from the "
        "rest of the text when the evidence is clear, otherwise left alone and listed. Text "
        "outside the names is kept byte for byte. The change report (--report) replays on "
        "the original with --apply.",
    )
    text.add_argument("file", metavar="FILE", help="UTF-8 text file, or - for standard input")
    text.add_argument("--profile", metavar="P", help="naming profile (see `gazetteer profiles "
                      "list`; default neutral-en)")  # fmt: skip
    text.add_argument(
        "--format",
        choices=("text", "json", "diff"),
        default="text",
        help="print the new text (default), everything as JSON (mentions, text, report), or "
        "a unified diff",
    )
    text.add_argument("--report", metavar="FILE", type=Path,
                      help="write the change report (JSON) to FILE")  # fmt: skip
    text.add_argument("--apply", metavar="REPORT", type=Path,
                      help="do not search: replay a saved report on FILE")  # fmt: skip
    text.add_argument(
        "--region",
        metavar="PLACE",
        help="place id whose places win when a name is shared (e.g. armenia)",
    )
    text.add_argument(
        "--min-confidence",
        metavar="X",
        type=float,
        default=DEFAULT_MIN_CONFIDENCE,
        help=f"rewrite only mentions at least this sure, 0–1 (default {DEFAULT_MIN_CONFIDENCE}); "
        "lower-case and diacritic-less mentions score less",
    )
    add_db_option(text)
    text.set_defaults(func=run_text)

    sheet = subparsers.add_parser(
        "normalise-csv",
        help="match a CSV column of place names and add the profile's name, id, coordinates",
        description="Match every cell of a CSV column to a place (any language or spelling) "
        "and add columns after the original ones: COLUMN_place_id, COLUMN_name (as the "
        "profile writes it), COLUMN_lat, COLUMN_lon, COLUMN_match (exact, variant, fuzzy, "
        "ambiguous, not found), COLUMN_matched_name and COLUMN_candidates (for ambiguous "
        "cells). Every original column and row is kept in its order; the delimiter and a "
        "byte-order mark are kept too.",
    )
    sheet.add_argument("file", metavar="FILE", help="UTF-8 CSV file, or - for standard input")
    sheet.add_argument("--column", metavar="NAME", required=True,
                       help="the column holding place names")  # fmt: skip
    sheet.add_argument("--profile", metavar="P", help="naming profile (default neutral-en)")
    sheet.add_argument("-o", "--output", metavar="OUT", required=True,
                       help="the CSV to write (atomically), or - for standard output")  # fmt: skip
    sheet.add_argument("--region", metavar="PLACE",
                       help="place id whose places win when a name is shared")  # fmt: skip
    add_db_option(sheet)
    sheet.set_defaults(func=run_sheet)


def _read(file: str) -> bytes | None:
    try:
        if file == "-":
            return sys.stdin.buffer.read()
        return Path(file).read_bytes()
    except OSError as exc:
        error(f"cannot read {file}: {exc.strerror or exc}")
        return None


def _profile(gazetteer: Gazetteer, profile_id: str | None) -> NamingProfile | None:
    try:
        return gazetteer.naming_profile(profile_id)
    except ProfileNotFoundError as exc:
        error(f"no naming profile {exc.profile_id!r} (see `gazetteer profiles list`)")
        return None


def _write_bytes(path: Path, data: bytes) -> None:
    write_atomically(path, lambda out: out.write(data), binary=True)


def _stdout(data: str) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(data.encode("utf-8", "surrogatepass"))
    sys.stdout.buffer.flush()


def _problems(exc: InvalidFileError) -> int:
    for problem in exc.problems:
        print(str(problem), file=sys.stderr)
    error(f"{len(exc.problems)} problem(s) found; nothing was written")
    return EXIT_INPUT


def run_text(args: argparse.Namespace) -> int:
    """Normalise a text (or replay a report on it)."""
    try:
        return _run_text(args)
    except InvalidFileError as exc:
        return _problems(exc)


def _run_text(args: argparse.Namespace) -> int:
    data = _read(args.file)
    if data is None:
        return EXIT_INPUT
    name = "<stdin>" if args.file == "-" else args.file
    text = decode(data, name)
    bom = "\ufeff" if data.startswith(_BOM) else ""
    if args.apply is not None:
        try:
            report = json.loads(args.apply.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            error(f"cannot read the report {args.apply}: {exc}")
            return EXIT_INPUT
        _stdout(bom + apply_report(text, report))
        return EXIT_OK
    gazetteer = open_gazetteer(args)
    profile = _profile(gazetteer, args.profile)
    if profile is None:
        return EXIT_INPUT
    mentions = gazetteer.find_toponyms(text, region=args.region)
    result = gazetteer.rewrite_mentions(text, mentions, profile,
                                        min_confidence=args.min_confidence)  # fmt: skip
    if args.report is not None:
        payload = json.dumps(result.report(), ensure_ascii=False, indent=2) + "\n"
        _write_bytes(args.report, payload.encode("utf-8"))
    if args.format == "json":
        _stdout(json.dumps({
            "profile": profile.id,
            "mentions": [m.to_dict() for m in mentions],
            "text": result.text,
            "report": result.report(),
        }, ensure_ascii=False, indent=2) + "\n")  # fmt: skip
    elif args.format == "diff":
        _stdout(_diff(text, result, name))
    else:
        _stdout(bom + result.text)
    print(_summary(result, len(mentions)), file=sys.stderr)
    return EXIT_OK


def _diff(text: str, result: RewriteResult, name: str) -> str:
    lines = difflib.unified_diff(
        text.splitlines(keepends=True),
        result.text.splitlines(keepends=True),
        fromfile=name,
        tofile=f"{name} ({result.profile_id})",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _summary(result: RewriteResult, found: int) -> str:
    parts = [f"{found} place name(s) found", f"{len(result.changes)} changed"]
    if result.left:
        parts.append(f"{len(result.left)} left for the editor")
    summary = "; ".join(parts)
    details = [f"  line {x.line}:{x.column} {x.surface!r}: {x.reason}" for x in result.left]
    return "\n".join([summary, *details])


def run_sheet(args: argparse.Namespace) -> int:
    """Normalise a CSV column."""
    try:
        return _run_sheet(args)
    except InvalidFileError as exc:
        return _problems(exc)


def _run_sheet(args: argparse.Namespace) -> int:
    data = _read(args.file)
    if data is None:
        return EXIT_INPUT
    name = "<stdin>" if args.file == "-" else args.file
    gazetteer = open_gazetteer(args)
    profile = _profile(gazetteer, args.profile)
    if profile is None:
        return EXIT_INPUT
    sheet, report = gazetteer.normalise_sheet(
        data, name, column=args.column, profile=profile, region=args.region
    )
    if args.output == "-":
        buffer = io.StringIO(newline="")
        write_sheet(sheet, buffer)
        _stdout(buffer.getvalue())
    else:
        try:
            write_sheet_file(sheet, Path(args.output))
        except OSError as exc:
            error(f"cannot write {args.output}: {exc.strerror or exc}")
            return EXIT_INPUT
    counts: dict[str, Any] = report.counts
    shown = ", ".join(f"{counts[s]} {s}" for s in MATCH_STATUSES if counts.get(s))
    extra = (
        f" ({report.resolved_by_context} resolved by context)" if report.resolved_by_context else ""
    )
    print(f"{report.rows} row(s): {shown or 'no place names'}{extra}", file=sys.stderr)
    return EXIT_OK
