"""One character check for every free-text field, on every way in: edits through the
façade, the bundled JSON, CSV files (long and wide), GeoNames dumps.

What is refused: C0/C1 controls, bidirectional embeddings/overrides/isolates, line
separators, a BOM inside the text, U+FFFD, noncharacters, tag characters. What passes:
every script's letters, ZWNJ/ZWJ, LRM/RLM, ZWSP inside. What is trimmed: spaces of every
width, CR/LF/tab, ZWSP, WORD JOINER and BOM at the ends.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from db import bundled_data_path
from gazetteer import validate
from gazetteer.bundled import read_bundled
from gazetteer.errors import InvalidFileError, ValidationError
from gazetteer.facade import Gazetteer
from gazetteer.intake import NameInput, PlaceInput, PopulationInput, RelationInput, check_name

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GEONAMES = FIXTURES / "geonames"
REFERENCE = FIXTURES / "reference_places.csv"

#: (character, what the error calls it): one of each kind that is refused.
REFUSED = [
    ("\x00", "a control character"),
    ("\x1b", "a control character"),
    ("\x7f", "a control character"),
    ("\x85", "a control character"),  # NEXT LINE, a C1 control
    ("\x9b", "a control character"),  # CSI, the C1 form of ESC [
    ("\t", "a control character"),  # inside a value: no field is multi-line
    ("\n", "a control character"),
    ("\u202a", "an invisible bidirectional control"),
    ("\u202e", "an invisible bidirectional control"),  # RIGHT-TO-LEFT OVERRIDE
    ("\u2066", "an invisible bidirectional control"),
    ("\u2069", "an invisible bidirectional control"),
    ("\u2028", "a line break"),
    ("\u2029", "a line break"),
    ("\ufeff", "a byte-order mark inside the text"),
    ("\ufffd", "the replacement character"),
    ("\ufdd0", "a noncharacter"),
    ("\uffff", "a noncharacter"),
    ("\U0010fffe", "a noncharacter"),
    ("\U000e0041", "an invisible tag character"),
    ("\u206b", "an invisible format character"),
    ("\ud800", "a broken character (lone surrogate)"),
]

#: Real names and values that must pass exactly as they are (already NFC and trimmed).
LEGITIMATE = [
    "Ստեփանակերտ",
    "Xankəndi",
    "İsmayıllı",
    "Ханкенди",
    "Շուշի",
    "Azərbaycan Respublikası Dövlət Statistika Komitəsi",
    "Government of Armenia; Republic of Artsakh",
    "خان\u200cکندی",  # Persian with a ZWNJ, as Persian is spelled
    "क्\u200dष",  # Devanagari with a ZWJ
    "\u200fشوشا",  # Arabic with a leading RLM: an implicit mark, no override
    "ភ្នំ\u200bពេញ",  # Khmer: a ZWSP between words is how the script breaks them
    "ISO 9985",
    "BGN/PCGN 1981",
    "https://www.geonames.org/147105",
    "O\u2060Neill",  # WORD JOINER inside: a valid, if rare, glue
    "\U00020000\U0002a6d6",  # CJK beyond the BMP (place names in Cantonese use them)
    "Armenia \U0001f1e6\U0001f1f2",  # a flag: regional indicators, above U+FFFF too
]


@pytest.mark.parametrize(("char", "kind"), REFUSED)
def test_refused_characters_are_named_with_code_point_and_position(char: str, kind: str) -> None:
    value = f"Shu{char}sha"
    for check in (validate.clean_text, validate.optional_text):
        with pytest.raises(ValidationError) as raised:
            check(value, "used_by")
        assert raised.value.field == "used_by"
        assert kind in raised.value.problem
        assert f"(U+{ord(char):04X}) at character 4" in raised.value.problem
    with pytest.raises(ValidationError, match=r"at character 6"):
        validate.clean_text(f"\ufeff Shu{char}sha", "used_by")  # counted in the value given


def test_high_planes_pass_except_their_noncharacters_and_tags() -> None:
    assert validate.refused_character("\U00020000\U0001fffe") == (1, "a noncharacter")
    assert validate.refused_character("\U00020000x\U000e0001") == (2, "an invisible tag character")
    assert validate.refused_character("\U0001fffd\U0002fffd\U0010fffd") is None


@pytest.mark.parametrize("text", LEGITIMATE)
def test_legitimate_text_in_every_script_passes_unchanged(text: str) -> None:
    assert validate.clean_text(text, "name") == text
    assert validate.optional_text(text, "note") == text


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("\ufeffShusha", "Shusha"),  # the BOM of a file's first cell
        ("Şuşa\u200b", "Şuşa"),  # a zero-width space dragged along from a web page
        ("\u2060Шуша\u00a0", "Шуша"),
        ("\u3000Շուշի\u202f", "Շուշի"),
        (" S\u0327us\u0327a\r\n", "Şuşa"),  # NFC, and a line end at the edge
        ("\u2028Xankəndi\u2029", "Xankəndi"),
    ],
)
def test_invisible_edges_are_trimmed_and_text_is_nfc(raw: str, stored: str) -> None:
    assert validate.clean_text(raw, "name") == stored
    assert unicodedata.is_normalized("NFC", validate.clean_text(raw, "name"))


def test_optional_text_that_is_empty_or_only_invisible_is_none() -> None:
    assert validate.optional_text(None, "note") is None
    assert validate.optional_text("", "note") is None
    assert validate.optional_text(" \u200b\ufeff ", "note") is None
    with pytest.raises(ValidationError, match="is empty"):
        validate.clean_text("\u200b", "name")


def test_every_text_field_of_a_name_is_checked() -> None:
    fields = {"text": "name", "used_by": "used_by", "romanization": "romanization",
              "source": "source"}  # fmt: skip
    for attribute, field in fields.items():
        name = NameInput("Shusha", "en", "common")
        setattr(name, attribute, "Shu\u202esha")
        with pytest.raises(ValidationError) as raised:
            check_name(name)
        assert raised.value.field == field, attribute
    checked = check_name(
        NameInput(
            "Şuşa", "az", "common", used_by="  Azərbaycan\u200b", romanization="\ufeffISO 9985"
        )
    )
    assert (checked.used_by, checked.romanization) == ("Azərbaycan", "ISO 9985")


def content(g: Gazetteer) -> list[str]:
    """Every row of every table, as SQL text: equal lists mean equal database content."""
    conn = sqlite3.connect(str(g.path))
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _edit(**changes: object) -> PlaceInput:
    """An edit of Shusha as the app's forms send it through the façade."""
    place = PlaceInput(id="shusha", names=[NameInput("Shoushi", "en", "variant")])
    for key, value in changes.items():
        setattr(place, key, value)
    return place


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (_edit(note="capital\x00of the district"), "note"),
        (_edit(wikidata_id="Q\u202e19"), "wikidata_id"),
        (_edit(sources=["https://example.org/\u2066shusha"]), "sources"),
        (_edit(populations=[PopulationInput(4000, 2020, "census\x85 2020")]), "population_source"),
        (_edit(relations=[RelationInput("part_of", "karabakh", note="since\u20281923")]),
         "relation_note"),
        (_edit(relations=[RelationInput("part_of", "karabakh", source="\ufffdcensus")]),
         "relation_source"),
        (_edit(relations=[RelationInput("part\u202eof", "karabakh")]), "relation_kind"),
        (_edit(names=[NameInput("Shushi", "hy-Latn", "transliteration",
                                used_by="Armenian\u202e press")]), "used_by"),
        (_edit(names=[NameInput("Shushi", "hy-Latn", "transliteration",
                                romanization="BGN\x1b[2J")]), "romanization"),
        (_edit(names=[NameInput("Shushi", "hy-Latn", "transliteration",
                                source="a\ufeffsource")]), "source"),
        (_edit(names=[NameInput("Shu\u202esha", "en", "variant")]), "name"),
    ],
)  # fmt: skip
def test_an_edit_through_the_facade_names_the_form_field_and_changes_nothing(
    gazetteer: Gazetteer, edit: PlaceInput, field: str
) -> None:
    before = content(gazetteer)
    with pytest.raises(ValidationError) as raised:
        gazetteer.write([edit])
    assert raised.value.field == field
    assert content(gazetteer) == before


