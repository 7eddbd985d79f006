"""Where the user's database lives."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "caucasus-gazetteer"
DB_FILENAME = "gazetteer.sqlite"
ENV_VAR = "GAZETTEER_DB"


def default_database_path() -> Path:
    """``$GAZETTEER_DB`` if set, else the platform's per-user data folder."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME
