"""Cross-reference: a place's name in another language, and its names through time.

Pure functions over a ``Place`` (the façade resolves the query through search and hands the
place here). The translator's question — *what is Shusha called in Armenian? what was
Stepanakert called in 1920?* — is answered with every attested name in the target language
that was in use then, best first, each with its kind, period, source and users; the
target language's other names follow. Where the target language has no name at all, the
answer says so and offers a BGN/PCGN romanisation, marked as generated.
"""

from __future__ import annotations

from dataclasses import dataclass

from gazetteer.model import CORE_LANGUAGES, KIND_RANK, Name, Place
from gazetteer.profiles import (
    Generated,
    NamingProfile,
    generated_romanization,
    in_use,
    names_for_target,
    rank_names,
    rendering,
)


@dataclass(frozen=True)
class Equivalent:
    """One answer: an attested name, or (``generated``) a form computed from one."""

    text: str
    lang: str
    script: str
    kind: str
    valid_from: int | None = None
    valid_to: int | None = None
    used_by: str | None = None
    source: str | None = None
    preferred: bool = False
    #: In use at the year asked (or now).
    in_use: bool = True
    generated: bool = False
    #: For a generated form: the romanisation system, and the stored name it came from.
    method: str | None = None
    from_text: str | None = None
    from_lang: str | None = None

    @property
    def period(self) -> str:
        """``1923–``, ``–1923``, ``1924–1990`` or ``''`` (see ``Name.period``)."""
        return Name("x", "und", "Zyyy", self.kind, valid_from=self.valid_from,
                    valid_to=self.valid_to).period  # fmt: skip

    @classmethod
    def of(cls, name: Name, in_use: bool) -> Equivalent:
        """The equivalent for a stored name."""
        return cls(
            text=name.text, lang=name.lang, script=name.script, kind=name.kind,
            valid_from=name.valid_from, valid_to=name.valid_to, used_by=name.used_by,
            source=name.source, preferred=name.preferred, in_use=in_use,
        )  # fmt: skip

    @classmethod
    def of_generated(cls, generated: Generated) -> Equivalent:
        """The equivalent for a generated romanisation (kind ``transliteration``)."""
        return cls(
            text=generated.text, lang=f"{generated.from_name.lang.split('-')[0]}-Latn",
            script="Latn", kind="transliteration", in_use=False, generated=True,
            method=generated.method, from_text=generated.from_name.text,
            from_lang=generated.from_name.lang,
        )  # fmt: skip


@dataclass(frozen=True)
class Match:
    """How a query found its place: the stored name it matched and at which tier."""

    text: str
    lang: str
    kind: str
    tier: str
    score: float | None = None


@dataclass(frozen=True)
class CrossReference:
    """The answer to "what is PLACE called in LANG (at YEAR)?"."""

    place: Place
    target: str
    year: int | None
    #: Attested names in the target language in use at the year (or now), best first.
    equivalents: tuple[Equivalent, ...]
    #: The target language's other attested names (historic, or outside the period).
    other_names: tuple[Equivalent, ...] = ()
    #: Offered only when no attested name is in use: a romanisation, never stored.
    generated: Equivalent | None = None
    match: Match | None = None
    #: The place as written under the profile asked for, if any.
    rendered: str | None = None
    profile_id: str | None = None

    @property
    def best(self) -> Equivalent | None:
        """The first answer: the best attested name, else the generated form."""
        return self.equivalents[0] if self.equivalents else self.generated

    @property
    def no_name_in_target(self) -> bool:
        """True when the place has no attested name in the target language at all."""
        return not self.equivalents and not self.other_names


def cross_reference(
    place: Place,
    target: str,
    *,
    year: int | None = None,
    profile: NamingProfile | None = None,
    match: Match | None = None,
) -> CrossReference:
    """The names of ``place`` in ``target`` (a language tag) in use at ``year`` (None: now).

    Order: at a year, names whose recorded period covers it first; then the profile's
    preferences (its wanted users and kinds), then preferred › official › common › variant.
    """
    names = names_for_target(place, target)
    current = rank_names([n for n in names if in_use(n, year)], profile, target, year)
    others = rank_names([n for n in names if not in_use(n, year)], profile, target, year)
    generated = None
    if not current:
        found = generated_romanization(place)
        generated = Equivalent.of_generated(found) if found else None
    rendered = None
    if profile is not None:
        rendered = rendering(place, profile, first_mention=True, year=year).text
    return CrossReference(
        place=place, target=target, year=year,
        equivalents=tuple(Equivalent.of(n, True) for n in current),
        other_names=tuple(Equivalent.of(n, False) for n in others),
        generated=generated, match=match, rendered=rendered,
        profile_id=profile.id if profile else None,
    )  # fmt: skip


# -- name history ---------------------------------------------------------------------------


def _language_order(lang: str) -> tuple[int, str]:
    base = lang.split("-")[0]
    return (CORE_LANGUAGES.index(base) if base in CORE_LANGUAGES else len(CORE_LANGUAGES), lang)


def _in_language(name: Name, lang: str | None) -> bool:
    return lang is None or name.lang == lang or name.lang.startswith(lang + "-")


@dataclass(frozen=True)
class NameHistory:
    """A place's names through time: dated ones in order, then those with no dates."""

    place: Place
    lang: str | None
    #: Names with a recorded start or end, in chronological order.
    dated: tuple[Name, ...]
    #: Names without dates, by language (en, az, hy, ru first), preferred first.
    undated: tuple[Name, ...]


def name_history(place: Place, lang: str | None = None) -> NameHistory:
    """The timeline of a place's names (all languages, or ``lang`` and its subtags)."""
    names = [n for n in place.names if _in_language(n, lang)]
    dated = sorted(
        (n for n in names if n.valid_from is not None or n.valid_to is not None),
        key=lambda n: (
            n.valid_from if n.valid_from is not None else -(10**6),
            n.valid_to if n.valid_to is not None else 10**6,
            _language_order(n.lang), KIND_RANK.get(n.kind, 9), n.text,
        ),
    )  # fmt: skip
    undated = sorted(
        (n for n in names if n.valid_from is None and n.valid_to is None),
        key=lambda n: (_language_order(n.lang), not n.preferred, KIND_RANK.get(n.kind, 9), n.text),
    )
    return NameHistory(place, lang, tuple(dated), tuple(undated))


def names_at(place: Place, year: int, lang: str | None = None) -> dict[str, list[Name]]:
    """The names in use at ``year``, by language tag, best first (see ``cross_reference``).

    Undated ``historic`` names are left out: they are known to be old, not known to be in use
    in any particular year.
    """
    grouped: dict[str, list[Name]] = {}
    for name in place.names:
        if _in_language(name, lang) and in_use(name, year):
            grouped.setdefault(name.lang, []).append(name)
    return {
        tag: rank_names(grouped[tag], None, tag, year)
        for tag in sorted(grouped, key=_language_order)
    }
