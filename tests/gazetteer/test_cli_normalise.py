"""``gazetteer normalise`` and ``gazetteer normalise-csv``, run in-process on a copy of the
bundled gazetteer."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from gazetteer.cli import main

TEXT = (
    "Shusha's old quarter overlooks Stepanakert.\r\n"
    "Later, Shusha and Khankendi (Stepanakert) again.\r\n"
    "Gyumri too, and shusha in lower case.\r\n"
)
EXPECTED = (
    "Shushi's (Shusha) old quarter overlooks Stepanakert (Khankendi).\r\n"
    "Later, Shushi and Stepanakert again.\r\n"
    "Gyumri too, and shusha in lower case.\r\n"
)


def run(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, bytes, str]:
    code = main(list(argv))
    out, err = capsysbinary.readouterr()
    return code, out, err.decode("utf-8")


def test_normalise_prints_the_new_text_byte_for_byte(
    db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    source = tmp_path / "article.txt"
    source.write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    code, out, err = run(capsysbinary, "normalise", str(source), "--profile", "hy-usage-en",
                         "--db", str(db))  # fmt: skip
    assert code == 0
    assert out == b"\xef\xbb\xbf" + EXPECTED.encode()  # CRLF and the BOM kept
    assert "4 changed" in err
    # shusha in lower case is found (Shusha is named properly too) but not rewritten unasked.
    assert "1 left for the editor" in err and "line 3:17 'shusha': unsure" in err


def test_the_report_replays_on_the_original(
    db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    source, report = tmp_path / "article.txt", tmp_path / "report.json"
    source.write_text(TEXT, encoding="utf-8", newline="")
    code, out, _ = run(capsysbinary, "normalise", str(source), "--profile", "hy-usage-en",
                       "--report", str(report), "--db", str(db))  # fmt: skip
    assert code == 0 and out == EXPECTED.encode()
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [c["old"] for c in data["changes"]] == [
        "Shusha's", "Stepanakert", "Shusha", "Khankendi (Stepanakert)",
    ]  # fmt: skip
    assert data["left"][0]["surface"] == "shusha"
    code, replayed, _ = run(capsysbinary, "normalise", str(source), "--apply", str(report))
    assert code == 0 and replayed == out


def test_a_report_on_another_text_is_refused(
    db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    source, report = tmp_path / "a.txt", tmp_path / "r.json"
    source.write_text("Stepanakert", encoding="utf-8")
    run(capsysbinary, "normalise", str(source), "--profile", "az", "--report", str(report),
        "--db", str(db))  # fmt: skip
    source.write_text("Stepanakert!", encoding="utf-8")
    code, _, err = run(capsysbinary, "normalise", str(source), "--apply", str(report))
    assert code == 1 and "the report was made for a different text" in err


def test_json_and_diff_formats(
    db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    source = tmp_path / "az.txt"
    source.write_text("Stepanakertdə yaşayır.\nŞuşada da.\n", encoding="utf-8")
    code, out, _ = run(capsysbinary, "normalise", str(source), "--profile", "az",
                       "--format", "json", "--db", str(db))  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["text"] == "Xankəndidə yaşayır.\nŞuşada da.\n"
    assert [(m["surface"], m["ending"], m["place_id"]) for m in data["mentions"]] == [
        ("Stepanakertdə", "də", "stepanakert"), ("Şuşada", "da", "shusha"),
    ]  # fmt: skip
    code, out, _ = run(capsysbinary, "normalise", str(source), "--profile", "az",
                       "--format", "diff", "--db", str(db))  # fmt: skip
    assert out.decode().splitlines()[2:] == [
        "@@ -1,2 +1,2 @@", "-Stepanakertdə yaşayır.", "+Xankəndidə yaşayır.", " Şuşada da.",
    ]  # fmt: skip


def test_standard_input_and_a_text_with_nothing_to_change(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "Ничего не меняется, кроме погоды.\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, out, err = run(capsysbinary, "normalise", "-", "--profile", "ru", "--db", str(db))
    assert code == 0 and out == text.encode()
    assert "0 place name(s) found; 0 changed" in err


def test_clear_errors(db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, _, err = run(capsysbinary, "normalise", str(tmp_path / "missing.txt"), "--db", str(db))
    assert code == 1 and "cannot read" in err and "missing.txt" in err
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("ok\nBakı\n".encode("cp1254"))
    code, _, err = run(capsysbinary, "normalise", str(latin1), "--db", str(db))
    assert code == 1 and f"{latin1}:2: encoding: not UTF-8" in err
    code, _, err = run(capsysbinary, "normalise", str(latin1), "--profile", "nope", "--db", str(db))
    assert code == 1


def test_normalise_csv_writes_the_new_columns(
    db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("id,place\n1,Ханкенди\n2,Shushi\n3,Tuesday\n", encoding="utf-8")
    code, _, err = run(capsysbinary, "normalise-csv", str(source), "--column", "place",
                       "--profile", "az-official", "-o", str(target), "--db", str(db))  # fmt: skip
    assert code == 0
    assert target.read_text(encoding="utf-8").splitlines() == [
        "id,place,place_place_id,place_name,place_lat,place_lon,place_match,place_matched_name,"
        "place_candidates",
        "1,Ханкенди,stepanakert,Xankəndi,39.81528,46.75194,exact,Ханкенди,",
        "2,Shushi,shusha,Şuşa,39.75833,46.74833,exact,Shushi,",
        "3,Tuesday,,,,,not found,,",
    ]
    assert "3 row(s): 2 exact, 1 not found" in err


def test_normalise_csv_to_stdout_and_a_missing_column(
    db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("town\nBaku\n", encoding="utf-8")
    code, out, _ = run(capsysbinary, "normalise-csv", str(source), "--column", "town", "-o", "-",
                       "--profile", "ru", "--db", str(db))  # fmt: skip
    assert code == 0 and out.decode().startswith("town,town_place_id,town_name,")
    assert "Baku,baku,Баку," in out.decode()
    target = tmp_path / "never.csv"
    code, _, err = run(capsysbinary, "normalise-csv", str(source), "--column", "city", "-o",
                       str(target), "--db", str(db))  # fmt: skip
    assert code == 1
    assert f"{source}:1: column: no column 'city'; the columns are 'town'" in err
    assert "nothing was written" in err and not target.exists()
