"""A progress bar on stderr: percentage, rate and time left, redrawn at most 5 times a second.

It is a ``progress(done, total, stage=None) -> bool`` callable (``gazetteer.intake.Progress``),
the protocol the façade offers the app's progress dialog too, so the CLI and the app share
every long operation unchanged. Counted work shows amounts and a rate
(``export csv ███···  40% 120.0k/300.0k rows 60.0k rows/s, 0:03 left``); work in stages
shows the share done, the stage and the time left
(``import ███████···  62% building the search index · 0:15 left``). It draws nothing when
stderr is not a terminal (pipes and CI logs stay clean) and nothing for work that ends
within a second.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from gazetteer.progress_text import count, duration, rate, time_left


def _columns(stream: TextIO) -> int:
    """The width of the terminal ``stream`` writes to (80 when it cannot be told: not a
    terminal, or a pseudo-terminal that reports no size, as ``script`` and some CI runners
    do)."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return 80
    return columns if columns > 0 else 80


class ProgressBar:
    """``bar = ProgressBar("export csv", unit=" rows")``; pass ``bar`` as ``progress``;
    ``bar.close()``.

    ``columns`` is the width a line may take (default: the terminal's, asked at each draw,
    so a resized window is followed): a long stage name is cut to fit, since a line that
    wraps cannot be redrawn in place.
    """

    WIDTH = 28

    def __init__(
        self,
        label: str,
        *,
        unit: str = "",
        stream: TextIO | None = None,
        enabled: bool | None = None,
        delay: float = 1.0,
        columns: int | None = None,
    ) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.delay = delay
        self.columns = columns
        self.start = time.monotonic()
        self._last = 0.0
        self._stage: str | None = None
        self._length = 0  # of the line on screen, which a shorter one must cover
        self._drawn = False

    def __call__(self, done: int, total: int, stage: str | None = None, /) -> bool:
        now = time.monotonic()
        if not self.enabled or now - self.start < self.delay:
            return True
        # A new stage is drawn at once, however soon: it may be over before the next draw;
        # so is the end, or the bar would stay short of it.
        finished = total > 0 and done >= total
        if stage == self._stage and now - self._last < 0.2 and not finished:
            return True
        self._last = now
        self._stage = stage
        columns = self.columns if self.columns is not None else _columns(self.stream)
        text = self.line(done, total, now - self.start, stage, columns=columns)
        self.stream.write("\r" + text.ljust(min(self._length, columns - 1)))
        self.stream.flush()
        self._length = len(text)
        self._drawn = True
        return True

    def line(
        self,
        done: int,
        total: int,
        elapsed: float,
        stage: str | None = None,
        *,
        columns: int = 80,
    ) -> str:
        """The text of the bar for ``done`` of ``total`` after ``elapsed`` seconds, at most
        ``columns - 1`` characters. With a ``stage``, ``done`` of ``total`` is a share of
        the whole job: the line shows the share, the stage and the time left, no counts."""
        fraction = min(1.0, done / total) if total > 0 else 0.0
        filled = int(fraction * self.WIDTH)
        bar = "█" * filled + "·" * (self.WIDTH - filled)
        per_second = rate(done, elapsed)
        left = time_left(done, total, per_second)
        if stage is None:
            return (
                f"{self.label} {bar} {fraction:4.0%} {count(done)}/{count(total)}{self.unit} "
                f"{count(per_second)}{self.unit}/s, {duration(left or 0.0)} left"
            )
        head = f"{self.label} {bar} {fraction:4.0%} "
        tail = f" · {duration(left)} left" if left else ""  # none once done, or unknown
        words = stage[:1].lower() + stage[1:]  # it follows the bar mid-sentence
        room = max(1, columns - 1 - len(head) - len(tail))
        if len(words) > room:
            words = words[: room - 1] + "…"
        return head + words + tail

    def close(self) -> None:
        """End the bar's line (if one was drawn)."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
