"""Places near a place: great-circle distance and compass bearing, phrased as people say it.

Pure functions over ``Place`` records; the façade fetches the candidates (through the
coordinate index, inside a bounding box) and hands them here for the exact test.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gazetteer.errors import GazetteerError, ValidationError
from gazetteer.geo import compass_point, format_distance, haversine_km, initial_bearing
from gazetteer.model import ROLES, SETTLEMENT_ROLES, Place

#: Default radius of ``gazetteer nearby`` in kilometres.
DEFAULT_RADIUS_KM = 10.0
#: Largest radius accepted: beyond this "nearby" means nothing and the answer is the region.
MAX_RADIUS_KM = 1000.0
#: Role-filter words that stand for a group of roles.
ROLE_GROUPS: dict[str, frozenset[str]] = {"settlement": SETTLEMENT_ROLES}
#: Closer than this, two places share a point and have no direction between them.
SAME_POINT_KM = 0.01


class NoCoordinatesError(GazetteerError):
    """The place asked about has no coordinates, so nothing can be near it."""

    def __init__(self, place_id: str) -> None:
        self.place_id = place_id
        super().__init__(place_id)


@dataclass(frozen=True)
class NearbyPlace:
    """A place within the radius, with where it lies as seen from the centre."""

    place: Place
    distance_km: float
    #: Initial great-circle bearing from the centre to this place, degrees from north.
    bearing: float

    @property
    def compass(self) -> str:
        """The 8-point compass direction from the centre (``''`` at the same point)."""
        return "" if self.distance_km < SAME_POINT_KM else compass_point(self.bearing)

    def phrase(self, label: str | None = None) -> str:
        """``Stepanakert, 6.3 km N`` — ``label`` replaces the place's neutral label."""
        name = label if label is not None else self.place.label
        if not self.compass:
            return f"{name}, at the same point"
        return f"{name}, {format_distance(self.distance_km)} {self.compass}"


def check_radius(km: float) -> float:
    """The radius if it is a sensible distance; ``ValidationError`` otherwise."""
    if not km > 0 or km > MAX_RADIUS_KM:  # also refuses NaN
        raise ValidationError("km", f"radius must be above 0 and at most {MAX_RADIUS_KM:g} km", km)
    return float(km)


def expand_roles(roles: Iterable[str] | None) -> frozenset[str] | None:
    """The set of roles a filter stands for (``settlement`` expands); None means any role.

    Unknown roles raise ``ValidationError`` naming them, so a typo never silently filters
    everything out.
    """
    if roles is None:
        return None
    wanted: set[str] = set()
    for raw in roles:
        role = raw.strip().lower()
        if not role:
            continue
        if role in ROLE_GROUPS:
            wanted |= ROLE_GROUPS[role]
        elif role in ROLES:
            wanted.add(role)
        else:
            known = ", ".join([*ROLE_GROUPS, *ROLES])
            raise ValidationError("role", f"unknown role {role!r} (known: {known})", role)
    return frozenset(wanted) if wanted else None


def find_nearby(
    centre: Place,
    candidates: Iterable[Place],
    radius_km: float,
    roles: frozenset[str] | None = None,
) -> list[NearbyPlace]:
    """The candidates within ``radius_km`` of ``centre``, nearest first (the centre excluded).

    ``roles`` keeps only places with one of those roles. Candidates without coordinates are
    skipped; a centre without coordinates raises ``NoCoordinatesError``.
    """
    if centre.lat is None or centre.lon is None:
        raise NoCoordinatesError(centre.id)
    radius = check_radius(radius_km)
    found: list[NearbyPlace] = []
    for place in candidates:
        if place.id == centre.id or place.lat is None or place.lon is None:
            continue
        if roles is not None and place.role not in roles:
            continue
        distance = haversine_km(centre.lat, centre.lon, place.lat, place.lon)
        if distance <= radius:
            bearing = initial_bearing(centre.lat, centre.lon, place.lat, place.lon)
            found.append(NearbyPlace(place, distance, bearing))
    found.sort(key=lambda n: (n.distance_km, -n.place.importance, n.place.id))
    return found
