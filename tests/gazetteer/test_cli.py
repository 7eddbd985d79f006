"""The foundation's CLI commands, run in-process on real databases."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from gazetteer.cli import build_parser, main
from tests.gazetteer.conftest import CliRun


def test_first_use_creates_the_database_from_the_bundled_data(
    tmp_path: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "fresh" / "user.sqlite"
    monkeypatch.setenv("GAZETTEER_DB", str(target))
    code, out, _ = cli("stats")
    assert code == 0 and target.exists()
    assert out.startswith("99 places, 633 names")


def test_show_prints_names_by_language_population_and_parents(db: Path, cli: CliRun) -> None:
    code, out, _ = cli("show", "shusha", "--db", str(db))
    assert code == 0
    assert "in: Shusha District [shusha_district] › Azerbaijan [azerbaijan]" in out
    for name in ("Shusha", "Şuşa", "Շուշի", "Шуша", "Panahabad"):
        assert name in out
    assert "4 064  (2015)" in out
    assert "39°45′30″N 46°44′54″E" in out


def test_show_by_exact_name_and_json(db: Path, cli: CliRun) -> None:
    code, out, _ = cli("show", "Ստեփանակերտ", "--db", str(db), "--json")
    data = json.loads(out)
    assert code == 0 and data["id"] == "stepanakert"
    historic = [
        n for n in data["names"]["en"] if n["kind"] == "historic" and n["text"] == "Khankendi"
    ]
    assert historic == [
        {"text": "Khankendi", "lang": "en", "script": "Latn", "kind": "historic", "valid_to": 1923}
    ]
    assert data["population"] == [
        {"value": 75000, "year": 2021, "source": "Artsakh estimate (via en.wikipedia Stepanakert)"}
    ]


def test_show_an_ambiguous_name_lists_the_places(db: Path, cli: CliRun) -> None:
    code, _, err = cli("show", "Martuni", "--db", str(db))
    assert code == 1
    assert "martuni, martuni_am" in err


def test_export_wide_to_stdout(db: Path, cli: CliRun) -> None:
    code, out, _ = cli("export", "csv", "--layout", "wide", "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("id,name_en,name_az,name_hy,name_ru,other_names,role")
    assert any(line.startswith("shusha,Shusha,Şuşa,Շուշի,Шуша,") for line in lines)


def test_import_reports_bad_lines_and_exits_nonzero(db: Path, tmp_path: Path, cli: CliRun) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name_en,role,lat,lon\nz,Zed,village,95,45\n", encoding="utf-8")
    code, _, err = cli("import", "csv", str(bad), "--db", str(db))
    assert code == 1
    assert f"{bad}:2: lat: latitude 95.0 is outside -90..90" in err
    assert "nothing was imported" in err


def test_import_dry_run_and_real(db: Path, tmp_path: Path, cli: CliRun) -> None:
    good = tmp_path / "good.csv"
    good.write_text(
        "id,name_en,name_hy,role,parent_id,lat,lon\ntogh,Togh,Տող,village,khojavend_district,39.585,46.965\n",
        encoding="utf-8",
    )
    code, out, _ = cli("import", "csv", str(good), "--dry-run", "--db", str(db))
    assert code == 0 and out.startswith("would import: 1 new places")
    code, out, _ = cli("import", "csv", str(good), "--db", str(db), "--json")
    assert json.loads(out)["places_created"] == 1


def test_stats_json_counts_names_per_language_and_kind(db: Path, cli: CliRun) -> None:
    code, out, _ = cli("stats", "--db", str(db), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["places"] == 99
    langs = {row["lang"] for row in data["names_by_lang_kind"]}
    assert {"en", "az", "hy", "ru", "hy-Latn"} <= langs
    assert any(row["citation"] == "https://www.geonames.org/147105" for row in data["sources_used"])


def test_a_too_new_database_gets_a_clear_message(db: Path, cli: CliRun) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    code, _, err = cli("stats", "--db", str(db))
    assert code == 3
    assert "newer version of the gazetteer" in err and "It was not changed" in err


def test_a_corrupt_file_gets_a_clear_message(tmp_path: Path, cli: CliRun) -> None:
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"\x00junk" * 1000)
    code, _, err = cli("stats", "--db", str(path))
    assert code == 3 and "damaged or not a gazetteer database" in err


def _commands(parser: object) -> list[list[str]]:
    import argparse

    found: list[list[str]] = []

    def walk(p: argparse.ArgumentParser, prefix: list[str]) -> None:
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found.append([*prefix, name])
                    walk(sub, [*prefix, name])

    walk(parser, [])  # type: ignore[arg-type]
    return found


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    commands = _commands(build_parser())
    assert ["show"] in commands and ["export", "csv"] in commands and ["import", "csv"] in commands
    for command in commands:
        with pytest.raises(SystemExit) as raised:
            main([*command, "--help"])
        assert raised.value.code == 0
        assert "usage: gazetteer" in capsys.readouterr().out
