"""Naming profiles: the house-style setting that decides which name of a place is shown.

A profile names a target language, which kinds of name and whose usage to prefer, whether to
give a second name ("Khankendi (Stepanakert)", "Stepanakert/Khankendi") and whether only on
first mention. The gazetteer itself takes no side: the built-in profiles below cover the
usual house styles, and users add their own (stored in the database, validated here).

:func:`render` is the entry point the app and the text normaliser call. Choosing among a
place's names — which are in the target language, which are in use at a year, how a
profile ranks them — also lives here, so the cross-reference and the renderer always agree.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gazetteer import validate
from gazetteer.errors import GazetteerError, ValidationError
from gazetteer.languages import parse_language_tag
from gazetteer.model import KIND_RANK, NAME_KINDS, Name, Place

#: How a second name is joined to the first.
DUAL_STYLES = ("none", "parentheses", "slash")
#: When the second name is given: on a place's first mention in a text, or every time.
DUAL_SCOPES = ("first", "always")
#: Profile ids: lower-case slugs, so they are safe on a command line and in a file name.
_PROFILE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_MAX_TEXT = 200
_MAX_LIST = 12
_SETTING_KEYS = frozenset(
    {"title", "lang", "prefer_used_by", "prefer_kinds", "dual", "dual_scope",
     "fallback_langs", "description"}
)  # fmt: skip


class ProfileNotFoundError(GazetteerError):
    """No built-in or stored naming profile has this id."""

    def __init__(self, profile_id: str) -> None:
        self.profile_id = profile_id
        super().__init__(profile_id)


@dataclass(frozen=True)
class NamingProfile:
    """A house style for naming places. Build user profiles with :func:`profile_from_dict`."""

    id: str
    title: str
    lang: str
    #: Substrings of a name's ``used_by`` (case-insensitive), most wanted first: a name used
    #: by one of these authorities or communities is chosen over the language's preferred one.
    prefer_used_by: tuple[str, ...] = ()
    #: Name kinds chosen first, in this order (then the usual official › common › … order).
    prefer_kinds: tuple[str, ...] = ()
    dual: str = "none"
    dual_scope: str = "first"
    #: Languages whose names stand in when the target language has none (before a
    #: generated romanisation).
    fallback_langs: tuple[str, ...] = ()
    description: str = ""
    builtin: bool = False

    def settings(self) -> dict[str, Any]:
        """The profile's settings as a JSON-ready dict (everything but ``id``/``builtin``)."""
        return {
            "title": self.title,
            "lang": self.lang,
            "prefer_used_by": list(self.prefer_used_by),
            "prefer_kinds": list(self.prefer_kinds),
            "dual": self.dual,
            "dual_scope": self.dual_scope,
            "fallback_langs": list(self.fallback_langs),
            "description": self.description,
        }

    def to_dict(self) -> dict[str, Any]:
        """The whole profile as a JSON-ready dict."""
        return {"id": self.id, **self.settings(), "builtin": self.builtin}


_AZ_GOV = "Government of Azerbaijan"
_ARMENIAN_USERS = ("Government of Armenia", "Republic of Artsakh", "Armenian")

