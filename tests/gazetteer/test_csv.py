"""CSV export and import on the bundled data: layouts, round trips, errors, neutralisation."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazetteer.csv_format import neutralise, unneutralise
from gazetteer.errors import InvalidFileError, NotFoundError
from gazetteer.facade import Gazetteer

# A copy of shared/data/reference_places.csv, the table the bundled data was compiled from.
REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "reference_places.csv"


def export(g: Gazetteer, **options: object) -> str:
    out = io.StringIO(newline="")
    g.export_csv(out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def wide_rows(g: Gazetteer) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in csv.DictReader(io.StringIO(export(g, layout="wide")))}


def test_wide_export_has_one_row_per_place_with_the_four_names(gazetteer: Gazetteer) -> None:
    rows = wide_rows(gazetteer)
    assert len(rows) == 99
    shusha = rows["shusha"]
    assert [shusha[f"name_{lang}"] for lang in ("en", "az", "hy", "ru")] == [
        "Shusha",
        "Şuşa",
        "Շուշի",
        "Шуша",
    ]
    stepanakert = rows["stepanakert"]
    assert [stepanakert[f"name_{lang}"] for lang in ("en", "az", "hy")] == [
        "Stepanakert",
        "Xankəndi",
        "Ստեփանակերտ",
    ]
    assert "en:historic:Khankendi:-1923" in stepanakert["other_names"].split(";")
    # every place's sources, in the order the place cites them (looked up per batch)
    for pid, row in rows.items():
        cited = [s.citation for s in gazetteer.details(pid).sources]
        assert row["source_urls"] == ";".join(cited), pid
    assert any(len(gazetteer.details(pid).sources) > 1 for pid in rows)


def test_long_export_lists_every_name_with_its_place(gazetteer: Gazetteer) -> None:
    rows = list(csv.DictReader(io.StringIO(export(gazetteer))))
    assert len(rows) == gazetteer.stats().names
    khankendi = [r for r in rows if r["place_id"] == "stepanakert" and r["name"] == "Khankendi"]
    assert {(r["kind"], r["valid_to"]) for r in khankendi} == {
        ("variant", ""),
        ("historic", "1923"),
    }
    assert all(r["lat"] == "39.81528" and r["population"] == "75000" for r in khankendi)


def test_exports_are_rfc4180_and_stable(gazetteer: Gazetteer) -> None:
    first, second = export(gazetteer), export(gazetteer)
    assert first == second
    assert first.count("\r\n") == first.count("\n")  # CRLF line ends
    assert not first.startswith("\ufeff")
    assert export(gazetteer, bom=True).startswith("\ufeffplace_id,")


def test_long_round_trip_is_byte_identical(
    gazetteer: Gazetteer, empty_gazetteer: Gazetteer, tmp_path: Path
) -> None:
    path = tmp_path / "long.csv"
    gazetteer.export_csv(path)
    empty_gazetteer.import_csv(path)
    again = tmp_path / "again.csv"
    empty_gazetteer.export_csv(again)
    assert again.read_bytes() == path.read_bytes()


LETTERS = {
    "en": "abcdefghijklmnopqrstuvwxyz",
    "az": "abcçdeəfgğhxıijkqlmnoöprsştuüvyz",
    "hy": "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
}


@st.composite
def place_names(draw: st.DrawFn) -> list[tuple[str, str, str, bool]]:
    names = []
    for lang, letters in LETTERS.items():
        for index in range(draw(st.integers(0, 3))):
            word = draw(st.text(alphabet=letters, min_size=1, max_size=12))
            text = word[0].upper() + word[1:]
            if draw(st.booleans()):  # punctuation a spreadsheet would run, and a second word
                text += " " + draw(st.sampled_from(["=1+2", "-1", "@", "+7", "(2)", "'"]))
            if draw(st.booleans()):
                text = draw(st.sampled_from(["=", "-", "@", "+"])) + text
            names.append(
                (lang, text, draw(st.sampled_from(["variant", "historic", "official"])), index == 0)
            )
    return names


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=place_names())
def test_round_trip_holds_for_generated_names_in_four_scripts(
    tmp_path_factory: pytest.TempPathFactory, names: list[tuple[str, str, str, bool]]
) -> None:
    from gazetteer.intake import NameInput, PlaceInput

    folder = tmp_path_factory.mktemp("rt")
    source = Gazetteer.open(folder / "a.sqlite", seed=False)
    source.write(
        [
            PlaceInput(
                id="p1",
                role="village",
                lat=40.0,
                lon=-45.5,
                names=[
                    NameInput(text, lang, kind, preferred=preferred)
                    for lang, text, kind, preferred in names
                ],
            )
        ]
    )
    first = folder / "first.csv"
    source.export_csv(first)
    target = Gazetteer.open(folder / "b.sqlite", seed=False)
    target.import_csv(first)
    second = folder / "second.csv"
    target.export_csv(second)
    assert second.read_bytes() == first.read_bytes()
    source.close()
    target.close()


def test_reference_table_imports_as_wide_and_reimport_merges(empty_gazetteer: Gazetteer) -> None:
    report = empty_gazetteer.import_csv(REFERENCE)
    assert report.places_created == 99
    again = empty_gazetteer.import_csv(REFERENCE)
    assert again.places_created == 0 and again.places_merged == 99 and again.names_added == 0
    assert empty_gazetteer.stats().places == 99


def _bad_file(tmp_path: Path) -> Path:
    lines = [
        "id,name_en,name_az,name_hy,name_ru,other_names,role,parent_id,lat,lon",
        "p1,Alpha,,,,,village,,40.1,45.1",
        "p2,Beta,,,,,village,,40.2,45.2",
        "p3,Gamma,,,,,village,,40.3,45.3",
        "p4,Delta,,,,,village,,40.4,45.4",
        "p5,Epsilon,,,,,village,,40.5,45.5",
        "p6,Zeta,,,,,village,,140.6,45.6",
        "p7,Eta,,,,,village,,40.7,45.7",
        "p8,Theta,,,,xx:variant:Tetta,village,,40.8,45.8",
        "p9,Iota,,,,,village,,40.9,45.9",
    ]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bad_rows_are_reported_with_line_and_field_and_nothing_is_written(
    gazetteer: Gazetteer, tmp_path: Path
) -> None:
    before = export(gazetteer)
    path = _bad_file(tmp_path)
    with pytest.raises(InvalidFileError) as raised:
        gazetteer.import_csv(path)
    problems = [str(p) for p in raised.value.problems]
    assert problems[0].startswith(f"{path}:7: lat: latitude 140.6 is outside -90..90")
    assert problems[1].startswith(f"{path}:9: other_names: 'Tetta': unknown language code 'xx'")
    assert len(problems) == 2
    assert export(gazetteer) == before


def test_long_layout_errors_name_their_field(empty_gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        "place_id,role,lat,lon,name,lang,kind\n"
        "a,town,40,45,Alpha,en,common\n"
        "a,town,40,45,Альфа,xx,variant\n"
        "b,town,40,45,,en,common\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidFileError) as raised:
        empty_gazetteer.import_csv(path)
    assert [(p.line, p.field) for p in raised.value.problems] == [(3, "lang"), (4, "name")]
    assert empty_gazetteer.stats().places == 0


def test_a_cp1251_file_is_named_as_such_and_nothing_is_written(
    gazetteer: Gazetteer, tmp_path: Path
) -> None:
    before = export(gazetteer)
    path = tmp_path / "cyrillic.csv"
    path.write_bytes(
        "id,name_en,name_ru,role\nx1,Shusha,Шуша,city\nx2,Martuni,Мартуни,town\n".encode("cp1251")
    )
    with pytest.raises(InvalidFileError) as raised:
        gazetteer.import_csv(path)
    (problem,) = raised.value.problems
    assert (problem.line, problem.field) == (2, "encoding")
    assert "cp1251" in problem.problem
    assert export(gazetteer) == before


def test_utf8_with_bom_is_accepted(empty_gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(
        "\ufeffid,name_en,name_hy,role,lat,lon\nshusha,Shusha,Շուշի,city,39.75833,46.74833\n".encode()
    )
    empty_gazetteer.import_csv(path)
    assert [n.text for n in empty_gazetteer.place("shusha").names] == ["Shusha", "Շուշի"]


def test_dry_run_checks_and_counts_but_writes_nothing(gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = tmp_path / "new.csv"
    path.write_text(
        "id,name_en,role,parent_id,lat,lon\nnew_village,Newvillage,village,shusha_district,39.7,46.7\n"
        "shusha,Shusha,city,,,\n",
        encoding="utf-8",
    )
    report = gazetteer.import_csv(path, dry_run=True)
    assert (report.places_created, report.places_merged, report.dry_run) == (1, 1, True)
    with pytest.raises(NotFoundError):
        gazetteer.place("new_village")
    real = gazetteer.import_csv(path)
    assert real.places_created == 1
    assert gazetteer.place("new_village").parent_id == "shusha_district"
    assert len(gazetteer.place("shusha").names_in("en")) == 3  # merged, not duplicated


def test_unknown_parent_is_reported(empty_gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = tmp_path / "orphan.csv"
    path.write_text("id,name_en,role,parent_id\nx,Ex,village,nowhere\n", encoding="utf-8")
    with pytest.raises(InvalidFileError, match=r":2: parent_id: no place with id 'nowhere'"):
        empty_gazetteer.import_csv(path)


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "-cmd", "@SUM(A1)", "\tx", "\rx"]
)
def test_formula_cells_are_neutralised_and_restored_on_import(cell: str) -> None:
    assert neutralise(cell).startswith("'")
    assert unneutralise(neutralise(cell)) == cell


def test_numbers_are_not_neutralised() -> None:
    assert neutralise("-45.5") == "-45.5"
    assert neutralise("Shusha") == "Shusha"


def test_export_neutralises_unless_raw(empty_gazetteer: Gazetteer) -> None:
    from gazetteer.intake import NameInput, PlaceInput

    empty_gazetteer.write(
        [PlaceInput(id="f", role="village", names=[NameInput("=cmd", "en", "common")])]
    )
    assert ",'=cmd," in export(empty_gazetteer)
    assert ",=cmd," in export(empty_gazetteer, raw=True)


def test_cancelled_file_export_leaves_no_file(gazetteer: Gazetteer, tmp_path: Path) -> None:
    from gazetteer.errors import CancelledError

    target = tmp_path / "out.csv"
    with pytest.raises(CancelledError):
        gazetteer.export_csv(target, progress=lambda done, total: False)
    assert not target.exists()
    assert not list(tmp_path.glob("*.part"))
