"""Search as you type without freezing the window: debounced, on a worker thread, newest wins.

The GUI thread never searches. Each keystroke restarts a short debounce timer; when it fires
the query is put in a one-slot mailbox (replacing any query still waiting) and the worker is
woken. The worker always takes the newest query from the mailbox, so however fast the user
types at most one search is running and one is waiting — nothing queues up behind a slow
query. A result whose query is no longer the newest is dropped on arrival, so an old answer
can never overwrite a newer one.

The search itself is a plain function ``run(query) -> result`` of the façade, passed in: the
worker knows nothing about widgets, and the function knows nothing about threads. It may
also be a generator that yields a quick first answer and then a fuller one: each is delivered
as soon as it is ready, and the worker stops asking for the next as soon as a newer query is
waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

#: Default pause after a keystroke before searching. Short on purpose: the mailbox already
#: stops fast typing from queueing work, so the debounce only has to merge keys that arrive
#: together (a paste, an input method committing several letters, key repeat), and every
#: millisecond here is latency the user sees (bench/ui.py: 25 ms cost 15 ms at p50).
DEBOUNCE_MS = 10
#: Quiet time after a first answer before a search's later, fuller stages run (see _Worker).
SETTLE_MS = 150


@dataclass(frozen=True)
class SearchOutcome:
    """What one search produced, or the exception it raised, and how long it took."""

    generation: int
    query: str
    result: Any
    elapsed_ms: float
    error: BaseException | None = None


class _Mailbox:
    """Holds at most one waiting request; a newer one replaces it."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._item: tuple[int, str] | None = None

    def put(self, generation: int, query: str) -> None:
        with self._lock:
            self._item = (generation, query)
            self._lock.notify_all()

    def wait_for_item(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a request; True if one is waiting."""
        with self._lock:
            return self._lock.wait_for(lambda: self._item is not None, timeout)

    def take(self) -> tuple[int, str] | None:
        with self._lock:
            item, self._item = self._item, None
            return item

    def waiting(self) -> bool:
        with self._lock:
            return self._item is not None


class _Worker(QObject):
    """Lives on the worker thread; runs the newest waiting query when woken."""

    done = Signal(object)  # SearchOutcome

    def __init__(self, run: Callable[[str], Any], mailbox: _Mailbox, settle_ms: int) -> None:
        super().__init__()
        self._run = run
        self._mailbox = mailbox
        self._settle = settle_ms / 1000

    @Slot()
    def wake(self) -> None:
        item = self._mailbox.take()
        if item is None:  # an earlier wake already took it
            return
        generation, query = item
        start = time.perf_counter()

        def outcome(result: Any, error: BaseException | None = None) -> None:
            elapsed = (time.perf_counter() - start) * 1000
            self.done.emit(SearchOutcome(generation, query, result, elapsed, error))

        try:
            result = self._run(query)
            if not isinstance(result, Iterator):
                outcome(result)
                return
            # A generator: deliver each stage as it is ready. Later stages wait until typing
            # has settled: a search cannot be interrupted, so starting the fuller (slower)
            # stage while keys are still coming would only delay the next keystroke's answer.
            for stage in result:
                outcome(stage)
                if self._mailbox.wait_for_item(self._settle):
                    return
        except Exception as error:
            outcome(None, error)


class SearchController(QObject):
    """Owns the worker thread; ``set_query`` per keystroke, ``finished`` with the newest result.

    ``failed`` carries a ``SearchOutcome`` whose ``error`` is set. Call ``shutdown`` before the
    application quits (the window does it in ``closeEvent``).
    """

    finished = Signal(object)  # SearchOutcome
    failed = Signal(object)  # SearchOutcome with error
    started = Signal(str)  # the query handed to the worker

    _wake = Signal()

    def __init__(
        self,
        run: Callable[[str], Any],
        debounce_ms: int = DEBOUNCE_MS,
        parent: QObject | None = None,
        settle_ms: int = SETTLE_MS,
    ) -> None:
        super().__init__(parent)
        self._mailbox = _Mailbox()
        self._generation = 0
        self._pending_text = ""
        self._thread = QThread()
        self._thread.setObjectName("search-worker")
        self._worker = _Worker(run, self._mailbox, settle_ms)
        self._worker.moveToThread(self._thread)
        self._wake.connect(self._worker.wake)  # queued: the worker lives on the other thread
        self._worker.done.connect(self._on_done)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._dispatch)

    @property
    def debounce_ms(self) -> int:
        """The pause after a keystroke before searching."""
        return self._timer.interval()

    @property
    def generation(self) -> int:
        """Number of the newest query handed to the worker."""
        return self._generation

    def set_query(self, text: str) -> None:
        """The search text changed: search for it once typing pauses."""
        self._pending_text = text
        self._timer.start()

    def search_now(self, text: str | None = None) -> None:
        """Search immediately (skipping the debounce), e.g. when Enter is pressed."""
        if text is not None:
            self._pending_text = text
        self._timer.stop()
        self._dispatch()

    def is_idle(self) -> bool:
        """True when no query is waiting for the debounce timer (the worker may still run)."""
        return not self._timer.isActive()

    def _dispatch(self) -> None:
        self._generation += 1
        self._mailbox.put(self._generation, self._pending_text)
        self.started.emit(self._pending_text)
        self._wake.emit()

    def _on_done(self, outcome: SearchOutcome) -> None:
        if outcome.generation != self._generation:
            return  # a newer query was sent meanwhile; its answer is on the way
        if outcome.error is not None:
            self.failed.emit(outcome)
        else:
            self.finished.emit(outcome)

    def shutdown(self) -> None:
        """Stop the timer and the worker thread (waits for a running search to end)."""
        self._timer.stop()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()
