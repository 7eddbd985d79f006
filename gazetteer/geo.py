"""Coordinates as people write them, and the distance and compass direction between them."""

from __future__ import annotations

import math


def _dms(value: float, positive: str, negative: str) -> str:
    hemisphere = positive if value >= 0 else negative
    total = round(abs(value) * 3600)
    degrees, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{degrees}°{minutes:02d}′{seconds:02d}″{hemisphere}"


def format_dms(lat: float, lon: float) -> str:
    """``39°45′30″N 46°44′54″E`` for a latitude/longitude pair (seconds rounded)."""
    return f"{_dms(lat, 'N', 'S')} {_dms(lon, 'E', 'W')}"


def format_decimal(lat: float, lon: float) -> str:
    """``39.75833, 46.74833``: decimal degrees, as many digits as stored."""
    return f"{lat}, {lon}"


# -- distance and direction ---------------------------------------------------------------

#: Mean Earth radius (IUGG), the usual choice for great-circle distances on a sphere; the
#: error against the ellipsoid is under 0.5 %, far below how precisely places are located.
EARTH_RADIUS_KM = 6371.0088

#: Compass points clockwise from north, as people say them ("6.3 km NE").
COMPASS_8 = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
COMPASS_16 = (
    "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
    "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW",
)  # fmt: skip


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points (haversine formula)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    # min() guards against a rounding overshoot past 1 for antipodal points.
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def initial_bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial great-circle bearing from point 1 to point 2, degrees clockwise from north."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dlambda = math.radians(lon2 - lon1)
    x = math.sin(dlambda) * math.cos(phi2)
    y = math.cos(phi1) * math.sin(phi2) - math.sin(phi1) * math.cos(phi2) * math.cos(dlambda)
    return math.degrees(math.atan2(x, y)) % 360.0


def compass_point(bearing: float, points: int = 8) -> str:
    """The compass point (8 or 16 of them) nearest to ``bearing`` in degrees."""
    if points not in (8, 16):
        raise ValueError(f"points must be 8 or 16, not {points}")
    names = COMPASS_8 if points == 8 else COMPASS_16
    sector = 360.0 / points
    return names[int(((bearing % 360.0) + sector / 2) // sector) % points]


def format_distance(km: float) -> str:
    """A distance as people say it: ``850 m``, ``6.3 km`` under 10 km, ``12 km`` above."""
    if km < 1:
        return f"{round(km * 1000, -1):.0f} m"
    if km < 10:
        return f"{km:.1f} km"
    return f"{km:.0f} km"


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float] | None:
    """``(south, west, north, east)`` enclosing the circle of ``km`` around a point.

    Used only to pre-select candidates through the coordinate index before the exact
    distance test. None when the circle reaches a pole or crosses the 180° meridian, where
    a simple box does not exist (callers then test every place).
    """
    dlat = math.degrees(km / EARTH_RADIUS_KM)
    south, north = lat - dlat, lat + dlat
    if south <= -90 or north >= 90:
        return None
    # The widest longitude span of the circle is at its most poleward latitude.
    widest = max(abs(south), abs(north))
    dlon = math.degrees(km / (EARTH_RADIUS_KM * math.cos(math.radians(widest))))
    west, east = lon - dlon, lon + dlon
    if west < -180 or east > 180:
        return None
    return south, west, north, east
