"""The CLI progress bar: percentage, rate, time left; silent when not on a terminal."""

from __future__ import annotations

import io

from gazetteer.cli.progress import SHARE, ProgressBar


def test_line_shows_fraction_rate_and_time_left() -> None:
    bar = ProgressBar("import", unit="B", stream=io.StringIO(), enabled=True)
    line = bar.line(25_000_000, 100_000_000, 10.0)
    assert " 25% " in line
    assert "25.0M/100.0MB" in line
    assert "2.5MB/s" in line and "0:30 left" in line


def test_a_share_bar_shows_no_counts() -> None:
    # Bulk imports: the total includes the final stages' allowance, so counts would lie.
    bar = ProgressBar("import", unit=SHARE, stream=io.StringIO(), enabled=True)
    line = bar.line(25_000, 100_000, 10.0)
    assert " 25% " in line and "0:30 left" in line
    assert "/" not in line.replace(" left", "")


def test_draws_only_on_a_terminal_and_after_a_second() -> None:
    stream = io.StringIO()
    quiet = ProgressBar("x", stream=stream)  # StringIO is not a terminal
    assert quiet(1, 2) is True and stream.getvalue() == ""
    eager = ProgressBar("x", stream=stream, enabled=True, delay=0.0)
    assert eager(1, 2) is True
    eager.close()
    assert stream.getvalue().startswith("\rx ") and stream.getvalue().endswith("\n")
