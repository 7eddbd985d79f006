"""``gazetteer history PLACE`` (names and belonging through time) and
``gazetteer hierarchy PLACE`` (what it is part of and what it contains, then and now)."""

from __future__ import annotations

import argparse
from typing import Any

from gazetteer.cli.common import add_db_option, add_json_option, open_gazetteer, print_json
from gazetteer.hierarchy import CURRENT_PARENT, Hierarchy, Link
from gazetteer.model import Name, Place
from gazetteer.serialize import name_to_dict
from gazetteer.xref import NameHistory


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``history`` and ``hierarchy`` commands."""
    history = subparsers.add_parser(
        "history",
        help="a place's names through time, and what it was part of",
        description="The timeline of a place's names (dated names in order, then names with "
        "no recorded dates) and its dated part-of relations. With --at YEAR: the names in use "
        "and what the place was part of in that year.",
    )
    history.add_argument(
        "place", metavar="PLACE", help="a name of the place (any language) or its id"
    )
    history.add_argument(
        "--at", metavar="YEAR", type=int, dest="year", help="only what held in YEAR"
    )
    history.add_argument("--lang", metavar="LANG", help="only names in this language")
    add_db_option(history)
    add_json_option(history)
    history.set_defaults(func=run_history)

    hierarchy = subparsers.add_parser(
        "hierarchy",
        help="what a place is (and was) part of, and what it contains",
        description="The current parent chain, every dated part-of relation with its source "
        "(a place can be in two administrations' divisions at once: both are listed), and "
        "the places it contains. With --at YEAR: only what held in that year.",
    )
    hierarchy.add_argument("place", metavar="PLACE", help="a name of the place or its id")
    hierarchy.add_argument(
        "--at", metavar="YEAR", type=int, dest="year", help="only what held in YEAR"
    )
    add_db_option(hierarchy)
    add_json_option(hierarchy)
    hierarchy.set_defaults(func=run_hierarchy)


# -- shared formatting ----------------------------------------------------------------------


def _name_facts(name: Name) -> str:
    facts = [name.kind]
    if name.preferred:
        facts.append("preferred")
    if name.used_by:
        facts.append(f"used by {name.used_by}")
    if name.source:
        facts.append(f"source: {name.source}")
    return ", ".join(facts)


def _path(place: Place, chain: tuple[Place, ...]) -> str:
    return " › ".join(f"{p.label}" for p in (place, *chain)) + f"  [{place.id}]"


def _link_line(link: Link, period_width: int) -> str:
    period = link.period or ("now" if link.kind == CURRENT_PARENT else "undated")
    text = f"  {period:<{period_width}}  {_path(link.other, link.chain)}"
    if link.kind == CURRENT_PARENT:
        text += "  (current parent; no dates recorded)"
    elif link.kind != "part_of":
        text += f"  ({link.kind})"
    if link.note:
        text += f"\n  {'':<{period_width}}    {link.note}"
    if link.source:
        text += f"\n  {'':<{period_width}}    source: {link.source}"
    return text


def _link_dict(link: Link) -> dict[str, Any]:
    return {
        "id": link.other.id,
        "name": link.other.label,
        "role": link.other.role,
        "kind": link.kind,
        "valid_from": link.valid_from,
        "valid_to": link.valid_to,
        "source": link.source,
        "note": link.note,
        "chain": [{"id": p.id, "name": p.label} for p in link.chain],
    }


def hierarchy_lines(tree: Hierarchy) -> list[str]:
    """The "Part of" and "Contains" sections (shared by ``history`` and ``hierarchy``)."""
    lines: list[str] = []
    when = f" in {tree.year}" if tree.year is not None else ""
    width = max((len(ln.period) for ln in (*tree.part_of, *tree.contains)), default=0)
    width = max(width, 8)
    lines.append(f"Part of{when}")
    if tree.part_of:
        lines.extend(_link_line(ln, width) for ln in tree.part_of)
    else:
        lines.append("  (nothing recorded)")
    if tree.other_relations:
        lines.append("")
        lines.append(f"Other relations{when}")
        lines.extend(_link_line(ln, width) for ln in tree.other_relations)
    if tree.contains:
        lines.append("")
        lines.append(f"Contains{when} ({len(tree.contains)})")
        for ln in tree.contains:
            period = ln.period or "no dates"
            lines.append(f"  {period:<{width}}  {ln.other.label}  [{ln.other.id}]  {ln.other.role}")
    return lines


# -- history --------------------------------------------------------------------------------


def run_history(args: argparse.Namespace) -> int:
    """Print a place's names through time (or at a year) and what it was part of."""
    gazetteer = open_gazetteer(args)
    place, _ = gazetteer.find_place(args.place)
    tree = gazetteer.hierarchy(place.id, args.year)
    if args.year is not None:
        at = gazetteer.names_at(place.id, args.year, args.lang)
        if args.json:
            print_json(
                {
                    "place": {"id": place.id, "name": place.label, "role": place.role},
                    "year": args.year,
                    "names": {lang: [name_to_dict(n) for n in names] for lang, names in at.items()},
                    "part_of": [_link_dict(ln) for ln in tree.part_of],
                }
            )
            return 0
        lines = [f"{place.label}  [{place.id}]  {place.role}", "", f"Names in use in {args.year}"]
        if not at:
            lines.append("  (none recorded)")
        width = max((len(n.text) for names in at.values() for n in names), default=0)
        for lang, names in at.items():
            for i, name in enumerate(names):
                label = lang if i == 0 else ""
                period = f", {name.period}" if name.period else ""
                lines.append(f"  {label:<8} {name.text:<{width}}  {_name_facts(name)}{period}")
        lines.append("")
        lines.extend(hierarchy_lines(tree))
        print("\n".join(lines))
        return 0
    timeline = gazetteer.name_history(place.id, args.lang)
    if args.json:
        print_json(
            {
                "place": {"id": place.id, "name": place.label, "role": place.role},
                "dated": [name_to_dict(n) for n in timeline.dated],
                "undated": [name_to_dict(n) for n in timeline.undated],
                "part_of": [_link_dict(ln) for ln in tree.part_of],
            }
        )
        return 0
    print("\n".join(history_lines(timeline, tree)))
    return 0


