"""Long work off the GUI thread: one job at a time, with progress, rate, time left and Cancel.

The façade reports long operations through ``progress(done, total, stage=None) -> bool``
(``gazetteer.intake.Progress``; False cancels: the operation raises ``CancelledError`` and
leaves everything as it was). A ``JobRunner`` runs such an operation on a worker thread and
turns that protocol into Qt signals; a ``ProgressPanel`` shows it as a bar and a line: the
amount done, the rate and the time left for counted work (an export), or the stage under
way and the time left for work in stages (a bulk import, whose ``done`` of ``total`` is a
share of the whole). The export and import dialogs share both, so cancelling, closing
mid-run and thread ownership work the same way everywhere.

Why the thread belongs to the application and not to the dialog: closing or deleting a
dialog mid-run must never destroy a running ``QThread`` (Qt aborts the process). The thread
deletes itself and its job when it ends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from gazetteer.errors import CancelledError
from gazetteer.intake import Progress
from gazetteer.progress_text import count, duration, rate, time_left

#: What a job runs: the façade call, given the progress callable; its result is reported.
Work = Callable[[Progress], Any]

#: Progress reports cross to the GUI thread at most this often (an import ticks per batch, a
#: write per place: hundreds of thousands of queued signals would flood the event loop).
EMIT_INTERVAL_S = 0.1
#: Rate and time left are shown once the work has run this long (earlier they are noise).
RATE_AFTER_S = 1.0


class BackgroundJob(QObject):
    """One run of ``work`` on its thread: reports progress, the result, a cancel or an error."""

    began = Signal(object)  # the worker thread's id (too big for a C int)
    progressed = Signal(int, int, str)  # done, total, the stage ("" for counted work)
    succeeded = Signal(object)  # what work returned
    cancelled = Signal()
    failed = Signal(object)  # the exception, with its type

    def __init__(self, work: Work) -> None:
        super().__init__()
        self._work = work
        self._cancel = threading.Event()
        self._last_emit = 0.0
        self._stage: str | None = None

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report (thread-safe)."""
        self._cancel.set()

    def _progress(self, done: int, total: int, stage: str | None = None, /) -> bool:
        now = time.monotonic()
        # A new stage always crosses: it may end (seconds of a fixture, or a short stage of
        # a big import) before the interval does, and its name is the news.
        if (
            now - self._last_emit >= EMIT_INTERVAL_S
            or (total > 0 and done >= total)
            or stage != self._stage
        ):
            self._last_emit = now
            self._stage = stage
            self.progressed.emit(done, total, stage or "")
        return not self._cancel.is_set()

    @Slot()
    def run(self) -> None:
        """Do the work (called on the worker thread)."""
        self.began.emit(threading.get_ident())
        try:
            if self._cancel.is_set():  # cancelled before the thread got going
                raise CancelledError("cancelled before it started")
            result = self._work(self._progress)
        except CancelledError:
            self.cancelled.emit()
        except Exception as error:  # every outcome is reported; the dialog phrases it
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)


