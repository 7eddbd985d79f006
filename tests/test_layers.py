"""The layer rules of DESIGN.md, checked on every import statement of every module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: package -> top-level modules it must never import
FORBIDDEN = {
    "db": {"gazetteer", "ui", "PySide6"},
    "gazetteer": {"ui", "PySide6"},
    "ui": {"db", "sqlite3", "sqlite_utils"},
}


def imported_top_levels(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports (absolute imports only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_respects_layer_rules(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_top_levels(path) & FORBIDDEN[package])
        for path in modules(package)
    }
    offenders = {path: bad for path, bad in offenders.items() if bad}
    assert offenders == {}, f"{package}/ imports what its layer must not: {offenders}"


def test_checker_sees_forbidden_imports(tmp_path: Path) -> None:
    """The walker must catch nested and from-imports, or the rule test proves nothing."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\nfrom PySide6.QtCore import Qt\ndef f():\n    import sqlite3\n", encoding="utf-8"
    )
    assert imported_top_levels(sample) == {"os", "PySide6", "sqlite3"}


def test_packages_are_listed_in_pyproject() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for package in ("gazetteer", "db", "ui"):
        assert f'"{package}"' in text
