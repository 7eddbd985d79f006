"""Importing GeoNames dumps exactly as https://download.geonames.org/export/dump/ has them.

Files are recognised by their content (a country's ``AZ.txt`` and its alternate names
``alternatenames/AZ.zip`` → ``AZ.txt`` share a name), plain or zipped:

============================  ======  =======================================================
file                          fields  use
============================  ======  =======================================================
``AZ.txt``, ``cities500.txt``   19    places (``geoname`` table): one per line
``allCountries.txt`` …
``alternateNamesV2.txt``,       10    names with language, preferred / short / colloquial /
``alternatenames/AZ.txt``             historic flags and from / to (8 fields: the old format)
``admin1CodesASCII.txt``,        4    code → GeoNames id of first / second-order divisions,
``admin2Codes.txt``                   for the hierarchy
``countryInfo.txt``             19    country code → GeoNames id (lines starting ``#`` skipped)
============================  ======  =======================================================

Everything is streamed line by line (bytes counted for the progress bar); nothing holds a
whole file. Language codes become BCP 47 tags; GeoNames' pseudo-codes never become names:
``wkdt`` fills the Wikidata id, ``link``, ``post``, ``iata``, ``icao``, ``faac``, ``tcid``,
``unlc``, ``abbr`` and ``phon`` are skipped (counted in the report). Feature codes map to
roles by ``FEATURE_ROLES``. A malformed line (wrong number of fields, an id, coordinate,
population, flag or year that is not one) is reported as ``file:line: field: problem``;
if there is any, nothing is imported.
"""

from __future__ import annotations

import functools
import re
import zipfile
import zlib
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from db import Store
from db.store import KeyBuilder
from gazetteer.bulk import (
    BulkWriter,
    ImportedName,
    ImportedPlace,
    ImportReport,
    run_bulk_import,
)
from gazetteer.errors import InvalidFileError, Problem
from gazetteer.intake import Progress
from gazetteer.stages import Tick

CITATION = "GeoNames (geonames.org), data dump"
URL = "https://download.geonames.org/export/dump/"
#: Lines handed to the writer at a time.
BATCH = 5_000
#: Problems collected before reading stops (they are all reported; more would only repeat).
MAX_PROBLEMS = 1000

#: Feature code → role. Codes not listed fall back to ``CLASS_ROLES`` by feature class.
FEATURE_ROLES: dict[str, str] = {
    **dict.fromkeys(("PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR"), "country"),
    "ADM1": "region",
    "ADM1H": "region",
    "ADM2": "district",
    "ADM2H": "district",
    **dict.fromkeys(
        ("ADM3", "ADM4", "ADM5", "ADMD", "ADM3H", "ADM4H", "ADMDH"), "administrative division"
    ),
    "PPLC": "capital",
    "PPLCH": "abandoned place",
    "PPLA": "city",
    **dict.fromkeys(("PPLA2", "PPLA3", "PPLA4", "PPLA5", "PPLG"), "town"),
    **dict.fromkeys(("PPL", "PPLF", "PPLR", "PPLS", "STLMT", "PPLX"), "populated place"),
    "PPLL": "hamlet",
    **dict.fromkeys(("PPLQ", "PPLH", "PPLW"), "abandoned place"),
    **dict.fromkeys(("STM", "STMI", "STMS", "STMX"), "river"),
    **dict.fromkeys(("LK", "LKS", "LKI", "LKN", "LKO", "LKSI", "LKX"), "lake"),
    **dict.fromkeys(("RSV", "RSVI", "RSVT"), "reservoir"),
    **dict.fromkeys(("SPNG", "SPNS", "SPNT"), "spring"),
    **dict.fromkeys(("MT", "PK", "PKS", "VLC", "HLL", "HLLS"), "mountain"),
    **dict.fromkeys(("MTS", "RDGE", "UPLD"), "mountain range"),
    "PASS": "pass",
    "PLN": "plain",
    "PLAT": "plain",
    "VAL": "valley",
    "VALS": "valley",
    "CAVE": "cave",
    "MSTY": "monastery",
    "CTRR": "monastery",
    "CH": "church",
    "MSQE": "mosque",
    "FT": "fortress",
    "CSTL": "fortress",
    **dict.fromkeys(("ANS", "RUIN"), "archaeological site"),
    "BDG": "bridge",
    **dict.fromkeys(("AIRP", "AIRF", "AIRH"), "airport"),
    "RGN": "area",
    "AREA": "area",
}
#: Feature class → role, for codes ``FEATURE_ROLES`` does not list.
CLASS_ROLES = {"A": "administrative division", "P": "populated place"}
#: GeoNames pseudo-language codes that carry identifiers or notes, never names.
SKIPPED_CODES = frozenset({"link", "post", "iata", "icao", "faac", "tcid", "unlc", "abbr", "phon"})

