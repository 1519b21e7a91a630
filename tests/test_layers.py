"""The package's folders show the flow, and imports run one way: data knows nothing of analysis, pages, the
build or the site; the analysis nothing of pages, the build or the site; and so on (ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "natobook"
SHARED = {"errors", "paths", "myst", "citation"}  # modules every room may use
# room -> the rooms its modules may import from (besides its own and SHARED)
ALLOWED = {
    "data": set(),
    "analysis": {"data"},
    "charts": {"data", "analysis"},
    "pages": {"data", "analysis", "charts", "nbtools"},
    "nbtools": {"data", "analysis", "pages"},
    "build": {"data", "analysis", "charts", "pages", "nbtools"},
    "site": {"data", "analysis", "build", "pages", "nbtools"},
}


def _room(module: str) -> str:
    """'natobook.data.ingest' -> 'data'; 'natobook.nbtools' -> 'nbtools'."""
    return module.split(".")[1]


def _imported(path: Path) -> set[str]:
    """Every natobook module a file imports (from natobook.x import y counts y when it is a module of x)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("natobook.")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("natobook"):
            if node.module == "natobook":
                found |= {f"natobook.{alias.name}" for alias in node.names}
            else:
                found.add(node.module)
    return found


def _modules_of(room: str) -> list[Path]:
    folder = PACKAGE / room
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [PACKAGE / f"{room}.py"]


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_imports_run_downward(room):
    for path in _modules_of(room):
        for module in _imported(path):
            target = _room(module) if module.count(".") else "natobook"
            assert target in {room, *SHARED, *ALLOWED[room]}, f"{path.relative_to(PACKAGE)} imports {module}"


def test_every_module_lives_in_a_room():
    loose = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__", "__main__", "cli", *SHARED, *ALLOWED}
    assert not loose, f"modules outside the rooms of ARCHITECTURE.md: {sorted(loose)}"


def test_a_planted_upward_import_is_found(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("from natobook.build import pipeline\nimport natobook.site.sphinxext\n", encoding="utf-8")
    assert _imported(planted) == {"natobook.build", "natobook.site.sphinxext"}