def test_a_clean_edit_is_stored_tidied(gazetteer: Gazetteer) -> None:
    gazetteer.write(
        [
            _edit(
                note="\ufeffthe town's Persian name is خان\u200cکندی\u200b",
                names=[NameInput("Shoushi", "en", "variant", used_by=" French press\u00a0")],
            )
        ]
    )
    assert gazetteer.store.get_place("shusha")["note"] == "the town's Persian name is خان\u200cکندی"
    shoushi = next(n for n in gazetteer.place("shusha").names if n.text == "Shoushi")
    assert shoushi.used_by == "French press"


# -- files -----------------------------------------------------------------------------------


def test_bundled_json_with_a_bidi_override_in_a_relation_note_is_refused(
    empty_gazetteer: Gazetteer, tmp_path: Path
) -> None:
    document = json.loads(bundled_data_path().read_text(encoding="utf-8"))
    record = next(p for p in document["places"] if p.get("relations"))
    record["relations"][0]["note"] = "created \u202e1923"
    path = tmp_path / "gazetteer.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    places = read_bundled(path)
    with pytest.raises(ValidationError) as raised:
        empty_gazetteer.write(places)
    assert raised.value.field == "relation_note"
    assert empty_gazetteer.stats().places == 0


def _long_export(g: Gazetteer) -> list[list[str]]:
    out = io.StringIO(newline="")
    g.export_csv(out)
    return list(csv.reader(io.StringIO(out.getvalue(), newline="")))


