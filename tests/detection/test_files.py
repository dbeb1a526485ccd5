"""The app's files keep the house rules: no Python file over 400 lines (a larger one
becomes a package per sub-domain), and reads never import the writes."""

import ast
from pathlib import Path

import kinsight.detection

# api.py is being moved onto the one API base by its own change; drop it from here
# once it is under 400 lines too.
NOT_YET = {"api.py"}
APP = Path(kinsight.detection.__file__).parent


def _sources():
    return [
        p
        for p in APP.rglob("*.py")
        if "migrations" not in p.parts and str(p.relative_to(APP)) not in NOT_YET
    ]


def test_it_keeps_every_python_file_under_400_lines():
    long = {
        str(p.relative_to(APP)): n
        for p in _sources()
        if (n := len(p.read_text().splitlines())) > 400
    }
    assert long == {}


def test_its_queries_do_not_import_its_services():
    tree = ast.parse((APP / "queries.py").read_text())
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not any(name.startswith("kinsight.detection.services") for name in imported)
    assert "kinsight.detection" not in imported or all(
        alias.name != "services"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "kinsight.detection"
        for alias in node.names
    )
