"""After verification, a move to another province or a new Sheba waits for the coordinator of the current province."""

import pytest
from django.urls import reverse

from core.models import AuditLog
from workshops.models import ChangeRequestStatus, Workshop, WorkshopChangeRequest, WorkshopStatus

from .. import factories

OLD_SHEBA = "IR062960000000100324200001"
NEW_SHEBA = "IR820540102680020817909002"


@pytest.fixture
def workshop(db):
    return factories.WorkshopFactory(name="خیاطی نمونه", status=WorkshopStatus.VERIFIED, sheba=OLD_SHEBA)


def profile_data(workshop, **overrides):
    return {
        "name": workshop.name,
        "national_id": workshop.national_id,
        "city": workshop.city_id,
        "address": workshop.address,
        "sheba": workshop.sheba,
        "sewing_machines": "2",
        "workers": "3",
        **overrides,
    }


def ask_to_move_to_shiraz(client_for, workshop):
    return client_for(workshop.owner).post(
        reverse("workshops:profile"),
        profile_data(workshop, city=factories.capital("fars").pk, sheba=NEW_SHEBA, workers="5"),
    )


def test_a_verified_owner_moving_province_and_changing_sheba_waits_for_approval(client_for, workshop, coordinator):
    response = ask_to_move_to_shiraz(client_for, workshop)

    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.province == factories.province("tehran")
    assert workshop.sheba == OLD_SHEBA  # payouts keep the old account
    assert workshop.status == WorkshopStatus.VERIFIED
    assert workshop.workers == 5  # the rest of the form is saved
    request = WorkshopChangeRequest.objects.get(workshop=workshop, status=ChangeRequestStatus.PENDING)
    assert (request.new_city, request.new_sheba) == (factories.capital("fars"), NEW_SHEBA)
    page = client_for(workshop.owner).get(reverse("workshops:profile"), HTTP_ACCEPT_LANGUAGE="fa")
    assert 'data-testid="change-pending"' in page.content.decode()
    assert factories.province("fars").name_fa in page.content.decode()


def test_a_city_in_the_same_province_applies_at_once(client_for, workshop):
    other_city = factories.City.objects.create(province=factories.province("tehran"), name_fa="ری", name_en="Rey")

    client_for(workshop.owner).post(reverse("workshops:profile"), profile_data(workshop, city=other_city.pk))

    workshop.refresh_from_db()
    assert workshop.city == other_city
    assert not WorkshopChangeRequest.objects.exists()


def test_saving_the_profile_again_keeps_the_pending_request(client_for, workshop):
    ask_to_move_to_shiraz(client_for, workshop)
    workshop.refresh_from_db()

    client_for(workshop.owner).post(reverse("workshops:profile"), profile_data(workshop, workers="6"))

    request = WorkshopChangeRequest.objects.get(status=ChangeRequestStatus.PENDING)
    assert request.new_city == factories.capital("fars")
    assert request.new_sheba == NEW_SHEBA


def test_the_current_provinces_coordinator_sees_the_request_and_the_new_ones_does_not(
    client_for, workshop, coordinator
):
    ask_to_move_to_shiraz(client_for, workshop)
    request = WorkshopChangeRequest.objects.get()
    fars = factories.CoordinatorFactory(provinces=[factories.province("fars")])

    tehran_page = client_for(coordinator).get(reverse("workshops:change-requests")).content.decode()
    fars_page = client_for(fars).get(reverse("workshops:change-requests")).content.decode()
    fars_post = client_for(fars).post(
        reverse("workshops:change-request-decide", args=[request.pk]), {"decision": "approve"}
    )

    assert f'data-testid="change-request-{request.pk}"' in tehran_page
    detail = client_for(coordinator).get(reverse("supply:workshop-detail", args=[workshop.pk])).content.decode()
    assert 'data-testid="workshop-change-pending"' in detail
    assert f'data-testid="change-request-{request.pk}"' not in fars_page
    assert fars_post.status_code == 404
    assert reverse("workshops:change-requests") in client_for(coordinator).get(reverse("home")).content.decode()


def test_approval_moves_the_workshop_and_its_sheba_and_the_new_coordinator_inherits_her(
    client_for, workshop, coordinator
):
    ask_to_move_to_shiraz(client_for, workshop)
    request = WorkshopChangeRequest.objects.get()
    fars = factories.CoordinatorFactory(provinces=[factories.province("fars")])

    response = client_for(coordinator).post(
        reverse("workshops:change-request-decide", args=[request.pk]), {"decision": "approve"}
    )

    assert response.status_code == 302
    workshop.refresh_from_db()
    assert (workshop.province, workshop.city) == (factories.province("fars"), factories.capital("fars"))
    assert workshop.sheba == NEW_SHEBA
    assert workshop.status == WorkshopStatus.VERIFIED
    entry = AuditLog.objects.filter(action="workshop.profile", object_id=str(workshop.pk)).latest("id")
    assert entry.actor == coordinator
    assert entry.changes["sheba"] == [OLD_SHEBA, NEW_SHEBA]
    assert client_for(fars).get(reverse("supply:workshop-detail", args=[workshop.pk])).status_code == 200
    assert client_for(coordinator).get(reverse("supply:workshop-detail", args=[workshop.pk])).status_code == 404


def test_rejection_needs_a_reason_keeps_everything_and_the_owner_reads_why(client_for, workshop, coordinator):
    ask_to_move_to_shiraz(client_for, workshop)
    request = WorkshopChangeRequest.objects.get()
    url = reverse("workshops:change-request-decide", args=[request.pk])

    without_reason = client_for(coordinator).post(url, {"decision": "reject"})
    with_reason = client_for(coordinator).post(
        url, {"decision": "reject", f"{request.pk}-reason": "شبا به نام شما نیست"}
    )

    assert without_reason.status_code == 200
    assert with_reason.status_code == 302
    request.refresh_from_db()
    assert request.status == ChangeRequestStatus.REJECTED
    workshop = Workshop.objects.get(pk=workshop.pk)
    assert (workshop.province.code, workshop.sheba) == ("tehran", OLD_SHEBA)
    page = client_for(workshop.owner).get(reverse("workshops:profile")).content.decode()
    assert "شبا به نام شما نیست" in page


def test_a_workshop_not_yet_verified_moves_without_approval(client_for, db):
    workshop = factories.WorkshopFactory(status=WorkshopStatus.PENDING)

    client_for(workshop.owner).post(
        reverse("workshops:profile"), profile_data(workshop, city=factories.capital("fars").pk)
    )

    workshop.refresh_from_db()
    assert workshop.province == factories.province("fars")
    assert not WorkshopChangeRequest.objects.exists()


def test_owners_and_other_roles_cannot_open_the_coordinators_list(client, client_for, workshop):
    url = reverse("workshops:change-requests")

    assert client_for(workshop.owner).get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
