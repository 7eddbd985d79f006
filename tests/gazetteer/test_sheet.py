"""Spreadsheet normalisation: a CSV column of toponyms → place id, the profile's name,
coordinates and a match status, on the real bundled gazetteer."""

from __future__ import annotations

import csv
import io

import pytest

from gazetteer.errors import InvalidFileError
from gazetteer.facade import Gazetteer
from gazetteer.sheet import Sheet, read_sheet, status_of_tier, write_sheet

SOURCE = (
    "id,place,note\r\n"
    '1,Khankendi,"a, quoted"\r\n'
    "2,Ханкенди,=SUM(A1)\r\n"
    "3,Susa,\r\n"
    "4,Stepanakrt,\r\n"
    "5,,empty cell\r\n"
    "6,Tuesday,\r\n"
    "7,Martuni,\r\n"
    "8,Xankəndi,\r\n"
)


def table(sheet: Sheet) -> list[dict[str, str]]:
    out = io.StringIO(newline="")
    write_sheet(sheet, out)
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


def test_every_original_column_and_row_stays_in_order(gazetteer: Gazetteer) -> None:
    sheet, report = gazetteer.normalise_sheet(
        SOURCE.encode(), "places.csv", column="place", profile="az-official-en"
    )
    rows = table(sheet)
    assert sheet.header[:3] == ["id", "place", "note"]
    assert sheet.header[3:] == [
        "place_place_id", "place_name", "place_lat", "place_lon", "place_match",
        "place_matched_name", "place_candidates",
    ]  # fmt: skip
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert [r["note"] for r in rows] == ["a, quoted", "=SUM(A1)", "", "", "empty cell", "", "", ""]
    assert report.rows == 8


def test_match_status_profile_name_and_coordinates(gazetteer: Gazetteer) -> None:
    sheet, report = gazetteer.normalise_sheet(
        SOURCE.encode(), "places.csv", column="place", profile="az-official-en"
    )
    rows = {r["id"]: r for r in table(sheet)}
    khankendi = rows["1"]
    assert khankendi["place_place_id"] == "stepanakert"
    assert khankendi["place_name"] == "Khankendi (Stepanakert)"
    assert (khankendi["place_lat"], khankendi["place_lon"]) == ("39.81528", "46.75194")
    assert khankendi["place_match"] == "exact"
    assert rows["2"]["place_match"] == "exact"  # Ханкенди is a stored Russian name
    assert (rows["3"]["place_place_id"], rows["3"]["place_match"]) == ("shusha", "variant")
    assert (rows["4"]["place_place_id"], rows["4"]["place_match"]) == ("stepanakert", "fuzzy")
    assert rows["5"]["place_match"] == "" and rows["5"]["place_place_id"] == ""
    assert rows["6"]["place_match"] == "not found"
    assert rows["8"]["place_matched_name"] == "Xankəndi"
    assert report.counts["not found"] == 1 and report.counts["fuzzy"] == 1


def test_a_shared_name_is_resolved_by_the_rest_of_the_column(gazetteer: Gazetteer) -> None:
    karabakh = "place\nMartuni\nHadrut\nStepanakert\n"
    sheet, report = gazetteer.normalise_sheet(karabakh.encode(), "k.csv", column="place")
    assert table(sheet)[0]["place_place_id"] == "martuni"
    assert report.resolved_by_context == 1


def test_a_shared_name_without_evidence_is_ambiguous(gazetteer: Gazetteer) -> None:
    sheet, report = gazetteer.normalise_sheet(b"place\nMartuni\n", "m.csv", column="place")
    (row,) = table(sheet)
    assert row["place_match"] == "ambiguous"
    assert row["place_place_id"] == ""
    assert set(row["place_candidates"].split(";")) == {"martuni", "martuni_am"}
    assert report.counts["ambiguous"] == 1
    # A region decides.
    sheet, _ = gazetteer.normalise_sheet(b"place\nMartuni\n", "m.csv", column="place",
                                         region="armenia")  # fmt: skip
    assert table(sheet)[0]["place_place_id"] == "martuni_am"


def test_semicolons_and_a_byte_order_mark_are_kept(gazetteer: Gazetteer) -> None:
    data = "\ufeffcode;town\r\nA;Şuşa\r\n".encode()
    sheet, _ = gazetteer.normalise_sheet(data, "excel.csv", column="town", profile="hy")
    out = io.StringIO(newline="")
    write_sheet(sheet, out)
    text = out.getvalue()
    assert text.startswith("\ufeffcode;town;town_place_id;town_name;")
    assert "\r\nA;Şuşa;shusha;Շուշի;39.75833;46.74833;exact;Şuşa;\r\n" in text


def test_blank_lines_stay(gazetteer: Gazetteer) -> None:
    sheet, _ = gazetteer.normalise_sheet(b"place\nBaku\n\nGanja\n", "b.csv", column="place")
    out = io.StringIO(newline="")
    write_sheet(sheet, out)
    lines = out.getvalue().split("\r\n")
    assert lines[1].startswith("Baku,baku,") and lines[2] == "" and lines[3].startswith("Ganja,")


def test_the_column_is_found_by_case_and_new_names_never_clash(gazetteer: Gazetteer) -> None:
    data = b"Place,Place_name\nBaku,old value\n"
    sheet, _ = gazetteer.normalise_sheet(data, "c.csv", column="place")
    assert sheet.header[:2] == ["Place", "Place_name"]
    assert "Place_name_" in sheet.header  # the profile's name, beside the user's own column
    assert table(sheet)[0]["Place_name"] == "old value"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"id,place\n1,Baku\n", "c.csv:1: column: no column 'town'; the columns are 'id', 'place'"),
        (b"id,town\n1,Baku,extra\n2,Ganja\n", "c.csv:2: row: 3 cells, but the header has 2"),
        ("id,town\n1,Гянджа\n".encode("cp1251"), "c.csv:2: encoding: not UTF-8 (looks like"),
        (b"", "c.csv:1: header: file is empty"),
    ],
)
def test_bad_input_names_file_line_and_field(
    gazetteer: Gazetteer, data: bytes, message: str
) -> None:
    with pytest.raises(InvalidFileError) as error:
        gazetteer.normalise_sheet(data, "c.csv", column="town")
    assert str(error.value).startswith(message)


def test_read_sheet_reports_bad_quoting() -> None:
    with pytest.raises(InvalidFileError) as error:
        read_sheet(b'id,town\n1,"Baku\n', "q.csv")
    assert "q.csv:2: row: bad CSV quoting" in str(error.value)


def test_search_tiers_map_to_statuses() -> None:
    assert status_of_tier("exact") == "exact"
    assert {status_of_tier(t) for t in ("plain", "skeleton", "strip", "core")} == {"variant"}
    assert {status_of_tier(t) for t in ("prefix", "phonetic", "fuzzy")} == {"fuzzy"}
