"""Show the offline map with a dozen real places, or save a screenshot of it.

    python scripts/demo_map.py                      # interactive window
    QT_QPA_PLATFORM=offscreen python scripts/demo_map.py --grab map.png [--select shusha]
        [--zoom 3] [--size 1000x700]

For looking at the map as a user would, without the database: the places are hard-coded
here (coordinates from GeoNames, rounded), labels in Armenian / Azerbaijani Latin.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication

from ui.map_view import MapPlace, MapView

PLACES = [
    MapPlace("yerevan", "Երևան / İrəvan", 40.17765, 44.5126, "capital"),
    MapPlace("baku", "Բաքու / Bakı", 40.37767, 49.89201, "capital"),
    MapPlace("tbilisi", "Թբիլիսի / Tiflis", 41.69411, 44.83368, "capital"),
    MapPlace("ganja", "Գանձակ / Gəncə", 40.68278, 46.36056, "city"),
    MapPlace("gyumri", "Գյումրի / Gümrü", 40.78944, 43.8475, "city"),
    MapPlace("stepanakert", "Ստեփանակերտ / Xankəndi", 39.81528, 46.75194, "city"),
    MapPlace("shusha", "Շուշի / Şuşa", 39.75833, 46.74833, "town"),
    MapPlace("aghdam", "Ակնա / Ağdam", 39.99096, 46.92736, "town"),
    MapPlace("kalbajar", "Քարվաճառ / Kəlbəcər", 40.10583, 46.03833, "town"),
    MapPlace("nakhchivan", "Նախիջևան / Naxçıvan", 39.20889, 45.41222, "city"),
    MapPlace("sevan", "Սևան / Göyçə", 40.33, 45.35, "lake"),
    MapPlace("aragats", "Արագած / Alagöz", 40.5328, 44.2008, "mountain"),
    MapPlace("araks", "Արաքս / Araz", 39.35, 45.15, "river"),
    MapPlace("dadivank", "Դադիվանք / Xudavəng", 40.16167, 46.28806, "monastery"),
    MapPlace("lachin", "Բերձոր / Laçın", 39.63972, 46.54611, "village"),
]


def main() -> None:
    """Open the demo map, or grab it to a PNG with --grab."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--grab", type=Path, help="save a screenshot here and exit")
    parser.add_argument("--select", help="id of the place to highlight")
    parser.add_argument("--zoom", type=float, default=1.0, help="zoom factor after fitting")
    parser.add_argument("--size", default="1000x700")
    args = parser.parse_args()

    app = QApplication.instance() or QApplication(sys.argv)
    view = MapView()
    width, height = (int(v) for v in args.size.split("x"))
    view.resize(width, height)
    view.set_places(PLACES)
    view.placeClicked.connect(lambda pid: print("clicked", pid))
    view.show()
    if args.zoom != 1.0:
        anchor = view.place_view_pos(args.select) if args.select else None
        view.zoom_by(args.zoom, anchor)
    if args.select:
        view.select_place(args.select)
    if args.grab:
        app.processEvents()
        view.grab().save(str(args.grab))
        print(f"saved {args.grab}; scale bar {view.scale_bar_km():g} km")
        return
    app.exec()


if __name__ == "__main__":
    main()
