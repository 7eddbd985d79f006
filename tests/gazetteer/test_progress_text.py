"""The progress wording the CLI bar and the app's progress panel share."""

from __future__ import annotations

from gazetteer.progress_text import count, duration, rate, time_left


def test_durations() -> None:
    assert duration(7.4) == "0:07"
    assert duration(750) == "12:30"
    assert duration(3723) == "1:02:03"
    assert duration(-3) == "0:00"


def test_counts() -> None:
    assert (count(7), count(1_250), count(3_400_000), count(1_100_000_000)) == (
        "7",
        "1.2k",
        "3.4M",
        "1.1G",
    )


def test_time_left_only_when_it_can_be_told() -> None:
    assert rate(500, 10.0) == 50.0 and rate(500, 0.0) == 0.0
    assert time_left(500, 1000, 50.0) == 10.0
    assert time_left(500, 1000, 0.0) is None  # no rate yet
    assert time_left(1200, 1000, 50.0) is None  # more done than announced
