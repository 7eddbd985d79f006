"""Great-circle distance, compass bearing and nearby places on the bundled gazetteer."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazetteer.errors import ValidationError
from gazetteer.facade import Gazetteer
from gazetteer.geo import (
    bounding_box,
    compass_point,
    format_distance,
    haversine_km,
    initial_bearing,
)
from gazetteer.model import SETTLEMENT_ROLES
from gazetteer.nearby import NoCoordinatesError, expand_roles

# -- geometry ---------------------------------------------------------------------------------


def test_one_degree_of_latitude_is_about_111_km() -> None:
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.195, abs=0.01)
    assert haversine_km(40, 45, 40, 45) == 0


def test_known_city_distance_yerevan_to_baku() -> None:
    # Yerevan (40.17765, 44.5126) to Baku (40.37767, 49.89201): about 457 km great-circle.
    assert haversine_km(40.17765, 44.5126, 40.37767, 49.89201) == pytest.approx(457, abs=3)


def test_bearings_point_the_right_way() -> None:
    assert initial_bearing(0, 0, 1, 0) == pytest.approx(0)
    assert initial_bearing(0, 0, 0, 1) == pytest.approx(90)
    assert initial_bearing(1, 0, 0, 0) == pytest.approx(180)
    assert initial_bearing(0, 1, 0, 0) == pytest.approx(270)


@pytest.mark.parametrize(
    ("bearing", "eight", "sixteen"),
    [(0, "N", "N"), (22.4, "N", "NNE"), (22.6, "NE", "NNE"), (90, "E", "E"), (180, "S", "S"),
     (247.5, "W", "WSW"), (337.6, "N", "NNW"), (359.9, "N", "N"), (-45, "NW", "NW")],
)  # fmt: skip
def test_compass_points(bearing: float, eight: str, sixteen: str) -> None:
    assert compass_point(bearing) == eight
    assert compass_point(bearing, 16) == sixteen


def test_compass_refuses_other_divisions() -> None:
    with pytest.raises(ValueError):
        compass_point(10, 12)


def test_distances_are_phrased_as_people_say_them() -> None:
    assert format_distance(0.07) == "70 m"
    assert format_distance(6.34) == "6.3 km"
    assert format_distance(12.4) == "12 km"


@given(
    lat=st.floats(-80, 80), lon=st.floats(-170, 170), km=st.floats(0.1, 500),
    bearing=st.floats(0, 360),
)  # fmt: skip
def test_the_search_box_holds_every_point_of_the_circle(
    lat: float, lon: float, km: float, bearing: float
) -> None:
    box = bounding_box(lat, lon, km)
    if box is None:
        return
    south, west, north, east = box
    # The point at distance km (slightly less, for rounding) along ``bearing``.
    d = (km * 0.999) / 6371.0088
    phi1, lam1, theta = math.radians(lat), math.radians(lon), math.radians(bearing)
    phi2 = math.asin(math.sin(phi1) * math.cos(d) + math.cos(phi1) * math.sin(d) * math.cos(theta))
    lam2 = lam1 + math.atan2(
        math.sin(theta) * math.sin(d) * math.cos(phi1),
        math.cos(d) - math.sin(phi1) * math.sin(phi2),
    )
    lat2, lon2 = math.degrees(phi2), math.degrees(lam2)
    assert haversine_km(lat, lon, lat2, lon2) <= km
    assert south <= lat2 <= north and west <= lon2 <= east


def test_no_box_across_a_pole_or_the_antimeridian() -> None:
    assert bounding_box(89.9, 0, 50) is None
    assert bounding_box(0, 179.9, 50) is None


# -- nearby places ----------------------------------------------------------------------------


def test_stepanakert_is_about_six_km_north_of_shusha(gazetteer: Gazetteer) -> None:
    found = gazetteer.nearby("shusha", 12)
    by_id = {n.place.id: n for n in found}
    stepanakert = by_id["stepanakert"]
    assert stepanakert.distance_km == pytest.approx(6.34, abs=0.05)
    assert stepanakert.compass == "N"
    assert stepanakert.phrase() == "Stepanakert, 6.3 km N"
    assert stepanakert.phrase("Khankendi") == "Khankendi, 6.3 km N"
    assert "shusha" not in by_id  # the centre itself is not "nearby"
    distances = [n.distance_km for n in found]
    assert distances == sorted(distances) and max(distances) <= 12


def test_radius_limits_the_answer(gazetteer: Gazetteer) -> None:
    within_5 = {n.place.id for n in gazetteer.nearby("shusha", 5)}
    within_12 = {n.place.id for n in gazetteer.nearby("shusha", 12)}
    assert "stepanakert" not in within_5 and "dashalty" in within_5
    assert within_5 < within_12


def test_role_filter(gazetteer: Gazetteer) -> None:
    cities = gazetteer.nearby("shusha", 12, ["city"])
    assert [n.place.id for n in cities] == ["stepanakert"]
    settlements = gazetteer.nearby("shusha", 12, ["settlement"])
    assert {n.place.role for n in settlements} <= SETTLEMENT_ROLES
    assert {"stepanakert", "dashalty", "karkijahan"} <= {n.place.id for n in settlements}
    assert "ghazanchetsots" not in {n.place.id for n in settlements}


def test_unknown_role_and_bad_radius_are_refused(gazetteer: Gazetteer) -> None:
    with pytest.raises(ValidationError) as raised:
        gazetteer.nearby("shusha", 12, ["citty"])
    assert raised.value.field == "role" and "citty" in raised.value.problem
    for radius in (0, -3, float("nan"), 5000):
        with pytest.raises(ValidationError):
            gazetteer.nearby("shusha", radius)


def test_a_place_without_coordinates_has_no_neighbours(gazetteer: Gazetteer) -> None:
    assert gazetteer.place("jidir_duzu").lat is None
    with pytest.raises(NoCoordinatesError):
        gazetteer.nearby("jidir_duzu", 10)


def test_expand_roles() -> None:
    assert expand_roles(None) is None
    assert expand_roles([" City ", ""]) == frozenset({"city"})
    assert expand_roles(["settlement", "monastery"]) == SETTLEMENT_ROLES | {"monastery"}
