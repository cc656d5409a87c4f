"""The daily output report on the evening peak (issue 20): few round trips, and every rule kept on the way."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.models import AuditLog
from production.models import OutputReport
from production.services.quotas import output_report
from reports.models import DailyFigure

from .. import factories


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def report(quota, quantity, key=None):
    return output_report(
        quota=quota, owner=quota.workshop.owner, quantity=quantity, idempotency_key=key or uuid.uuid4()
    )


def _statements(queries) -> list[str]:
    """The queries without savepoints (the service's transaction is one inside the test's) and without the
    content type of the audit line (a worker looks it up once and keeps it; each test starts with it forgotten)."""
    return [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"].upper() and "django_content_type" not in q["sql"]]


def test_a_report_locks_the_quota_once_looks_up_its_key_once_and_writes_three_rows(db):
    quota = factories.QuotaFactory(quantity=100)
    with CaptureQueriesContext(connection) as queries:
        saved, created = report(quota, 7)
    assert created
    statements = _statements(queries.captured_queries)
    # Lock (with the workshop and order for the audit line), key look-up, the report, the quota's total, the audit,
    # and the daily figures counted in the same transaction (reports.daily_output): the figure row's upsert, the
    # workshop's activity row of the day and, as it is her first report of the day, the chain of her activity
    # rows; on PostgreSQL one more statement takes the figures' shared lock and the workshop's.
    daily = [sql for sql in statements if "reports_daily" in sql or "pg_advisory" in sql]
    assert len(daily) == (4 if connection.vendor == "postgresql" else 3), daily
    assert len(statements) - len(daily) == 5, statements
    assert sum("orders_quota" in sql and sql.lstrip().startswith("SELECT") for sql in statements) == 1
    assert sum("idempotency_key" in sql and sql.lstrip().startswith("SELECT") for sql in statements) == 1
    assert saved.quota.produced_units == 7
    log = AuditLog.objects.get(action="output.report", object_id=str(quota.pk))
    assert log.object_repr.startswith(quota.order.number)


def test_a_second_report_of_the_day_adds_to_the_figures_without_relinking_the_workshops_days(db):
    quota = factories.QuotaFactory(quantity=100)
    report(quota, 7)
    with CaptureQueriesContext(connection) as queries:
        report(quota, 5)
    daily = [sql for sql in _statements(queries.captured_queries) if "reports_daily" in sql or "pg_advisory" in sql]
    assert len(daily) == (3 if connection.vendor == "postgresql" else 2), daily
    assert DailyFigure.objects.get(product=quota.order.product).produced_units == 12


def test_a_report_sent_twice_counts_once_and_returns_the_quota_total(db):
    quota = factories.QuotaFactory(quantity=100)
    key = uuid.uuid4()
    first, created_first = report(quota, 10, key)
    again, created_again = report(quota, 10, key)
    assert (created_first, created_again) == (True, False)
    assert again.pk == first.pk
    assert again.quota.produced_units == 10
    assert OutputReport.objects.filter(quota=quota).count() == 1


def test_a_key_committed_on_another_quota_after_the_look_up_is_refused_not_returned_as_this_quotas_report(
    db, monkeypatch
):
    """The race: a parallel request on another quota (another lock) stores the same key between our look-up
    and our insert. The unique key stops the insert; the answer must be the refusal, not the other quota's
    report presented as this one's."""
    mine = factories.QuotaFactory(quantity=100)
    theirs = factories.QuotaFactory(quantity=100, workshop=mine.workshop)
    key = uuid.uuid4()
    report(theirs, 4, key)
    real_filter = OutputReport.objects.filter

    def look_up_before_the_twin_committed(*args, **kwargs):
        found = real_filter(*args, **kwargs)
        return found.none() if "idempotency_key" in kwargs else found

    monkeypatch.setattr(OutputReport.objects, "filter", look_up_before_the_twin_committed)
    with pytest.raises(ValidationError, match="another quota"):
        report(mine, 5, key)
    mine.refresh_from_db()
    assert mine.produced_units == 0
    assert OutputReport.objects.filter(quota=mine).count() == 0


def test_the_report_form_records_and_redirects_with_the_new_total_in_its_message(client_for, owner):
    quota = factories.QuotaFactory(quantity=100, produced_units=20, workshop__owner=owner)
    client = client_for(owner)
    client.cookies["hamdeli_language"] = "en"
    url = reverse("quotas:detail", kwargs={"pk": quota.pk})
    data = {"quantity": "3", "report_date": "", "note": "", "idempotency_key": str(uuid.uuid4())}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url == url
    page = client.get(url)
    assert "Total so far: 23 of 100" in page.text
    again = client.post(url, data, follow=True)
    assert "already recorded" in again.text
    assert "Total so far: 23" in again.text


def test_the_report_form_of_another_owners_quota_is_not_found(client_for, owner):
    theirs = factories.QuotaFactory(quantity=100)
    data = {"quantity": "3", "report_date": "", "note": "", "idempotency_key": str(uuid.uuid4())}
    response = client_for(owner).post(reverse("quotas:detail", kwargs={"pk": theirs.pk}), data)
    assert response.status_code == 404
    assert not OutputReport.objects.filter(quota=theirs).exists()


def test_a_report_over_the_ceiling_shows_the_quota_page_again_with_the_error(client_for, owner):
    quota = factories.QuotaFactory(quantity=100, produced_units=100, workshop__owner=owner)
    client = client_for(owner)
    client.cookies["hamdeli_language"] = "en"
    data = {"quantity": "6", "report_date": "", "note": "", "idempotency_key": str(uuid.uuid4())}
    response = client.post(reverse("quotas:detail", kwargs={"pk": quota.pk}), data)
    assert response.status_code == 200
    assert "errorlist" in response.text
    assert "at most 5 more" in response.text
    quota.refresh_from_db()
    assert quota.produced_units == 100
