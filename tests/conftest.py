"""Cross-cutting fixtures only: a persona per role and a logged-in client for each."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from core.models import Role
from core.outbox import unsent_changed

from . import factories

# Fixtures through which a test reaches the database (pytest-django's, and ours built on them).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_serialized_rollback", "live_server", "admin_client"}


def pytest_addoption(parser):
    parser.addoption(
        "--skip-database-free",
        action="store_true",
        help="leave out tests that touch neither the database nor the run's backend settings (marker 'backend'): "
        ".ci/run's second run (PostgreSQL + Redis) has them already from the first run, and they give the same answer",
    )


def _database_free(item) -> bool:
    if item.get_closest_marker("django_db") or item.get_closest_marker("backend"):
        return False
    return not (DATABASE_FIXTURES & set(item.fixturenames))


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--skip-database-free"):
        return
    skipped = [item for item in items if _database_free(item)]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [item for item in items if not _database_free(item)]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Lockouts and rate limits (login, sign-up, reset codes) count in the cache, per address: the test
    client is always 127.0.0.1, so without this one test's attempts would count against the next."""
    cache.clear()
    unsent_changed()  # the background banner's copy kept in this process (core.outbox)
    yield


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language (Persian), whatever a test before it left active in this thread:
    code outside a request (services, action lists, SMS texts) reads the active language."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def coordinator(db):
    """Coordinator of Tehran province."""
    return factories.CoordinatorFactory(full_name="هماهنگ‌کننده تهران")


@pytest.fixture
def other_coordinator(db):
    """Coordinator of Isfahan province only."""
    return factories.CoordinatorFactory(full_name="هماهنگ‌کننده اصفهان", provinces=[factories.province("isfahan")])


@pytest.fixture
def national_coordinator(db):
    return factories.CoordinatorFactory(is_national=True, provinces=[])


@pytest.fixture
def owner(db):
    return factories.UserFactory(role=Role.WORKSHOP_OWNER)


@pytest.fixture
def donor_user(db):
    return factories.UserFactory(role=Role.DONOR)


@pytest.fixture
def client_for(client):
    """``client_for(user)`` returns the test client logged in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login
