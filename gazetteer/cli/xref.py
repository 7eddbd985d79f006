"""``gazetteer xref NAME --to LANG``: a place's name in another language, then or now."""

from __future__ import annotations

import argparse
from typing import Any

from gazetteer.cli.common import (
    EXIT_INPUT,
    add_db_option,
    add_json_option,
    error,
    open_gazetteer,
    print_json,
)
from gazetteer.profiles import ProfileNotFoundError
from gazetteer.xref import CrossReference, Equivalent


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``xref`` command."""
    parser = subparsers.add_parser(
        "xref",
        help="a place's name(s) in another language, preferred first",
        description="Find the place NAME stands for (any language or spelling) and list its "
        "names in the target language that are in use now (or at --at YEAR), best first, with "
        "kind, period, users and source; then the language's other names. Where the language "
        "has no name for the place, say so and offer a BGN/PCGN romanisation, marked as "
        "generated (it is computed, not attested). --profile orders the answers by a naming "
        "profile and shows how the profile writes the place.",
    )
    parser.add_argument(
        "name", metavar="NAME", help="a name of the place (any language), or its id"
    )
    parser.add_argument(
        "--to",
        metavar="LANG",
        dest="lang",
        help="target language tag: en, az, hy, ru, hy-Latn … (default: the profile's language)",
    )
    parser.add_argument(
        "--at",
        metavar="YEAR",
        type=int,
        dest="year",
        help="the names in use in YEAR (default: now)",
    )
    parser.add_argument(
        "--profile", metavar="P", help="naming profile (see `gazetteer profiles list`)"
    )
    add_db_option(parser)
    add_json_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the cross-reference."""
    if not args.lang and not args.profile:
        error("give a target language with --to LANG (or a --profile)")
        return EXIT_INPUT
    gazetteer = open_gazetteer(args)
    try:
        profile = gazetteer.naming_profile(args.profile) if args.profile else None
    except ProfileNotFoundError as exc:
        error(f"no naming profile {exc.profile_id!r} (see `gazetteer profiles list`)")
        return EXIT_INPUT
    target = args.lang or (profile.lang if profile else "en")
    xref = gazetteer.cross_reference(args.name, target, year=args.year, profile=profile)
    if args.json:
        print_json(to_dict(xref))
    else:
        print(render_text(xref))
    return 0


def equivalent_to_dict(item: Equivalent) -> dict[str, Any]:
    """One answer as JSON: every field that has a value."""
    data: dict[str, Any] = {
        "text": item.text,
        "lang": item.lang,
        "script": item.script,
        "kind": item.kind,
    }
    for key in ("valid_from", "valid_to", "used_by", "source"):
        value = getattr(item, key)
        if value is not None:
            data[key] = value
    if item.preferred:
        data["preferred"] = True
    if item.generated:
        data.update(
            generated=True,
            method=item.method,
            from_name={"text": item.from_text, "lang": item.from_lang},
        )
    return data


def to_dict(xref: CrossReference) -> dict[str, Any]:
    """The whole answer as JSON."""
    place = xref.place
    data: dict[str, Any] = {
        "query_matched": None
        if xref.match is None
        else {
            "name": xref.match.text,
            "lang": xref.match.lang,
            "kind": xref.match.kind,
            "tier": xref.match.tier,
            "score": xref.match.score,
        },
        "place": {
            "id": place.id,
            "name": place.label,
            "role": place.role,
            "parent": place.parent_id,
        },
        "target": xref.target,
        "year": xref.year,
        "equivalents": [equivalent_to_dict(e) for e in xref.equivalents],
        "other_names": [equivalent_to_dict(e) for e in xref.other_names],
        "no_name_in_target": xref.no_name_in_target,
        "generated": None if xref.generated is None else equivalent_to_dict(xref.generated),
    }
    if xref.profile_id is not None:
        data["profile"] = xref.profile_id
        data["rendered"] = xref.rendered
    return data


def _facts(item: Equivalent) -> str:
    facts = [item.kind]
    if item.preferred:
        facts.append("preferred")
    if item.period:
        facts.append(item.period)
    if item.used_by:
        facts.append(f"used by {item.used_by}")
    if item.source:
        facts.append(f"source: {item.source}")
    return ", ".join(facts)


def render_text(xref: CrossReference) -> str:
    """The readable form of ``xref``."""
    place = xref.place
    when = f"in {xref.year}" if xref.year is not None else "now"
    head = f"{place.label}  [{place.id}]  {place.role}"
    match = xref.match
    if match is not None and (match.text != place.label or match.tier != "exact"):
        how = "" if match.tier == "exact" else f", {match.tier} match"
        head += f"  (matched {match.text!r}, {match.lang} {match.kind}{how})"
    lines = [head]
    if xref.rendered is not None:
        lines.append(f"  as written under profile {xref.profile_id}: {xref.rendered}")
    lines.append("")
    width = max((len(e.text) for e in (*xref.equivalents, *xref.other_names)), default=0)
    if xref.equivalents:
        lines.append(f"In {xref.target}, {when}:")
        lines.extend(f"  {e.text:<{width}}  {_facts(e)}" for e in xref.equivalents)
    elif xref.no_name_in_target:
        lines.append(f"No name in {xref.target} is recorded for this place.")
    else:
        lines.append(f"No name in {xref.target} is recorded as in use {when}.")
    if xref.other_names:
        lines.append("")
        lines.append(f"Other names in {xref.target} (not in use {when}):")
        lines.extend(f"  {e.text:<{width}}  {_facts(e)}" for e in xref.other_names)
    if xref.generated is not None:
        g = xref.generated
        lines.append("")
        lines.append(
            f"Generated, not attested: {g.text}  ({g.method} romanisation of "
            f"{g.from_text} [{g.from_lang}]; computed here, found in no source)"
        )
    return "\n".join(lines)
