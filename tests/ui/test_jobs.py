"""The shared progress text: amount done, rate and time left once they mean something."""

from __future__ import annotations

from ui.jobs import PERCENT, format_amount, format_duration, progress_text


def test_amounts_in_bytes_and_counts() -> None:
    assert format_amount(512, "B") == "512 B"
    assert format_amount(3_400_000, "B") == "3.4 MB"
    assert format_amount(1_250, "places") == "1.2k places"
    assert format_amount(7, "rows") == "7 rows"


def test_durations() -> None:
    assert format_duration(7.4) == "0:07"
    assert format_duration(750) == "12:30"
    assert format_duration(3723) == "1:02:03"


def test_rate_and_time_left_only_once_known() -> None:
    assert progress_text(100, 1000, 0.5, "places") == "100 places of 1.0k places"
    assert progress_text(0, 1000, 3.0, "places") == "0 places of 1.0k places"
    text = progress_text(2_000_000, 6_000_000, 2.0, "B")
    assert text == "2.0 MB of 6.0 MB · 1.0 MB/s · 0:04 left"
    assert progress_text(50, 0, 2.0, "rows") == "50 rows · 25 rows/s"


def test_a_share_of_the_whole_shows_no_amounts() -> None:
    # A bulk import: its total includes the final stages' allowance, so amounts would lie.
    # The bar shows the share; the line only the time left, once it is known.
    assert progress_text(250, 1000, 0.5, PERCENT) == "…"
    assert progress_text(500, 1000, 10.0, PERCENT) == "0:10 left"
    assert progress_text(1200, 1000, 10.0, PERCENT) == "…"
