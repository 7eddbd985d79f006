"""The search worker: off the GUI thread, debounced, and the newest query always wins."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from gazetteer.errors import NotFoundError
from ui.search_worker import SearchController, SearchOutcome

pytestmark = pytest.mark.gui


class GatedLookup:
    """Looks names up in the real gazetteer; the query named ``hold`` waits for ``gate``."""

    def __init__(self, gazetteer, hold: str | None = None) -> None:  # type: ignore[no-untyped-def]
        self.gazetteer = gazetteer
        self.hold = hold
        self.gate = threading.Event()
        self.seen: list[str] = []
        self.threads: set[int] = set()

    def __call__(self, query: str) -> str:
        self.seen.append(query)
        self.threads.add(threading.get_ident())
        if query == self.hold:
            self.gate.wait(10)
        return self.gazetteer.resolve(query).id


@pytest.fixture
def controllers() -> Iterator[list[SearchController]]:
    made: list[SearchController] = []
    yield made
    for c in made:
        c.shutdown()


def test_searches_run_off_the_gui_thread_and_the_newest_wins(qtbot, gazetteer, controllers) -> None:  # type: ignore[no-untyped-def]
    lookup = GatedLookup(gazetteer, hold="Shusha")
    controller = SearchController(lookup, debounce_ms=0)
    controllers.append(controller)
    delivered: list[str] = []
    controller.finished.connect(lambda o: delivered.append(o.result))

    controller.search_now("Shusha")
    qtbot.waitUntil(lambda: lookup.seen == ["Shusha"])  # the worker is now stuck in it
    # The GUI thread's event loop keeps running while the worker is busy: a timer fires.
    timer = QTimer()
    timer.setSingleShot(True)
    with qtbot.waitSignal(timer.timeout, timeout=1000):
        timer.start(10)
    controller.search_now("Şuşa")
    controller.search_now("Ստեփանակերտ")  # replaces Şuşa before the worker is free
    with qtbot.waitSignal(controller.finished, timeout=5000) as blocker:
        lookup.gate.set()
    outcome: SearchOutcome = blocker.args[0]
    assert (outcome.query, outcome.result) == ("Ստեփանակերտ", "stepanakert")
    assert lookup.seen == ["Shusha", "Ստեփանակերտ"]  # Şuşa was never searched
    assert delivered == ["stepanakert"]  # Shusha's late answer was dropped
    assert threading.get_ident() not in lookup.threads


def test_typing_is_debounced_into_one_search(qtbot, gazetteer, controllers) -> None:  # type: ignore[no-untyped-def]
    lookup = GatedLookup(gazetteer)
    controller = SearchController(lookup, debounce_ms=200)
    controllers.append(controller)
    with qtbot.waitSignal(controller.finished, timeout=5000) as blocker:
        for prefix in ("Ш", "Шу", "Шуш", "Шуша"):
            controller.set_query(prefix)
            QApplication.processEvents()  # the event loop runs between keystrokes
    assert blocker.args[0].result == "shusha"
    assert lookup.seen == ["Шуша"]


def test_errors_come_back_with_their_type(qtbot, gazetteer, controllers) -> None:  # type: ignore[no-untyped-def]
    controller = SearchController(GatedLookup(gazetteer), debounce_ms=0)
    controllers.append(controller)
    with qtbot.waitSignal(controller.failed, timeout=5000) as blocker:
        controller.search_now("Atlantis")
    outcome: SearchOutcome = blocker.args[0]
    assert isinstance(outcome.error, NotFoundError)
    assert outcome.query == "Atlantis"
