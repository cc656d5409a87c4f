"""App dependencies point one way.

core <- workshops <- orders <- production <- fulfilment <- donors <- payouts <- reports <- transparency <- sms_commands
"""

import ast
import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
LAYERS = [
    "core",
    "crisis",
    "workshops",
    "orders",
    "production",
    "fulfilment",
    "donors",
    "payouts",
    "sales",
    "reports",
    "transparency",
    "sms_commands",
]


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
        upward = imported_apps(path) - allowed
        assert not upward, f"{path.relative_to(PROJECT)} imports {sorted(upward)}, above {app}"


@pytest.mark.parametrize("app", LAYERS)
def test_apps_do_not_import_the_project_package(app):
    """hamdeli sits above every app: core reads the Celery app through ``celery.current_app``, not hamdeli.celery."""
    for path in (PROJECT / app).rglob("*.py"):
        assert "hamdeli" not in imported_apps(path), f"{path.relative_to(PROJECT)} imports hamdeli"


# Which room a template belongs to, by its folder (templates/orders/ holds the three rooms split out of orders,
# templates/donors/payouts/ the payouts room split out of donors).
TEMPLATE_ROOMS = {
    "core": "core",
    "crisis": "crisis",
    "workshops": "workshops",
    "orders/order": "orders",
    "orders/allocation": "production",
    "orders/owner": "production",
    "orders/supply": "production",
    "orders/delivery": "fulfilment",
    "orders/pdf": "fulfilment",
    "orders/pickup": "fulfilment",
    "orders/receiving": "fulfilment",
    "orders/sheets": "fulfilment",
    "donors": "donors",
    "donors/payouts": "payouts",
    "sales": "sales",
    "reports": "reports",
    "transparency": "transparency",
    "sms_commands": "sms_commands",
}
# Which room a URL namespace belongs to; names without a namespace are the project's (home, login...).
URL_NAMESPACE_ROOMS = {
    "core": "core",
    "severity": "crisis",
    "workshops": "workshops",
    "orders": "orders",
    "quotas": "production",
    "supply": "production",
    "pickups": "fulfilment",
    "deliveries": "fulfilment",
    "sheets": "fulfilment",
    "receiving": "fulfilment",
    "my-payouts": "payouts",
    "giving": "donors",
    "donations": "donors",
    "payouts": "payouts",
    "my-listing": "sales",
    "listings": "sales",
    "showcase": "sales",
    "receipts": "donors",
    "online": "donors",
    "mock-bank": "donors",
    "reports": "reports",
    "transparency": "transparency",
    "api-tokens": "transparency",
    "open-data-v1": "transparency",
    "sms": "sms_commands",
}
# The allocation desk keeps its old names in the orders namespace, but its pages are production's.
URL_NAME_ROOMS = {"orders:allocation": "production", "orders:allocation-run": "production"}
URL_TAG = re.compile(r"""\{%\s*url\s+["']([^"']+)["']""")


def template_room(path: Path) -> str | None:
    relative = path.relative_to(PROJECT / "templates").as_posix()
    for folder in sorted(TEMPLATE_ROOMS, key=len, reverse=True):
        if relative.startswith(folder + "/"):
            return TEMPLATE_ROOMS[folder]
    return None  # the project's own templates (base, home, errors, admin) sit above every room


def url_room(name: str) -> str | None:
    if name in URL_NAME_ROOMS:
        return URL_NAME_ROOMS[name]
    if ":" not in name:
        return None
    return URL_NAMESPACE_ROOMS[name.split(":")[0]]


def test_a_template_links_only_to_pages_of_its_room_or_below():
    """A link to a page of a room above is named by that room (or the view) and passed in, as the code's imports."""
    checked = 0
    for path in (PROJECT / "templates").rglob("*.html"):
        room = template_room(path)
        if room is None:
            continue
        for name in URL_TAG.findall(path.read_text(encoding="utf-8")):
            target = url_room(name)
            checked += 1
            if target is not None:
                assert LAYERS.index(target) <= LAYERS.index(room), (
                    f"{path.relative_to(PROJECT)} links to {name} ({target}), above {room}"
                )
    assert checked > 100  # the pattern still finds the links


def test_every_url_namespace_has_a_room():
    from django.urls import get_resolver

    assert set(get_resolver().namespace_dict) - {"admin"} == set(URL_NAMESPACE_ROOMS)


def test_every_transactional_test_restores_the_reference_data():
    """A transactional test without serialized rollback leaves later ones without provinces and products (and its
    flush recreates the role groups, which the next restore then collides with)."""
    for path in (PROJECT / "tests").rglob("*.py"):
        if path == Path(__file__):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "django_db(transaction=True" in line:
                assert "serialized_rollback=True" in line, f"{path.relative_to(PROJECT)}:{number}"