def history_lines(timeline: NameHistory, tree: Hierarchy) -> list[str]:
    """The readable timeline: dated names, undated names, then the hierarchy."""
    place = timeline.place
    lines = [f"{place.label}  [{place.id}]  {place.role}", "", "Names through time"]
    names = (*timeline.dated, *timeline.undated)
    width = max((len(n.text) for n in names), default=0)
    period_width = max((len(n.period) for n in timeline.dated), default=0)
    period_width = max(period_width, 8)
    if not timeline.dated:
        lines.append("  (no name has recorded dates)")
    for name in timeline.dated:
        lines.append(
            f"  {name.period:<{period_width}}  {name.lang:<7} {name.text:<{width}}  "
            f"{_name_facts(name)}"
        )
    if timeline.undated:
        lines.append(f"  {'no dates':<{period_width}}")
        for name in timeline.undated:
            lines.append(
                f"  {'':<{period_width}}  {name.lang:<7} {name.text:<{width}}  {_name_facts(name)}"
            )
    lines.append("")
    lines.extend(hierarchy_lines(tree))
    return lines


# -- hierarchy ------------------------------------------------------------------------------


def run_hierarchy(args: argparse.Namespace) -> int:
    """Print what a place is and was part of, and what it contains."""
    gazetteer = open_gazetteer(args)
    place, _ = gazetteer.find_place(args.place)
    tree = gazetteer.hierarchy(place.id, args.year)
    if args.json:
        print_json(
            {
                "place": {"id": place.id, "name": place.label, "role": place.role},
                "year": args.year,
                "parent_chain": [
                    {"id": p.id, "name": p.label, "role": p.role} for p in tree.parent_chain
                ],
                "part_of": [_link_dict(ln) for ln in tree.part_of],
                "other_relations": [_link_dict(ln) for ln in tree.other_relations],
                "contains": [_link_dict(ln) for ln in tree.contains],
            }
        )
        return 0
    lines = [f"{place.label}  [{place.id}]  {place.role}"]
    if tree.parent_chain:
        lines.append("  now in: " + " › ".join(p.label for p in tree.parent_chain))
    lines.append("")
    lines.extend(hierarchy_lines(tree))
    print("\n".join(lines))
    return 0
