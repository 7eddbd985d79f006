"""The cross-reference commands (xref, history, hierarchy, nearby, profiles), run in-process."""

from __future__ import annotations

import json
from pathlib import Path

from gazetteer.cli import build_parser
from tests.gazetteer.conftest import CliRun


def first_answer(out: str) -> str:
    """The first name listed under the "In LANG, …:" heading."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("In "))
    return lines[start + 1].split()[0]


def test_the_commands_are_registered() -> None:
    help_text = build_parser().format_help()
    for command in ("xref", "history", "hierarchy", "nearby", "profiles"):
        assert command in help_text


def test_xref_shusha_to_armenian(db: Path, cli: CliRun) -> None:
    code, out, _ = cli("xref", "Shusha", "--to", "hy", "--db", str(db))
    assert code == 0
    assert out.startswith("Shusha  [shusha]  city")
    assert first_answer(out) == "Շուշի"


def test_xref_khankendi_in_cyrillic_to_azerbaijani(db: Path, cli: CliRun) -> None:
    code, out, _ = cli("xref", "Ханкенди", "--to", "az", "--db", str(db))
    assert code == 0
    assert "matched 'Ханкенди', ru variant" in out
    assert first_answer(out) == "Xankəndi"
    assert "used by Government of Azerbaijan" in out


def test_xref_stepanakert_in_1920(db: Path, cli: CliRun) -> None:
    code, out, _ = cli("xref", "Stepanakert", "--to", "en", "--at", "1920", "--db", str(db))
    assert code == 0
    assert "In en, in 1920:" in out
    assert first_answer(out) == "Khankendi"
    assert "Other names in en (not in use in 1920):" in out


def test_xref_finds_a_misspelt_name_and_says_how(db: Path, cli: CliRun) -> None:
    code, out, _ = cli("xref", "Stepanakret", "--to", "az", "--db", str(db))
    assert code == 0
    assert out.splitlines()[0] == (
        "Stepanakert  [stepanakert]  city  (matched 'Stepanakert', en common, fuzzy match)"
    )
    assert first_answer(out) == "Xankəndi"
    code, _, err = cli("xref", "Martuni", "--to", "az", "--db", str(db))
    assert code == 1 and "martuni, martuni_am" in err


def test_xref_json(db: Path, cli: CliRun) -> None:
    code, out, _ = cli(
        "xref", "Stepanakert", "--to", "en", "--at", "1920", "--json", "--db", str(db)
    )
    data = json.loads(out)
    assert code == 0 and data["place"]["id"] == "stepanakert" and data["year"] == 1920
    assert data["equivalents"][0] == {
        "text": "Khankendi", "lang": "en", "script": "Latn", "kind": "historic",
        "valid_to": 1923,
    }  # fmt: skip
    assert data["generated"] is None and data["no_name_in_target"] is False


def test_xref_without_a_name_in_the_target_marks_the_generated_form(db: Path, cli: CliRun) -> None:
    code, out, _ = cli("xref", "Goris", "--to", "az", "--db", str(db))
    assert code == 0
    assert "No name in az is recorded for this place." in out
    assert "Generated, not attested: Goris  (BGN/PCGN romanisation of Գորիս [hy]" in out
    code, out, _ = cli("xref", "Goris", "--to", "az", "--json", "--db", str(db))
    data = json.loads(out)
    assert data["no_name_in_target"] is True and data["equivalents"] == []
    assert data["generated"]["generated"] is True
    assert data["generated"]["from_name"] == {"text": "Գորիս", "lang": "hy"}


def test_xref_with_a_profile(db: Path, cli: CliRun) -> None:
    code, out, _ = cli("xref", "Stepanakert", "--profile", "az-official-en", "--db", str(db))
    assert code == 0
    assert "as written under profile az-official-en: Khankendi (Stepanakert)" in out
    assert first_answer(out) == "Khankendi"


def test_xref_errors(db: Path, cli: CliRun) -> None:
    code, _, err = cli("xref", "Shusha", "--db", str(db))
    assert code == 1 and "--to LANG" in err
    code, _, err = cli("xref", "Shusha", "--profile", "nope", "--db", str(db))
    assert code == 1 and "no naming profile 'nope'" in err
    code, _, err = cli("xref", "Shusha", "--to", "xx", "--db", str(db))
    assert code == 1 and "lang:" in err
    code, _, err = cli("xref", "Nowhere-at-all", "--to", "hy", "--db", str(db))
    assert code == 1 and "Nowhere-at-all" in err


def test_nearby_shusha(db: Path, cli: CliRun) -> None:
    code, out, _ = cli("nearby", "Shusha", "--km", "12", "--db", str(db))
    assert code == 0
    assert "  Stepanakert, 6.3 km N  [stepanakert, city]" in out.splitlines()
    code, out, _ = cli(
        "nearby", "Shusha", "--km", "12", "--role", "city", "--json", "--db", str(db)
    )
    data = json.loads(out)
    assert [(n["id"], n["compass"], n["phrase"]) for n in data["nearby"]] == [
        ("stepanakert", "N", "Stepanakert, 6.3 km N")
    ]


def test_nearby_with_a_profile_and_errors(db: Path, cli: CliRun) -> None:
    code, out, _ = cli(
        "nearby", "Shusha", "--km", "12", "--role", "city", "--profile", "az-official-en",
        "--db", str(db),
    )  # fmt: skip
    assert code == 0 and "Khankendi (Stepanakert), 6.3 km N" in out
    code, _, err = cli("nearby", "Jidir Plain", "--db", str(db))
    assert code == 1 and "no recorded coordinates" in err
    code, _, err = cli("nearby", "Shusha", "--role", "castle", "--db", str(db))
    assert code == 1 and "unknown role 'castle'" in err


def test_history_and_hierarchy(db: Path, cli: CliRun) -> None:
    code, out, _ = cli("history", "Stepanakert", "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    khankendi = next(i for i, line in enumerate(lines) if "–1923" in line and "Khankendi" in line)
    stepanakert = next(
        i for i, line in enumerate(lines) if "1923–" in line and "Stepanakert" in line
    )
    assert khankendi < stepanakert
    assert "1923–1991  Nagorno-Karabakh Autonomous Oblast  [nkao]" in out
    code, out, _ = cli("history", "Hadrut", "--at", "2000", "--db", str(db))
    assert code == 0 and "Part of in 2000" in out
    assert "Hadrut Province › Artsakh  [hadrut_province]" in out
    assert "Khojavend District › Azerbaijan  [khojavend_district]" in out
    code, out, _ = cli("hierarchy", "Shusha", "--at", "2022", "--json", "--db", str(db))
    data = json.loads(out)
    assert [link["id"] for link in data["part_of"]] == ["shusha_district"]


def test_profiles_add_list_show_remove(db: Path, tmp_path: Path, cli: CliRun) -> None:
    code, out, _ = cli("profiles", "list", "--db", str(db))
    assert code == 0 and "neutral-en" in out and "az-official-en" in out
    settings = tmp_path / "style.json"
    settings.write_text(json.dumps({"title": "Our style", "dual": "slash"}), encoding="utf-8")
    code, out, err = cli(
        "profiles", "add", "our-style", "--from-json", str(settings), "--lang", "en",
        "--prefer-used-by", "Government of Azerbaijan", "--db", str(db),
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = cli("profiles", "show", "our-style", "--place", "Shushi", "--db", str(db))
    assert code == 0 and "our-style: Our style  (yours)" in out
    assert "shusha         Shusha/Shushi  →  Shusha" in out  # dual on first mention only
    code, out, _ = cli("profiles", "list", "--json", "--db", str(db))
    assert [p["id"] for p in json.loads(out) if not p["builtin"]] == ["our-style"]
    code, _, _ = cli("profiles", "remove", "our-style", "--db", str(db))
    assert code == 0
    code, _, err = cli("profiles", "show", "our-style", "--db", str(db))
    assert code == 1 and "no naming profile 'our-style'" in err


def test_profiles_add_refuses_bad_settings_and_stores_nothing(
    db: Path, tmp_path: Path, cli: CliRun
) -> None:
    code, _, err = cli("profiles", "add", "x", "--lang", "en", "--prefer-kinds",
                       "official,oficial", "--db", str(db))  # fmt: skip
    assert code == 1 and "prefer_kinds: unknown kind 'oficial'" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"lang": "en",\n "dual": }', encoding="utf-8")
    code, _, err = cli("profiles", "add", "x", "--from-json", str(broken), "--db", str(db))
    assert code == 1 and f"{broken}:2:" in err
    code, _, err = cli("profiles", "remove", "neutral-en", "--db", str(db))
    assert code == 1 and "built-in" in err
    code, out, _ = cli("profiles", "list", "--json", "--db", str(db))
    assert all(p["builtin"] for p in json.loads(out))
