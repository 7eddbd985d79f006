"""How progress reads, for the CLI's bar (``gazetteer.cli.progress``) and the app's progress
panel (``ui.jobs``) alike: durations (``0:07``, ``1:02:03``), counts (``12.3k``) and the
rate and time left of ``done`` of ``total`` after some seconds. Qt-free and print-free: each
front end lays the pieces out its own way.
"""

from __future__ import annotations


def duration(seconds: float) -> str:
    """``0:07``, ``12:30``, ``1:02:03`` (rounded to the second; never negative)."""
    seconds = max(0, int(seconds + 0.5))
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}:{secs:02d}"
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"


def count(value: float) -> str:
    """A count shortened for a progress line: ``7``, ``1.2k``, ``3.4M``, ``1.1G``."""
    for prefix, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if value >= size:
            return f"{value / size:.1f}{prefix}"
    return f"{value:.0f}"


def rate(done: float, elapsed: float) -> float:
    """Work done per second so far (0 before any time has passed)."""
    return done / elapsed if elapsed > 0 else 0.0


def time_left(done: float, total: float, per_second: float) -> float | None:
    """Seconds until ``done`` reaches ``total`` at ``per_second``; None when that cannot be
    told (no rate yet, or more done than the total announced)."""
    if per_second > 0 and total >= done:
        return (total - done) / per_second
    return None


__all__ = ["count", "duration", "rate", "time_left"]