#: Shipped house styles. Their ids are reserved: a user profile cannot replace them.
BUILTIN_PROFILES: tuple[NamingProfile, ...] = (
    NamingProfile(
        id="neutral-en", title="Neutral English, dual names", lang="en", dual="slash",
        dual_scope="always",
        description="The usual English name; where the data records that another name is "
        "used by an authority or community, both, joined by a slash (Stepanakert/Khankendi).",
        builtin=True,
    ),
    NamingProfile(
        id="az-official-en", title="Azerbaijani official usage, in English", lang="en",
        prefer_used_by=(_AZ_GOV,), prefer_kinds=("official",), dual="parentheses",
        dual_scope="first",
        description="English names as the Government of Azerbaijan uses them; the other "
        "current name in parentheses on first mention (Khankendi (Stepanakert)).",
        builtin=True,
    ),
    NamingProfile(
        id="hy-usage-en", title="Armenian usage, in English", lang="en",
        prefer_used_by=_ARMENIAN_USERS, dual="parentheses", dual_scope="first",
        description="English names as Armenian authorities and Armenians use them; the other "
        "current name in parentheses on first mention (Shushi (Shusha)).",
        builtin=True,
    ),
    NamingProfile(
        id="az-official", title="Azerbaijani official usage", lang="az",
        prefer_used_by=(_AZ_GOV,), prefer_kinds=("official",),
        description="Azerbaijani names as the Government of Azerbaijan uses them.",
        builtin=True,
    ),
    NamingProfile(
        id="hy-usage", title="Armenian usage", lang="hy", prefer_used_by=_ARMENIAN_USERS,
        fallback_langs=("en",),
        description="Armenian names as Armenian authorities and Armenians use them.",
        builtin=True,
    ),
    NamingProfile(id="en", title="English names", lang="en", builtin=True,
                  description="Each place's preferred English name."),
    NamingProfile(id="az", title="Azerbaijani names", lang="az", builtin=True,
                  description="Each place's preferred Azerbaijani name."),
    NamingProfile(id="hy", title="Armenian names", lang="hy", fallback_langs=("en",),
                  builtin=True, description="Each place's preferred Armenian name."),
    NamingProfile(id="ru", title="Russian names", lang="ru", fallback_langs=("en",),
                  builtin=True, description="Each place's preferred Russian name."),
)  # fmt: skip

BUILTIN_BY_ID: dict[str, NamingProfile] = {p.id: p for p in BUILTIN_PROFILES}
#: The profile used when none is chosen.
DEFAULT_PROFILE_ID = "neutral-en"


# -- validation -----------------------------------------------------------------------------


def _text(value: Any, field_name: str, *, required: bool) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ValidationError(field_name, "must be a non-empty text", value)
    # The same character check as every other free text (control characters, bidi
    # overrides ... refused with their position; NFC; invisible ends trimmed).
    text = validate.optional_text(value, field_name) or ""
    if required and not text:
        raise ValidationError(field_name, "must be a non-empty text", value)
    if len(text) > _MAX_TEXT:
        raise ValidationError(field_name, f"is longer than {_MAX_TEXT} characters", value)
    return text


def _text_list(value: Any, field_name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):  # a comma-separated list, as typed on a command line
        value = [part for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)):
        raise ValidationError(field_name, "must be a list of texts", value)
    items = [_text(item, field_name, required=True) for item in value]
    if len(items) > _MAX_LIST:
        raise ValidationError(field_name, f"has more than {_MAX_LIST} entries", value)
    return list(dict.fromkeys(items))


