"""Fixtures for the command-line tests: a database copy and an in-process runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from gazetteer.cli import main

#: Runs ``gazetteer ARGV...`` in-process; returns (exit code, stdout, stderr).
CliRun = Callable[..., tuple[int, str, str]]


@pytest.fixture
def db(bundled_db_template: Path, tmp_path: Path) -> Path:
    """A writable copy of the bundled gazetteer's database file."""
    path = tmp_path / "cli.sqlite"
    shutil.copyfile(bundled_db_template, path)
    return path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CliRun:
    """The ``gazetteer`` command run in-process with its output captured."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run
