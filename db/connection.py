"""Opening a database file: refusal of too-new files, backup before migrating, pragmas.

The order matters: a file is first inspected through a read-only connection, so a database
written by a newer program (or a file that is not a database at all) is refused before
anything — not even the switch to WAL — touches it.
"""

from __future__ import annotations

import datetime as _dt
import shutil
import sqlite3
import time
from pathlib import Path

from sqlite_utils import Database

from db.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    ReadOnlyDatabaseError,
    StorageError,
    TooNewDatabaseError,
    translate,
)
from db.migrations import migrations

#: The schema version this program writes: one per migration, in order.
SCHEMA_VERSION = len(migrations._migrations)
#: How long a writer waits for another process's lock before giving up (milliseconds).
BUSY_TIMEOUT_MS = 5000
#: Why a file is locked while a rollback journal is beside it (see ``_use_wal``).
WRITER_BUSY = (
    "another program is writing this file in one long operation (an import, or a search "
    "index rebuilt for this version) and has it to itself until that ends; try again then"
)
#: Files larger than this skip the full integrity check at open (``Store.check_integrity``).
QUICK_CHECK_LIMIT_BYTES = 64 * 1024 * 1024

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _known_migration_names() -> list[str]:
    return [m.name for m in migrations._migrations]


def _roll_back_interrupted_write(path: Path) -> None:
    """Undo the write a killed process left half done, if it left a rollback journal.

    Bulk loads write through a rollback journal (``Store.bulk_load``); killed mid-way,
    they leave a "hot" journal beside the file. SQLite plays it back on the next read, but
    only through a connection that may write — not the read-only one that inspects the
    file below, which would fail with "attempt to write a readonly database". A journal
    that a load still running in another program holds is not hot: the read waits for it
    up to the busy timeout, then fails with ``WRITER_BUSY``.
    """
    if not Path(f"{path}-journal").exists():
        return
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise _journal_error(error, path) from error


def _journal_error(error: sqlite3.Error, path: Path) -> StorageError:
    """The storage error for ``error`` met while a rollback journal is beside the file,
    saying what the journal means: a long write under way, or one a killed program left."""
    typed = translate(error, path)
    if isinstance(typed, DatabaseLockedError):
        return DatabaseLockedError(path, f"{typed.detail}: {WRITER_BUSY}")
    if isinstance(typed, ReadOnlyDatabaseError):
        return ReadOnlyDatabaseError(
            path,
            f"{typed.detail}: a program stopped in the middle of writing this file left "
            f"{path.name}-journal beside it, and only someone who may write the file and "
            "its folder can open it to undo that write",
        )
    return typed


def _use_wal(conn: sqlite3.Connection, path: Path) -> None:
    """Put the file in WAL mode (every open does; a bulk load may have left it).

    A program in the middle of a bulk load that has the file to itself writes through a
    rollback journal (``Store.bulk_load``) and holds the file until its commit. SQLite
    answers a switch to WAL then at once, without the busy timeout: it is tried again for
    that long before giving up, with an error that says why.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            locked = isinstance(translate(error, path), DatabaseLockedError)
            if not locked or time.monotonic() >= deadline:
                if Path(f"{path}-journal").exists():
                    raise _journal_error(error, path) from error
                raise
            time.sleep(0.05)


def _inspect_existing(path: Path) -> tuple[int, list[str]]:
    """Return (user_version, applied migration names) read through a read-only connection."""
    with path.open("rb") as handle:
        header = handle.read(16)
    if path.stat().st_size and header != _SQLITE_MAGIC:
        raise CorruptDatabaseError(path, "not a SQLite database (wrong file header)")
    _roll_back_interrupted_write(path)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as error:
        raise translate(error, path) from error
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
            [migrations.migrations_table],
        ).fetchone()
        applied: list[str] = []
        if has_table:
            applied = [
                row[0]
                for row in conn.execute(
                    f"SELECT name FROM {migrations.migrations_table} "
                    "WHERE migration_set = ? ORDER BY rowid",
                    [migrations.name],
                )
            ]
        if path.stat().st_size <= QUICK_CHECK_LIMIT_BYTES:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise CorruptDatabaseError(path, f"integrity check failed: {result}")
    except sqlite3.DatabaseError as error:
        raise translate(error, path) from error
    finally:
        conn.close()
    return version, applied


def backup_path_for(path: Path, version: int) -> Path:
    """Where the copy taken before migrating a version-``version`` file goes."""
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%S")
    return path.with_name(f"{path.name}.v{version}-{stamp}.bak")


def _backup(path: Path, version: int) -> Path:
    """Copy the database (and its WAL, through SQLite's backup API) before a migration."""
    target = backup_path_for(path, version)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    except sqlite3.Error as error:
        target.unlink(missing_ok=True)
        raise translate(error, path) from error
    finally:
        source.close()
    return target


def open_database(path: Path | str, *, create: bool = True) -> tuple[Database, Path | None]:
    """Open (or create) the database at ``path`` and bring its schema up to date.

    Returns the sqlite-utils ``Database`` and the path of the backup taken before migrating,
    if one was needed. Raises ``TooNewDatabaseError`` for files from a newer program,
    ``CorruptDatabaseError`` for damaged or foreign files, ``ReadOnlyDatabaseError`` when the
    file cannot be written, and ``StorageError`` for the rest.
    """
    path = Path(path)
    existed = path.exists() and path.stat().st_size > 0
    known = _known_migration_names()
    backup: Path | None = None
    applied: list[str] = []
    if existed:
        version, applied = _inspect_existing(path)
        unknown = [name for name in applied if name not in known]
        if version > SCHEMA_VERSION or unknown:
            raise TooNewDatabaseError(path, version, SCHEMA_VERSION, unknown)
    elif not create:
        raise StorageError(path, "no database at this path")
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ReadOnlyDatabaseError(path, str(error)) from error

    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        _use_wal(conn, path)
        conn.execute("PRAGMA synchronous = NORMAL")
        db = Database(conn)
        pending = [m for m in known if m not in applied]
        if pending:
            if existed and applied:
                backup = _backup(path, len(applied))
            migrations.apply(db)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException as error:
        if conn is not None:
            conn.close()  # a failed open keeps no handle on the file
        if isinstance(error, sqlite3.Error):
            raise translate(error, path) from error
        raise
    return db, backup


def copy_database(source: Path, target: Path) -> None:
    """Plain file copy used by tests and tools that want a scratch database."""
    shutil.copyfile(source, target)


def bundled_data_path() -> Path:
    """The bundled gazetteer file shipped with the program (``db/data/gazetteer.json``)."""
    return Path(__file__).resolve().parent / "data" / "gazetteer.json"
