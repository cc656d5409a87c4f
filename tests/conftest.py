"""Cross-cutting fixtures only: a persona per role and a logged-in client for each."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from core.models import Role

from . import factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Lockouts and rate limits (login, sign-up, reset codes) count in the cache, per address: the test
    client is always 127.0.0.1, so without this one test's attempts would count against the next."""
    cache.clear()
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
