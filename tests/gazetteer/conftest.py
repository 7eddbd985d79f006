"""Fixtures for the command-line tests: an in-process runner (the database copy, ``db``,
is in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gazetteer.cli import main

#: Runs ``gazetteer ARGV...`` in-process; returns (exit code, stdout, stderr).
CliRun = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CliRun:
    """The ``gazetteer`` command run in-process with its output captured."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run
