"""What every sub-command shares: ``--db`` and ``--json``, opening the gazetteer, and
turning domain and storage errors into one clear line on stderr and an exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from gazetteer.errors import (
    AmbiguousNameError,
    CancelledError,
    CorruptDatabaseError,
    DatabaseLockedError,
    GazetteerError,
    InvalidFileError,
    NotFoundError,
    ReadOnlyDatabaseError,
    StorageError,
    TooNewDatabaseError,
    ValidationError,
)
from gazetteer.facade import Gazetteer, PendingUpgrade

#: Exit codes: 0 success, 1 bad input or nothing found, 2 usage (argparse), 3 storage problem.
EXIT_OK, EXIT_INPUT, EXIT_STORAGE = 0, 1, 3


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db PATH``: the database file (default: $GAZETTEER_DB or the user data folder)."""
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        help="database file (default: $GAZETTEER_DB, else the per-user data folder; "
        "created from the bundled gazetteer on first use)",
    )


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """``--json``: print records as JSON instead of a readable table."""
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


#: The line printed before a one-time upgrade on open, by ``PendingUpgrade.work``.
UPGRADE_NOTICES = {
    "rebuild_keys": "Rebuilding the search keys of {file} for this version (once, {names} names)…",
    "refresh_index": "Updating the search index of {file} for this version (once, {names} names)…",
}


def upgrade_notice(path: Path | None, pending: PendingUpgrade) -> str:
    """``Updating the search index of data.sqlite for this version (once, 1 183 651 names)…``"""
    return UPGRADE_NOTICES[pending.work].format(
        file=path.name if path is not None else "the gazetteer",
        names=f"{pending.names:,}".replace(",", " "),
    )


def open_gazetteer(args: argparse.Namespace) -> Gazetteer:
    """Open the database named by ``--db`` (or the default one).

    When the file needs a one-time upgrade (seconds to minutes on a million names), one
    line on stderr says so first, so a user waiting knows why.
    """
    gazetteer = Gazetteer.open(getattr(args, "db", None), prepare=False)
    try:
        pending = gazetteer.pending_upgrade()
        if pending is not None:
            print(upgrade_notice(gazetteer.path, pending), file=sys.stderr, flush=True)
        gazetteer.prepare()
    except BaseException:
        gazetteer.close()
        raise
    return gazetteer


def print_json(data: Any) -> None:
    """Pretty JSON with non-ASCII kept readable."""
    print(json.dumps(data, ensure_ascii=False, indent=2))


def error(message: str) -> None:
    """One line on stderr, prefixed like argparse's own errors."""
    print(f"gazetteer: error: {message}", file=sys.stderr)


def run_command(args: argparse.Namespace) -> int:
    """Run the chosen sub-command, mapping errors to messages and exit codes."""
    try:
        return int(args.func(args))
    except InvalidFileError as exc:
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        error(f"{len(exc.problems)} problem(s) found; nothing was imported")
        return EXIT_INPUT
    except AmbiguousNameError as exc:
        error(f"{exc.query!r} names several places: {', '.join(exc.candidates)}; give an id")
        return EXIT_INPUT
    except NotFoundError as exc:
        error(f"no place with the id or name {exc.query!r}")
        return EXIT_INPUT
    except ValidationError as exc:
        error(f"{exc.field}: {exc.problem}")
        return EXIT_INPUT
    except CancelledError:
        error("cancelled; nothing was written")
        return EXIT_INPUT
    except TooNewDatabaseError as exc:
        error(
            f"{exc.path} was written by a newer version of the gazetteer (schema {exc.found}; "
            f"this program understands up to {exc.supported}). It was not changed: open it "
            "with a newer version."
        )
        return EXIT_STORAGE
    except CorruptDatabaseError as exc:
        error(f"{exc.path} is damaged or not a gazetteer database ({exc.detail})")
        return EXIT_STORAGE
    except DatabaseLockedError as exc:
        error(f"{exc.path} is locked by another program; close it and try again")
        return EXIT_STORAGE
    except ReadOnlyDatabaseError as exc:
        error(f"{exc.path} cannot be written ({exc.detail})")
        return EXIT_STORAGE
    except StorageError as exc:
        error(f"database problem: {exc}")
        return EXIT_STORAGE
    except GazetteerError as exc:
        error(str(exc))
        return EXIT_INPUT
    except BrokenPipeError:
        return EXIT_OK
