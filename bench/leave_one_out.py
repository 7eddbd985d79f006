"""Leave-one-out over the bundled gazetteer: hide each stored name, search for it.

    python bench/leave_one_out.py [--limit N]

For every name of the bundled gazetteer, in turn: delete it (inside a transaction that is
rolled back afterwards, so its keys are gone while it is searched for), search for its
text, and check whether its place comes first (top-1) or among the first five (top-5).
The place can only be found through its *other* names — the test of whether the keys
join different spellings, scripts and romanisations of one place.

"top-1 (ties)" also counts a hit when the place shares the top score with others (the
two Martunis, Tartar town and river). A baseline is measured on the same names: unidecode
+ casefold, exact match first, then rapidfuzz ratio ≥ 75 (what translit.md §3.7 compares
against).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"


class _Rollback(Exception):
    """Raised to undo the hiding of a name."""


def run(limit: int) -> dict[str, Any]:
    from rapidfuzz import fuzz, process
    from unidecode import unidecode

    from gazetteer.facade import Gazetteer

    workdir = Path(tempfile.mkdtemp())
    path = workdir / "bundled.sqlite"
    Gazetteer.open(path).close()
    g = Gazetteer.open(path)
    places = g.places(g.store.all_place_ids())
    names = [(p.id, n) for p in places for n in p.names if n.id is not None]
    norm = [" ".join(unidecode(n.text).casefold().split()) for _, n in names]

    per_lang: dict[str, Counter[str]] = defaultdict(Counter)
    tiers: Counter[str] = Counter()
    misses: list[dict[str, Any]] = []
    for index, (place_id, name) in enumerate(names):
        assert name.id is not None
        hits: list[Any] = []
        try:
            with g.store.transaction():
                g.store.delete_name(name.id)
                hits = g.search(name.text, limit=limit)
                raise _Rollback
        except _Rollback:
            pass
        ranked = [h.place.id for h in hits]
        top_score = hits[0].score if hits else None
        tied = {h.place.id for h in hits if h.score == top_score}
        counts = per_lang[name.lang]
        counts["names"] += 1
        counts["top1"] += bool(ranked) and ranked[0] == place_id
        counts["top1_ties"] += place_id in tied
        counts["top5"] += place_id in ranked[:5]
        if ranked and ranked[0] == place_id:
            tiers[hits[0].matched.tier] += 1
        elif place_id not in tied:
            misses.append({
                "name": name.text, "lang": name.lang, "place": place_id,
                "got": [(h.place.id, h.matched.text, h.matched.tier, h.score) for h in hits[:3]],
            })  # fmt: skip
        # Baseline on the same hidden name: every other name, unidecoded and casefolded.
        query = norm[index]
        others = [(i, n) for i, n in enumerate(norm) if i != index]
        exact = [names[i][0] for i, n in others if n == query]
        fuzzy = process.extract(
            query, [n for _, n in others], scorer=fuzz.ratio, score_cutoff=75, limit=50
        )
        fuzzy_places = [names[others[j][0]][0] for _, _, j in fuzzy]
        base = list(dict.fromkeys([*exact, *fuzzy_places]))
        counts["base_top1"] += bool(base) and base[0] == place_id
        counts["base_top5"] += place_id in base[:5]
    g.close()
    shutil.rmtree(workdir)
    total: Counter[str] = Counter()
    for counts in per_lang.values():
        total.update(counts)
    return {"per_lang": per_lang, "total": total, "tiers": tiers, "misses": misses}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=10)
    args = parser.parse_args()
    result = run(args.limit)

    def row(label: str, c: Counter[str]) -> str:
        n = c["names"]
        return (
            f"| {label} | {n} | {c['top1'] / n:.1%} | {c['top1_ties'] / n:.1%} | "
            f"{c['top5'] / n:.1%} | {c['base_top1'] / n:.1%} | {c['base_top5'] / n:.1%} |"
        )

    lines = [
        "## Leave-one-out on the bundled gazetteer (bench/leave_one_out.py)",
        "",
        "| language | names | top-1 | top-1 (ties) | top-5 | baseline top-1 | baseline top-5 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for lang in sorted(result["per_lang"], key=lambda k: -result["per_lang"][k]["names"]):
        lines.append(row(lang, result["per_lang"][lang]))
    lines.append(row("**all**", result["total"]))
    lines.append("")
    lines.append(
        "Correct top-1 by tier: "
        + ", ".join(f"{t} {n}" for t, n in result["tiers"].most_common())
        + f". Misses (not even tied at the top): {len(result['misses'])}."
    )
    text = "\n".join(lines)
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "leave_one_out.md").write_text(text + "\n")
    (OUT / "leave_one_out.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1, default=dict)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
