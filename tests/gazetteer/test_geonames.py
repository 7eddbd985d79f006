"""GeoNames import on hand-written fixtures in the dump's exact format (tests/fixtures/geonames),
into a copy of the real bundled gazetteer."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from gazetteer.cli import main
from gazetteer.errors import InvalidFileError
from gazetteer.facade import Gazetteer
from gazetteer.geonames import detect, role_for

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "geonames"
ALL = [FIXTURES / n for n in ("AZ.txt", "AM.txt", "alternateNamesV2.txt", "admin1CodesASCII.txt")]


def content(path: Path | None) -> list[str]:
    """Every row of every table, as SQL text: equal lists mean equal database content."""
    conn = sqlite3.connect(str(path))
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def names_of(g: Gazetteer, place_id: str) -> set[tuple[str, str, str]]:
    return {(n.text, n.lang, n.kind) for n in g.place(place_id).names}


def test_files_are_recognised_by_content_not_name(tmp_path: Path) -> None:
    assert detect(FIXTURES / "AZ.txt").kind == "geonames"
    assert detect(FIXTURES / "alternateNamesV2.txt").kind == "altnames"
    assert detect(FIXTURES / "admin1CodesASCII.txt").kind == "admin"
    # GeoNames ships a country's alternate names as alternatenames/AZ.zip holding AZ.txt
    archive = tmp_path / "AZ.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FIXTURES / "alternateNamesV2.txt", "AZ.txt")
        z.writestr("readme.txt", "GeoNames alternate names for AZ\n")
    source = detect(archive)
    assert source.kind == "altnames"
    assert source.size == (FIXTURES / "alternateNamesV2.txt").stat().st_size


def test_feature_codes_map_to_roles() -> None:
    assert role_for("P", "PPLC") == "capital"
    assert role_for("P", "PPL") == "populated place"
    assert role_for("A", "ADM1") == "region"
    assert role_for("A", "PCLI") == "country"
    assert role_for("H", "STM") == "river"
    assert role_for("S", "MSTY") == "monastery"
    assert role_for("P", "PPLXX") == "populated place"  # unknown code: by feature class
    assert role_for("V", "FRST") == "other"


def test_curated_places_stay_single_and_keep_their_names_and_sources(gazetteer: Gazetteer) -> None:
    before = {pid: gazetteer.place(pid) for pid in ("shusha", "stepanakert", "yerevan", "baku")}
    sources_before = {pid: gazetteer.details(pid).sources for pid in before}
    report = gazetteer.import_geonames(ALL)

    for pid, old in before.items():
        new = gazetteer.place(pid)
        # every curated name is still there, with its kind, period, preference and source
        assert set(old.names) <= {n for n in new.names}, pid
        assert (new.role, new.lat, new.lon, new.parent_id) == (
            old.role,
            old.lat,
            old.lon,
            old.parent_id,
        )
        assert gazetteer.details(pid).sources[: len(sources_before[pid])] == sources_before[pid]
        assert gazetteer.store.place_ids_for_geonames([old.geonames_id or 0]) == {
            old.geonames_id: pid
        }
    # one place per name, not two
    assert gazetteer.store.place_ids_with_name("Şuşa") == ["shusha"]
    assert gazetteer.store.place_ids_with_name("Ստեփանակերտ") == ["stepanakert"]
    assert gazetteer.store.get_place("geonames:147105") is None
    # enriched: names GeoNames has and the curated record had not
    shusha = names_of(gazetteer, "shusha")
    assert {
        ("Choucha", "fr", "variant"),
        ("Schuscha", "de", "variant"),
        ("შუშა", "ka", "variant"),
    } <= shusha
    # a curated preferred name keeps its preference; GeoNames' own preferred flag does not win
    preferred_az = [
        n.text for n in gazetteer.place("stepanakert").names if n.lang == "az" and n.preferred
    ]
    assert preferred_az == ["Xankəndi"]
    merged = {(pid, how) for pid, _, how in report.merged}
    assert ("shusha", "geonames id") in merged
    assert ("karmir_shuka", "name and distance") in merged  # Qırmızı Bazar, no id before
    assert ("shusha_district", "name and distance") in merged  # Shusha Rayon = Shusha District
    # new places cite the dump alone; enriched ones cite it after their curated sources
    new = [pid for pid in gazetteer.store.all_place_ids() if pid.startswith("geonames:")]
    assert new
    for pid in new:
        assert [s.citation for s in gazetteer.details(pid).sources] == [report.source]
    assert gazetteer.details("shusha").sources[-1].citation == report.source


def test_language_codes_become_tags_and_pseudo_codes_never_names(gazetteer: Gazetteer) -> None:
    report = gazetteer.import_geonames(ALL)
    texts = {row["text"] for row in gazetteer.store.iter_name_rows()}
    assert "https://en.wikipedia.org/wiki/Shusha" not in texts  # link
    assert "UDYZ" not in texts and "3101" not in texts  # icao, post
    assert gazetteer.place("yerevan").wikidata_id == "Q1953"  # wkdt
    assert gazetteer.place("baku").wikidata_id == "Q9248"
    assert report.names_skipped["identifier (link)"] == 1
    assert report.names_skipped["identifier (iata)"] == 1
    assert report.unknown_languages == {"lzh": 1}  # kept, as und, and said so
    assert ("巴庫", "und", "variant") in names_of(gazetteer, "baku")
    assert ("Dilijan", "fr", "historic") in names_of(gazetteer, "geonames:616752")  # fr_1793
    # a "Russian" name in Latin letters is a romanisation: the tag says so
    assert ("Gyumri", "ru-Latn", "variant") in names_of(gazetteer, "gyumri")
    assert report.names_skipped["place not imported"] == 1


def test_flags_and_periods(gazetteer: Gazetteer) -> None:
    gazetteer.import_geonames(ALL)
    jermuk = {n.text: n for n in gazetteer.place("geonames:174884").names}
    assert jermuk["Ջերմուկ"].lang == "hy" and jermuk["Ջերմուկ"].preferred
    assert jermuk["Ջերմուկ"].kind == "common"
    assert (jermuk["İstisu"].lang, jermuk["İstisu"].kind) == ("az", "historic")
    assert jermuk["Jermuk"].lang == "und"  # the headline name, no language given
    malibeyli = gazetteer.place("geonames:147510")
    assert {(n.text, n.lang, n.preferred) for n in malibeyli.names} == {
        ("Malıbəyli", "az", True),
        ("Малыбейли", "ru", True),
    }  # the untagged headline copy of "Malıbəyli" went once the tagged one came


def test_dated_historic_names_of_a_new_place(empty_gazetteer: Gazetteer) -> None:
    empty_gazetteer.import_geonames(ALL)
    gyumri = {(n.text, n.lang): n for n in empty_gazetteer.place("geonames:616635").names}
    leninakan = gyumri[("Ленинакан", "ru")]
    assert (leninakan.kind, leninakan.valid_from, leninakan.valid_to) == ("historic", 1924, 1990)
    assert gyumri[("Александрополь", "ru")].period == "1837–1924"
    assert gyumri[("Gyumri", "en")].preferred
    assert empty_gazetteer.place("geonames:616052").role == "capital"


def test_hierarchy_from_admin_codes(gazetteer: Gazetteer) -> None:
    report = gazetteer.import_geonames(ALL)
    assert report.parents_set > 0
    # a new village under the curated district it was merged with (AZ.55 → 147104)
    assert gazetteer.place("geonames:147510").parent_id == "shusha_district"
    # a new town under a new province, under the curated country (PCLI AM = armenia)
    assert gazetteer.place("geonames:616752").parent_id == "geonames:828259"
    assert gazetteer.place("geonames:828259").parent_id == "armenia"
    assert gazetteer.place("geonames:828259").role == "region"
    # curated parents are never replaced
    assert gazetteer.place("shusha").parent_id == "shusha_district"


def test_import_twice_adds_nothing(gazetteer: Gazetteer) -> None:
    gazetteer.import_geonames(ALL)
    first = gazetteer.store.counts()
    again = gazetteer.import_geonames(ALL)
    assert (again.places_added, again.names_added, again.populations_added) == (0, 0, 0)
    assert again.places_merged == 20
    assert {k: v for k, v in gazetteer.store.counts().items()} == first


def test_dry_run_reports_and_writes_nothing(gazetteer: Gazetteer) -> None:
    before = content(gazetteer.path)
    dry = gazetteer.import_geonames(ALL, dry_run=True)
    assert content(gazetteer.path) == before
    real = gazetteer.import_geonames(ALL)
    assert dry.dry_run and not real.dry_run
    for field in ("places_added", "places_merged", "names_added", "names_present", "parents_set"):
        assert getattr(dry, field) == getattr(real, field), field
    assert dry.places_added == 7 and dry.places_merged == 13


def test_malformed_lines_are_reported_with_their_line_number(gazetteer: Gazetteer) -> None:
    before = content(gazetteer.path)
    with pytest.raises(InvalidFileError) as caught:
        gazetteer.import_geonames([FIXTURES / "bad" / "AZ.txt"])
    found = {(p.line, p.field) for p in caught.value.problems}
    assert found == {(2, "line"), (3, "latitude"), (4, "population"), (5, "geonameid")}
    problem = next(p for p in caught.value.problems if p.line == 3)
    assert problem.file.endswith("bad/AZ.txt") and "'39,8177' is not a number" in problem.problem
    assert content(gazetteer.path) == before  # nothing written, not even the good lines


def test_malformed_alternate_names(gazetteer: Gazetteer) -> None:
    before = content(gazetteer.path)
    with pytest.raises(InvalidFileError) as caught:
        gazetteer.import_geonames([FIXTURES / "AZ.txt", FIXTURES / "bad" / "alternateNamesV2.txt"])
    assert [(p.line, p.field) for p in caught.value.problems] == [
        (2, "isPreferredName"),
        (3, "from"),
    ]
    assert content(gazetteer.path) == before


def test_zipped_country_file(empty_gazetteer: Gazetteer, tmp_path: Path) -> None:
    archive = tmp_path / "AM.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.write(FIXTURES / "AM.txt", "AM.txt")
        z.writestr("readme.txt", "readme for AM\n")
    report = empty_gazetteer.import_geonames([archive])
    assert report.places_added == 9
    assert ("Ջերմուկ", "hy", "variant") in names_of(empty_gazetteer, "geonames:174884")


def test_cli_dry_run_and_import(gazetteer: Gazetteer, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(gazetteer.path)
    gazetteer.close()
    files = [str(f) for f in ALL]
    assert main(["import", "geonames", *files, "--dry-run", "--db", path]) == 0
    out = capsys.readouterr().out
    assert "would add 7 places" in out and "13 places already here gained names" in out
    assert "merged into: azerbaijan (by geonames id), shusha_district (by name and distance)" in out
    assert main(["import", "geonames", str(FIXTURES / "bad" / "AZ.txt"), "--db", path]) == 1
    err = capsys.readouterr().err
    assert "bad/AZ.txt:3: latitude: '39,8177' is not a number" in err
    assert "nothing was imported" in err


def test_missing_or_broken_files_are_named(gazetteer: Gazetteer, tmp_path: Path) -> None:
    broken = tmp_path / "AZ.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    for path, words in ((tmp_path / "nowhere.txt", "No such file"), (broken, "zip")):
        with pytest.raises(InvalidFileError) as caught:
            gazetteer.import_geonames([path])
        (problem,) = caught.value.problems
        assert problem.file == str(path) and problem.field == "file"
        assert words in problem.problem


def test_a_truncated_archive_is_reported(gazetteer: Gazetteer, tmp_path: Path) -> None:
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("AZ.txt", (FIXTURES / "AZ.txt").read_text(encoding="utf-8") * 200)
    data = whole.read_bytes()
    cut = tmp_path / "AZ.zip"  # the data cut short, the directory at the end kept
    cut.write_bytes(data[:2000] + data[-200:])
    before = content(gazetteer.path)
    with pytest.raises(InvalidFileError) as caught:
        gazetteer.import_geonames([cut])
    assert caught.value.problems[0].field == "file"
    assert content(gazetteer.path) == before
