"""Two tokens issued to one coordinator at the same moment still respect the limit of working tokens (PostgreSQL).

The control case turns the row lock off and shows the race is real: both issues count the same tokens and both
make one, one more than the limit.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

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
