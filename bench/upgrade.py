"""The one-time upgrade on open of a big gazetteer written by an earlier version.

    python bench/upgrade.py [--db PATH]

A file whose derived search data is of another format (``search.INDEX_FORMAT``) gets its
search index refreshed from scratch on its first open; one whose search keys follow other
rules (``normalize.KEY_RULES_VERSION``) gets every key rebuilt, then the index. This takes
the file ``bench/import.py`` leaves (``bench/out/import.sqlite``: 1.18 million names),
copies it, sets the stored version back, and times what the app and the CLI do at open:
``Gazetteer.open(prepare=False)``, ``pending_upgrade()``, ``prepare()``. Each case runs in
a child process, for its own peak memory. Figures move by ±30 % on a shared 2-core
machine: check the load printed first.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
#: What each case sets back in the copy's ``meta`` table.
CASES = {
    "refresh_index": "UPDATE meta SET value = replace(value, '.{format}:', '.{older}:') "
    "WHERE key = 'search_index'",
    "rebuild_keys": "UPDATE meta SET value = '{older_rules}' WHERE key = 'key_rules_version'",
}


def run_case(case: str, source: Path) -> dict[str, Any]:
    """Copy ``source``, set the stored version back, time the open and the upgrade."""
    from gazetteer import normalize, search
    from gazetteer.facade import Gazetteer

    copy = OUT / f"upgrade-{case}.sqlite"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, copy)
    sql = CASES[case].format(
        format=search.INDEX_FORMAT,
        older=search.INDEX_FORMAT - 1,
        older_rules=normalize.KEY_RULES_VERSION - 1,
    )
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute(sql)
    conn.close()
    try:
        t = time.perf_counter()
        g = Gazetteer.open(copy, prepare=False)
        pending = g.pending_upgrade()
        checked_s = time.perf_counter() - t
        assert pending is not None and pending.work == case, pending
        t = time.perf_counter()
        g.prepare()
        upgrade_s = time.perf_counter() - t
        assert g.pending_upgrade() is None
        t = time.perf_counter()
        hits = g.search("Shushi")
        search_s = time.perf_counter() - t
        g.close()
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return {
        "case": case,
        "names": pending.names,
        "check_s": checked_s,
        "upgrade_s": upgrade_s,
        "first_search_s": search_s,
        "first_hit": hits[0].place.id if hits else None,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=OUT / "import.sqlite")
    parser.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.db)))
        return 0
    if not args.db.exists():
        raise SystemExit(f"{args.db}: run bench/import.py first")
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} / {load[1]:.2f}")
    print(f"upgrade on open of a copy of {args.db}")
    for case in CASES:
        done = subprocess.run(
            [sys.executable, __file__, "--case", case, "--db", str(args.db)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"case {case} failed")
        r = json.loads(done.stdout.splitlines()[-1])
        print(
            f"  {r['case']:<14} {r['names']:,} names: check {r['check_s']:.3f} s, "
            f"upgrade {r['upgrade_s']:.1f} s, first search {r['first_search_s']:.2f} s "
            f"({r['first_hit']}), peak memory {r['peak_rss_mib']:.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