def _write_rows(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_long_csv_reports_each_refused_value_by_file_line_and_column(
    gazetteer: Gazetteer, empty_gazetteer: Gazetteer, tmp_path: Path
) -> None:
    rows = _long_export(gazetteer)  # the bundled gazetteer, every name with its fields
    header = rows[0]
    column = {name: header.index(name) for name in header}
    used_by_row = next(i for i, r in enumerate(rows) if i and r[column["used_by"]])
    sourced_row = next(
        i for i, r in enumerate(rows) if i not in (0, used_by_row) and r[column["name_source"]]
    )  # one problem per row is reported: another row
    rows[used_by_row][column["used_by"]] += "\x85extra"  # NEXT LINE inside an unquoted cell
    rows[sourced_row][column["name_source"]] = "\u2067" + rows[sourced_row][column["name_source"]]
    rows[5][column["romanization"]] = "BGN\x00PCGN"
    rows[7][column["wikidata_id"]] = "Q\u202e1"
    path = _write_rows(tmp_path / "names.csv", rows)
    with pytest.raises(InvalidFileError) as raised:
        empty_gazetteer.import_csv(path)
    found = {(p.line, p.field): p.problem for p in raised.value.problems}
    # the header is line 1: row i of the list is line i + 1 (no value spans lines)
    assert set(found) == {
        (used_by_row + 1, "used_by"),
        (sourced_row + 1, "name_source"),
        (6, "romanization"),
        (8, "wikidata_id"),
    }
    assert "a control character (U+0085)" in found[(used_by_row + 1, "used_by")]
    assert (
        "an invisible bidirectional control (U+2067) at character 1"
        in found[(sourced_row + 1, "name_source")]
    )
    assert all(p.file == str(path) for p in raised.value.problems)
    assert empty_gazetteer.stats().places == 0


def test_wide_csv_reports_a_refused_source_url_and_population_source(
    empty_gazetteer: Gazetteer, tmp_path: Path
) -> None:
    rows = list(csv.reader(io.StringIO(REFERENCE.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    column = {name: header.index(name) for name in header}
    # Places nobody names as parent: a refused row is dropped, and its children would be
    # reported too ("no place with id").
    parents = {r[column["parent_id"]] for r in rows[1:]}
    leaves = [i for i, r in enumerate(rows) if i and r[0] not in parents]
    sourced = next(i for i in leaves if rows[i][column["source_urls"]])
    counted = next(i for i in leaves if rows[i][column["population_source"]] and i != sourced)
    rows[sourced][column["source_urls"]] += ";https://example.org/\u202eplace"
    rows[counted][column["population_source"]] += "\ufffd"
    path = _write_rows(tmp_path / "reference.csv", rows)
    with pytest.raises(InvalidFileError) as raised:
        empty_gazetteer.import_csv(path)
    assert [(p.line, p.field) for p in raised.value.problems] == sorted(
        [(sourced + 1, "source_urls"), (counted + 1, "population_source")]
    )
    assert empty_gazetteer.stats().places == 0


def test_a_note_may_run_over_several_lines_but_refuses_other_breaks(gazetteer: Gazetteer) -> None:
    gazetteer.write(
        [_edit(note="Capital of the district.\r\nRenamed in\t1923.\rSee the census.\n")]
    )
    note = gazetteer.store.get_place("shusha")["note"]
    assert note == "Capital of the district.\nRenamed in\t1923.\nSee the census."
    before = content(gazetteer)
    with pytest.raises(ValidationError) as raised:
        gazetteer.write([_edit(note="Capital\nof the\x85district")])
    assert raised.value.field == "note"
    assert "a control character (U+0085) at character 15" in str(raised.value)
    assert content(gazetteer) == before


def test_the_reference_table_still_passes_whole(empty_gazetteer: Gazetteer) -> None:
    # (The bundled data passes the check at every seeded open: the gazetteer fixture.)
    assert empty_gazetteer.import_csv(REFERENCE).places_created == 99


# -- GeoNames dumps: a bad name is skipped and counted, as names always were ---------------


def _copy_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (GEONAMES / name).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_geonames_names_with_refused_characters_are_skipped_and_counted(
    empty_gazetteer: Gazetteer, tmp_path: Path
) -> None:
    # Shusha's line in AZ.txt: one alternate name with an override, one with a BOM inside
    # (the alternatenames column is read when no alternateNames file comes with it).
    places = _copy_with(
        tmp_path, "AZ.txt", "Shoushi,Shusha,Shushe", "Sho\u202eushi,Shusha,Shu\ufeffshe"
    )
    report = empty_gazetteer.import_geonames([places])
    assert report.names_skipped["contains an invisible bidirectional control"] == 1
    assert report.names_skipped["contains a byte-order mark inside the text"] == 1
    assert f"{places}:3: contains an invisible bidirectional control" in report.skipped_examples[0]
    # Shusha's Armenian name in alternateNamesV2, with an isolate inside.
    alternates = _copy_with(
        tmp_path, "alternateNamesV2.txt", "\thy\tՇուշի\t", "\thy\tՇու\u2066շի\t"
    )
    report = empty_gazetteer.import_geonames([alternates])
    refused = {k: n for k, n in report.names_skipped.items() if k.startswith("contains")}
    assert refused == {"contains an invisible bidirectional control": 1}
    assert f"{alternates}:3: contains an invisible bidirectional control" in "\n".join(
        report.skipped_examples
    )
    stored = {row["text"] for row in empty_gazetteer.store.iter_name_rows()}
    assert "Shusha" in stored and "Şuşa" in stored  # the rest of the line went in
    assert not any(validate.refused_character(text) for text in stored)


def test_a_wikidata_id_in_other_digits_is_refused_with_its_line(
    empty_gazetteer: Gazetteer, tmp_path: Path
) -> None:
    alternates = _copy_with(tmp_path, "alternateNamesV2.txt", "\twkdt\tQ1953\t", "\twkdt\tQ19٥٣\t")
    with pytest.raises(InvalidFileError) as raised:
        empty_gazetteer.import_geonames([GEONAMES / "AM.txt", alternates])
    [problem] = raised.value.problems
    assert problem.file == str(alternates) and problem.field == "alternate name"
    assert empty_gazetteer.stats().places == 0
