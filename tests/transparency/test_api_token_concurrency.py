"""Tokens issued or revoked twice at the same moment (PostgreSQL): the limit of working tokens holds, a revocation is
recorded once.

The control cases turn the row locks off and show the races are real: both issues count the same tokens and
both make one, one more than the limit; both revocations read "working" and both are audited.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.models import AuditLog
from transparency import services
from transparency.models import ApiToken

from .. import races

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on PostgreSQL"
)


def _race(monkeypatch, coordinator, *, locking: bool) -> list[BaseException]:
    for n in range(services.MAX_ACTIVE_TOKENS - 1):
        services.api_token_issue(owner=coordinator, name=f"پیشین {n}")

    def issue():
        services.api_token_issue(owner=coordinator, name="هم‌زمان")

    with races.Race() as race:
        # Without the lock the second issue reaches the count too, and lets the first go on.
        locked = race.park(monkeypatch, services, "_lock_owner", later_arrivals_release=True)
        race.start("first", issue)
        locked.wait_until_reached()
        second = race.start("second", issue)
        if locking:
            race.wait_until_blocked(second)
            locked.release()
    return list(race.errors.values())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_issues_at_once_make_no_more_tokens_than_the_limit(monkeypatch, coordinator):
    errors = _race(monkeypatch, coordinator, locking=True)
    assert [type(error) for error in errors] == [ValidationError]
    assert ApiToken.objects.filter(owner=coordinator).count() == services.MAX_ACTIVE_TOKENS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_row_lock_two_issues_at_once_pass_the_limit(monkeypatch, coordinator):
    # The control case: the coordinator is re-read without her row lock.
    monkeypatch.setattr(services, "_lock_owner", lambda owner: type(owner).objects.get(pk=owner.pk))
    assert _race(monkeypatch, coordinator, locking=False) == []
    assert ApiToken.objects.filter(owner=coordinator).count() == services.MAX_ACTIVE_TOKENS + 1  # the race


def _revoke_race(monkeypatch, coordinator, *, locking: bool) -> ApiToken:
    token = services.api_token_issue(owner=coordinator, name="دو زبانه").token

    def revoke():
        services.api_token_revoke(token=ApiToken.objects.get(pk=token.pk), actor=coordinator)

    with races.Race() as race:
        locked = race.park(monkeypatch, services, "_lock_token", later_arrivals_release=True)
        race.start("first", revoke)
        locked.wait_until_reached()
        second = race.start("second", revoke)
        if locking:
            race.wait_until_blocked(second)
            locked.release()
    assert race.errors == {}
    return token


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_token_revoked_twice_at_once_is_revoked_and_audited_once(monkeypatch, coordinator):
    token = _revoke_race(monkeypatch, coordinator, locking=True)
    assert AuditLog.objects.filter(action="api_token.revoke", object_id=str(token.pk)).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_row_lock_a_token_revoked_twice_at_once_is_audited_twice(monkeypatch, coordinator):
    monkeypatch.setattr(services, "_lock_token", lambda token: ApiToken.objects.get(pk=token.pk))
    token = _revoke_race(monkeypatch, coordinator, locking=False)
    assert AuditLog.objects.filter(action="api_token.revoke", object_id=str(token.pk)).count() == 2  # the race