_GEONAME_FIELDS = 19
_QID = re.compile(r"^Q[1-9][0-9]*\Z")  # ASCII digits only: \d would take ١٢٣


def role_for(feature_class: str, feature_code: str) -> str:
    """The gazetteer role of a GeoNames feature (``other`` when nothing fits)."""
    return FEATURE_ROLES.get(feature_code) or CLASS_ROLES.get(feature_class, "other")


@dataclass
class Hierarchy:
    """GeoNames ids of countries and first/second-order divisions, by their codes."""

    countries: dict[str, int] = field(default_factory=dict)
    admin1: dict[tuple[str, str], int] = field(default_factory=dict)
    admin2: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def candidates(self, key: Hashable) -> list[int]:
        """Parent GeoNames ids for a parent key, nearest first."""
        assert isinstance(key, tuple)
        cc, a1, a2 = key
        found = [
            self.admin2.get((cc, a1, a2)) if a2 else None,
            self.admin1.get((cc, a1)) if a1 else None,
            self.countries.get(cc),
        ]
        return [g for g in found if g is not None]


def _parent_key(code: str, cc: str, a1: str, a2: str) -> tuple[str, str, str] | None:
    """What a feature hangs under: a country's divisions under it, and so on down."""
    if not cc or FEATURE_ROLES.get(code) == "country":
        return None
    a1 = "" if a1 in ("", "00") else a1
    if code.startswith("ADM1"):
        return (cc, "", "")
    if code.startswith("ADM2"):
        return (cc, a1, "")
    return (cc, a1, a2)


# -- reading files --------------------------------------------------------------------------


@dataclass
class Source:
    """One input file: what it holds and how big it is (bytes, uncompressed)."""

    path: Path
    kind: str  # geonames, altnames, admin, countries
    size: int


@contextmanager
def open_binary(path: Path) -> Iterator[BinaryIO]:
    """The data file itself, or the data member of a GeoNames .zip."""
    if path.suffix.lower() != ".zip":
        with path.open("rb") as handle:
            yield handle
        return
    with zipfile.ZipFile(path) as archive:
        member = _data_member(archive, path)
        with archive.open(member) as handle:
            yield handle  # type: ignore[misc]


def _data_member(archive: zipfile.ZipFile, path: Path) -> zipfile.ZipInfo:
    members = [
        m
        for m in archive.infolist()
        if m.filename.endswith(".txt")
        and Path(m.filename).name.lower() not in ("readme.txt", "iso-languagecodes.txt")
    ]
    if not members:
        raise InvalidFileError(
            [Problem(str(path), 0, "file", "the archive holds no .txt data file")]
        )
    return max(members, key=lambda m: m.file_size)


def _size(path: Path) -> int:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            return _data_member(archive, path).file_size
    return path.stat().st_size


def detect(path: Path) -> Source:
    """Recognise a GeoNames file by its first data line; a missing, unreadable or broken
    file is an ``InvalidFileError`` naming it."""
    try:
        return _detect(path)
    except (OSError, zipfile.BadZipFile) as error:
        problem = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise InvalidFileError(
            [Problem(str(path), 0, "file", f"cannot be read: {problem}")]
        ) from None


