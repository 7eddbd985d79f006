"""The ``gazetteer`` command: one sub-command module per job, registered below.

Each module exposes ``register(subparsers)`` which adds its parser(s) and sets ``func`` to
a function taking the parsed arguments and returning an exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from gazetteer.cli import data, history, nearby, normalise, profiles, search, show, xref
from gazetteer.cli.common import run_command

COMMAND_MODULES = [search, show, data, xref, history, nearby, profiles, normalise]


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (also used to render help in tests)."""
    parser = argparse.ArgumentParser(
        prog="gazetteer",
        description="Multilingual place-name gazetteer of the South Caucasus "
        "(Armenian, Azerbaijani, English, Russian names).",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gazetteer`` command; returns the exit code."""
    # Names and tables are Unicode: make sure stdout can print Armenian even on odd locales.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    args = build_parser().parse_args(argv)
    return run_command(args)


if __name__ == "__main__":
    raise SystemExit(main())
