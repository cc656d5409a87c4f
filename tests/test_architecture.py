"""App dependencies point one way: core <- workshops <- orders <- donors <- reports."""

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
LAYERS = ["core", "workshops", "orders", "donors", "reports"]


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & (set(LAYERS) | {"hamdeli"})


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_from_apps_below_it(app):
    allowed = set(LAYERS[: LAYERS.index(app) + 1])
    for path in (PROJECT / app).rglob("*.py"):
        upward = imported_apps(path) - allowed - {"hamdeli"}
        assert not upward, f"{path.relative_to(PROJECT)} imports {sorted(upward)}, above {app}"


@pytest.mark.parametrize("app", LAYERS)
def test_apps_do_not_import_the_project_package_except_its_celery_app(app):
    for path in (PROJECT / app).rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for line in source.splitlines():
            if line.strip().startswith(("from hamdeli", "import hamdeli")):
                assert "celery import app" in line, f"{path.relative_to(PROJECT)}: {line.strip()}"


def test_every_transactional_test_restores_the_reference_data():
    """A transactional test without serialized rollback leaves later ones without provinces and products (and its
    flush recreates the role groups, which the next restore then collides with)."""
    for path in (PROJECT / "tests").rglob("*.py"):
        if path == Path(__file__):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "django_db(transaction=True" in line:
                assert "serialized_rollback=True" in line, f"{path.relative_to(PROJECT)}:{number}"
