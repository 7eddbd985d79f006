"""Golden search keys: the keys of real names, pinned, so that no rule drifts unnoticed.

Stored keys are derived data that every user's database holds; they may change only
together with ``KEY_RULES_VERSION`` (a migration then rebuilds them). The fixture
``tests/fixtures/keys_golden.json`` holds, for every name of the bundled gazetteer and of
the GeoNames-format fixtures, the rows of ``name_keys`` under its language tag (GeoNames'
untagged names under ``und``: every alternative reading), and every field of
``query_keys`` of its text — as computed by the key rules of the version it records. It
was written before the key functions were optimised (bench/keys.py) and must not be
regenerated to make a test pass: regenerate it only when the rules change on purpose and
the version is bumped::

    .venv/bin/python tests/gazetteer/test_normalize_golden.py --regenerate
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from gazetteer.normalize import KEY_RULES_VERSION, name_keys, query_keys

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "keys_golden.json"
BUNDLED = ROOT / "db" / "data" / "gazetteer.json"
GEONAMES = ROOT / "tests" / "fixtures" / "geonames"
#: alternateNamesV2 pseudo-codes whose "names" are links and codes, not names.
NOT_NAMES = frozenset({"link", "wkdt", "post", "iata", "icao", "faac", "tcid", "unlc", "abbr"})


def _source_names() -> list[tuple[str, str]]:
    """Every distinct (text, lang) of the bundled gazetteer and the GeoNames fixtures.

    GeoNames' own ``alternatenames`` column carries no language: its names are read as
    ``und``, as the importers store them.
    """
    pairs: dict[tuple[str, str], None] = {}
    for place in json.loads(BUNDLED.read_text(encoding="utf-8"))["places"]:
        for name in place["names"]:
            pairs.setdefault((name["text"], name["lang"]), None)
    for dump in ("AZ.txt", "AM.txt"):
        for line in (GEONAMES / dump).read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            for text in [fields[1], fields[2], *fields[3].split(",")]:
                if text.strip():
                    pairs.setdefault((text, "und"), None)
    for line in (GEONAMES / "alternateNamesV2.txt").read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        lang, text = fields[2], fields[3]
        if text.strip() and lang not in NOT_NAMES:
            pairs.setdefault((text, lang or "und"), None)
    return list(pairs)


def _query_fields(text: str) -> dict[str, Any]:
    """``query_keys(text)`` as JSON values (classes sorted: a set has no order)."""
    q = query_keys(text)
    return {
        "text": q.text,
        "exact": q.exact,
        "plain": q.plain,
        "strip": q.strip,
        "skel": list(q.skel),
        "phon": list(q.phon),
        "cons": list(q.cons),
        "core": list(q.core),
        "classes": sorted(q.classes),
    }


def _rows(text: str, lang: str | None) -> list[list[str]]:
    return [list(row) for row in name_keys(text, lang)]


def _generate() -> dict[str, Any]:
    pairs = _source_names()
    texts = list(dict.fromkeys(text for text, _ in pairs))
    return {
        "key_rules_version": KEY_RULES_VERSION,
        "about": "Search keys of real names (tests/gazetteer/test_normalize_golden.py).",
        "names": [[text, lang, _rows(text, lang)] for text, lang in pairs],
        "queries": [[text, _query_fields(text)] for text in texts],
    }


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    if data["key_rules_version"] != KEY_RULES_VERSION:
        pytest.fail(
            f"{FIXTURE.name} pins the keys of KEY_RULES_VERSION {data['key_rules_version']}, "
            f"the rules are now version {KEY_RULES_VERSION}: if the change was meant, "
            f"regenerate it (see this module's docstring) and review the diff"
        )
    return data


def _report(what: str, differences: list[str], total: int) -> str:
    shown = "\n".join(differences[:15])
    return f"{len(differences)} of {total} {what} changed:\n{shown}"


def test_fixture_covers_the_real_names(golden: dict[str, Any]) -> None:
    """The fixture is not empty and holds the names it says (a few hundred, every script)."""
    assert len(golden["names"]) >= 600
    assert len(golden["queries"]) >= 600
    langs = {lang for _, lang, _ in golden["names"]}
    assert {"en", "az", "hy", "ru", "und"} <= langs
    kinds = {kind for _, _, rows in golden["names"] for kind, _ in rows}
    assert kinds == {"exact", "plain", "strip", "skel", "skel_alt", "core", "phon", "cons"}


def test_name_keys_are_unchanged(golden: dict[str, Any]) -> None:
    """Every row of name_keys, in order, for every name under its own language tag."""
    differences = [
        f"  name_keys({text!r}, {lang!r}): {_rows(text, lang)} != pinned {rows}"
        for text, lang, rows in golden["names"]
        if _rows(text, lang) != rows
    ]
    assert not differences, _report("names", differences, len(golden["names"]))


def test_query_keys_are_unchanged(golden: dict[str, Any]) -> None:
    """Every field of query_keys for every name typed as a query."""
    differences = [
        f"  query_keys({text!r}): {_query_fields(text)} != pinned {fields}"
        for text, fields in golden["queries"]
        if _query_fields(text) != fields
    ]
    assert not differences, _report("queries", differences, len(golden["queries"]))


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit("usage: test_normalize_golden.py --regenerate (when KEY_RULES_VERSION changes)")
    data = _generate()

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    # One entry per line, so that a rule change shows up as a readable diff.
    head = f'"key_rules_version":{dump(data["key_rules_version"])},"about":{dump(data["about"])}'
    parts = ["{" + head]
    for section in ("names", "queries"):
        parts.append(f',\n"{section}":[\n' + ",\n".join(dump(e) for e in data[section]) + "]")
    FIXTURE.write_text("".join(parts) + "}\n", encoding="utf-8")
    print(f"{FIXTURE}: {FIXTURE.stat().st_size:,} bytes")
