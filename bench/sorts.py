"""SQLite's big sorts under the page-cache and sorter-thread settings a bulk load can use.

    python bench/sorts.py [--db PATH]

A bulk load's slowest statements are sorts of millions of rows: the rank index over the
key rows (``CREATE INDEX name_key_ranked``) and the sorted insert of the one-character
deletions (``skel_delete``). SQLite's sorter holds as much as the page cache in memory
before each merge, and may use helper threads (``PRAGMA threads``). This times both
statements on a copy of the file ``bench/import.py`` leaves, under each setting, inside a
transaction that is rolled back. ``db.store.BULK_CACHE_MIB`` and ``BULK_SORT_THREADS``
were chosen from its output. Figures move by ±30 % on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
#: (page cache MiB, sorter helper threads) to compare.
SETTINGS = ((96, 0), (16, 0), (96, 1), (16, 1), (16, 2))
RANK_INDEX = "CREATE INDEX name_key_ranked ON name_key(kind, key, rank, name_id)"
# The refresh's statement (db.store.Store.refresh_search_index) over every key row, its
# positions from the migration's seq table (1…100; the refresh has its own, uncapped,
# positions table: the same sort).
DELETIONS = (
    "INSERT OR IGNORE INTO skel_delete(del, skel) "
    "WITH s(key) AS (SELECT DISTINCT key FROM name_key "
    "WHERE kind IN ('skel', 'core') AND length(key) >= 3) "
    "SELECT d, key FROM ("
    "SELECT substr(s.key, 1, q.i - 1) || substr(s.key, q.i + 1) AS d, s.key "
    "FROM s JOIN seq q ON q.i <= length(s.key) "
    "UNION ALL "
    "SELECT substr(s.key, 1, q.i - 1) || substr(s.key, q.i + 2) AS d, s.key "
    "FROM s JOIN seq q ON q.i > 1 AND q.i < length(s.key) "
    "AND substr(s.key, q.i - 1, 1) = substr(s.key, q.i + 1, 1)"
    ") ORDER BY 1, 2"
)


def timed(conn: sqlite3.Connection, cache_mib: int, threads: int) -> tuple[float, float]:
    """Seconds for the rank index and for the deletions, rolled back after."""
    conn.execute(f"PRAGMA cache_size = {-cache_mib * 1024}")
    conn.execute(f"PRAGMA threads = {threads}")
    conn.execute("BEGIN")
    try:
        conn.execute("DROP INDEX IF EXISTS name_key_ranked")
        t = time.perf_counter()
        conn.execute(RANK_INDEX)
        index_s = time.perf_counter() - t
        conn.execute("DELETE FROM skel_delete")
        t = time.perf_counter()
        conn.execute(DELETIONS)
        deletions_s = time.perf_counter() - t
    finally:
        conn.execute("ROLLBACK")
    return index_s, deletions_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=OUT / "import.sqlite")
    args = parser.parse_args()
    if not args.db.exists():
        raise SystemExit(f"{args.db}: run bench/import.py first")
    copy = OUT / "sorts.sqlite"
    shutil.copyfile(args.db, copy)
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} / {load[1]:.2f}, "
          f"sqlite {sqlite3.sqlite_version}")  # fmt: skip
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")  # as a bulk load alone on the file
        rows = conn.execute("SELECT count(*) FROM name_key").fetchone()[0]
        print(f"{rows:,} key rows; rank index / skel_delete insert, seconds:")
        for cache_mib, threads in SETTINGS:
            index_s, deletions_s = timed(conn, cache_mib, threads)
            print(f"  cache {cache_mib:>3} MiB, {threads} sorter threads: "
                  f"{index_s:5.1f} / {deletions_s:5.1f}")  # fmt: skip
    finally:
        conn.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
