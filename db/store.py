"""Every SQL statement the program runs, behind one ``Store`` object.

The store speaks in plain dicts and tuples (rows), never in domain objects: the domain layer
above turns rows into dataclasses. Writes happen inside ``transaction()`` so that an operation
either lands whole or leaves the file exactly as it was. sqlite3 errors leave this module only
as typed ``StorageError`` subclasses.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import itertools
import json
import sqlite3
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from db import feature_export, name_export
from db.connection import SCHEMA_VERSION, open_database
from db.errors import CorruptDatabaseError, StorageError, translate

Row = dict[str, Any]
#: Computes the search-key rows ``(kind, key)`` of a name from its text and language tag.
KeyBuilder = Callable[[str, str], Iterable[tuple[str, str]]]
#: The letters of a plain key that ``letter_typo`` indexes ('' when the key gets no rows);
#: passed in by the search layer.
TypoLetters = Callable[[str], str]
#: SQLite virtual-machine steps between two checks of ``Store.abort_when``'s condition.
ABORT_CHECK_STEPS = 1_000_000
#: A refresh of more key rows than this drops and rebuilds the rank index.
BIG_REFRESH_ROWS = 50_000
#: Page cache of a bulk load and of a big refresh, MiB (``_tuned_for_big_sorts``): enough
#: for the B-tree pages an insert touches; more made the big sorts slower.
BULK_CACHE_MIB = 16
#: Helper threads SQLite's sorter may use during a bulk load or a big refresh.
BULK_SORT_THREADS = 1

PLACE_COLUMNS = (
    "id",
    "role",
    "lat",
    "lon",
    "parent_id",
    "importance",
    "geonames_id",
    "wikidata_id",
    "note",
)
NAME_COLUMNS = (
    "place_id",
    "text",
    "lang",
    "script",
    "kind",
    "romanization",
    "valid_from",
    "valid_to",
    "used_by",
    "preferred",
    "source_id",
)

#: Tables and columns that ``Store.bulk_insert`` may write (never names taken from input).
BULK_COLUMNS: dict[str, tuple[str, ...]] = {
    "place": PLACE_COLUMNS,
    "name": ("id", *NAME_COLUMNS),
    "name_key": ("name_id", "kind", "key", "rank"),
    "population": ("place_id", "value", "year", "source_id"),
}


def _dict_factory(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> Row:
    return {col[0]: value for col, value in zip(cursor.description, row, strict=True)}


def _chunks(values: Iterable[Any], *, sort: bool = False) -> Iterator[tuple[list[Any], str]]:
    """Distinct ``values`` (first-seen order, or sorted) in chunks of 500, each with its
    ``?,?,…`` placeholders: SQLite caps the number of bound variables in one statement.
    """
    distinct = sorted(set(values)) if sort else list(dict.fromkeys(values))
    for start in range(0, len(distinct), 500):
        chunk = distinct[start : start + 500]
        yield chunk, ",".join("?" * len(chunk))


class Store:
    """The database file and the statements that read and write it.

    One connection, guarded by a lock so the UI's worker threads and its main thread can
    share it; SQLite serialises writers anyway, and reads here are short.
    """

    def __init__(self, db: Database, path: Path | None, backup: Path | None = None) -> None:
        self.db = db
        self.conn = db.conn
        self.conn.row_factory = _dict_factory
        self.path = path
        #: The copy taken before this open migrated the file, if it did.
        self.backup_path = backup
        self._lock = threading.RLock()
        self._in_transaction = False
        #: The error after which a rollback failed, while that transaction is still open.
        self._unrolled: BaseException | None = None
        #: Index definitions dropped by ``bulk_load`` and not yet created again.
        self._deferred_indexes: list[Row] = []
        #: SQL functions registered on the connection, by name (``_export_functions``).
        self._functions: dict[str, Callable[..., Any]] = {}
        #: Numbers the name exports (``iter_name_lines``) running on this connection.
        self._exports = itertools.count(1)

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True) -> Store:
        """Open or create the database file at ``path`` (see ``db.open_database``)."""
        db, backup = open_database(path, create=create)
        return cls(db, Path(path), backup)

    def abort_when(self, should_stop: Callable[[], bool] | None) -> None:
        """While set, a statement on this connection stops as soon as ``should_stop()``
        returns True (it fails with a StorageError; asked every ~million SQLite steps, a few
        milliseconds of work). ``None`` removes it.

        Why not ``sqlite3_interrupt``: it stays in force until no statement at all is open
        on the connection, so with a paused cursor elsewhere it would also stop the
        rollback that must follow. This check exists only while it is set.
        """
        if should_stop is None:
            self.conn.set_progress_handler(None, 0)
        else:
            self.conn.set_progress_handler(lambda: 1 if should_stop() else 0, ABORT_CHECK_STEPS)

    def close(self) -> None:
        """Close the connection; the store is unusable afterwards."""
        with self._lock:
            self.conn.close()

    # -- plumbing ---------------------------------------------------------------------------

    def _execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.Error as error:
            raise translate(error, self.path) from error

    def _all(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Row]:
        with self._lock:
            return list(self._execute(sql, params).fetchall())

    def _one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Row | None:
        with self._lock:
            row: Row | None = self._execute(sql, params).fetchone()
            return row

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self._one(sql, params)
        return None if row is None else next(iter(row.values()))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """One write transaction: everything inside lands together or not at all.

        Nested use joins the outer transaction, so composite operations stay atomic.
        """
        with self._lock:
            if self._in_transaction:
                yield self
                return
            if self.conn.in_transaction:
                self._end_unrolled_transaction()
            self._execute("BEGIN IMMEDIATE")
            self._in_transaction = True
            try:
                yield self
            except BaseException as error:
                self._roll_back(error)
                raise
            else:
                try:
                    self._execute("COMMIT")
                except BaseException as error:
                    self._roll_back(error)  # a failed COMMIT leaves the transaction open
                    raise
            finally:
                self._in_transaction = False

    def _roll_back(self, cause: BaseException) -> None:
        """Roll back the open transaction after ``cause``; if it stays open, say so.

        A ROLLBACK fails when the connection is interrupted (a progress handler asking to
        stop, ``sqlite3_interrupt`` while another statement is still open) or on an I/O
        error, and the transaction then stays open: swallowing that, as this once did, left
        the next ``BEGIN`` failing with "cannot start a transaction within a transaction",
        far from the cause. Retrying at once would fail the same way (the statement is
        still open, the handler still set), so the failure is surfaced: a ``StorageError``
        saying the rollback failed, chained to the error that made it necessary. Nothing of
        the transaction was committed. The next ``transaction()`` rolls it back first (by
        then its cause has usually gone: ``_end_unrolled_transaction``). A KeyboardInterrupt
        or SystemExit goes on as it is, with the failure as a note.
        """
        try:
            self.conn.execute("ROLLBACK")
            failure = "the transaction is still open"
        except sqlite3.Error as error:
            # "no transaction is active" when SQLite already rolled back by itself (after
            # SQLITE_FULL, IOERR ...): nothing to undo then, and in_transaction is False.
            failure = str(error)
        if not self.conn.in_transaction:
            return
        self._unrolled = cause
        detail = f"rollback failed ({failure}) after: {cause!r}; nothing was committed"
        if not isinstance(cause, Exception):
            cause.add_note(f"{self.path}: {detail}")
            return
        raise StorageError(self.path, detail) from cause

    def _end_unrolled_transaction(self) -> None:
        """Before a BEGIN: roll back the transaction a failed rollback left open, or say
        clearly why there is an open transaction and it cannot be ended."""
        cause, self._unrolled = self._unrolled, None
        if cause is None:
            raise StorageError(
                self.path,
                "the connection is inside a transaction that Store.transaction did not start",
            )
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.Error as error:
            self._unrolled = cause
            raise StorageError(
                self.path,
                f"a transaction whose rollback failed after {cause!r} is still open, and"
                f" rolling it back failed again ({error})",
            ) from error

    def check_integrity(self) -> None:
        """Run the full ``PRAGMA integrity_check``; raise ``CorruptDatabaseError`` on failure."""
        rows = self._all("PRAGMA integrity_check")
        problems = [str(next(iter(r.values()))) for r in rows]
        if problems != ["ok"]:
            raise CorruptDatabaseError(self.path, "integrity check failed: " + "; ".join(problems))
        violations = self._all("PRAGMA foreign_key_check")
        if violations:
            raise CorruptDatabaseError(self.path, f"{len(violations)} foreign key violations")

    def schema_version(self) -> int:
        """The schema version stored in the file."""
        return int(self._scalar("PRAGMA user_version"))

    def applied_migrations(self) -> list[str]:
        """Names of the migrations applied to this file, in order."""
        return [r["name"] for r in self._all("SELECT name FROM _sqlite_migrations ORDER BY rowid")]

    # -- meta -------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """A value from the ``meta`` table, or None."""
        value = self._scalar("SELECT value FROM meta WHERE key = ?", [key])
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` in the ``meta`` table."""
        with self.transaction():
            self._execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    def is_empty(self) -> bool:
        """True when the file holds no place at all."""
        return self._one("SELECT 1 FROM place LIMIT 1") is None

    # -- sources ----------------------------------------------------------------------------

    def source_id(self, citation: str, url: str | None = None) -> int:
        """The id of the source with this citation, created if new."""
        row = self._one("SELECT id FROM source WHERE citation = ?", [citation])
        if row is not None:
            return int(row["id"])
        with self.transaction():
            cursor = self._execute(
                "INSERT INTO source(citation, url) VALUES (?, ?)", [citation, url]
            )
            return int(cursor.lastrowid or 0)

    def get_source(self, source_id: int) -> Row | None:
        """One source row by id."""
        return self._one("SELECT * FROM source WHERE id = ?", [source_id])

    def sources_by_id(self, ids: Iterable[int]) -> dict[int, Row]:
        """Source rows keyed by id, for the ids given."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        return {
            r["id"]: r for r in self._all(f"SELECT * FROM source WHERE id IN ({marks})", wanted)
        }

    def set_place_sources(self, place_id: str, source_ids: Sequence[int]) -> None:
        """Attach sources to a place, keeping existing ones and their order."""
        with self.transaction():
            start = self._scalar(
                "SELECT coalesce(max(position), -1) + 1 FROM place_source WHERE place_id = ?",
                [place_id],
            )
            for offset, source_id in enumerate(source_ids):
                self._execute(
                    "INSERT OR IGNORE INTO place_source(place_id, source_id, position) "
                    "VALUES (?, ?, ?)",
                    [place_id, source_id, start + offset],
                )

    def citations_for_places(self, place_ids: Sequence[str]) -> dict[str, list[str]]:
        """The citations of the sources of many places at once, each place's in their
        recorded order (``place_sources`` for a batch: the wide CSV export asked once per
        place, 235 000 queries for a GeoNames import)."""
        result: dict[str, list[str]] = {pid: [] for pid in place_ids}
        for chunk, marks in _chunks(place_ids):
            for place_id, citation in self._tuples(
                "SELECT ps.place_id, s.citation FROM place_source ps "
                f"JOIN source s ON s.id = ps.source_id WHERE ps.place_id IN ({marks}) "
                "ORDER BY ps.place_id, ps.position",
                chunk,
            ):
                result[place_id].append(citation)
        return result

    def place_sources(self, place_id: str) -> list[Row]:
        """The sources cited for a place as a whole, in their recorded order."""
        return self._all(
            "SELECT s.* FROM place_source ps JOIN source s ON s.id = ps.source_id "
            "WHERE ps.place_id = ? ORDER BY ps.position",
            [place_id],
        )

    def source_counts(self) -> list[Row]:
        """Every source with how many places, names and populations cite it."""
        return self._all(
            """
            SELECT s.id, s.citation, s.url,
                   (SELECT count(*) FROM place_source ps WHERE ps.source_id = s.id) AS places,
                   (SELECT count(*) FROM name n WHERE n.source_id = s.id) AS names,
                   (SELECT count(*) FROM population p WHERE p.source_id = s.id) AS populations
            FROM source s ORDER BY s.citation
            """
        )

    # -- places -----------------------------------------------------------------------------

    def get_place(self, place_id: str) -> Row | None:
        """One place row by id."""
        return self._one("SELECT * FROM place WHERE id = ?", [place_id])

    def get_places(self, place_ids: Sequence[str]) -> dict[str, Row]:
        """Place rows keyed by id (missing ids are simply absent)."""
        result: dict[str, Row] = {}
        for chunk, marks in _chunks(place_ids):
            for row in self._all(f"SELECT * FROM place WHERE id IN ({marks})", chunk):
                result[row["id"]] = row
        return result

    def insert_place(self, row: Row) -> None:
        """Insert a new place (all ``PLACE_COLUMNS`` that are present in ``row``)."""
        columns = [c for c in PLACE_COLUMNS if c in row]
        marks = ",".join("?" * len(columns))
        with self.transaction():
            self._execute(
                f"INSERT INTO place({','.join(columns)}) VALUES ({marks})",
                [row[c] for c in columns],
            )

    def update_place(self, place_id: str, changes: Row) -> None:
        """Set the given columns of one place (not ``importance``: see ``set_importance``)."""
        if "importance" in changes:
            # The search data copies importance (name_key.rank, letter_typo): a write that
            # skipped them would leave the place ranked and typo-indexed as it was.
            raise ValueError("a place's importance is written by set_importance")
        columns = [c for c in PLACE_COLUMNS if c in changes and c != "id"]
        if not columns:
            return
        assignments = ", ".join(f"{c} = ?" for c in columns)
        with self.transaction():
            self._execute(
                f"UPDATE place SET {assignments} WHERE id = ?",
                [*(changes[c] for c in columns), place_id],
            )

    def place_ids_with_name(self, text: str) -> list[str]:
        """Ids of the places that have a stored name exactly equal to ``text``."""
        return [
            r["place_id"]
            for r in self._all(
                "SELECT DISTINCT place_id FROM name WHERE text = ? ORDER BY place_id", [text]
            )
        ]

    def children(self, place_id: str) -> list[Row]:
        """Places whose current parent is ``place_id``, by importance then id."""
        return self._all(
            "SELECT * FROM place WHERE parent_id = ? ORDER BY importance DESC, id", [place_id]
        )

    def all_place_ids(self) -> list[str]:
        """Every place id, in id order."""
        return [r["id"] for r in self._all("SELECT id FROM place ORDER BY id")]

    def places_in_box(self, south: float, west: float, north: float, east: float) -> list[Row]:
        """Places with coordinates inside a latitude/longitude box."""
        return self._all(
            "SELECT * FROM place WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
            [south, north, west, east],
        )

    def places_with_coordinates(self) -> list[Row]:
        """Every place that has coordinates."""
        return self._all("SELECT * FROM place WHERE lat IS NOT NULL AND lon IS NOT NULL")

    # -- names ------------------------------------------------------------------------------

    def insert_name(self, row: Row, keys: Iterable[tuple[str, str]] = ()) -> int | None:
        """Insert a name and its search keys; None when an identical name already exists."""
        columns = [c for c in NAME_COLUMNS if c in row]
        marks = ",".join("?" * len(columns))
        with self.transaction():
            cursor = self._execute(
                f"INSERT OR IGNORE INTO name({','.join(columns)}) VALUES ({marks})",
                [row[c] for c in columns],
            )
            if cursor.rowcount == 0:
                return None
            name_id = int(cursor.lastrowid or 0)
            self._execute_many(
                "INSERT INTO name_key(name_id, kind, key) VALUES (?, ?, ?)",
                [(name_id, kind, key) for kind, key in keys],
            )
            return name_id

    def _execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        try:
            self.conn.executemany(sql, rows)
        except sqlite3.Error as error:
            raise translate(error, self.path) from error

    def update_name(self, name_id: int, changes: Row) -> None:
        """Set the given columns of one name."""
        columns = [c for c in NAME_COLUMNS if c in changes and c != "place_id"]
        if not columns:
            return
        assignments = ", ".join(f"{c} = ?" for c in columns)
        with self.transaction():
            self._execute(
                f"UPDATE name SET {assignments} WHERE id = ?",
                [*(changes[c] for c in columns), name_id],
            )

    def names_for_place(self, place_id: str) -> list[Row]:
        """All names of a place in a stable order (language, preferred first, kind, period)."""
        return self._all(
            """
            SELECT n.*, s.citation AS source FROM name n
            LEFT JOIN source s ON s.id = n.source_id
            WHERE n.place_id = ?
            ORDER BY n.lang, n.preferred DESC, n.kind, coalesce(n.valid_from, -99999),
                     coalesce(n.valid_to, 99999), n.text
            """,
            [place_id],
        )

    def names_for_places(self, place_ids: Sequence[str]) -> dict[str, list[Row]]:
        """Names of many places at once, keyed by place id (same order as names_for_place)."""
        result: dict[str, list[Row]] = {pid: [] for pid in place_ids}
        for chunk, marks in _chunks(place_ids):
            rows = self._all(
                f"""
                SELECT n.*, s.citation AS source FROM name n
                LEFT JOIN source s ON s.id = n.source_id
                WHERE n.place_id IN ({marks})
                ORDER BY n.place_id, n.lang, n.preferred DESC, n.kind,
                         coalesce(n.valid_from, -99999), coalesce(n.valid_to, 99999), n.text
                """,
                chunk,
            )
            for row in rows:
                result[row["place_id"]].append(row)
        return result

    def find_name_id(self, row: Row) -> int | None:
        """The id of the stored name identical to ``row`` (same identity columns), if any."""
        found = self._one(
            "SELECT id FROM name WHERE place_id = ? AND text = ? AND lang = ? AND kind = ? "
            "AND coalesce(valid_from, -99999) = coalesce(?, -99999) "
            "AND coalesce(valid_to, -99999) = coalesce(?, -99999)",
            [
                row["place_id"],
                row["text"],
                row["lang"],
                row["kind"],
                row.get("valid_from"),
                row.get("valid_to"),
            ],
        )
        return None if found is None else int(found["id"])

    def clear_preferred(self, place_id: str, lang: str) -> None:
        """Unset the preferred flag of every name of ``place_id`` in language ``lang``."""
        with self.transaction():
            self._execute(
                "UPDATE name SET preferred = 0 WHERE place_id = ? AND lang = ?", [place_id, lang]
            )

    # -- search keys ------------------------------------------------------------------------

    def rebuild_name_keys(self, key_builder: KeyBuilder, version: str) -> int:
        """Recompute every name's search keys with ``key_builder``; record ``version``.

        Runs in one transaction: the index is never half old, half new. Names are streamed
        as plain tuples (a million of them do not fit in memory) and each key row gets its
        place's importance as ``rank``. The typo index (``skel_delete``) is emptied: the
        search layer refills it (``refresh_search_index``), and so is the letter typo
        index. Returns the number of names processed.

        A bulk load of its own, so that it is right when called alone: the key indexes are
        dropped for the inserts and built at its end. Inside a load that already deferred
        them (``Gazetteer.ensure_search_keys``, which refreshes the search index in the
        same load) it drops nothing and builds nothing: that outer load builds them once,
        at its end.
        """
        with self.bulk_load(defer_indexes_on=("name_key",)):
            self._execute("DELETE FROM name_key")
            self._execute("DELETE FROM skel_delete")
            self._execute("DELETE FROM letter_typo")
            count = 0
            for batch in self._stream_batches(
                "SELECT n.id, n.text, n.lang, p.importance FROM name n "
                "JOIN place p ON p.id = n.place_id ORDER BY n.id",
                (),
                5000,
            ):
                count += len(batch)
                self._execute_many(
                    "INSERT INTO name_key(name_id, kind, key, rank) VALUES (?, ?, ?, ?)",
                    (
                        (name_id, kind, key, importance)
                        for name_id, text, lang, importance in batch
                        for kind, key in key_builder(text, lang)
                    ),
                )
            self._execute(
                "INSERT INTO meta(key, value) VALUES ('key_rules_version', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [version],
            )
            return count

    # -- search (gazetteer.search) ----------------------------------------------------------
    # The search layer computes every key in Python; these statements only look keys up.
    # Values are always bound; the SQL text varies only in how many "?" an IN list holds
    # and which fixed filter clauses are present.

    def _tuples(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Rows as plain tuples: the search reads hundreds per keystroke, dicts cost more."""
        with self._lock:
            try:
                cursor = self.conn.cursor()
                cursor.row_factory = None
                return cursor.execute(sql, params).fetchall()
            except sqlite3.Error as error:
                raise translate(error, self.path) from error

    def search_key_rows(
        self,
        equal: Sequence[tuple[str, Sequence[str]]],
        ranges: Sequence[tuple[str, str, str]],
        limit: int,
        *,
        langs: Sequence[str] = (),
        roles: Sequence[str] = (),
        bbox: tuple[float, float, float, float] | None = None,
        one_per_key: bool = False,
    ) -> list[tuple[str, str, int, float | None]]:
        """Key rows ``(kind, key, name_id, rank)`` matching search keys, best-ranked first.

        ``equal`` holds ``(kind, keys)`` for equality lookups, ``ranges`` holds
        ``(kind, low, high)`` for prefix lookups (``low <= key < high``). Each lookup returns
        at most ``limit`` rows, those of the most important places (``rank``), so a key
        shared by thousands of names costs one index range, not thousands of joins. With
        ``one_per_key`` an equality lookup returns one row per key and rank (the lowest
        name id; the names of one place share its rank), so ``limit`` counts places, not
        the dozens of names a big city has under one key.
        ``langs`` keeps names whose language tag is one of these or a subtag of one
        (``hy`` keeps ``hy-Latn``); ``roles`` keeps places with one of these roles; ``bbox``
        is (south, west, north, east) in degrees (west > east crosses the antimeridian).
        """
        where: list[str] = []
        params: list[Any] = []
        if langs:
            where.append(
                "(" + " OR ".join("n.lang = ? OR n.lang LIKE ? ESCAPE '\\'" for _ in langs) + ")"
            )
            for lang in langs:
                escaped = lang.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                params += [lang, escaped + "-%"]
        if roles:
            where.append(f"p.role IN ({','.join('?' * len(roles))})")
            params += list(roles)
        if bbox is not None:
            south, west, north, east = bbox
            where.append("p.lat BETWEEN ? AND ?")
            params += [south, north]
            if west <= east:
                where.append("p.lon BETWEEN ? AND ?")
            else:
                where.append("(p.lon >= ? OR p.lon <= ?)")
            params += [west, east]
        if where:
            tables = (
                "FROM name_key k JOIN name n ON n.id = k.name_id "
                "JOIN place p ON p.id = n.place_id WHERE "
            )
            extra = " AND " + " AND ".join(where)
        else:
            tables = "FROM name_key k WHERE "
            extra = ""
        columns = "k.kind, k.key, k.name_id, k.rank"
        branches: list[str] = []
        values: list[Any] = []
        for kind, keys in equal:
            keys = list(dict.fromkeys(keys))
            if not keys:
                continue
            marks = ",".join("?" * len(keys))
            if one_per_key:
                # Grouped in the index's own order (kind, key, rank, name_id): no sort but
                # the final one over the groups.
                branches.append(
                    f"SELECT * FROM (SELECT k.kind, k.key, min(k.name_id), k.rank {tables}"
                    f"k.kind = ? AND k.key IN ({marks}){extra} "
                    "GROUP BY k.key, k.rank ORDER BY k.rank DESC LIMIT ?)"
                )
            else:
                branches.append(
                    f"SELECT * FROM (SELECT {columns} {tables}k.kind = ? AND k.key IN ({marks})"
                    f"{extra} ORDER BY k.rank DESC LIMIT ?)"
                )
            values += [kind, *keys, *params, limit]
        for kind, low, high in ranges:
            branches.append(
                f"SELECT * FROM (SELECT {columns} {tables}k.kind = ? AND k.key >= ? AND k.key < ?"
                f"{extra} ORDER BY k.rank DESC LIMIT ?)"
            )
            values += [kind, low, high, *params, limit]
        if not branches:
            return []
        return [
            (row[0], row[1], row[2], row[3])
            for row in self._tuples(" UNION ALL ".join(branches), values)
        ]

    def search_name_rows(self, name_ids: Sequence[int]) -> list[Row]:
        """The names with these ids and the facts about their places that ranking needs."""
        columns = (
            "id", "place_id", "text", "lang", "kind", "preferred", "role", "importance",
            "parent_id",
        )  # fmt: skip
        result: list[Row] = []
        for chunk, marks in _chunks(name_ids):
            rows = self._tuples(
                "SELECT n.id, n.place_id, n.text, n.lang, n.kind, n.preferred, p.role, "
                "p.importance, p.parent_id FROM name n JOIN place p ON p.id = n.place_id "
                f"WHERE n.id IN ({marks})",
                chunk,
            )
            result += [dict(zip(columns, row, strict=True)) for row in rows]
        return result

    def skeletons_near(
        self, stored_deletes: Sequence[str], query_deletes: Sequence[str], limit: int
    ) -> list[str]:
        """Stored canonical skeletons within reach of a typo (see ``skel_delete``).

        ``stored_deletes`` are looked up among the deletions of stored skeletons and cores
        (the query or its own deletions), ``query_deletes`` among the stored skeletons and
        cores themselves (the query with characters deleted).
        """
        branches: list[str] = []
        values: list[Any] = []
        stored = list(dict.fromkeys(stored_deletes))
        if stored:
            branches.append(
                f"SELECT skel FROM skel_delete WHERE del IN ({','.join('?' * len(stored))})"
            )
            values += stored
        own = list(dict.fromkeys(query_deletes))
        if own:
            branches.append(
                "SELECT key AS skel FROM name_key WHERE kind IN ('skel', 'core') "
                f"AND key IN ({','.join('?' * len(own))})"
            )
            values += own
        if not branches:
            return []
        rows = self._all(f"SELECT DISTINCT skel FROM ({' UNION ALL '.join(branches)}) LIMIT ?",
                         [*values, limit])  # fmt: skip
        return [r["skel"] for r in rows]

    def place_parents(self, place_ids: Sequence[str]) -> dict[str, str | None]:
        """``{place_id: parent_id}`` for the given places."""
        result: dict[str, str | None] = {}
        for chunk, marks in _chunks(place_ids):
            for row in self._all(
                f"SELECT id, parent_id FROM place WHERE id IN ({marks})",
                chunk,
            ):
                result[row["id"]] = row["parent_id"]
        return result

    def delete_name(self, name_id: int) -> bool:
        """Delete one name (its search keys go with it); False if there was no such name."""
        with self.transaction():
            return self._execute("DELETE FROM name WHERE id = ?", [name_id]).rowcount > 0

    def max_name_key_rowid(self) -> int:
        """The highest ``name_key`` rowid (0 when empty): new key rows always lie above it."""
        return int(self._scalar("SELECT coalesce(max(rowid), 0) FROM name_key"))

    def refresh_search_index(
        self,
        after_rowid: int,
        min_skeleton_length: int,
        typo_letters: TypoLetters | None = None,
        min_letter_rank: float = 0.0,
    ) -> None:
        """Bring the derived search data up to date for key rows above ``after_rowid``.

        Fills ``rank`` from the places' importance, adds the one-character deletions of
        new canonical skeletons and cores (``kind`` 'skel' or 'core', at least
        ``min_skeleton_length`` long) to ``skel_delete`` and, with ``typo_letters``, the
        ``letter_typo`` rows of new plain keys ranked at least ``min_letter_rank``.
        ``after_rowid = 0`` rebuilds both from scratch. Big refreshes drop the rank index
        and build it once at the end (cheaper than keeping it in order row by row).
        Rows already refreshed follow their place's importance through ``set_importance``.
        """
        with self.transaction(), contextlib.ExitStack() as tuning:
            pending = int(
                self._scalar("SELECT count(*) FROM name_key WHERE rowid > ?", [after_rowid])
            )
            if after_rowid == 0:
                self._execute("DELETE FROM skel_delete")
                self._execute("DELETE FROM letter_typo")
            if pending == 0:
                return
            big = pending > BIG_REFRESH_ROWS
            if big:
                tuning.enter_context(self._tuned_for_big_sorts())
            if big:
                self._execute("DROP INDEX IF EXISTS name_key_ranked")
            self._execute(
                "UPDATE name_key SET rank = p.importance "
                "FROM name n JOIN place p ON p.id = n.place_id "
                "WHERE n.id = name_key.name_id AND name_key.rowid > ? "
                # An incremental refresh leaves rows that came with their rank (bulk
                # imports write it): rewriting a million of them costs seconds for nothing.
                "AND (? = 0 OR name_key.rank IS NULL) "
                # Nor does a full one rewrite a rank that is right already: 7.1 M rows in
                # 2.0 s instead of 4.8 s (the joined form; a correlated subquery in both
                # SET and WHERE took 4.1 s).
                "AND name_key.rank IS NOT p.importance",
                [after_rowid, after_rowid],
            )
            if big:
                self._execute(
                    "CREATE INDEX IF NOT EXISTS name_key_ranked "
                    "ON name_key(kind, key, rank, name_id)"
                )
            # Deletions are spelled at positions 1…the longest new skeleton or core. A big
            # refresh finds it in the skel and core ranges of the rank index just built
            # (0.1 s over 7 M key rows); a small one walks its own rows by rowid (NOT
            # INDEXED: the planner would read every skeleton of the index instead).
            longest = self._scalar(
                f"SELECT max(length(key)) FROM name_key {'' if big else 'NOT INDEXED '}"
                "WHERE rowid > ? AND kind IN ('skel', 'core')",
                [after_rowid],
            )
            self._ensure_positions(int(longest or 0))
            # Each deletion, and where deleting a character brings two equal ones together
            # (kar·a·r → kaar), also the collapsed form (kar): skeletons never hold a
            # doubled letter, so a query skeleton can only meet the collapsed one. Sorted,
            # so that the WITHOUT ROWID B-tree grows by appending.
            self._execute(
                "INSERT OR IGNORE INTO skel_delete(del, skel) "
                "WITH s(key) AS (SELECT DISTINCT key FROM name_key WHERE rowid > ? "
                "AND kind IN ('skel', 'core') AND length(key) >= ?) "
                "SELECT d, key FROM ("
                "SELECT substr(s.key, 1, q.i - 1) || substr(s.key, q.i + 1) AS d, s.key "
                "FROM s JOIN temp.key_positions q ON q.i BETWEEN 1 AND length(s.key) "
                "UNION ALL "
                "SELECT substr(s.key, 1, q.i - 1) || substr(s.key, q.i + 2) AS d, s.key "
                "FROM s JOIN temp.key_positions q ON q.i > 1 AND q.i < length(s.key) "
                "AND substr(s.key, q.i - 1, 1) = substr(s.key, q.i + 1, 1)"
                ") ORDER BY 1, 2",
                [after_rowid, min_skeleton_length],
            )
            if typo_letters is not None:
                self._refresh_letter_typo(after_rowid, typo_letters, min_letter_rank)

    def _ensure_positions(self, longest: int) -> None:
        """Make ``temp.key_positions`` hold the positions 0…``longest`` (at least).

        The one positions table that both typo indexes are spelled over (``substr`` at each
        position; an integer key, so a range join walks it): the deletions of
        ``skel_delete`` and the parts of ``letter_typo``. No cap: it grows to the longest
        key asked for (Bangkok's ceremonial name has a skeleton of 144 characters).
        Created once per connection and only ever extended, never dropped (see
        ``_spell_letter_rows``). Migration 0003's ``seq`` table (1…100) spelled the
        deletions before and capped them at position 100; nothing reads it now. It stays,
        since migrations are append-only and one to drop it would make every file take a
        backup on its next open, for a hundred rows.
        """
        self._execute("CREATE TEMP TABLE IF NOT EXISTS key_positions (i INTEGER PRIMARY KEY)")
        have = int(self._scalar("SELECT coalesce(max(i), -1) FROM temp.key_positions"))
        if have < longest:
            self._execute(
                "INSERT INTO temp.key_positions(i) WITH RECURSIVE pos(i) AS (SELECT ? "
                "UNION ALL SELECT i + 1 FROM pos WHERE i < ?) SELECT i FROM pos",
                [have + 1, longest],
            )

    def _refresh_letter_typo(
        self, after_rowid: int, typo_letters: TypoLetters, min_rank: float
    ) -> None:
        """Add the ``letter_typo`` rows of plain keys above ``after_rowid`` ranked at least
        ``min_rank`` (migration 0004)."""
        plains = self._tuples(
            "SELECT DISTINCT key FROM name_key WHERE rowid > ? AND kind = 'plain' AND rank >= ?",
            [after_rowid, min_rank],
        )
        self._spell_letter_rows((str(plain) for (plain,) in plains), typo_letters, add=True)

    def _spell_letter_rows(
        self, plains: Iterable[str], typo_letters: TypoLetters, *, add: bool
    ) -> None:
        """Add (``add``) or delete the ``letter_typo`` rows of these plain keys.

        Python decides which keys get rows and what their letters are (``typo_letters``:
        the search layer's rule); SQL spells the rows, as it does the skeleton deletions:
        for a name of n letters cut A·B·C (A and C n/3 letters each), '<' + A·B and each of
        its one-letter deletions, '>' + B·C and each of its deletions, and '=' + A|C
        (``gazetteer.search.letter_parts`` is the same rule in Python; a test holds the two
        equal). Done in SQL, four million rows cost no Python objects, and are inserted
        sorted, so that the B-tree grows by appending. Deleting spells the same rows and
        removes each through the primary key (the table has no index by plain key).
        """
        # Temporary tables created once per connection and emptied, never dropped: this
        # runs before every search, and SQLite refuses to drop a table while another
        # statement is open on the connection (a paused export stream).
        self._execute("CREATE TEMP TABLE IF NOT EXISTS letter_source (plain TEXT, letters TEXT)")
        self._execute("DELETE FROM temp.letter_source")
        self._execute_many(
            "INSERT INTO temp.letter_source(plain, letters) VALUES (?, ?)",
            ((plain, letters) for plain in plains if (letters := typo_letters(plain))),
        )
        longest = self._scalar("SELECT max(length(letters)) FROM temp.letter_source")
        if longest is None:
            return
        # Position 0 keeps the whole part: substr(x, 1, -1) is '' and substr(x, 1) is x.
        self._ensure_positions(int(longest))
        rows = (
            "WITH cut AS ("
            "  SELECT plain, length(letters) AS n,"
            "  substr(letters, 1, length(letters) - length(letters) / 3) AS head,"
            "  substr(letters, length(letters) / 3 + 1) AS tail,"
            "  '=' || substr(letters, 1, length(letters) / 3) || '|'"
            "  || substr(letters, length(letters) - length(letters) / 3 + 1) AS ends"
            "  FROM temp.letter_source"
            ") "
            "SELECT part, n, plain FROM ("
            "SELECT '<' || substr(head, 1, p.i - 1) || substr(head, p.i + 1) AS part, n, plain "
            "FROM cut JOIN temp.key_positions p ON p.i <= length(head) "
            "UNION ALL "
            "SELECT '>' || substr(tail, 1, p.i - 1) || substr(tail, p.i + 1), n, plain "
            "FROM cut JOIN temp.key_positions p ON p.i <= length(tail) "
            "UNION ALL "
            "SELECT ends, n, plain FROM cut"
            ")"
        )
        if add:
            self._execute(f"INSERT OR IGNORE INTO letter_typo(part, len, plain) {rows} "
                          "ORDER BY 1, 2, 3")  # fmt: skip
        else:
            self._execute(f"DELETE FROM letter_typo WHERE (part, len, plain) IN ({rows})")
        self._execute("DELETE FROM temp.letter_source")

    def set_importance(
        self,
        place_id: str,
        value: float,
        typo_letters: TypoLetters,
        min_letter_rank: float,
        *,
        follow: bool = True,
    ) -> None:
        """Write a place's importance and, in the same transaction, the search data that
        copies it (``follow_importance``, with the search layer's ``typo_letters`` and
        notable rank). ``follow=False`` leaves that to the caller: a bulk load, whose
        ``name_key`` indexes are dropped (each follow would scan the table), runs
        ``follow_importance`` once for the places it changed when they are back.
        """
        with self.transaction():
            old = self._scalar("SELECT importance FROM place WHERE id = ?", [place_id])
            self._execute("UPDATE place SET importance = ? WHERE id = ?", [value, place_id])
            if follow:
                # Letter rows change only when the place crosses the notable line; on the
                # same side its keys' rows are right already, and only the ranks move
                # (a third of the cost of writing a place, for most places written).
                crossed = old is None or (old >= min_letter_rank) != (value >= min_letter_rank)
                self.follow_importance([place_id], typo_letters, min_letter_rank, letters=crossed)

    def follow_importance(
        self,
        place_ids: Iterable[str],
        typo_letters: TypoLetters,
        min_letter_rank: float,
        *,
        letters: bool = True,
    ) -> None:
        """Bring the search data that copies importance in line with these places' own.

        The key rows of their names take the place's importance as ``rank`` (migration
        0003). The ``letter_typo`` rows of their plain keys (migration 0004) are spelled
        where some notable place — a key row ranked at least ``min_letter_rank`` — has the
        key, and deleted where none has it any more: the rows are keyed by plain key and
        shared by every name with that key. Key rows that no refresh has seen yet (rank
        NULL: a place written in this same operation) are left to
        ``refresh_search_index``, which spells their rows when it ranks them.
        ``letters=False`` updates the ranks only (the places stayed on their side of
        ``min_letter_rank``).
        """
        with self.transaction():
            plains: set[str] = set()
            for chunk, marks in _chunks(place_ids, sort=True):
                if letters:
                    plains.update(
                        str(key)
                        for (key,) in self._tuples(
                            # From the places' names to their own key rows (name_key_name):
                            # "+k.kind" keeps the planner off the rank index, where it
                            # would walk every plain key of the gazetteer.
                            "SELECT DISTINCT k.key FROM name n "
                            "JOIN name_key k ON k.name_id = n.id "
                            f"WHERE n.place_id IN ({marks}) AND +k.kind = 'plain' "
                            "AND k.rank IS NOT NULL",
                            chunk,
                        )
                    )
                self._execute(
                    "UPDATE name_key SET rank = p.importance "
                    "FROM name n JOIN place p ON p.id = n.place_id "
                    f"WHERE n.place_id IN ({marks}) AND name_key.name_id = n.id "
                    "AND name_key.rank IS NOT p.importance",
                    chunk,
                )
            if not plains:
                return
            notable: set[str] = set()
            for chunk, marks in _chunks(plains, sort=True):
                notable.update(
                    str(key)
                    for (key,) in self._tuples(
                        "SELECT DISTINCT key FROM name_key WHERE kind = 'plain' "
                        f"AND key IN ({marks}) AND rank >= ?",
                        [*chunk, min_letter_rank],
                    )
                )
            self._spell_letter_rows(sorted(notable), typo_letters, add=True)
            self._spell_letter_rows(sorted(plains - notable), typo_letters, add=False)

    def letters_near(self, parts: Sequence[str], min_len: int, max_len: int) -> list[str]:
        """Plain keys of ``letter_typo`` rows with one of ``parts`` and a letter count
        between ``min_len`` and ``max_len`` (migration 0004)."""
        wanted = list(dict.fromkeys(parts))
        if not wanted:
            return []
        rows = self._tuples(
            "SELECT DISTINCT plain FROM letter_typo "
            f"WHERE part IN ({','.join('?' * len(wanted))}) AND len BETWEEN ? AND ?",
            [*wanted, min_len, max_len],
        )
        return [str(r[0]) for r in rows]

    # -- populations ------------------------------------------------------------------------

    def insert_population(self, row: Row) -> bool:
        """Add one dated population figure; False when the same figure is already stored."""
        with self.transaction():
            cursor = self._execute(
                "INSERT OR IGNORE INTO population(place_id, value, year, source_id) "
                "VALUES (?, ?, ?, ?)",
                [row["place_id"], row["value"], row.get("year"), row.get("source_id")],
            )
            return cursor.rowcount > 0

    def populations(self, place_id: str) -> list[Row]:
        """The population series of a place, oldest year first (undated last)."""
        return self._all(
            """
            SELECT p.*, s.citation AS source FROM population p
            LEFT JOIN source s ON s.id = p.source_id
            WHERE p.place_id = ?
            ORDER BY p.year IS NULL, p.year, p.value
            """,
            [place_id],
        )

    def latest_populations(self, place_ids: Sequence[str]) -> dict[str, Row]:
        """Each place's most recent population figure (a dated one wins over undated)."""
        result: dict[str, Row] = {}
        for chunk, marks in _chunks(place_ids):
            rows = self._all(
                f"""
                SELECT p.*, s.citation AS source FROM population p
                LEFT JOIN source s ON s.id = p.source_id
                WHERE p.place_id IN ({marks})
                ORDER BY p.place_id, p.year IS NOT NULL, p.year, p.value
                """,
                chunk,
            )
            for row in rows:  # later rows (newer years) overwrite earlier ones
                result[row["place_id"]] = row
        return result

    # -- relations --------------------------------------------------------------------------

    def insert_relation(self, row: Row) -> bool:
        """Add a dated relation between two places; False when it is already stored."""
        with self.transaction():
            cursor = self._execute(
                "INSERT OR IGNORE INTO relation"
                "(place_id, kind, target_id, valid_from, valid_to, source_id, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    row["place_id"],
                    row["kind"],
                    row["target_id"],
                    row.get("valid_from"),
                    row.get("valid_to"),
                    row.get("source_id"),
                    row.get("note"),
                ],
            )
            return cursor.rowcount > 0

    def relations_from(self, place_id: str) -> list[Row]:
        """Relations whose subject is ``place_id``, oldest first."""
        return self._all(
            "SELECT r.*, s.citation AS source FROM relation r "
            "LEFT JOIN source s ON s.id = r.source_id WHERE r.place_id = ? "
            "ORDER BY coalesce(r.valid_from, -99999), r.kind, r.target_id",
            [place_id],
        )

    def relations_to(self, place_id: str) -> list[Row]:
        """Relations whose object is ``place_id``, oldest first."""
        return self._all(
            "SELECT r.*, s.citation AS source FROM relation r "
            "LEFT JOIN source s ON s.id = r.source_id WHERE r.target_id = ? "
            "ORDER BY coalesce(r.valid_from, -99999), r.kind, r.place_id",
            [place_id],
        )

    # -- naming profiles --------------------------------------------------------------------

    def naming_profiles(self) -> list[Row]:
        """Every stored (user) naming profile: ``id``, ``settings`` (JSON text), timestamps."""
        return self._all("SELECT * FROM naming_profile ORDER BY id")

    def get_naming_profile(self, profile_id: str) -> Row | None:
        """One stored naming profile by id."""
        return self._one("SELECT * FROM naming_profile WHERE id = ?", [profile_id])

    def save_naming_profile(self, profile_id: str, settings: str, actor: str = "user") -> bool:
        """Create or replace a naming profile (``settings`` is JSON text); True if created."""
        at = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        with self.transaction():
            old = self.get_naming_profile(profile_id)
            self._execute(
                "INSERT INTO naming_profile(id, settings, created_at, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "settings = excluded.settings, updated_at = excluded.updated_at",
                [profile_id, settings, at, at],
            )
            action = "create" if old is None else "update"
            previous = old["settings"] if old else None
            self.log_change(
                actor, action, "naming_profile", profile_id, "settings", previous, settings
            )
            return old is None

    def delete_naming_profile(self, profile_id: str, actor: str = "user") -> bool:
        """Remove a stored naming profile; False if there was none with that id."""
        with self.transaction():
            old = self.get_naming_profile(profile_id)
            if old is None:
                return False
            self._execute("DELETE FROM naming_profile WHERE id = ?", [profile_id])
            self.log_change(
                actor, "delete", "naming_profile", profile_id, "settings", old["settings"], None
            )
            return True

    # -- change log -------------------------------------------------------------------------

    def log_change(
        self,
        actor: str,
        action: str,
        entity: str,
        entity_id: str,
        field: str | None = None,
        old: Any = None,
        new: Any = None,
    ) -> None:
        """Append one entry to the change log."""
        at = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        with self.transaction():
            self._execute(
                "INSERT INTO change(at, actor, action, entity, entity_id, field, old_value, "
                "new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    at,
                    actor,
                    action,
                    entity,
                    entity_id,
                    field,
                    None if old is None else str(old),
                    None if new is None else str(new),
                ],
            )

    def changes_for(self, entity: str, entity_id: str) -> list[Row]:
        """The change log of one record, oldest first."""
        return self._all(
            "SELECT * FROM change WHERE entity = ? AND entity_id = ? ORDER BY id",
            [entity, entity_id],
        )

    def descendant_ids(self, place_id: str) -> list[str]:
        """The place and every place under it in the current hierarchy (a cycle is cut)."""
        return [
            r["id"]
            for r in self._all(
                "WITH RECURSIVE sub(id) AS (SELECT id FROM place WHERE id = ? "
                "UNION SELECT p.id FROM place p JOIN sub ON p.parent_id = sub.id) "
                "SELECT id FROM sub ORDER BY id",
                [place_id],
            )
        ]

    def place_ids_where(
        self,
        *,
        roles: Sequence[str] = (),
        langs: Sequence[str] = (),
        box: tuple[float, float, float, float] | None = None,
    ) -> list[str]:
        """Ids of places with one of ``roles``, a name in one of ``langs`` (``hy`` also
        matches ``hy-Latn``) and coordinates inside ``box`` (south, west, north, east);
        an empty criterion does not filter."""
        conditions: list[str] = []
        params: list[Any] = []
        if roles:
            conditions.append(f"role IN ({','.join('?' * len(roles))})")
            params.extend(roles)
        if langs:
            tests = " OR ".join("n.lang = ? OR n.lang LIKE ?" for _ in langs)
            conditions.append(
                f"EXISTS (SELECT 1 FROM name n WHERE n.place_id = place.id AND ({tests}))"
            )
            for lang in langs:
                params.extend([lang, lang.replace("%", "").replace("_", "") + "-%"])
        if box is not None:
            conditions.append("lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?")
            params.extend([box[0], box[2], box[1], box[3]])
        where = " WHERE " + " AND ".join(conditions) if conditions else ""
        return [r["id"] for r in self._all(f"SELECT id FROM place{where} ORDER BY id", params)]

    # -- bulk loading -----------------------------------------------------------------------
    # Imports of hundreds of thousands of places go through these: plain ``executemany``
    # inside the caller's one transaction (sqlite-utils' insert_all caps batches at 249 rows
    # and was 3–8× slower here, see research/perf.md), indexes rebuilt once after the load.

    @contextlib.contextmanager
    def bulk_load(
        self, *, defer_indexes_on: Sequence[str] = (), cache_mib: int = BULK_CACHE_MIB
    ) -> Iterator[Store]:
        """One write transaction tuned for a big load; all of it lands or none of it.

        The secondary indexes of the tables named in ``defer_indexes_on`` are dropped at the
        start and created again, from their stored definitions, before the commit: one
        sort at the end is cheaper than keeping a B-tree in order row by row. DDL is
        transactional in SQLite, so a failure or a cancel brings the indexes back with the
        rollback.

        For the duration, the page cache is ``cache_mib`` and sorts get a helper thread
        (``PRAGMA threads``); when no other connection has the file open, the load writes
        through a rollback journal instead of the WAL (``_rollback_journal_if_alone``).
        """
        unknown = [t for t in defer_indexes_on if t not in BULK_COLUMNS]
        if unknown:
            raise ValueError(f"not a bulk-loaded table: {', '.join(unknown)}")
        joined = self._in_transaction
        with (
            self._rollback_journal_if_alone(),
            self.transaction(),
            self._tuned_for_big_sorts(cache_mib),
        ):
            # A load inside another (a refresh from scratch during an import) drops only
            # what is still there, adds it to the list, and rebuilds only that: the outer
            # load's dropped indexes stay its own to rebuild.
            held = {index["name"] for index in self._deferred_indexes}
            dropped = [
                i for i in self._deferrable_indexes(defer_indexes_on) if i["name"] not in held
            ]
            try:
                for index in dropped:
                    self._execute(f'DROP INDEX "{index["name"]}"')
                self._deferred_indexes.extend(dropped)
                yield self
                self._restore_indexes(dropped)
            except BaseException:
                # Our own transaction's rollback brings the indexes back. A joined one is
                # the caller's to end, and it may catch the error and commit: build them
                # again now (undone with the rest if it rolls back after all).
                if joined:
                    with contextlib.suppress(StorageError):
                        self._restore_indexes(dropped)
                raise
            finally:
                self._deferred_indexes = [i for i in self._deferred_indexes if i not in dropped]

    @contextlib.contextmanager
    def _tuned_for_big_sorts(self, cache_mib: int = BULK_CACHE_MIB) -> Iterator[None]:
        """While inside, a ``cache_mib`` page cache and ``BULK_SORT_THREADS`` sorter threads.

        Index builds and the ORDER BY of the typo-index inserts are SQLite sorts of millions
        of rows: with one helper thread they took 5.2 s instead of 9.3 s (bench/import.py,
        7.1 M key rows). A bigger cache makes them slower, not faster — the sorter holds
        that much in memory before each merge (10.4 s at 96 MiB against 7.2 s at 16 MiB,
        one thread).
        """
        old_cache = int(self._scalar("PRAGMA cache_size"))
        old_threads = int(self._scalar("PRAGMA threads"))
        # PRAGMA takes no bound parameters; the values are ints computed here.
        self._execute(f"PRAGMA cache_size = {-abs(int(cache_mib)) * 1024}")
        self._execute(f"PRAGMA threads = {BULK_SORT_THREADS}")
        try:
            yield
        finally:
            self._execute(f"PRAGMA cache_size = {old_cache}")
            self._execute(f"PRAGMA threads = {old_threads}")

    def journal_mode(self) -> str:
        """How this connection journals writes now: 'wal', or 'delete' during a bulk load
        that has the file to itself (see ``bulk_load``); 'memory' for in-memory files."""
        return str(self._scalar("PRAGMA journal_mode"))

    @contextlib.contextmanager
    def _rollback_journal_if_alone(self) -> Iterator[None]:
        """While inside, journal through a rollback journal if this connection can, then
        go back to WAL.

        Why: in WAL mode every page of a bulk load is written twice, to the WAL and then,
        at the commit's checkpoint, to the file. A rollback journal holds only the old
        content of pages the load changes; new pages go straight to the file. That took
        ~5 s off a 1.1 GB import. It is as atomic (a crash leaves a hot journal, rolled
        back on the next open), and the sync level is raised to FULL while it lasts, as
        SQLite advises for rollback journals.

        The cost: readers on other connections wait until the commit. So it is taken only
        when no other connection has the file open — leaving WAL needs that anyway, and
        the attempt fails at once otherwise (the app's window keeps reading during an
        import; the load then stays in WAL). Not inside a transaction, where the journal
        mode cannot change.
        """
        if self._in_transaction or self.conn.in_transaction or self.journal_mode() != "wal":
            yield
            return
        old_sync = int(self._scalar("PRAGMA synchronous"))
        old_timeout = int(self._scalar("PRAGMA busy_timeout"))
        try:
            # No waiting: another connection that is merely open would hold us up for the
            # whole busy timeout, and then the answer is no anyway.
            self._execute("PRAGMA busy_timeout = 0")
            try:
                switched = self.conn.execute("PRAGMA journal_mode = DELETE").fetchone()
            except sqlite3.OperationalError:  # "database is locked": not alone
                switched = None
        finally:
            self._execute(f"PRAGMA busy_timeout = {old_timeout}")
        if switched is None or next(iter(switched.values())) != "delete":
            yield
            return
        self._execute("PRAGMA synchronous = FULL")
        try:
            yield
        finally:
            self._execute(f"PRAGMA synchronous = {old_sync}")
            # Going back to WAL needs no exclusive access. Should it fail all the same, the
            # file is still consistent, and every open sets WAL again (db.connection).
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA journal_mode = WAL")

    def restore_deferred_indexes(self) -> None:
        """Create the indexes ``bulk_load`` dropped, now rather than at its end (idempotent)."""
        self._restore_indexes(list(self._deferred_indexes))

    def _restore_indexes(self, indexes: Sequence[Row]) -> None:
        for index in indexes:
            # Another step of the load (the search layer's refresh) may have built it.
            if self._one("SELECT 1 FROM sqlite_master WHERE name = ?", [index["name"]]) is None:
                self._execute(index["sql"])
            if index in self._deferred_indexes:
                self._deferred_indexes.remove(index)

    def _deferrable_indexes(self, tables: Sequence[str]) -> list[Row]:
        if not tables:
            return []
        marks = ",".join("?" * len(tables))
        # Only explicit CREATE INDEX statements (sql IS NOT NULL): automatic indexes of
        # PRIMARY KEY / UNIQUE constraints cannot be dropped. Unique indexes are kept, since
        # they are what refuses a duplicate during the load.
        return self._all(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name",
            list(tables),
        )

    def insert_packed_keys(self, rows: Iterable[tuple[int, float, str]]) -> None:
        """Search-key rows given per name: ``(name_id, rank, keys)`` where ``keys`` is a
        JSON array of ``[kind, key]`` pairs. SQLite unpacks the array (``json_each``), so
        the caller builds one tuple per name instead of one per key row."""
        self._execute_many(
            "INSERT INTO name_key(name_id, kind, key, rank) "
            "SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?2 "
            "FROM json_each(?3)",  # walks the array in order: rowids follow the key order
            rows,
        )

    def bulk_insert(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """Insert many rows with one ``executemany``; ``table``/``columns`` must be known ones."""
        allowed = BULK_COLUMNS.get(table)
        if allowed is None or any(c not in allowed for c in columns):
            raise ValueError(f"bulk insert into {table}({', '.join(columns)}) is not allowed")
        marks = ",".join("?" * len(columns))
        with self.transaction():
            self._execute_many(f"INSERT INTO {table}({','.join(columns)}) VALUES ({marks})", rows)

    def max_name_id(self) -> int:
        """The largest name id in use (0 when there are none); bulk loads number from here."""
        return int(self._scalar("SELECT coalesce(max(id), 0) FROM name"))

    def place_ids_for_geonames(self, geonames_ids: Iterable[int]) -> dict[int, str]:
        """``{geonames_id: place_id}`` for the given GeoNames ids that a place carries."""
        result: dict[int, str] = {}
        for chunk, marks in _chunks(geonames_ids, sort=True):
            for row in self._all(
                f"SELECT geonames_id, id FROM place WHERE geonames_id IN ({marks}) ORDER BY id",
                chunk,
            ):
                result.setdefault(int(row["geonames_id"]), row["id"])
        return result

    def places_without_geonames_id(self) -> list[Row]:
        """Places with coordinates and no GeoNames id: the candidates for a merge by name."""
        return self._all(
            "SELECT id, role, lat, lon FROM place "
            "WHERE geonames_id IS NULL AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY id"
        )

    def name_tags_for_places(self, place_ids: Sequence[str]) -> dict[str, list[Row]]:
        """``text``, ``lang``, ``preferred`` of every name of the given places, by place id."""
        result: dict[str, list[Row]] = {pid: [] for pid in place_ids}
        for chunk, marks in _chunks(place_ids):
            for row in self._all(
                f"SELECT place_id, text, lang, preferred FROM name WHERE place_id IN ({marks}) "
                "ORDER BY id",
                chunk,
            ):
                result[row["place_id"]].append(row)
        return result

    def set_parents(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Set ``parent_id`` for many places at once: ``(parent_id, place_id)`` pairs."""
        with self.transaction():
            self._execute_many("UPDATE place SET parent_id = ? WHERE id = ?", pairs)

    def link_places_to_source(self, source_id: int, place_ids: Iterable[str]) -> None:
        """Cite one source for many places (after the ones they already cite)."""
        with self.transaction():
            self._execute_many(
                "INSERT OR IGNORE INTO place_source(place_id, source_id, position) "
                "SELECT ?1, ?2, coalesce(max(position), -1) + 1 FROM place_source "
                "WHERE place_id = ?1",
                ((pid, source_id) for pid in place_ids),
            )

    def link_new_places_to_source(self, source_id: int, place_ids: Iterable[str]) -> None:
        """Cite one source for places that cite none yet (just created): position 0,
        without the lookup of ``link_places_to_source`` (a second on 235 000 places)."""
        with self.transaction():
            self._execute_many(
                "INSERT OR IGNORE INTO place_source(place_id, source_id, position) "
                "VALUES (?, ?, 0)",
                ((pid, source_id) for pid in place_ids),
            )

    def drop_shadowed_names(self, source_id: int, first_id: int) -> int:
        """Delete names of undetermined language loaded from ``source_id`` with an id of at
        least ``first_id`` whose text the same place also has in a known language.

        A dump's headline name arrives before its language-tagged alternate names; once
        those are in, the untagged copy says nothing more. Returns how many were deleted.
        """
        with self.transaction():
            cursor = self._execute(
                "DELETE FROM name WHERE id >= ? AND source_id = ? AND lang = 'und' AND EXISTS ("
                "SELECT 1 FROM name m WHERE m.place_id = name.place_id AND m.text = name.text "
                "AND m.lang <> 'und')",
                [first_id, source_id],
            )
            return int(cursor.rowcount)

    # -- statistics and export --------------------------------------------------------------

    def counts(self) -> Row:
        """Totals of places, names, populations, relations and sources."""
        row = self._one(
            "SELECT (SELECT count(*) FROM place) AS places, (SELECT count(*) FROM name) AS names,"
            " (SELECT count(*) FROM population) AS populations,"
            " (SELECT count(*) FROM relation) AS relations,"
            " (SELECT count(*) FROM source) AS sources"
        )
        assert row is not None
        return row

    def name_counts(self) -> list[Row]:
        """Number of names per language and kind."""
        return self._all(
            "SELECT lang, kind, count(*) AS names FROM name GROUP BY lang, kind ORDER BY lang, kind"
        )

    def role_counts(self) -> list[Row]:
        """Number of places per role."""
        return self._all(
            "SELECT role, count(*) AS places FROM place GROUP BY role ORDER BY places DESC, role"
        )

    def iter_name_rows(self, place_ids: Sequence[str] | None = None) -> Iterator[Row]:
        """Every name joined with its place and the place's latest population, in export order.

        With ``place_ids`` only those places' names are produced. Streams in batches.
        """
        sql = f"""
            SELECT p.id AS place_id, p.role, p.lat, p.lon, p.parent_id, p.geonames_id,
                   p.wikidata_id, l.value AS population, l.year AS population_year, n.text,
                   n.lang, n.script, n.kind, n.romanization, n.valid_from, n.valid_to,
                   n.used_by, n.preferred, s.citation AS source
            FROM place p {name_export.LATEST_POPULATION_JOIN}
            CROSS JOIN name n ON n.place_id = p.id
            LEFT JOIN source s ON s.id = n.source_id
            {{where}}
            {name_export.NAME_ORDER}"""
        if place_ids is None:
            yield from self._stream(sql.format(where=""), ())
            return
        for chunk, marks in _chunks(place_ids, sort=True):
            yield from self._stream(sql.format(where=f"WHERE p.id IN ({marks})"), chunk)

    def name_cells(
        self, name_ids: Iterable[int], neutralise: Callable[[str], str] | None = None
    ) -> dict[int, tuple[str, ...]]:
        """The long CSV layout's cells of the given names, by name id (for the few export
        lines that need CSV quoting): tuples of 19 text cells in its column order, NULLs '',
        integers and flags as text (SQLite's integer-to-text is Python's), ``lat``/``lon``
        as Python's repr; with ``neutralise``, each text cell that starts like a formula
        (= + - @ tab CR) is passed through it inside the query. The cells ``iter_name_lines``
        joins."""
        self._export_functions(neutralise)
        cells: dict[int, tuple[str, ...]] = {}
        for chunk, marks in _chunks(name_ids):
            where = f"WHERE n.id IN ({marks})"
            sql = name_export.cells_sql(neutralise is not None, where)
            for row in self._stream_tuples(sql, chunk):
                cells[row[0]] = row[1:]
        return cells

    def iter_name_lines(
        self,
        place_ids: Sequence[str] | None = None,
        neutralise: Callable[[str], str] | None = None,
        langs: Sequence[str] = (),
    ) -> Iterator[list[tuple[bytes, int]]]:
        """The long CSV layout built in SQL: batches of up to 1000 ``(line, name id)`` in
        export order, ``line`` being the ``name_cells`` cells joined by commas, unquoted,
        in UTF-8: a line whose cells hold a comma, quote, CR or LF must be rebuilt from
        ``name_cells``. ``langs`` keeps the names whose (neutralised) language cell is one of
        those tags or a subtag of one (``hy`` keeps ``hy-Latn``).

        One string per name and no per-cell Python object: this is the export's hot loop
        (a million rows; see db/name_export.py for the query's shape).
        """
        self._export_functions(neutralise)
        neutralised = neutralise is not None
        names, lang_params = name_export.lang_filter(langs, neutralised)
        with self._lock:
            citations = bool(self._scalar(name_export.CITATION_HAS_NUL_SQL))
        fill = functools.partial(name_export.place_lines_sql, neutralised)
        with self._export_places(fill, place_ids) as export:
            sql = name_export.lines_sql(neutralised, names, check_citation=citations)
            yield from self._stream_batches(sql, [export, *lang_params], 1000)

    def iter_features(
        self, place_ids: Sequence[str] | None = None, langs: Sequence[str] = ()
    ) -> Iterator[list[bytes]]:
        """GeoJSON Features as UTF-8 JSON text built in SQL (``db/feature_export.py``), in
        batches of up to 1000, places in id order: all places or those of ``place_ids``,
        with only their names in ``langs`` (or subtags of them) when given.

        Each place's head (everything but its label and names) is built once into a
        temporary table; the names come from a second query in the same order, and each
        place takes the run of names that carry its id.
        """
        self._export_functions(None)
        wanted, lang_params = name_export.lang_filter(langs)
        with (
            self._export_places(feature_export.heads_sql, place_ids) as export,
            contextlib.closing(
                self._stream_batches(feature_export.names_sql(wanted), [export, *lang_params], 5000)
            ) as name_batches,  # closed before the places are cleared
        ):
            names = itertools.chain.from_iterable(name_batches)  # C-level, row by row
            pending = next(names, None)
            for heads in self._stream_batches(feature_export.HEADS_SQL, [export], 1000):
                features = []
                for place_id, head in heads:
                    own = []
                    while pending is not None and pending[0] == place_id:
                        own.append(pending)
                        pending = next(names, None)
                    features.append(feature_export.feature(head, own))
                yield features

    @contextlib.contextmanager
    def _export_places(
        self, fill: Callable[[str], str], place_ids: Sequence[str] | None
    ) -> Iterator[int]:
        """One export's rows of ``gz_export_place``: a new export number, its rows filled by
        ``fill`` (an INSERT from a condition on ``p``, '' for every place; bound: the export
        number, then the condition's parameters) for all places or chunk by chunk for
        ``place_ids``; the number is yielded, and the rows are deleted on the way out."""
        export = next(self._exports)
        with self._lock:
            self._execute(name_export.PLACE_LINES_TABLE_SQL)
        try:  # from the first row in: a failure part-way through still clears them
            with self._lock:
                if place_ids is None:
                    self._execute(fill(""), [export])
                else:
                    for chunk, marks in _chunks(place_ids):
                        self._execute(fill(f"p.id IN ({marks})"), [export, *chunk])
            yield export
        finally:
            with self._lock:
                self._execute(name_export.CLEAR_PLACE_LINES_SQL, [export])

    def _export_functions(self, neutralise: Callable[[str], str] | None) -> None:
        """Register the SQL functions the exports call (db/name_export.py,
        db/feature_export.py), each only when it changes: SQLite refuses to replace a
        function while a statement is running, and ``name_cells`` runs in the middle of
        ``iter_name_lines``."""
        # A coordinate's text is Python's repr (the shortest text that reads back as the
        # same float, as csv.writer and json write floats), a stray REAL in JSON what json
        # writes; the functions themselves, no Python frame of ours.
        wanted: dict[str, Callable[..., str]] = {"gz_float": repr, "gz_json": json.dumps}
        if neutralise is not None:
            wanted["gz_neutralise"] = neutralise
        with self._lock:
            for name, function in wanted.items():
                if self._functions.get(name) is not function:
                    self.conn.create_function(name, 1, function, deterministic=True)
                    self._functions[name] = function

    def _stream_tuples(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """``_stream`` with plain tuples: no dict per row, for the million-row readers."""
        return self._stream(sql, params, tuples=True)

    def count_names(self, place_ids: Sequence[str]) -> int:
        """How many names the given places have."""
        total = 0
        for chunk, marks in _chunks(place_ids, sort=True):
            total += int(
                self._scalar(f"SELECT count(*) FROM name WHERE place_id IN ({marks})", chunk)
            )
        return total

    def _stream(self, sql: str, params: Sequence[Any], *, tuples: bool = False) -> Iterator[Any]:
        """Rows of ``sql`` in batches of 5 000: memory stays flat on million-row reads, and
        the lock is held per batch only, so the app's other readers are not starved."""
        for batch in self._stream_batches(sql, params, 5000, tuples=tuples):
            yield from batch

    def _stream_batches(
        self, sql: str, params: Sequence[Any], size: int, *, tuples: bool = True
    ) -> Generator[list[Any], None, None]:
        """``_stream``'s batches of ``size`` rows themselves (plain tuples by default)."""
        with self._lock:
            cursor = self.conn.cursor()
            if tuples:
                cursor.row_factory = None
            try:
                cursor.execute(sql, params)
            except sqlite3.Error as error:
                raise translate(error, self.path) from error
        try:
            while True:
                with self._lock:
                    batch = cursor.fetchmany(size)
                if not batch:
                    return
                yield batch
        finally:  # also when the reader stops early: the statement ends here, not at GC
            with self._lock:
                cursor.close()

    def iter_places(self, place_ids: Sequence[str] | None = None) -> Iterator[Row]:
        """Place rows in id order (all, or those given)."""
        if place_ids is None:
            yield from self._stream("SELECT * FROM place ORDER BY id", ())
            return
        for chunk, marks in _chunks(place_ids, sort=True):
            yield from self._stream(f"SELECT * FROM place WHERE id IN ({marks}) ORDER BY id", chunk)

    # -- toponym finder ---------------------------------------------------------------------

    def iter_names_by_first_word(self, words: Iterable[str]) -> Iterator[tuple[Any, ...]]:
        """``(name id, place id, text, lang, kind, preferred, key kind, key)`` for every
        ``plain`` and ``strip`` search key that is one of ``words`` or starts with one of
        them and a space; strip keys only of names that have a plain key.

        The toponym finder reads only the names a text's words may begin, not a million:
        each word is one range of the ``name_key_ranked`` index (``key >= w AND key < w||'!'``
        is the key ``w`` and every ``w …``: only a space or a control character, which keys
        never hold, sorts between ``w`` and ``w!``)."""
        for chunk, _ in _chunks(words, sort=True):
            yield from self._stream_tuples(
                f"WITH w(word) AS (VALUES {','.join(['(?)'] * len(chunk))}) "
                "SELECT n.id, n.place_id, n.text, n.lang, n.kind, n.preferred, k.kind, k.key "
                "FROM w JOIN name_key k ON k.kind IN (?, ?) "
                "AND k.key >= w.word AND k.key < w.word || '!' "
                "JOIN name n ON n.id = k.name_id "
                # "+p.kind": by the name's own rows (name_key_name), not a scan of every
                # plain key, which is what the planner picks for "p.kind = ?".
                "WHERE k.kind = ? OR EXISTS (SELECT 1 FROM name_key p "
                "WHERE p.name_id = k.name_id AND +p.kind = ?)",
                [*chunk, "plain", "strip", "plain", "plain"],
            )

    def names_signature(self) -> tuple[Any, ...]:
        """A value that changes whenever names or their keys may have changed (counts, the
        highest ids, the change log's end and the key-rules version): derived in-memory
        indexes compare it to know when to rebuild."""
        row = self._one(
            "SELECT (SELECT count(*) FROM name) AS names, (SELECT max(id) FROM name) AS last, "
            "(SELECT max(id) FROM change) AS changes, "
            "(SELECT value FROM meta WHERE key = ?) AS rules",
            ["key_rules_version"],
        )
        assert row is not None
        return (row["names"], row["last"], row["changes"], row["rules"])


__all__ = ["SCHEMA_VERSION", "KeyBuilder", "Row", "Store", "TypoLetters"]
