"""The coordinator's API tokens: issued on her page (the key shown once, only its hash kept), revoked there, and
what a token reads: her provinces' orders, quotas and deliveries, paginated, rate limited, clear 400s."""

import datetime as dt
import hashlib
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditLog, Role
from fulfilment.models import DeliveryStatus
from transparency.models import ApiToken
from transparency.services import api_token_issue, api_token_revoke, api_token_used

from .. import factories

pytestmark = pytest.mark.django_db


def issue(user, name="جدول استان"):
    return api_token_issue(owner=user, name=name)


def call(client, key, path, **params):
    return client.get(f"/api/v1/province/{path}", params, HTTP_AUTHORIZATION=f"Bearer {key}")


# --- Issuing and revoking -------------------------------------------------------------------------------------


def test_issuing_returns_the_key_once_and_stores_only_its_hash_and_a_prefix(coordinator):
    issued = issue(coordinator)
    token = ApiToken.objects.get()
    assert issued.key.startswith(token.prefix) and len(issued.key) > 40
    assert token.key_hash == hashlib.sha256(issued.key.encode()).hexdigest()
    assert issued.key not in str([getattr(token, field.attname) for field in ApiToken._meta.fields])
    assert AuditLog.objects.filter(action="api_token.issue", object_id=str(token.pk)).exists()


def test_only_a_coordinator_may_issue_a_token(owner):
    with pytest.raises(PermissionDenied):
        issue(owner)


def test_a_coordinator_cannot_revoke_another_coordinators_token_but_a_national_one_can(
    coordinator, other_coordinator, national_coordinator
):
    token = issue(coordinator).token
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, actor=other_coordinator)
    assert api_token_revoke(token=token, actor=national_coordinator).revoked_at is not None


def test_last_used_is_written_at_most_once_a_minute(coordinator, django_assert_num_queries):
    token = issue(coordinator).token
    now = timezone.now()
    api_token_used(token=token, now=now)
    with django_assert_num_queries(0):
        api_token_used(token=token, now=now + dt.timedelta(seconds=59))
    api_token_used(token=token, now=now + dt.timedelta(seconds=61))
    token.refresh_from_db()
    assert token.last_used_at == now + dt.timedelta(seconds=61)


# --- The page ---------------------------------------------------------------------------------------------------


def test_the_page_shows_the_new_key_once_and_then_only_its_prefix(client_for, coordinator):
    client = client_for(coordinator)
    url = reverse("api-tokens:list")
    page = client.post(url, {"name": "داشبورد استان", "submission_key": str(uuid.uuid4())}, follow=True)
    token = ApiToken.objects.get()
    shown = page.context["new_key"]["key"]
    assert shown in page.content.decode() and hashlib.sha256(shown.encode()).hexdigest() == token.key_hash
    assert "no-store" in page["Cache-Control"]
    again = client.get(url).content.decode()
    assert shown not in again and token.prefix in again and "داشبورد استان" in again


def test_the_form_sent_twice_issues_one_token_and_the_second_answer_shows_its_key(client_for, coordinator):
    client = client_for(coordinator)
    url = reverse("api-tokens:list")
    form = {"name": "دوبار", "submission_key": str(uuid.uuid4())}
    client.post(url, form)
    page = client.post(url, form, follow=True)  # the browser shows this answer
    assert ApiToken.objects.count() == 1
    key = page.context["new_key"]["key"]
    assert hashlib.sha256(key.encode()).hexdigest() == ApiToken.objects.get().key_hash


def test_a_name_of_3000_characters_is_refused_clearly(client_for, coordinator):
    page = client_for(coordinator).post(reverse("api-tokens:list"), {"name": "x" * 3000})
    assert page.status_code == 200 and not ApiToken.objects.exists()
    assert page.context["form"].errors["name"]


def test_html_in_a_name_is_shown_as_text(client_for, coordinator):
    issue(coordinator, name="<b>bold</b>")
    page = client_for(coordinator).get(reverse("api-tokens:list")).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page