def _detect(path: Path) -> Source:
    with open_binary(path) as handle:
        for raw in handle:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            first = fields[0]
            if len(fields) == _GEONAME_FIELDS and first.isdigit():
                kind = "geonames"
            elif len(fields) in (8, 10) and first.isdigit() and fields[1].isdigit():
                kind = "altnames"
            elif len(fields) == 4 and re.fullmatch(r"[A-Z]{2}\.[^.]+(\.[^.]+)?", first):
                kind = "admin"
            elif len(fields) >= 17 and re.fullmatch(r"[A-Z]{2}", first):
                kind = "countries"
            else:
                raise InvalidFileError(
                    [
                        Problem(
                            str(path),
                            1,
                            "file",
                            f"not a GeoNames dump file I know ({len(fields)} tab-separated fields)",
                        )
                    ]
                )
            return Source(path, kind, _size(path))
    raise InvalidFileError([Problem(str(path), 0, "file", "the file is empty")])


def lines(source: Source, problems: list[Problem]) -> Iterator[tuple[int, int, list[str]]]:
    """(line number, bytes read so far, fields) for every data line; bad UTF-8 is a problem,
    and so is a file that cannot be read to its end (a truncated download, a bad archive)."""
    number = 0  # the last line read whole
    try:
        for item in _lines(source, problems):
            number = item[0]
            yield item
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise InvalidFileError(
            [Problem(str(source.path), number + 1, "file", f"cannot be read to its end: {error}")]
        ) from None


def _lines(source: Source, problems: list[Problem]) -> Iterator[tuple[int, int, list[str]]]:
    done = 0
    with open_binary(source.path) as handle:
        for number, raw in enumerate(handle, 1):
            done += len(raw)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                problems.append(
                    Problem(str(source.path), number, "line", f"not UTF-8 ({error.reason})")
                )
                continue
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            yield number, done, line.split("\t")


# -- parsing lines --------------------------------------------------------------------------


class _LineError(Exception):
    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem


def _int(text: str, name: str, *, empty: int | None = None) -> int:
    if not text.strip():
        if empty is None:
            raise _LineError(name, "is empty")
        return empty
    try:
        return int(text)
    except ValueError:
        raise _LineError(name, f"{text!r} is not a whole number") from None


