"""Opening a file that needs a one-time upgrade: the façade says so before doing it, and the
CLI prints one line about it on stderr (on a million names the wait is long)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gazetteer import normalize
from gazetteer.facade import UPGRADE_STAGES, Gazetteer, PendingUpgrade
from gazetteer.search import INDEX_FORMAT
from tests.gazetteer.conftest import CliRun

#: Sets a file back to an older state: (meta key, how its value is changed).
Reset = Callable[[Path], None]


def _edit_meta(path: Path, key: str, change: Callable[[str], str]) -> None:
    g = Gazetteer.open(path)
    try:
        value = g.store.get_meta(key)
        assert value is not None
        g.store.set_meta(key, change(value))
    finally:
        g.close()


def older_index_format(path: Path) -> None:
    """The search index as the previous format wrote it (what every file had this session)."""
    _edit_meta(
        path, "search_index", lambda v: v.replace(f".{INDEX_FORMAT}:", f".{INDEX_FORMAT - 1}:")
    )


def older_key_rules(path: Path) -> None:
    """Keys written by other key rules."""
    _edit_meta(path, "key_rules_version", lambda v: f"{v}-old")


def _names(path: Path) -> int:
    g = Gazetteer.open(path)
    try:
        return g.stats().names
    finally:
        g.close()


@pytest.mark.parametrize(
    ("reset", "work"),
    [(older_index_format, "refresh_index"), (older_key_rules, "rebuild_keys")],
)
def test_pending_upgrade_is_announced_then_done_once(db: Path, reset: Reset, work: str) -> None:
    names = _names(db)
    reset(db)
    g = Gazetteer.open(db, prepare=False)
    try:
        assert g.pending_upgrade() == PendingUpgrade(work, names)
        stages: list[str | None] = []

        def progress(done: int, total: int, stage: str | None = None) -> bool:
            stages.append(stage)
            return True

        g.prepare(progress)
        expected = (
            [UPGRADE_STAGES["rebuild_keys"], UPGRADE_STAGES["refresh_index"]]
            if work == "rebuild_keys"
            else [UPGRADE_STAGES["refresh_index"]]
        )
        assert stages == expected
        assert g.pending_upgrade() is None
        assert g.store.get_meta("key_rules_version") == str(normalize.KEY_RULES_VERSION)
        assert g.search("Shushi")[0].place.id == "shusha"
    finally:
        g.close()
    again = Gazetteer.open(db, prepare=False)
    try:
        assert again.pending_upgrade() is None
    finally:
        again.close()


def test_open_still_upgrades_by_itself(db: Path) -> None:
    older_index_format(db)
    g = Gazetteer.open(db)
    try:
        assert g.pending_upgrade() is None
    finally:
        g.close()


def test_an_up_to_date_file_has_nothing_pending(db: Path) -> None:
    g = Gazetteer.open(db, prepare=False)
    try:
        assert g.pending_upgrade() is None
        stages: list[str | None] = []
        g.prepare(lambda done, total, stage=None: stages.append(stage) or True)
        assert stages == []
    finally:
        g.close()


def test_names_written_since_the_last_refresh_are_no_upgrade(db: Path) -> None:
    # A catch-up of a few key rows is part of every search, not worth a notice.
    g = Gazetteer.open(db)
    try:
        g.store.set_meta("search_index", g.store.get_meta("search_index").rsplit(":", 1)[0] + ":1")  # type: ignore[union-attr]
        assert g.pending_upgrade() is None
    finally:
        g.close()


def test_a_new_file_is_seeded_on_open_and_needs_nothing_more(tmp_path: Path) -> None:
    g = Gazetteer.open(tmp_path / "new.sqlite", prepare=False)
    try:
        assert g.place("shusha").role == "city"
        assert g.pending_upgrade() is None
    finally:
        g.close()


# -- the CLI ----------------------------------------------------------------------------------


def test_cli_says_why_it_waits(db: Path, cli: CliRun) -> None:
    names = _names(db)
    older_index_format(db)
    code, out, err = cli("show", "shusha", "--db", str(db))
    assert code == 0
    assert "shusha" in out
    grouped = f"{names:,}".replace(",", " ")
    assert err == (
        f"Updating the search index of {db.name} for this version (once, {grouped} names)…\n"
    )
    code, _, err = cli("show", "shusha", "--db", str(db))
    assert (code, err) == (0, "")


def test_cli_says_so_for_a_key_rebuild_too(db: Path, cli: CliRun) -> None:
    older_key_rules(db)
    code, _, err = cli("show", "shusha", "--db", str(db))
    assert code == 0
    assert err.startswith(f"Rebuilding the search keys of {db.name} for this version (once, ")


def test_cli_is_silent_when_nothing_is_pending(tmp_path: Path, db: Path, cli: CliRun) -> None:
    code, _, err = cli("show", "shusha", "--db", str(db))
    assert (code, err) == (0, "")
    code, _, err = cli("show", "shusha", "--db", str(tmp_path / "fresh.sqlite"))
    assert (code, err) == (0, "")
