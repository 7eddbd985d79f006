"""The domain's records: places, their names, populations, sources and relations.

Frozen dataclasses, built from storage rows by the façade. Vocabularies (roles, name kinds)
live here so validation, import and the UI agree on them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: Name kinds. ``common`` is the name in general use in its language (what an encyclopedia
#: in that language calls the place); it makes no claim about who made it official.
NAME_KINDS = (
    "official",
    "common",
    "endonym",
    "exonym",
    "variant",
    "historic",
    "transliteration",
    "colloquial",
    "short",
)

#: Order used when names of the same tier compete: official and common before variants,
#: variants before historic forms.
KIND_RANK = {
    "official": 0,
    "common": 1,
    "endonym": 2,
    "exonym": 3,
    "short": 4,
    "variant": 5,
    "colloquial": 6,
    "transliteration": 7,
    "historic": 8,
}

#: Roles (feature classes) with their GeoNames feature code and an importance rank used
#: when ranking search hits: countries first, hamlets and landmarks later.
ROLES: dict[str, tuple[str, int]] = {
    "country": ("A.PCLI", 10),
    "capital": ("P.PPLC", 9),
    "region": ("A.ADM1", 8),
    "province": ("A.ADM1", 7),
    "district": ("A.ADM2", 7),
    "city": ("P.PPLA", 6),
    "town": ("P.PPL", 5),
    "village": ("P.PPL", 3),
    "hamlet": ("P.PPLL", 2),
    "populated place": ("P.PPL", 3),
    "abandoned place": ("P.PPLQ", 2),
    "river": ("H.STM", 4),
    "lake": ("H.LK", 4),
    "reservoir": ("H.RSV", 3),
    "spring": ("H.SPNG", 1),
    "mountain": ("T.MT", 3),
    "mountain range": ("T.MTS", 4),
    "pass": ("T.PASS", 2),
    "plain": ("T.PLN", 2),
    "valley": ("T.VAL", 2),
    "cave": ("S.CAVE", 2),
    "monastery": ("S.MSTY", 3),
    "cathedral": ("S.CH", 3),
    "church": ("S.CH", 2),
    "mosque": ("S.MSQE", 2),
    "fortress": ("S.FT", 2),
    "archaeological site": ("S.ANS", 2),
    "bridge": ("S.BDG", 2),
    "airport": ("S.AIRP", 3),
    "corridor": ("L.RGN", 3),
    "area": ("L.AREA", 2),
    # GeoNames ADM3–ADM5 and ADMD: communes, municipalities, village councils (issue 6).
    "administrative division": ("A.ADMD", 4),
    "other": ("", 1),
}

#: Roles that are settlements: used for labels, nearby filters and importance.
SETTLEMENT_ROLES = frozenset(
    {"capital", "city", "town", "village", "hamlet", "populated place", "abandoned place"}
)

#: The four languages the gazetteer is built around, in display order.
CORE_LANGUAGES = ("en", "az", "hy", "ru")


def importance(role: str, population: int | None) -> float:
    """Rank of a place for search ordering: its role first, then the size of its population."""
    rank = ROLES.get(role, ("", 1))[1]
    return rank * 10 + (math.log10(population + 1) if population else 0.0)


@dataclass(frozen=True)
class Name:
    """One name of a place, exactly as published, with everything known about it."""

    text: str
    lang: str
    script: str
    kind: str
    romanization: str | None = None
    valid_from: int | None = None
    valid_to: int | None = None
    used_by: str | None = None
    preferred: bool = False
    source: str | None = None
    id: int | None = None

    def valid_at(self, year: int) -> bool:
        """Whether the name's recorded period includes ``year`` (open ends count)."""
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_to is None or year <= self.valid_to
        )

    @property
    def period(self) -> str:
        """The period as people write it: ``1924–1990``, ``–1923``, ``2001–`` or ``''``."""
        if self.valid_from is None and self.valid_to is None:
            return ""
        start = "" if self.valid_from is None else str(self.valid_from)
        end = "" if self.valid_to is None else str(self.valid_to)
        return f"{start}–{end}"


@dataclass(frozen=True)
class Population:
    """A population figure with its year (None when the source gives none) and source."""

    value: int
    year: int | None = None
    source: str | None = None


@dataclass(frozen=True)
class Source:
    """A source a fact was taken from: a URL or a bibliographic citation."""

    citation: str
    url: str | None = None


@dataclass(frozen=True)
class Relation:
    """A dated link from one place to another (``part_of``, ``successor_of`` …)."""

    kind: str
    place_id: str
    target_id: str
    valid_from: int | None = None
    valid_to: int | None = None
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Place:
    """A place and all its names; the rest (populations, relations) is in ``PlaceDetails``."""

    id: str
    role: str
    lat: float | None
    lon: float | None
    parent_id: str | None
    importance: float = 0.0
    geonames_id: int | None = None
    wikidata_id: str | None = None
    note: str | None = None
    names: tuple[Name, ...] = ()

    def names_in(self, lang: str) -> list[Name]:
        """Names whose language tag is ``lang`` or starts with ``lang-``, preferred first."""
        found = [n for n in self.names if n.lang == lang or n.lang.startswith(lang + "-")]
        return sorted(
            found, key=lambda n: (not n.preferred, n.lang != lang, KIND_RANK.get(n.kind, 9))
        )

    def preferred_name(self, lang: str) -> Name | None:
        """The preferred name in ``lang`` (or the best-ranked one), None if it has none."""
        names = self.names_in(lang)
        current = [n for n in names if n.kind != "historic"] or names
        return current[0] if current else None

    @property
    def label(self) -> str:
        """A neutral label for lists: the preferred English name, else any preferred name."""
        for lang in CORE_LANGUAGES:
            name = self.preferred_name(lang)
            if name:
                return name.text
        return self.names[0].text if self.names else self.id


@dataclass(frozen=True)
class PlaceDetails:
    """Everything the gazetteer knows about one place."""

    place: Place
    populations: tuple[Population, ...] = ()
    sources: tuple[Source, ...] = ()
    relations: tuple[Relation, ...] = ()
    parent_chain: tuple[Place, ...] = ()
    children: tuple[Place, ...] = field(default_factory=tuple)

    @property
    def latest_population(self) -> Population | None:
        """The newest dated figure, else the last undated one."""
        dated = [p for p in self.populations if p.year is not None]
        if dated:
            return max(dated, key=lambda p: p.year or 0)
        return self.populations[-1] if self.populations else None