def test_another_coordinators_token_in_the_url_is_not_found(client_for, coordinator, other_coordinator):
    token = issue(other_coordinator).token
    response = client_for(coordinator).post(reverse("api-tokens:revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_she_sees_only_her_own_tokens(client_for, coordinator, other_coordinator):
    issue(other_coordinator, name="اصفهان")
    issue(coordinator, name="تهران")
    page = client_for(coordinator).get(reverse("api-tokens:list")).content.decode()
    assert "تهران" in page and "اصفهان" not in page


def test_revoking_on_the_page_stops_the_key(client, client_for, coordinator):
    issued = issue(coordinator)
    client_for(coordinator).post(reverse("api-tokens:revoke", kwargs={"pk": issued.token.pk}))
    client.logout()
    assert call(client, issued.key, "orders").status_code == 401


def test_a_coordinator_finds_the_page_from_the_results_page(client_for, coordinator):
    page = client_for(coordinator).get(reverse("transparency:results")).content.decode()
    assert reverse("api-tokens:list") in page


def test_a_visitor_does_not_see_the_token_link_on_the_results_page(client):
    assert reverse("api-tokens:list") not in client.get(reverse("transparency:results")).content.decode()


# --- The API ------------------------------------------------------------------------------------------------------


def test_her_orders_are_listed_and_another_provinces_order_is_not(client, coordinator):
    mine = factories.OrderFactory()
    isfahan = factories.HealthCenterFactory(province=factories.province("isfahan"))
    factories.OrderFactory(health_center=isfahan)
    body = call(client, issue(coordinator).key, "orders").json()
    assert [row["number"] for row in body["results"]] == [mine.number]
    assert body["results"][0]["province_code"] == "tehran" and body["count"] == 1


def test_quotas_and_deliveries_are_those_of_her_provinces(client, coordinator):
    quota = factories.QuotaFactory()
    isfahan = factories.HealthCenterFactory(province=factories.province("isfahan"))
    factories.QuotaFactory(
        order=factories.OrderFactory(health_center=isfahan),
        workshop=factories.WorkshopFactory(province=factories.province("isfahan")),
    )
    delivery = factories.DeliveryFactory(health_center=quota.order.health_center, created_by=coordinator)
    factories.DeliveryFactory(health_center=isfahan, created_by=coordinator)
    key = issue(coordinator).key
    assert [row["id"] for row in call(client, key, "quotas").json()["results"]] == [quota.pk]
    assert [row["code"] for row in call(client, key, "deliveries").json()["results"]] == [delivery.code]


def test_a_status_filters_the_rows(client, coordinator):
    planned = factories.DeliveryFactory(created_by=coordinator)
    factories.DeliveryFactory(created_by=coordinator, status=DeliveryStatus.DISPATCHED)
    body = call(client, issue(coordinator).key, "deliveries", status="planned").json()
    assert [row["code"] for row in body["results"]] == [planned.code]


@pytest.mark.parametrize(
    ("path", "params", "says"),
    [
        ("orders", {"status": "<script>"}, "status"),
        ("quotas", {"page": "0"}, "page"),
        ("deliveries", {"page": "۱۲٫۵"}, "not a whole number"),
        ("orders", {"page": "2"}, "There are 1 page(s)"),
        ("orders", {"status": "x" * 3000}, "status"),
    ],
)
def test_a_bad_parameter_gets_400_with_what_was_wrong(client, coordinator, path, params, says):
    response = call(client, issue(coordinator).key, path, **params)
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert says in str(response.json())


def test_an_unknown_or_revoked_key_gets_401_json(client, coordinator):
    issued = issue(coordinator)
    api_token_revoke(token=issued.token, actor=coordinator)
    for key in (issued.key, "hmd_not-a-key", ""):
        response = call(client, key, "orders")
        assert response.status_code == 401 and response.json() == {"detail": "Unauthorized"}
    assert client.get("/api/v1/province/orders").status_code == 401


def test_a_token_whose_owner_is_no_longer_a_coordinator_gets_403(client, coordinator):
    key = issue(coordinator).key
    coordinator.role = Role.DONOR
    coordinator.provinces.clear()
    coordinator.is_staff = False
    coordinator.save()
    response = call(client, key, "orders")
    assert response.status_code == 403 and "no longer a coordinator" in response.json()["detail"]


def test_a_token_is_slowed_down_after_60_requests_a_minute_and_another_token_is_not(client, coordinator):
    key, other_key = issue(coordinator).key, issue(coordinator, name="دوم").key
    answers = [call(client, key, "deliveries").status_code for _ in range(61)]
    assert answers[:60] == [200] * 60 and answers[60] == 429
    assert call(client, other_key, "deliveries").status_code == 200


def test_an_address_sending_wrong_keys_is_slowed_down(client):
    answers = [call(client, f"hmd_wrong{n}", "orders").status_code for n in range(21)]
    assert answers[:20] == [401] * 20 and answers[20] == 429


def test_using_a_token_notes_when_it_was_last_used(client, coordinator):
    issued = issue(coordinator)
    call(client, issued.key, "orders")
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None


def test_the_openapi_document_describes_the_province_endpoints_and_their_bearer_auth(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/province/orders", "/api/v1/province/quotas", "/api/v1/province/deliveries"} <= set(schema["paths"])
    assert "bearer" in str(schema["components"]["securitySchemes"]).lower()


@pytest.mark.parametrize("path", ["orders", "quotas", "deliveries"])
def test_a_page_of_rows_takes_as_many_queries_for_five_rows_as_for_one(client, coordinator, path):
    key = issue(coordinator).key
    call(client, key, path)  # notes the token's first use: the calls below write nothing

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert call(client, key, path).status_code == 200
        return len(captured)

    quota = factories.QuotaFactory()
    factories.DeliveryFactory(health_center=quota.order.health_center, created_by=coordinator)
    with_one_row = queries()
    for _ in range(4):
        quota = factories.QuotaFactory()
        factories.DeliveryFactory(health_center=quota.order.health_center, created_by=coordinator)
    assert queries() == with_one_row
    assert call(client, key, path).json()["count"] == 5


def test_a_national_coordinator_sees_every_token_and_revokes_another_coordinators(
    client_for, coordinator, national_coordinator
):
    token = issue(coordinator, name="تهران").token
    client = client_for(national_coordinator)
    assert "تهران" in client.get(reverse("api-tokens:list")).content.decode()
    client.post(reverse("api-tokens:revoke", kwargs={"pk": token.pk}))
    token.refresh_from_db()
    assert token.revoked_at is not None