def _language(value: Any, field_name: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(field_name, "must be a language tag such as en, az, hy, ru", value)
    try:
        return str(parse_language_tag(value))
    except ValueError as error:
        raise ValidationError(field_name, str(error), value) from error


def _choice(value: Any, field_name: str, choices: Sequence[str], default: str) -> str:
    if value is None:
        return default
    if value not in choices:
        raise ValidationError(field_name, f"must be one of {', '.join(choices)}", value)
    return str(value)


def check_profile_id(value: Any) -> str:
    """A valid profile id (lower-case letters, digits and hyphens, up to 40), else an error."""
    if not isinstance(value, str) or not _PROFILE_ID.match(value):
        raise ValidationError(
            "id", "must be 1–40 lower-case letters, digits or hyphens, starting with a letter "
            "or digit", value,
        )  # fmt: skip
    return value


def profile_from_dict(profile_id: str, settings: Mapping[str, Any]) -> NamingProfile:
    """Check a user profile's settings and build it; ``ValidationError`` names the field.

    Unknown settings are refused (a misspelt ``dual_scope`` must not pass silently).
    """
    pid = check_profile_id(profile_id)
    if not isinstance(settings, Mapping):
        raise ValidationError("settings", "must be a mapping of setting names to values")
    unknown = sorted(set(settings) - _SETTING_KEYS - {"id", "builtin"})
    if unknown:
        raise ValidationError(
            unknown[0], f"unknown setting (known: {', '.join(sorted(_SETTING_KEYS))})"
        )
    lang = _language(settings.get("lang"), "lang")
    kinds = _text_list(settings.get("prefer_kinds"), "prefer_kinds")
    for kind in kinds:
        if kind not in NAME_KINDS:
            raise ValidationError("prefer_kinds", f"unknown kind {kind!r} "
                                  f"(known: {', '.join(NAME_KINDS)})", kind)  # fmt: skip
    fallbacks = [_language(tag, "fallback_langs") for tag in _text_list(
        settings.get("fallback_langs"), "fallback_langs")]  # fmt: skip
    if lang in fallbacks:
        raise ValidationError("fallback_langs", "must not repeat the target language", lang)
    return NamingProfile(
        id=pid,
        title=_text(settings.get("title") or pid, "title", required=True),
        lang=lang,
        prefer_used_by=tuple(_text_list(settings.get("prefer_used_by"), "prefer_used_by")),
        prefer_kinds=tuple(kinds),
        dual=_choice(settings.get("dual"), "dual", DUAL_STYLES, "none"),
        dual_scope=_choice(settings.get("dual_scope"), "dual_scope", DUAL_SCOPES, "first"),
        fallback_langs=tuple(dict.fromkeys(fallbacks)),
        description=_text(settings.get("description"), "description", required=False),
    )


# -- which names are candidates -------------------------------------------------------------


def this_year() -> int:
    """The current calendar year: "in use now" means valid in this year."""
    return _dt.date.today().year


def is_dated(name: Name) -> bool:
    """Whether the name has a recorded start or end year."""
    return name.valid_from is not None or name.valid_to is not None


def in_use(name: Name, year: int | None = None) -> bool:
    """Whether a name is in use at ``year`` (None: now).

    A name is in use when its recorded period includes the year. An undated ``historic``
    name says it is *no longer* used but not when it was, so it counts as in use only for
    no year at all — never now, never at a given year.
    """
    when = this_year() if year is None else year
    if not name.valid_at(when):
        return False
    return name.kind != "historic" or is_dated(name)


def names_for_target(place: Place, lang: str) -> list[Name]:
    """The place's names in a target language, in the script that language is written in.

    ``hy`` gives Armenian-script names (``hy`` and e.g. ``hy-arevmda``), not ``hy-Latn``
    transliterations; ask for ``hy-Latn`` to get those. A region subtag (``en-GB``) is
    matched as its own language first, then the plain language.
    """
    try:
        tag = parse_language_tag(lang)
    except ValueError as error:
        raise ValidationError("lang", str(error), lang) from error
    wanted_script = tag.expected_script
    found: list[Name] = []
    for name in place.names:
        try:
            name_tag = parse_language_tag(name.lang)
        except ValueError:
            continue  # stored tags are validated on the way in; skip anything odd
        if name_tag.language != tag.language:
            continue
        if wanted_script is not None and name.script != wanted_script:
            continue
        if tag.script is None and name_tag.script is not None and name_tag.script != wanted_script:
            continue
        found.append(name)
    return found


def _used_by_rank(name: Name, prefer_used_by: Sequence[str]) -> int:
    users = (name.used_by or "").casefold()
    for rank, wanted in enumerate(prefer_used_by):
        if users and wanted.casefold() in users:
            return rank
    return len(prefer_used_by)


def rank_key(
    name: Name, profile: NamingProfile | None, target: str, year: int | None = None
) -> tuple[Any, ...]:
    """Sort key for choosing among names of one language: lower comes first.

    At a given year, names whose recorded period covers it come first (they are positive
    evidence); then the profile's wanted users and kinds; then preferred › official ›
    common › … › historic.
    """
    evidence = 0 if (year is not None and is_dated(name)) else 1
    users = _used_by_rank(name, profile.prefer_used_by) if profile else 0
    kinds = profile.prefer_kinds if profile else ()
    kind_pref = kinds.index(name.kind) if name.kind in kinds else len(kinds)
    return (evidence, users, kind_pref, not name.preferred, KIND_RANK.get(name.kind, 9),
            name.lang != target, name.text)  # fmt: skip


def rank_names(
    names: Iterable[Name], profile: NamingProfile | None, target: str, year: int | None = None
) -> list[Name]:
    """``names`` in the order a profile (or, without one, the data's preferences) wants."""
    return sorted(names, key=lambda n: rank_key(n, profile, target, year))


# -- generated romanisations ----------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    """A form computed from a stored name (a romanisation): never stored, never attested."""

    text: str
    method: str
    from_name: Name


#: Languages whose names are romanised (in this order) when a place has no attested name in
#: the target language. Latin-script names need no romanisation and are not listed.
ROMANIZE_FROM = ("hy", "ru", "az-Cyrl")


def generated_romanization(place: Place) -> Generated | None:
    """The BGN/PCGN romanisation of the place's name in the first language we have a table
    for (Armenian, Russian, Azerbaijani Cyrillic), or None when it has no such name."""
    from gazetteer import romanize  # imported here: only this path needs the tables

    for lang in ROMANIZE_FROM:
        candidates = [n for n in names_for_target(place, lang) if in_use(n)]
        if not candidates:
            continue
        source = rank_names(candidates, None, lang)[0]
        try:
            text = romanize.romanize(source.text, source.lang, romanize.BGN)
        except romanize.RomanizationError:
            continue  # a letter with no table (e.g. a Georgian word inside): try the next
        if text:
            return Generated(text=text, method=romanize.BGN, from_name=source)
    return None


# -- rendering ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameChoice:
    """One name chosen for display: an attested ``Name``, or a generated form."""

    text: str
    lang: str
    name: Name | None = None
    generated: Generated | None = None

    @property
    def is_generated(self) -> bool:
        """True when the text was computed, not found in a source."""
        return self.generated is not None


@dataclass(frozen=True)
class Rendering:
    """How a place is written under a profile, and which names that came from."""

    text: str
    primary: NameChoice
    secondary: NameChoice | None = None
    profile_id: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


def _choice_of(name: Name) -> NameChoice:
    return NameChoice(text=name.text, lang=name.lang, name=name)


def choose_primary(place: Place, profile: NamingProfile, year: int | None = None) -> NameChoice:
    """The name a profile puts first: the best in-use name in its language, else one in a
    fallback language, else a generated romanisation, else the place's neutral label."""
    candidates = [n for n in names_for_target(place, profile.lang) if in_use(n, year)]
    if candidates:
        return _choice_of(rank_names(candidates, profile, profile.lang, year)[0])
    for lang in profile.fallback_langs:
        fallback = [n for n in names_for_target(place, lang) if in_use(n, year)]
        if fallback:
            return _choice_of(rank_names(fallback, profile, lang, year)[0])
    generated = generated_romanization(place)
    if generated is not None:
        return NameChoice(text=generated.text, lang=f"{generated.from_name.lang}-Latn",
                          generated=generated)  # fmt: skip
    return NameChoice(text=place.label, lang="und")


def choose_secondary(
    place: Place, profile: NamingProfile, primary: NameChoice, year: int | None = None
) -> NameChoice | None:
    """The second name of a dual form, or None when the place has none to give.

    A second name is given only where the data records who uses a name: one of the two must
    have a ``used_by`` and they must differ. So Stepanakert gets Khankendi (used by the
    Government of Azerbaijan), while Yerevan's spelling variant Erevan never becomes a
    "dual name".
    """
    if primary.name is None:
        return None
    first = primary.name
    candidates = [
        n for n in names_for_target(place, first.lang)
        if in_use(n, year)
        and n.text.casefold() != first.text.casefold()
        and (n.used_by or first.used_by)
        and (n.used_by or "").casefold() != (first.used_by or "").casefold()
    ]  # fmt: skip
    if not candidates:
        return None
    best = sorted(candidates, key=lambda n: (not n.preferred, KIND_RANK.get(n.kind, 9),
                                             n.used_by is None, n.text))[0]  # fmt: skip
    return _choice_of(best)


def rendering(
    place: Place, profile: NamingProfile, *, first_mention: bool = True, year: int | None = None
) -> Rendering:
    """How ``place`` is written under ``profile``, with the names it was built from."""
    primary = choose_primary(place, profile, year)
    secondary = None
    if profile.dual != "none" and (first_mention or profile.dual_scope == "always"):
        secondary = choose_secondary(place, profile, primary, year)
    if secondary is None:
        text = primary.text
    elif profile.dual == "slash":
        text = f"{primary.text}/{secondary.text}"
    else:
        text = f"{primary.text} ({secondary.text})"
    notes = ("generated",) if primary.is_generated else ()
    return Rendering(text, primary, secondary, profile.id, notes)


def render(place: Place, profile: NamingProfile, *, first_mention: bool = True) -> str:
    """The text to write for ``place`` under ``profile`` (``first_mention`` for dual names)."""
    return rendering(place, profile, first_mention=first_mention).text
