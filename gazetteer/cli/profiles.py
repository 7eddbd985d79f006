"""``gazetteer profiles list|show|add|remove``: naming profiles (house styles)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from gazetteer.cli.common import (
    EXIT_INPUT,
    add_db_option,
    add_json_option,
    error,
    open_gazetteer,
    print_json,
)
from gazetteer.errors import NotFoundError, ValidationError
from gazetteer.facade import Gazetteer
from gazetteer.profiles import (
    DUAL_SCOPES,
    DUAL_STYLES,
    NamingProfile,
    ProfileNotFoundError,
    rendering,
)

#: Places shown as examples by ``profiles show`` when none are named.
EXAMPLE_PLACES = ("stepanakert", "shusha", "hadrut", "yerevan")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``profiles`` command and its sub-commands."""
    parser = subparsers.add_parser(
        "profiles",
        help="naming profiles: which name is shown first, dual names",
        description="A naming profile is a house style: the target language, whose usage "
        'and which kinds of name to prefer, and dual naming ("Khankendi (Stepanakert)", '
        '"Stepanakert/Khankendi") on first mention only or always. Built-in profiles cannot '
        "be changed; your own are stored in the database.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True

    listing = actions.add_parser("list", help="every profile, built-in first")
    add_db_option(listing)
    add_json_option(listing)
    listing.set_defaults(func=run_list)

    show = actions.add_parser("show", help="a profile's settings and how it writes some places")
    show.add_argument("profile", metavar="ID")
    show.add_argument(
        "--place",
        action="append",
        metavar="PLACE",
        help="a place to render as an example (repeatable; default: "
        + ", ".join(EXAMPLE_PLACES)
        + ")",
    )
    add_db_option(show)
    add_json_option(show)
    show.set_defaults(func=run_show)

    add = actions.add_parser(
        "add",
        help="store a profile of your own",
        description="Store a naming profile. Settings come from options or from a JSON "
        "object (--from-json FILE, keys: title, lang, prefer_used_by, prefer_kinds, dual, "
        "dual_scope, fallback_langs, description); options override the file. Every setting "
        "is checked and nothing is stored if one is wrong.",
    )
    add.add_argument("profile", metavar="ID", help="lower-case letters, digits and hyphens")
    add.add_argument("--from-json", metavar="FILE", type=Path, help="read settings from FILE")
    add.add_argument("--title", help="a readable name for the profile")
    add.add_argument("--lang", metavar="LANG", help="target language tag (en, az, hy, ru …)")
    add.add_argument(
        "--prefer-used-by",
        action="append",
        metavar="WHO",
        help="prefer names used by WHO (matched inside a name's used-by; "
        "repeat for several, most wanted first)",
    )
    add.add_argument(
        "--prefer-kinds",
        metavar="K,K",
        help="name kinds to choose first, in order (official,common …)",
    )
    add.add_argument(
        "--dual",
        choices=DUAL_STYLES,
        help="give a second name: none, parentheses (A (B)) or slash (A/B)",
    )
    add.add_argument(
        "--dual-scope", choices=DUAL_SCOPES, help="second name on first mention only, or always"
    )
    add.add_argument(
        "--fallback",
        metavar="LANG,LANG",
        help="languages to use when the target language has no name",
    )
    add.add_argument("--description")
    add.add_argument(
        "--replace", action="store_true", help="replace a profile of yours with this id"
    )
    add_db_option(add)
    add_json_option(add)
    add.set_defaults(func=run_add)

    remove = actions.add_parser("remove", help="delete a profile of your own")
    remove.add_argument("profile", metavar="ID")
    add_db_option(remove)
    remove.set_defaults(func=run_remove)


def _missing(exc: ProfileNotFoundError) -> int:
    error(f"no naming profile {exc.profile_id!r} (see `gazetteer profiles list`)")
    return EXIT_INPUT


def run_list(args: argparse.Namespace) -> int:
    """Print every profile."""
    profiles = open_gazetteer(args).naming_profiles()
    if args.json:
        print_json([p.to_dict() for p in profiles])
        return 0
    width = max(len(p.id) for p in profiles)
    for p in profiles:
        origin = "built-in" if p.builtin else "yours"
        dual = "" if p.dual == "none" else f", dual {p.dual} ({p.dual_scope})"
        print(f"  {p.id:<{width}}  {p.lang:<5} {origin:<8}  {p.title}{dual}")
    return 0


def _examples(
    gazetteer: Gazetteer, profile: NamingProfile, places: list[str] | None
) -> list[dict[str, Any]]:
    examples = []
    for query in places or EXAMPLE_PLACES:
        try:
            place, _ = gazetteer.find_place(query)
        except NotFoundError:
            if places:  # a place the user named must exist; the defaults may not
                raise
            continue
        first = rendering(place, profile, first_mention=True)
        later = rendering(place, profile, first_mention=False)
        examples.append(
            {
                "id": place.id,
                "first_mention": first.text,
                "later": later.text,
                "generated": first.primary.is_generated,
            }
        )
    return examples


def run_show(args: argparse.Namespace) -> int:
    """Print one profile and example renderings."""
    gazetteer = open_gazetteer(args)
    try:
        profile = gazetteer.naming_profile(args.profile)
    except ProfileNotFoundError as exc:
        return _missing(exc)
    examples = _examples(gazetteer, profile, args.place)
    if args.json:
        print_json({**profile.to_dict(), "examples": examples})
        return 0
    print(f"{profile.id}: {profile.title}  ({'built-in' if profile.builtin else 'yours'})")
    if profile.description:
        print(f"  {profile.description}")
    print(f"  language:        {profile.lang}")
    print(f"  prefer used by:  {'; '.join(profile.prefer_used_by) or '-'}")
    print(f"  prefer kinds:    {', '.join(profile.prefer_kinds) or '-'}")
    scope = "first mention only" if profile.dual_scope == "first" else "always"
    dual = profile.dual if profile.dual == "none" else f"{profile.dual} ({scope})"
    print(f"  dual names:      {dual}")
    print(f"  fallback:        {', '.join(profile.fallback_langs) or '-'}")
    print("")
    print("Examples (first mention → later mentions)")
    for ex in examples:
        mark = "  [generated romanisation]" if ex["generated"] else ""
        print(f"  {ex['id']:<14} {ex['first_mention']}  →  {ex['later']}{mark}")
    return 0


def _settings_from_args(args: argparse.Namespace) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if args.from_json is not None:
        try:
            loaded = json.loads(args.from_json.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError("from_json", f"cannot read {args.from_json}: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise ValidationError(
                "from_json", f"{args.from_json}:{exc.lineno}:{exc.colno}: not JSON ({exc.msg})"
            ) from exc
        if not isinstance(loaded, dict):
            raise ValidationError("from_json", f"{args.from_json} must hold a JSON object")
        settings.update(loaded)
    options = {
        "title": args.title,
        "lang": args.lang,
        "prefer_used_by": args.prefer_used_by,
        "prefer_kinds": args.prefer_kinds,
        "dual": args.dual,
        "dual_scope": args.dual_scope,
        "fallback_langs": args.fallback,
        "description": args.description,
    }
    settings.update({k: v for k, v in options.items() if v is not None})
    return settings


def run_add(args: argparse.Namespace) -> int:
    """Validate and store a profile."""
    gazetteer = open_gazetteer(args)
    settings = _settings_from_args(args)
    profile = gazetteer.save_naming_profile(args.profile, settings, replace=args.replace)
    if args.json:
        print_json(profile.to_dict())
    else:
        print(f"saved profile {profile.id}: {profile.title} ({profile.lang})")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    """Delete a user profile."""
    gazetteer = open_gazetteer(args)
    try:
        gazetteer.remove_naming_profile(args.profile)
    except ProfileNotFoundError as exc:
        return _missing(exc)
    print(f"removed profile {args.profile}")
    return 0
