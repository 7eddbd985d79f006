"""A progress bar on stderr: percentage, rate and time left, redrawn at most 5 times a second.

It is a ``progress(done, total) -> bool`` callable, the same protocol the façade offers the
app's progress dialog, so the CLI and the app share every long operation unchanged. It draws
nothing when stderr is not a terminal (pipes and CI logs stay clean) and nothing for work
that ends within a second.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.5))
    minutes, secs = divmod(seconds, 60)
    return (
        f"{minutes}:{secs:02d}"
        if minutes < 60
        else f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"
    )


def _count(value: float) -> str:
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if value >= size:
            return f"{value / size:.1f}{unit}"
    return f"{value:.0f}"


#: The unit of a bar that shows only the share done and the time left: a bulk import's
#: total includes an allowance for its final stages (gazetteer/stages.py), so its counts
#: and rate would mislead.
SHARE = "%"


class ProgressBar:
    """``bar = ProgressBar("import", unit="B")``; pass ``bar`` as ``progress``; ``bar.close()``."""

    WIDTH = 28

    def __init__(
        self,
        label: str,
        *,
        unit: str = "",
        stream: TextIO | None = None,
        enabled: bool | None = None,
        delay: float = 1.0,
    ) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.delay = delay
        self.start = time.monotonic()
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> bool:
        now = time.monotonic()
        if not self.enabled or now - self.start < self.delay or now - self._last < 0.2:
            return True
        self._last = now
        self.stream.write("\r" + self.line(done, total, now - self.start))
        self.stream.flush()
        self._drawn = True
        return True

    def line(self, done: int, total: int, elapsed: float) -> str:
        """The text of the bar for ``done`` of ``total`` after ``elapsed`` seconds."""
        fraction = min(1.0, done / total) if total > 0 else 0.0
        filled = int(fraction * self.WIDTH)
        bar = "█" * filled + "·" * (self.WIDTH - filled)
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (total - done) / rate if rate > 0 and total >= done else 0.0
        if self.unit == SHARE:
            return f"{self.label} {bar} {fraction:4.0%} {_duration(left)} left "
        return (
            f"{self.label} {bar} {fraction:4.0%} {_count(done)}/{_count(total)}{self.unit} "
            f"{_count(rate)}{self.unit}/s, {_duration(left)} left "
        )

    def close(self) -> None:
        """End the bar's line (if one was drawn)."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