def _coordinate(text: str, name: str, limit: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _LineError(name, f"{text!r} is not a number") from None
    if not -limit <= value <= limit:
        raise _LineError(name, f"{value} is outside -{limit:g}..{limit:g}")
    return value


def _flag(text: str, name: str) -> bool:
    if text in ("", "0"):
        return False
    if text == "1":
        return True
    raise _LineError(name, f"{text!r} is not 1 or empty")


def _year(text: str, name: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(-?\d{1,4})(?:-\d\d(?:-\d\d)?)?", text)  # a year or an ISO date
    if not match:
        raise _LineError(name, f"{text!r} is not a year")
    return int(match[1])


def parse_geoname(fields: list[str], line: int, with_alternates: bool) -> ImportedPlace:
    """One line of a ``geoname`` file."""
    if len(fields) != _GEONAME_FIELDS:
        raise _LineError("line", f"has {len(fields)} tab-separated fields, a geoname line has 19")
    gid = _int(fields[0], "geonameid")
    if gid <= 0:
        raise _LineError("geonameid", f"{gid} is not a GeoNames id")
    name = fields[1].strip()
    if not name:
        raise _LineError("name", "is empty")
    lat = _coordinate(fields[4], "latitude", 90)
    lon = _coordinate(fields[5], "longitude", 180)
    fclass, fcode, cc = fields[6].strip(), fields[7].strip(), fields[8].strip()
    population = _int(fields[14], "population", empty=0)
    if population < 0:
        raise _LineError("population", f"{population} is negative")
    names = [ImportedName(name, line=line)]
    if with_alternates:  # the alternatenames column: untagged, identifiers left out
        names += [
            ImportedName(text, line=line)
            for text in dict.fromkeys(t.strip() for t in fields[3].split(","))
            if text and text != name and not _identifier(text)
        ]
    return ImportedPlace(
        geonames_id=gid,
        role=role_for(fclass, fcode),
        lat=lat,
        lon=lon,
        names=names,
        population=population or None,
        parent_key=_parent_key(fcode, cc, fields[10].strip(), fields[11].strip()),
        line=line,
    )


def _identifier(text: str) -> bool:
    return bool(re.fullmatch(r"https?://.*|Q\d+|\d+|[A-Z]{3,4}", text))


def parse_alternate(
    fields: list[str], line: int, report: ImportReport
) -> tuple[int, ImportedName | str] | None:
    """One line of ``alternateNamesV2``: (geonameid, name) or (geonameid, Wikidata id), or
    None for a pseudo-code that is skipped."""
    if len(fields) not in (8, 10):
        raise _LineError(
            "line", f"has {len(fields)} tab-separated fields, an alternate name line has 10"
        )
    _int(fields[0], "alternateNameId")
    gid = _int(fields[1], "geonameid")
    code, text = fields[2].strip(), fields[3]
    preferred, short = _flag(fields[4], "isPreferredName"), _flag(fields[5], "isShortName")
    colloquial, historic = _flag(fields[6], "isColloquial"), _flag(fields[7], "isHistoric")
    start = _year(fields[8], "from") if len(fields) == 10 else None
    end = _year(fields[9], "to") if len(fields) == 10 else None
    if code == "wkdt":
        if not _QID.match(text.strip()):
            raise _LineError("alternate name", f"{text!r} is not a Wikidata id")
        return gid, text.strip()
    if code in SKIPPED_CODES:
        report.names_skipped[f"identifier ({code})"] += 1
        return None
    lang, kind, romanization = code or "und", "variant", None
    if code == "fr_1793":  # names of the French Revolution
        lang, historic = "fr", True
    elif code == "piny":
        lang, kind, romanization = "zh-Latn", "transliteration", "Hanyu Pinyin"
    if historic:
        kind = "historic"
    elif colloquial:
        kind = "colloquial"
    elif short:
        kind = "short"
    elif preferred:
        kind = "common"
    return gid, ImportedName(
        text,
        lang=lang,
        kind=kind,
        preferred=preferred,
        valid_from=start,
        valid_to=end,
        romanization=romanization,
        line=line,
    )


def read_admin(source: Source, hierarchy: Hierarchy, problems: list[Problem]) -> None:
    """``admin1CodesASCII.txt`` / ``admin2Codes.txt``: code → GeoNames id."""
    for line, _, fields in lines(source, problems):
        try:
            if len(fields) != 4:
                raise _LineError(
                    "line", f"has {len(fields)} tab-separated fields, an admin code line has 4"
                )
            gid = _int(fields[3], "geonameid")
            parts = fields[0].strip().split(".")
            if len(parts) == 2:
                hierarchy.admin1[(parts[0], parts[1])] = gid
            elif len(parts) == 3:
                hierarchy.admin2[(parts[0], parts[1], parts[2])] = gid
            else:
                raise _LineError("code", f"{fields[0]!r} is not CC.ADMIN1 or CC.ADMIN1.ADMIN2")
        except _LineError as error:
            problems.append(Problem(str(source.path), line, error.field, error.problem))


def read_countries(source: Source, hierarchy: Hierarchy, problems: list[Problem]) -> None:
    """``countryInfo.txt``: ISO code → GeoNames id (the 17th field)."""
    for line, _, fields in lines(source, problems):
        try:
            if len(fields) < 17:
                raise _LineError(
                    "line", f"has {len(fields)} tab-separated fields, countryInfo has 19"
                )
            if fields[16].strip():
                hierarchy.countries[fields[0].strip()] = _int(fields[16], "geonameid")
        except _LineError as error:
            problems.append(Problem(str(source.path), line, error.field, error.problem))


# -- the import -----------------------------------------------------------------------------


def import_geonames(
    store: Store,
    key_builder: KeyBuilder,
    paths: Sequence[Path | str],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import GeoNames files (any mix of the kinds above) in one transaction.

    Division and country codes come first, places next, alternate names last (they name
    places by id, so those must be in). Without an alternate-names file, the geoname
    lines' own ``alternatenames`` column is imported, untagged (``und``).
    """
    sources = [detect(Path(p)) for p in paths]
    order = {"countries": 0, "admin": 1, "geonames": 2, "altnames": 3}
    sources.sort(key=lambda s: order[s.kind])
    with_alternates = not any(s.kind == "altnames" for s in sources)
    total = sum(s.size for s in sources)
    # A rough count for deciding whether worker processes pay: ~60 bytes per name.
    expected_names = sum(s.size for s in sources if s.kind != "admin") // 60
    hierarchy = Hierarchy()

    def load(writer: BulkWriter, tick: Tick) -> Callable[[Hashable], Sequence[int]]:
        problems = writer.problems
        base = 0
        for source in sources:
            writer.file = str(source.path)
            # The file's name as the user chose it: what the progress bar says is being read.
            stage = f"Reading {source.path.name}…"
            tick(base, total, stage)
            offset = functools.partial(lambda b, s, d: tick(b + d, total, s), base, stage)
            if source.kind == "admin":
                read_admin(source, hierarchy, problems)
            elif source.kind == "countries":
                read_countries(source, hierarchy, problems)
            elif source.kind == "geonames":
                _load_places(writer, source, hierarchy, with_alternates, offset)
            else:
                _load_alternates(writer, source, offset)
            base += source.size
            tick(base, total, stage)
            if len(problems) >= MAX_PROBLEMS:
                break
        return hierarchy.candidates

    return run_bulk_import(
        store,
        key_builder,
        load,
        citation=CITATION,
        url=URL,
        expected_names=expected_names,
        dry_run=dry_run,
        progress=progress,
        workers=workers,
    )


def _load_places(
    writer: BulkWriter,
    source: Source,
    hierarchy: Hierarchy,
    with_alternates: bool,
    tick: Callable[[int], None],
) -> None:
    batch: list[ImportedPlace] = []
    problems = writer.problems
    for line, done, fields in lines(source, problems):
        try:
            place = parse_geoname(fields, line, with_alternates)
        except _LineError as error:
            problems.append(Problem(str(source.path), line, error.field, error.problem))
            if len(problems) >= MAX_PROBLEMS:
                return
            continue
        _learn(hierarchy, fields, place.geonames_id)
        if problems:
            continue  # keep reading to report every problem, but write nothing more
        batch.append(place)
        if len(batch) >= BATCH:
            writer.add_places(batch)
            batch = []
            tick(done)
    if batch and not problems:
        writer.add_places(batch)


def _learn(hierarchy: Hierarchy, fields: list[str], gid: int) -> None:
    """Division and country lines of the dump itself also say which id has which code."""
    code, cc, a1, a2 = fields[7], fields[8], fields[10], fields[11]
    if code in ("PCLI", "PCLD", "PCLF", "PCLS", "TERR") and cc:
        if code == "PCLI" or cc not in hierarchy.countries:
            hierarchy.countries[cc] = gid
    elif code == "ADM1" and cc and a1:
        hierarchy.admin1.setdefault((cc, a1), gid)
    elif code == "ADM2" and cc and a1 and a2:
        hierarchy.admin2.setdefault((cc, a1, a2), gid)


def _load_alternates(writer: BulkWriter, source: Source, tick: Callable[[int], None]) -> None:
    batch: list[tuple[int, ImportedName]] = []
    wikidata: dict[int, str] = {}
    problems = writer.problems
    for line, done, fields in lines(source, problems):
        try:
            parsed = parse_alternate(fields, line, writer.report)
        except _LineError as error:
            problems.append(Problem(str(source.path), line, error.field, error.problem))
            if len(problems) >= MAX_PROBLEMS:
                return
            continue
        if parsed is None or problems:
            continue
        gid, value = parsed
        if isinstance(value, str):
            wikidata.setdefault(gid, value)
        else:
            batch.append((gid, value))
        if len(batch) >= BATCH:
            writer.add_names(batch, wikidata)
            batch, wikidata = [], {}
            tick(done)
    if (batch or wikidata) and not problems:
        writer.add_names(batch, wikidata)
