"""Hierarchy: what a place is part of and what it contains, then and now.

A place has one *current* parent (``place.parent_id``, undated) and any number of dated
``part_of`` relations, each with its own source. Both are needed in this region: Shusha is
in Shusha District of Azerbaijan and, from 1991 to 2023, was in the Republic of Artsakh's
Shushi Province; the data says both, with dates, and this module reports both without
choosing. Pure functions: the façade loads the records and hands them here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from gazetteer.model import Place, Relation

#: The relation kind that places one place inside another.
PART_OF = "part_of"
#: Kind used for the undated current-parent link (``place.parent_id``).
CURRENT_PARENT = "parent"


@dataclass(frozen=True)
class Link:
    """One containment link, seen from the place asked about."""

    other: Place
    kind: str
    valid_from: int | None = None
    valid_to: int | None = None
    source: str | None = None
    note: str | None = None
    #: The other place's own current parents, nearest first ("Shushi Province › Artsakh").
    chain: tuple[Place, ...] = ()

    @property
    def dated(self) -> bool:
        """Whether the link has a recorded start or end."""
        return self.valid_from is not None or self.valid_to is not None

    @property
    def period(self) -> str:
        """``1923–1991``, ``1991–``, ``–1923`` or ``''``."""
        if not self.dated:
            return ""
        start = "" if self.valid_from is None else str(self.valid_from)
        end = "" if self.valid_to is None else str(self.valid_to)
        return f"{start}–{end}"

    def valid_at(self, year: int) -> bool:
        """Whether the recorded period includes ``year`` (open ends count)."""
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_to is None or year <= self.valid_to
        )


@dataclass(frozen=True)
class Hierarchy:
    """Where a place belongs: its current parent chain, dated part-of links both ways."""

    place: Place
    year: int | None
    #: Current parents through ``parent_id``, nearest first (undated).
    parent_chain: tuple[Place, ...]
    #: What the place is (or was) part of: dated relations, plus the current parent when no
    #: relation already names it. At a year, only links valid then.
    part_of: tuple[Link, ...]
    #: What is (or was) part of the place: current children and dated relations.
    contains: tuple[Link, ...]
    #: Relations of other kinds (``successor_of`` …) from this place.
    other_relations: tuple[Link, ...] = ()


def _order(link: Link) -> tuple[int, int, str]:
    start = link.valid_from if link.valid_from is not None else -(10**6)
    end = link.valid_to if link.valid_to is not None else 10**6
    return (start, end, link.other.id)


def build_hierarchy(
    place: Place,
    *,
    parent_chain: Sequence[Place],
    relations_out: Sequence[Relation],
    relations_in: Sequence[Relation],
    children: Sequence[Place],
    places: Mapping[str, Place],
    chains: Mapping[str, Sequence[Place]],
    year: int | None = None,
) -> Hierarchy:
    """Assemble the hierarchy of ``place``.

    ``relations_out`` have ``place`` as subject, ``relations_in`` as object; ``places`` holds
    every place they name and ``chains`` those places' current parent chains. With ``year``
    only links valid then are kept; the undated current-parent link is kept as it is the
    best knowledge there is (callers show it as "no dates recorded").
    """

    def link(relation: Relation, other_id: str) -> Link | None:
        other = places.get(other_id)
        if other is None:
            return None
        return Link(other, relation.kind, relation.valid_from, relation.valid_to,
                    relation.source, relation.note, tuple(chains.get(other_id, ())))  # fmt: skip

    part_of: list[Link] = []
    others: list[Link] = []
    for relation in relations_out:
        found = link(relation, relation.target_id)
        if found is None:
            continue
        (part_of if relation.kind == PART_OF else others).append(found)
    if parent_chain and all(ln.other.id != parent_chain[0].id for ln in part_of):
        parent = parent_chain[0]
        part_of.append(Link(parent, CURRENT_PARENT, chain=tuple(parent_chain[1:])))
    contains = [
        found
        for relation in relations_in
        if relation.kind == PART_OF and (found := link(relation, relation.place_id)) is not None
    ]
    named = {ln.other.id for ln in contains}
    contains.extend(Link(child, CURRENT_PARENT) for child in children if child.id not in named)
    if year is not None:
        part_of = [ln for ln in part_of if ln.valid_at(year)]
        contains = [ln for ln in contains if ln.valid_at(year)]
        others = [ln for ln in others if ln.valid_at(year)]
    return Hierarchy(
        place=place, year=year, parent_chain=tuple(parent_chain),
        part_of=tuple(sorted(part_of, key=lambda ln: (ln.kind == CURRENT_PARENT, *_order(ln)))),
        contains=tuple(sorted(contains, key=lambda ln: (not ln.dated, *_order(ln)))),
        other_relations=tuple(sorted(others, key=_order)),
    )  # fmt: skip
