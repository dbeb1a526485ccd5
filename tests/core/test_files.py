"""Every app keeps the house rules on its files: no Python file outside migrations over
400 lines (a larger one becomes a package per sub-domain), and an app's reads
(queries) never import its writes (services)."""

import ast
from pathlib import Path

import pytest

import kinsight

ROOT = Path(kinsight.__file__).parent
APPS = sorted(p.name for p in ROOT.iterdir() if (p / "apps.py").exists())


def test_no_python_file_is_over_400_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in ROOT.rglob("*.py")
        if "migrations" not in p.parts and (n := len(p.read_text().splitlines())) > 400
    }
    assert long == {}


def _imports(path):
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


# The audit app's services are the audit row every read writes (audit_read): its own
# reads use them like every other app's reads do.
@pytest.mark.parametrize("app", [app for app in APPS if app != "audit"])
def test_reads_do_not_import_writes(app):
    queries = [ROOT / app / "queries.py", *(ROOT / app / "queries").glob("*.py")]
    services = f"kinsight.{app}.services"
    for path in (p for p in queries if p.exists()):
        found = [name for name in _imports(path) if name.startswith(services)]
        assert found == [], f"{path.relative_to(ROOT)} imports {found}"
