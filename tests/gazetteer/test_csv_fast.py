"""The long CSV layout's fast path (lines and cells built in SQL) gives exactly the cells of
the straightforward one, formula neutralisation included."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from db.store import NAME_COLUMNS, Store
from gazetteer import csv_export
from gazetteer.csv_export import _requoted, export_csv_text, long_rows
from gazetteer.csv_format import LONG_COLUMNS, neutralise
from gazetteer.errors import CancelledError
from gazetteer.facade import Gazetteer
from gazetteer.intake import NameInput, PlaceInput

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "geonames"


def test_fast_cells_equal_the_plain_ones(gazetteer: Gazetteer) -> None:
    gazetteer.import_geonames(
        [FIXTURES / n for n in ("AZ.txt", "AM.txt", "alternateNamesV2.txt", "admin1CodesASCII.txt")]
    )
    gazetteer.write(
        [
            PlaceInput(
                id="formulas",
                role="village",
                lat=-33.5,
                lon=40.0,
                names=[
                    NameInput("=HYPERLINK(1)", "en"),
                    NameInput("-5", "en"),
                    NameInput("+Plus", "en"),
                    NameInput("@home", "en", source="-1 source"),
                    NameInput("Erebuni", "en", kind="historic", valid_from=-782, valid_to=-600),
                ],
            )
        ]
    )
    store = gazetteer.store
    plain = list(long_rows(store))
    assert len(plain) > 600
    # The export's own path: the name ids in export order from the lines, then the cells
    # its rare quoted lines are rebuilt from (``name_cells``), here for every name.
    order = [name_id for batch in store.iter_name_lines() for _, name_id in batch]
    raw = store.name_cells(order)
    assert [list(raw[name_id]) for name_id in order] == plain
    fixed = store.name_cells(order, neutralise)
    assert [list(fixed[name_id]) for name_id in order] == [
        [neutralise(c) for c in r] for r in plain
    ]
    lines = [line for batch in store.iter_name_lines() for line, _ in batch]
    assert lines == [",".join(raw[name_id]).encode() for name_id in order]
    chosen = store.name_cells([i for i in order if raw[i][0] == "formulas"], neutralise)
    cells = {r[9]: r for r in chosen.values()}
    assert cells["'=HYPERLINK(1)"][2] == "-33.5"
    assert cells["-5"][9] == "-5"  # a number is not a formula
    assert cells["'@home"][18] == "'-1 source"
    assert cells["Erebuni"][14:16] == ("-782", "-600")


# -- the lines built in SQL: byte for byte what csv.writer writes ------------------------------

#: Cells csv.writer quotes (comma, quote, CR, LF), formula triggers, a number, NUL (which
#: SQLite's format() would cut a text at), empty and padded text, four scripts.
AWKWARD = [
    'say "hi"',
    "comma, inside",
    "line\nbreak",
    "carriage\rreturn",
    "both\r\nends",
    '"',
    ",",
    "=SUM(A1)",
    "+Plus",
    "-minus",
    "-5",
    "@home",
    "\ttab first",
    "\rCR first",
    "'apostrophe",
    "tab\tinside",
    "nul\x00inside",
    "Շուշի",
    "Шуша",
    "Şuşa",
    "mountain \U0001f3d4",
    " padded ",
]
#: Coordinates whose text is Python's repr, not SQLite's 15 digits: 17 digits, an exponent,
#: an integral value, a negative zero, NULL.
FLOATS = [0.1 + 0.2, 1e-05, 40.0, -33.5, 89.99999999999999, 1 / 3, -0.0, None]


def _awkward_gazetteer(g: Gazetteer, *, nul_citation: bool) -> int:
    """Places and names with every awkward cell among 600 plain places, written to the
    tables directly: the exporter must give back whatever the file holds. The awkward
    lines fall into the first and last batches of 1000, the middle one is plain. Returns
    the name count."""
    store = g.store
    plain = store.source_id("GeoNames")
    sources = [plain, store.source_id('Census, "final" figures'), store.source_id("=1+1")]
    if nul_citation:
        sources.append(store.source_id("cut\x00citation"))
    odd_ids = ["=formula", "comma,id", 'quote"id', "nul\x00id", "-dash", "Ստեփանակերտ"]
    places = [(f"plain-{i:04d}", "city", 40 + i / 1000, 46.5, None) for i in range(600)]
    places += [
        (pid, AWKWARD[i % len(AWKWARD)], FLOATS[i % len(FLOATS)], FLOATS[-1 - i % 7], "plain-0001")
        for i, pid in enumerate(odd_ids)
    ]
    store.bulk_insert(
        "place",
        ("id", "role", "lat", "lon", "parent_id", "importance", "geonames_id", "wikidata_id"),
        [
            (
                pid,
                role,
                lat,
                lon,
                parent,
                0,
                1000 + i if i % 3 else None,
                f"Q{i}" if i % 2 else "=Q",
            )
            for i, (pid, role, lat, lon, parent) in enumerate(places)
        ],
    )
    store.bulk_insert(
        "population",
        ("place_id", "value", "year", "source_id"),
        [
            ("plain-0002", 100, None, plain),
            ("plain-0002", 200, 2000, plain),
            ("plain-0002", 150, 2010, plain),
            ("plain-0003", 5, None, plain),
            ("plain-0003", 7, None, plain),
            ("=formula", 0, -500, None),
        ],
    )
    names = []
    for i, (pid, *_) in enumerate(places):
        for j, lang in enumerate(("en", "ru", "hy-Latn", "az")):
            odd = pid in odd_ids or (i < 150 and (i * 4 + j) % 37 == 0)
            text = AWKWARD[(i + j) % len(AWKWARD)] if odd else f"Name {i} {lang}"
            names.append(
                (
                    len(names) + 1,
                    pid,
                    text.strip() or "x",
                    lang,
                    "Latn",
                    ("official", "common", "historic", "variant")[j],
                    AWKWARD[-1 - j] if odd else None,
                    -782 if j == 2 else None,
                    1991 if j == 2 and odd else None,
                    AWKWARD[(i + 5) % len(AWKWARD)] if odd else ("" if j == 3 else None),
                    int(j == 0),
                    sources[(i + j) % len(sources)] if odd else plain,
                )
            )
    store.bulk_insert("name", ("id", *NAME_COLUMNS), names)
    return len(names)


def _reference(
    g: Gazetteer,
    *,
    raw: bool = False,
    bom: bool = False,
    place_ids: list[str] | None = None,
    langs: tuple[str, ...] = (),
) -> bytes:
    """The long layout as csv.writer writes it from the plain Python rows (``long_rows``)."""
    buffer = io.StringIO(newline="")
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LONG_COLUMNS)
    for row in long_rows(g.store, place_ids):
        cells = row if raw else [neutralise(c) for c in row]
        if not langs or any(cells[10] == w or cells[10].startswith(w + "-") for w in langs):
            writer.writerow(cells)
    return buffer.getvalue().encode("utf-8")


@pytest.mark.parametrize("nul_citation", [False, True])
def test_fast_export_bytes_equal_the_csv_module_for_awkward_cells(
    empty_gazetteer: Gazetteer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nul_citation: bool
) -> None:
    g = empty_gazetteer
    names = _awkward_gazetteer(g, nul_citation=nul_citation)
    requoted: list[int] = []  # batches that went through csv.writer: not the plain one

    def spy(store: Store, batch: list[tuple[bytes, int]], fix: object) -> bytes:
        requoted.append(len(batch))
        return _requoted(store, batch, fix)  # type: ignore[arg-type]

    monkeypatch.setattr(csv_export, "_requoted", spy)
    path = tmp_path / "names.csv"
    for raw in (False, True):
        expected = _reference(g, raw=raw)
        assert expected.count(b'"') > 100 and b"\x00" in expected
        assert b"'=SUM(A1)" in expected if not raw else b",=SUM(A1)," in expected
        assert g.export_csv(path, raw=raw) == names
        assert path.read_bytes() == expected  # the file: bytes straight from SQLite
        assert export_csv_text(g.store, raw=raw).encode("utf-8") == expected  # a text stream
    assert requoted == [1000, names - 2000] * 4  # two layouts (raw or not), file and text
    exported = path.read_bytes()
    assert b",0.30000000000000004," in exported and b",1e-05," in exported
    assert b",89.99999999999999," in exported and b",0.3333333333333333," in exported
    assert b"plain-0002,city,40.002,46.5,,150,2010," in exported
    assert b"plain-0003,city,40.003,46.5,,7,," in exported


def test_fast_export_keeps_bom_places_and_languages(
    empty_gazetteer: Gazetteer, tmp_path: Path
) -> None:
    g = empty_gazetteer
    _awkward_gazetteer(g, nul_citation=False)
    path = tmp_path / "some.csv"
    chosen = ["comma,id", "nul\x00id", "plain-0010", "=formula", "plain-0599"]
    g.export_csv(path, bom=True, place_ids=chosen, langs=("hy", "en"))
    expected = _reference(g, bom=True, place_ids=chosen, langs=("hy", "en"))
    assert path.read_bytes() == expected
    assert expected.startswith("\ufeffplace_id,".encode()) and b"hy-Latn" in expected
    assert b",ru," not in expected and b"plain-0011" not in expected


def test_fast_export_reports_progress_per_thousand_rows_and_cancels(
    empty_gazetteer: Gazetteer, tmp_path: Path
) -> None:
    g = empty_gazetteer
    names = _awkward_gazetteer(g, nul_citation=False)
    calls: list[tuple[int, int]] = []
    g.export_csv(
        tmp_path / "all.csv", progress=lambda done, total: calls.append((done, total)) or True
    )
    assert calls == [(1000, names), (2000, names), (names, names)]
    target = tmp_path / "cancelled.csv"
    with pytest.raises(CancelledError):
        g.export_csv(target, progress=lambda done, total: done < 2000)
    assert not [p.name for p in tmp_path.iterdir() if "cancelled" in p.name]
