"""How soon a Cancel stops a long SQL statement (``Store.abort_when``).

    python bench/cancel.py [--db PATH] [--runs N]

A bulk import's last stages are a few SQL statements of many seconds each; a Cancel must
stop the one running. This runs a statement that would take minutes (a self-join over the
key rows of the file ``bench/import.py`` leaves, read only), asks it to stop after half a
second from another thread, and prints how long the statement went on after the request.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import threading
import time
from pathlib import Path

from db import Store

ROOT = Path(__file__).resolve().parents[1]
LONG_READ = "SELECT count(*) FROM name_key a, name_key b WHERE a.rowid <= 1000"  # 7 G rows


def once(store: Store) -> float:
    """Milliseconds from the cancel request to the statement's end."""
    asked = threading.Event()
    asked_at: list[float] = []

    def ask() -> None:
        time.sleep(0.5)
        asked_at.append(time.perf_counter())
        asked.set()

    threading.Thread(target=ask).start()
    store.abort_when(asked.is_set)
    try:
        store.conn.execute(LONG_READ).fetchone()
        raise SystemExit("the statement ended before the cancel: use a bigger file")
    except sqlite3.OperationalError:  # "interrupted": what Store turns into a StorageError
        return (time.perf_counter() - asked_at[0]) * 1000
    finally:
        store.abort_when(None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "import.sqlite")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if not args.db.exists():
        raise SystemExit(f"{args.db}: run bench/import.py first")
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} / {load[1]:.2f}")
    store = Store.open(args.db, create=False)
    try:
        waits = sorted(once(store) for _ in range(args.runs))
    finally:
        store.close()
    print(f"cancel → statement stopped, {args.runs} runs: min {waits[0]:.1f} ms, "
          f"median {waits[len(waits) // 2]:.1f} ms, max {waits[-1]:.1f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
