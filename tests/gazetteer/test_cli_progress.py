"""The CLI progress bar: percentage, rate, time left, the stage of an import; silent when
not on a terminal."""

from __future__ import annotations

import functools
import io
import os
from pathlib import Path

import pytest

from gazetteer.bulk import FINAL_STAGES
from gazetteer.cli import geodata
from gazetteer.cli.progress import ProgressBar, _columns
from gazetteer.intake import Progress
from tests.gazetteer.conftest import CliRun

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "geonames"


def test_line_shows_fraction_rate_and_time_left() -> None:
    bar = ProgressBar("import", unit="B", stream=io.StringIO(), enabled=True)
    line = bar.line(25_000_000, 100_000_000, 10.0)
    assert " 25% " in line
    assert "25.0M/100.0MB" in line
    assert "2.5MB/s" in line and "0:30 left" in line


def test_a_staged_report_shows_the_stage_and_no_counts() -> None:
    # Bulk imports: the total includes the final stages' allowance, so counts would lie;
    # the stage says what is under way, mid-sentence after the bar.
    bar = ProgressBar("import", stream=io.StringIO(), enabled=True)
    line = bar.line(62_000, 100_000, 24.8, "Building the search index")
    assert line == "import " + "█" * 17 + "·" * 11 + "  62% building the search index · 0:15 left"
    assert "/" not in line
    # No time left before there is a rate to tell it by, nor once the work is done.
    assert bar.line(0, 100, 1.0, "Reading AZ.txt…").endswith("   0% reading AZ.txt…")
    assert bar.line(100, 100, 9.0, "Saving").endswith(" 100% saving")


def test_a_long_stage_is_cut_to_the_terminal_width() -> None:
    # A line that wraps cannot be redrawn in place with a carriage return.
    bar = ProgressBar("import", stream=io.StringIO(), enabled=True)
    stage = "Linking places to their parents and sources"
    line = bar.line(50, 100, 10.0, stage, columns=60)
    assert len(line) == 59 and line.endswith("  50% linki… · 0:10 left")
    assert stage[1:] not in line
    assert stage[1:] in bar.line(50, 100, 10.0, stage, columns=120)


def test_a_terminal_that_reports_no_width_counts_as_80_columns() -> None:
    # A fresh pseudo-terminal says 0 columns (so do script(1) and some CI runners): taken
    # at its word, every stage would be cut to "…".
    primary, secondary = os.openpty()
    try:
        with open(secondary, "w", encoding="utf-8") as terminal:
            assert os.get_terminal_size(terminal.fileno()).columns == 0
            assert _columns(terminal) == 80
    finally:
        os.close(primary)
    assert _columns(io.StringIO()) == 80  # not a terminal at all


def test_a_new_stage_is_drawn_at_once_over_the_longer_line_before() -> None:
    stream = io.StringIO()
    bar = ProgressBar("import", stream=stream, enabled=True, delay=0.0, columns=120)
    bar(10, 100, "Linking places to their parents and sources")
    bar(11, 100, "Linking places to their parents and sources")  # within 0.2 s: not drawn
    bar(12, 100, "Saving")  # a new stage: drawn, however soon
    bar(100, 100, "Saving")  # the end: drawn, however soon
    drawn = stream.getvalue().split("\r")[1:]
    assert len(drawn) == 3 and "saving · " in drawn[1] and " 100% saving" in drawn[2]
    assert len(drawn[1]) == len(drawn[0])  # padded over what the longer line left


def test_an_import_on_a_terminal_shows_its_stages(
    db: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ``gazetteer import geonames`` as run on a terminal (stderr is captured, so the bar is
    # told to draw, and at once: the fixtures import in well under the usual second).
    eager = functools.partial(ProgressBar, enabled=True, delay=0.0, columns=120)
    monkeypatch.setattr(geodata, "ProgressBar", eager)
    files = [str(FIXTURES / n) for n in ("AZ.txt", "AM.txt", "admin1CodesASCII.txt")]
    code, _, err = cli("import", "geonames", *files, "--db", str(db))
    assert code == 0
    drawn = [line for line in err.split("\r") if line.startswith("import ")]
    said = [
        s[:1].lower() + s[1:]
        for s in ("Reading AZ.txt…", *(name for _, name in FINAL_STAGES.values()))
    ]
    positions = [next(i for i, line in enumerate(drawn) if f"% {s} · " in line) for s in said]
    assert positions == sorted(positions)  # every stage shown, in the order they run
    assert all("/" not in line.split("%", 1)[1] for line in drawn)  # no counts or rate


def test_ctrl_c_during_an_import_ends_the_bar_line_then_says_nothing_was_imported(
    db: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    eager = functools.partial(ProgressBar, enabled=True, delay=0.0, columns=120)
    monkeypatch.setattr(geodata, "ProgressBar", eager)

    def interrupted(self: object, files: object, *, progress: Progress, **kw: object) -> None:
        progress(1, 10, "Reading AZ.txt…")  # the bar draws
        raise KeyboardInterrupt  # then Ctrl+C

    monkeypatch.setattr(geodata.Gazetteer, "import_geonames", interrupted)
    code, out, err = cli("import", "geonames", str(FIXTURES / "AZ.txt"), "--db", str(db))
    assert code == 130 and out == ""
    assert "import " in err  # the bar's line, ended before the message:
    assert err.endswith("\ngazetteer: interrupted; nothing was imported\n")


def test_draws_only_on_a_terminal_and_after_a_second() -> None:
    stream = io.StringIO()
    quiet = ProgressBar("x", stream=stream)  # StringIO is not a terminal
    assert quiet(1, 2) is True and stream.getvalue() == ""
    eager = ProgressBar("x", stream=stream, enabled=True, delay=0.0)
    assert eager(1, 2) is True
    eager.close()
    assert stream.getvalue().startswith("\rx ") and stream.getvalue().endswith("\n")
