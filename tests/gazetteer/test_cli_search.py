"""``gazetteer search``, run in-process on a copy of the bundled gazetteer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gazetteer.cli import main
from tests.gazetteer.conftest import CliRun


def test_cyrillic_khankendi_json_puts_stepanakert_first(db: Path, cli: CliRun) -> None:
    code, out, _ = cli("search", "Ханкенди", "--json", "--db", str(db))
    hits = json.loads(out)
    assert code == 0
    top = hits[0]
    assert top["id"] == "stepanakert" and top["name"] == "Stepanakert"
    assert top["matched"] == {
        "name": "Ханкенди",
        "lang": "ru",
        "kind": "variant",
        "tier": "exact",
        "score": 100.0,
    }
    assert (top["role"], top["lat"], top["lon"]) == ("city", 39.81528, 46.75194)
    assert top["parent"] == {"id": "azerbaijan", "name": "Azerbaijan"}
    assert {"en", "az", "hy", "ru"} <= set(top["names"])
    assert "Ստեփանակերտ" in [n["text"] for n in top["names"]["hy"]]


def test_readable_table(db: Path, cli: CliRun) -> None:
    code, out, _ = cli("search", "Shusha", "--db", str(db))
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split() == ["#", "place", "role", "in", "matched", "tier", "score"]
    assert lines[1].split()[:3] == ["1", "Shusha", "[shusha]"]
    assert "Shusha (en, common)" in lines[1] and lines[1].endswith("exact 100")
    assert "Susa" not in out


def test_filters_on_the_command_line(db: Path, cli: CliRun) -> None:
    code, out, _ = cli("search", "Martuni", "--within", "armenia", "--json", "--db", str(db))
    assert code == 0 and [h["id"] for h in json.loads(out)] == ["martuni_am"]
    code, out, _ = cli("search", "Shusha", "--role", "district", "--json", "--db", str(db))
    assert [h["id"] for h in json.loads(out)] == ["shusha_district"]
    code, out, _ = cli(
        "search", "Stepanakert", "--lang", "hy", "--limit", "1", "--json", "--db", str(db)
    )
    [hit] = json.loads(out)
    assert hit["id"] == "stepanakert" and hit["matched"]["lang"].startswith("hy")
    code, out, _ = cli(
        "search", "Martuni", "--bbox", "38.8,43.4,41.3,46.7", "--json", "--db", str(db)
    )
    assert [h["id"] for h in json.loads(out)] == ["martuni_am"]


def test_batch_json_lines(db: Path, tmp_path: Path, cli: CliRun) -> None:
    batch = tmp_path / "list.txt"
    # A byte-order mark (Excel, Notepad) and a blank line, as real lists have.
    batch.write_text("\ufeffXankəndi\n\nՇուշի\nqqqqzzzz\n", encoding="utf-8")
    code, out, _ = cli("search", "--batch", str(batch), "--json", "--db", str(db))
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [(r["line"], r["query"]) for r in records] == [
        (1, "Xankəndi"),
        (3, "Շուշի"),
        (4, "qqqqzzzz"),
    ]
    assert records[0]["hits"][0]["id"] == "stepanakert"
    assert records[1]["hits"][0]["id"] == "shusha"
    assert records[1]["hits"][0]["matched"]["lang"] == "hy"
    assert records[2]["hits"] == []


def test_batch_table(db: Path, tmp_path: Path, cli: CliRun) -> None:
    batch = tmp_path / "list.txt"
    batch.write_text("Gyumri\nzzzzqqqq\n", encoding="utf-8")
    code, out, _ = cli("search", "--batch", str(batch), "--db", str(db))
    assert code == 0
    assert out.startswith("1: Gyumri\n#")
    assert "Gyumri [gyumri]" in out
    assert "2: zzzzqqqq\n   (no match)" in out


def test_no_match_and_usage_errors(db: Path, tmp_path: Path, cli: CliRun) -> None:
    code, _, err = cli("search", "zzzzqqqq", "--db", str(db))
    assert code == 1 and "no place matches 'zzzzqqqq'" in err
    code, out, _ = cli("search", "zzzzqqqq", "--json", "--db", str(db))
    assert code == 1 and json.loads(out) == []
    code, _, err = cli("search", "--db", str(db))
    assert code == 1 and "either QUERY or --batch" in err
    code, _, err = cli("search", "x", "--limit", "0", "--db", str(db))
    assert code == 1 and "--limit" in err
    code, _, err = cli("search", "Martuni", "--within", "nowhere", "--db", str(db))
    assert code == 1 and "nowhere" in err
    code, _, err = cli("search", "--batch", str(tmp_path / "missing.txt"), "--db", str(db))
    assert code == 1 and "cannot read" in err
    with pytest.raises(SystemExit) as bad_box:
        main(["search", "x", "--bbox", "1,2,3", "--db", str(db)])
    assert bad_box.value.code == 2


@pytest.mark.parametrize("query", ["'; DROP TABLE name; --", 'NEAR("a" b)', "\u202e", "*"])
def test_query_syntax_is_just_text(db: Path, cli: CliRun, query: str) -> None:
    code, out, _ = cli("search", query, "--json", "--db", str(db))
    assert code in (0, 1) and isinstance(json.loads(out), list)
    code, out, _ = cli("stats", "--db", str(db))
    assert out.startswith("99 places")
