"""Coordinates as people write them."""

from __future__ import annotations


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
