"""The shared progress text: amount done, rate and time left once they mean something, or the
stage under way."""

from __future__ import annotations

from ui.jobs import format_amount, progress_text


def test_amounts_are_short_counts_with_their_unit() -> None:
    assert format_amount(1_250, "places") == "1.2k places"
    assert format_amount(7, "rows") == "7 rows"


def test_rate_and_time_left_only_once_known() -> None:
    assert progress_text(100, 1000, 0.5, "places") == "100 places of 1.0k places"
    assert progress_text(0, 1000, 3.0, "places") == "0 places of 1.0k places"
    text = progress_text(2_000_000, 6_000_000, 2.0, "rows")
    assert text == "2.0M rows of 6.0M rows · 1.0M rows/s · 0:04 left"
    assert progress_text(50, 0, 2.0, "rows") == "50 rows · 25 rows/s"


def test_a_stage_shows_its_name_and_no_amounts() -> None:
    # A bulk import: its total includes the final stages' allowance, so amounts would lie.
    # The bar shows the share; the line the stage, and the time left once it is known.
    stage = "Building the search index"
    assert progress_text(250, 1000, 0.5, "", stage) == stage
    assert progress_text(500, 1000, 10.0, "", stage) == f"{stage} · 0:10 left"
    assert progress_text(1200, 1000, 10.0, "", "Saving") == "Saving"
    # The unit of counted work is not shown for a stage either.
    assert progress_text(500, 1000, 10.0, "places", "Saving") == "Saving · 0:10 left"
