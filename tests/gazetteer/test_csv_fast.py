"""The long CSV layout's fast path (cells built in SQL) gives exactly the cells of the
straightforward one, formula neutralisation included."""

from __future__ import annotations

from pathlib import Path

from gazetteer.csv_export import long_cells, long_rows
from gazetteer.csv_format import neutralise
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
    plain = list(long_rows(gazetteer.store))
    assert len(plain) > 600
    assert [list(r) for r in long_cells(gazetteer.store, raw=True)] == plain
    assert [list(r) for r in long_cells(gazetteer.store)] == [
        [neutralise(c) for c in r] for r in plain
    ]
    cells = {r[9]: r for r in long_cells(gazetteer.store, ["formulas"])}
    assert cells["'=HYPERLINK(1)"][2] == "-33.5"
    assert cells["-5"][9] == "-5"  # a number is not a formula
    assert cells["'@home"][18] == "'-1 source"
    assert cells["Erebuni"][14:16] == ("-782", "-600")