class JobRunner(QObject):
    """Runs one ``BackgroundJob`` at a time for a dialog and relays its signals on the GUI
    thread. ``finished`` follows the outcome signal once the thread has ended."""

    began = Signal(object)
    progressed = Signal(int, int, str)  # done, total, the stage ("" for counted work)
    succeeded = Signal(object)
    cancelled = Signal()
    failed = Signal(object)
    finished = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._thread: QThread | None = None
        self.job: BackgroundJob | None = None
        #: The thread the last job ran on (tests check it was not the GUI thread).
        self.last_thread_ident: int | None = None

    def is_running(self) -> bool:
        """True from ``start`` until the worker thread has ended."""
        return self._thread is not None

    def start(self, work: Work) -> bool:
        """Run ``work`` on a new worker thread; False (and nothing started) while one runs."""
        if self._thread is not None:
            return False
        job = BackgroundJob(work)
        thread = QThread(QCoreApplication.instance())
        thread.setObjectName(self._name)
        thread.job = job  # type: ignore[attr-defined]  # keeps the job alive with the thread
        job.moveToThread(thread)
        thread.started.connect(job.run)
        job.began.connect(self._on_began)
        # Relayed signal to signal: queued, they are emitted again on the GUI thread.
        job.progressed.connect(self.progressed)
        job.succeeded.connect(self.succeeded)
        job.cancelled.connect(self.cancelled)
        job.failed.connect(self.failed)
        for signal in (job.succeeded, job.cancelled, job.failed):
            signal.connect(thread.quit)
        thread.finished.connect(self._on_thread_finished)
        thread.finished.connect(job.deleteLater)
        thread.finished.connect(thread.deleteLater)
        self._thread = thread
        self.job = job
        # Started from the event loop, not inline: a Cancel pressed right after Start is then
        # always seen by the job's first progress check, so the outcome does not depend on
        # how fast the worker happened to be.
        QTimer.singleShot(0, self._launch)
        return True

    def _launch(self) -> None:
        if self._thread is not None and not self._thread.isRunning():
            self._thread.start()

    def cancel(self) -> None:
        """Ask the running job to stop (it reports ``cancelled``); no-op when idle."""
        if self.job is not None:
            self.job.cancel()

    def stop(self) -> None:
        """Cancel and wait for the worker to end (for closing a dialog mid-run)."""
        if self._thread is None or self.job is None:
            return
        self.job.cancel()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()
        else:  # never started: drop it, so the deferred launch finds nothing to start
            self._thread.deleteLater()
            self._thread = None
            self.job = None

    @Slot(object)
    def _on_began(self, ident: int) -> None:
        self.last_thread_ident = ident
        self.began.emit(ident)

    @Slot()
    def _on_thread_finished(self) -> None:
        self._thread = None
        self.job = None
        self.finished.emit()


# -- showing progress ---------------------------------------------------------------------


def format_amount(value: float, unit: str) -> str:
    """``value`` of ``unit`` as a short count: ``7 rows``, ``1.2k places``."""
    return f"{count(value)} {unit}".rstrip()


def progress_text(
    done: int, total: int, elapsed: float, unit: str, stage: str | None = None
) -> str:
    """``"1.2k rows of 3.4k rows · 800 rows/s · 0:03 left"``; rate and time left only once known
    (after ``RATE_AFTER_S`` and some progress). With a ``stage`` (work in stages, whose
    ``done`` of ``total`` is a share of the whole, not a count) the stage and the time left
    (``"Building the search index · 0:25 left"``): the bar itself shows the share done."""
    if stage:
        parts = [stage]
    else:
        parts = [f"{format_amount(done, unit)} of {format_amount(total, unit)}" if total > 0
                 else format_amount(done, unit)]  # fmt: skip
    if elapsed >= RATE_AFTER_S and done > 0:
        per_second = rate(done, elapsed)
        if not stage:
            parts.append(f"{format_amount(per_second, unit)}/s")
        left = time_left(done, total, per_second)
        if left is not None:
            parts.append(f"{duration(left)} left")
    return " · ".join(parts)


class ProgressPanel(QWidget):
    """A progress bar and a line with the amount done, the rate and the time left, or the
    stage under way and the time left.

    Busy (an indeterminate bar) from ``begin`` until the first report gives a total.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1)
        self.detail = QLabel()
        self.detail.setObjectName("progressDetail")
        layout.addWidget(self.bar)
        layout.addWidget(self.detail)
        self._unit = ""
        self._start = time.monotonic()

    def begin(self, unit: str = "") -> None:
        """Show the panel for new work counted in ``unit`` (``"rows"``, ``"places"``; none
        for work that reports stages)."""
        self._unit = unit
        self._start = time.monotonic()
        self.bar.setRange(0, 0)
        self.detail.setText("Starting…")
        self.show()

    def report(self, done: int, total: int, stage: str = "") -> None:
        """Show ``done`` of ``total`` (a share of the whole when ``stage`` names one)."""
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))
        elapsed = time.monotonic() - self._start
        self.detail.setText(progress_text(done, total, elapsed, self._unit, stage))

    def end(self) -> None:
        """Hide the panel."""
        self.hide()


__all__ = [
    "BackgroundJob",
    "JobRunner",
    "ProgressPanel",
    "format_amount",
    "progress_text",
]
